//! Snapshots of the triage screens at 80x24 and 200x60: marked rows, a
//! note in the preview and in the tree, the note box, the progress line.
//! Each is drawn with colour and without (`NO_COLOR`): the same text, no
//! colour at all in the second, only the 16 ANSI colours in the first.

mod common;

use ratatui::style::Color;
use trawl::tui::action::Action;
use trawl::tui::app::App;
use trawl::tui::keymap::Keymap;
use trawl::tui::theme::Theme;
use trawl::workspace::Workspace;

use common::{render, text};

fn app(size: (u16, u16), color: bool, data: &std::path::Path) -> App {
    let mut ws = Workspace::open_in(&common::sample_dump(), data).expect("open");
    ws.author = "claire".to_string();
    App::new(ws, Keymap::builtin(), Theme { color }, size)
}

/// A triage under way: two rows marked and tagged, a note written on the
/// selected message, the note box open again with a second line typed.
fn triage(size: (u16, u16), color: bool, note_box_open: bool) -> String {
    let data = common::data_dir();
    let mut a = app(size, color, data.path());
    a.update(Action::ToggleMark);
    a.update(Action::ToggleMark);
    a.update(Action::ToggleTag('4'));
    a.update(Action::Down); // past the "not in dump" row, to a reply
    a.update(Action::EditNote);
    for c in "Vérifier le montant\navec la trésorerie".chars() {
        a.update(Action::PromptInput(c));
    }
    a.update(Action::PromptSubmit);
    if note_box_open {
        a.update(Action::EditNote);
        for c in "\nAppeler Thomas".chars() {
            a.update(Action::PromptInput(c));
        }
    }
    a.status = None;
    let buffer = render(&a);
    for cell in buffer.content() {
        for c in [cell.fg, cell.bg] {
            if color {
                assert!(
                    !matches!(c, Color::Rgb(..) | Color::Indexed(_)),
                    "{c:?} is not one of the 16 colours"
                );
            } else {
                assert_eq!(c, Color::Reset, "colour at {:?}", cell.symbol());
            }
        }
    }
    text(&buffer)
}

#[test]
fn marks_and_a_note_at_80x24() {
    let shown = triage((80, 24), true, false);
    assert_eq!(
        shown,
        triage((80, 24), false, false),
        "same text without colour"
    );
    insta::assert_snapshot!(shown);
}

#[test]
fn marks_and_a_note_at_200x60() {
    let shown = triage((200, 60), true, false);
    assert_eq!(
        shown,
        triage((200, 60), false, false),
        "same text without colour"
    );
    insta::assert_snapshot!(shown);
}

#[test]
fn the_note_box_at_80x24() {
    let shown = triage((80, 24), true, true);
    assert_eq!(
        shown,
        triage((80, 24), false, true),
        "same text without colour"
    );
    insta::assert_snapshot!(shown);
}

#[test]
fn the_note_box_at_200x60() {
    let shown = triage((200, 60), true, true);
    assert_eq!(
        shown,
        triage((200, 60), false, true),
        "same text without colour"
    );
    insta::assert_snapshot!(shown);
}
