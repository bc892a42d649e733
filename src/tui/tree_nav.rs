//! Moving through the thread tree without materialising its rows: the
//! cursor and the first drawn row are nodes of the flat tree, and every
//! move, fold or page walks at most a screenful of rows. The cost of a
//! keystroke does not grow with the dump.

use super::app::{App, Focus};
use crate::browse::Entry;
use crate::model::DocId;

impl App {
    pub fn selected_node(&self) -> Option<u32> {
        (!self.ws.tree.nodes.is_empty()).then_some(self.cursor)
    }

    pub fn selected_doc(&self) -> Option<DocId> {
        if let Some(results) = &self.results {
            return results.selected();
        }
        match self
            .ws
            .tree
            .nodes
            .get(self.selected_node()? as usize)?
            .entry
        {
            Entry::Doc(d) => Some(d),
            _ => None,
        }
    }

    /// Rows the tree pane shows (inside its border).
    pub fn tree_height(&self) -> usize {
        self.pane_area(Focus::Tree).height.saturating_sub(2).max(1) as usize
    }

    /// The rows on screen, top to bottom.
    pub fn visible_rows(&self) -> Vec<u32> {
        let mut rows = Vec::with_capacity(self.tree_height());
        let mut row = self.selected_node().map(|_| self.top);
        while let Some(r) = row {
            if rows.len() >= self.tree_height() {
                break;
            }
            rows.push(r);
            row = self.ws.tree.next_visible(r, &self.folded);
        }
        rows
    }

    pub(super) fn move_down(&mut self, rows: usize) {
        let mut target = self.cursor;
        for _ in 0..rows {
            match self.ws.tree.next_visible(target, &self.folded) {
                Some(n) => target = n,
                None => break,
            }
        }
        self.move_to(target);
    }

    pub(super) fn move_up(&mut self, rows: usize) {
        let mut target = self.cursor;
        for _ in 0..rows {
            match self.ws.tree.prev_visible(target, &self.folded) {
                Some(p) => target = p,
                None => break,
            }
        }
        self.move_to(target);
    }

    /// Select visible row `node`.
    pub(super) fn move_to(&mut self, node: u32) {
        if self.selected_node().is_some() && node != self.cursor {
            self.cursor = node;
            self.on_selection_changed();
        }
    }

    pub(super) fn on_selection_changed(&mut self) {
        self.scroll_tree_to_cursor();
        self.load_preview();
        if let Some(doc) = self.selected_doc() {
            if self.ws.read[doc] {
                return;
            }
            if let Err(e) = self.ws.mark_read(doc) {
                self.error(&format!("could not save the read mark: {e}"));
            }
            self.want_recount(super::app::Recount::UserState);
        }
    }

    /// Keep the cursor on screen, walking at most a screenful of rows.
    pub(super) fn scroll_tree_to_cursor(&mut self) {
        if self.selected_node().is_none() {
            return;
        }
        let tree = &self.ws.tree;
        self.top = tree.visible_ancestor(self.top, &self.folded);
        if self.cursor < self.top {
            self.top = self.cursor;
            return;
        }
        let h = self.tree_height();
        let mut row = self.top;
        for _ in 1..h {
            if row == self.cursor {
                return;
            }
            match tree.next_visible(row, &self.folded) {
                Some(n) => row = n,
                None => return,
            }
        }
        if row == self.cursor {
            return;
        }
        // The cursor is below the window: make it the last row shown.
        let mut top = self.cursor;
        for _ in 1..h {
            match tree.prev_visible(top, &self.folded) {
                Some(p) => top = p,
                None => break,
            }
        }
        self.top = top;
    }

    /// Fold or unfold below the selected row; on a row with no replies,
    /// fold the whole thread it belongs to and move to the thread's top.
    pub(super) fn toggle_fold(&mut self) {
        let Some(selected) = self.selected_node() else {
            return;
        };
        let tree = &self.ws.tree;
        let node = if tree.nodes[selected as usize].has_children(selected) {
            selected
        } else {
            tree.nodes[selected as usize].thread
        };
        if !tree.nodes[node as usize].has_children(node) {
            return;
        }
        if !self.folded.remove(&node) {
            self.folded.insert(node);
        }
        if node == selected {
            self.scroll_tree_to_cursor();
        } else {
            self.cursor = node;
            self.on_selection_changed();
        }
    }

    /// Select `doc` and show it, as if the user had moved there.
    pub fn go_to_doc(&mut self, doc: DocId) {
        self.select_doc(doc);
        self.on_selection_changed();
    }

    /// Move the cursor to `doc`, unfolding whatever hides it.
    pub(super) fn select_doc(&mut self, doc: DocId) {
        if let Some(&node) = self.ws.tree.doc_node.get(doc) {
            self.select_node(node);
        }
    }

    /// Move the cursor to `node`, unfolding whatever hides it.
    pub(super) fn select_node(&mut self, node: u32) {
        let mut cur = self.ws.tree.nodes[node as usize].parent;
        while let Some(p) = cur {
            self.folded.remove(&p);
            cur = self.ws.tree.nodes[p as usize].parent;
        }
        self.cursor = node;
        self.scroll_tree_to_cursor();
    }
}
