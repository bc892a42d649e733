//! `s` in the browser, driven with key presses: a free name is saved, the
//! same content again is "already saved" and writes nothing, and a name
//! taken by other content asks — `Esc` writes nothing, `k`/Enter keeps both,
//! `o` overwrites.
//!
//! This file holds one test on purpose: it moves the process into a
//! temporary folder, so that the folder typed and drawn is always `out`
//! (a snapshot cannot hold a random temporary path).

mod common;

use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use trawl::model::DocId;
use trawl::tui::action::Action;
use trawl::tui::app::{App, Mode};
use trawl::tui::prompt::Prompt;

/// The name four replies of the sample dump with one subject are saved
/// under (four contents; the first three are used).
const NAME: &str = "Re_ Demande de réaction – document « attestation de don » Verdanne.eml";
/// Its numbered copy.
const SECOND: &str = "Re_ Demande de réaction – document « attestation de don » Verdanne (2).eml";

fn status(app: &App) -> String {
    app.status.clone().map(|(_, s)| s).unwrap_or_default()
}

fn key(app: &mut App, code: KeyCode) {
    let k = KeyEvent::new(code, KeyModifiers::NONE);
    if let Some(action) = app.action_for_key(&k) {
        app.update(action);
    }
}

/// `s`, the folder `out` typed over the offered one, Enter.
fn save_into_out(app: &mut App, doc: DocId) {
    app.go_to_doc(doc);
    common::press(app, "s");
    assert!(matches!(
        app.mode,
        Mode::Prompt {
            kind: Prompt::SaveTo,
            ..
        }
    ));
    app.update(Action::PromptClear);
    common::press(app, "out");
    key(app, KeyCode::Enter);
}

fn bytes_of(app: &App, doc: DocId) -> Vec<u8> {
    trawl::ingest::read_document(&app.ws.scan.root, &app.ws.doc(doc).location).expect("read")
}

fn asks(app: &App) -> bool {
    matches!(
        app.mode,
        Mode::Prompt {
            kind: Prompt::SaveClash { .. },
            ..
        }
    )
}

/// The rows of the question box as drawn at 80x24.
fn question_box(app: &App) -> String {
    let screen = common::text(&common::render(app));
    let rows: Vec<&str> = screen.lines().collect();
    let top = rows
        .iter()
        .position(|r| r.contains("┌ Taken in out"))
        .expect("the question is drawn");
    rows[top..top + 3].join("\n")
}

#[test]
fn saving_asks_before_replacing_and_never_writes_the_same_content_twice() {
    let data = common::data_dir();
    let work = tempfile::tempdir().expect("tmp");
    std::fs::create_dir(work.path().join("out")).expect("mkdir");
    std::env::set_current_dir(work.path()).expect("cd");
    let out = Path::new("out");
    let mut app = common::sample_app(data.path(), (80, 24), false);
    let same_name: Vec<DocId> = (0..app.ws.scan.docs.len())
        .filter(|&d| trawl::save::suggested_name(app.ws.doc(d)) == NAME)
        .collect();
    // A slash in a subject is kept as a dash, not taken for a folder.
    let names: Vec<String> = (0..app.ws.scan.docs.len())
        .map(|d| trawl::save::suggested_name(app.ws.doc(d)))
        .collect();
    assert!(
        names.contains(&"Stage, sound & lights – rally on 8 April - Saint-Aurèle.eml".to_string()),
        "{names:?}"
    );
    let [a, b, c, ..] = same_name[..] else {
        panic!("three documents named {NAME}: {same_name:?}");
    };

    save_into_out(&mut app, a);
    assert_eq!(status(&app), format!("saved out/{NAME}"));
    assert_eq!(
        std::fs::read(out.join(NAME)).expect("saved"),
        bytes_of(&app, a)
    );

    let before = common::snapshot_tree(out);
    save_into_out(&mut app, a);
    assert_eq!(
        status(&app),
        format!("already saved (same content): out/{NAME}")
    );
    assert!(!asks(&app));
    assert_eq!(common::snapshot_tree(out), before, "written again");

    // Other content under the name: a question, answered with one key.
    save_into_out(&mut app, b);
    assert!(asks(&app), "{:?}", app.mode);
    insta::assert_snapshot!("question_80x24", question_box(&app));
    common::press(&mut app, "x");
    assert!(asks(&app), "another key is no answer");
    key(&mut app, KeyCode::Esc);
    assert_eq!(status(&app), "not saved: nothing was written");
    assert_eq!(common::snapshot_tree(out), before, "written after Esc");

    // Enter keeps both; then that copy counts as saved.
    save_into_out(&mut app, b);
    key(&mut app, KeyCode::Enter);
    assert_eq!(status(&app), format!("saved out/{SECOND}"));
    let second = out.join(SECOND);
    assert_eq!(std::fs::read(&second).expect("kept"), bytes_of(&app, b));
    save_into_out(&mut app, b);
    assert_eq!(
        status(&app),
        format!("already saved (same content): out/{SECOND}")
    );

    // `o` overwrites the file under the name, and only that one.
    save_into_out(&mut app, c);
    assert!(asks(&app));
    common::press(&mut app, "o");
    assert_eq!(status(&app), format!("overwrote out/{NAME}"));
    assert_eq!(
        std::fs::read(out.join(NAME)).expect("read"),
        bytes_of(&app, c)
    );
    assert_eq!(std::fs::read(&second).expect("kept"), bytes_of(&app, b));
    let mut names: Vec<String> = std::fs::read_dir(out)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, [SECOND.to_string(), NAME.into()]);
}
