//! User state survives closing, reopening and a re-scan of a changed dump,
//! and the dump itself is never written to.

mod common;

use std::path::Path;

use trawl::browse::Entry;
use trawl::tui::action::Action;
use trawl::tui::app::App;
use trawl::tui::keymap::Keymap;
use trawl::tui::theme::Theme;
use trawl::workspace::Workspace;

fn app(root: &Path, data: &Path) -> App {
    let ws = Workspace::open_in(root, data).expect("open");
    App::new(ws, Keymap::builtin(), Theme { color: false }, (100, 30))
}

fn tag_id(app: &App, name: &str) -> i64 {
    app.ws.tags.iter().find(|t| t.name == name).expect("tag").id
}

#[test]
fn tags_read_marks_and_selection_survive_reopening() {
    let root = common::sample_dump();
    let before = common::snapshot_tree(&root);
    let data = common::data_dir();

    let (selected_hash, read_count) = {
        let mut a = app(&root, data.path());
        let mut visited: Vec<usize> = a.selected_doc().into_iter().collect();
        for _ in 0..3 {
            a.update(Action::Down);
            visited.extend(a.selected_doc());
        }
        visited.sort_unstable();
        visited.dedup();
        assert!(visited.len() >= 3, "{visited:?}");
        for &d in &visited {
            assert!(a.ws.read[d], "visited document {d} not marked read");
        }
        a.update(Action::ToggleTag('1'));
        a.update(Action::ToggleTag('2'));
        a.update(Action::ToggleTag('2')); // on, then off again
        a.update(Action::NewTag);
        for c in "donors".chars() {
            a.update(Action::PromptInput(c));
        }
        a.update(Action::PromptSubmit);
        a.update(Action::ToggleTag('5'));
        // Counts in the tag panel follow every change.
        assert_eq!(
            (0..5).map(|i| a.tag_count(i)).collect::<Vec<_>>(),
            vec![1, 0, 0, 0, 1]
        );
        let doc = a.selected_doc().expect("a document is selected");
        assert!(a.ws.has_tag(doc, tag_id(&a, "verified")));
        assert!(a.ws.has_tag(doc, tag_id(&a, "donors")));
        a.update(Action::Quit);
        assert!(a.quit);
        let read_count = a.ws.read.iter().filter(|r| **r).count();
        assert_eq!(
            read_count,
            visited.len(),
            "only the documents visited are read"
        );
        (a.ws.doc(doc).hash, read_count)
    };

    let a = app(&root, data.path());
    let doc = a.selected_doc().expect("selection restored");
    assert_eq!(a.ws.doc(doc).hash, selected_hash);
    assert!(a.ws.has_tag(doc, tag_id(&a, "verified")));
    assert!(!a.ws.has_tag(doc, tag_id(&a, "suspect")));
    assert!(a.ws.has_tag(doc, tag_id(&a, "donors")));
    let donors =
        a.ws.tags
            .iter()
            .find(|t| t.name == "donors")
            .expect("donors");
    assert_eq!(donors.hotkey, Some('5'));
    assert_eq!(a.ws.read.iter().filter(|r| **r).count(), read_count);
    assert!(a.ws.project.store.integrity_ok().expect("integrity"));
    drop(a);

    // The dump is evidence: same files, same bytes, same mtimes, nothing new.
    assert_eq!(common::snapshot_tree(&root), before);
}

#[test]
fn tags_follow_messages_through_a_changed_dump() {
    let work = tempfile::tempdir().expect("tmp");
    let root = work.path().join("dump");
    common::copy_dir(&common::sample_dump(), &root);
    let data = common::data_dir();

    // Tag two maildir messages.
    let tagged: Vec<(String, String)> = {
        let mut a = app(&root, data.path());
        let verified = tag_id(&a, "verified");
        let maildir_docs: Vec<usize> = (0..a.ws.scan.docs.len())
            .filter(|&d| {
                a.ws.doc(d)
                    .location
                    .path
                    .starts_with("mailboxes/julien.besson/cur")
                    && a.ws.doc(d).is_mail()
            })
            .take(2)
            .collect();
        for &d in &maildir_docs {
            a.ws.toggle_tag(d, verified).expect("tag");
        }
        maildir_docs
            .iter()
            .map(|&d| {
                let doc = a.ws.doc(d);
                (
                    doc.location.path.to_string_lossy().into_owned(),
                    doc.message_id().map(str::to_string).expect("id"),
                )
            })
            .collect()
    };

    // The dump changes: the first file is moved (bytes identical), the
    // second is re-saved with CRLF line endings and an extra header (bytes
    // differ, Message-ID the same), and a new message appears.
    let (first, second) = (&tagged[0], &tagged[1]);
    std::fs::create_dir_all(root.join("moved")).expect("mkdir");
    std::fs::rename(root.join(&first.0), root.join("moved/renamed.eml")).expect("move");
    let old = std::fs::read_to_string(root.join(&second.0)).expect("read");
    let new = format!("X-Re-Exported: yes\n{old}").replace('\n', "\r\n");
    std::fs::write(root.join(&second.0), new).expect("rewrite");
    std::fs::write(
        root.join("moved/new.eml"),
        "From: a@x.example\nSubject: new\nMessage-ID: <brand-new@x.example>\n\nhello\n",
    )
    .expect("new file");

    let a = app(&root, data.path());
    let verified = tag_id(&a, "verified");
    for (_, id) in &tagged {
        let doc =
            a.ws.scan
                .docs
                .iter()
                .position(|d| d.message_id() == Some(id.as_str()))
                .expect("message still there");
        assert!(a.ws.has_tag(doc, verified), "{id} lost its tag");
    }
    assert_eq!(a.tag_count(0), 2);
    let new =
        a.ws.scan
            .docs
            .iter()
            .position(|d| d.message_id() == Some("brand-new@x.example"));
    assert!(new.is_some_and(|d| a.ws.tags_of(d).is_empty()));
    assert!(a
        .ws
        .tree
        .nodes
        .iter()
        .any(|n| matches!(n.entry, Entry::Doc(_))));
}

#[test]
fn enter_on_a_reply_folds_its_whole_thread() {
    let data = common::data_dir();
    let mut a = app(&common::sample_dump(), data.path());
    // Rows: newsletter, consultant note, "not in dump" root, its first reply…
    for _ in 0..4 {
        a.update(Action::Down);
    }
    let rows_before = a.ws.tree.visible(&a.folded).len();
    let reply = a.selected_node().expect("row");
    let thread = a.ws.tree.nodes[reply as usize].thread;
    assert_ne!(reply, thread);
    a.update(Action::ToggleFold);
    assert_eq!(
        a.selected_node(),
        Some(thread),
        "cursor moves to the folded thread"
    );
    assert_eq!(
        a.ws.tree.visible(&a.folded).len(),
        rows_before - (a.ws.tree.nodes[thread as usize].end - thread - 1) as usize
    );
    a.update(Action::ToggleFold);
    assert_eq!(a.ws.tree.visible(&a.folded).len(), rows_before);
}
