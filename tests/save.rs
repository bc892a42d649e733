//! Saving attachments out of a dump: hostile names (path traversal,
//! absolute paths, control characters) never escape the chosen folder,
//! and nothing is ever overwritten.

use std::path::{Path, PathBuf};

use trawl::ingest;
use trawl::save;

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
