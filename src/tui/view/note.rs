//! The note box (`e`): over the preview pane, the note being written,
//! wrapped, its last lines shown (where the typing is), with the keys on
//! the border.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::fit;
use crate::model::DocId;
use crate::sanitize::sanitize;
use crate::tui::app::App;

/// Where the box goes: the preview pane, at least 10 rows and 40 columns
/// (on a small terminal it covers more of the screen).
pub fn area(app: &App) -> Rect {
    let screen = app.area();
    // Where the preview is in the current arrangement (zoomed or small
    // screens may hide it: then over the tree pane).
    let panes = app.panes();
    let preview = if panes.preview.area() == 0 {
        panes.tree
    } else {
        panes.preview
    };
    let width = preview.width.max(40.min(screen.width));
    let height = preview.height.max(10.min(screen.height.saturating_sub(2)));
    let x = preview.x.min(screen.width.saturating_sub(width));
    let y = preview.y.min(screen.height.saturating_sub(height));
    Rect::new(x, y, width, height)
}

pub fn draw(frame: &mut Frame<'_>, app: &App, doc: DocId, text: &str) {
    let theme = app.theme;
    let area = area(app);
    let inner_w = usize::from(area.width.saturating_sub(2)).max(1);
    let inner_h = usize::from(area.height.saturating_sub(2)).max(1);
    let subject = sanitize(app.ws.doc(doc).subject()).into_owned();
    let title = fit(&format!(" Note on {subject} "), inner_w);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(title)
        .title_bottom(fit(" Esc save · Enter new line · C-c drop ", inner_w));
    // Each line of the note made safe, then wrapped to the box.
    let mut rows: Vec<String> = Vec::new();
    for line in text.split('\n') {
        let clean = sanitize(line);
        if clean.is_empty() {
            rows.push(String::new());
            continue;
        }
        let wrapped = textwrap::wrap(&clean, inner_w.saturating_sub(1).max(1));
        rows.extend(wrapped.into_iter().map(std::borrow::Cow::into_owned));
        // A line ending in spaces wraps them away: keep the cursor after them.
        if line.ends_with(' ') && !rows.last().is_some_and(|r| r.ends_with(' ')) {
            if let Some(last) = rows.last_mut() {
                last.push(' ');
            }
        }
    }
    let skip = rows.len().saturating_sub(inner_h);
    let last = rows.len().saturating_sub(1);
    let lines: Vec<Line<'_>> = rows
        .into_iter()
        .enumerate()
        .skip(skip)
        .map(|(i, row)| {
            if i == last {
                Line::from(vec![Span::raw(row), Span::styled("█", theme.hint_key())])
            } else {
                Line::raw(row)
            }
        })
        .collect();
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
