//! `trawl tree`: the thread tree as text or JSON lines, for pipelines.
//!
//! Text output goes through [`sanitize`]. JSON output keeps the evidence
//! exact: JSON already escapes control characters, and the invisible or
//! bidirectional characters JSON would leave raw are written as `\uXXXX`
//! escapes, so the line is safe on a terminal and decodes to the original.

use std::fmt::Write as _;
use std::io::{self, Write};

use serde::Serialize;

use crate::browse::Entry;
use crate::model::DocId;
use crate::preview::short_date;
use crate::sanitize::{is_unsafe, sanitize};
use crate::workspace::Workspace;

#[derive(Serialize)]
struct JsonRow<'a> {
    index: u32,
    thread: u32,
    depth: u32,
    parent_index: Option<u32>,
    parent: Option<&'a str>,
    #[serde(flatten)]
    doc: DocJson<'a>,
}

/// One document as the JSON outputs (`tree --json`, `search --json`) show
/// it; the empty value stands for a row that is not a document.
#[derive(Serialize)]
pub struct DocJson<'a> {
    kind: &'static str,
    date: Option<String>,
    from: &'a str,
    from_addr: &'a str,
    subject: &'a str,
    message_id: Option<&'a str>,
    location: Option<String>,
    attachments: Vec<&'a str>,
    tags: Vec<&'a str>,
}

impl<'a> DocJson<'a> {
    fn empty(kind: &'static str) -> DocJson<'a> {
        DocJson {
            kind,
            date: None,
            from: "",
            from_addr: "",
            subject: "",
            message_id: None,
            location: None,
            attachments: Vec::new(),
            tags: Vec::new(),
        }
    }

    /// Document `id` of `ws`, with its tags.
    pub fn of(ws: &'a Workspace, id: DocId) -> DocJson<'a> {
        let d = ws.doc(id);
        DocJson {
            kind: if d.is_mail() { "mail" } else { "file" },
            date: d
                .date
                .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
                .map(|t| t.to_rfc3339()),
            from: d.sender(),
            from_addr: d.from_addr(),
            subject: d.subject(),
            message_id: d.message_id(),
            location: Some(d.location.display()),
            attachments: crate::model::direct_parts(&ws.scan.docs, id)
                .map(|p| ws.doc(p).subject())
                .collect(),
            tags: ws
                .tags_of(id)
                .iter()
                .filter_map(|t| ws.tags.iter().find(|x| x.id == *t).map(|x| x.name.as_str()))
                .collect(),
        }
    }

    /// As one line of JSON, safe on a terminal.
    pub fn line(&self) -> io::Result<String> {
        json_line(self)
    }
}

/// `value` as one line of JSON, safe on a terminal (see
/// [`escape_invisible`]).
pub fn json_line(value: &impl Serialize) -> io::Result<String> {
    let line = serde_json::to_string(value).map_err(io::Error::other)?;
    Ok(escape_invisible(&line))
}

/// Write every row of the tree (nothing folded).
pub fn write_tree(ws: &Workspace, json: bool, out: &mut dyn Write) -> io::Result<()> {
    let mut thread_no = 0u32;
    let mut last_thread = None;
    for (i, node) in ws.tree.nodes.iter().enumerate() {
        if last_thread != Some(node.thread) {
            last_thread = Some(node.thread);
            thread_no += 1;
        }
        if json {
            writeln!(out, "{}", json_line(&json_row(ws, i as u32, thread_no))?)?;
        } else {
            writeln!(out, "{}", text_row(ws, i as u32))?;
        }
    }
    Ok(())
}

/// Tab-separated fields (date, sender, subject, Message-ID, location),
/// each sanitised on its own so data can never fake a separator.
fn text_row(ws: &Workspace, index: u32) -> String {
    let node = &ws.tree.nodes[index as usize];
    let indent = "  ".repeat(node.depth.min(64) as usize);
    let fields: Vec<String> = match &node.entry {
        Entry::Doc(id) => return format!("{indent}{}", doc_fields(ws, *id).join("\t")),
        Entry::Missing(id) => vec![
            "(not in dump)".into(),
            String::new(),
            String::new(),
            format!("<{id}>"),
            String::new(),
        ],
        Entry::Group(label) => vec![label.clone()],
    };
    let fields: Vec<String> = fields.iter().map(|f| sanitize(f).into_owned()).collect();
    format!("{indent}{}", fields.join("\t"))
}

/// A document's tab-separated fields (date, sender or file type, subject,
/// `<Message-ID>`, location), each sanitised.
pub(crate) fn doc_fields(ws: &Workspace, id: DocId) -> Vec<String> {
    let d = ws.doc(id);
    let mid = d.message_id().map(|m| format!("<{m}>")).unwrap_or_default();
    let from = if d.is_mail() {
        d.sender()
    } else {
        d.file_type()
    };
    [
        short_date(d.date),
        from.into(),
        d.subject().to_string(),
        mid,
        d.location.display(),
    ]
    .iter()
    .map(|f| sanitize(f).into_owned())
    .collect()
}

fn json_row(ws: &Workspace, index: u32, thread: u32) -> JsonRow<'_> {
    let node = &ws.tree.nodes[index as usize];
    let parent = node
        .parent
        .and_then(|p| match &ws.tree.nodes[p as usize].entry {
            Entry::Doc(id) => ws.doc(*id).message_id(),
            Entry::Missing(id) => Some(id.as_str()),
            Entry::Group(_) => None,
        });
    let doc = match &node.entry {
        Entry::Doc(id) => DocJson::of(ws, *id),
        Entry::Missing(id) => DocJson {
            message_id: Some(id),
            ..DocJson::empty("missing")
        },
        Entry::Group(label) => DocJson {
            subject: label,
            ..DocJson::empty("group")
        },
    };
    JsonRow {
        index,
        thread,
        depth: node.depth,
        parent_index: node.parent,
        parent,
        doc,
    }
}

/// Write characters that terminals treat as invisible, reorder or act on
/// as JSON `\u` escapes: lossless, and safe on a terminal. (serde escapes
/// the C0 controls itself, but not DEL, C1, bidi or format characters.)
fn escape_invisible(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        if is_unsafe(c) {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{u:04x}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_are_json_escaped_and_round_trip() {
        let raw = serde_json::to_string("a\u{202e}b\u{1b}c").expect("json");
        let escaped = escape_invisible(&raw);
        assert!(!escaped.contains('\u{202e}') && !escaped.contains('\u{1b}'));
        let back: String = serde_json::from_str(&escaped).expect("valid json");
        assert_eq!(back, "a\u{202e}b\u{1b}c");
    }
}
