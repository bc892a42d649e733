//! Search results on screen: the documents a query found, in the order
//! the user picked, listed alone or inside the threads that hold them,
//! with a cursor and the first row shown (the tree pane shows them while a
//! search is active). Changing the order or the shape only rearranges what
//! was found; nothing is searched again.

use crate::browse::{Entry, FlatTree};
use crate::model::{DocId, Document};

/// The order of the hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// As the search ranked them: best match first.
    Best,
    /// Newest first (undated last).
    Newest,
    /// Where they are in the thread tree.
    Tree,
}

impl Sort {
    #[must_use]
    pub fn next(self) -> Sort {
        match self {
            Sort::Best => Sort::Newest,
            Sort::Newest => Sort::Tree,
            Sort::Tree => Sort::Best,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sort::Best => "best first",
            Sort::Newest => "newest first",
            Sort::Tree => "tree order",
        }
    }
}

/// How the hits are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One hit a row.
    List,
    /// Each thread that holds a hit, with its other messages for context.
    Threads,
}

/// A thread larger than this shows only its hits and their ancestors.
pub const WHOLE_THREAD_MAX: u32 = 100;

/// One row of the results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// The node in the thread tree (drawn with its tree lines in
    /// [`Shape::Threads`]).
    pub node: u32,
    pub doc: Option<DocId>,
    /// Found by the search: its place among the hits in their order
    /// (`None`: a message shown for context).
    pub hit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    pub query: String,
    /// As the search ranked them.
    ranked: Vec<DocId>,
    /// In the chosen order.
    pub hits: Vec<DocId>,
    pub sort: Sort,
    pub shape: Shape,
    pub rows: Vec<Row>,
    pub cursor: usize,
    pub top: usize,
    /// Tells these results from any others found before (what is counted
    /// for the overview panels is kept by it); rearranging keeps it.
    pub serial: u64,
}

/// The serial of the next [`Results`].
static NEXT_SERIAL: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl Results {
    /// `ranked`: best first.
    pub fn new(query: String, ranked: Vec<DocId>, sort: Sort, shape: Shape) -> Results {
        Results {
            query,
            hits: Vec::new(),
            ranked,
            sort,
            shape,
            rows: Vec::new(),
            cursor: 0,
            top: 0,
            serial: NEXT_SERIAL.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }

    /// Lay the hits out in `sort` and `shape`, keeping the selected
    /// document selected when it is still shown.
    pub fn arrange(&mut self, sort: Sort, shape: Shape, tree: &FlatTree, docs: &[Document]) {
        let keep = self.selected();
        self.sort = sort;
        self.shape = shape;
        self.hits.clone_from(&self.ranked);
        let node = |d: DocId| tree.doc_node.get(d).copied().unwrap_or(u32::MAX);
        match sort {
            Sort::Best => {}
            Sort::Newest => self.hits.sort_by_key(|&d| {
                let date = docs.get(d).and_then(|doc| doc.date);
                (date.is_none(), std::cmp::Reverse(date), d)
            }),
            Sort::Tree => self.hits.sort_by_key(|&d| node(d)),
        }
        self.rows = match shape {
            Shape::List => self
                .hits
                .iter()
                .enumerate()
                .map(|(i, &d)| Row {
                    node: node(d),
                    doc: Some(d),
                    hit: u32::try_from(i).ok(),
                })
                .collect(),
            Shape::Threads => thread_rows(&self.hits, tree),
        };
        self.cursor = 0;
        self.top = 0;
        if let Some(row) = keep.and_then(|d| self.rows.iter().position(|r| r.doc == Some(d))) {
            // The caller scrolls it into view ([`Results::scroll`]).
            self.cursor = row;
        }
    }

    pub fn selected(&self) -> Option<DocId> {
        self.rows.get(self.cursor).and_then(|r| r.doc)
    }

    /// Move the cursor by `delta` rows (clamped), keeping it within the
    /// `height` rows shown.
    pub fn move_by(&mut self, delta: isize, height: usize) {
        let last = self.rows.len().saturating_sub(1);
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
        self.scroll(height);
    }

    /// The row that shows `doc`, if any.
    pub fn position_of(&self, doc: DocId) -> Option<usize> {
        self.rows.iter().position(|r| r.doc == Some(doc))
    }

    /// Put the cursor on `doc` if it is shown.
    pub fn select(&mut self, doc: Option<DocId>, height: usize) {
        if let Some(row) = doc.and_then(|d| self.rows.iter().position(|r| r.doc == Some(d))) {
            self.move_to(row, height);
        }
    }

    pub fn move_to(&mut self, row: usize, height: usize) {
        self.cursor = row.min(self.rows.len().saturating_sub(1));
        self.scroll(height);
    }

    /// Keep the cursor within the `height` rows shown.
    pub fn scroll(&mut self, height: usize) {
        let height = height.max(1);
        if self.cursor < self.top {
            self.top = self.cursor;
        } else if self.cursor >= self.top + height {
            self.top = self.cursor + 1 - height;
        }
    }
}

/// The threads holding `hits`, in the order of their first hit: a small
/// thread whole, a large one (or the group of loose files) as its hits
/// and their ancestors, in tree order.
fn thread_rows(hits: &[DocId], tree: &FlatTree) -> Vec<Row> {
    let n = tree.nodes.len();
    // Each node's place among the hits, if it is one.
    let mut hit_at: Vec<Option<u32>> = vec![None; n];
    let mut threads: Vec<u32> = Vec::new();
    let mut seen = vec![false; n];
    for (i, &d) in hits.iter().enumerate() {
        let Some(&node) = tree.doc_node.get(d) else {
            continue;
        };
        let Some(flat) = tree.nodes.get(node as usize) else {
            continue;
        };
        hit_at[node as usize] = u32::try_from(i).ok();
        if !std::mem::replace(&mut seen[flat.thread as usize], true) {
            threads.push(flat.thread);
        }
    }
    // Marks the nodes on the way to each hit, for pruned threads.
    let mut on_path = seen;
    on_path.fill(false);
    for (node, _) in hit_at.iter().enumerate().filter(|(_, h)| h.is_some()) {
        let mut at = Some(node as u32);
        while let Some(a) = at {
            if std::mem::replace(&mut on_path[a as usize], true) {
                break;
            }
            at = tree.nodes[a as usize].parent;
        }
    }
    let mut rows = Vec::new();
    for root in threads {
        let top = &tree.nodes[root as usize];
        let whole = top.end - root <= WHOLE_THREAD_MAX && !matches!(top.entry, Entry::Group(_));
        for node in root..top.end {
            if whole || on_path[node as usize] {
                let doc = match tree.nodes[node as usize].entry {
                    Entry::Doc(d) => Some(d),
                    _ => None,
                };
                rows.push(Row {
                    node,
                    doc,
                    hit: hit_at[node as usize],
                });
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::browse::FlatNode;

    /// Threads: 0 ─ 1 ─ 2, 3 ─ 4; a group 5 of loose files 6, 7. Node i
    /// holds document i except the group.
    fn tree() -> FlatTree {
        let node = |entry, depth, parent, end, thread| FlatNode {
            entry,
            depth,
            parent,
            end,
            last_child: true,
            thread,
        };
        let nodes = vec![
            node(Entry::Doc(0), 0, None, 3, 0),
            node(Entry::Doc(1), 1, Some(0), 3, 0),
            node(Entry::Doc(2), 2, Some(1), 3, 0),
            node(Entry::Doc(3), 0, None, 5, 3),
            node(Entry::Doc(4), 1, Some(3), 5, 3),
            node(Entry::Group("files".into()), 0, None, 8, 5),
            node(Entry::Doc(6), 1, Some(5), 7, 5),
            node(Entry::Doc(7), 1, Some(5), 8, 5),
        ];
        FlatTree {
            nodes,
            doc_node: vec![0, 1, 2, 3, 4, 0, 6, 7],
            thread_count: 2,
        }
    }

    fn shown(r: &Results) -> Vec<(u32, bool)> {
        r.rows
            .iter()
            .map(|row| (row.node, row.hit.is_some()))
            .collect()
    }

    #[test]
    fn cursor_stays_in_range_and_on_screen() {
        let mut r = Results::new("q".into(), (0..10).collect(), Sort::Best, Shape::List);
        r.arrange(Sort::Best, Shape::List, &FlatTree::default(), &[]);
        r.move_by(3, 4);
        assert_eq!((r.cursor, r.top), (3, 0));
        r.move_by(3, 4);
        assert_eq!((r.cursor, r.top), (6, 3));
        r.move_by(100, 4);
        assert_eq!((r.cursor, r.top), (9, 6));
        r.move_by(-100, 4);
        assert_eq!((r.cursor, r.top), (0, 0));
        r.move_to(usize::MAX, 4);
        assert_eq!(r.selected(), Some(9));
        let empty = Results::new("q".into(), Vec::new(), Sort::Best, Shape::List);
        assert_eq!(empty.selected(), None);
    }

    #[test]
    fn threads_show_context_and_keep_the_selection() {
        let tree = tree();
        let mut r = Results::new("q".into(), vec![4, 2, 7], Sort::Best, Shape::List);
        r.arrange(Sort::Best, Shape::List, &tree, &[]);
        assert_eq!(r.hits, [4, 2, 7]);
        r.move_to(1, 10);
        assert_eq!(r.selected(), Some(2));
        r.arrange(Sort::Best, Shape::Threads, &tree, &[]);
        // Thread of 4 first (its hit ranks first), whole; then 0's; the
        // group of files only with its hit.
        assert_eq!(
            shown(&r),
            [
                (3, false),
                (4, true),
                (0, false),
                (1, false),
                (2, true),
                (5, false),
                (7, true)
            ]
        );
        assert_eq!(r.selected(), Some(2), "still on the same document");
        r.arrange(Sort::Tree, Shape::List, &tree, &[]);
        assert_eq!(r.hits, [2, 4, 7]);
        assert_eq!(r.selected(), Some(2));
    }
}
