//! `trawl import`: merge a colleague's export into this project.
//!
//! Rows find their documents as the project's own state does (by content
//! SHA-256, then by Message-ID when the bytes changed). Tags are united
//! (a tag this project lacks is created), read marks are united, notes are
//! kept from both sides under their authors. The same author with a
//! different note on the same document is a conflict: the local note stays
//! and the conflict is reported. Nothing is dropped in silence: a row that
//! matches no document is reported too. Everything is written in one
//! transaction, so a failure midway leaves the project as it was.

use std::collections::HashSet;

use super::{ShareError, SharedNoteIn, SharedRow};
use crate::model::{DocId, Sha256};
use crate::project::TagId;
use crate::workspace::{match_identities, Workspace};

/// What a merge did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub rows: usize,
    /// Rows that found at least one document.
    pub matched: usize,
    /// Tags this project did not have, created for the merge.
    pub tags_created: Vec<String>,
    /// Tags put on documents (each content counted once per tag).
    pub tags_added: usize,
    pub notes_added: usize,
    pub read_added: usize,
    pub conflicts: Vec<Conflict>,
    pub unmatched: Vec<Unmatched>,
}

/// The same author wrote different notes on one document here and there;
/// the local one was kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub line: u64,
    /// The local document's location.
    pub path: String,
    pub author: String,
    pub local: String,
    pub theirs: String,
}

/// A row that matches no document of this dump.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmatched {
    pub line: u64,
    /// The location in the exporter's dump.
    pub path: String,
    pub hash: Sha256,
    pub message_id: Option<String>,
}

/// Merge `rows` into `ws` (see the module documentation).
pub fn merge(ws: &mut Workspace, rows: &[SharedRow]) -> Result<Summary, ShareError> {
    ws.project.store.begin()?;
    match merge_rows(ws, rows) {
        Ok(summary) => {
            ws.project.store.commit()?;
            Ok(summary)
        }
        Err(e) => {
            // The store is back as it was; the caller drops `ws`, whose
            // memory no longer matches it.
            let _ = ws.project.store.rollback();
            Err(e)
        }
    }
}

fn merge_rows(ws: &mut Workspace, rows: &[SharedRow]) -> Result<Summary, ShareError> {
    let keys: Vec<(Sha256, Option<&str>)> = rows
        .iter()
        .map(|r| (r.hash, r.message_id.as_deref()))
        .collect();
    let found = match_identities(&ws.scan.docs, &keys);
    let mut merge = Merge {
        ws,
        summary: Summary {
            rows: rows.len(),
            ..Summary::default()
        },
        reported: HashSet::new(),
    };
    for (row, docs) in rows.iter().zip(&found) {
        if docs.is_empty() {
            merge.summary.unmatched.push(Unmatched {
                line: row.line,
                path: row.path.clone(),
                hash: row.hash,
                message_id: row.message_id.clone(),
            });
            continue;
        }
        merge.summary.matched += 1;
        merge.row(row, docs)?;
    }
    Ok(merge.summary)
}

struct Merge<'a> {
    ws: &'a mut Workspace,
    summary: Summary,
    /// Conflicts already reported, by content and author (a row per copy
    /// of a message would report each again).
    reported: HashSet<(Sha256, String)>,
}

impl Merge<'_> {
    fn row(&mut self, row: &SharedRow, docs: &[DocId]) -> Result<(), ShareError> {
        for name in &row.tags {
            let tag = self.tag_named(name)?;
            for &doc in docs {
                if self.ws.set_tag(doc, tag, true)? {
                    self.summary.tags_added += 1;
                }
            }
        }
        for note in &row.notes {
            for &doc in docs {
                self.note(row.line, doc, note)?;
            }
        }
        if row.read {
            for &doc in docs {
                if !self.ws.read[doc] {
                    self.ws.mark_read(doc)?;
                    self.summary.read_added += 1;
                }
            }
        }
        Ok(())
    }

    /// The tag called `name`, created when this project has none.
    fn tag_named(&mut self, name: &str) -> Result<TagId, ShareError> {
        if let Some(t) = self.ws.tags.iter().find(|t| t.name == name) {
            return Ok(t.id);
        }
        let tag = self.ws.create_tag(name)?;
        self.summary.tags_created.push(tag.name);
        Ok(tag.id)
    }

    fn note(&mut self, line: u64, doc: DocId, note: &SharedNoteIn) -> Result<(), ShareError> {
        let local = self
            .ws
            .notes_of(doc)
            .into_iter()
            .find(|n| n.author == note.author)
            .map(|n| n.body.clone());
        match local {
            None => {
                self.ws
                    .set_note_by(doc, &note.author, &note.text, Some(note.updated))?;
                self.summary.notes_added += 1;
            }
            Some(local) if local == note.text => {}
            Some(local) => {
                let key = (self.ws.doc(doc).hash, note.author.clone());
                if self.reported.insert(key) {
                    self.summary.conflicts.push(Conflict {
                        line,
                        path: self.ws.doc(doc).location.display(),
                        author: note.author.clone(),
                        local,
                        theirs: note.text.clone(),
                    });
                }
            }
        }
        Ok(())
    }
}
