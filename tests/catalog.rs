//! The persistent catalog: parse once, reopen without parsing, notice what
//! changed, survive damage and interruption.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use trawl::index::catalog::{self, Outcome};
use trawl::tui::action::Action;
use trawl::tui::app::App;
use trawl::tui::keymap::Keymap;
use trawl::tui::theme::Theme;
use trawl::workspace::Workspace;

fn index(root: &Path, dir: &Path) -> Outcome {
    catalog::update(root, dir, &|_| {}).expect("index")
}

fn ids(o: &Outcome) -> Vec<Option<String>> {
    o.scan
        .docs
        .iter()
        .map(|d| d.message_id().map(str::to_string))
        .collect()
}

#[test]
fn second_run_parses_nothing_and_gives_the_same_result() {
    let state = tempfile::tempdir().expect("tmp");
    let root = common::sample_dump();
    let first = index(&root, state.path());
    assert!(first.stats.changed);
    assert_eq!(first.stats.parsed_files, first.stats.files);
    assert_eq!(first.stats.messages, 50);
    assert!(first.stats.catalog_bytes > 0);

    let second = index(&root, state.path());
    assert!(!second.stats.changed);
    assert_eq!(second.stats.parsed_files, 0);
    assert_eq!(second.stats.reused_files, first.stats.files);
    assert_eq!(ids(&second), ids(&first));
    assert_eq!(second.tree.nodes.len(), first.tree.nodes.len());
    for (a, b) in first.tree.nodes.iter().zip(&second.tree.nodes) {
        assert_eq!(
            (a.entry.clone(), a.depth, a.parent),
            (b.entry.clone(), b.depth, b.parent)
        );
    }
    // What browsing loads has no threading headers in memory.
    assert!(second.scan.docs.iter().all(|d| d.threading.is_empty()));
    let view = catalog::load_view(state.path())
        .expect("load")
        .expect("catalog");
    assert!(view.complete);
    assert_eq!(view.docs.len(), first.scan.docs.len());
}

#[test]
fn changed_new_and_vanished_files_are_noticed_and_rethreaded() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("dump");
    common::copy_dir(&common::sample_dump(), &root);
    let state = tempfile::tempdir().expect("tmp");
    let first = index(&root, state.path());

    // A reply arrives for a message that was a lone root; one file goes;
    // one mbox grows.
    let root_doc = first
        .scan
        .docs
        .iter()
        .find(|d| d.subject().starts_with("Debate night"))
        .expect("the consultant's note");
    let parent_id = root_doc.message_id().map(str::to_string).expect("id");
    std::fs::write(
        root.join("divers/reply.eml"),
        format!(
            "From: claire.morel@avenir-commun.example\nTo: d@whitfield-strategies.example\nSubject: Re: Debate night\nMessage-ID: <new-reply@avenir-commun.example>\nIn-Reply-To: <{parent_id}>\nReferences: <{parent_id}>\nDate: Fri, 05 May 2017 09:00:00 +0200\n\nThanks.\n"
        ),
    )
    .expect("new file");
    std::fs::remove_file(root.join("divers/note_interne")).expect("remove");
    let mbox = root.join("exports/equipe-com-archive.mbox");
    let mut text = std::fs::read_to_string(&mbox).expect("mbox");
    text.push_str("From x@y.example Sat May 06 10:00:00 2017\nFrom: x@y.example\nSubject: appended\nMessage-ID: <appended@y.example>\n\nlate addition\n\n");
    std::fs::write(&mbox, text).expect("grow mbox");

    let second = index(&root, state.path());
    assert!(second.stats.changed);
    assert_eq!(
        second.stats.parsed_files, 2,
        "the new file and the grown mbox"
    );
    assert_eq!(second.stats.vanished_files, 1);
    assert_eq!(second.stats.messages, 50 + 1 + 1 - 1);
    assert!(second
        .scan
        .problems
        .iter()
        .any(|p| p.path == Path::new("divers/note_interne")
            && p.reason.contains("no longer in the dump")));
    // The reply hangs under the message it answers, though that file was
    // not re-read: its References came from the catalog.
    let reply = second
        .scan
        .docs
        .iter()
        .position(|d| d.message_id() == Some("new-reply@avenir-commun.example"))
        .expect("reply");
    let node = &second.tree.nodes[second.tree.doc_node[reply] as usize];
    let parent = node.parent.expect("has a parent");
    match &second.tree.nodes[parent as usize].entry {
        trawl::browse::Entry::Doc(d) => {
            assert_eq!(second.scan.docs[*d].message_id(), Some(parent_id.as_str()));
        }
        other => panic!("parent is {other:?}"),
    }
    // And an unchanged message deep in a thread kept its place.
    let third = index(&root, state.path());
    assert!(!third.stats.changed);
    assert_eq!(ids(&third), ids(&second));
}

#[test]
fn a_damaged_catalog_is_rebuilt_not_trusted() {
    let state = tempfile::tempdir().expect("tmp");
    let root = common::sample_dump();
    index(&root, state.path());
    let path = state.path().join(catalog::CATALOG_FILE);
    let mut bytes = std::fs::read(&path).expect("read");
    let mid = bytes.len() / 2;
    bytes.truncate(mid);
    std::fs::write(&path, &bytes).expect("damage");
    assert!(catalog::load_view(state.path()).is_err());
    let again = index(&root, state.path());
    assert!(again.stats.changed);
    assert_eq!(again.stats.messages, 50);
    assert!(catalog::load_view(state.path())
        .expect("readable")
        .is_some());
    std::fs::write(&path, b"not a catalog at all").expect("garbage");
    assert_eq!(index(&root, state.path()).stats.messages, 50);
}

#[test]
fn the_tui_shows_a_background_index_when_it_arrives() {
    let data = common::data_dir();
    let root = common::sample_dump();
    let project = Workspace::project_for(&root, data.path()).expect("project");
    let dir = project.dir.clone();
    let empty = trawl::ingest::Scan {
        root: root.clone(),
        ..Default::default()
    };
    let ws = Workspace::from_parts(project, empty, trawl::browse::FlatTree::default()).expect("ws");
    let mut app = App::new(ws, Keymap::builtin(), Theme { color: false }, (80, 24));
    assert!(app.selected_doc().is_none());
    app.update(Action::Down); // nothing to move through: no panic
    let outcome = catalog::update(&root, &dir, &|_| {}).expect("index");
    app.update(Action::IndexDone(Box::new(outcome)));
    assert_eq!(app.ws.mail_count(), 50);
    assert!(app.selected_doc().is_some());
    app.update(Action::ToggleTag('1'));
    assert_eq!(app.tag_count(0), 1);
}

#[test]
fn an_index_killed_midway_resumes_from_its_checkpoint() {
    let Some(corpus) = common::corpus("enron-maildir") else {
        return;
    };
    let data = common::data_dir();
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_trawl"))
        .args(["index", corpus.to_str().expect("utf-8")])
        .env("TRAWL_DATA_DIR", data.path())
        .env(catalog::CHECKPOINT_ENV, "0")
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    // Wait for the first checkpoint, then kill -9.
    let projects = data.path().join("projects");
    let checkpoint = loop {
        let found = std::fs::read_dir(&projects)
            .ok()
            .and_then(|mut d| d.next())
            .and_then(Result::ok)
            .map(|e| e.path().join(catalog::CATALOG_FILE));
        if let Some(p) = found.filter(|p| p.exists()) {
            break p;
        }
        assert!(
            started.elapsed() < Duration::from_mins(1),
            "no checkpoint was written"
        );
        if child.try_wait().expect("wait").is_some() {
            break projects.join("finished-too-early");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let _ = child.kill();
    let _ = child.wait();
    if !checkpoint.exists() {
        eprintln!("skipped: the index finished before it could be interrupted");
        return;
    }
    let view =
        catalog::load_view(checkpoint.parent().expect("dir")).expect("a readable checkpoint");
    if let Some(v) = &view {
        assert!(v.docs.len() <= 20_156);
    }
    // The next run reuses what the checkpoint holds and completes.
    let out = Command::new(env!("CARGO_BIN_EXE_trawl"))
        .args(["index", "--json", corpus.to_str().expect("utf-8")])
        .env("TRAWL_DATA_DIR", data.path())
        .output()
        .expect("rerun");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(stats["messages"], 20_155);
    let interrupted_complete = view.as_ref().is_some_and(|v| v.complete);
    println!(
        "killed after {} documents; the rerun reused {} files",
        view.as_ref().map_or(0, |v| v.docs.len()),
        stats["reused_files"]
    );
    if !interrupted_complete {
        assert!(
            stats["reused_files"].as_u64().expect("n") > 0,
            "nothing was resumed: {stats}"
        );
    }
    assert!(
        catalog::load_view(checkpoint.parent().expect("dir"))
            .expect("ok")
            .expect("catalog")
            .complete
    );
}

#[test]
fn a_long_first_index_can_be_browsed_before_it_ends() {
    let Some(corpus) = common::corpus("enron-maildir") else {
        return;
    };
    let data = common::data_dir();
    let project = Workspace::project_for(&corpus, data.path()).expect("project");
    let dir = project.dir.clone();
    let empty = trawl::ingest::Scan {
        root: corpus.clone(),
        ..Default::default()
    };
    let ws = Workspace::from_parts(project, empty, trawl::browse::FlatTree::default()).expect("ws");
    let app = std::cell::RefCell::new(App::new(
        ws,
        Keymap::builtin(),
        Theme { color: false },
        (100, 30),
    ));
    let sizes = std::cell::RefCell::new(Vec::new());
    let done = catalog::update_with_snapshots(&corpus, &dir, &|_| {}, &|partial| {
        assert_eq!(
            partial.tree.doc_node.len(),
            partial.scan.docs.len(),
            "a consistent tree"
        );
        sizes.borrow_mut().push(partial.scan.docs.len());
        let mut a = app.borrow_mut();
        a.update(Action::IndexPartial(Box::new(partial)));
        // Browsable: move, tag, fold.
        a.update(Action::Down);
        a.update(Action::ToggleFold);
        assert!(a.selected_node().is_some());
    })
    .expect("index");
    let sizes = sizes.into_inner();
    assert!(
        !sizes.is_empty(),
        "no snapshot during a 20,000-message index"
    );
    assert!(sizes.windows(2).all(|w| w[0] < w[1]));
    assert!(
        sizes.iter().all(|n| (5_000..20_156).contains(n)),
        "{sizes:?}"
    );
    let mut a = app.into_inner();
    let before = a.selected_doc().map(|d| a.ws.doc(d).hash);
    a.update(Action::IndexDone(Box::new(done)));
    assert_eq!(a.ws.mail_count(), 20_155);
    assert_eq!(
        a.selected_doc().map(|d| a.ws.doc(d).hash),
        before,
        "selection kept"
    );
}

#[test]
fn checking_an_up_to_date_catalog_loads_no_documents() {
    let state = tempfile::tempdir().expect("tmp");
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("dump");
    common::copy_dir(&common::sample_dump(), &root);
    assert!(catalog::check(&root, state.path(), &|_| {}, &|_| {})
        .expect("first")
        .is_some());
    assert!(
        catalog::check(&root, state.path(), &|_| {}, &|_| {})
            .expect("again")
            .is_none(),
        "nothing changed"
    );
    std::fs::write(
        root.join("divers/new.eml"),
        "From: a@x.example\nSubject: n\nMessage-ID: <n@x>\n\nx\n",
    )
    .expect("write");
    let changed = catalog::check(&root, state.path(), &|_| {}, &|_| {})
        .expect("changed")
        .expect("an outcome");
    assert_eq!(changed.stats.parsed_files, 1);
    assert_eq!(changed.stats.messages, 51);
    // update() still returns the documents when nothing changed.
    let same = index(&root, state.path());
    assert!(!same.stats.changed);
    assert_eq!(same.stats.messages, 51);
    assert_eq!(same.tree.doc_node.len(), same.scan.docs.len());

    // Same size, new time: noticed. Same count, other name: noticed.
    let new = root.join("divers/new.eml");
    let file = std::fs::File::options()
        .write(true)
        .open(&new)
        .expect("open");
    file.set_modified(std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000))
        .expect("touch");
    drop(file);
    let touched = catalog::check(&root, state.path(), &|_| {}, &|_| {}).expect("touched");
    assert_eq!(touched.expect("an outcome").stats.parsed_files, 1);
    std::fs::rename(&new, root.join("divers/renamed.eml")).expect("rename");
    let renamed = catalog::check(&root, state.path(), &|_| {}, &|_| {}).expect("renamed");
    assert_eq!(renamed.expect("an outcome").stats.parsed_files, 1);
    assert!(catalog::check(&root, state.path(), &|_| {}, &|_| {})
        .expect("settled")
        .is_none());
}
