//! Snapshot tests of every panel on ratatui's `TestBackend`, from a fixture
//! state: the bundled sample dump in a fresh project.

mod common;

use ratatui::style::Color;
use trawl::tui::action::Action;
use trawl::tui::app::App;
use trawl::tui::keymap::Keymap;
use trawl::tui::theme::Theme;
use trawl::workspace::Workspace;

fn app(size: (u16, u16), color: bool, data: &std::path::Path) -> App {
    let ws = Workspace::open_in(&common::sample_dump(), data).expect("open");
    App::new(ws, Keymap::builtin(), Theme { color }, size)
}

use common::{render, text};

#[test]
fn main_screen_80x24() {
    let data = common::data_dir();
    let a = app((80, 24), true, data.path());
    insta::assert_snapshot!(text(&render(&a)));
}

#[test]
fn main_screen_160x48_after_tagging_a_reply() {
    let data = common::data_dir();
    let mut a = app((160, 48), true, data.path());
    for _ in 0..3 {
        a.update(Action::Down);
    }
    a.update(Action::ToggleTag('1'));
    a.update(Action::ToggleTag('3'));
    insta::assert_snapshot!(text(&render(&a)));
}

#[test]
fn missing_message_placeholder_and_folded_thread() {
    let data = common::data_dir();
    let mut a = app((100, 30), true, data.path());
    a.update(Action::Down);
    a.update(Action::Down); // the "not in dump" root
    a.update(Action::ToggleFold);
    insta::assert_snapshot!(text(&render(&a)));
}

#[test]
fn help_overlay_80x24_and_scrolled_to_the_end() {
    let data = common::data_dir();
    let mut a = app((80, 24), true, data.path());
    a.update(Action::Help);
    let first = text(&render(&a));
    for _ in 0..3 {
        a.update(Action::ScrollPageDown);
    }
    let last = text(&render(&a));
    insta::assert_snapshot!("help_top", first);
    insta::assert_snapshot!("help_end", last);
}

#[test]
fn new_tag_prompt_and_tag_panel_focus() {
    let data = common::data_dir();
    let mut a = app((80, 24), true, data.path());
    a.update(Action::FocusNext);
    a.update(Action::FocusNext);
    a.update(Action::TagDown);
    a.update(Action::NewTag);
    for c in "donors".chars() {
        a.update(Action::PromptInput(c));
    }
    insta::assert_snapshot!(text(&render(&a)));
}

#[test]
fn preview_scrolls_and_non_mail_files_show_their_identity() {
    let data = common::data_dir();
    let mut a = app((80, 24), true, data.path());
    a.update(Action::Bottom);
    // A file's text is extracted on another thread: wait for it.
    let doc = a.selected_doc().expect("a document");
    common::wait_for_extraction(&mut a, doc);
    insta::assert_snapshot!(text(&render(&a)));
}

#[test]
fn no_color_draws_without_any_colour() {
    let data = common::data_dir();
    let a = app((80, 24), false, data.path());
    let buffer = render(&a);
    for cell in buffer.content() {
        assert_eq!(
            cell.fg,
            Color::Reset,
            "foreground colour at {:?}",
            cell.symbol()
        );
        assert_eq!(
            cell.bg,
            Color::Reset,
            "background colour at {:?}",
            cell.symbol()
        );
    }
    // Same words on screen as with colour: meaning never rests on colour.
    let colored = render(&app((80, 24), true, common::data_dir().path()));
    assert_eq!(text(&buffer), text(&colored));
}

#[test]
fn colours_stay_within_the_16_ansi_colours() {
    let data = common::data_dir();
    let mut a = app((120, 40), true, data.path());
    a.update(Action::ToggleTag('2'));
    for cell in render(&a).content() {
        for c in [cell.fg, cell.bg] {
            assert!(
                !matches!(c, Color::Rgb(..) | Color::Indexed(_)),
                "{c:?} is not one of the 16 colours"
            );
        }
    }
}

#[test]
fn hostile_subject_is_drawn_harmlessly() {
    let data = common::data_dir();
    let mut a = app((120, 40), true, data.path());
    let hostile =
        a.ws.scan
            .docs
            .iter()
            .position(|d| d.subject().contains('\u{1b}'))
            .expect("the sample dump has a hostile subject");
    while a.selected_doc() != Some(hostile) {
        let before = a.cursor;
        a.update(Action::Down);
        assert_ne!(before, a.cursor, "hostile message not reachable");
    }
    let screen = text(&render(&a));
    assert!(screen.contains("Facture en attente␛]52;c;"), "{screen}");
    for bad in ['\u{1b}', '\u{7}', '\u{202e}', '\u{9b}'] {
        assert!(!screen.contains(bad), "{bad:?} reached the screen");
    }
}
