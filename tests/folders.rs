//! The folder view: the dump's directories, files, mailboxes and archives
//! with what they hold, sharing the selection with the conversation view.

mod common;

use trawl::browse::Entry;
use trawl::tui::action::Action;
use trawl::tui::app::{App, View};
use trawl::tui::keymap::Keymap;
use trawl::tui::theme::Theme;
use trawl::workspace::Workspace;

#[test]
fn every_document_is_once_under_its_folder() {
    let scan = trawl::ingest::scan(&common::sample_dump()).expect("scan");
    let tree = trawl::folders::build(&scan.docs);
    let mut seen = vec![0u32; scan.docs.len()];
    for (i, n) in tree.nodes.iter().enumerate() {
        if let Entry::Doc(d) = n.entry {
            seen[d] += 1;
            assert_eq!(tree.doc_node[d] as usize, i);
            // Its folder rows above it spell its path.
            let doc = &scan.docs[d];
            let mut folders = Vec::new();
            let mut cur = n.parent;
            while let Some(p) = cur {
                if let Entry::Group(label) = &tree.nodes[p as usize].entry {
                    let name = label.rsplit_once(" (").map_or(label.as_str(), |(n, _)| n);
                    folders.push(name.trim_end_matches('/').to_string());
                }
                cur = tree.nodes[p as usize].parent;
            }
            folders.reverse();
            let path: Vec<String> = doc
                .location
                .path
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let want = match doc.location.container {
                trawl::model::Container::Mbox => path.clone(),
                trawl::model::Container::File => path[..path.len() - 1].to_vec(),
            };
            assert_eq!(folders, want, "{}", doc.location.display());
        }
        // Subtrees nest.
        if let Some(p) = n.parent {
            assert!(n.end <= tree.nodes[p as usize].end);
        }
    }
    assert!(seen.iter().all(|&n| n == 1), "{seen:?}");
    let labels: Vec<&str> = tree
        .nodes
        .iter()
        .filter_map(|n| match &n.entry {
            Entry::Group(l) if n.depth == 0 => Some(l.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        labels,
        [
            "divers/ (8)",
            "exports/ (15)",
            "mailboxes/ (33)",
            "pieces-jointes/ (3)"
        ]
    );
}

#[test]
fn v_switches_to_folders_on_the_same_document_and_back() {
    let data = common::data_dir();
    let ws = Workspace::open_in(&common::sample_dump(), data.path()).expect("open");
    let pdf = (0..ws.scan.docs.len())
        .find(|&d| ws.doc(d).subject() == "facture_2017-0142.pdf")
        .expect("the invoice");
    let mut a = App::new(ws, Keymap::builtin(), Theme { color: false }, (100, 30));
    while a.selected_doc() != Some(pdf) {
        a.update(Action::Down);
    }
    a.update(Action::ToggleView);
    assert_eq!(a.view, View::Folders);
    assert_eq!(a.selected_doc(), Some(pdf));
    let screen = common::text(&common::render(&a));
    assert!(screen.contains(" Folders "), "{screen}");
    insta::assert_snapshot!("folder_view", screen);
    // Fold the folder holding it, move, come back: each view keeps its own.
    a.update(Action::Top);
    a.update(Action::ToggleFold);
    let folded = common::text(&common::render(&a));
    assert!(folded.contains("▸ divers/ (8)"), "{folded}");
    a.update(Action::ToggleView);
    assert_eq!(a.view, View::Threads);
    assert!(common::text(&common::render(&a)).contains(" Threads (18) "));
    a.update(Action::ToggleView);
    a.update(Action::Top);
    assert!(common::text(&common::render(&a)).contains("▸ divers/ (8)"));
}
