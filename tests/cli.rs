//! The `trawl` binary as a user runs it: errors are one line with a
//! non-zero exit, `trawl tree` output is complete and terminal-safe.

mod common;

use std::process::{Command, Output};

fn trawl(args: &[&str], data: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trawl"))
        .args(args)
        .env("TRAWL_DATA_DIR", data)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("run trawl")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn assert_one_line_error(o: &Output, code: i32, needle: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(code), "stderr: {err}");
    assert_eq!(err.lines().count(), 1, "want one line, got: {err:?}");
    assert!(err.starts_with("trawl: "), "{err:?}");
    assert!(err.contains(needle), "{err:?} lacks {needle:?}");
    assert!(!err.contains("panicked") && !err.contains("backtrace"));
}

#[test]
fn bad_arguments_get_one_clear_line() {
    let data = common::data_dir();
    let d = data.path();
    assert_one_line_error(&trawl(&[], d), 2, "give the dump folder");
    assert_one_line_error(&trawl(&["--frobnicate"], d), 2, "--frobnicate");
    assert_one_line_error(&trawl(&["tree"], d), 2, "<DUMP>");
    assert_one_line_error(
        &trawl(&["/no/such/dump"], d),
        1,
        "no such file or directory",
    );
    let cargo_toml = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    assert_one_line_error(
        &trawl(&["tree", cargo_toml], d),
        1,
        "is a file, not a directory",
    );
    let empty = tempfile::tempdir().expect("tmp");
    let empty = empty.path().to_str().expect("utf-8 path");
    assert_one_line_error(&trawl(&["tree", empty], d), 1, "no documents found");
}

#[test]
fn browser_without_a_terminal_says_what_to_do() {
    let data = common::data_dir();
    let dump = common::sample_dump();
    let o = trawl(&[dump.to_str().expect("utf-8")], data.path());
    assert_one_line_error(&o, 1, "needs a terminal");
}

#[test]
fn help_and_version_succeed() {
    let data = common::data_dir();
    let o = trawl(&["--help"], data.path());
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("tree"));
    assert!(trawl(&["--version"], data.path()).status.success());
}

#[test]
fn tree_text_lists_every_message_indented_and_safe() {
    let data = common::data_dir();
    let dump = common::sample_dump();
    let o = trawl(&["tree", dump.to_str().expect("utf-8")], data.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!o.stdout.contains(&0x1b), "an escape byte reached stdout");
    let out = String::from_utf8(o.stdout).expect("utf-8");
    let mails = out
        .lines()
        .filter(|l| l.trim_start().starts_with("2017-"))
        .filter(|l| l.split('\t').nth(3).is_some_and(|id| !id.is_empty()))
        .count();
    // 50 messages, one of them without a parsable date.
    assert_eq!(mails, 49);
    // Attachments are rows of their own, one level below their message,
    // located by their MIME part.
    let lines: Vec<&str> = out.lines().collect();
    let invoice = lines
        .iter()
        .position(|l| l.contains("<CACAB45F8250687291CA4D9E9DCFE472@"))
        .expect("the printer's invoice");
    assert!(
        lines[invoice + 1].starts_with("  2017-03-14\tpdf\tfacture_2017-0142.pdf\t\t")
            && lines[invoice + 1].ends_with(":2,FRS#4"),
        "{:?}",
        lines[invoice + 1]
    );
    assert_eq!(
        out.lines().filter(|l| l.contains("(not in dump)")).count(),
        1
    );
    let reply = out
        .lines()
        .find(|l| l.contains("<39C7DCB61C6A54BC5376E5075C3FDCDB@PCBUREAU.imprimerie-roux.example>"))
        .expect("the printer's second reply");
    assert!(
        reply.starts_with("    2017-03-15\tBernard Roux\tRe: Re: Facture"),
        "{reply:?}"
    );
    assert!(reply.ends_with("mailboxes/julien.besson/cur/1489564323.M255239P13395.srv-camp01:2,RS"));
}

#[test]
fn tree_json_is_consistent() {
    let data = common::data_dir();
    let dump = common::sample_dump();
    let o = trawl(
        &["tree", "--json", dump.to_str().expect("utf-8")],
        data.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!o.stdout.contains(&0x1b));
    let rows: Vec<serde_json::Value> = String::from_utf8(o.stdout)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    let count = |kind: &str| rows.iter().filter(|r| r["kind"] == kind).count();
    // 50 messages, 3 loose files and 6 attachments.
    assert_eq!((count("mail"), count("missing"), count("file")), (50, 1, 9));
    let parts = rows.iter().filter(|r| {
        r["location"]
            .as_str()
            .is_some_and(|l| l.rsplit_once('#').is_some())
    });
    assert_eq!(parts.count(), 6);
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r["index"].as_u64(), Some(i as u64));
        if let Some(p) = r["parent_index"].as_u64() {
            let parent = &rows[p as usize];
            assert!(p < i as u64);
            assert_eq!(
                parent["depth"].as_u64().expect("depth") + 1,
                r["depth"].as_u64().expect("depth")
            );
            assert_eq!(parent["thread"], r["thread"]);
        } else {
            assert_eq!(r["depth"], 0);
        }
    }
    // The hostile subject survives exactly, as escaped JSON.
    let hostile = rows
        .iter()
        .find(|r| r["message_id"] == "20170411031522.7731.qmail@secure-paiement.example")
        .expect("hostile");
    assert!(hostile["subject"]
        .as_str()
        .expect("s")
        .contains("\u{1b}]52;"));
    assert!(hostile["from"].as_str().expect("s").contains('\u{202e}'));
}

#[test]
fn tree_into_a_closed_pipe_is_not_an_error() {
    let Some(dir) = common::corpus("enron-maildir") else {
        return;
    };
    let data = common::data_dir();
    let mut child = Command::new(env!("CARGO_BIN_EXE_trawl"))
        .args(["tree", dir.to_str().expect("utf-8")])
        .env("TRAWL_DATA_DIR", data.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take()); // like `| head` exiting at once
    let out = child.wait_with_output().expect("wait");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `trawl keys import` keeps the keys of a file in the project (not the
/// dump), says what it skipped, and refuses a file with no key in one
/// line; `trawl keys list` prints them, terminal-safe.
#[test]
fn keys_import_and_list() {
    let data = common::data_dir();
    let d = data.path();
    let dump = common::sample_dump();
    let dump = dump.to_str().expect("utf-8 path");
    let tmp = tempfile::tempdir().expect("tmp");
    let file = tmp.path().join("keys.txt");
    std::fs::write(
        &file,
        "# from dig\n\
         s1._domainkey.campagne.example. 3600 IN TXT \"v=DKIM1; k=rsa; \" \"p=MIIBIjAN\"\n\
         not a key line\n\
         s2._domainkey.campagne.example \"v=DKIM1; k=ed25519; p=11qY\u{1b}[2J\"\n",
    )
    .expect("write");
    let file = file.to_str().expect("utf-8 path");
    let o = trawl(&["keys", "import", dump, file], d);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("line 3:"), "{err}");
    assert!(err.contains("2 keys read"), "{err}");
    assert!(err.contains("2 new"), "{err}");
    let again = stderr(&trawl(&["keys", "import", dump, file], d));
    assert!(
        again.contains("0 new") && again.contains("2 already kept"),
        "{again}"
    );

    let o = trawl(&["keys", "list", dump], d);
    let out = String::from_utf8_lossy(&o.stdout);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].starts_with("s1._domainkey.campagne.example\t"));
    assert!(lines[0].ends_with("\tv=DKIM1; k=rsa; p=MIIBIjAN"));
    assert!(
        !out.contains('\u{1b}'),
        "escape sequences never reach the terminal"
    );

    let readme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let o = trawl(&["keys", "import", dump, readme.to_str().expect("path")], d);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.lines()
            .last()
            .is_some_and(|l| l.contains("no DKIM keys in")),
        "{err}"
    );
    assert!(
        err.lines().count() <= 12,
        "at most 10 skipped lines are listed: {err}"
    );
    assert_one_line_error(
        &trawl(&["keys", "import", dump, "/no/such/keys.txt"], d),
        1,
        "No such file",
    );
}

/// `trawl gaps` lists each Message-ID that mail of the dump replies to but
/// that is not in the dump, with the messages referencing it, oldest
/// first; the same gaps `trawl tree` shows as "(not in dump)" rows.
#[test]
fn gaps_lists_missing_messages_with_who_referenced_them() {
    let data = common::data_dir();
    let d = data.path();
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("dump");
    std::fs::create_dir(&root).expect("dump");
    let reply = |name: &str, from: &str, day: u32, refs: &str| {
        let text = format!(
            "From: {from} <{from}@x.example>\r\nSubject: Re: budget\r\n\
             Date: {day} Mar 2017 10:00:00 +0000\r\nMessage-ID: <{name}@x.example>\r\n\
             In-Reply-To: <{refs}>\r\nReferences: <{refs}>\r\n\r\nok\r\n"
        );
        std::fs::write(root.join(format!("{name}.eml")), text).expect("write");
    };
    reply("r2", "bob", 18, "held-back@x.example");
    reply("r1", "ann", 17, "held-back@x.example");
    reply("r3", "cid", 20, "also-gone@x.example");
    let dump = root.to_str().expect("utf-8 path");
    let o = trawl(&["gaps", dump], d);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "<held-back@x.example>\treferenced by 2", "{out}");
    assert!(lines[1].starts_with("  2017-03-17\tann\t"), "{out}");
    assert!(lines[2].starts_with("  2017-03-18\tbob\t"), "{out}");
    assert_eq!(lines[3], "<also-gone@x.example>\treferenced by 1", "{out}");
    assert_eq!(lines.len(), 5, "{out}");

    // The sample dump: the same ids as the tree's missing rows.
    let sample = common::sample_dump();
    let sample = sample.to_str().expect("utf-8 path");
    let gaps = trawl(&["gaps", "--json", sample], d);
    let tree = trawl(&["tree", "--json", sample], d);
    let ids = |o: &Output, key: &str| -> Vec<String> {
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json"))
            .filter(|v| key == "gaps" || v["kind"] == "missing")
            .map(|v| v["message_id"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    let mut from_gaps = ids(&gaps, "gaps");
    let mut from_tree = ids(&tree, "tree");
    from_gaps.sort();
    from_tree.sort();
    assert!(!from_gaps.is_empty());
    assert_eq!(from_gaps, from_tree);
}

/// Project state that cannot be read, or that a newer trawl wrote, is
/// refused in one line that says where it is, and left exactly as it was.
#[test]
fn unreadable_or_newer_state_is_refused_and_left_untouched() {
    let data = common::data_dir();
    let d = data.path();
    let dump = common::sample_dump();
    let dump = dump.to_str().expect("utf-8");
    assert!(trawl(&["tree", dump], d).status.success());
    let state = walkdir::WalkDir::new(d)
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.file_name() == "state.sqlite3")
        .expect("state")
        .into_path();
    for f in ["state.sqlite3-wal", "state.sqlite3-shm"] {
        let _ = std::fs::remove_file(state.with_file_name(f));
    }

    {
        let db = rusqlite::Connection::open(&state).expect("open");
        db.pragma_update(None, "user_version", 99).expect("bump");
    }
    let newer = std::fs::read(&state).expect("read");
    let o = trawl(&["tree", dump], d);
    assert_one_line_error(&o, 1, "written by a newer trawl (schema 99)");
    assert_eq!(std::fs::read(&state).expect("read"), newer);

    let garbage = b"not a database, whatever it once was\n".repeat(200);
    std::fs::write(&state, &garbage).expect("spoil");
    let o = trawl(&["tree", dump], d);
    assert_one_line_error(&o, 1, "cannot be read");
    assert!(
        stderr(&o).contains(&state.display().to_string()),
        "says where"
    );
    assert_eq!(
        std::fs::read(&state).expect("read"),
        garbage,
        "left as it was"
    );
}

/// A damaged catalog and search index are rebuilt from the dump on the
/// next run; the user's tags, kept apart, are all still there.
#[test]
fn a_damaged_catalog_and_search_index_are_rebuilt_and_tags_kept() {
    let data = common::data_dir();
    let d = data.path();
    let dump = common::sample_dump();
    let dump = dump.to_str().expect("utf-8");
    let tagged = trawl(&["tag", "--tag", "kept", dump, "from:claire"], d);
    assert!(tagged.status.success(), "{}", stderr(&tagged));
    let count = String::from_utf8_lossy(&tagged.stdout).lines().count();
    assert!(count > 3);
    for e in walkdir::WalkDir::new(d).into_iter().filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy();
        if name == "catalog.bin" || name == "threading.bin" || name == "meta.json" {
            std::fs::write(e.path(), b"damaged").expect("spoil");
        }
    }
    let found = trawl(&["search", dump, "tag:kept"], d);
    assert!(found.status.success(), "{}", stderr(&found));
    assert_eq!(
        String::from_utf8_lossy(&found.stdout).lines().count(),
        count
    );
}
