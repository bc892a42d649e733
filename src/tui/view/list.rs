//! The list overlays: the missing messages (`M`) and the files that could
//! not be read (`P`). Each entry is two lines — what it is, with a note on
//! the right, then a detail line — and the highlighted one is marked.

use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::help::help_area;
use super::{fit, pad};
use crate::gaps::Gap;
use crate::sanitize::sanitize;
use crate::tui::app::App;
use crate::tui::app_problems::ProblemEntry;

/// Lines per entry.
const ROWS_PER_ENTRY: usize = 2;

/// How many entries fit on a screen of `area`.
pub fn rows_shown(area: Rect) -> usize {
    usize::from(help_area(area).height.saturating_sub(2)) / ROWS_PER_ENTRY
}

/// One entry as drawn: its first line, the note at its right, its detail.
struct Entry {
    head: String,
    note: String,
    detail: String,
}

pub fn draw_gaps(frame: &mut Frame<'_>, app: &App, list: &[Gap], cursor: usize) {
    let title = format!(
        " Missing from the dump ({}) — Enter: show in tree · Esc: close ",
        list.len()
    );
    draw(frame, app, &title, list.len(), cursor, |i| {
        let gap = &list[i];
        let count = gap.referenced_by.len();
        Entry {
            head: format!("<{}>", sanitize(&gap.message_id)),
            note: format!(
                " {count} {} ",
                if count == 1 {
                    "reference"
                } else {
                    "references"
                }
            ),
            detail: gap.referenced_by.first().map_or_else(String::new, |&d| {
                let doc = app.ws.doc(d);
                format!(
                    "first {} {} · {}",
                    crate::preview::short_date(doc.date),
                    sanitize(doc.sender()),
                    sanitize(doc.subject())
                )
            }),
        }
    });
}

pub fn draw_problems(frame: &mut Frame<'_>, app: &App, list: &[ProblemEntry], cursor: usize) {
    let title = format!(
        " Not read, or not completely ({}) — Enter: show in tree · Esc: close ",
        list.len()
    );
    draw(frame, app, &title, list.len(), cursor, |i| Entry {
        head: sanitize(&list[i].place).into_owned(),
        note: String::new(),
        detail: sanitize(&list[i].reason).into_owned(),
    });
}

fn draw(
    frame: &mut Frame<'_>,
    app: &App,
    title: &str,
    len: usize,
    cursor: usize,
    entry: impl Fn(usize) -> Entry,
) {
    let theme = app.theme;
    let shown = rows_shown(frame.area()).max(1);
    // As tall as the list needs, no taller than the help box.
    let full = help_area(frame.area());
    let height = (len.min(shown) * ROWS_PER_ENTRY + 2).min(usize::from(full.height));
    let [area] = Layout::vertical([Constraint::Length(height as u16)])
        .flex(Flex::Center)
        .areas(full);
    let width = usize::from(area.width.saturating_sub(2));
    let first = cursor.saturating_sub(shown - 1);
    let mut lines: Vec<Line<'_>> = Vec::new();
    for i in (first..len).take(shown) {
        let e = entry(i);
        let selected = i == cursor;
        let style = if selected {
            theme.selected(true)
        } else {
            ratatui::style::Style::default()
        };
        let head = format!("{} {}", if selected { "›" } else { " " }, e.head);
        let head_w = width.saturating_sub(e.note.chars().count());
        lines.push(Line::from(vec![
            Span::styled(pad(&head, head_w), style),
            Span::styled(e.note, theme.dim()),
        ]));
        lines.push(Line::from(Span::styled(
            pad(&format!("    {}", e.detail), width),
            if selected { style } else { theme.dim() },
        )));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(fit(title, width))
        .title_bottom(Line::from(format!(" {}/{len} ", cursor + 1)).right_aligned());
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
