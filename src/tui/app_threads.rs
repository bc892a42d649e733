//! Threads corrected by hand in the browser: `L` on a message, then `L` on
//! the message it replies to, hangs it there; `B` splits a message off into
//! a thread of its own, or puts back one moved by hand. Kept in the
//! project like tags.

use std::collections::HashSet;

use super::action::Action;
use super::app::{App, Mode, View};
use super::view;
use crate::browse::Entry;
use crate::model::DocId;
use crate::project::StoreError;
use crate::workspace::Workspace;

impl App {
    /// The selected e-mail that can be threaded, or why not (told).
    fn threadable(&mut self) -> Option<DocId> {
        if self.view != View::Threads {
            self.info("threads are changed in the conversation view: press v");
            return None;
        }
        let Some(doc) = self.selected_doc() else {
            self.info("select an e-mail");
            return None;
        };
        let d = self.ws.doc(doc);
        if !d.is_mail() || d.is_part() {
            self.info("only e-mails are threaded: an attachment stays with its e-mail");
            return None;
        }
        Some(doc)
    }

    /// `L`: remember the message to move; the second `L`, on another
    /// message, hangs it there.
    pub(super) fn link_thread(&mut self) {
        let Some(doc) = self.threadable() else {
            return;
        };
        let Some(child) = self.linking.take() else {
            self.linking = Some(doc);
            return;
        };
        if child == doc {
            self.info("linking cancelled");
            return;
        }
        let tree = &self.ws.tree;
        let (c, p) = (tree.doc_node[child], tree.doc_node[doc]);
        if c < p && p < tree.nodes[c as usize].end {
            self.linking = Some(child);
            self.error("that message is a reply below the one being moved: choose another parent (Esc cancels)");
            return;
        }
        self.rethread(
            child,
            "moved under the selected message; B puts it back",
            |ws| ws.thread_by_hand(child, Some(doc)),
        );
    }

    /// `B`: put back a message moved by hand, or split one off.
    pub(super) fn break_thread(&mut self) {
        self.linking = None;
        let Some(doc) = self.threadable() else {
            return;
        };
        if self.ws.moved_by_hand(doc) {
            self.rethread(doc, "threaded by its headers again", |ws| {
                ws.unthread_by_hand(doc)
            });
        } else {
            self.rethread(
                doc,
                "split off into a thread of its own; B puts it back",
                |ws| ws.thread_by_hand(doc, None),
            );
        }
    }

    /// Esc while linking: forget the message to move. `false` if there
    /// was none.
    pub(super) fn cancel_linking(&mut self) -> bool {
        if self.linking.take().is_none() {
            return false;
        }
        self.info("linking cancelled");
        true
    }

    /// Make `change` (which threads the workspace again) and show the new
    /// tree on `doc`, with the same messages folded.
    fn rethread(
        &mut self,
        doc: DocId,
        done: &str,
        change: impl FnOnce(&mut Workspace) -> Result<bool, StoreError>,
    ) {
        let folded: HashSet<DocId> = self
            .folded
            .iter()
            .filter_map(
                |&n| match self.ws.tree.nodes.get(n as usize).map(|n| &n.entry) {
                    Some(Entry::Doc(d)) => Some(*d),
                    _ => None,
                },
            )
            .collect();
        match change(&mut self.ws) {
            Ok(true) => {}
            Ok(false) => {
                self.info("kept; the tree shows it once indexing is done");
                return;
            }
            Err(e) => {
                self.error(&format!("thread not changed: {e}"));
                return;
            }
        }
        self.folded = folded
            .iter()
            .filter_map(|&d| self.ws.tree.doc_node.get(d).copied())
            .collect();
        self.rank_mail();
        if let Some(results) = &mut self.results {
            let (sort, shape) = (results.sort, results.shape);
            results.arrange(sort, shape, &self.ws.tree, &self.ws.scan.docs);
        }
        self.select_doc(doc);
        self.on_selection_changed();
        self.info(done);
    }

    /// `M`: the list of messages replied to but not in the dump.
    pub(super) fn open_gaps(&mut self) {
        let list = crate::gaps::gaps(&self.ws);
        if list.is_empty() {
            self.info("no message is missing: every message replied to is in the dump");
            return;
        }
        self.mode = Mode::Gaps { list, cursor: 0 };
    }

    /// Keys while the list is open; `false` for actions it leaves to
    /// [`App::update`] (a resize, background reports).
    pub(super) fn update_gaps(&mut self, action: &Action) -> bool {
        let page = view::list::rows_shown(self.area()).max(1);
        let Mode::Gaps { list, cursor } = &mut self.mode else {
            return false;
        };
        let last = list.len().saturating_sub(1);
        match action {
            Action::Down => *cursor = (*cursor + 1).min(last),
            Action::Up => *cursor = cursor.saturating_sub(1),
            Action::PageDown => *cursor = (*cursor + page).min(last),
            Action::PageUp => *cursor = cursor.saturating_sub(page),
            Action::Gaps | Action::PromptCancel | Action::Quit => self.mode = Mode::Normal,
            Action::GoTo => {
                let id = list.get(*cursor).map(|g| g.message_id.clone());
                self.mode = Mode::Normal;
                if let Some(id) = id {
                    self.go_to_missing(&id);
                }
            }
            _ => return false,
        }
        true
    }

    /// Select the tree's placeholder for the missing message `id`.
    fn go_to_missing(&mut self, id: &str) {
        if self.results.is_some() {
            self.clear_search();
        }
        if self.view != View::Threads {
            self.toggle_view();
        }
        let node = self
            .ws
            .tree
            .nodes
            .iter()
            .position(|n| matches!(&n.entry, Entry::Missing(m) if m == id));
        if let Some(node) = node {
            self.select_node(node as u32);
            self.on_selection_changed();
        }
    }
}
