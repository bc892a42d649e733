//! Saving attachments out of a dump: hostile names (path traversal,
//! absolute paths, control characters) never escape the chosen folder;
//! the same content is not written twice; a taken name is kept (the copy
//! gets ` (2)`) unless overwriting is asked for, which replaces a planted
//! link instead of following it and never replaces a folder.

use std::path::{Path, PathBuf};

mod common;

use trawl::ingest;
use trawl::save::{self, IfTaken, Plan};

fn attachment(name: &str, body: &str) -> String {
    format!(
        "--b\r\nContent-Type: application/octet-stream\r\n\
         Content-Disposition: attachment; filename=\"{name}\"\r\n\r\n{body}\r\n"
    )
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.path().to_path_buf())
        .collect();
    out.sort();
    out
}

#[test]
fn hostile_attachment_names_stay_inside_the_chosen_folder() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("dump");
    let out = tmp.path().join("a/b/out");
    std::fs::create_dir_all(&root).expect("mkdir");
    std::fs::create_dir_all(&out).expect("mkdir");
    let names = [
        "../../etc/passwd",
        "../../../../../../tmp/evil.sh",
        "/etc/cron.d/job",
        "..\\..\\windows\\win.ini",
        "ok\u{1b}]52;c;Y3VybA==\u{7}\u{202e}txt.exe",
        "..",
    ];
    let mut raw = String::from(
        "From: a@x.example\r\nSubject: hostile names\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n",
    );
    for (i, n) in names.iter().enumerate() {
        raw.push_str(&attachment(n, &format!("payload {i}")));
    }
    raw.push_str("--b--\r\n");
    std::fs::write(root.join("m.eml"), raw).expect("write");
    let scan = ingest::scan(&root).expect("scan");
    let parts: Vec<usize> = (0..scan.docs.len())
        .filter(|&i| scan.docs[i].is_part())
        .collect();
    assert_eq!(parts.len(), names.len());

    let before = files_under(tmp.path());
    let mut written = Vec::new();
    for &p in &parts {
        written.push(save::save_document(&root, &scan.docs, p, &out).expect("save"));
    }
    // Saving the same again never replaces the first copies.
    for &p in &parts {
        written.push(save::save_document(&root, &scan.docs, p, &out).expect("save"));
    }
    for path in &written {
        assert_eq!(path.parent(), Some(out.as_path()), "{path:?} escaped");
        let name = path.file_name().expect("name").to_string_lossy();
        assert!(
            name.chars()
                .all(|c| !c.is_control() && !trawl::sanitize::is_unsafe(c)),
            "{name:?}"
        );
    }
    let after = files_under(tmp.path());
    let new: Vec<&PathBuf> = after.iter().filter(|p| !before.contains(p)).collect();
    assert_eq!(new.len(), written.len(), "{new:?}");
    assert!(new.iter().all(|p| p.parent() == Some(out.as_path())));
    // Each file holds its own attachment, the second round under new names.
    for (k, path) in written.iter().enumerate() {
        let i = k % names.len();
        let text = std::fs::read_to_string(path).expect("read");
        assert_eq!(text.trim_end(), format!("payload {i}"), "{path:?}");
    }
    let names_written: Vec<String> = written
        .iter()
        .map(|p| p.file_name().expect("n").to_string_lossy().into_owned())
        .collect();
    assert_eq!(names_written[0], "passwd");
    assert_eq!(names_written[names.len()], "passwd (2)");
}

#[test]
fn a_planted_link_is_not_followed_and_nothing_is_overwritten() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).expect("mkdir");
    let victim = tmp.path().join("victim.txt");
    std::fs::write(&victim, "keep me").expect("write");
    std::os::unix::fs::symlink(&victim, out.join("report.txt")).expect("link");
    std::fs::write(out.join("report (2).txt"), "older").expect("write");
    let path = save::save_into(&out, "report.txt", b"new").expect("save");
    assert_eq!(path, out.join("report (3).txt"));
    assert_eq!(std::fs::read_to_string(&victim).expect("read"), "keep me");
    assert_eq!(
        std::fs::read_to_string(out.join("report (2).txt")).expect("read"),
        "older"
    );
    assert_eq!(std::fs::read_to_string(&path).expect("read"), "new");
}

/// The names in `dir`, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("read")
}

#[test]
fn the_same_content_is_already_saved_and_nothing_is_written() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path();
    assert_eq!(
        save::plan(out, "report.txt", b"first").expect("plan"),
        Plan::Free(out.join("report.txt"))
    );
    save::save_as(out, "report.txt", b"first", IfTaken::KeepBoth).expect("save");
    save::save_as(out, "report.txt", b"second", IfTaken::KeepBoth).expect("save");
    let before = common::snapshot_tree(out);

    for (bytes, at) in [(&b"first"[..], "report.txt"), (b"second", "report (2).txt")] {
        assert_eq!(
            save::plan(out, "report.txt", bytes).expect("plan"),
            Plan::Same(out.join(at)),
            "{at}"
        );
    }
    // A longer or shorter file with the same start is not the same.
    for other in [&b"firs"[..], b"first and more"] {
        assert!(matches!(
            save::plan(out, "report.txt", other).expect("plan"),
            Plan::Taken { .. }
        ));
    }
    assert_eq!(common::snapshot_tree(out), before, "plan wrote something");
}

#[test]
fn other_content_under_the_name_is_taken_and_keeping_both_numbers_the_copy() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path();
    std::fs::write(out.join("report.txt"), "older").expect("write");
    assert_eq!(
        save::plan(out, "report.txt", b"newer").expect("plan"),
        Plan::Taken {
            path: out.join("report.txt"),
            next_free: out.join("report (2).txt"),
            replaceable: true,
        }
    );
    let path = save::save_as(out, "report.txt", b"newer", IfTaken::KeepBoth).expect("save");
    assert_eq!(path, out.join("report (2).txt"));
    assert_eq!(read(&path), "newer");
    assert_eq!(read(&out.join("report.txt")), "older");
    // Without an extension the number goes at the end.
    std::fs::write(out.join("notes"), "a").expect("write");
    let path = save::save_as(out, "notes", b"b", IfTaken::KeepBoth).expect("save");
    assert_eq!(path, out.join("notes (2)"));
}

#[test]
fn overwriting_replaces_the_bytes_and_leaves_no_temporary_file() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path();
    std::fs::write(out.join("report.txt"), "older and longer").expect("write");
    let path = save::save_as(out, "report.txt", b"newer", IfTaken::Overwrite).expect("save");
    assert_eq!(path, out.join("report.txt"));
    assert_eq!(read(&path), "newer");
    assert_eq!(names_in(out), ["report.txt"]);
    // Overwriting a free name just creates it.
    let path = save::save_as(out, "fresh.txt", b"x", IfTaken::Overwrite).expect("save");
    assert_eq!(read(&path), "x");
    assert_eq!(names_in(out), ["fresh.txt", "report.txt"]);
}

#[test]
fn overwriting_a_planted_link_replaces_the_link_and_not_its_target() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).expect("mkdir");
    let victim = tmp.path().join("victim.txt");
    std::fs::write(&victim, "new").expect("write");
    std::os::unix::fs::symlink(&victim, out.join("report.txt")).expect("link");
    // Not followed even to compare: a link to the same bytes is not "saved".
    assert_eq!(
        save::plan(&out, "report.txt", b"new").expect("plan"),
        Plan::Taken {
            path: out.join("report.txt"),
            next_free: out.join("report (2).txt"),
            replaceable: true,
        }
    );
    std::fs::write(&victim, "keep me").expect("write");
    let path = save::save_as(&out, "report.txt", b"new", IfTaken::Overwrite).expect("save");
    assert_eq!(path, out.join("report.txt"));
    let meta = std::fs::symlink_metadata(&path).expect("meta");
    assert!(meta.file_type().is_file(), "{meta:?}");
    assert_eq!(read(&path), "new");
    assert_eq!(read(&victim), "keep me");
    assert_eq!(names_in(&out), ["report.txt"]);
}

/// `name` in `out` is taken by something that may not be replaced: the
/// plan says so and overwriting is refused; the refusal's text.
fn refused_to_overwrite(out: &Path, name: &str, bytes: &[u8]) -> String {
    let plan = save::plan(out, name, bytes).expect("plan");
    assert!(
        matches!(
            plan,
            Plan::Taken {
                replaceable: false,
                ..
            }
        ),
        "{plan:?}"
    );
    let err = save::save_as(out, name, bytes, IfTaken::Overwrite).expect_err("refused");
    err.to_string()
}

#[test]
fn a_folder_or_a_pipe_under_the_name_is_never_replaced() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path();
    std::fs::create_dir(out.join("report.txt")).expect("mkdir");
    std::fs::write(out.join("report.txt/inside"), "kept").expect("write");
    let err = refused_to_overwrite(out, "report.txt", b"new");
    assert!(err.contains("is a folder"), "{err}");
    assert_eq!(read(&out.join("report.txt/inside")), "kept");
    assert_eq!(names_in(out), ["report.txt"], "a temporary file was left");
    // Keeping both still works.
    let path = save::save_as(out, "report.txt", b"new", IfTaken::KeepBoth).expect("save");
    assert_eq!(path, out.join("report (2).txt"));

    // A named pipe is neither opened to compare (that would hang) nor
    // replaced.
    let status = std::process::Command::new("mkfifo")
        .arg(out.join("pipe.txt"))
        .status()
        .expect("mkfifo");
    assert!(status.success());
    let err = refused_to_overwrite(out, "pipe.txt", b"");
    assert!(err.contains("not a file"), "{err}");
}

#[test]
fn hostile_names_never_escape_when_overwriting_or_planning() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("a/out");
    std::fs::create_dir_all(&out).expect("mkdir");
    let victim = tmp.path().join("a/victim.txt");
    std::fs::write(&victim, "keep me").expect("write");
    for name in ["../victim.txt", "/etc/../../victim.txt", "..\\victim.txt"] {
        let (Plan::Free(planned) | Plan::Same(planned) | Plan::Taken { path: planned, .. }) =
            save::plan(&out, name, b"x").expect("plan");
        assert_eq!(planned, out.join("victim.txt"), "{name}");
        let path = save::save_as(&out, name, b"x", IfTaken::Overwrite).expect("save");
        assert_eq!(path, out.join("victim.txt"), "{name}");
    }
    assert_eq!(read(&victim), "keep me");
    assert_eq!(names_in(&out), ["victim.txt"]);
}
