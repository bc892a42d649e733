//! The command palette overlay: what is typed, then the commands that
//! match — name, keys, description — with the matching characters marked
//! and the highlighted one reversed.

use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use super::{fit, pad};
use crate::sanitize::sanitize;
use crate::tui::app::App;
use crate::tui::keymap::Section;
use crate::tui::palette::Palette;

/// Widest the name and keys columns get; the description has the rest.
const NAME_W: usize = 22;
const KEYS_W: usize = 14;
const KEYS_W_WIDE: usize = 22;

/// Where the palette goes on a screen of `area` when it shows `rows`
/// commands: at the top (so the typing stays in place while the list
/// shrinks), as wide as the screen allows up to 100 columns.
pub fn palette_area(area: Rect, rows: usize) -> Rect {
    let most = area.height.saturating_sub(2).min(24);
    let height = (rows.max(1) + 3).min(usize::from(most)) as u16;
    let top = area.y + area.height.saturating_sub(most) / 2;
    let width = area.width.saturating_sub(4).min(100);
    let [h] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(Rect::new(area.x, top, area.width, height));
    h
}

/// How many commands fit under the input line on a screen of `area`.
pub fn rows_shown(area: Rect) -> usize {
    usize::from(palette_area(area, usize::MAX >> 1).height.saturating_sub(3))
}

pub fn draw(frame: &mut Frame<'_>, app: &App, palette: &Palette) {
    let theme = app.theme;
    let area = palette_area(frame.area(), palette.shown.len());
    let width = usize::from(area.width.saturating_sub(2));
    let shown = rows_shown(frame.area()).max(1);
    let name_w = palette
        .commands
        .iter()
        .map(|c| c.name.width())
        .max()
        .unwrap_or(0)
        .min(NAME_W);
    let keys_w = palette
        .commands
        .iter()
        .map(|c| c.keys.width())
        .max()
        .unwrap_or(0)
        .min(if width >= 90 { KEYS_W_WIDE } else { KEYS_W });
    let desc_w = width.saturating_sub(2 + name_w + 2 + keys_w + 2);

    let count = format!(" {} ", palette.shown.len());
    let typed_w = width.saturating_sub(count.width() + 2);
    let input: String = {
        let clean = sanitize(&palette.input);
        let chars: Vec<char> = clean.chars().collect();
        chars[chars.len().saturating_sub(typed_w)..]
            .iter()
            .collect()
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(":", theme.hint_key()),
        Span::raw(input.clone()),
        Span::styled("█", theme.hint_key()),
        Span::raw(" ".repeat(typed_w.saturating_sub(input.width()))),
        Span::styled(count, theme.dim()),
    ])];
    let first = palette.cursor.saturating_sub(shown - 1);
    for (i, s) in palette.shown.iter().enumerate().skip(first).take(shown) {
        let c = &palette.commands[s.command];
        let selected = i == palette.cursor;
        let base = if selected {
            theme.selected(true)
        } else {
            Style::default()
        };
        let mut spans = vec![Span::styled(if selected { "› " } else { "  " }, base)];
        spans.extend(marked(&c.name, &s.name_marks, name_w, base, theme.hit()));
        spans.push(Span::styled("  ", base));
        spans.push(Span::styled(
            pad(&c.keys, keys_w),
            base.patch(theme.hint_key()),
        ));
        spans.push(Span::styled("  ", base));
        let desc_style = if selected { base } else { theme.dim() };
        spans.extend(marked(
            &c.desc,
            &s.desc_marks,
            desc_w,
            desc_style,
            theme.hit(),
        ));
        lines.push(Line::from(spans));
    }
    if palette.shown.is_empty() {
        lines.push(Line::styled(
            fit("  No command matches: Backspace to see more", width),
            theme.dim(),
        ));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(fit(&title(app), width));
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// ` Commands — Enter: run · Esc: close `, with the keys in use.
fn title(app: &App) -> String {
    let key = |action: &str| {
        app.keymap
            .section(Section::Palette)
            .iter()
            .find(|b| b.action == action)
            .and_then(|b| b.labels.first().cloned())
    };
    let run = key("prompt_submit").map(|k| format!("{k}: run"));
    let close = key("prompt_cancel").map(|k| format!("{k}: close"));
    let keys: Vec<String> = [run, close].into_iter().flatten().collect();
    if keys.is_empty() {
        " Commands ".to_string()
    } else {
        format!(" Commands — {} ", keys.join(" · "))
    }
}

/// `text` cut or padded to `width`, in `style`, with the characters at
/// `marks` (indices of `char`s) in `mark` as well.
fn marked(
    text: &str,
    marks: &[usize],
    width: usize,
    style: Style,
    mark: Style,
) -> Vec<Span<'static>> {
    super::mark_chars(&pad(text, width), marks, style, mark)
}
