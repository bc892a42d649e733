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
    kind: &'static str,
    date: Option<String>,
    from: &'a str,
    from_addr: &'a str,
    subject: &'a str,
    message_id: Option<&'a str>,
    location: Option<String>,
    attachments: &'a [Box<str>],
    tags: Vec<&'a str>,
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
            let row = json_row(ws, i as u32, thread_no);
            let line = serde_json::to_string(&row).map_err(io::Error::other)?;
            writeln!(out, "{}", escape_invisible(&line))?;
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
        Entry::Doc(id) => {
            let d = ws.doc(*id);
            let mid = d.message_id().map(|m| format!("<{m}>")).unwrap_or_default();
            let from = if d.is_mail() {
                d.sender()
            } else {
                d.file_type()
            };
            vec![
                short_date(d.date),
                from.into(),
                d.subject().to_string(),
                mid,
                d.location.display(),
            ]
        }
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

fn json_row(ws: &Workspace, index: u32, thread: u32) -> JsonRow<'_> {
    let node = &ws.tree.nodes[index as usize];
    let parent = node
        .parent
        .and_then(|p| match &ws.tree.nodes[p as usize].entry {
            Entry::Doc(id) => ws.doc(*id).message_id(),
            Entry::Missing(id) => Some(id.as_str()),
            Entry::Group(_) => None,
        });
    let mut row = JsonRow {
        index,
        thread,
        depth: node.depth,
        parent_index: node.parent,
        parent,
        kind: "group",
        date: None,
        from: "",
        from_addr: "",
        subject: "",
        message_id: None,
        location: None,
        attachments: &[],
        tags: Vec::new(),
    };
    match &node.entry {
        Entry::Doc(id) => {
            let d = ws.doc(*id);
            row.kind = if d.is_mail() { "mail" } else { "file" };
            row.date = d
                .date
                .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
                .map(|t| t.to_rfc3339());
            row.from = d.sender();
            row.from_addr = d.from_addr();
            row.subject = d.subject();
            row.message_id = d.message_id();
            row.location = Some(d.location.display());
            row.attachments = &d.attachments;
            row.tags = ws
                .tags_of(*id)
                .iter()
                .filter_map(|t| ws.tags.iter().find(|x| x.id == *t).map(|x| x.name.as_str()))
                .collect();
        }
        Entry::Missing(id) => {
            row.kind = "missing";
            row.message_id = Some(id);
        }
        Entry::Group(label) => row.subject = label,
    }
    row
}

/// Write characters that terminals treat as invisible or reorder as JSON
/// `\u` escapes (only non-ASCII ones reach here: serde escapes controls).
pub fn escape_invisible(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        if !c.is_ascii() && is_unsafe(c) {
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
