//! `trawl export` and `trawl import` as colleagues use them: one exports,
//! another imports into a project of the same dump (a different data
//! folder), and every document ends with the same tags, notes and read
//! marks; what cannot be merged is said, never dropped.

mod common;
#[path = "share/hostile.rs"]
mod hostile;
#[path = "share/notmuch.rs"]
mod notmuch;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use trawl::workspace::Workspace;

/// Run the binary on the project kept in `data`, as author `tester`.
pub fn trawl(args: &[&str], data: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trawl"))
        .args(args)
        .env("TRAWL_DATA_DIR", data)
        .env("TRAWL_AUTHOR", "tester")
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("run trawl")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Run and require success; stdout.
pub fn ok(args: &[&str], data: &Path) -> Output {
    let o = trawl(args, data);
    assert!(o.status.success(), "{args:?}: {}", text(&o.stderr));
    o
}

/// `trawl export DUMP --format FORMAT --output FILE`, required to succeed.
pub fn export_to(dump: &Path, format: &str, file: &Path, data: &Path) -> Output {
    ok(
        &["export", s(dump), "--format", format, "--output", s(file)],
        data,
    )
}

pub fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// A note as compared: author, text, time.
type NoteState = (String, String, i64);

/// One document's user state: location, tag names, notes, read.
type DocState = (String, BTreeSet<String>, Vec<NoteState>, bool);

/// Every document's state in the project of `dump` kept in `data`.
fn state(dump: &Path, data: &Path) -> Vec<DocState> {
    let ws = Workspace::open_in(dump, data).expect("open");
    (0..ws.scan.docs.len())
        .map(|d| {
            let tags = ws
                .tags_of(d)
                .iter()
                .filter_map(|t| ws.tags.iter().find(|x| x.id == *t))
                .map(|t| t.name.clone())
                .collect();
            let mut notes: Vec<NoteState> = ws
                .notes_of(d)
                .iter()
                .map(|n| (n.author.clone(), n.body.clone(), n.updated))
                .collect();
            notes.sort();
            (ws.doc(d).location.display(), tags, notes, ws.read[d])
        })
        .collect()
}

/// A tag name with every character an export must carry: the CSV tag
/// separator, a backslash, a quote, `%`, a comma and non-ASCII.
const AWKWARD_TAG: &str = "a;b \\ \"q\" 50%, é";

/// Tags, notes by two authors (times given) and read marks on a spread of
/// documents, the way a colleague's project looks after a week.
fn do_some_work(dump: &Path, data: &Path) {
    let mut ws = Workspace::open_in(dump, data).expect("open");
    let verified = ws.tags.iter().find(|t| t.name == "verified").expect("v").id;
    let awkward = ws.create_tag(AWKWARD_TAG).expect("tag").id;
    let n = ws.scan.docs.len();
    for d in (0..n).step_by(3) {
        ws.set_tag(d, verified, true).expect("tag");
    }
    for d in (1..n).step_by(5) {
        ws.set_tag(d, awkward, true).expect("tag");
    }
    for d in (0..n).step_by(2) {
        ws.mark_read(d).expect("read");
    }
    let body = "line one, \"quoted\"\nline two;\ttabbed\r\nthird \u{1b}[31m";
    ws.set_note_by(1, "ana", body, Some(1_500_000_000))
        .expect("note");
    ws.set_note_by(1, "bob", "bob's view", Some(1_500_000_100))
        .expect("note");
    ws.set_note_by(n - 1, "ana", "last one", Some(1_600_000_000))
        .expect("note");
}

fn round_trip(format: &str) {
    let dump = common::sample_dump();
    let (a, b, out) = (common::data_dir(), common::data_dir(), common::data_dir());
    do_some_work(&dump, a.path());
    let file = out.path().join(format!("shared.{format}"));
    export_to(&dump, format, &file, a.path());
    let before = state(&dump, b.path());
    assert!(before
        .iter()
        .all(|(_, t, n, r)| t.is_empty() && n.is_empty() && !r));
    let o = ok(&["import", s(&dump), s(&file)], b.path());
    let summary = text(&o.stdout);
    assert!(summary.contains(", 0 unmatched;"), "{summary}");
    assert!(summary.contains("conflicts: 0"), "{summary}");

    let (want, got) = (state(&dump, a.path()), state(&dump, b.path()));
    assert!(want.iter().any(|(_, t, _, _)| t.contains(AWKWARD_TAG)));
    assert!(want.iter().filter(|(_, _, n, _)| !n.is_empty()).count() >= 2);
    assert!(want.iter().any(|(_, _, _, r)| *r) && want.iter().any(|(_, _, _, r)| !r));
    assert_eq!(got, want, "{format}: the imported project differs");

    // Importing the same file again changes nothing.
    let again = text(&ok(&["import", s(&dump), s(&file)], b.path()).stdout);
    assert!(
        again.contains("tags added: 0, notes added: 0, read marks added: 0, conflicts: 0"),
        "{again}"
    );
    assert_eq!(state(&dump, b.path()), want);
}

#[test]
fn jsonl_round_trip_reproduces_every_documents_state() {
    round_trip("jsonl");
}

#[test]
fn csv_round_trip_reproduces_every_documents_state() {
    round_trip("csv");
}

/// The 1-based line of `file` where the row of content `hash` first is.
fn line_of(file: &Path, hash: &str) -> usize {
    let content = std::fs::read_to_string(file).expect("read export");
    content
        .lines()
        .position(|l| l.contains(hash))
        .expect("row in export")
        + 1
}

#[test]
fn merge_keeps_both_authors_notes_and_reports_the_conflict() {
    let dump = common::sample_dump();
    let (a, b, out) = (common::data_dir(), common::data_dir(), common::data_dir());
    let (x, hash) = {
        let mut ws = Workspace::open_in(&dump, a.path()).expect("open");
        let x = (0..ws.scan.docs.len())
            .find(|&d| ws.doc(d).is_mail() && ws.copies_of(d).is_empty())
            .expect("a mail");
        ws.set_note_by(x, "ana", "ana, first project", Some(1_500_000_000))
            .expect("note");
        ws.set_note_by(x, "carl", "carl's note", Some(1_500_000_500))
            .expect("note");
        let suspect = ws.tags.iter().find(|t| t.name == "suspect").expect("s").id;
        ws.set_tag(x, suspect, true).expect("tag");
        (x, ws.doc(x).hash.to_string())
    };
    {
        let mut ws = Workspace::open_in(&dump, b.path()).expect("open");
        ws.set_note_by(x, "ana", "ana, second project", Some(1_600_000_000))
            .expect("note");
        ws.set_note_by(x, "bea", "bea's note", Some(1_600_000_500))
            .expect("note");
        let verified = ws.tags.iter().find(|t| t.name == "verified").expect("v").id;
        ws.set_tag(x, verified, true).expect("tag");
    }
    let file = out.path().join("ana.jsonl");
    export_to(&dump, "jsonl", &file, a.path());
    let o = ok(&["import", s(&dump), s(&file)], b.path());
    let (summary, err) = (text(&o.stdout), text(&o.stderr));
    assert!(summary.contains("notes added: 1") && summary.contains("conflicts: 1"));
    let conflict: Vec<&str> = err.lines().filter(|l| l.contains("another note")).collect();
    assert_eq!(conflict.len(), 1, "{err}");
    assert!(
        conflict[0].starts_with(&format!("trawl: line {}: ", line_of(&file, &hash))),
        "{err}"
    );
    assert!(conflict[0].contains("ana") && conflict[0].contains("second project"));

    let (_, tags, notes, _) = &state(&dump, b.path())[x];
    let want: Vec<NoteState> = vec![
        ("ana".into(), "ana, second project".into(), 1_600_000_000),
        ("bea".into(), "bea's note".into(), 1_600_000_500),
        ("carl".into(), "carl's note".into(), 1_500_000_500),
    ];
    assert_eq!(notes, &want, "local kept, the other author added");
    assert_eq!(
        tags.iter().map(String::as_str).collect::<Vec<_>>(),
        ["suspect", "verified"]
    );
}

/// One JSON-lines row of content `hash` (and Message-ID `mid`) with `tag`.
fn row(hash: &str, mid: &str, tag: &str) -> String {
    serde_json::json!({"sha256": hash, "message_id": mid, "path": "elsewhere.eml",
        "tags": [tag], "notes": [], "read": false})
    .to_string()
}

#[test]
fn rows_matching_no_document_are_each_reported() {
    let dump = common::sample_dump();
    let (data, out) = (common::data_dir(), common::data_dir());
    let (mail, mid) = {
        let ws = Workspace::open_in(&dump, data.path()).expect("open");
        let d = (0..ws.scan.docs.len())
            .find(|&d| ws.doc(d).message_id().is_some())
            .expect("a mail with a Message-ID");
        (d, ws.doc(d).message_id().unwrap_or_default().to_string())
    };
    // The first row's bytes changed (another hash) but its Message-ID is
    // here; the 24 after it are from another dump.
    let changed = trawl::ingest::mail::hash_hex(b"edited copy");
    let mut lines = vec![row(&changed, &mid, "by-id")];
    for i in 0..24 {
        let h = trawl::ingest::mail::hash_hex(format!("not here {i}").as_bytes());
        lines.push(row(&h, "", "lost"));
    }
    let file = out.path().join("other.jsonl");
    std::fs::write(&file, lines.join("\n")).expect("write");
    let o = ok(&["import", s(&dump), s(&file)], data.path());
    let (summary, err) = (text(&o.stdout), text(&o.stderr));
    assert!(
        summary.starts_with("read 25 rows: 1 matched, 24 unmatched;"),
        "{summary}"
    );
    let named: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("no document here"))
        .collect();
    assert_eq!(named.len(), 20, "{err}");
    assert!(named[0].starts_with("trawl: line 2: no document here has sha256 "));
    assert!(named[0].contains("elsewhere.eml"));
    assert!(err.contains("… and 4 more unmatched rows"), "{err}");
    let (_, tags, _, _) = &state(&dump, data.path())[mail];
    assert!(tags.contains("by-id"), "matched by Message-ID: {tags:?}");
    assert!(!err.contains("created tag lost"), "{err}");
}

/// The `path` of every row of a JSON-lines export.
fn paths(out: &Output) -> BTreeSet<String> {
    text(&out.stdout)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json line");
            v["path"].as_str().expect("path").to_string()
        })
        .collect()
}

#[test]
fn tag_and_query_choose_what_is_exported() {
    let dump = common::sample_dump();
    let data = common::data_dir();
    let d = s(&dump);
    let tagged: BTreeSet<String> = {
        let mut ws = Workspace::open_in(&dump, data.path()).expect("open");
        let picked = ws.create_tag("picked").expect("tag").id;
        for doc in (0..ws.scan.docs.len()).step_by(4) {
            ws.set_tag(doc, picked, true).expect("tag");
        }
        (0..ws.scan.docs.len())
            .filter(|&doc| ws.has_tag(doc, picked))
            .map(|doc| ws.doc(doc).location.display())
            .collect()
    };
    let all = paths(&ok(&["export", d, "--format", "jsonl"], data.path()));
    let by_tag = paths(&ok(
        &["export", d, "--format", "jsonl", "--tag", "picked"],
        data.path(),
    ));
    assert_eq!(by_tag, tagged);
    assert!(by_tag.len() < all.len());

    let query = "from:claire";
    let found: BTreeSet<String> = text(&ok(&["search", "--json", d, query], data.path()).stdout)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json");
            v["location"].as_str().expect("location").to_string()
        })
        .collect();
    assert!(!found.is_empty());
    let by_query = paths(&ok(
        &["export", d, "--format", "jsonl", "--query", query],
        data.path(),
    ));
    assert_eq!(by_query, found);
    let both = paths(&ok(
        &[
            "export", d, "--format", "jsonl", "--query", query, "--tag", "picked",
        ],
        data.path(),
    ));
    assert_eq!(both, &found & &tagged);

    let o = trawl(
        &["export", d, "--format", "csv", "--tag", "nope"],
        data.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).ends_with("trawl: there is no tag named nope\n"));
}

/// stderr is one line, the error; the exit code is 1.
fn assert_one_line_error(o: &Output, needle: &str) {
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err:?}");
    assert!(
        err.starts_with("trawl: ") && err.contains(needle),
        "{err:?} lacks {needle:?}"
    );
}

#[test]
fn a_bad_import_file_is_one_line_naming_the_line_and_changes_nothing() {
    let dump = common::sample_dump();
    let (data, out) = (common::data_dir(), common::data_dir());
    let hash = {
        let ws = Workspace::open_in(&dump, data.path()).expect("open");
        ws.doc(0).hash.to_string()
    };
    let jsonl = out.path().join("bad.jsonl");
    let good = row(&hash, "", "from-file");
    std::fs::write(&jsonl, format!("{good}\n\n{{\"sha256\": \"xyz\"}}\n")).expect("write");
    let o = trawl(&["import", s(&dump), s(&jsonl)], data.path());
    assert_one_line_error(&o, "bad.jsonl: line 3: sha256 \"xyz\" is not 64 hex digits");
    let tags = Workspace::open_in(&dump, data.path()).expect("open").tags;
    assert!(tags.iter().all(|t| t.name != "from-file"), "nothing merged");

    let csv = out.path().join("bad.csv");
    std::fs::write(&csv, format!("sha256,tags,read\n{hash},x,true\n{hash},y\n")).expect("write");
    let o = trawl(&["import", s(&dump), s(&csv)], data.path());
    assert_one_line_error(&o, "bad.csv: line 3: 2 fields where the header has 3");

    let notes = out.path().join("notes.txt");
    std::fs::write(&notes, "my notes\nabout the leak\n").expect("write");
    let o = trawl(&["import", s(&dump), s(&notes)], data.path());
    assert_one_line_error(&o, "notes.txt: line 1: not a trawl export");
}

/// A folder of its own for a dump a test writes.
pub fn scratch() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("dump");
    std::fs::create_dir_all(&root).expect("mkdir");
    (tmp, root)
}

#[test]
fn stable_ids_follow_the_documented_formula_and_tell_copies_apart() {
    let (_tmp, dump) = scratch();
    let mail = "From: a@example.org\nSubject: twice\nMessage-ID: <twice@example.org>\n\nbody\n";
    std::fs::create_dir_all(dump.join("copy")).expect("mkdir");
    std::fs::write(dump.join("a.eml"), mail).expect("write");
    std::fs::write(dump.join("copy/a.eml"), mail).expect("write");
    let data = common::data_dir();
    let o = ok(&["export", s(&dump), "--format", "jsonl"], data.path());
    let rows: Vec<serde_json::Value> = text(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["sha256"], rows[1]["sha256"], "one content, twice");
    assert_ne!(rows[0]["id"], rows[1]["id"], "two documents");
    for r in &rows {
        let input = format!(
            "{} {}",
            r["sha256"].as_str().expect("hash"),
            r["path"].as_str().expect("path")
        );
        let digest = trawl::ingest::mail::hash_hex(input.as_bytes());
        assert_eq!(r["id"], digest[..20], "README's formula");
    }
}
