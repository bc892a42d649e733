//! A one-line input box over the screen (new tag name, search query), or
//! a question answered with one key (what to do with a taken file name).

use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use crate::preview::fit;
use crate::sanitize::sanitize;
use crate::tui::app::App;
use crate::tui::prompt::Prompt;

/// The box: `title` and what the keys do (`keys`) on its border, as wide
/// as `width` allows; a long input shows its end, where the typing is.
pub fn draw(frame: &mut Frame<'_>, app: &App, title: &str, keys: &str, input: &str, width: u16) {
    let theme = app.theme;
    let area = box_area(frame, width);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(format!(" {} — {keys} ", sanitize(title)));
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

/// The question box: `title` on its border (cut with `…` to fit), the
/// answers (`kind`'s [`Prompt::question`] for the room) inside, no cursor.
pub fn draw_question(frame: &mut Frame<'_>, app: &App, kind: &Prompt) {
    let area = box_area(frame, kind.width());
    let room = usize::from(area.width.saturating_sub(2));
    let title = fit(&sanitize(&kind.title()), room.saturating_sub(2));
    let answers = sanitize(&kind.question(room).unwrap_or_default()).into_owned();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(app.theme.border(true))
        .title(format!(" {title} "));
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(Line::from(answers)).block(block), area);
}

/// A box three rows high and `width` wide (cut to the screen), centred.
fn box_area(frame: &Frame<'_>, width: u16) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(3)])
        .flex(Flex::Center)
        .areas(frame.area());
    let [area] = Layout::horizontal([Constraint::Length(width.min(frame.area().width))])
        .flex(Flex::Center)
        .areas(v);
    area
}
