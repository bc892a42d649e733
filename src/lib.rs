//! trawl's core library: everything that does not touch the terminal.
//!
//! `ingest` walks a dump and parses what it finds, `auth` checks DKIM
//! signatures, `thread` rebuilds conversations, `index` keeps the catalog,
//! `search` finds documents, `project` keeps the user's state, `config`
//! says where the user's settings are, `stats` counts what the overview
//! panels chart, `sanitize` makes any string from a
//! dump safe to print. The `tui` module is the
//! only one that knows about ratatui and crossterm; everything it shows can
//! be computed from this library alone.

pub mod auth;
pub mod browse;
pub mod config;
pub mod extract;
pub mod folders;
pub mod gaps;
pub mod index;
pub mod ingest;
pub mod model;
pub mod preview;
pub mod project;
pub mod relink;
pub mod sanitize;
pub mod save;
pub mod search;
pub mod share;
pub mod stats;
pub mod synth;
pub mod thread;
pub mod tree_text;
pub mod tui;
pub mod workspace;
