//! The help overlay, generated from the active keymap.

use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::{fit, pad};
use crate::tui::app::App;
use crate::tui::keymap::Section;

pub fn draw(frame: &mut Frame<'_>, app: &App) {
    let theme = app.theme;
    let area = centered(frame.area(), 76, 40);
    let inner_w = area.width.saturating_sub(2) as usize;
    let key_w = 16.min(inner_w / 3);
    let mut lines: Vec<Line<'_>> = Vec::new();
    for section in Section::ALL {
        if section == Section::Help {
            continue;
        }
        let bindings = app
            .keymap
            .sections
            .iter()
            .find(|(s, _)| *s == section)
            .map_or(&[][..], |(_, b)| b.as_slice());
        if bindings.is_empty() {
            continue;
        }
        lines.push(Line::styled(section.title(), theme.section()));
        for b in bindings {
            lines.push(Line::from(vec![
                Span::styled(
                    pad(&format!("  {}", b.keys_label()), key_w),
                    theme.hint_key(),
                ),
                Span::raw(fit(&b.desc, inner_w.saturating_sub(key_w))),
            ]));
        }
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(" Keys — ? or Esc to close ");
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [h] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(v);
    h
}
