//! Authenticity evidence: DKIM signatures checked offline (and against
//! keys the user supplies), and what the headers say of the way a message
//! travelled.

pub mod dkim;
pub mod hops;
pub mod keys;
pub mod provenance;
