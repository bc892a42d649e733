//! The dump as its folders: directories, files, archives and mailboxes
//! with what they hold, laid out as a [`FlatTree`] so the same tree pane
//! shows it (the other way to look at the same documents; see
//! [`FlatTree::build`] for conversations).

use std::path::Path;

use crate::browse::{Entry, FlatTree};
use crate::model::{Container, Document};

/// Lay out `docs` (sorted by path, as a scan gives them) by folder.
/// Folders read `name/ (N)`, N the documents below; an mbox is a row of its
/// own with its messages below; archives and e-mails hold their parts.
pub fn build(docs: &[Document]) -> FlatTree {
    let mut tree = FlatTree {
        nodes: Vec::with_capacity(docs.len() + docs.len() / 8),
        doc_node: vec![0; docs.len()],
        thread_count: 0,
    };
    // Open folders (or mbox file): their path and node.
    let mut open: Vec<Open> = Vec::new();
    for (id, doc) in docs.iter().enumerate().filter(|(_, d)| !d.is_part()) {
        let path: &Path = &doc.location.path;
        let dir = path.parent().unwrap_or(Path::new(""));
        let holder = match doc.location.container {
            Container::Mbox => path,
            Container::File => dir,
        };
        while open.last().is_some_and(|o| !holder.starts_with(&o.path)) {
            close(&mut tree, &mut open);
        }
        let opened = open
            .last()
            .map_or(Path::new(""), |o| o.path.as_path())
            .to_path_buf();
        let rest = holder.strip_prefix(&opened).unwrap_or(holder);
        let mut sofar = opened;
        for part in rest.components() {
            sofar.push(part);
            let node = push_under(&mut tree, Entry::Group(String::new()), open.last());
            open.push(Open {
                mbox: doc.location.container == Container::Mbox && sofar == path,
                path: sofar.clone(),
                node,
            });
        }
        let node = push_under(&mut tree, Entry::Doc(id), open.last());
        tree.doc_node[id] = node;
        tree.push_parts(docs, id, node, false);
        tree.nodes[node as usize].end = tree.nodes.len() as u32;
    }
    while !open.is_empty() {
        close(&mut tree, &mut open);
    }
    // A node is the last of its siblings when its subtree ends with its
    // parent's.
    let total = tree.nodes.len() as u32;
    for i in 0..tree.nodes.len() {
        let n = &tree.nodes[i];
        let parent_end = n.parent.map_or(total, |p| tree.nodes[p as usize].end);
        tree.nodes[i].last_child = n.end == parent_end;
    }
    tree.thread_count = tree.nodes.iter().filter(|n| n.parent.is_none()).count() as u32;
    tree
}

/// A folder (or mbox file) whose rows are being laid out.
struct Open {
    path: std::path::PathBuf,
    node: u32,
    mbox: bool,
}

/// A row inside the innermost open folder (or at the top). Which row is
/// the last of its siblings is only known at the end: see [`build`].
fn push_under(tree: &mut FlatTree, entry: Entry, folder: Option<&Open>) -> u32 {
    let parent = folder.map(|o| o.node);
    let depth = parent.map_or(0, |p| tree.nodes[p as usize].depth + 1);
    tree.push(entry, depth, parent, false)
}

/// Finish the innermost open folder: its end, and its label with what it
/// holds.
fn close(tree: &mut FlatTree, open: &mut Vec<Open>) {
    let Some(o) = open.pop() else {
        return;
    };
    let end = tree.nodes.len() as u32;
    tree.nodes[o.node as usize].end = end;
    let count = tree.doc_count(o.node);
    let name = o
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    tree.nodes[o.node as usize].entry = Entry::Group(if o.mbox {
        format!("{name} ({count})")
    } else {
        format!("{name}/ ({count})")
    });
}
