//! Every file that could not be read is listed with its reason: by `trawl
//! index`, and in the browser (`P`). And the whole test corpus indexes
//! with no panic.

mod common;

use std::process::Command;

use trawl::tui::action::Action;
use trawl::tui::app::{App, Mode};
use trawl::tui::keymap::Keymap;
use trawl::tui::theme::Theme;
use trawl::workspace::Workspace;

const MAIL: &str = "From: a@x.example\nSubject: ok\nMessage-ID: <ok@x.example>\nDate: Thu, 16 Mar 2017 10:02:11 +0100\n\nhello\n";

fn dump_with_problems() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("dump");
    std::fs::create_dir_all(&root).expect("mkdir");
    std::fs::write(root.join("good.eml"), MAIL).expect("write");
    std::os::unix::fs::symlink("/etc/passwd", root.join("escape.eml")).expect("symlink");
    std::os::unix::fs::symlink("/nonexistent", root.join("dangling")).expect("symlink");
    (tmp, root)
}

#[test]
fn p_lists_what_could_not_be_read_and_why() {
    let (_tmp, root) = dump_with_problems();
    let data = common::data_dir();
    let ws = Workspace::open_in(&root, data.path()).expect("open");
    let mut a = App::new(ws, Keymap::builtin(), Theme { color: false }, (80, 24));
    let screen = common::text(&common::render(&a));
    assert!(screen.contains("2 files not read (P)"), "{screen}");
    a.update(Action::Problems);
    assert!(matches!(a.mode, Mode::Problems { cursor: 0, .. }));
    let listed = common::text(&common::render(&a));
    assert!(listed.contains("symbolic link not followed"), "{listed}");
    insta::assert_snapshot!("problems_80x24", listed);
    a.update(Action::Down);
    a.update(Action::GoTo);
    assert_eq!(a.mode, Mode::Normal);
    let said = a.status.clone().map(|(_, s)| s).unwrap_or_default();
    assert!(
        said.contains("nothing of that file could be read"),
        "{said}"
    );
}

#[test]
fn trawl_index_lists_each_problem_then_counts_them() {
    let (_tmp, root) = dump_with_problems();
    let data = common::data_dir();
    let out = Command::new(env!("CARGO_BIN_EXE_trawl"))
        .args(["index", root.to_str().expect("utf-8")])
        .env("TRAWL_DATA_DIR", data.path())
        .output()
        .expect("run");
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("skipped escape.eml: symbolic link not followed"),
        "{err}"
    );
    assert!(
        err.contains("skipped dangling: symbolic link not followed"),
        "{err}"
    );
    assert!(err.contains("2 files could not be read"), "{err}");
}

/// Every folder of `../shared/corpus` at once (real mail, malformed MIME
/// from other parsers' suites, Outlook files, office documents): indexed
/// by the real binary with no panic, and anything not read is listed.
#[test]
fn the_whole_corpus_indexes_without_a_panic() {
    let Some(corpus) = common::corpus("") else {
        return;
    };
    let data = common::data_dir();
    let out = Command::new(env!("CARGO_BIN_EXE_trawl"))
        .args(["index", corpus.to_str().expect("utf-8")])
        .env("TRAWL_DATA_DIR", data.path())
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let files = walkdir::WalkDir::new(&corpus)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .count();
    let malformed = walkdir::WalkDir::new(corpus.join("mime-edge-cases"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .count();
    let skipped = err
        .lines()
        .filter(|l| l.starts_with("trawl: skipped "))
        .count();
    let summary = err
        .lines()
        .find(|l| l.starts_with("trawl: indexed "))
        .unwrap_or_else(|| panic!("no summary in {err}"));
    assert!(
        err.contains("every file was read") || err.contains("could not be read"),
        "{err}"
    );
    println!(
        "corpus: {files} files ingested ({malformed} of them malformed MIME cases), {skipped} listed as not read; {summary}"
    );
}

#[test]
fn documents_read_only_in_part_are_listed_too_and_enter_goes_to_them() {
    let (_tmp, root) = dump_with_problems();
    // A message of an mbox with no header at all: listed, with the
    // reason, and shown as best it can.
    std::fs::write(
        root.join("cut.mbox"),
        "From a@b Thu Mar 16 10:02:11 2017\nX: y\n\nno sender, date or subject\n",
    )
    .expect("write");
    let data = common::data_dir();
    let ws = Workspace::open_in(&root, data.path()).expect("open");
    let partial: Vec<usize> = (0..ws.scan.docs.len())
        .filter(|&d| ws.doc(d).warning().is_some())
        .collect();
    assert_eq!(partial.len(), 1, "the junk file is read in part");
    let mut a = App::new(ws, Keymap::builtin(), Theme { color: false }, (80, 24));
    a.update(Action::Problems);
    let Mode::Problems { list, .. } = &a.mode else {
        panic!("no list");
    };
    assert_eq!(list.len(), 3, "two links, one partial read: {list:?}");
    assert_eq!(list[2].doc, Some(partial[0]));
    a.update(Action::Down);
    a.update(Action::Down);
    a.update(Action::GoTo);
    assert_eq!(a.selected_doc(), Some(partial[0]));
}
