//! A dump built to trip the scanner: it must finish, load what it can, and
//! say what it skipped and why.

mod common;

use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::Command;

use trawl::ingest;

const MAIL: &str = "From: a@x.example\nTo: b@x.example\nSubject: ok\nMessage-ID: <ok@x.example>\nDate: Thu, 16 Mar 2017 10:02:11 +0100\n\nhello\n";

#[test]
fn pipes_links_odd_names_and_junk_do_not_stop_the_scan() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("dump with spaces");
    std::fs::create_dir_all(root.join("sub")).expect("mkdir");
    std::fs::write(root.join("good.eml"), MAIL).expect("write");
    // A name that is not UTF-8.
    let odd = std::ffi::OsStr::from_bytes(b"caf\xe9 \x1b[31m.eml");
    std::fs::write(root.join("sub").join(odd), MAIL.replace("ok@", "odd@")).expect("write");
    std::fs::write(root.join("empty"), b"").expect("write");
    std::fs::write(root.join("binary.bin"), [0u8, 159, 146, 150, 0, 1, 2]).expect("write");
    std::fs::write(
        root.join("truncated.mbox"),
        b"From a@b Thu Mar 16 10:02:11 2017\nSubject: cut",
    )
    .expect("write");
    std::os::unix::fs::symlink("/etc/passwd", root.join("escape.eml")).expect("symlink");
    std::os::unix::fs::symlink("/nonexistent", root.join("dangling")).expect("symlink");
    let fifo = root.join("pipe.eml");
    let made_fifo = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());

    let scan = ingest::scan(&root).expect("scan finishes");
    let ids: Vec<_> = scan
        .docs
        .iter()
        .filter_map(|d| d.message_id().map(str::to_string))
        .collect();
    assert!(ids.contains(&"ok@x.example".to_string()));
    assert!(
        ids.contains(&"odd@x.example".to_string()),
        "non-UTF-8 file name still loads"
    );
    assert_eq!(
        scan.mail_count(),
        3,
        "good, odd and the cut-off mbox message"
    );
    let reasons: Vec<(String, String)> = scan
        .problems
        .iter()
        .map(|p| (p.path.to_string_lossy().into_owned(), p.reason.clone()))
        .collect();
    assert!(
        reasons.contains(&("escape.eml".into(), "symbolic link not followed".into())),
        "{reasons:?}"
    );
    assert!(
        reasons.contains(&("dangling".into(), "symbolic link not followed".into())),
        "{reasons:?}"
    );
    if made_fifo {
        assert!(
            reasons
                .iter()
                .any(|(p, r)| p == "pipe.eml" && r.contains("not a regular file")),
            "{reasons:?}"
        );
    }
    let empty = scan
        .docs
        .iter()
        .find(|d| *d.location.path == *Path::new("empty"))
        .expect("empty file listed");
    assert_eq!(empty.file_type(), "empty");

    // Text output of the tree never carries the escape in the file name.
    let data = common::data_dir();
    let ws = trawl::workspace::Workspace::open_in(&root, data.path()).expect("open");
    let mut out = Vec::new();
    trawl::tree_text::write_tree(&ws, false, &mut out).expect("write");
    assert!(!out.contains(&0x1b));
    assert!(
        !ws.project.dir.starts_with(&root),
        "state never goes into the dump"
    );
}

#[test]
fn a_state_folder_inside_the_dump_is_refused() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("dump");
    std::fs::create_dir_all(&root).expect("mkdir");
    std::fs::write(root.join("m.eml"), MAIL).expect("write");
    let inside = root.join(".trawl-state");
    let err = trawl::workspace::Workspace::open_in(&root, &inside)
        .err()
        .expect("refused");
    assert!(err.to_string().contains("inside the dump"), "{err}");
    assert!(!inside.exists(), "nothing was created in the dump");
}

#[test]
fn a_huge_message_and_thousands_of_empty_files_are_handled() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("dump");
    std::fs::create_dir_all(root.join("empty")).expect("mkdir");
    for i in 0..5_000 {
        std::fs::write(root.join("empty").join(format!("{i:05}")), b"").expect("write");
    }
    // A message larger than the parse limit: headers still read, warned.
    let limit = trawl::ingest::limits::MAX_DOCUMENT_BYTES as usize;
    let mut big =
        String::from("From: big@x.example\nSubject: huge\nMessage-ID: <huge@x.example>\n\n");
    let line = "x".repeat(999) + "\n";
    while big.len() <= limit + 1_000 {
        big.push_str(&line);
    }
    std::fs::write(root.join("huge.eml"), &big).expect("write");
    // An mbox whose last message has no final newline.
    std::fs::write(
        root.join("cut.mbox"),
        "From a@b Thu Mar 16 10:02:11 2017\nSubject: one\nMessage-ID: <one@b>\n\nbody\n\nFrom a@b Thu Mar 16 10:03:11 2017\nSubject: two\nMessage-ID: <two@b>\n\nno newline at the end",
    )
    .expect("write");

    let state = tempfile::tempdir().expect("tmp");
    let out = trawl::index::catalog::update(&root, state.path(), &|_| {}).expect("index");
    assert_eq!(out.stats.messages, 3);
    assert_eq!(out.stats.documents, 5_003);
    let huge = out
        .scan
        .docs
        .iter()
        .find(|d| d.message_id() == Some("huge@x.example"))
        .expect("huge");
    assert_eq!(huge.size() as usize, big.len());
    assert!(
        huge.warning().is_some_and(|w| w.contains("too large")),
        "{:?}",
        huge.warning()
    );
    assert!(out
        .scan
        .docs
        .iter()
        .any(|d| d.message_id() == Some("two@b")));
    let empties = out
        .scan
        .docs
        .iter()
        .filter(|d| d.file_type() == "empty")
        .count();
    assert_eq!(empties, 5_000);
}
