//! The overview panels (timeline, top correspondents), zoom, small screens
//! and the mouse, on the bundled sample dump in a fresh project.

mod common;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;
use ratatui::style::Color;
use trawl::tui::action::Action;
use trawl::tui::app::{App, Focus, Mode};
use trawl::tui::keymap::Keymap;
use trawl::tui::panels::Side;
use trawl::tui::theme::Theme;
use trawl::workspace::Workspace;

use common::{render, text};

fn app(size: (u16, u16), color: bool, data: &std::path::Path) -> App {
    let ws = Workspace::open_in(&common::sample_dump(), data).expect("open");
    App::new(ws, Keymap::builtin(), Theme { color }, size)
}

/// The same, its full-text index built (for searches).
fn indexed_app(size: (u16, u16), data: &std::path::Path) -> App {
    let ws = Workspace::open_in(&common::sample_dump(), data).expect("open");
    trawl::search::fulltext::FullText::open(&ws.project.dir)
        .expect("index")
        .sync(&ws.scan.root, &ws.scan.docs, &|_, _| {})
        .expect("sync");
    App::new(ws, Keymap::builtin(), Theme { color: true }, size)
}

/// The screen after `steps`, drawn in colour; the same drawn without
/// colour (`NO_COLOR`) must say exactly the same with no colour at all.
fn screen(size: (u16, u16), steps: &[Action]) -> String {
    let mut screens = Vec::new();
    for color in [true, false] {
        let data = common::data_dir();
        let mut a = app(size, color, data.path());
        for step in steps {
            a.update(clone(step));
        }
        let buffer = render(&a);
        if !color {
            for cell in buffer.content() {
                assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset));
            }
        }
        screens.push(text(&buffer));
    }
    assert_eq!(screens[0], screens[1], "meaning never rests on colour");
    screens.swap_remove(0)
}

/// The few actions these tests replay (`Action` is not `Clone`).
fn clone(a: &Action) -> Action {
    match a {
        Action::SidePanel => Action::SidePanel,
        Action::FocusNext => Action::FocusNext,
        Action::FocusPrev => Action::FocusPrev,
        Action::ChartPrev => Action::ChartPrev,
        Action::ChartNext => Action::ChartNext,
        Action::ChartUnit => Action::ChartUnit,
        Action::Zoom => Action::Zoom,
        Action::Down => Action::Down,
        other => panic!("add {other:?} to clone()"),
    }
}

const TIMELINE: Action = Action::SidePanel;

#[test]
fn timeline_80x24_with_the_cursor_moved_off_the_selected_week() {
    // Side panel focused, two weeks back: ▲ the selected message's week,
    // △ the cursor's, named in the header.
    let s = screen(
        (80, 24),
        &[
            TIMELINE,
            Action::FocusPrev,
            Action::ChartPrev,
            Action::ChartPrev,
        ],
    );
    assert!(s.contains("△ week of 2017-04-17: 0 documents"), "{s}");
    assert!(s.contains('▲'), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn timeline_200x60_by_day() {
    let s = screen((200, 60), &[TIMELINE]);
    assert!(s.contains("Timeline · by day"), "{s}");
    assert!(s.contains("▲ 2017-05-04: 2 documents"), "{s}");
    // The three loose files carry their modification time (years after
    // the mail): set apart, not charted.
    assert!(s.contains("3 later · 2 undated"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn timeline_zoomed_at_80x24_by_month() {
    let s = screen(
        (80, 24),
        &[
            TIMELINE,
            Action::FocusPrev,
            Action::Zoom,
            Action::ChartUnit,
            Action::ChartUnit,
            Action::ChartUnit,
        ],
    );
    assert!(s.contains("Timeline · by month"), "{s}");
    assert!(s.contains("zoomed · z: all panes"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn correspondents_80x24() {
    let s = screen(
        (80, 24),
        &[
            TIMELINE,
            Action::SidePanel,
            Action::FocusPrev,
            Action::ChartNext,
        ],
    );
    // Counts of the sample dump: Claire Morel sent 7, received 13.
    assert!(s.contains("Claire Morel             7"), "{s}");
    assert!(s.contains("▶ Claire Morel            13"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn correspondents_200x60_side_by_side() {
    let s = screen((200, 60), &[TIMELINE, Action::SidePanel, Action::Down]);
    assert!(s.contains("17 senders"), "{s}");
    assert!(s.contains("17 recipients (To, Cc)"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn charts_count_what_the_tree_shows_once_per_view() {
    let data = common::data_dir();
    let mut a = indexed_app((80, 24), data.path());
    a.update(Action::SidePanel);
    let all = a.panels.timeline.as_ref().expect("counted").1.total;
    assert_eq!(all, a.ws.scan.docs.len());
    let buckets = |a: &App| {
        a.panels
            .timeline
            .as_ref()
            .expect("counted")
            .1
            .buckets(trawl::stats::Unit::Day)
            .as_ptr()
    };
    let before = buckets(&a);
    // Moving, resizing, zooming: same documents, not counted again.
    a.update(Action::Down);
    a.update(Action::Resize(100, 30));
    a.update(Action::Zoom);
    a.update(Action::Zoom);
    assert_eq!(buckets(&a), before, "counted again for the same view");
    // A search is a new view: counted for its results.
    search(&mut a, "Verdanne");
    let found = a.results.as_ref().expect("results").hits.len();
    assert!(found > 0 && found < all);
    assert_eq!(a.panels.timeline.as_ref().expect("counted").1.total, found);
    // Back to the threads: all of them again.
    a.update(Action::ClearSearch);
    assert_eq!(a.panels.timeline.as_ref().expect("counted").1.total, all);
    // The correspondents follow the quick filter too.
    a.update(Action::SidePanel);
    a.update(Action::QuickFilter);
    for c in "Facture".chars() {
        a.update(Action::PromptInput(c));
    }
    wait_for_quick(&mut a, "/Facture");
    let hits = a.results.as_ref().expect("filtered").hits.len();
    let people = &a.panels.people.as_ref().expect("counted").1;
    let senders: u32 = people.senders.iter().map(|p| p.count).sum();
    assert!(
        senders as usize <= hits && senders > 0,
        "{senders} of {hits}"
    );
}

fn search(a: &mut App, query: &str) {
    a.update(Action::Search);
    a.update(Action::PromptClear);
    for c in query.chars() {
        a.update(Action::PromptInput(c));
    }
    a.update(Action::PromptSubmit);
    assert_eq!(a.mode, Mode::Normal, "{:?}", a.status);
}

/// Apply the quick filter's answers until the one for `query` is shown.
fn wait_for_quick(a: &mut App, query: &str) {
    let start = std::time::Instant::now();
    while a.results.as_ref().map(|r| r.query.as_str()) != Some(query) {
        assert!(start.elapsed().as_secs() < 20, "no answer for {query}");
        for action in a.worker_reports() {
            a.update(action);
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

#[test]
fn enter_on_a_bar_or_a_person_narrows_the_view_by_search() {
    let data = common::data_dir();
    let mut a = indexed_app((80, 24), data.path());
    a.update(Action::SidePanel);
    a.update(Action::FocusPrev);
    // The selected message's week.
    a.update(Action::ChartNarrow);
    let r = a.results.as_ref().expect("narrowed");
    assert_eq!(r.query, "date:2017-05-01..2017-05-07");
    assert_eq!(r.hits.len(), 3, "as many as the bar said");
    assert_eq!(a.focus, Focus::Tree, "back on the list");
    // From there, a person narrows further: within the search.
    a.update(Action::SidePanel);
    a.update(Action::FocusPrev);
    let first = a.panels.people.as_ref().expect("counted").1.senders[0].clone();
    a.update(Action::ChartNarrow);
    let r = a.results.as_ref().expect("narrowed");
    assert_eq!(
        r.query,
        format!("(date:2017-05-01..2017-05-07) from:\"{}\"", first.term)
    );
    assert_eq!(r.hits.len(), first.count as usize);
    // A recipient, from all the documents: To or Cc.
    a.update(Action::ClearSearch);
    a.update(Action::FocusPrev);
    let c = &a.panels.people.as_ref().expect("counted").1;
    let (senders, julien) = (c.senders.len(), c.recipients[0].clone());
    for _ in 0..senders {
        a.update(Action::ChartNext);
    }
    a.update(Action::ChartNarrow);
    let r = a.results.as_ref().expect("narrowed");
    assert_eq!(r.query, "(to:\"Julien Besson\" OR cc:\"Julien Besson\")");
    assert!(r.hits.len() >= julien.count as usize);
}

#[test]
fn zoom_toggles_the_focused_pane_full_screen() {
    let data = common::data_dir();
    let mut a = app((80, 24), true, data.path());
    let main = Rect::new(0, 0, 80, 22);
    assert_eq!(a.panes().solo, None);
    a.update(Action::Zoom);
    let p = a.panes();
    assert_eq!((p.solo, p.tree), (Some(Focus::Tree), main));
    assert!(p.preview.is_empty() && p.tags.is_empty());
    // The tree pages by its zoomed height.
    assert_eq!(a.tree_height(), 20);
    // Tab moves the zoom with the focus; the preview wraps to the width.
    a.update(Action::FocusNext);
    assert_eq!(a.panes().preview, main);
    let s = text(&render(&a));
    assert!(s.contains("zoomed · z: all panes"), "{s}");
    assert!(
        s.contains("From: Dépêches & Co – Le Fil politique <lefil@depeches-co.example>"),
        "{s}"
    );
    a.update(Action::Zoom);
    assert_eq!(a.panes().solo, None);
    assert_eq!(
        a.panes(),
        trawl::tui::view::arrange(Rect::new(0, 0, 80, 24), arrangement(&a))
    );
}

fn arrangement(a: &App) -> trawl::tui::view::Arrangement {
    trawl::tui::view::Arrangement {
        focus: a.focus,
        zoom: a.panels.zoom,
        side: a.panels.side,
    }
}

#[test]
fn every_pane_is_usable_at_80x24() {
    let data = common::data_dir();
    let mut a = app((80, 24), true, data.path());
    for side in [Side::Tags, Side::Timeline, Side::People] {
        while a.panels.side != side {
            a.update(Action::SidePanel);
        }
        for focus in [Focus::Tree, Focus::Preview, Focus::Tags] {
            while a.focus != focus {
                a.update(Action::FocusNext);
            }
            let p = a.panes();
            assert_eq!(p.solo, None);
            // Inside the borders: a tree row holds date, sender and
            // subject; the preview a header line; the side panel a chart.
            assert!(p.tree.width >= 38 && p.tree.height >= 20, "{side:?} {p:?}");
            assert!(
                p.preview.width >= 38 && p.preview.height >= 10,
                "{side:?} {p:?}"
            );
            assert!(p.tags.width >= 38 && p.tags.height >= 6, "{side:?} {p:?}");
            let s = text(&render(&a));
            for title in ["Threads (18)", "Message"] {
                assert!(s.contains(title), "{side:?}: {title} missing\n{s}");
            }
        }
    }
}

#[test]
fn small_screens_keep_the_focused_pane_and_resizing_never_loses_the_cursor() {
    let data = common::data_dir();
    let mut a = app((80, 24), true, data.path());
    for _ in 0..12 {
        a.update(Action::Down);
    }
    let sizes = [
        (80, 24),
        (59, 30),
        (45, 14),
        (39, 20),
        (80, 9),
        (20, 6),
        (200, 60),
        (80, 24),
    ];
    for (i, &(w, h)) in sizes.iter().cycle().take(sizes.len() * 3).enumerate() {
        a.update(Action::Resize(w, h));
        // Mix in the other changes that move panes.
        match i % 4 {
            1 => a.update(Action::SidePanel),
            2 => a.update(Action::FocusNext),
            3 => a.update(Action::Zoom),
            _ => {}
        }
        let p = a.panes();
        let focused = match a.focus {
            Focus::Tree => p.tree,
            Focus::Preview => p.preview,
            Focus::Tags => p.tags,
        };
        assert!(
            !focused.is_empty(),
            "{w}x{h}: the focused pane is hidden: {p:?}"
        );
        for r in [p.tree, p.preview, p.tags] {
            assert!(r.right() <= w && r.bottom() <= h, "{w}x{h}: {p:?}");
        }
        let node = a.selected_node().expect("a selection");
        assert!(
            a.visible_rows().contains(&node),
            "{w}x{h}: cursor off screen"
        );
        let _ = render(&a);
    }
    // Under 60 columns the tree goes above the preview.
    a.update(Action::Resize(50, 40));
    while a.panels.zoom {
        a.update(Action::Zoom);
    }
    let p = a.panes();
    assert_eq!(p.tree.width, 50);
    assert!(
        p.preview.y >= p.tree.bottom() && !p.preview.is_empty(),
        "{p:?}"
    );
}

fn mouse(kind: MouseEventKind, column: u16, row: u16) -> MouseEvent {
    MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    }
}

#[test]
fn mouse_events_become_the_actions_keys_make() {
    let data = common::data_dir();
    let mut a = app((80, 24), true, data.path());
    let p = a.panes();
    // The wheel over the preview scrolls the preview, whatever the focus.
    let over_preview = mouse(MouseEventKind::ScrollDown, p.preview.x + 5, p.preview.y + 5);
    let action = a.action_for_mouse(&over_preview).expect("an action");
    assert!(
        matches!(action, Action::Wheel(Focus::Preview, 1)),
        "{action:?}"
    );
    a.update(action);
    assert_eq!(a.preview_scroll, 3);
    assert_eq!(a.focus, Focus::Tree);
    let up = mouse(MouseEventKind::ScrollUp, p.preview.x + 5, p.preview.y + 5);
    a.update(a.action_for_mouse(&up).expect("an action"));
    assert_eq!(a.preview_scroll, 0);
    // The wheel over the tree moves its cursor.
    let over_tree = mouse(MouseEventKind::ScrollDown, 3, 3);
    a.update(a.action_for_mouse(&over_tree).expect("an action"));
    assert_eq!(Some(a.cursor), a.visible_rows().get(1).copied());
    // A click on a tree row selects it (row 5 of the screen: the 5th row
    // inside the border) and focuses the tree.
    a.update(Action::FocusNext);
    let rows = a.visible_rows();
    let click = mouse(MouseEventKind::Down(MouseButton::Left), 10, p.tree.y + 5);
    let action = a.action_for_mouse(&click).expect("an action");
    assert!(
        matches!(action, Action::Click(Focus::Tree, 10, 5)),
        "{action:?}"
    );
    a.update(action);
    assert_eq!((a.cursor, a.focus), (rows[4], Focus::Tree));
    // A click on the preview focuses it; a release or a move does nothing.
    let click = mouse(
        MouseEventKind::Down(MouseButton::Left),
        p.preview.x + 3,
        p.preview.y,
    );
    a.update(a.action_for_mouse(&click).expect("an action"));
    assert_eq!(a.focus, Focus::Preview);
    assert!(a
        .action_for_mouse(&mouse(MouseEventKind::Up(MouseButton::Left), 3, 3))
        .is_none());
    assert!(a
        .action_for_mouse(&mouse(MouseEventKind::Moved, 3, 3))
        .is_none());
    // A click on a tag's row highlights that tag.
    let click = mouse(
        MouseEventKind::Down(MouseButton::Left),
        p.tags.x + 4,
        p.tags.y + 3,
    );
    a.update(a.action_for_mouse(&click).expect("an action"));
    assert_eq!((a.focus, a.tag_cursor), (Focus::Tags, 2));
    // The status and hint lines are not panes.
    assert!(a
        .action_for_mouse(&mouse(MouseEventKind::Down(MouseButton::Left), 3, 23))
        .is_none());
}

#[test]
fn clicks_pick_a_bar_or_a_person_and_the_wheel_scrolls_the_help() {
    let data = common::data_dir();
    let mut a = indexed_app((80, 24), data.path());
    a.update(Action::SidePanel);
    let side = a.panes().tags;
    // The first bar (week of 2017-03-13), below the header row.
    let click = mouse(
        MouseEventKind::Down(MouseButton::Left),
        side.x + 2,
        side.y + 5,
    );
    a.update(a.action_for_mouse(&click).expect("an action"));
    a.update(Action::ChartNarrow);
    assert_eq!(
        a.results.as_ref().expect("narrowed").query,
        "date:2017-03-13..2017-03-19"
    );
    a.update(Action::ClearSearch);
    a.update(Action::SidePanel);
    // The third sender: the heading is the first row inside the border.
    let click = mouse(
        MouseEventKind::Down(MouseButton::Left),
        side.x + 5,
        side.y + 4,
    );
    a.update(a.action_for_mouse(&click).expect("an action"));
    assert_eq!(a.panels.person, 2);
    // In the help, the wheel scrolls it.
    a.update(Action::Help);
    let wheel = mouse(MouseEventKind::ScrollDown, 40, 12);
    a.update(a.action_for_mouse(&wheel).expect("an action"));
    assert_eq!(a.help_scroll, 1);
}

#[test]
fn chart_keys_apply_only_where_a_chart_is() {
    let data = common::data_dir();
    let mut a = app((80, 24), true, data.path());
    let key = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
    assert!(matches!(
        a.action_for_key(&key('p')),
        Some(Action::SidePanel)
    ));
    assert!(matches!(a.action_for_key(&key('z')), Some(Action::Zoom)));
    a.update(Action::FocusPrev);
    // The tag panel: d deletes a tag (it asks first).
    assert!(matches!(
        a.action_for_key(&key('d')),
        Some(Action::DeleteEntry)
    ));
    a.update(Action::SidePanel);
    // The timeline: h/l move, d is nothing (no tag deleted unseen).
    assert!(matches!(
        a.action_for_key(&key('l')),
        Some(Action::ChartNext)
    ));
    assert!(matches!(
        a.action_for_key(&key('h')),
        Some(Action::ChartPrev)
    ));
    assert!(matches!(
        a.action_for_key(&key('c')),
        Some(Action::ChartUnit)
    ));
    let enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
    assert!(matches!(
        a.action_for_key(&enter),
        Some(Action::ChartNarrow)
    ));
    assert!(a.action_for_key(&key('d')).is_none());
    // The help explains them.
    let rows = a.keymap.help_rows();
    assert!(rows.iter().any(|(k, d)| k == "p" && d.contains("timeline")));
    assert!(rows.iter().any(|(k, d)| k == "z" && d.contains("Zoom")));
}
