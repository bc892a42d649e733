//! Search as a journalist uses it: every operator of the query language on a
//! small dump whose contents are known, user state (tags, read marks) read
//! live, and a full-text index that follows the dump when it changes.

mod common;

use std::path::Path;

use trawl::search::eval::{self, HashIndex, Order};
use trawl::search::fulltext::FullText;
use trawl::search::query;
use trawl::workspace::Workspace;

/// (file name, From, To, Cc, Subject, Date, body, attachment name)
type Msg = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
);

const MESSAGES: [Msg; 5] = [
    (
        "a.eml",
        "Ken Lay <ken@enron.example>",
        "Andy <andy@enron.example>",
        "",
        "Raptor numbers",
        "Mon, 03 Apr 2017 10:00:00 +0000",
        "The raptor deal closes on Friday. Keep it quiet.",
        None,
    ),
    (
        "b.eml",
        "Andy <andy@enron.example>",
        "Ken Lay <ken@enron.example>",
        "Sherron <sherron@enron.example>",
        "Re: Raptor numbers",
        "Tue, 04 Apr 2017 09:00:00 +0000",
        "Deal is off. Shred the files before the audit.",
        Some("ledger-2017.xls"),
    ),
    (
        "c.eml",
        "Bob <bob@press.example>",
        "Desk <desk@press.example>",
        "",
        "Lunch on Friday?",
        "Sat, 06 May 2017 12:00:00 +0000",
        "Raptor movie, then lunch. Nothing about any deal.",
        None,
    ),
    (
        "d.eml",
        "Sherron <sherron@enron.example>",
        "Board <board@enron.example>",
        "Ken Lay <ken@enron.example>",
        "Accounting concerns",
        "Mon, 14 Aug 2017 08:30:00 +0000",
        "I am incredibly nervous that we will implode in a wave of accounting scandals.",
        Some("memo.doc"),
    ),
    (
        "e.eml",
        "Ken Lay <ken@enron.example>",
        "All <all@enron.example>",
        "",
        "Company update",
        "Fri, 01 Dec 2017 16:00:00 +0000",
        "Our e-mail systems will be migrated next week.",
        None,
    ),
];

fn eml(m: &Msg) -> String {
    let (name, from, to, cc, subject, date, body, attachment) = *m;
    let id = name.trim_end_matches(".eml");
    let cc = if cc.is_empty() {
        String::new()
    } else {
        format!("Cc: {cc}\r\n")
    };
    let head = format!(
        "From: {from}\r\nTo: {to}\r\n{cc}Subject: {subject}\r\nDate: {date}\r\nMessage-ID: <{id}@test.example>\r\nMIME-Version: 1.0\r\n"
    );
    match attachment {
        None => format!("{head}Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"),
        Some(file) => format!(
            "{head}Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n\
             --b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n\
             --b1\r\nContent-Type: application/octet-stream\r\n\
             Content-Disposition: attachment; filename=\"{file}\"\r\n\
             Content-Transfer-Encoding: 7bit\r\n\r\nbytes of {file}\r\n--b1--\r\n"
        ),
    }
}

fn write_dump(root: &Path) {
    std::fs::create_dir_all(root).expect("mkdir");
    for m in &MESSAGES {
        std::fs::write(root.join(m.0), eml(m)).expect("write");
    }
}

struct Setup {
    _tmp: tempfile::TempDir,
    root: std::path::PathBuf,
    data: std::path::PathBuf,
}

fn setup() -> Setup {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("dump");
    let data = tmp.path().join("state");
    write_dump(&root);
    Setup {
        _tmp: tmp,
        root,
        data,
    }
}

/// Open, index, search; file names of the hits in order.
fn search(ws: &Workspace, text: &str, order: Order) -> Vec<String> {
    let q = query::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    let ft = FullText::open(&ws.project.dir).expect("open index");
    ft.sync(&ws.scan.root, &ws.scan.docs, &|_, _| {})
        .expect("sync");
    let hashes = HashIndex::new(&ws.scan.docs);
    eval::run(&q, ws, &ft, &hashes, order)
        .expect("search")
        .into_iter()
        .map(|d| ws.doc(d).location.display())
        .collect()
}

fn names(hits: &[&str]) -> Vec<String> {
    hits.iter().map(ToString::to_string).collect()
}

#[test]
fn every_operator_finds_what_it_says() {
    let s = setup();
    let ws = Workspace::open_in(&s.root, &s.data).expect("open");
    let by_date = |q: &str| search(&ws, q, Order::Date);
    let cases: &[(&str, &[&str])] = &[
        ("raptor", &["c.eml", "b.eml", "a.eml"]),
        ("RAPTOR deal", &["c.eml", "b.eml", "a.eml"]),
        ("\"raptor deal\"", &["a.eml"]),
        ("from:ken", &["e.eml", "a.eml"]),
        ("from:ken@enron.example", &["e.eml", "a.eml"]),
        ("from:\"Ken Lay\"", &["e.eml", "a.eml"]),
        ("to:ken", &["b.eml"]),
        ("cc:ken", &["d.eml"]),
        ("cc:sherron", &["b.eml"]),
        ("subject:raptor", &["b.eml", "a.eml"]),
        ("body:raptor", &["c.eml", "a.eml"]),
        ("body:nervous", &["d.eml"]),
        ("filename:ledger", &["b.eml#2"]),
        ("filename:\"memo.doc\"", &["d.eml#2"]),
        ("has:attachment", &["d.eml", "b.eml"]),
        ("e-mail", &["e.eml"]),
        ("date:2017-04", &["b.eml", "b.eml#2", "a.eml"]),
        (
            "date:2017-04-01..2017-05-06",
            &["c.eml", "b.eml", "b.eml#2", "a.eml"],
        ),
        ("date:2017-04-04", &["b.eml", "b.eml#2"]),
        ("before:2017-04-04", &["a.eml"]),
        ("after:2017-08", &["e.eml"]),
        ("date:2017-08..", &["e.eml", "d.eml", "d.eml#2"]),
        ("raptor AND friday", &["c.eml", "a.eml"]),
        ("raptor -friday", &["b.eml"]),
        ("raptor NOT body:movie", &["b.eml", "a.eml"]),
        ("nervous OR shred", &["d.eml", "b.eml"]),
        ("(nervous OR shred) has:attachment -cc:ken", &["b.eml"]),
        (
            "from:ken OR from:andy subject:re",
            &["e.eml", "b.eml", "a.eml"],
        ),
        ("nothingmatchesthis", &[]),
        (
            "",
            &[
                "e.eml", "d.eml", "d.eml#2", "c.eml", "b.eml", "b.eml#2", "a.eml",
            ],
        ),
    ];
    for (q, want) in cases {
        assert_eq!(by_date(q), names(want), "query {q:?}");
    }
}

#[test]
fn relevance_puts_the_best_match_first() {
    let s = setup();
    let ws = Workspace::open_in(&s.root, &s.data).expect("open");
    // a.eml has "raptor" in its subject and body; b.eml in its subject;
    // c.eml in its body once.
    let hits = search(&ws, "raptor", Order::Relevance);
    assert_eq!(hits[0], "a.eml", "{hits:?}");
    assert_eq!(hits.len(), 3);
}

#[test]
fn tags_and_read_marks_are_read_live() {
    let s = setup();
    let mut ws = Workspace::open_in(&s.root, &s.data).expect("open");
    let doc = |ws: &Workspace, name: &str| {
        (0..ws.scan.docs.len())
            .find(|&d| ws.doc(d).location.path.as_ref() == Path::new(name))
            .expect("doc")
    };
    let suspect = ws
        .tags
        .iter()
        .find(|t| t.name == "suspect")
        .expect("suspect")
        .id;
    assert!(search(&ws, "tag:suspect", Order::Date).is_empty());
    let b = doc(&ws, "b.eml");
    ws.toggle_tag(b, suspect).expect("tag");
    assert_eq!(search(&ws, "tag:suspect", Order::Date), names(&["b.eml"]));
    assert_eq!(
        search(&ws, "tag:SUSPECT raptor", Order::Date),
        names(&["b.eml"])
    );
    assert_eq!(
        search(&ws, "raptor -tag:suspect", Order::Date),
        names(&["c.eml", "a.eml"])
    );
    assert!(search(&ws, "tag:nosuchtag", Order::Date).is_empty());

    // Five messages and two attachments, each read on its own.
    assert_eq!(search(&ws, "is:unread", Order::Date).len(), 7);
    ws.mark_read(doc(&ws, "d.eml")).expect("read");
    assert_eq!(search(&ws, "is:read", Order::Date), names(&["d.eml"]));
    assert_eq!(search(&ws, "is:unread", Order::Date).len(), 6);
}

#[test]
fn the_index_follows_a_changed_dump() {
    let s = setup();
    let ws = Workspace::open_in(&s.root, &s.data).expect("open");
    assert_eq!(search(&ws, "shred", Order::Date), names(&["b.eml"]));
    drop(ws);

    // b.eml rewritten, c.eml deleted, f.eml added, a.eml copied (same
    // content twice: both copies are found).
    let b = std::fs::read_to_string(s.root.join("b.eml")).expect("read");
    std::fs::write(s.root.join("b.eml"), b.replace("Shred", "Archive")).expect("write");
    std::fs::remove_file(s.root.join("c.eml")).expect("rm");
    std::fs::write(
        s.root.join("f.eml"),
        "From: x@y.example\r\nSubject: new\r\nDate: Mon, 01 Jan 2018 00:00:00 +0000\r\n\r\nshred everything\r\n",
    )
    .expect("write");
    std::fs::copy(s.root.join("a.eml"), s.root.join("a-copy.eml")).expect("copy");

    let ws = Workspace::open_in(&s.root, &s.data).expect("reopen");
    let ft = FullText::open(&ws.project.dir).expect("open index");
    let stats = ft
        .sync(&ws.scan.root, &ws.scan.docs, &|_, _| {})
        .expect("sync");
    // New contents: b (changed) and f; a-copy shares a's entry, b's
    // attachment is unchanged. Gone: old b and c. Left: a, b, d, e, f and
    // the two attachments.
    assert_eq!((stats.added, stats.deleted), (2, 2), "{stats:?}");
    assert_eq!(stats.entries, 7);
    assert_eq!(search(&ws, "shred", Order::Date), names(&["f.eml"]));
    assert_eq!(search(&ws, "archive", Order::Date), names(&["b.eml"]));
    assert!(search(&ws, "movie", Order::Date).is_empty());
    let mut quiet = search(&ws, "quiet", Order::Date);
    quiet.sort();
    assert_eq!(quiet, names(&["a-copy.eml", "a.eml"]));

    // A second sync has nothing to do.
    let again = ft
        .sync(&ws.scan.root, &ws.scan.docs, &|_, _| {})
        .expect("sync");
    assert_eq!((again.added, again.deleted), (0, 0));
}

#[test]
fn invalid_queries_say_where_and_never_panic() {
    for (q, at) in [("from:", 5), ("a AND", 2), ("(a OR b", 0), ("form:x", 0)] {
        let e = query::parse(q).expect_err(q);
        assert_eq!(e.position, at, "{q}: {e}");
    }
}

#[test]
fn the_search_command_prints_results_and_rejects_bad_queries() {
    let s = setup();
    // Options first: everything after the dump is the query.
    let run = |opts: &[&str], query: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_trawl"))
            .arg("search")
            .args(opts)
            .arg(&s.root)
            .args(query)
            .env("TRAWL_DATA_DIR", &s.data)
            .output()
            .expect("run")
    };
    let out = run(&["--sort", "date"], &["from:ken"]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].contains("Company update") && lines[0].ends_with("e.eml"));
    assert!(lines[1].contains("Raptor numbers") && lines[1].ends_with("a.eml"));

    let out = run(&["--json", "--limit", "1"], &["-tag:verified", "raptor"]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().count(), 1);
    let row: serde_json::Value = serde_json::from_str(text.trim()).expect("json");
    assert_eq!(row["location"], "a.eml");

    let out = run(&[], &["date:2018..2017"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("trawl: invalid query: at character"),
        "{err}"
    );
    assert!(err.lines().any(|l| l.trim_end().ends_with('^')), "{err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn index_with_text_builds_the_search_index_once() {
    let s = setup();
    let run = || {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_trawl"))
            .args(["index", "--text", "--json"])
            .arg(&s.root)
            .env("TRAWL_DATA_DIR", &s.data)
            .output()
            .expect("run");
        assert!(out.status.success(), "{out:?}");
        let stats: serde_json::Value =
            serde_json::from_slice(&out.stdout).expect("one JSON object");
        (stats, String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (first, err) = run();
    let docs = first["documents"].as_u64().expect("documents");
    assert!(docs > 0);
    assert_eq!(first["text"]["added"], first["text"]["entries"]);
    assert!(first["text"]["entries"]
        .as_u64()
        .is_some_and(|n| n > 0 && n <= docs));
    assert!(first["text"]["bytes"].as_u64().is_some_and(|b| b > 0));
    assert!(err.contains("search index:"), "{err}");
    // Nothing new the second time; a search needs no more indexing.
    let (second, _) = run();
    assert_eq!(second["text"]["added"], 0);
    assert_eq!(second["text"]["entries"], first["text"]["entries"]);
    // Without --text: the catalog's figures only.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_trawl"))
        .args(["index", "--json"])
        .arg(&s.root)
        .env("TRAWL_DATA_DIR", &s.data)
        .output()
        .expect("run");
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(stats.get("text").is_none(), "{stats}");
}

#[test]
fn no_update_searches_what_was_indexed_without_reading_the_dump() {
    let s = setup();
    let run = |opts: &[&str], query: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_trawl"))
            .arg("search")
            .args(opts)
            .arg(&s.root)
            .arg(query)
            .env("TRAWL_DATA_DIR", &s.data)
            .output()
            .expect("run");
        String::from_utf8_lossy(&out.stdout).lines().count()
    };
    // Nothing indexed yet: --no-update builds what it needs.
    let before = run(&["--no-update"], "raptor");
    assert!(before > 0);
    std::fs::write(
        s.root.join("late.eml"),
        "From: ken@enron.example\r\nSubject: Raptor again\r\n\r\nraptor\r\n",
    )
    .expect("write");
    assert_eq!(
        run(&["--no-update"], "raptor"),
        before,
        "the dump is not read"
    );
    assert_eq!(run(&[], "raptor"), before + 1, "the default looks at it");
    assert_eq!(run(&["--no-update"], "raptor"), before + 1);
}

/// Words as tantivy's default tokenizer sees them: runs of alphanumeric
/// characters, lower-cased. Written out here so the test does not trust
/// the code it checks.
fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Raw headers (unfolded) and body of a simple message file.
fn split_message(raw: &str) -> (Vec<(String, String)>, &str) {
    let (head, body) = raw
        .split_once("\r\n\r\n")
        .or_else(|| raw.split_once("\n\n"))
        .unwrap_or((raw, ""));
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(last) = headers.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
        } else if let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    (headers, body)
}

#[test]
fn enron_answers_match_an_independent_count() {
    let Some(corpus) = common::corpus("enron-maildir") else {
        return;
    };
    let root = corpus.join("maildir/lay-k");
    let data = common::data_dir();
    let ws = Workspace::open_in(&root, data.path()).expect("open");
    assert_eq!(ws.scan.docs.len(), 1373);

    // Independent answers over the plain messages (no MIME encoding to
    // undo): which contain "california" in the body, "meeting" in the
    // subject.
    let mut plain = std::collections::BTreeSet::new();
    let mut body_hits = std::collections::BTreeSet::new();
    let mut subject_hits = std::collections::BTreeSet::new();
    for entry in walkdir::WalkDir::new(&root) {
        let entry = entry.expect("walk");
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(&root)
            .expect("rel")
            .display()
            .to_string();
        let raw = String::from_utf8_lossy(&std::fs::read(entry.path()).expect("read")).into_owned();
        let (headers, body) = split_message(&raw);
        let header = |name: &str| {
            headers
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        let encoded = header("content-transfer-encoding")
            .is_some_and(|v| !v.eq_ignore_ascii_case("7bit") && !v.eq_ignore_ascii_case("8bit"));
        let multipart =
            header("content-type").is_some_and(|v| v.to_lowercase().contains("multipart"));
        let subject = header("subject").unwrap_or_default();
        if encoded || multipart || subject.contains("=?") {
            continue;
        }
        plain.insert(rel.clone());
        if tokens(body).iter().any(|w| w == "california") {
            body_hits.insert(rel.clone());
        }
        if tokens(&subject).iter().any(|w| w == "meeting") {
            subject_hits.insert(rel);
        }
    }
    assert!(plain.len() > 1_000, "{} plain messages", plain.len());
    assert!(!body_hits.is_empty() && !subject_hits.is_empty());

    let found = |q: &str| -> std::collections::BTreeSet<String> {
        search(&ws, q, Order::Date)
            .into_iter()
            .filter(|p| plain.contains(p))
            .collect()
    };
    assert_eq!(found("body:california"), body_hits);
    assert_eq!(found("subject:meeting"), subject_hits);
    // And the combination is the intersection.
    let both: std::collections::BTreeSet<String> =
        body_hits.intersection(&subject_hits).cloned().collect();
    assert_eq!(found("body:california subject:meeting"), both);
}

#[test]
fn the_browser_keeps_the_search_index_in_step_in_the_background() {
    use trawl::tui::action::{Action, TextIndexed};
    let s = setup();
    let project = Workspace::project_for(&s.root, &s.data).expect("project");
    let run = |shown| -> Vec<Action> {
        let rx = trawl::tui::spawn_index(s.root.clone(), project.dir.clone(), shown, true);
        rx.iter().collect()
    };
    // First open: nothing on screen; the catalog is built, then the text.
    let actions = run(std::sync::Arc::default());
    let done = actions
        .iter()
        .position(|a| matches!(a, Action::IndexDone(_)))
        .expect("catalog built");
    let text = actions
        .iter()
        .position(|a| matches!(a, Action::TextIndexDone(_)))
        .expect("text indexed");
    assert!(done < text);
    assert!(
        // Five messages, two attachments.
        matches!(actions[text], Action::TextIndexDone(TextIndexed::Added(7))),
        "{:?}",
        actions[text]
    );
    // Reopen: catalog unchanged, nothing to add.
    let ws = Workspace::open_in(&s.root, &s.data).expect("open");
    let actions = run(std::sync::Arc::clone(&ws.scan.docs));
    assert!(actions.iter().any(|a| matches!(a, Action::IndexUnchanged)));
    assert!(actions
        .iter()
        .any(|a| matches!(a, Action::TextIndexDone(TextIndexed::Added(0)))));
    // And the index is usable as built.
    assert_eq!(search(&ws, "nervous", Order::Date), names(&["d.eml"]));
}

#[test]
fn a_busy_index_is_searched_as_it_is() {
    let s = setup();
    let ws = Workspace::open_in(&s.root, &s.data).expect("open");
    assert_eq!(search(&ws, "nervous", Order::Date), names(&["d.eml"]));
    // Another trawl holds the index's writer lock (as a browser does while
    // it indexes).
    let index = tantivy::Index::open_in_dir(ws.project.dir.join("search")).expect("index");
    let _held: tantivy::IndexWriter = index.writer(15_000_000).expect("lock");
    std::fs::write(
        s.root.join("g.eml"),
        "From: g@y.example\r\nSubject: late\r\n\r\nnervous again\r\n",
    )
    .expect("write");
    let ws = Workspace::open_in(&s.root, &s.data).expect("reopen");
    let ft = FullText::open(&ws.project.dir).expect("open index");
    let busy = ft.sync(&ws.scan.root, &ws.scan.docs, &|_, _| {});
    assert!(
        matches!(busy, Err(trawl::search::fulltext::FullTextError::Busy(_))),
        "{busy:?}"
    );
    // The command says so and searches what is committed.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_trawl"))
        .args(["search", "--sort", "date"])
        .arg(&s.root)
        .arg("nervous")
        .env("TRAWL_DATA_DIR", &s.data)
        .output()
        .expect("run");
    assert!(out.status.success(), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("another trawl is updating the search index"),
        "{err}"
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
}
