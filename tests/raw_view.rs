//! `r` shows a message's exact bytes, terminal-safe: every header as
//! written (DKIM-Signature, Received … included), escape sequences and
//! bidi controls as visible placeholders, bytes that are not UTF-8 as
//! `\xNN`; `r` again goes back to the preview.

mod common;

use trawl::tui::action::Action;
use trawl::tui::app::App;
use trawl::tui::keymap::Keymap;
use trawl::tui::theme::Theme;
use trawl::workspace::Workspace;

#[test]
fn the_raw_view_shows_the_exact_bytes_safely_and_r_goes_back() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("dump");
    std::fs::create_dir(&root).expect("dump");
    let mut raw =
        b"Received: from mx.campagne.example by relay.example; Thu, 16 Mar 2017 10:02:12 +0100\r\n\
From: Jean <jean@campagne.example>\r\n\
Subject: hi \x1b]52;c;ZXZpbA==\x07 there\r\n\
Date: Thu, 16 Mar 2017 10:02:11 +0100\r\n\
\r\n\
caf\xe9 \xe2\x80\xae reversed\r\n"
            .to_vec();
    raw.extend_from_slice(b"\x1b[2Jcleared?\r\n");
    std::fs::write(root.join("m.eml"), &raw).expect("write");
    let data = common::data_dir();
    let ws = Workspace::open_in(&root, data.path()).expect("open");
    let mut app = App::new(ws, Keymap::builtin(), Theme { color: false }, (120, 30));
    app.update(Action::Top);
    while app.selected_doc().is_none() {
        app.update(Action::Down);
    }
    let preview = common::text(&common::render(&app));
    assert!(
        !preview.contains("Received: from mx"),
        "the preview is not raw"
    );

    app.update(Action::RawSource);
    let buffer = common::render(&app);
    let screen = common::text(&buffer);
    for expected in [
        "Raw: ",
        "Received: from mx.campagne.example by relay.example;",
        "Subject: hi ",
        "caf\\xE9 ",
        "reversed",
        "cleared?",
    ] {
        assert!(screen.contains(expected), "{expected:?} not in:\n{screen}");
    }
    let cells: String = buffer
        .content()
        .iter()
        .map(ratatui::buffer::Cell::symbol)
        .collect();
    for bad in ['\u{1b}', '\u{7}', '\u{202e}'] {
        assert!(!cells.contains(bad), "{bad:?} reached the screen");
    }

    app.update(Action::RawSource);
    let back = common::text(&common::render(&app));
    assert!(!back.contains("Received: from mx"), "r went back:\n{back}");
    assert!(back.contains("From: Jean"));
}
