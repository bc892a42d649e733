//! Sharing work between colleagues: `trawl export` writes every document's
//! identity and the user's state on it (tags, notes, read mark) as CSV or
//! JSON lines, and `trawl import` merges such a file into another project
//! of the same dump. `notmuch` writes the tags as a `notmuch tag --batch`
//! file for people who read the mail in notmuch.
//!
//! One row per document. Its **stable id** names the document the same way
//! on every machine holding the same dump: the first 20 hex digits of the
//! SHA-256 of `<content SHA-256 in hex> <location>`, where the location is
//! [`crate::model::Location::display`] with `/` between folders (`a/b.mbox@1234`,
//! `x.eml#2`). The content hash alone is not enough: a message stored twice
//! (two mailboxes) is two rows with the same hash, and the id tells them
//! apart. Import does not need it: it matches by content SHA-256, then by
//! Message-ID when the bytes changed, the way the project attaches its
//! own state to a re-scanned dump.
//!
//! Nothing here writes under the dump root: the dump is evidence. Exported
//! text is data, kept exact; whoever prints it on a terminal sanitises it.

pub mod export;
pub mod import;
pub mod notmuch;
mod parse;

use serde::{Deserialize, Serialize};

use crate::model::Document;

pub use import::{merge, Conflict, Summary, Unmatched};
pub use parse::{read_rows, SharedNoteIn, SharedRow};

/// Between tag names in the CSV `tags` column. A `;` or `\` inside a name
/// is written with a `\` before it.
pub const TAG_SEPARATOR: char = ';';

/// The columns of a CSV export, in order (the JSON keys are the same).
pub const COLUMNS: [&str; 11] = [
    "id",
    "sha256",
    "message_id",
    "path",
    "date",
    "from",
    "to",
    "subject",
    "tags",
    "notes",
    "read",
];

/// One document as exported (absent values are empty strings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    pub id: String,
    pub sha256: String,
    pub message_id: String,
    pub path: String,
    /// RFC 3339, UTC, to the second (`2017-03-15T08:12:40Z`).
    pub date: String,
    pub from: String,
    pub to: String,
    pub subject: String,
    pub tags: Vec<String>,
    pub notes: Vec<SharedNote>,
    pub read: bool,
}

/// A note as exported: who wrote it, what, and when it last changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedNote {
    pub author: String,
    pub text: String,
    /// RFC 3339, UTC, to the second.
    pub updated: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ShareError {
    /// The file to import is not a trawl export, or is damaged.
    #[error("line {line}: {reason}")]
    Bad { line: u64, reason: String },
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Store(#[from] crate::project::StoreError),
}

/// The document's stable id (see the module documentation).
pub fn stable_id(doc: &Document) -> String {
    let mut location = doc.location.display();
    if cfg!(windows) {
        location = location.replace('\\', "/");
    }
    let digest = crate::ingest::mail::hash_hex(format!("{} {location}", doc.hash).as_bytes());
    digest[..20].to_string()
}

/// Seconds since the epoch as RFC 3339 UTC (`…Z`); empty when out of range.
pub fn rfc3339(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// An RFC 3339 time (any offset) as seconds since the epoch.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|t| t.timestamp())
}

/// Tag names as one CSV cell: joined by [`TAG_SEPARATOR`], each `;` and `\`
/// escaped with a `\`.
pub fn join_tags(tags: &[String]) -> String {
    let mut out = String::new();
    for (i, tag) in tags.iter().enumerate() {
        if i > 0 {
            out.push(TAG_SEPARATOR);
        }
        for c in tag.chars() {
            if c == TAG_SEPARATOR || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// The tag names of a CSV cell ([`join_tags`] undone; blank names and the
/// spaces around names dropped, as a spreadsheet user may type
/// `verified; follow-up`).
pub fn split_tags(cell: &str) -> Vec<String> {
    let mut tags = Vec::new();
    let mut current = String::new();
    let mut chars = cell.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => current.push(chars.next().unwrap_or('\\')),
            TAG_SEPARATOR => tags.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    tags.push(current);
    tags.into_iter()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_with_separators_and_backslashes_survive_a_cell() {
        let tags: Vec<String> = ["a;b", "c\\d", "plain", "é ü"]
            .iter()
            .map(|s| (*s).to_string())
            .collect();
        let cell = join_tags(&tags);
        assert_eq!(cell, "a\\;b;c\\\\d;plain;é ü");
        assert_eq!(split_tags(&cell), tags);
        assert_eq!(
            split_tags(" verified ; follow-up;;"),
            ["verified", "follow-up"]
        );
        assert!(split_tags("").is_empty());
    }

    #[test]
    fn times_are_utc_to_the_second_and_read_back() {
        assert_eq!(rfc3339(1_489_565_560), "2017-03-15T08:12:40Z");
        assert_eq!(parse_rfc3339("2017-03-15T08:12:40Z"), Some(1_489_565_560));
        assert_eq!(
            parse_rfc3339("2017-03-15T09:12:40+01:00"),
            Some(1_489_565_560)
        );
        assert_eq!(parse_rfc3339("yesterday"), None);
    }
}
