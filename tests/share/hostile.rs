//! A subject carrying terminal escapes (ESC, OSC 52, a bidi override) is
//! data: an export to a pipe or a file keeps it exact, an export to a
//! terminal shows it defused, and the dump is left as it was.

use std::path::Path;
use std::process::Command;

use base64::Engine as _;

use super::{export_to, ok, s, scratch, text, trawl};
use crate::common;
use trawl::workspace::Workspace;

/// Clears the screen, sets the clipboard, reverses what follows.
const EVIL: &str = "pay \u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7} now \u{202e}gnp.exe";

fn hostile_mail(root: &Path) {
    let encoded = base64::engine::general_purpose::STANDARD.encode(EVIL);
    let mail = format!(
        "From: Eve <eve@x.example>\r\n\
         To: Bob <bob@x.example>\r\n\
         Subject: =?utf-8?b?{encoded}?=\r\n\
         Date: Thu, 16 Mar 2017 10:02:11 +0100\r\n\
         Message-ID: <evil.1\u{1b}[31m@x.example>\r\n\
         \r\n\
         Hello.\r\n"
    );
    std::fs::write(root.join("evil.eml"), mail).expect("write");
}

#[test]
fn escapes_in_a_subject_reach_a_pipe_exact_and_the_dump_is_untouched() {
    let (_tmp, dump) = scratch();
    hostile_mail(&dump);
    let (data, out) = (common::data_dir(), common::data_dir());
    Workspace::open_in(&dump, data.path())
        .expect("open")
        .set_note_by(0, "ana", EVIL, Some(1_500_000_000))
        .expect("note");
    let before = common::snapshot_tree(&dump);

    let csv = ok(&["export", s(&dump), "--format", "csv"], data.path());
    let mut reader = csv::Reader::from_reader(&csv.stdout[..]);
    let header = reader.headers().expect("header").clone();
    let record = reader.records().next().expect("a row").expect("csv");
    let cell = |name: &str| &record[header.iter().position(|h| h == name).expect(name)];
    assert_eq!(cell("subject"), EVIL, "the subject is data: kept exact");
    let notes: serde_json::Value = serde_json::from_str(cell("notes")).expect("json");
    assert_eq!(notes[0]["text"], EVIL);

    let jsonl = ok(&["export", s(&dump), "--format", "jsonl"], data.path());
    assert!(!jsonl.stdout.contains(&0x1b), "JSON escapes ESC");
    let row: serde_json::Value = serde_json::from_slice(&jsonl.stdout).expect("json");
    assert_eq!(row["subject"], EVIL);
    assert_eq!(row["notes"][0]["text"], EVIL);

    // Round trip through a file, and a refused write into the dump.
    let file = out.path().join("evil.jsonl");
    export_to(&dump, "jsonl", &file, data.path());
    let other = common::data_dir();
    ok(&["import", s(&dump), s(&file)], other.path());
    let ws = Workspace::open_in(&dump, other.path()).expect("open");
    assert_eq!(ws.notes_of(0)[0].body, EVIL);
    let inside = dump.join("export.csv");
    let o = trawl(
        &[
            "export",
            s(&dump),
            "--format",
            "csv",
            "--output",
            s(&inside),
        ],
        data.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("is inside the dump"));

    assert_eq!(common::snapshot_tree(&dump), before, "the dump changed");
}

/// `script` runs the command on a pseudo-terminal, as a user typing it
/// (stderr, where the progress bar draws, is left out).
#[test]
fn an_export_to_a_terminal_is_defused() {
    if Command::new("script").arg("--version").output().is_err() {
        println!("skipped: `script` (util-linux) is not installed, no pseudo-terminal to test on");
        return;
    }
    let (_tmp, dump) = scratch();
    hostile_mail(&dump);
    let data = common::data_dir();
    ok(&["index", s(&dump)], data.path());
    for format in ["csv", "jsonl", "notmuch"] {
        if format == "notmuch" {
            let ws = Workspace::open_in(&dump, data.path()).expect("open");
            ws.project
                .store
                .mark_read(&ws.doc(0).hash, None)
                .expect("read");
        }
        let cmd = format!(
            "'{}' export '{}' --format {format} 2>/dev/null",
            env!("CARGO_BIN_EXE_trawl"),
            s(&dump)
        );
        let o = Command::new("script")
            .args(["-qec", &cmd, "/dev/null"])
            .env("TRAWL_DATA_DIR", data.path())
            .output()
            .expect("script");
        assert!(o.status.success(), "{format}: {}", text(&o.stderr));
        let shown = text(&o.stdout);
        let bad: Vec<char> = shown
            .chars()
            .filter(|&c| {
                c != '\n' && c != '\r' && (c.is_control() || trawl::sanitize::is_unsafe(c))
            })
            .collect();
        assert!(
            bad.is_empty(),
            "{format}: {bad:?} reached the terminal: {shown:?}"
        );
        assert!(shown.contains("@x.example"), "{format}: {shown:?}");
        // The escape is there, shown: as a control picture, or as JSON's
        // `\u001b` (which decodes to the original).
        assert!(
            shown.contains('\u{241b}') || shown.contains("\\u001b"),
            "{format}: {shown:?}"
        );
    }
}
