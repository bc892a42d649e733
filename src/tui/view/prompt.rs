//! A one-line input box over the screen (new tag name).

use ratatui::layout::{Constraint, Flex, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use crate::sanitize::sanitize;
use crate::tui::app::App;

pub fn draw(frame: &mut Frame<'_>, app: &App, title: &str, input: &str) {
    let theme = app.theme;
    let [v] = Layout::vertical([Constraint::Length(3)])
        .flex(Flex::Center)
        .areas(frame.area());
    let [area] = Layout::horizontal([Constraint::Length(50.min(frame.area().width))])
        .flex(Flex::Center)
        .areas(v);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(format!(" {title} — Enter to create, Esc to cancel "));
    let line = Line::from(vec![
        Span::raw(sanitize(input).into_owned()),
        Span::styled("█", theme.hint_key()),
    ]);
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(line).block(block), area);
}
