//! A dump opened as a project: the documents, their thread tree, and the
//! user's tags and read marks attached to them.
//!
//! User data is stored by stable identity (content hash, Message-ID) and
//! attached to this scan's documents here: by hash first, and by Message-ID
//! when the bytes changed (a re-exported mailbox, a fixed header). Every
//! method that changes user data writes it to the store before changing
//! memory, so what the screen shows is always what is on disk.

use std::collections::HashMap;
use std::path::Path;

use crate::browse::FlatTree;
use crate::index::catalog;
use crate::ingest::{self, Scan, ScanError};
use crate::model::{DocId, Document, Sha256};
use crate::project::{Note, Project, ProjectError, StoreError, Tag, TagId};
use crate::relink::Relinks;

mod notes;
mod relinked;

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Scan(#[from] ScanError),
    #[error(transparent)]
    Project(#[from] ProjectError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}: no documents found (the folder is empty)")]
    Empty(std::path::PathBuf),
}

/// UI key under which the selected document's hash is kept.
const SELECTED_KEY: &str = "selected";

pub struct Workspace {
    pub project: Project,
    pub scan: Scan,
    pub tree: FlatTree,
    pub tags: Vec<Tag>,
    /// Tags of the documents that have any (most have none: sparse).
    doc_tags: HashMap<DocId, Vec<TagId>>,
    pub read: Vec<bool>,
    /// How many of `read` are true (the progress line asks every frame).
    read_count: usize,
    /// Notes of the documents that have any, by author.
    notes: HashMap<DocId, Vec<Note>>,
    /// Who writes the notes taken here (see [`crate::project::author`]).
    pub author: String,
    mail_count: usize,
    /// Documents whose content is in the dump more than once.
    copies: Copies,
    /// Messages the user threaded by hand.
    relinks: Relinks,
}

/// Groups of documents with the same SHA-256 (the same message in two
/// mailboxes, one PDF attached to three e-mails). User data is keyed by
/// content, so tags and read marks belong to every copy at once. Only the
/// groups are kept (copies are few; memory does not grow with the dump).
#[derive(Debug, Default)]
pub struct Copies {
    group_of: HashMap<DocId, u32>,
    groups: Vec<Vec<DocId>>,
}

impl Copies {
    pub fn new(docs: &[Document]) -> Copies {
        // The first 4 bytes of each hash with the document: 8 bytes per
        // document while sorting (this runs as the browser opens, when
        // memory peaks); equal prefixes are then compared in full.
        let mut keys: Vec<(u32, u32)> = docs
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let mut k = [0u8; 4];
                k.copy_from_slice(&d.hash.0[..4]);
                (u32::from_be_bytes(k), u32::try_from(i).unwrap_or(u32::MAX))
            })
            .collect();
        keys.sort_unstable();
        let mut copies = Copies::default();
        for run in keys.chunk_by(|a, b| a.0 == b.0).filter(|r| r.len() > 1) {
            let mut ids: Vec<DocId> = run.iter().map(|&(_, i)| i as usize).collect();
            ids.sort_by_key(|&i| docs[i].hash);
            for group in ids.chunk_by(|&a, &b| docs[a].hash == docs[b].hash) {
                if group.len() < 2 {
                    continue;
                }
                let mut group = group.to_vec();
                group.sort_unstable();
                let g = u32::try_from(copies.groups.len()).unwrap_or(u32::MAX);
                for &d in &group {
                    copies.group_of.insert(d, g);
                }
                copies.groups.push(group);
            }
        }
        copies
    }

    /// Every copy of `doc`'s content, itself included, in dump order (empty
    /// when it is the only one).
    pub fn of(&self, doc: DocId) -> &[DocId] {
        self.group_of
            .get(&doc)
            .and_then(|&g| self.groups.get(g as usize))
            .map_or(&[], Vec::as_slice)
    }

    /// Number of groups of copies.
    pub fn groups(&self) -> usize {
        self.groups.len()
    }
}

impl Workspace {
    /// Scan the dump at `root` and attach the project's user data, kept in
    /// the default data directory.
    pub fn open(root: &Path) -> Result<Workspace, OpenError> {
        Self::open_in(root, &crate::project::data_dir()?)
    }

    /// Same, with the project kept under `data_dir`. Brings the catalog up
    /// to date first (parsing only what changed since the last open).
    pub fn open_in(root: &Path, data_dir: &Path) -> Result<Workspace, OpenError> {
        let project = Self::project_for(root, data_dir)?;
        let outcome = catalog::update(root, &project.dir, &|_| {})?;
        if outcome.scan.docs.is_empty() && outcome.scan.problems.is_empty() {
            return Err(OpenError::Empty(root.to_path_buf()));
        }
        Self::from_parts(project, outcome.scan, outcome.tree)
    }

    /// Check the dump folder and open its project (refusing an empty dump
    /// before anything is created).
    pub fn project_for(root: &Path, data_dir: &Path) -> Result<Project, OpenError> {
        ingest::check_root(root)?;
        let empty = std::fs::read_dir(root).is_ok_and(|mut d| d.next().is_none());
        if empty {
            return Err(OpenError::Empty(root.to_path_buf()));
        }
        Ok(Project::open_in(root, data_dir)?)
    }

    /// A workspace over documents and a tree that belong together.
    pub fn from_parts(
        project: Project,
        scan: Scan,
        tree: FlatTree,
    ) -> Result<Workspace, OpenError> {
        let mut ws = Workspace {
            tags: project.store.tags()?,
            doc_tags: HashMap::new(),
            read: vec![false; scan.docs.len()],
            read_count: 0,
            notes: HashMap::new(),
            author: crate::project::author(),
            mail_count: scan.mail_count(),
            copies: Copies::new(&scan.docs),
            relinks: Relinks::default(),
            project,
            scan,
            tree,
        };
        ws.attach_user_data()?;
        ws.rethread(false)?;
        Ok(ws)
    }

    /// Swap in a newer index of the same dump (after a background update);
    /// user data is attached again by identity.
    pub fn replace_documents(&mut self, scan: Scan, tree: FlatTree) -> Result<(), StoreError> {
        self.doc_tags = HashMap::new();
        self.notes = HashMap::new();
        self.mail_count = scan.mail_count();
        self.read = vec![false; scan.docs.len()];
        self.copies = Copies::new(&scan.docs);
        self.scan = scan;
        self.tree = tree;
        self.attach_user_data()?;
        self.rethread(false).map(|_| ())
    }

    fn attach_user_data(&mut self) -> Result<(), StoreError> {
        // Hashes a new version of trawl changed: their data moves along
        // first (applying twice changes nothing, so the file goes last). A
        // store that cannot be written now keeps the file for next time.
        let pending = catalog::carry::pending(&self.project.dir);
        if !pending.is_empty() && self.project.store.carry_over(&pending).is_ok() {
            let _ = catalog::carry::done(&self.project.dir);
        }
        let assignments = self.project.store.assignments()?;
        let marks = self.project.store.read_marks()?;
        let notes = self.project.store.notes()?;
        let keys: Vec<(Sha256, Option<&str>)> = assignments
            .iter()
            .map(|a| (a.doc_hash, a.message_id.as_deref()))
            .chain(marks.iter().map(|m| (m.doc_hash, m.message_id.as_deref())))
            .chain(notes.iter().map(|n| (n.doc_hash, n.message_id.as_deref())))
            .collect();
        let found = match_identities(&self.scan.docs, &keys);
        for (a, docs) in assignments.iter().zip(&found) {
            for &doc in docs {
                let tags = self.doc_tags.entry(doc).or_default();
                if !tags.contains(&a.tag) {
                    tags.push(a.tag);
                }
            }
        }
        let (marks_found, notes_found) = found[assignments.len()..].split_at(marks.len());
        for docs in marks_found {
            for &doc in docs {
                self.read[doc] = true;
            }
        }
        self.read_count = self.read.iter().filter(|&&r| r).count();
        for (note, docs) in notes.iter().zip(notes_found) {
            for &doc in docs {
                let list = self.notes.entry(doc).or_default();
                // By hash first: a note matched by Message-ID only does not
                // replace the same author's note on this very content.
                if !list.iter().any(|n| n.author == note.author) {
                    list.push(note.clone());
                } else if note.doc_hash == self.scan.docs[doc].hash {
                    list.retain(|n| n.author != note.author);
                    list.push(note.clone());
                }
            }
        }
        Ok(())
    }

    pub fn doc(&self, id: DocId) -> &Document {
        &self.scan.docs[id]
    }

    /// How many documents are e-mails (counted once per document list: the
    /// status line asks on every frame).
    pub fn mail_count(&self) -> usize {
        self.mail_count
    }

    /// The documents and the user's state, as a search reads them.
    pub fn corpus(&self) -> crate::search::eval::Corpus<'_> {
        crate::search::eval::Corpus {
            docs: &self.scan.docs,
            tags: &self.tags,
            doc_tags: &self.doc_tags,
            read: &self.read,
            notes: &self.notes,
        }
    }

    /// A copy of the user's tags and read marks, for a search on another
    /// thread.
    pub fn user_state(&self) -> crate::search::eval::UserState {
        crate::search::eval::UserState {
            tags: self.tags.clone(),
            doc_tags: self.doc_tags.clone(),
            read: self.read.clone(),
            notes: self.notes.clone(),
        }
    }

    /// Review progress: documents read, documents carrying a tag.
    pub fn review_counts(&self) -> (usize, usize) {
        (self.read_count, self.doc_tags.len())
    }

    pub fn has_tag(&self, doc: DocId, tag: TagId) -> bool {
        self.tags_of(doc).contains(&tag)
    }

    /// The tags on a document.
    pub fn tags_of(&self, doc: DocId) -> &[TagId] {
        self.doc_tags.get(&doc).map_or(&[], Vec::as_slice)
    }

    /// Every copy of `doc`'s content (see [`Copies`]), itself included.
    pub fn copies_of(&self, doc: DocId) -> &[DocId] {
        self.copies.of(doc)
    }

    /// Number of contents found more than once in the dump.
    pub fn copy_groups(&self) -> usize {
        self.copies.groups()
    }

    /// `doc` and its copies: what a change of user data applies to.
    fn same_content(&self, doc: DocId) -> Vec<DocId> {
        match self.copies.of(doc) {
            [] => vec![doc],
            all => all.to_vec(),
        }
    }

    /// Put the tag on the document, or take it off; returns the new state.
    /// The tag is stored by content, so it goes on every copy at once.
    pub fn toggle_tag(&mut self, doc: DocId, tag: TagId) -> Result<bool, StoreError> {
        let on = !self.has_tag(doc, tag);
        let d = &self.scan.docs[doc];
        self.project
            .store
            .set_tag(tag, &d.hash, d.message_id(), on)?;
        for copy in self.same_content(doc) {
            let tags = self.doc_tags.entry(copy).or_default();
            tags.retain(|&t| t != tag);
            if on {
                tags.push(tag);
            } else if tags.is_empty() {
                self.doc_tags.remove(&copy);
            }
        }
        Ok(on)
    }

    /// Put the tag on the document (`on`) or take it off, and on its
    /// copies; returns whether anything changed.
    pub fn set_tag(&mut self, doc: DocId, tag: TagId, on: bool) -> Result<bool, StoreError> {
        if self.has_tag(doc, tag) == on {
            return Ok(false);
        }
        self.toggle_tag(doc, tag).map(|_| true)
    }

    /// Mark the document unread again (and its copies).
    pub fn mark_unread(&mut self, doc: DocId) -> Result<(), StoreError> {
        if !self.read[doc] {
            return Ok(());
        }
        let d = &self.scan.docs[doc];
        self.project.store.unmark_read(&d.hash, d.message_id())?;
        for copy in self.same_content(doc) {
            if self.read[copy] {
                self.read[copy] = false;
                self.read_count -= 1;
            }
        }
        Ok(())
    }

    /// Mark the document read (and its copies: read marks are stored by
    /// content too).
    pub fn mark_read(&mut self, doc: DocId) -> Result<(), StoreError> {
        if self.read[doc] {
            return Ok(());
        }
        let d = &self.scan.docs[doc];
        self.project.store.mark_read(&d.hash, d.message_id())?;
        for copy in self.same_content(doc) {
            if !self.read[copy] {
                self.read[copy] = true;
                self.read_count += 1;
            }
        }
        Ok(())
    }

    pub fn create_tag(&mut self, name: &str) -> Result<Tag, StoreError> {
        let tag = self.project.store.create_tag(name)?;
        self.tags.push(tag.clone());
        Ok(tag)
    }

    pub fn rename_tag(&mut self, id: TagId, name: &str) -> Result<(), StoreError> {
        self.project.store.rename_tag(id, name)?;
        if let Some(t) = self.tags.iter_mut().find(|t| t.id == id) {
            t.name = name.trim().to_string();
        }
        Ok(())
    }

    /// Delete the tag and take it off every document; returns how many
    /// stored contents carried it.
    pub fn delete_tag(&mut self, id: TagId) -> Result<usize, StoreError> {
        let removed = self.project.store.delete_tag(id)?;
        self.tags.retain(|t| t.id != id);
        self.doc_tags.retain(|_, tags| {
            tags.retain(|&t| t != id);
            !tags.is_empty()
        });
        Ok(removed)
    }

    pub fn tag_by_hotkey(&self, key: char) -> Option<&Tag> {
        self.tags.iter().find(|t| t.hotkey == Some(key))
    }

    /// Documents carrying each tag, in `self.tags` order.
    pub fn tag_counts(&self) -> Vec<usize> {
        let mut counts: HashMap<TagId, usize> = HashMap::new();
        for tags in self.doc_tags.values() {
            for t in tags {
                *counts.entry(*t).or_default() += 1;
            }
        }
        self.tags
            .iter()
            .map(|t| counts.get(&t.id).copied().unwrap_or(0))
            .collect()
    }

    pub fn save_selection(&self, doc: DocId) -> Result<(), StoreError> {
        self.project
            .store
            .set_ui_value(SELECTED_KEY, &self.scan.docs[doc].hash.to_string())
    }

    /// The document selected when the project was last closed, if it is
    /// still in the dump.
    pub fn saved_selection(&self) -> Result<Option<DocId>, StoreError> {
        let Some(hash) = self.project.store.ui_value(SELECTED_KEY)? else {
            return Ok(None);
        };
        let Some(hash) = Sha256::from_hex(&hash) else {
            return Ok(None);
        };
        Ok(self.scan.docs.iter().position(|d| d.hash == hash))
    }
}

/// For each stored identity `(hash, Message-ID)`, the documents of this
/// scan it designates: those with the same content hash or, when none has
/// it (the bytes changed), those with the same Message-ID.
///
/// The maps are built over the stored identities (the user's data, small),
/// and the documents are walked once, so memory does not grow with the dump.
pub(crate) fn match_identities(
    docs: &[Document],
    keys: &[(Sha256, Option<&str>)],
) -> Vec<Vec<DocId>> {
    let mut found: Vec<Vec<DocId>> = vec![Vec::new(); keys.len()];
    let mut by_hash: HashMap<Sha256, Vec<usize>> = HashMap::new();
    for (k, (hash, _)) in keys.iter().enumerate() {
        by_hash.entry(*hash).or_default().push(k);
    }
    for (doc, d) in docs.iter().enumerate() {
        for &k in by_hash.get(&d.hash).map_or(&[][..], Vec::as_slice) {
            found[k].push(doc);
        }
    }
    let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
    for (k, (_, id)) in keys.iter().enumerate() {
        if let (true, Some(id)) = (found[k].is_empty(), id) {
            by_id.entry(id).or_default().push(k);
        }
    }
    if !by_id.is_empty() {
        for (doc, d) in docs.iter().enumerate() {
            let Some(id) = d.message_id() else {
                continue;
            };
            for &k in by_id.get(id).map_or(&[][..], Vec::as_slice) {
                found[k].push(doc);
            }
        }
    }
    found
}
