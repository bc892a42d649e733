//! Synthetic e-mail dumps, for tests and benchmarks.
//!
//! This module owns trawl's generator of fake leaks: [`generate`] writes a
//! deterministic tree of maildirs, mbox files and loose `.eml` files that
//! looks like a real leaked corpus at scale (Enron-like message sizes,
//! conversations with branching and a few huge flame wars, missing parents,
//! duplicates, re-used Message-IDs, RFC 2047 headers, quoted-printable and
//! HTML bodies, base64 attachments). No real corpus can ship with the
//! repository and scale tests need hundreds of thousands of messages, hence
//! a generator; it lives in the library so the `synth_dump` example, the
//! tests and the benchmarks share one implementation.
//!
//! # Determinism and memory
//! Everything derives from `(messages, seed)` through `SplitMix64` streams
//! keyed per message and per purpose, using only IEEE basic arithmetic (no
//! platform `exp`/`ln`), so the same arguments give a byte-identical tree on
//! every platform. Generation has two phases:
//! 1. *Plan*: the conversations are laid out in a compact table of
//!    [`Entry`](plan::Entry) (24 bytes per message: parent, date,
//!    container, flags).
//! 2. *Write*: every message is rendered on the fly from that table, one at a
//!    time per writer thread (a reply's quote is its parent's regenerated
//!    first lines), and written straight to its file. Besides the table, a
//!    writer holds one message (at most a few hundred KB) and a 1 MB mbox
//!    buffer.
//!
//! # What the [`Summary`] guarantees
//! Only reserved names are used (`*.example`, `example.com/org/net`, the
//! documentation IP ranges, 555-01xx phone numbers). Every file is a mail
//! file. Replies carry `In-Reply-To` and `References` (their true ancestors,
//! oldest first; at most 20 ids: the root and the 19 nearest). Because each
//! reply names its whole ancestry and no conversation whose first message is
//! missing shares its normalised subject with another thread, a JWZ threader
//! such as [`crate::thread`] finds exactly `threads + root_copies` top-level
//! threads: one per conversation (a missing first message becomes a
//! placeholder root, so it still counts once), plus one per duplicate or
//! re-used Message-ID whose original has no parent (the copy becomes a
//! sibling of the original, i.e. another root). Each message that is
//! referenced but never written (`missing_messages`) becomes exactly one
//! placeholder node, and `missing_parents` written messages have such a
//! parent. The number of distinct Message-IDs is
//! `messages - duplicates - reused_ids`.
//!
//! # Layout
//! Phase 1 is `plan` (the table) and `places` (the containers). In phase 2,
//! `write` deals the containers to writer threads and `render` turns one
//! entry into bytes, with `headers` and `body`, from who sends it (`people`)
//! and what it says (`text`, `prose`, `words`). Underneath: `random` (keyed
//! streams, `exp`, `ln`), `dates` and `encode`.

mod body;
mod dates;
mod encode;
mod headers;
mod people;
mod places;
mod plan;
mod prose;
mod random;
mod render;
mod text;
mod words;
mod write;

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

use plan::Plan;
use write::write_all;

/// What [`generate`] wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Mail documents written (copies included).
    pub messages: usize,
    /// Files written (maildir entries, `.eml` files, mbox files).
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
    /// Conversations, singletons included; one whose first message is
    /// missing counts once.
    pub threads: usize,
    /// Written messages whose parent (`In-Reply-To`) is not in the dump.
    pub missing_parents: usize,
    /// Distinct messages referenced as a parent but never written.
    pub missing_messages: usize,
    /// Byte-identical extra copies, written to another user's maildir.
    pub duplicates: usize,
    /// Different messages that reuse an existing Message-ID.
    pub reused_ids: usize,
    /// Duplicates and re-used ids whose original has no parent: each is one
    /// more top-level thread.
    pub root_copies: usize,
    /// Attachment parts, over all written messages.
    pub attachments: usize,
    /// Written messages with at least one attachment.
    pub with_attachments: usize,
    pub maildir_messages: usize,
    pub mbox_messages: usize,
    pub eml_messages: usize,
    pub mbox_files: usize,
    /// Messages (written or missing) of the largest conversation.
    pub largest_thread: usize,
    /// Deepest reply depth (a root is at depth 0).
    pub max_depth: usize,
}

impl Summary {
    /// One line of JSON, keys in declaration order.
    pub fn to_json(&self) -> String {
        let fields: [(&str, u64); 17] = [
            ("messages", self.messages as u64),
            ("files", self.files as u64),
            ("bytes", self.bytes),
            ("threads", self.threads as u64),
            ("missing_parents", self.missing_parents as u64),
            ("missing_messages", self.missing_messages as u64),
            ("duplicates", self.duplicates as u64),
            ("reused_ids", self.reused_ids as u64),
            ("root_copies", self.root_copies as u64),
            ("attachments", self.attachments as u64),
            ("with_attachments", self.with_attachments as u64),
            ("maildir_messages", self.maildir_messages as u64),
            ("mbox_messages", self.mbox_messages as u64),
            ("eml_messages", self.eml_messages as u64),
            ("mbox_files", self.mbox_files as u64),
            ("largest_thread", self.largest_thread as u64),
            ("max_depth", self.max_depth as u64),
        ];
        let mut out = String::from("{");
        for (i, (k, v)) in fields.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "\"{k}\":{v}");
        }
        out.push('}');
        out
    }
}

/// Most messages one call can write (the plan indexes them with `u32`).
pub const MAX_MESSAGES: usize = 100_000_000;

/// Write a dump of exactly `messages` mail messages under `out` (created;
/// an existing `out` must be an empty directory). Same arguments, same
/// bytes.
pub fn generate(out: &Path, messages: usize, seed: u64) -> io::Result<Summary> {
    if messages > MAX_MESSAGES {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("at most {MAX_MESSAGES} messages"),
        ));
    }
    prepare_output(out)?;
    let plan = Plan::build(messages, seed);
    let mut summary = plan.summary();
    let written = write_all(&plan, out)?;
    summary.files = written.files;
    summary.bytes = written.bytes;
    summary.attachments = written.attachments;
    summary.with_attachments = written.with_attachments;
    summary.maildir_messages = written.maildir;
    summary.mbox_messages = written.mbox;
    summary.eml_messages = written.eml;
    summary.mbox_files = written.mbox_files;
    debug_assert_eq!(written.maildir + written.mbox + written.eml, messages);
    Ok(summary)
}

fn prepare_output(out: &Path) -> io::Result<()> {
    match fs::metadata(out) {
        Ok(meta) if !meta.is_dir() => Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{}: exists and is not a directory", out.display()),
        )),
        Ok(_) => {
            if fs::read_dir(out)?.next().is_some() {
                Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!("{}: exists and is not empty", out.display()),
                ))
            } else {
                Ok(())
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => fs::create_dir_all(out),
        Err(e) => Err(e),
    }
}
