//! The help overlay, generated from the active keymap; scrolls when the
//! terminal is too small to show every binding at once.

use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::{fit, pad};
use crate::tui::app::App;

/// Where the help box goes on a screen of `area`.
pub fn help_area(area: Rect) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(48.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [h] = Layout::horizontal([Constraint::Length(76.min(area.width))])
        .flex(Flex::Center)
        .areas(v);
    h
}

pub fn draw(frame: &mut Frame<'_>, app: &App) {
    let theme = app.theme;
    let area = help_area(frame.area());
    let rows = app.keymap.help_rows();
    let inner_w = area.width.saturating_sub(2) as usize;
    let inner_h = area.height.saturating_sub(2) as usize;
    let widest = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let key_w = (widest + 4).min(inner_w / 2);
    let lines: Vec<Line<'_>> = rows
        .iter()
        .skip(app.help_scroll)
        .take(inner_h)
        .map(|(keys, desc)| {
            if keys.is_empty() {
                Line::styled(desc.as_str(), theme.section())
            } else {
                Line::from(vec![
                    Span::styled(pad(&format!("  {keys}"), key_w), theme.hint_key()),
                    Span::raw(fit(desc, inner_w.saturating_sub(key_w))),
                ])
            }
        })
        .collect();
    let more = rows.len() > inner_h;
    let title = if more {
        " Keys — j/k scroll, ? or Esc close "
    } else {
        " Keys — ? or Esc to close "
    };
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(title);
    if more {
        let shown_to = (app.help_scroll + inner_h).min(rows.len());
        block =
            block.title_bottom(Line::from(format!(" {shown_to}/{} ", rows.len())).right_aligned());
    }
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
