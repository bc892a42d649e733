//! `trawl export --format notmuch`: the tags and read marks as a file for
//! `notmuch tag --batch`, so a colleague reading the same mail in notmuch
//! gets them.
//!
//! The format (`notmuch-tag(1)`, "TAG FILE FORMAT"): one line per message,
//! `+tag… [-unread] -- id:<message-id>`. Tags are hex-encoded (`%20` for a
//! space, `%25` for `%`, each byte of a non-ASCII character) except the
//! characters `notmuch dump` leaves as they are; the query is *not*
//! hex-encoded but quoted by Xapian's boolean-term rules (`id:"a b"`,
//! quotes doubled), as `notmuch dump` writes it. A read document gets
//! `-unread`; an unread one leaves notmuch's `unread` tag alone. Copies of a
//! message (one Message-ID) make one line with their tags united.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::io::{self, Write};

use crate::model::DocId;
use crate::sanitize::sanitize;
use crate::workspace::Workspace;

/// Longest tag notmuch accepts, in bytes (`NOTMUCH_TAG_MAX`); a longer one
/// stops the whole batch, so it is left out and reported.
pub const TAG_MAX: usize = 200;

/// What a notmuch export wrote and left out.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct BatchWritten {
    pub lines: usize,
    /// Documents with tags or a read mark but no Message-ID (notmuch
    /// cannot be told which message they are).
    pub without_message_id: usize,
    /// Tags longer than [`TAG_MAX`] bytes, left out.
    pub too_long: Vec<String>,
}

/// One message's line, before encoding.
struct Entry<'a> {
    id: &'a str,
    tags: BTreeSet<&'a str>,
    read: bool,
}

/// Write the batch file for `docs` of `ws`. `terminal`: each line is
/// sanitised (a Message-ID may hold control characters).
pub fn write_batch(
    ws: &Workspace,
    docs: &[DocId],
    terminal: bool,
    out: &mut dyn Write,
) -> io::Result<BatchWritten> {
    let mut written = BatchWritten::default();
    let mut entries: Vec<Entry<'_>> = Vec::new();
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    for &doc in docs {
        let (tags, read) = (ws.tags_of(doc), ws.read[doc]);
        if tags.is_empty() && !read {
            continue;
        }
        let Some(id) = ws.doc(doc).message_id() else {
            written.without_message_id += 1;
            continue;
        };
        let k = *by_id.entry(id).or_insert_with(|| {
            entries.push(Entry {
                id,
                tags: BTreeSet::new(),
                read: false,
            });
            entries.len() - 1
        });
        let entry = &mut entries[k];
        entry.read |= read;
        for t in tags {
            let Some(tag) = ws.tags.iter().find(|x| x.id == *t) else {
                continue;
            };
            if tag.name.len() > TAG_MAX {
                if !written.too_long.contains(&tag.name) {
                    written.too_long.push(tag.name.clone());
                }
                continue;
            }
            entry.tags.insert(&tag.name);
        }
    }
    for entry in &entries {
        let Some(line) = line(entry) else {
            continue;
        };
        if terminal {
            writeln!(out, "{}", sanitize(&line))?;
        } else {
            writeln!(out, "{line}")?;
        }
        written.lines += 1;
    }
    out.flush()?;
    Ok(written)
}

/// `+a +b -unread -- id:…`, or `None` when nothing is left to say.
fn line(entry: &Entry<'_>) -> Option<String> {
    let mut out = String::new();
    for tag in &entry.tags {
        out.push('+');
        out.push_str(&hex_encode(tag));
        out.push(' ');
    }
    if entry.read {
        out.push_str("-unread ");
    }
    if out.is_empty() {
        return None;
    }
    out.push_str("-- id:");
    out.push_str(&boolean_term(&message_id(entry.id)));
    Some(out)
}

/// The Message-ID as notmuch stores it: without white space (notmuch
/// drops it when it reads the header), so no line break can get in.
fn message_id(id: &str) -> String {
    id.chars().filter(|c| !c.is_whitespace()).collect()
}

/// `tag` with every byte outside notmuch's plain set (`A-Z a-z 0-9 + - _ @
/// = . ,`) written `%xx`, as `notmuch dump` does.
pub fn hex_encode(tag: &str) -> String {
    let mut out = String::with_capacity(tag.len());
    for &b in tag.as_bytes() {
        if b.is_ascii_alphanumeric() || b"+-_@=.,".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02x}");
        }
    }
    out
}

/// A term quoted by Xapian's boolean-term rules, as notmuch's
/// `make_boolean_term`: in double quotes (each inner one doubled) when it
/// is empty or holds a space or control, `(`, `)`, `"` or non-ASCII.
pub fn boolean_term(term: &str) -> String {
    let plain = !term.is_empty()
        && term
            .bytes()
            .all(|b| b > b' ' && b < 0x7f && !b"()\"".contains(&b));
    if plain {
        term.to_string()
    } else {
        format!("\"{}\"", term.replace('"', "\"\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_hex_encoded_and_ids_quoted_like_notmuch_dump() {
        assert_eq!(hex_encode("follow-up"), "follow-up");
        assert_eq!(hex_encode("a b%\"é"), "a%20b%25%22%c3%a9");
        assert_eq!(boolean_term("plain@x"), "plain@x");
        assert_eq!(boolean_term("wé\"ird)@x"), "\"wé\"\"ird)@x\"");
        assert_eq!(boolean_term(""), "\"\"");
        assert_eq!(message_id(" a b@x\n"), "ab@x");
        let entry = Entry {
            id: "m 1@x",
            tags: ["verified", "follow up"].into_iter().collect(),
            read: true,
        };
        assert_eq!(
            line(&entry).as_deref(),
            Some("+follow%20up +verified -unread -- id:m1@x")
        );
        let entry = Entry {
            id: "m@x",
            tags: BTreeSet::new(),
            read: false,
        };
        assert_eq!(line(&entry), None);
    }
}
