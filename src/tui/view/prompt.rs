//! A one-line input box over the screen (new tag name, search query).

use ratatui::layout::{Constraint, Flex, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use crate::sanitize::sanitize;
use crate::tui::app::App;

/// The box: `title` and what the keys do (`keys`) on its border, as wide
/// as `width` allows; a long input shows its end, where the typing is.
pub fn draw(frame: &mut Frame<'_>, app: &App, title: &str, keys: &str, input: &str, width: u16) {
    let theme = app.theme;
    let [v] = Layout::vertical([Constraint::Length(3)])
        .flex(Flex::Center)
        .areas(frame.area());
    let [area] = Layout::horizontal([Constraint::Length(width.min(frame.area().width))])
        .flex(Flex::Center)
        .areas(v);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(format!(" {title} — {keys} "));
    let room = usize::from(area.width.saturating_sub(3));
    let shown: String = {
        let clean = sanitize(input);
        let chars: Vec<char> = clean.chars().collect();
        chars[chars.len().saturating_sub(room)..].iter().collect()
    };
    let line = Line::from(vec![Span::raw(shown), Span::styled("█", theme.hint_key())]);
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(line).block(block), area);
}
