//! Threads corrected by hand: `B` splits a message off, `L` then `L` hangs
//! one under another; both are user data that survive reopening and a
//! changed dump, and can be undone.

mod common;

use std::path::Path;

use trawl::browse::Entry;
use trawl::model::{Container, DocId};
use trawl::tui::action::Action;
use trawl::tui::app::{App, Mode};
use trawl::tui::keymap::Keymap;
use trawl::tui::theme::Theme;
use trawl::workspace::Workspace;

fn app(root: &Path, data: &Path) -> App {
    let ws = Workspace::open_in(root, data).expect("open");
    App::new(ws, Keymap::builtin(), Theme { color: false }, (80, 24))
}

/// The document shown as `doc`'s parent in the tree, if any.
fn parent(app: &App, doc: DocId) -> Option<DocId> {
    let tree = &app.ws.tree;
    let node = &tree.nodes[tree.doc_node[doc] as usize];
    node.parent
        .and_then(|p| match tree.nodes[p as usize].entry {
            Entry::Doc(d) => Some(d),
            _ => None,
        })
}

/// Every document's parent in the tree.
fn parents(app: &App) -> Vec<Option<DocId>> {
    (0..app.ws.scan.docs.len())
        .map(|d| parent(app, d))
        .collect()
}

/// The first e-mail whose tree parent is an e-mail, and that parent.
fn a_reply(app: &App) -> (DocId, DocId) {
    (0..app.ws.scan.docs.len())
        .filter(|&d| app.ws.doc(d).is_mail() && !app.ws.doc(d).is_part())
        .find_map(|d| parent(app, d).map(|p| (d, p)))
        .expect("the sample dump has replies")
}

fn by_subject(app: &App, subject: &str) -> DocId {
    (0..app.ws.scan.docs.len())
        .find(|&d| app.ws.doc(d).subject() == subject)
        .unwrap_or_else(|| panic!("no message {subject:?}"))
}

fn status(app: &App) -> String {
    app.status.clone().map(|(_, s)| s).unwrap_or_default()
}

fn screen(app: &App) -> String {
    common::text(&common::render(app))
}

#[test]
fn b_splits_a_reply_off_keeps_it_split_after_reopening_and_b_puts_it_back() {
    let root = common::sample_dump();
    let data = common::data_dir();
    let (reply, was_under) = {
        let mut a = app(&root, data.path());
        let (reply, parent_doc) = a_reply(&a);
        a.go_to_doc(reply);
        a.update(Action::BreakThread);
        assert_eq!(
            status(&a),
            "split off into a thread of its own; B puts it back"
        );
        assert_eq!(parent(&a, reply), None);
        assert_eq!(a.selected_doc(), Some(reply), "the cursor stays on it");
        assert!(screen(&a).contains("placed by hand"), "{}", screen(&a));
        (reply, parent_doc)
    };
    let mut a = app(&root, data.path());
    assert_eq!(parent(&a, reply), None, "still split off after reopening");
    a.go_to_doc(reply);
    a.update(Action::BreakThread);
    assert_eq!(status(&a), "threaded by its headers again");
    assert_eq!(parent(&a, reply), Some(was_under));
    let fresh = app(&root, common::data_dir().path());
    assert_eq!(
        parents(&a),
        parents(&fresh),
        "the tree is as the headers make it"
    );
    assert_eq!(a.ws.tree.thread_count, fresh.ws.tree.thread_count);
    assert!(a.ws.project.store.thread_links().expect("links").is_empty());
}

#[test]
fn l_then_l_hangs_a_message_under_another_and_refuses_a_loop() {
    let root = common::sample_dump();
    let data = common::data_dir();
    let invoice = {
        let mut a = app(&root, data.path());
        let invoice = by_subject(&a, "Remboursement de 2 900 euros ?");
        let (reply, thread_top) = a_reply(&a);
        // A loop: the reply's parent under its own reply.
        a.go_to_doc(thread_top);
        a.update(Action::LinkThread);
        let asked = screen(&a);
        assert!(asked.contains(" Linking "), "{asked}");
        insta::assert_snapshot!("linking_hint_80x24", asked.lines().last().unwrap_or(""));
        a.go_to_doc(reply);
        a.update(Action::LinkThread);
        assert!(
            status(&a).contains("is a reply below the one being moved"),
            "{}",
            status(&a)
        );
        assert!(a.linking.is_some(), "still waiting for a parent");
        a.update(Action::ClearSearch);
        assert_eq!(status(&a), "linking cancelled");
        assert!(a.linking.is_none());

        a.go_to_doc(invoice);
        a.update(Action::LinkThread);
        a.go_to_doc(reply);
        a.update(Action::LinkThread);
        assert_eq!(
            status(&a),
            "moved under the selected message; B puts it back"
        );
        assert_eq!(parent(&a, invoice), Some(reply));
        assert_eq!(a.selected_doc(), Some(invoice));
        invoice
    };
    let a = app(&root, data.path());
    let (reply, _) = a_reply(&a);
    assert_eq!(parent(&a, invoice), Some(reply), "kept after reopening");
    // `trawl gaps`, `trawl tree` and searches read the same tree.
    assert!(a.ws.project.store.integrity_ok().expect("check"));
}

#[test]
fn a_message_split_off_stays_split_when_its_bytes_change() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("dump");
    common::copy_dir(&common::sample_dump(), &root);
    let data = common::data_dir();
    let (reply_id, reply_path) = {
        let mut a = app(&root, data.path());
        // A reply in a file of its own (not inside an mbox).
        let reply = (0..a.ws.scan.docs.len())
            .filter(|&d| a.ws.doc(d).location.container == Container::File)
            .find(|&d| a.ws.doc(d).is_mail() && parent(&a, d).is_some())
            .expect("a reply in its own file");
        let d = a.ws.doc(reply);
        let id = d.message_id().expect("id").to_string();
        let path = root.join(&*d.location.path);
        a.go_to_doc(reply);
        a.update(Action::BreakThread);
        (id, path)
    };
    // The dump is re-exported: same message, one more line of body.
    let mut bytes = std::fs::read(&reply_path).expect("read");
    bytes.extend_from_slice(b"\n-- \nsent from a phone\n");
    std::fs::write(&reply_path, bytes).expect("write");
    let a = app(&root, data.path());
    let reply = (0..a.ws.scan.docs.len())
        .find(|&d| a.ws.doc(d).message_id() == Some(reply_id.as_str()))
        .expect("still there");
    assert_eq!(
        parent(&a, reply),
        None,
        "found by Message-ID, still split off"
    );
}

#[test]
fn m_lists_the_missing_messages_and_enter_shows_one_in_the_tree() {
    let root = common::sample_dump();
    let data = common::data_dir();
    let mut a = app(&root, data.path());
    let expected = trawl::gaps::gaps(&a.ws);
    assert!(!expected.is_empty(), "the sample dump has a gap");
    a.update(Action::Gaps);
    let overlay = screen(&a);
    assert!(overlay.contains("Missing from the dump"), "{overlay}");
    insta::assert_snapshot!("missing_messages_80x24", overlay);
    a.update(Action::Down);
    let last = expected.len() - 1;
    assert!(matches!(a.mode, Mode::Gaps { cursor, .. } if cursor == 1.min(last)));
    a.update(Action::GoTo);
    assert_eq!(a.mode, Mode::Normal);
    let node = a.selected_node().expect("a row");
    let want = &expected[1.min(last)].message_id;
    assert!(
        matches!(&a.ws.tree.nodes[node as usize].entry, Entry::Missing(id) if id == want),
        "the cursor is on the placeholder of {want}"
    );
    assert!(screen(&a).contains("This message is not in the dump"));
    // Keys of the list are on the help screen.
    assert!(a
        .keymap
        .help_rows()
        .iter()
        .any(|(_, d)| d == "Lists (missing messages, problems)"));
}
