//! The list of missing messages (`M`): each Message-ID replied to but not
//! in the dump, how many messages reference it, and the first of them.

use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::help::help_area;
use super::{fit, pad};
use crate::gaps::Gap;
use crate::sanitize::sanitize;
use crate::tui::app::App;

/// Lines per missing message.
const ROWS_PER_GAP: usize = 2;

/// How many missing messages fit on a screen of `area`.
pub fn rows_shown(area: Rect) -> usize {
    usize::from(help_area(area).height.saturating_sub(2)) / ROWS_PER_GAP
}

pub fn draw(frame: &mut Frame<'_>, app: &App, list: &[Gap], cursor: usize) {
    let theme = app.theme;
    let shown = rows_shown(frame.area()).max(1);
    // As tall as the list needs, no taller than the help box.
    let full = help_area(frame.area());
    let height = (list.len().min(shown) * ROWS_PER_GAP + 2).min(usize::from(full.height));
    let [area] = Layout::vertical([Constraint::Length(height as u16)])
        .flex(Flex::Center)
        .areas(full);
    let width = usize::from(area.width.saturating_sub(2));
    let first = cursor.saturating_sub(shown - 1);
    let mut lines: Vec<Line<'_>> = Vec::new();
    for (i, gap) in list.iter().enumerate().skip(first).take(shown) {
        let count = gap.referenced_by.len();
        let refs = format!(
            " {count} {} ",
            if count == 1 {
                "reference"
            } else {
                "references"
            }
        );
        let id = format!(
            "{} <{}>",
            if i == cursor { "›" } else { " " },
            sanitize(&gap.message_id)
        );
        let id_w = width.saturating_sub(refs.chars().count());
        let by = gap.referenced_by.first().map_or_else(String::new, |&d| {
            let doc = app.ws.doc(d);
            format!(
                "    first {} {} · {}",
                crate::preview::short_date(doc.date),
                sanitize(doc.sender()),
                sanitize(doc.subject())
            )
        });
        let style = if i == cursor {
            theme.selected(true)
        } else {
            ratatui::style::Style::default()
        };
        lines.push(Line::from(vec![
            Span::styled(pad(&id, id_w), style),
            Span::styled(refs, theme.dim()),
        ]));
        lines.push(Line::from(Span::styled(
            pad(&by, width),
            if i == cursor { style } else { theme.dim() },
        )));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(fit(
            &format!(
                " Missing from the dump ({}) — Enter: show in tree · Esc: close ",
                list.len()
            ),
            width,
        ))
        .title_bottom(Line::from(format!(" {}/{} ", cursor + 1, list.len())).right_aligned());
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
