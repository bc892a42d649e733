//! The dump is evidence: after indexing, searching, tagging, threading by
//! hand, reading in the browser, extracting documents, saving a copy
//! elsewhere and importing keys, every entry under the dump root — files,
//! folders, links — has the same bytes, the same modification time and the
//! same permissions, and nothing was added. The dump is read-only, lives
//! on a path with spaces, has a name that is not UTF-8, and a link that
//! points outside it (which is reported, not followed).

mod common;

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use trawl::tui::action::Action;
use trawl::tui::app::App;
use trawl::tui::keymap::Keymap;
use trawl::tui::theme::Theme;
use trawl::workspace::Workspace;

/// What an entry is and holds: kind, bytes or link target, mtime, mode.
type Entry = (char, Vec<u8>, SystemTime, u32);

fn snapshot(root: &Path) -> BTreeMap<PathBuf, Entry> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| {
            let e = e.expect("walk");
            let meta = std::fs::symlink_metadata(e.path()).expect("meta");
            let (kind, content) = if meta.file_type().is_symlink() {
                let target = std::fs::read_link(e.path()).expect("link");
                ('l', target.as_os_str().as_bytes().to_vec())
            } else if meta.is_dir() {
                ('d', Vec::new())
            } else {
                ('f', std::fs::read(e.path()).expect("read"))
            };
            let entry = (
                kind,
                content,
                meta.modified().expect("mtime"),
                meta.permissions().mode(),
            );
            (e.path().to_path_buf(), entry)
        })
        .collect()
}

/// Make every file and folder under `root` read-only (or writable again).
fn set_read_only(root: &Path, read_only: bool) {
    // Folders last when locking (their entries first), first when unlocking.
    // (walkdir lists a folder before its entries unless asked otherwise.)
    let entries: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .contents_first(read_only)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.path_is_symlink())
        .map(walkdir::DirEntry::into_path)
        .collect();
    for path in entries {
        let mut perms = std::fs::metadata(&path).expect("meta").permissions();
        let mode = perms.mode();
        perms.set_mode(if read_only {
            mode & !0o222
        } else {
            mode | 0o200
        });
        std::fs::set_permissions(&path, perms).expect("chmod");
    }
}

fn run(args: &[&OsStr], data: &Path) {
    let out = Command::new(env!("CARGO_BIN_EXE_trawl"))
        .args(args)
        .env("TRAWL_DATA_DIR", data)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn nothing_under_the_dump_changes_whatever_the_user_does() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("leak with spaces");
    common::copy_dir(&common::sample_dump(), &root);
    std::fs::write(
        root.join(OsStr::from_bytes(b"r\xe9sum\xe9 \xff.eml")),
        "From: a@x.example\nSubject: odd name\nMessage-ID: <odd@x.example>\n\nhi\n",
    )
    .expect("write");
    std::os::unix::fs::symlink("/etc/hostname", root.join("outside.eml")).expect("link");
    set_read_only(&root, true);
    let before = snapshot(&root);
    let data = common::data_dir();
    let d = data.path();
    let dump = root.as_os_str();

    run(&["index".as_ref(), "--text".as_ref(), dump], d);
    run(
        &[
            "tag".as_ref(),
            "--tag".as_ref(),
            "checked".as_ref(),
            dump,
            "from:claire".as_ref(),
        ],
        d,
    );
    run(&["search".as_ref(), dump, "budget".as_ref()], d);
    run(&["tree".as_ref(), "--json".as_ref(), dump], d);
    run(&["gaps".as_ref(), dump], d);
    let keys = tmp.path().join("keys.txt");
    std::fs::write(&keys, "s1._domainkey.x.example \"v=DKIM1; p=AAAA\"\n").expect("keys");
    run(
        &["keys".as_ref(), "import".as_ref(), dump, keys.as_os_str()],
        d,
    );

    // The browser: read every document (extracting the office files and
    // PDFs), tag, thread by hand, save a copy elsewhere.
    let ws = Workspace::open_in(&root, d).expect("open");
    let problems: Vec<String> = ws
        .scan
        .problems
        .iter()
        .map(|p| format!("{}: {}", p.path.display(), p.reason))
        .collect();
    assert!(
        problems.contains(&"outside.eml: symbolic link not followed".to_string()),
        "{problems:?}"
    );
    let mut app = App::new(ws, Keymap::builtin(), Theme { color: false }, (100, 30));
    let mut extracted = 0;
    for doc in 0..app.ws.scan.docs.len() {
        app.go_to_doc(doc);
        if trawl::preview::needs_extraction(app.ws.doc(doc)) && !app.extracted.contains_key(&doc) {
            common::wait_for_extraction(&mut app, doc);
            extracted += 1;
        }
    }
    assert!(
        extracted > 5,
        "office files and PDFs were read: {extracted}"
    );
    app.update(Action::ToggleTag('2'));
    app.update(Action::BreakThread);
    let saved_to = tempfile::tempdir().expect("out");
    app.update(Action::SaveDocument);
    app.update(Action::PromptClear);
    for c in saved_to.path().to_str().expect("utf-8").chars() {
        app.update(Action::PromptInput(c));
    }
    app.update(Action::PromptSubmit);
    assert_eq!(
        std::fs::read_dir(saved_to.path()).expect("out").count(),
        1,
        "{:?}",
        app.status
    );
    app.update(Action::Quit);
    drop(app);

    let after = snapshot(&root);
    set_read_only(&root, false);
    let added: Vec<&PathBuf> = after.keys().filter(|p| !before.contains_key(*p)).collect();
    assert!(added.is_empty(), "created in the dump: {added:?}");
    for (path, was) in &before {
        assert_eq!(after.get(path), Some(was), "{} changed", path.display());
    }
    println!(
        "{} entries under the dump compared (bytes, mtime, mode): none changed, none added",
        before.len()
    );
}
