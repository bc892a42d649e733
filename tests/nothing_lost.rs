//! Nothing the user did is lost: a tagging burst killed with SIGKILL keeps
//! every change it acknowledged; two trawl processes tag the same project
//! at once safely; a full disk stops the work with one clear line and
//! keeps everything already saved. The real binary is run each time
//! (`trawl tag` prints a line only once its change is on disk).

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use trawl::workspace::Workspace;

/// Matches every document.
const ALL: &str = "NOT zzzqqqnothing";

fn trawl(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_trawl"));
    c.env("TRAWL_DATA_DIR", data);
    c
}

/// A synthetic dump of `messages` e-mails, catalogued and indexed.
fn indexed_dump(messages: usize) -> (tempfile::TempDir, PathBuf, tempfile::TempDir) {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("dump");
    trawl::synth::generate(&root, messages, 7).expect("generate");
    let data = common::data_dir();
    let out = trawl(data.path())
        .args(["index", "--text"])
        .arg(&root)
        .output()
        .expect("index");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (tmp, root, data)
}

/// The locations printed as done by `trawl tag`.
fn acknowledged(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter_map(|l| l.strip_prefix("tagged\t").map(str::to_string))
        .collect()
}

/// The documents carrying `tag` after reopening, by location; and whether
/// the state database passes SQLite's integrity check.
fn tagged_after_reopen(root: &Path, data: &Path, tag: &str) -> (Vec<String>, bool) {
    let ws = Workspace::open_in(root, data).expect("reopen");
    let ok = ws.project.store.integrity_ok().expect("integrity check");
    let Some(id) = ws.tags.iter().find(|t| t.name == tag).map(|t| t.id) else {
        return (Vec::new(), ok);
    };
    let docs = (0..ws.scan.docs.len())
        .filter(|&d| ws.has_tag(d, id))
        .map(|d| ws.doc(d).location.display())
        .collect();
    (docs, ok)
}

#[test]
fn a_burst_killed_with_sigkill_keeps_every_acknowledged_change() {
    let (_tmp, root, data) = indexed_dump(1500);
    let mut child = trawl(data.path())
        .args(["tag", "--tag", "burst"])
        .arg(&root)
        .arg(ALL)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = Vec::new();
    for line in BufReader::new(stdout).lines() {
        lines.push(line.expect("line"));
        if lines.len() == 300 {
            break;
        }
    }
    assert!(
        child.try_wait().expect("wait").is_none(),
        "the burst must still be running when it is killed"
    );
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    let acked = acknowledged(&lines);
    assert_eq!(acked.len(), 300);
    let (tagged, intact) = tagged_after_reopen(&root, data.path(), "burst");
    assert!(intact, "the state database passes its integrity check");
    let missing: Vec<&String> = acked.iter().filter(|l| !tagged.contains(l)).collect();
    assert!(missing.is_empty(), "acknowledged but lost: {missing:?}");
    println!(
        "killed mid-burst: {} changes acknowledged, {} on disk after reopening, none lost",
        acked.len(),
        tagged.len()
    );
}

#[test]
fn two_processes_tagging_one_project_at_once_both_land() {
    let (_tmp, root, data) = indexed_dump(400);
    let spawn = |tag: &str| {
        trawl(data.path())
            .args(["tag", "--tag", tag])
            .arg(&root)
            .arg(ALL)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn")
    };
    let (a, b) = (spawn("first"), spawn("second"));
    for child in [a, b] {
        let out = child.wait_with_output().expect("wait");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let (first, ok1) = tagged_after_reopen(&root, data.path(), "first");
    let (second, ok2) = tagged_after_reopen(&root, data.path(), "second");
    assert!(ok1 && ok2);
    let ws = Workspace::open_in(&root, data.path()).expect("open");
    assert_eq!(
        first.len(),
        ws.scan.docs.len(),
        "every document got the first tag"
    );
    assert_eq!(second.len(), ws.scan.docs.len(), "and the second");
}

#[test]
fn a_full_disk_stops_with_one_clear_line_and_keeps_what_was_saved() {
    let (_tmp, root, data) = indexed_dump(300);
    let state = walkdir::WalkDir::new(data.path())
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.file_name() == "state.sqlite3")
        .expect("state database")
        .into_path();
    // No file may grow past what the state database holds now: the
    // write-ahead log fills up after a few changes, as on a full disk.
    let limit = std::fs::metadata(&state).expect("size").len() + 16 * 1024;
    let out = Command::new("sh")
        .arg("-c")
        .arg(r#"trap '' XFSZ; exec prlimit --fsize="$0" -- "$@""#)
        .arg(limit.to_string())
        .arg(env!("CARGO_BIN_EXE_trawl"))
        .args(["tag", "--tag", "overflow"])
        .arg(&root)
        .arg(ALL)
        .env("TRAWL_DATA_DIR", data.path())
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("cannot write the project state"))
        .collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(errors[0].starts_with("trawl: "), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let acked = acknowledged(
        &String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect::<Vec<_>>(),
    );
    assert!(!acked.is_empty(), "some changes fit before the disk filled");
    let (tagged, intact) = tagged_after_reopen(&root, data.path(), "overflow");
    assert!(intact);
    let missing: Vec<&String> = acked.iter().filter(|l| !tagged.contains(l)).collect();
    assert!(missing.is_empty(), "acknowledged but lost: {missing:?}");
    println!(
        "disk full after {} changes: {}; all kept",
        acked.len(),
        errors[0]
    );
}
