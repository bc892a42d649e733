//! Drawing: a pure function of [`App`]. Each panel has its own file.

mod arrange;
pub mod help;
pub mod list;
pub mod note;
pub mod palette;
pub mod people;
mod preview;
mod prompt;
mod status;
pub mod tags;
pub mod timeline;
mod tree;

pub use arrange::{arrange, Arrangement};

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
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
    /// The pane shown alone (zoomed, or on a screen too small to share).
    pub solo: Option<crate::tui::app::Focus>,
}

/// The default arrangement: nothing zoomed, the tree focused, the tags in
/// the side panel.
pub fn layout(area: Rect) -> Panes {
    arrange(area, Arrangement::default())
}

pub fn draw(frame: &mut Frame<'_>, app: &App) {
    let panes = app.panes();
    // A pane hidden by zoom or by a small screen has no room.
    if !panes.tree.is_empty() {
        tree::draw(frame, app, panes.tree);
    }
    if !panes.preview.is_empty() {
        preview::draw(frame, app, panes.preview);
    }
    arrange::draw_side(frame, app, &panes);
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
        Mode::Prompt { kind, .. } if !kind.answer_keys().is_empty() => {
            prompt::draw_question(frame, app, kind);
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

/// `text` in `style`, the characters at `marks` (indices of `char`s,
/// ascending) in `style` patched with `mark`: one span per run.
pub fn mark_chars(text: &str, marks: &[usize], style: Style, mark: Style) -> Vec<Span<'static>> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut run = String::new();
    let mut run_marked = false;
    for (i, c) in text.chars().enumerate() {
        let is_marked = marks.binary_search(&i).is_ok();
        if is_marked != run_marked && !run.is_empty() {
            let s = if run_marked { style.patch(mark) } else { style };
            spans.push(Span::styled(std::mem::take(&mut run), s));
        }
        run_marked = is_marked;
        run.push(c);
    }
    if !run.is_empty() {
        let s = if run_marked { style.patch(mark) } else { style };
        spans.push(Span::styled(run, s));
    }
    spans
}

/// Pad `s` with spaces to exactly `width` columns (cutting if needed).
pub fn pad(s: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    let s = fit(s, width);
    let w = s.width();
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}
