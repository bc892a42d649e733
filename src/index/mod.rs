//! Derived data kept in the project folder so a dump is parsed once: the
//! catalog (documents, thread tree, file stamps). Everything here can be
//! rebuilt from the dump at any time; user data never lives here.

pub mod catalog;
pub mod progress;
