//! `trawl export --format notmuch`: every line is what `notmuch tag
//! --batch` reads, says the same tags as the project, and — when notmuch
//! is installed — notmuch applies it to the same mail.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Output};

use super::{ok, s, scratch, text};
use crate::common;
use trawl::share::notmuch::boolean_term;
use trawl::workspace::Workspace;

/// `(file, Message-ID header or none, tags, read)`: awkward ids (a `%`, a
/// quote, parentheses, non-ASCII, a space notmuch drops), a copy of a
/// message with tags of its own, one without a Message-ID.
const MAILS: &[(&str, &str, &[&str], bool)] = &[
    (
        "1:2,",
        "<plain.1@example.org>",
        &["verified", "follow up"],
        true,
    ),
    (
        "2:2,",
        "<pct%and\"quote(paren)@example.org>",
        &["50%"],
        false,
    ),
    ("3:2,", "<café@example.org>", &["é tag", "a\"b"], false),
    ("4:2,", "", &["verified"], false),
    ("5:2,", "<sp ace@example.org>", &[], true),
    ("6:2,", "<untouched@example.org>", &[], false),
    ("7:2,", "<plain.1@example.org>", &["copy"], false),
];

fn maildir(root: &Path) {
    for dir in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(root.join(dir)).expect("mkdir");
    }
    for (i, (file, id, _, _)) in MAILS.iter().enumerate() {
        let header = if id.is_empty() {
            String::new()
        } else {
            format!("Message-ID: {id}\n")
        };
        let mail = format!(
            "From: a@example.org\nTo: b@example.org\nSubject: mail {i}\n\
             Date: Thu, 16 Mar 2017 10:02:11 +0100\n{header}\nbody {i}\n"
        );
        std::fs::write(root.join("cur").join(file), mail).expect("write");
    }
}

/// Put each mail's tags and read mark on it; the expected notmuch tags
/// of each Message-ID (as notmuch stores it, without white space).
fn tag_them(dump: &Path, data: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut ws = Workspace::open_in(dump, data).expect("open");
    let mut want: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (d, (_, id, tags, read)) in MAILS.iter().enumerate() {
        assert_eq!(ws.doc(d).subject(), format!("mail {d}"), "dump order");
        for name in *tags {
            let tag = match ws.tags.iter().find(|t| t.name == *name) {
                Some(t) => t.id,
                None => ws.create_tag(name).expect("tag").id,
            };
            ws.set_tag(d, tag, true).expect("tag");
        }
        if *read {
            ws.mark_read(d).expect("read");
        }
        if !id.is_empty() && (!tags.is_empty() || *read) {
            let id: String = id[1..id.len() - 1].split_whitespace().collect();
            let entry = want.entry(id).or_default();
            entry.extend(tags.iter().map(|t| format!("+{t}")));
            if *read {
                entry.insert("-unread".to_string());
            }
        }
    }
    want
}

/// `%xx` undone.
fn hex_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ascii");
            out.push(u8::from_str_radix(hex, 16).expect("two hex digits"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("utf-8")
}

/// The lines as `id → operations`, each checked against the format.
fn parse_batch(batch: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut got = BTreeMap::new();
    for line in batch.lines() {
        let (ops, query) = line.split_once(" -- ").expect("ops -- query");
        let term = query.strip_prefix("id:").expect("an id: query");
        let id = if let Some(quoted) = term.strip_prefix('"') {
            let inner = quoted.strip_suffix('"').expect("closed");
            inner.replace("\"\"", "\"")
        } else {
            let plain = |c: char| c.is_ascii_graphic() && !"()\"".contains(c);
            assert!(term.chars().all(plain), "{term:?} needs quotes");
            term.to_string()
        };
        let mut set = BTreeSet::new();
        for op in ops.split(' ') {
            let (sign, tag) = op.split_at(1);
            assert!(sign == "+" || sign == "-", "{op:?}");
            let safe = |c: char| c.is_ascii_alphanumeric() || "+-_@=.,%".contains(c);
            assert!(tag.chars().all(safe), "{tag:?} is not hex-encoded");
            set.insert(format!("{sign}{}", hex_decode(tag)));
        }
        assert!(
            got.insert(id, set).is_none(),
            "one line per message: {line}"
        );
    }
    got
}

fn notmuch(config: &Path, args: &[&str]) -> Output {
    let o = Command::new("notmuch")
        .args(args)
        .env("NOTMUCH_CONFIG", config)
        .output()
        .expect("run notmuch");
    assert!(o.status.success(), "notmuch {args:?}: {}", text(&o.stderr));
    o
}

#[test]
fn notmuch_batch_says_the_projects_tags_and_notmuch_applies_them() {
    let (tmp, dump) = scratch();
    maildir(&dump);
    let data = common::data_dir();
    let want = tag_them(&dump, data.path());
    let o = ok(&["export", s(&dump), "--format", "notmuch"], data.path());
    let batch = text(&o.stdout);
    assert!(
        text(&o.stderr).contains("skipped 1 documents with tags or a read mark but no Message-ID"),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(parse_batch(&batch), want, "{batch}");

    if Command::new("notmuch").arg("--version").output().is_err() {
        println!("skipped the notmuch half: notmuch is not installed (apt-get install notmuch)");
        return;
    }
    // notmuch keeps its database in the mail folder: it gets a copy.
    let mail = tmp.path().join("mail");
    common::copy_dir(&dump, &mail);
    let config = tmp.path().join("notmuch-config");
    std::fs::write(
        &config,
        format!(
            "[database]\npath={}\n[new]\ntags=unread;inbox\n[maildir]\nsynchronize_flags=false\n",
            s(&mail)
        ),
    )
    .expect("config");
    let file = tmp.path().join("tags.batch");
    std::fs::write(&file, &batch).expect("write");
    notmuch(&config, &["new", "--quiet"]);
    let o = notmuch(
        &config,
        &["tag", "--batch", &format!("--input={}", s(&file))],
    );
    assert!(
        o.stderr.is_empty(),
        "notmuch complained: {}",
        text(&o.stderr)
    );
    for (id, ops) in &want {
        let o = notmuch(
            &config,
            &[
                "search",
                "--output=tags",
                "--",
                &format!("id:{}", boolean_term(id)),
            ],
        );
        let tags: BTreeSet<String> = text(&o.stdout).lines().map(String::from).collect();
        let mut expected: BTreeSet<String> = ops
            .iter()
            .filter_map(|op| op.strip_prefix('+'))
            .map(String::from)
            .collect();
        expected.insert("inbox".into());
        if !ops.contains("-unread") {
            expected.insert("unread".into());
        }
        assert_eq!(tags, expected, "tags of {id} in notmuch");
    }
}
