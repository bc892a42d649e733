//! The command palette (`:`): it lists every action of the keymap in use
//! (one command per tag for `toggle_tag`), narrows as the user types, and
//! Enter runs the highlighted command as its key would; Esc closes it.
//! Snapshots at 80x24 and 200x60, with and without colour.

mod common;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;
use trawl::tui::action::Action;
use trawl::tui::app::{App, Focus, Mode};
use trawl::tui::keymap::{Keymap, Section};
use trawl::tui::palette::{Palette, Run};
use trawl::tui::theme::Theme;
use trawl::workspace::Workspace;

use common::{press, sample_app as app};

fn press_code(app: &mut App, code: KeyCode) {
    let k = KeyEvent::new(code, KeyModifiers::NONE);
    let action = app.action_for_key(&k).expect("bound");
    app.update(action);
}

fn palette(app: &App) -> &Palette {
    match &app.mode {
        Mode::Palette(p) => p,
        other => panic!("no palette: {other:?}"),
    }
}

fn names(app: &App) -> Vec<String> {
    let p = palette(app);
    p.shown
        .iter()
        .map(|s| p.commands[s.command].name.clone())
        .collect()
}

fn status(app: &App) -> String {
    app.status.clone().map(|(_, s)| s).unwrap_or_default()
}

#[test]
fn every_action_of_the_keymap_is_a_command_and_each_tag_too() {
    let data = common::data_dir();
    let mut a = app(data.path(), (80, 24), false);
    press(&mut a, ":");
    let p = palette(&a);
    assert_eq!(p.shown.len(), p.commands.len(), "nothing typed: all");
    let listed: Vec<&str> = p.commands.iter().map(|c| c.name.as_str()).collect();
    let km = Keymap::builtin();
    for section in [
        Section::Global,
        Section::Tree,
        Section::Preview,
        Section::Tags,
    ] {
        for b in km.section(section) {
            if b.action == "toggle_tag" || b.action == "command_palette" {
                continue;
            }
            assert!(listed.contains(&b.action.as_str()), "{} missing", b.action);
        }
    }
    let mut unique = listed.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), listed.len(), "each once: {listed:?}");
    for tag in ["verified", "suspect", "forged", "follow-up"] {
        assert!(listed.contains(&format!("toggle_tag {tag}").as_str()));
    }
    assert!(!listed.contains(&"command_palette"));
    let quit = p.commands.iter().find(|c| c.name == "quit").expect("quit");
    assert_eq!(quit.keys, "q");
    assert!(quit.desc.starts_with("Quit"));
    // Keys of another pane say which.
    let rename = p
        .commands
        .iter()
        .find(|c| c.name == "rename_tag")
        .expect("rename");
    assert_eq!(rename.keys, "R (tags)");
    let forged = p
        .commands
        .iter()
        .find(|c| c.name == "toggle_tag forged")
        .expect("forged");
    assert_eq!(forged.keys, "3");
}

#[test]
fn typing_narrows_the_list_and_enter_runs_the_best_match() {
    let data = common::data_dir();
    let mut a = app(data.path(), (80, 24), false);
    // The "not in dump" root, with replies to fold.
    a.update(Action::Down);
    a.update(Action::Down);
    let all = {
        press(&mut a, ":");
        palette(&a).shown.len()
    };
    // Letters are typed, not keys: j and q do not move or quit here.
    press(&mut a, "fold");
    assert!(!a.quit);
    let shown = names(&a);
    assert!(shown.len() < all, "{shown:?}");
    assert_eq!(shown[0], "toggle_fold", "{shown:?}");
    assert_eq!(palette(&a).input, "fold");
    assert!(a.folded.is_empty());
    press_code(&mut a, KeyCode::Enter);
    assert_eq!(a.mode, Mode::Normal);
    assert!(!a.folded.is_empty(), "toggle_fold ran");

    // Fuzzy: letters in order; Backspace widens again.
    press(&mut a, ":tgfrg");
    assert_eq!(names(&a)[0], "toggle_tag forged", "{:?}", names(&a));
    press_code(&mut a, KeyCode::Backspace);
    press_code(&mut a, KeyCode::Backspace);
    assert!(names(&a).len() > 1);
    a.update(Action::PromptClear);
    assert_eq!(palette(&a).shown.len(), all);
}

#[test]
fn a_tag_command_tags_the_selected_document_and_a_description_is_searched() {
    let data = common::data_dir();
    let mut a = app(data.path(), (80, 24), false);
    a.update(Action::Down);
    let doc = a.selected_doc().expect("a document");
    press(&mut a, ":toggle tag follow");
    assert_eq!(names(&a)[0], "toggle_tag follow-up");
    press_code(&mut a, KeyCode::Enter);
    let follow =
        a.ws.tags
            .iter()
            .find(|t| t.name == "follow-up")
            .expect("tag");
    assert!(a.ws.has_tag(doc, follow.id));
    assert_eq!(status(&a), "tagged follow-up");

    // Words of a description find commands whose names do not hold them.
    press(&mut a, ":sha-256");
    assert_eq!(names(&a), ["next_copy"]);
    let p = palette(&a);
    let marks = &p.shown[0].desc_marks;
    let desc: Vec<char> = p.commands[p.shown[0].command].desc.chars().collect();
    let marked: String = marks.iter().map(|&i| desc[i]).collect();
    assert_eq!(marked, "SHA-256");
}

#[test]
fn up_down_move_esc_closes_and_nothing_runs() {
    let data = common::data_dir();
    let mut a = app(data.path(), (80, 24), false);
    let before = a.cursor;
    press(&mut a, ":");
    press_code(&mut a, KeyCode::Down);
    press_code(&mut a, KeyCode::Down);
    assert_eq!(palette(&a).cursor, 2);
    press_code(&mut a, KeyCode::Up);
    assert_eq!(palette(&a).cursor, 1);
    let ctrl_n = KeyEvent::new(KeyCode::Char('n'), KeyModifiers::CONTROL);
    let action = a.action_for_key(&ctrl_n).expect("C-n");
    a.update(action);
    assert_eq!(palette(&a).cursor, 2);
    for _ in 0..200 {
        press_code(&mut a, KeyCode::PageDown);
    }
    assert_eq!(
        palette(&a).cursor,
        palette(&a).shown.len() - 1,
        "stops at the end"
    );
    press_code(&mut a, KeyCode::Esc);
    assert_eq!(a.mode, Mode::Normal);
    assert_eq!(a.cursor, before);
    assert!(!a.quit);

    // Ctrl-C closes it too (it quits only outside).
    press(&mut a, ":");
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    let action = a.action_for_key(&ctrl_c).expect("C-c");
    a.update(action);
    assert_eq!(a.mode, Mode::Normal);
    assert!(!a.quit);

    // Nothing matches: Enter keeps the palette open and says why.
    press(&mut a, ":zzzzqqq");
    assert!(names(&a).is_empty());
    press_code(&mut a, KeyCode::Enter);
    assert!(matches!(a.mode, Mode::Palette(_)));
    assert!(status(&a).contains("no command matches"), "{}", status(&a));
}

#[test]
fn commands_that_ask_open_their_prompt_and_unbound_actions_still_run() {
    let dir = tempfile::tempdir().expect("config");
    let path = dir.path().join("keymap.toml");
    std::fs::write(&path, "[[global]]\nkeys = []\naction = \"new_tag\"\n").expect("write");
    let data = common::data_dir();
    let ws = Workspace::open_in(&common::sample_dump(), data.path()).expect("open");
    let mut a = App::new(ws, Keymap::load(&path), Theme { color: false }, (80, 24));
    press(&mut a, "t");
    assert_eq!(a.mode, Mode::Normal, "t is unbound");
    press(&mut a, ":new_tag");
    let p = palette(&a);
    let c = p.selected().expect("new_tag");
    assert_eq!((c.name.as_str(), c.keys.as_str()), ("new_tag", ""));
    assert_eq!(c.run, Run::Action("new_tag".into()));
    press_code(&mut a, KeyCode::Enter);
    assert!(
        matches!(&a.mode, Mode::Prompt { kind, .. } if kind.title() == "New tag name"),
        "{:?}",
        a.mode
    );
}

#[test]
fn keys_are_shown_for_the_pane_with_the_focus() {
    let data = common::data_dir();
    let mut a = app(data.path(), (80, 24), false);
    a.focus = Focus::Tags;
    press(&mut a, ":");
    let p = palette(&a);
    let keys = |name: &str| {
        p.commands
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.keys.clone())
            .expect(name)
    };
    assert_eq!(keys("rename_tag"), "R");
    assert_eq!(keys("down"), "j, Down (tree)");
    assert_eq!(keys("tag_down"), "j, Down");
}

fn screen(a: &App) -> String {
    common::text(&common::render(a))
}

#[test]
fn palette_snapshots_80x24_and_200x60() {
    for (size, name) in [((80, 24), "palette_80x24"), ((200, 60), "palette_200x60")] {
        let data = common::data_dir();
        let mut plain = app(data.path(), size, false);
        let mut coloured = app(data.path(), size, true);
        for a in [&mut plain, &mut coloured] {
            press(a, ":tag");
        }
        let text = screen(&plain);
        assert_eq!(
            text,
            screen(&coloured),
            "same words with and without colour"
        );
        insta::assert_snapshot!(name, text);

        // No colour at all without it; the 16 colours only with it, and
        // the matched letters marked.
        for cell in common::render(&plain).content() {
            assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset));
        }
        let buffer = common::render(&coloured);
        for cell in buffer.content() {
            for c in [cell.fg, cell.bg] {
                assert!(!matches!(c, Color::Rgb(..) | Color::Indexed(_)), "{c:?}");
            }
        }
        assert!(buffer.content().iter().any(|c| c.bg == Color::Yellow));
    }
}
