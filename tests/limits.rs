//! The documented limits (README, "Limits"), each on a message built to
//! cross it: header count, header size, line length, MIME nesting depth
//! and attachment count. Each is read and previewed in bounded time and
//! memory, and what was cut says so. (Message size, decompressed size,
//! archive depth and extraction time are tested in `hostile_dump.rs`,
//! `parts.rs`, `extract_corpus.rs` and `extract_isolation.rs`.)

use std::fmt::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use trawl::ingest::{self, limits, parts};
use trawl::model::Document;
use trawl::preview::{self, Preview};

/// Generous even for a debug build on a loaded 2-core machine.
const BOUND: Duration = Duration::from_secs(20);

/// Parse `message` as a file of its own and preview it, within [`BOUND`].
fn read(name: &str, message: &str) -> (tempfile::TempDir, Vec<Document>, Preview) {
    let tmp = tempfile::tempdir().expect("tmp");
    let path = tmp.path().join(name);
    std::fs::write(&path, message).expect("write");
    let start = Instant::now();
    let (docs, problems) = ingest::parse_file(&path);
    assert!(problems.is_empty(), "{problems:?}");
    let p = preview::preview(tmp.path(), &docs[0], 80);
    assert!(start.elapsed() < BOUND, "{name}: {:?}", start.elapsed());
    (tmp, docs, p)
}

fn root(tmp: &tempfile::TempDir) -> &Path {
    tmp.path()
}

#[test]
fn two_hundred_thousand_header_fields_are_read_and_the_hops_are_capped() {
    let mut m = String::from("From: a@x.example\r\nSubject: many\r\n");
    for i in 0..200_000 {
        let _ = write!(m, "X-Filler-{i}: v\r\n");
    }
    for i in 0..150 {
        let _ = write!(
            m,
            "Received: from h{i}.example by h{}.example; Thu, 16 Mar 2017 10:02:11 +0100\r\n",
            i + 1
        );
    }
    m.push_str("\r\nbody\r\n");
    let (tmp, docs, p) = read("headers.eml", &m);
    assert_eq!(docs[0].subject(), "many");
    assert_eq!(p.body.first().map(String::as_str), Some("body"));
    let hops = preview::hops_preview(root(&tmp), &docs[0]);
    let all = hops.body.join("\n");
    assert!(
        all.contains("150 Received: fields (a loop, or stuffed); the first 100 hops are listed"),
        "{all}"
    );
}

#[test]
fn an_eight_megabyte_subject_is_clipped_where_it_is_kept_and_shown() {
    let subject = "s".repeat(8 << 20);
    let (_tmp, docs, p) = read(
        "subject.eml",
        &format!("From: a@x.example\r\nSubject: {subject}\r\n\r\nbody\r\n"),
    );
    assert_eq!(docs[0].subject().chars().count(), limits::MAX_FIELD_CHARS);
    let shown = &p
        .headers
        .iter()
        .find(|(l, _)| *l == "Subject")
        .expect("subject")
        .1;
    assert!(shown.chars().count() < preview::MAX_HEADER_CHARS + 40);
    assert!(
        shown.ends_with("more characters]"),
        "{}",
        &shown[shown.len() - 40..]
    );
}

#[test]
fn a_twenty_megabyte_line_is_cut_at_the_line_limit_and_says_so() {
    let line = "w".repeat(20 << 20);
    let (_tmp, _docs, p) = read(
        "line.eml",
        &format!("From: a@x.example\r\nSubject: line\r\n\r\n{line}\r\nnext\r\n"),
    );
    let first = &p.body[0];
    assert!(first.chars().count() < trawl::sanitize::MAX_LINE_CHARS + 60);
    assert!(
        first.ends_with("more characters]"),
        "{}",
        &first[first.len() - 50..]
    );
    assert_eq!(p.body[1], "next");
}

#[test]
fn ten_thousand_levels_of_multipart_do_not_exhaust_the_stack() {
    let depth = 10_000;
    let mut m = String::from("From: a@x.example\r\nSubject: deep\r\nMIME-Version: 1.0\r\n");
    for i in 0..depth {
        let _ = write!(
            m,
            "Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n"
        );
    }
    m.push_str("Content-Type: text/plain\r\n\r\ncore\r\n");
    for i in (0..depth).rev() {
        let _ = write!(m, "--b{i}--\r\n");
    }
    // A thread with a small stack, as on a busy machine: no overflow.
    let handle = std::thread::Builder::new()
        .stack_size(512 * 1024)
        .spawn(move || read("deep.eml", &m).1.len())
        .expect("spawn");
    let docs = handle.join().expect("no stack overflow, no panic");
    assert!(docs >= 1);
}

#[test]
fn messages_attached_inside_messages_stop_at_the_depth_limit() {
    let mut m = String::from("From: core@x.example\r\nSubject: level 30\r\n\r\ncore\r\n");
    for level in (0..30).rev() {
        m = format!(
            "From: a@x.example\r\nSubject: level {level}\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"l{level}\"\r\n\r\n\
--l{level}\r\nContent-Type: text/plain\r\n\r\nwrapper\r\n\
--l{level}\r\nContent-Type: message/rfc822\r\n\r\n{m}\r\n--l{level}--\r\n"
        );
    }
    let (_tmp, docs, _p) = read("nested.eml", &m);
    let deepest = docs
        .iter()
        .map(|d| d.location.part.len())
        .max()
        .unwrap_or(0);
    assert_eq!(
        deepest,
        parts::MAX_DEPTH,
        "parts are listed down to the limit"
    );
    assert!(
        docs.iter()
            .any(|d| d.warning().is_some_and(|w| w.contains("nested too deep"))),
        "and the cut says so"
    );
}

#[test]
fn twelve_thousand_attachments_stop_at_the_part_limit_and_say_so() {
    let mut m = String::from(
        "From: a@x.example\r\nSubject: atts\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n",
    );
    for i in 0..12_000 {
        let _ = write!(
            m,
            "--b\r\nContent-Type: text/plain; name=a{i}.txt\r\n\
Content-Disposition: attachment; filename=a{i}.txt\r\n\r\nx\r\n"
        );
    }
    m.push_str("--b--\r\n");
    let (_tmp, docs, p) = read("attachments.eml", &m);
    assert_eq!(docs.len() - 1, parts::MAX_PARTS as usize);
    let notice = p.notice.unwrap_or_default();
    assert!(notice.contains("too many parts"), "{notice}");
}

#[test]
fn thirty_thousand_body_lines_stop_at_the_line_count_limit_and_say_so() {
    let mut m = String::from("From: a@x.example\r\nSubject: long\r\n\r\n");
    for i in 0..30_000 {
        let _ = write!(m, "line {i}\r\n");
    }
    let (_tmp, _docs, p) = read("long.eml", &m);
    assert!(
        p.body.len() <= preview::MAX_BODY_LINES + 2,
        "{}",
        p.body.len()
    );
    let all = p.body.join("\n") + &p.notice.unwrap_or_default();
    assert!(all.contains("more lines"), "the cut says so");
}
