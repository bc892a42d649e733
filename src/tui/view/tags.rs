//! The side panel: every tag with its hotkey and document count (the tags
//! of the selected document are checked), then the saved searches with
//! their counts. Tags are drawn in their colour; a tag without a key shows
//! the letter that marks it in the tree instead, dimmed, so that tags stay
//! told apart without colour (`NO_COLOR`).

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use super::{fit, pad};
use crate::project::Tag;
use crate::sanitize::sanitize;
use crate::tui::app::{App, Focus};

/// How each tag is marked in the tree: its digit, or for a tag without
/// one a letter of its name not taken by an earlier such tag (`*` when
/// none is left). Colour is never the only difference between tags.
pub fn tag_marks(tags: &[Tag]) -> Vec<char> {
    let mut marks: Vec<char> = Vec::with_capacity(tags.len());
    for t in tags {
        let mark = t.hotkey.unwrap_or_else(|| {
            t.name
                .chars()
                .filter(|c| c.is_alphabetic())
                .filter_map(|c| c.to_lowercase().next())
                .find(|c| !marks.contains(c))
                .unwrap_or('*')
        });
        marks.push(mark);
    }
    marks
}

/// A row of the panel.
enum Row {
    Tag(usize),
    Heading,
    Search(usize),
}

pub fn draw(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let focused = app.focus == Focus::Tags;
    let theme = app.theme;
    let title = if app.saved.is_empty() {
        " Tags "
    } else {
        " Tags · Searches "
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(focused))
        .title(title);
    let inner = block.inner(area);
    let height = inner.height as usize;
    let width = inner.width as usize;
    let doc = app.selected_doc();
    let tags = app.ws.tags.len();
    let mut rows: Vec<Row> = (0..tags).map(Row::Tag).collect();
    if !app.saved.is_empty() {
        rows.push(Row::Heading);
        rows.extend((0..app.saved.len()).map(Row::Search));
    }
    let (cursor_row, offset) = cursor_and_offset(app, height);
    let marks = tag_marks(&app.ws.tags);
    let mut lines: Vec<Line<'_>> = rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(r, row)| {
            let line = match *row {
                Row::Tag(i) => {
                    let t = &app.ws.tags[i];
                    let on = doc.is_some_and(|d| app.ws.has_tag(d, t.id));
                    let check = if on { "[x]" } else { "[ ]" };
                    let style = theme.tag_colour(i, t.colour.as_deref());
                    let key = if t.hotkey.is_some() {
                        theme.hint_key()
                    } else {
                        theme.dim()
                    };
                    let count = app.tag_count(i).to_string();
                    let name_w = width.saturating_sub(4 + 2 + count.len() + 1);
                    Line::from(vec![
                        Span::styled(format!("{check} "), if on { style } else { theme.dim() }),
                        Span::styled(format!("{} ", marks[i]), key),
                        Span::styled(pad(&sanitize(&t.name), name_w), style),
                        Span::raw(format!(" {count}")),
                    ])
                }
                Row::Heading => Line::styled(fit("Saved searches", width), theme.dim()),
                Row::Search(j) => {
                    let count = app
                        .saved_counts
                        .get(j)
                        .copied()
                        .flatten()
                        .map_or_else(|| "…".to_string(), |n| n.to_string());
                    let name_w = width.saturating_sub(2 + count.chars().count() + 1);
                    Line::from(vec![
                        Span::styled("» ", theme.hint_key()),
                        Span::raw(pad(&sanitize(&app.saved[j].name), name_w)),
                        Span::raw(format!(" {count}")),
                    ])
                }
            };
            if focused && r == cursor_row {
                line.style(theme.selected(true))
            } else {
                line
            }
        })
        .collect();
    if rows.is_empty() {
        lines.push(Line::styled(
            fit("No tags yet: press t to create one", width),
            theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// The cursor's row (tags, the heading, searches) and the first row shown
/// in a panel of `height` rows.
fn cursor_and_offset(app: &App, height: usize) -> (usize, usize) {
    // The cursor counts tags, then searches (not the heading).
    let tags = app.ws.tags.len();
    let cursor_row = if app.tag_cursor < tags {
        app.tag_cursor
    } else {
        app.tag_cursor + 1
    };
    (
        cursor_row,
        cursor_row.saturating_sub(height.saturating_sub(1)),
    )
}

/// The cursor position (tags, then saved searches) of the entry on row
/// `row` of the panel's rows (`height` of them), if one is there.
pub fn cursor_at(app: &App, height: usize, row: usize) -> Option<usize> {
    let tags = app.ws.tags.len();
    let at = cursor_and_offset(app, height).1 + row;
    match at.checked_sub(tags) {
        None => Some(at),
        // The heading of the saved searches.
        Some(0) => None,
        Some(i) => (i <= app.saved.len()).then_some(at - 1),
    }
}
