//! Triage at keyboard speed: marks for changes to many documents at once
//! (one by one, a range, a thread, a family, duplicates), tags on all
//! marked, read and unread, the next unread or untagged document, the
//! unread / untagged / tag filters, and `u`, which undoes the last change
//! of user data, again and again.
//!
//! Every change is written to the store before the screen changes (see
//! [`crate::workspace`]); undo writes the previous state back the same
//! way, so an undone change is undone on disk too.

use super::action::Action;
use super::app::{App, Recount};
use crate::browse::Entry;
use crate::index::progress::thousands;
use crate::model::{self, DocId};
use crate::project::TagId;

/// Most changes kept for `u`.
const UNDO_DEPTH: usize = 1000;

/// One change of user data, as `u` undoes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// `tag` was put on (`on`) or taken off these documents (only those
    /// whose state changed).
    Tag {
        tag: TagId,
        docs: Vec<DocId>,
        on: bool,
    },
    /// These documents were marked read (`read`) or unread.
    Read { docs: Vec<DocId>, read: bool },
    /// The user's note on `doc` was changed; `before` is what it said.
    Note { doc: DocId, before: Option<String> },
}

impl App {
    /// The triage actions; `false` if `action` is not one of them.
    pub(super) fn update_triage(&mut self, action: &Action) -> bool {
        match action {
            Action::ToggleMark => self.toggle_mark(),
            Action::MarkRange => self.mark_range(),
            Action::MarkThread => {
                let docs = self.thread_docs();
                self.mark_all("of the thread", docs);
            }
            Action::MarkFamily => {
                let docs = self.family_docs();
                self.mark_all("of the family", docs);
            }
            Action::MarkDuplicates => {
                let docs = self.duplicate_docs();
                self.mark_all("duplicates", docs);
            }
            Action::ClearMarks => self.clear_marks(),
            Action::Undo => self.undo_last(),
            Action::ToggleRead => self.toggle_read(),
            Action::NextUnread => self.next_matching("unread", |app, d| !app.ws.read[d]),
            Action::NextUntagged => {
                self.next_matching("untagged", |app, d| app.ws.tags_of(d).is_empty());
            }
            Action::FilterUnread => self.toggle_filter("is:unread".to_string()),
            Action::FilterUntagged => self.toggle_filter("is:untagged".to_string()),
            Action::FilterTag => self.filter_tag(),
            _ => return false,
        }
        true
    }

    /// What a change applies to: the marked documents, else the selected one.
    fn targets(&self) -> Vec<DocId> {
        if self.marks.is_empty() {
            self.selected_doc().into_iter().collect()
        } else {
            self.marks.iter().copied().collect()
        }
    }

    fn toggle_mark(&mut self) {
        // A row that is not a document (a missing message) is passed over.
        if let Some(doc) = self.selected_doc() {
            if !self.marks.remove(&doc) {
                self.marks.insert(doc);
            }
        }
        self.update(Action::Down);
        self.say_marked();
    }

    fn mark_range(&mut self) {
        let here = self.row_position();
        let Some(anchor) = self.mark_anchor.take() else {
            self.mark_anchor = Some(here);
            self.info("range starts here: move, then x again marks every row in between");
            return;
        };
        let docs = self.rows_between(anchor, here);
        self.mark_all("in the range", docs);
    }

    /// Where the cursor is: a row of the search results, or a node of the
    /// tree.
    fn row_position(&self) -> usize {
        match &self.results {
            Some(r) => r.cursor,
            None => self.cursor as usize,
        }
    }

    /// The documents on the rows from `a` to `b` (either order, as given by
    /// [`Self::row_position`]) as the tree pane shows them.
    fn rows_between(&self, a: usize, b: usize) -> Vec<DocId> {
        let (lo, hi) = (a.min(b), a.max(b));
        if let Some(results) = &self.results {
            let hi = hi.min(results.rows.len().saturating_sub(1));
            return results.rows.get(lo..=hi).map_or(Vec::new(), |rows| {
                rows.iter().filter_map(|r| r.doc).collect()
            });
        }
        let tree = &self.ws.tree;
        if hi >= tree.nodes.len() {
            return Vec::new();
        }
        let mut out = Vec::new();
        let mut node = Some(tree.visible_ancestor(lo as u32, &self.folded));
        while let Some(n) = node.filter(|&n| n as usize <= hi) {
            if let Entry::Doc(d) = tree.nodes[n as usize].entry {
                out.push(d);
            }
            node = tree.next_visible(n, &self.folded);
        }
        out
    }

    /// Every document in the selected document's thread (tree order).
    fn thread_docs(&self) -> Vec<DocId> {
        let tree = &self.ws.tree;
        let Some(&node) = self.selected_doc().and_then(|d| tree.doc_node.get(d)) else {
            return Vec::new();
        };
        // Up to the thread's first message; under a heading (the files
        // that are not mail) the heading is not part of any thread.
        let mut top = node;
        while let Some(p) = tree.nodes[top as usize].parent {
            if matches!(tree.nodes[p as usize].entry, Entry::Group(_)) {
                break;
            }
            top = p;
        }
        let end = tree.nodes[top as usize].end;
        (top..end)
            .filter_map(|n| match tree.nodes[n as usize].entry {
                Entry::Doc(d) => Some(d),
                _ => None,
            })
            .collect()
    }

    /// The selected document's family: the top-level message or file that
    /// holds it, and all the parts of that one.
    fn family_docs(&self) -> Vec<DocId> {
        let Some(mut top) = self.selected_doc() else {
            return Vec::new();
        };
        let docs = &self.ws.scan.docs;
        while let Some(c) = model::container_of(docs, top) {
            top = c;
        }
        std::iter::once(top)
            .chain(model::part_range(docs, top))
            .collect()
    }

    /// The selected document and its duplicates: every copy of its content
    /// and every message with its Message-ID.
    fn duplicate_docs(&self) -> Vec<DocId> {
        let Some(doc) = self.selected_doc() else {
            return Vec::new();
        };
        let mut out: Vec<DocId> = self.ws.copies_of(doc).to_vec();
        out.push(doc);
        if let Some(id) = self.ws.doc(doc).message_id() {
            let docs = &self.ws.scan.docs;
            out.extend((0..docs.len()).filter(|&d| docs[d].message_id() == Some(id)));
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    fn mark_all(&mut self, what: &str, docs: Vec<DocId>) {
        if docs.is_empty() {
            self.info("nothing to mark here");
            return;
        }
        let n = docs.len();
        self.marks.extend(docs);
        self.info(&format!(
            "marked {} {what}; {} marked in all (a tag key tags them, X unmarks)",
            thousands(n),
            thousands(self.marks.len())
        ));
    }

    fn say_marked(&mut self) {
        let n = self.marks.len();
        if n == 0 {
            self.info("no document is marked");
        } else {
            self.info(&format!(
                "{} marked: a tag key tags them all, U marks them unread, X unmarks",
                thousands(n)
            ));
        }
    }

    pub(super) fn clear_marks(&mut self) {
        let n = self.marks.len();
        self.marks.clear();
        self.mark_anchor = None;
        self.info(&format!("{} marks taken off", thousands(n)));
    }

    /// A tag key with documents marked: the tag goes on every marked
    /// document, or, if all of them carry it already, off all of them.
    pub(super) fn tag_marked(&mut self, tag: TagId) {
        let docs: Vec<DocId> = self.marks.iter().copied().collect();
        let on = !docs.iter().all(|&d| self.ws.has_tag(d, tag));
        let mut changed = Vec::new();
        for &d in &docs {
            match self.ws.set_tag(d, tag, on) {
                Ok(true) => changed.push(d),
                Ok(false) => {}
                Err(e) => {
                    self.error(&format!("tag not saved: {e}"));
                    break;
                }
            }
        }
        let n = changed.len();
        self.record(Change::Tag {
            tag,
            docs: changed,
            on,
        });
        self.after_user_data_change();
        let name = self.tag_label(tag);
        if self.status.is_none() {
            self.info(&format!(
                "{} {name} on {} marked documents ({} changed); u undoes",
                if on { "put" } else { "took" },
                thousands(docs.len()),
                thousands(n)
            ));
        }
    }

    /// Keep `change` for `u` (the oldest go past [`UNDO_DEPTH`]).
    pub(super) fn record(&mut self, change: Change) {
        let empty = match &change {
            Change::Tag { docs, .. } | Change::Read { docs, .. } => docs.is_empty(),
            Change::Note { .. } => false,
        };
        if empty {
            return;
        }
        if self.undo.len() >= UNDO_DEPTH {
            self.undo.remove(0);
        }
        self.undo.push(change);
    }

    /// Counts, saved-search counts and the preview follow user data.
    pub(super) fn after_user_data_change(&mut self) {
        self.tag_counts = self.ws.tag_counts();
        self.want_recount(Recount::UserState);
        self.load_preview();
    }

    fn tag_label(&self, tag: TagId) -> String {
        self.ws
            .tags
            .iter()
            .find(|t| t.id == tag)
            .map_or_else(|| "tag".to_string(), |t| t.name.clone())
    }

    fn toggle_read(&mut self) {
        let docs = self.targets();
        if docs.is_empty() {
            return;
        }
        // All read: unread them; otherwise read them all.
        let read = !docs.iter().all(|&d| self.ws.read[d]);
        let mut changed = Vec::new();
        for &d in &docs {
            if self.ws.read[d] == read {
                continue;
            }
            let result = if read {
                self.ws.mark_read(d)
            } else {
                self.ws.mark_unread(d)
            };
            match result {
                Ok(()) => changed.push(d),
                Err(e) => {
                    self.error(&format!("read mark not saved: {e}"));
                    break;
                }
            }
        }
        let n = changed.len();
        self.record(Change::Read {
            docs: changed,
            read,
        });
        self.after_user_data_change();
        if self.status.is_none() {
            let word = if read { "read" } else { "unread" };
            self.info(&format!("{} marked {word}; u undoes", thousands(n)));
        }
    }

    fn undo_last(&mut self) {
        let Some(change) = self.undo.pop() else {
            self.info("nothing to undo");
            return;
        };
        let result = match &change {
            Change::Tag { tag, docs, on } => docs
                .iter()
                .try_for_each(|&d| self.ws.set_tag(d, *tag, !on).map(|_| ())),
            Change::Read { docs, read } => docs.iter().try_for_each(|&d| {
                if *read {
                    self.ws.mark_unread(d)
                } else {
                    self.ws.mark_read(d)
                }
            }),
            Change::Note { doc, before } => self
                .ws
                .set_note(*doc, before.as_deref().unwrap_or_default()),
        };
        if let Err(e) = result {
            self.undo.push(change);
            self.error(&format!("not undone: {e}"));
            return;
        }
        self.after_user_data_change();
        let what = match &change {
            Change::Tag { tag, docs, on } => format!(
                "{} {} {} documents",
                if *on { "took" } else { "put back" },
                self.tag_label(*tag),
                thousands(docs.len())
            ),
            Change::Read { docs, read } => format!(
                "{} documents {} again",
                thousands(docs.len()),
                if *read { "unread" } else { "read" }
            ),
            Change::Note { .. } => "the note is as it was".to_string(),
        };
        self.info(&format!(
            "undone: {what} ({} more to undo)",
            self.undo.len()
        ));
    }

    /// Go to the next document after the cursor (in the list on screen,
    /// wrapping around) for which `wanted` holds.
    fn next_matching(&mut self, what: &str, wanted: impl Fn(&App, DocId) -> bool) {
        let found = if let Some(results) = &self.results {
            let n = results.rows.len();
            (1..=n)
                .map(|i| (results.cursor + i) % n.max(1))
                .find(|&i| results.rows[i].doc.is_some_and(|d| wanted(self, d)))
                .map(|i| (i, results.rows[i].doc))
        } else {
            let n = self.ws.tree.nodes.len();
            let from = self.cursor as usize;
            (1..=n)
                .map(|i| (from + i) % n.max(1))
                .find_map(|i| match self.ws.tree.nodes[i].entry {
                    Entry::Doc(d) if wanted(self, d) => Some((i, Some(d))),
                    _ => None,
                })
        };
        match found {
            Some((row, doc)) if self.results.is_some() => {
                let height = self.tree_height();
                if let Some(r) = &mut self.results {
                    r.move_to(row, height);
                }
                let _ = doc;
                self.on_selection_changed();
            }
            Some((_, Some(doc))) => self.go_to_doc(doc),
            _ => self.info(&format!("no {what} document left here")),
        }
    }

    /// Show the documents matching `query`; if they are on screen already,
    /// back to everything.
    fn toggle_filter(&mut self, query: String) {
        if self.results.as_ref().is_some_and(|r| r.query == query) {
            self.clear_search();
            self.info("filter off: every document");
        } else {
            self.submit_search(query);
        }
    }

    fn filter_tag(&mut self) {
        let Some(tag) = self.ws.tags.get(self.tag_cursor) else {
            self.info("l shows a tag's documents: move to a tag in the side panel");
            return;
        };
        let name = tag.name.replace('\\', "\\\\").replace('"', "\\\"");
        self.toggle_filter(format!("tag:\"{name}\""));
    }
}
