//! Documents as files: going to another copy of the same content, saving
//! a copy out of the dump (asking before a file there is replaced), handing
//! a copy to a viewer. The file work itself
//! is in [`crate::save`].

use std::collections::HashSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use super::app::{App, View};
use super::prompt::Prompt;
use crate::browse::FlatTree;
use crate::model::DocId;
use crate::save::{self, IfTaken, Plan, Viewer};

/// Where `s` offers to save, unless the user types another folder.
const EXPORT_DIR_ENV: &str = "TRAWL_EXPORT_DIR";

impl App {
    /// Select the next copy (same SHA-256) of the selected document.
    pub(super) fn next_copy(&mut self) {
        let Some(doc) = self.selected_doc() else {
            return;
        };
        let copies = self.ws.copies_of(doc);
        let Some(at) = copies.iter().position(|&c| c == doc) else {
            self.info("this content is in the dump only once");
            return;
        };
        let next = copies[(at + 1) % copies.len()];
        let n = copies.len();
        let shown = self
            .results
            .as_ref()
            .is_some_and(|r| r.position_of(next).is_some());
        if shown {
            let height = self.tree_height();
            if let Some(r) = &mut self.results {
                r.select(Some(next), height);
            }
        } else {
            // Not among the search results: back to the tree, on it.
            self.results = None;
            self.quick = None;
            self.highlight.clear();
            self.select_doc(next);
        }
        self.on_selection_changed();
        self.info(&format!("copy {} of {n}", (at + 1) % n + 1));
    }

    pub(super) fn start_saving_document(&mut self) {
        if self.selected_doc().is_none() {
            self.info("select a document or attachment to save it");
            return;
        }
        let dir = std::env::var_os(EXPORT_DIR_ENV)
            .filter(|d| !d.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default();
        self.ask(Prompt::SaveTo, dir.to_string_lossy().into_owned());
    }

    /// The folder is given: save under the document's safe name when it is
    /// free, say so when the same bytes are there already, else ask
    /// ([`Prompt::SaveClash`]) whether to keep both or overwrite.
    pub(super) fn save_document(&mut self, dir: &str) {
        let Some(doc) = self.selected_doc() else {
            return;
        };
        let dir = PathBuf::from(dir.trim());
        if !dir.is_dir() {
            self.error(&format!("not saved: {} is not a folder", dir.display()));
            return;
        }
        let Some(bytes) = self.document_bytes(doc) else {
            return;
        };
        let name = save::suggested_name(self.ws.doc(doc));
        match save::plan(&dir, &name, &bytes) {
            Ok(Plan::Free(_)) => self.write_copy(&dir, &name, &bytes, IfTaken::KeepBoth),
            Ok(Plan::Same(path)) => {
                self.info(&format!("already saved (same content): {}", path.display()));
            }
            Ok(Plan::Taken {
                next_free,
                replaceable,
                ..
            }) => {
                let next_free = next_free
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let kind = Prompt::SaveClash {
                    doc,
                    dir,
                    name,
                    next_free,
                    replaceable,
                };
                self.ask(kind, String::new());
            }
            Err(e) => self.error(&format!("not saved: {e}")),
        }
    }

    /// The answer to [`Prompt::SaveClash`]: `o` overwrites, anything else
    /// (`k`, Enter) keeps both.
    pub(super) fn answer_save_clash(&mut self, doc: DocId, dir: &Path, name: &str, answer: &str) {
        let if_taken = if answer == "o" {
            IfTaken::Overwrite
        } else {
            IfTaken::KeepBoth
        };
        if let Some(bytes) = self.document_bytes(doc) {
            self.write_copy(dir, name, &bytes, if_taken);
        }
    }

    /// The bytes of `doc` (a part: just its own), or `None` with the error
    /// on the status line.
    fn document_bytes(&mut self, doc: DocId) -> Option<Vec<u8>> {
        match crate::ingest::read_document(&self.ws.scan.root, &self.ws.doc(doc).location) {
            Ok(bytes) => Some(bytes),
            Err(e) => {
                self.error(&format!("not saved: cannot read the document: {e}"));
                None
            }
        }
    }

    fn write_copy(&mut self, dir: &Path, name: &str, bytes: &[u8], if_taken: IfTaken) {
        match save::save_as(dir, name, bytes, if_taken) {
            Ok(path) if if_taken == IfTaken::Overwrite => {
                self.info(&format!("overwrote {}", path.display()));
            }
            Ok(path) => self.info(&format!("saved {}", path.display())),
            Err(e) => self.error(&format!("not saved: {e}")),
        }
    }

    /// Write a copy of the selected document to a private folder and show
    /// it: a window opener is started and left running; a pager gets the
    /// terminal (the event loop runs it, see [`App::in_terminal`]).
    pub(super) fn open_document(&mut self) {
        let Some(doc) = self.selected_doc() else {
            return;
        };
        let d = self.ws.doc(doc);
        // What a pager can show: mail, plain text, and text tables / HTML.
        let is_text = d.is_rfc822()
            || crate::preview::shown_as_read(d.file_type())
            || matches!(d.file_type(), "csv" | "tsv" | "html");
        let Some(viewer) = save::choose_viewer(|k| std::env::var_os(k), is_text) else {
            self.info("no viewer: set TRAWL_OPENER, or save it (s) and copy it out");
            return;
        };
        let copy = save::viewer_dir()
            .and_then(|dir| save::save_document(&self.ws.scan.root, &self.ws.scan.docs, doc, &dir));
        let path = match copy {
            Ok(p) => p,
            Err(e) => {
                self.error(&format!("cannot open: {e}"));
                return;
            }
        };
        let mut cmd = viewer.command(&path);
        match viewer {
            Viewer::InTerminal(_) => self.in_terminal = Some(cmd),
            Viewer::Detached(argv) => {
                let started = cmd
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn();
                let program = argv.first().cloned().unwrap_or_else(OsString::new);
                match started {
                    Ok(_) => self.info(&format!("opened with {}", program.to_string_lossy())),
                    Err(e) => {
                        self.error(&format!("cannot start {}: {e}", program.to_string_lossy()));
                    }
                }
            }
        }
    }

    /// Switch the tree pane between conversations and folders, on the same
    /// document; each layout keeps its own folds.
    pub(super) fn toggle_view(&mut self) {
        if self.results.is_some() {
            self.clear_search();
        }
        let doc = self.selected_doc();
        let (tree, folded) = self.other_tree.take().unwrap_or_else(|| {
            let docs = &self.ws.scan.docs;
            let tree = match self.view {
                View::Threads => crate::folders::build(docs),
                View::Folders => FlatTree::build(docs),
            };
            (tree, HashSet::new())
        });
        let shown = std::mem::replace(&mut self.ws.tree, tree);
        let folds = std::mem::replace(&mut self.folded, folded);
        self.other_tree = Some((shown, folds));
        self.view = match self.view {
            View::Threads => View::Folders,
            View::Folders => View::Threads,
        };
        self.rank_mail();
        match doc {
            Some(d) => self.select_doc(d),
            None => self.cursor = 0,
        }
        self.on_selection_changed();
    }
}
