//! `trawl export`: the chosen documents of a workspace as rows (see
//! [`super::Row`]), written as CSV or JSON lines.
//!
//! The text is the dump's, exact. JSON lines are safe on a terminal as they
//! are (controls and invisible characters become `\u` escapes, which decode
//! to the original); CSV cells are passed through [`sanitize`] only when
//! the caller says the output is a terminal. The full `To:` list is read
//! back from the dump (the catalog keeps only its start); the dump is only
//! read.

use std::io::{self, Write};

use rayon::prelude::*;

use super::{join_tags, rfc3339, stable_id, Row, SharedNote, COLUMNS};
use crate::model::{DocId, Document};
use crate::sanitize::sanitize;
use crate::tree_text::json_line;
use crate::workspace::Workspace;

/// How an export is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A header line, then one record per document.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

/// What an export wrote.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub rows: usize,
    /// E-mails whose `To:` could not be read back from the dump (their
    /// `to` is the catalog's short list instead).
    pub to_unread: usize,
}

/// Documents whose `To:` are read back from the dump at a time (in
/// parallel), so memory does not grow with the export.
const CHUNK: usize = 1024;

/// Write `docs` of `ws` (in that order) to `out`. `terminal`: the output
/// is a terminal, so CSV cells are sanitised.
pub fn write(
    ws: &Workspace,
    docs: &[DocId],
    format: Format,
    terminal: bool,
    out: &mut dyn Write,
) -> io::Result<Written> {
    let mut written = Written::default();
    let mut sink = match format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(COLUMNS)?;
            Sink::Csv(Box::new(w))
        }
        Format::Jsonl => Sink::Jsonl(out),
    };
    let (root, all) = (&ws.scan.root, &ws.scan.docs[..]);
    for chunk in docs.chunks(CHUNK) {
        let tos: Vec<Option<String>> = chunk
            .par_iter()
            .map(|&id| full_to(root, &all[id]))
            .collect();
        for (&id, to) in chunk.iter().zip(tos) {
            let d = ws.doc(id);
            if to.is_none() && d.is_rfc822() {
                written.to_unread += 1;
            }
            let to = to.unwrap_or_else(|| d.recipients().to_string());
            let row = row(ws, id, to);
            match &mut sink {
                Sink::Csv(w) => w.write_record(cells(&row, terminal))?,
                Sink::Jsonl(out) => writeln!(out, "{}", json_line(&row)?)?,
            }
            written.rows += 1;
        }
    }
    match sink {
        Sink::Csv(mut w) => w.flush()?,
        Sink::Jsonl(out) => out.flush()?,
    }
    Ok(written)
}

/// Where rows go, by format.
enum Sink<'a> {
    Csv(Box<csv::Writer<&'a mut dyn Write>>),
    Jsonl(&'a mut dyn Write),
}

/// Document `id` of `ws` as a row, with `to` as its recipients.
pub fn row(ws: &Workspace, id: DocId, to: String) -> Row {
    let d = ws.doc(id);
    let mut tags: Vec<String> = ws
        .tags_of(id)
        .iter()
        .filter_map(|t| ws.tags.iter().find(|x| x.id == *t))
        .map(|t| t.name.clone())
        .collect();
    tags.sort_unstable();
    let mut notes: Vec<SharedNote> = ws
        .notes_of(id)
        .into_iter()
        .map(|n| SharedNote {
            author: n.author.clone(),
            text: n.body.clone(),
            updated: rfc3339(n.updated),
        })
        .collect();
    notes.sort_by(|a, b| a.author.cmp(&b.author));
    Row {
        id: stable_id(d),
        sha256: d.hash.to_string(),
        message_id: d.message_id().unwrap_or_default().to_string(),
        path: d.location.display(),
        date: d.date.map(rfc3339).unwrap_or_default(),
        from: sender(d),
        to,
        subject: d.subject().to_string(),
        tags,
        notes,
        read: ws.read[id],
    }
}

/// `Name <address>`, or whichever of the two there is.
fn sender(d: &Document) -> String {
    match (d.from_name(), d.from_addr()) {
        ("", addr) => addr.to_string(),
        (name, "") => name.to_string(),
        (name, addr) => format!("{name} <{addr}>"),
    }
}

/// The whole `To:` of an RFC 822 message, read back from the dump; `None`
/// for other documents, or when the message cannot be read.
fn full_to(root: &std::path::Path, d: &Document) -> Option<String> {
    if !d.is_rfc822() {
        return None;
    }
    let bytes = crate::ingest::read_document(root, &d.location).ok()?;
    let msg = mail_parser::MessageParser::default().parse_headers(&bytes[..])?;
    Some(crate::ingest::mail::address_list(msg.to()))
}

/// The CSV cells of `row`, in [`COLUMNS`] order: tags joined (see
/// [`join_tags`]), notes as a JSON list (empty when there are none).
fn cells(row: &Row, terminal: bool) -> Vec<String> {
    let notes = if row.notes.is_empty() {
        String::new()
    } else {
        serde_json::to_string(&row.notes).unwrap_or_default()
    };
    let cells = [
        row.id.clone(),
        row.sha256.clone(),
        row.message_id.clone(),
        row.path.clone(),
        row.date.clone(),
        row.from.clone(),
        row.to.clone(),
        row.subject.clone(),
        join_tags(&row.tags),
        notes,
        row.read.to_string(),
    ];
    if terminal {
        cells.iter().map(|c| sanitize(c).into_owned()).collect()
    } else {
        cells.to_vec()
    }
}
