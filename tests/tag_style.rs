//! Recolouring a tag (`C` in the tag panel) and putting it on another
//! digit (`b`): both saved at once and there after reopening; tags drawn
//! in their colour — the 16 colours only — and, without colour, told
//! apart by their digit or letter. The tag panel and tree are snapshotted
//! at 80x24 and 200x60 with a map of the colours each cell is drawn in.

mod common;

use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Color;
use trawl::tui::action::Action;
use trawl::tui::app::{App, Focus, Mode};
use trawl::tui::prompt::Prompt;

use common::{press, sample_app as app};

fn enter(app: &mut App) {
    let k = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
    let action = app.action_for_key(&k).expect("Enter");
    app.update(action);
}

fn status(app: &App) -> String {
    app.status.clone().map(|(_, s)| s).unwrap_or_default()
}

/// The tag panel's cursor on the tag named `name` (focus there).
fn highlight(app: &mut App, name: &str) {
    app.focus = Focus::Tags;
    for _ in 0..20 {
        app.update(Action::TagUp);
    }
    let at = app
        .ws
        .tags
        .iter()
        .position(|t| t.name == name)
        .expect("tag");
    for _ in 0..at {
        app.update(Action::TagDown);
    }
}

fn colour_of(app: &App, name: &str) -> Option<String> {
    let t = app.ws.tags.iter().find(|t| t.name == name).expect("tag");
    t.colour.clone()
}

fn hotkey_of(app: &App, name: &str) -> Option<char> {
    let t = app.ws.tags.iter().find(|t| t.name == name).expect("tag");
    t.hotkey
}

#[test]
fn c_cycles_a_tags_colour_and_it_is_there_after_reopening() {
    let data = common::data_dir();
    {
        let mut a = app(data.path(), (80, 24), true);
        highlight(&mut a, "suspect");
        press(&mut a, "C");
        // suspect's own colour is red: the first step skips it.
        assert_eq!(colour_of(&a, "suspect").as_deref(), Some("green"));
        assert_eq!(status(&a), "tag suspect: now green (C for the next)");
        press(&mut a, "C");
        assert_eq!(colour_of(&a, "suspect").as_deref(), Some("yellow"));
        assert_eq!(colour_of(&a, "verified"), None, "only the highlighted");
    }
    let mut a = app(data.path(), (80, 24), false);
    assert_eq!(colour_of(&a, "suspect").as_deref(), Some("yellow"));
    highlight(&mut a, "suspect");
    // 13 more colours, then its own again.
    for _ in 0..13 {
        press(&mut a, "C");
    }
    assert_eq!(colour_of(&a, "suspect").as_deref(), Some("black"));
    press(&mut a, "C");
    assert_eq!(colour_of(&a, "suspect"), None);
    assert_eq!(
        status(&a),
        "tag suspect: its own colour again (colours are off: NO_COLOR is set)"
    );
    drop(a);
    assert_eq!(
        colour_of(&app(data.path(), (80, 24), false), "suspect"),
        None
    );
}

#[test]
fn b_puts_a_tag_on_another_digit_taking_it_from_the_tag_that_had_it() {
    let data = common::data_dir();
    {
        let mut a = app(data.path(), (80, 24), false);
        highlight(&mut a, "follow-up");
        press(&mut a, "b");
        assert!(matches!(
            &a.mode,
            Mode::Prompt {
                kind: Prompt::RebindTag {
                    hotkey: Some('4'),
                    ..
                },
                ..
            }
        ));
        let asked = common::text(&common::render(&a));
        assert!(asked.contains("Key for tag follow-up (now 4)"), "{asked}");
        press(&mut a, "2");
        enter(&mut a);
        assert_eq!(
            status(&a),
            "tag follow-up is on key 2; suspect has no key now"
        );
        assert_eq!(hotkey_of(&a, "follow-up"), Some('2'));
        assert_eq!(hotkey_of(&a, "suspect"), None);

        // The digit toggles its new tag.
        a.focus = Focus::Tree;
        let doc = a.selected_doc().expect("doc");
        press(&mut a, "2");
        assert_eq!(status(&a), "tagged follow-up");
        let id = a.ws.tag_by_hotkey('2').expect("tag on 2").id;
        assert!(a.ws.has_tag(doc, id));

        // A wrong answer changes nothing and says what is expected.
        highlight(&mut a, "verified");
        press(&mut a, "bx");
        enter(&mut a);
        assert_eq!(
            status(&a),
            "a tag's key is a digit 1-9 (or 0 for none), not \"x\""
        );
        assert_eq!(hotkey_of(&a, "verified"), Some('1'));
        // Nothing typed keeps it; 0 takes it away.
        press(&mut a, "b");
        enter(&mut a);
        assert_eq!(status(&a), "tag verified keeps its key");
        press(&mut a, "b0");
        enter(&mut a);
        assert_eq!(status(&a), "tag verified has no key now");
    }
    let a = app(data.path(), (80, 24), false);
    assert_eq!(hotkey_of(&a, "follow-up"), Some('2'));
    assert_eq!(hotkey_of(&a, "suspect"), None);
    assert_eq!(hotkey_of(&a, "verified"), None);
    assert_eq!(hotkey_of(&a, "forged"), Some('3'));
}

#[test]
fn from_the_palette_they_act_on_the_highlighted_tag_and_without_tags_say_so() {
    let data = common::data_dir();
    let mut a = app(data.path(), (80, 24), false);
    highlight(&mut a, "forged");
    a.focus = Focus::Tree;
    press(&mut a, ":recolour");
    enter(&mut a);
    assert_eq!(colour_of(&a, "forged").as_deref(), Some("red"));

    highlight(&mut a, "verified");
    for _ in 0..4 {
        a.update(Action::DeleteEntry);
        press(&mut a, "y");
        enter(&mut a);
    }
    assert!(a.ws.tags.is_empty());
    a.update(Action::RecolourTag);
    assert_eq!(
        status(&a),
        "C recolours a tag: move to one in the side panel"
    );
    a.update(Action::RebindTag);
    assert_eq!(
        status(&a),
        "b puts a tag on a digit key: move to one in the side panel"
    );
    assert_eq!(a.mode, Mode::Normal);
}

/// One letter per colour, `.` for the terminal's own.
fn colour_letter(c: Color) -> char {
    match c {
        Color::Reset => '.',
        Color::Black => 'k',
        Color::Red => 'r',
        Color::Green => 'g',
        Color::Yellow => 'y',
        Color::Blue => 'b',
        Color::Magenta => 'm',
        Color::Cyan => 'c',
        Color::Gray => 'a',
        Color::DarkGray => 'd',
        Color::LightRed => 'R',
        Color::LightGreen => 'G',
        Color::LightYellow => 'Y',
        Color::LightBlue => 'B',
        Color::LightMagenta => 'M',
        Color::LightCyan => 'C',
        Color::White => 'W',
        other => panic!("{other:?} is not one of the 16 colours"),
    }
}

/// The cells of `area`: each row as text, then the foreground colour of
/// each of its cells.
fn colour_map(buffer: &Buffer, area: Rect) -> String {
    let mut out = String::new();
    for y in area.top()..area.bottom() {
        let mut text = String::new();
        let mut colours = String::new();
        for x in area.left()..area.right() {
            let cell = &buffer[(x, y)];
            text.push_str(cell.symbol());
            colours.push(colour_letter(cell.fg));
            colour_letter(cell.bg);
        }
        out.push_str(&text);
        out.push('\n');
        out.push_str(&colours);
        out.push('\n');
    }
    out
}

/// Tags with colours of their own and without keys, on documents.
fn dressed(data: &Path, size: (u16, u16), color: bool) -> App {
    let mut a = app(data, size, color);
    a.focus = Focus::Tree;
    a.update(Action::Down);
    a.update(Action::Down);
    a.update(Action::Down);
    for name in ["fraud", "funds"] {
        press(&mut a, "t");
        press(&mut a, name);
        enter(&mut a);
    }
    a.focus = Focus::Tree;
    press(&mut a, "123456");
    // suspect: lightmagenta (12 steps from red, skipping its own).
    highlight(&mut a, "suspect");
    for _ in 0..12 {
        press(&mut a, "C");
    }
    highlight(&mut a, "forged");
    press(&mut a, "Cb0");
    enter(&mut a);
    highlight(&mut a, "fraud");
    press(&mut a, "b0");
    enter(&mut a);
    highlight(&mut a, "funds");
    press(&mut a, "b0");
    enter(&mut a);
    // The panel's first rows in sight at 80x24 too.
    highlight(&mut a, "suspect");
    a
}

#[test]
fn tags_in_their_colours_and_told_apart_without_colour() {
    for (size, name) in [
        ((80, 24), "tag_panel_80x24"),
        ((200, 60), "tag_panel_200x60"),
    ] {
        let data = common::data_dir();
        let coloured = dressed(data.path(), size, true);
        let data2 = common::data_dir();
        let plain = dressed(data2.path(), size, false);
        assert_eq!(
            colour_of(&coloured, "suspect").as_deref(),
            Some("lightmagenta")
        );
        let marks: Vec<Option<char>> = coloured.ws.tags.iter().map(|t| t.hotkey).collect();
        assert_eq!(marks, [Some('1'), Some('2'), None, Some('4'), None, None]);

        let screen = common::text(&common::render(&coloured));
        assert_eq!(screen, common::text(&common::render(&plain)));
        // Without keys: a letter of the name not taken by an earlier one
        // (forged f; fraud r, its f taken; funds u).
        assert!(screen.contains("[x] f forged"), "{screen}");
        if size.1 >= 60 {
            // (At 80x24 the panel shows four tags.)
            assert!(screen.contains("[x] r fraud"), "{screen}");
            assert!(screen.contains("[x] u funds"), "{screen}");
        }
        assert!(
            screen.lines().any(|l| l.contains(" 1 2 f 4 r u")),
            "the tagged row shows every mark: {screen}"
        );

        let buffer = common::render(&coloured);
        let panes = trawl::tui::view::layout(buffer.area);
        let tags_map = colour_map(&buffer, panes.tags);
        let row = screen
            .lines()
            .position(|l| l.contains(" 1 2 f 4 r u"))
            .expect("row") as u16;
        let tree = panes.tree;
        let row_map = colour_map(&buffer, Rect::new(tree.x, row, tree.width, 1));
        insta::assert_snapshot!(name, format!("{screen}\n{tags_map}\n{row_map}"));
        for cell in common::render(&plain).content() {
            assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset));
        }
    }
}
