//! The tag panel: every tag with its hotkey and document count; the tags
//! of the selected document are checked.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use super::{fit, pad};
use crate::sanitize::sanitize;
use crate::tui::app::{App, Focus};

pub fn draw(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let focused = app.focus == Focus::Tags;
    let theme = app.theme;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(focused))
        .title(" Tags ");
    let inner = block.inner(area);
    let height = inner.height as usize;
    let width = inner.width as usize;
    let doc = app.selected_doc();
    let offset = app.tag_cursor.saturating_sub(height.saturating_sub(1));
    let mut lines: Vec<Line<'_>> = app
        .ws
        .tags
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, t)| {
            let on = doc.is_some_and(|d| app.ws.has_tag(d, t.id));
            let check = if on { "[x]" } else { "[ ]" };
            let key = t.hotkey.map_or_else(|| " ".to_string(), String::from);
            let count = app.tag_count(i).to_string();
            let name_w = width.saturating_sub(4 + 2 + count.len() + 1);
            let line = Line::from(vec![
                Span::styled(
                    format!("{check} "),
                    if on { theme.tag(i) } else { theme.dim() },
                ),
                Span::styled(format!("{key} "), theme.hint_key()),
                Span::styled(pad(&sanitize(&t.name), name_w), theme.tag(i)),
                Span::raw(format!(" {count}")),
            ]);
            if focused && i == app.tag_cursor {
                line.style(theme.selected(true))
            } else {
                line
            }
        })
        .collect();
    if app.ws.tags.is_empty() {
        lines.push(Line::styled(
            fit("No tags yet: press t to create one", width),
            theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
