//! The preview pane: the pre-wrapped lines of the selected document,
//! only the slice that is on screen.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use crate::tui::app::{App, Focus};
use crate::tui::highlight::hits;
use crate::tui::preview_lines::LineKind;

pub fn draw(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let focused = app.focus == Focus::Preview;
    let theme = app.theme;
    let total = app.preview_lines.len();
    let title = match app.preview_doc.map(|d| app.ws.doc(d)) {
        Some(d) if d.is_mail() => " Message ".to_string(),
        Some(_) => " File ".to_string(),
        None => " Preview ".to_string(),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(focused))
        .title(title);
    let inner = block.inner(area);
    let height = inner.height as usize;
    let block = if total > height {
        let pct = ((app.preview_scroll + height).min(total) * 100) / total.max(1);
        block.title_bottom(Line::from(format!(" {pct}% ")).right_aligned())
    } else {
        block
    };
    let label_w = app
        .preview_lines
        .iter()
        .filter(|l| l.kind == LineKind::HeaderLabel)
        .map(|l| l.label.len())
        .max()
        .unwrap_or(0);
    let lines: Vec<Line<'_>> = app
        .preview_lines
        .iter()
        .skip(app.preview_scroll)
        .take(height)
        .map(|l| match l.kind {
            LineKind::HeaderLabel => {
                let mut spans = vec![Span::styled(
                    format!("{:>label_w$}: ", l.label),
                    theme.label(),
                )];
                spans.extend(marked(app, &l.text, Style::default()));
                Line::from(spans)
            }
            LineKind::HeaderCont => {
                let mut spans = vec![Span::raw(" ".repeat(label_w + 2))];
                spans.extend(marked(app, &l.text, Style::default()));
                Line::from(spans)
            }
            LineKind::Rule => Line::styled("─".repeat(inner.width as usize), theme.dim()),
            LineKind::Notice => Line::styled(l.text.as_str(), theme.notice()),
            LineKind::Quote => Line::from(marked(app, &l.text, theme.quote())),
            LineKind::Section => Line::styled(l.text.as_str(), theme.section()),
            LineKind::Attachment | LineKind::Body => {
                Line::from(marked(app, &l.text, Style::default()))
            }
            // A bar, so that notes stand apart from the document without colour.
            LineKind::Note => {
                let mut spans = vec![Span::styled("│ ", theme.section())];
                spans.extend(marked(app, &l.text, Style::default()));
                Line::from(spans)
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// `text` in `style`, with the words of the search on screen marked.
fn marked<'a>(app: &App, text: &'a str, style: Style) -> Vec<Span<'a>> {
    let mut spans = Vec::new();
    let mut at = 0;
    for (start, end) in hits(text, &app.highlight) {
        if start > at {
            spans.push(Span::styled(&text[at..start], style));
        }
        spans.push(Span::styled(&text[start..end], app.theme.hit()));
        at = end;
    }
    if at < text.len() || spans.is_empty() {
        spans.push(Span::styled(&text[at..], style));
    }
    spans
}
