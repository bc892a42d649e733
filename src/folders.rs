//! The dump as its folders: directories, files, archives and mailboxes
//! with what they hold, laid out as a [`FlatTree`] so the same tree pane
//! shows it (the other way to look at the same documents; see
//! [`FlatTree::build`] for conversations).

use std::path::Path;

use crate::browse::{Entry, FlatTree};
use crate::model::{Container, DocId, Document};

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
            let parent = open.last().map(|o| o.node);
            let node = push(&mut tree, Entry::Group(String::new()), parent);
            open.push(Open {
                mbox: doc.location.container == Container::Mbox && sofar == path,
                path: sofar.clone(),
                node,
            });
        }
        let parent = open.last().map(|o| o.node);
        let node = push(&mut tree, Entry::Doc(id), parent);
        tree.doc_node[id] = node;
        push_parts(&mut tree, docs, id, node);
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

fn push(tree: &mut FlatTree, entry: Entry, parent: Option<u32>) -> u32 {
    let index = tree.nodes.len() as u32;
    let (depth, thread) = match parent {
        Some(p) => (
            tree.nodes[p as usize].depth + 1,
            tree.nodes[p as usize].thread,
        ),
        None => (0, index),
    };
    tree.nodes.push(crate::browse::FlatNode {
        entry,
        depth,
        parent,
        end: index + 1,
        last_child: false,
        thread,
    });
    index
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

/// The parts of `doc` below its node, nested as they are.
fn push_parts(tree: &mut FlatTree, docs: &[Document], doc: DocId, node: u32) {
    let mut open: Vec<(DocId, u32)> = vec![(doc, node)];
    for part in crate::model::part_range(docs, doc) {
        let Some(container) = crate::model::container_of(docs, part) else {
            continue;
        };
        while open.len() > 1 && open.last().is_some_and(|&(d, _)| d != container) {
            if let Some((_, done)) = open.pop() {
                tree.nodes[done as usize].end = tree.nodes.len() as u32;
            }
        }
        let parent = open.last().map(|&(_, n)| n);
        let n = push(tree, Entry::Doc(part), parent);
        tree.doc_node[part] = n;
        open.push((part, n));
    }
    while open.len() > 1 {
        if let Some((_, done)) = open.pop() {
            tree.nodes[done as usize].end = tree.nodes.len() as u32;
        }
    }
}
