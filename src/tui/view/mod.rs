//! Drawing: a pure function of [`App`]. Each panel has its own file.

pub mod help;
pub mod list;
pub mod note;
pub mod palette;
mod preview;
mod prompt;
mod status;
mod tags;
mod tree;

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::Frame;

use super::app::{App, Mode};

/// Where each panel goes on a screen of the given size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Panes {
    pub tree: Rect,
    pub preview: Rect,
    pub tags: Rect,
    pub status: Rect,
    pub hints: Rect,
}

/// Tree on the left; preview over the tag panel on the right; a status
/// line and a hint line at the bottom. Works down to 80x24 and below.
pub fn layout(area: Rect) -> Panes {
    let [main, status, hints] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let tree_pct = if area.width >= 140 { 45 } else { 50 };
    let [tree, right] =
        Layout::horizontal([Constraint::Percentage(tree_pct), Constraint::Min(10)]).areas(main);
    let tags_height = if right.height >= 30 { 9 } else { 6 };
    let [preview, tags] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(tags_height)]).areas(right);
    Panes {
        tree,
        preview,
        tags,
        status,
        hints,
    }
}

pub fn draw(frame: &mut Frame<'_>, app: &App) {
    let panes = layout(frame.area());
    tree::draw(frame, app, panes.tree);
    preview::draw(frame, app, panes.preview);
    tags::draw(frame, app, panes.tags);
    status::draw_status(frame, app, panes.status);
    if let Mode::Quick(input) = &app.mode {
        status::draw_quick_prompt(frame, app, panes.hints, input);
    } else if let Some(doc) = app.linking {
        status::draw_linking(frame, app, panes.hints, doc);
    } else {
        status::draw_hints(frame, app, panes.hints);
    }
    match &app.mode {
        Mode::Help => help::draw(frame, app),
        Mode::Gaps { list, cursor } => list::draw_gaps(frame, app, list, *cursor),
        Mode::Problems {
            list: entries,
            cursor,
        } => {
            list::draw_problems(frame, app, entries, *cursor);
        }
        Mode::Prompt { kind, input } => {
            prompt::draw(frame, app, &kind.title(), kind.keys(), input, kind.width());
        }
        Mode::Note { doc, text } => note::draw(frame, app, *doc, text),
        Mode::Palette(p) => palette::draw(frame, app, p),
        Mode::Normal | Mode::Quick(_) => {}
    }
}

pub use crate::preview::fit;

/// Pad `s` with spaces to exactly `width` columns (cutting if needed).
pub fn pad(s: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    let s = fit(s, width);
    let w = s.width();
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}
