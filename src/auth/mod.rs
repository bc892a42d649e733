//! Authenticity evidence: DKIM signatures checked offline (and against
//! keys the user supplies), for the preview, the tree and search.

pub mod dkim;
pub mod keys;
