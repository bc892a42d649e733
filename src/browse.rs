//! The thread forest flattened into display order, with folding.
//!
//! Nodes are stored in depth-first preorder; each knows where its subtree
//! ends, so folding a thread skips it in O(1) and the visible row list is
//! rebuilt without touching documents. Mail threads come first (newest
//! activity on top); documents that are not mail follow under one group.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::model::{self, DocId, Document};
use crate::relink::Relinks;
use crate::thread::{self, ThreadInput, Visited};

/// What a row of the tree stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Entry {
    Doc(DocId),
    /// A message referenced by others but absent from the dump.
    Missing(String),
    /// A heading that groups rows (e.g. the files that are not mail).
    Group(String),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FlatNode {
    pub entry: Entry,
    pub depth: u32,
    pub parent: Option<u32>,
    /// One past the last node of this node's subtree, in preorder.
    pub end: u32,
    /// Last among its siblings (drawing `└─` rather than `├─`).
    pub last_child: bool,
    /// Index of the thread (top-level node) this node belongs to.
    pub thread: u32,
}

impl FlatNode {
    pub fn has_children(&self, index: u32) -> bool {
        self.end > index + 1
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FlatTree {
    pub nodes: Vec<FlatNode>,
    /// Preorder index of every document's node.
    pub doc_node: Vec<u32>,
    pub thread_count: u32,
}

impl<'a> From<&'a Document> for ThreadInput<'a> {
    fn from(d: &'a Document) -> Self {
        ThreadInput {
            message_id: d.message_id(),
            refs: &d.threading,
            subject: d.subject(),
            date: d.date,
            pinned: false,
        }
    }
}

impl FlatTree {
    /// Thread the mail in `docs` and lay everything out in display order.
    /// Parts (attachments, archive members) hang under their container.
    pub fn build(docs: &[Document]) -> FlatTree {
        Self::build_relinked(docs, &Relinks::default())
    }

    /// Same, with the threads the user corrected by hand.
    pub fn build_relinked(docs: &[Document], relinks: &Relinks) -> FlatTree {
        let top = |i: &usize| !docs[*i].is_part();
        let mail: Vec<DocId> = (0..docs.len())
            .filter(top)
            .filter(|&i| docs[i].is_mail())
            .collect();
        let mut tree = FlatTree {
            nodes: Vec::new(),
            doc_node: vec![0; docs.len()],
            thread_count: 0,
        };
        tree.push_threads(docs, &mail, docs.len() + docs.len() / 8, relinks);
        let others: Vec<DocId> = (0..docs.len())
            .filter(top)
            .filter(|&i| !docs[i].is_mail())
            .collect();
        if !others.is_empty() {
            let label = format!("Files that are not e-mail ({})", others.len());
            let group = tree.push(Entry::Group(label), 0, None, true);
            for (k, &doc) in others.iter().enumerate() {
                let node = tree.push(Entry::Doc(doc), 1, Some(group), k + 1 == others.len());
                tree.doc_node[doc] = node;
                tree.push_parts(docs, doc, node, false);
                tree.nodes[node as usize].end = tree.nodes.len() as u32;
            }
            tree.nodes[group as usize].end = tree.nodes.len() as u32;
        }
        tree
    }

    /// Push the parts of `doc` (shown by node `flat`) below it, nested as
    /// they are. `more` says whether `flat` gets other children after
    /// them (replies), so the last part is not drawn as the last child.
    pub(crate) fn push_parts(&mut self, docs: &[Document], doc: DocId, flat: u32, more: bool) {
        let range = model::part_range(docs, doc);
        if range.is_empty() {
            return;
        }
        let base = self.nodes[flat as usize].depth;
        // Containers whose subtrees are being filled: (doc, node).
        let mut open: Vec<(DocId, u32)> = vec![(doc, flat)];
        for part in range.clone() {
            let Some(container) = model::container_of(docs, part) else {
                continue;
            };
            while open.len() > 1 && open.last().is_some_and(|&(d, _)| d != container) {
                if let Some((_, done)) = open.pop() {
                    self.nodes[done as usize].end = self.nodes.len() as u32;
                }
            }
            let parent = open.last().map_or(flat, |&(_, n)| n);
            let after = model::part_range(docs, part).end;
            let sibling_follows =
                after < range.end && model::container_of(docs, after) == Some(container);
            let last = !(sibling_follows || container == doc && more);
            let depth = base + open.len() as u32;
            let node = self.push(Entry::Doc(part), depth, Some(parent), last);
            self.doc_node[part] = node;
            open.push((part, node));
        }
        while open.len() > 1 {
            if let Some((_, done)) = open.pop() {
                self.nodes[done as usize].end = self.nodes.len() as u32;
            }
        }
    }

    pub(crate) fn push(
        &mut self,
        entry: Entry,
        depth: u32,
        parent: Option<u32>,
        last_child: bool,
    ) -> u32 {
        let index = self.nodes.len() as u32;
        if parent.is_none() && !matches!(entry, Entry::Group(_)) {
            self.thread_count += 1;
        }
        let thread = match parent {
            Some(p) => self.nodes[p as usize].thread,
            None => index,
        };
        self.nodes.push(FlatNode {
            entry,
            depth,
            parent,
            end: index + 1,
            last_child,
            thread,
        });
        index
    }

    /// Append the mail threads, node by node in display order, as the
    /// threader walks them (it never builds the whole forest).
    fn push_threads(
        &mut self,
        docs: &[Document],
        mail: &[DocId],
        capacity: usize,
        relinks: &Relinks,
    ) {
        // Flat indices of the ancestors of the next node (their subtrees
        // are still being filled).
        let mut open: Vec<u32> = Vec::new();
        // The last message pushed, whose parts wait until the next visit
        // says whether replies follow them: (doc, node, depth).
        let mut pending: Option<(DocId, u32, u32)> = None;
        let input = |i: usize| relinks.input(docs, mail[i]);
        thread::build_preorder(mail.len(), input, |visit| {
            // Allocated only now that the threader has freed its maps.
            if self.nodes.capacity() == 0 {
                self.nodes.reserve_exact(capacity);
            }
            if let Some((doc, node, depth)) = pending.take() {
                self.push_parts(docs, doc, node, visit.depth > depth);
            }
            while open.len() > visit.depth as usize {
                if let Some(done) = open.pop() {
                    self.nodes[done as usize].end = self.nodes.len() as u32;
                }
            }
            let entry = match visit.kind {
                Visited::Doc(i) => Entry::Doc(mail[i]),
                Visited::Missing(id) => Entry::Missing(id.to_string()),
            };
            let parent = open.last().copied();
            let flat = self.push(entry, visit.depth, parent, visit.last_child);
            if let Entry::Doc(doc) = self.nodes[flat as usize].entry {
                self.doc_node[doc] = flat;
                pending = Some((doc, flat, visit.depth));
            }
            open.push(flat);
        });
        if let Some((doc, node, _)) = pending {
            self.push_parts(docs, doc, node, false);
        }
        while let Some(done) = open.pop() {
            self.nodes[done as usize].end = self.nodes.len() as u32;
        }
    }

    /// Preorder indices of the rows shown when the nodes in `folded` are
    /// collapsed (their subtrees hidden).
    pub fn visible(&self, folded: &HashSet<u32>) -> Vec<u32> {
        let mut rows = Vec::with_capacity(self.nodes.len());
        let mut i = 0u32;
        while (i as usize) < self.nodes.len() {
            rows.push(i);
            i = if folded.contains(&i) {
                self.nodes[i as usize].end
            } else {
                i + 1
            };
        }
        rows
    }

    /// The row after visible row `i`, skipping a folded subtree: O(1).
    pub fn next_visible(&self, i: u32, folded: &HashSet<u32>) -> Option<u32> {
        let next = if folded.contains(&i) {
            self.nodes[i as usize].end
        } else {
            i + 1
        };
        ((next as usize) < self.nodes.len()).then_some(next)
    }

    /// The row before visible row `i`: O(depth) when something is folded,
    /// O(1) otherwise.
    pub fn prev_visible(&self, i: u32, folded: &HashSet<u32>) -> Option<u32> {
        (i > 0).then(|| self.visible_ancestor(i - 1, folded))
    }

    /// The row that shows node `i`: itself, or the outermost folded
    /// ancestor that hides it.
    pub fn visible_ancestor(&self, i: u32, folded: &HashSet<u32>) -> u32 {
        if folded.is_empty() {
            return i;
        }
        let mut shown = i;
        let mut cur = self.nodes[i as usize].parent;
        while let Some(p) = cur {
            if folded.contains(&p) {
                shown = p;
            }
            cur = self.nodes[p as usize].parent;
        }
        shown
    }

    /// The last visible row.
    pub fn last_visible(&self, folded: &HashSet<u32>) -> Option<u32> {
        let last = u32::try_from(self.nodes.len().checked_sub(1)?).ok()?;
        Some(self.visible_ancestor(last, folded))
    }

    /// Number of documents in the subtree of `index` (itself included).
    pub fn doc_count(&self, index: u32) -> usize {
        let end = self.nodes[index as usize].end;
        (index..end)
            .filter(|&i| matches!(self.nodes[i as usize].entry, Entry::Doc(_)))
            .count()
    }

    /// Drawing prefix for a row: `│ ├─` etc. Indentation is capped so a
    /// 10,000-deep chain still fits on screen; deeper rows say their depth.
    pub fn prefix(&self, index: u32) -> String {
        const MAX_DRAWN: usize = 12;
        let node = &self.nodes[index as usize];
        if node.depth == 0 {
            return String::new();
        }
        if node.depth as usize > MAX_DRAWN {
            return format!("{}[{}]└─", " ".repeat(MAX_DRAWN), node.depth);
        }
        // Walk up the ancestors to learn which levels still have siblings.
        let mut levels = Vec::with_capacity(node.depth as usize);
        let mut cur = node.parent;
        while let Some(p) = cur {
            let pn = &self.nodes[p as usize];
            if pn.depth == 0 {
                break;
            }
            levels.push(if pn.last_child { "  " } else { "│ " });
            cur = pn.parent;
        }
        let mut out: String = levels.iter().rev().copied().collect();
        out.push_str(if node.last_child { "└─" } else { "├─" });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(entry: Entry, depth: u32, parent: Option<u32>, end: u32, last: bool) -> FlatNode {
        FlatNode {
            entry,
            depth,
            parent,
            end,
            last_child: last,
            thread: 0,
        }
    }

    #[test]
    fn folding_skips_subtrees() {
        // 0 ─ 1 ─ 2
        //   └ 3
        // 4
        let tree = FlatTree {
            nodes: vec![
                node(Entry::Doc(0), 0, None, 4, false),
                node(Entry::Doc(1), 1, Some(0), 3, false),
                node(Entry::Doc(2), 2, Some(1), 3, true),
                node(Entry::Missing("x".into()), 1, Some(0), 4, true),
                node(Entry::Doc(3), 0, None, 5, true),
            ],
            doc_node: vec![0, 1, 2, 4],
            thread_count: 2,
        };
        assert_eq!(tree.visible(&HashSet::new()), vec![0, 1, 2, 3, 4]);
        assert_eq!(tree.visible(&HashSet::from([1])), vec![0, 1, 3, 4]);
        assert_eq!(tree.visible(&HashSet::from([0])), vec![0, 4]);
        assert_eq!(tree.doc_count(0), 3);
        // Walking visible rows one by one gives the same rows as `visible`.
        for folded in [
            HashSet::new(),
            HashSet::from([1]),
            HashSet::from([0]),
            HashSet::from([0, 1]),
        ] {
            let want = tree.visible(&folded);
            let mut walked = vec![0];
            while let Some(n) = tree.next_visible(*walked.last().expect("row"), &folded) {
                walked.push(n);
            }
            assert_eq!(walked, want, "forward, folded {folded:?}");
            let mut back = vec![tree.last_visible(&folded).expect("last")];
            while let Some(p) = tree.prev_visible(*back.last().expect("row"), &folded) {
                back.push(p);
            }
            back.reverse();
            assert_eq!(back, want, "backward, folded {folded:?}");
        }
        assert_eq!(tree.prefix(2), "│ └─");
        assert_eq!(tree.prefix(3), "└─");
    }
}
