//! The correspondents panel: the senders and the recipients with the most
//! documents in the view, each with its count and a bar; `▶` marks the
//! selected document's sender and recipients. Side by side when wide,
//! senders above recipients when not. Counted when the view changed
//! ([`crate::tui::panels`]); drawing only lays out the rows shown.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use super::{fit, pad};
use crate::index::progress::thousands;
use crate::sanitize::sanitize;
use crate::stats::{recipients_of, sender_key, Correspondents, Person, Role};
use crate::tui::app::{App, Focus};

/// Side by side from this inner width.
const TWO_COLUMNS: u16 = 60;
/// A bar's end in eighths of a cell, emptiest first.
const PARTS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

/// One of the two lists on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct List {
    pub role: Role,
    /// Its heading's row, then its rows.
    pub heading: Rect,
    pub rows: Rect,
    /// Where its people start in the cursor's count (senders, then
    /// recipients), and the first one shown.
    pub start: usize,
    pub offset: usize,
}

/// The lists that fit inside the panel's `inner` area.
pub fn lists(app: &App, c: &Correspondents, inner: Rect) -> Vec<List> {
    let list = |role, area: Rect| {
        let (start, len) = match role {
            Role::Sender => (0, c.senders.len()),
            Role::Recipient => (c.senders.len(), c.recipients.len()),
        };
        let heading = Rect { height: 1, ..area };
        let rows = Rect {
            y: area.y + 1,
            height: area.height.saturating_sub(1),
            ..area
        };
        let cursor = app.panels.person;
        let offset = if (start..start + len).contains(&cursor) {
            (cursor - start).saturating_sub(usize::from(rows.height).saturating_sub(1))
        } else {
            0
        };
        List {
            role,
            heading,
            rows,
            start,
            offset,
        }
    };
    if inner.height < 2 {
        return Vec::new();
    }
    if inner.width >= TWO_COLUMNS {
        let [left, right] = Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)])
            .spacing(2)
            .areas(inner);
        vec![list(Role::Sender, left), list(Role::Recipient, right)]
    } else if inner.height >= 5 {
        let [top, bottom] =
            Layout::vertical([Constraint::Fill(1), Constraint::Fill(1)]).areas(inner);
        vec![list(Role::Sender, top), list(Role::Recipient, bottom)]
    } else {
        vec![list(Role::Sender, inner)]
    }
}

pub fn draw(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let theme = app.theme;
    let focused = app.focus == Focus::Tags;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(focused))
        .title(" Correspondents ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(c) = app.panels.people_for(app.view_key()) else {
        frame.render_widget(Paragraph::new("Counting…").style(theme.dim()), inner);
        return;
    };
    if c.senders.is_empty() && c.recipients.is_empty() {
        let text = fit("No e-mail here: nobody to count.", usize::from(inner.width));
        frame.render_widget(Paragraph::new(text).style(theme.dim()), inner);
        return;
    }
    // The selected document's people, to mark.
    let doc = app.selected_doc().map(|d| app.ws.doc(d));
    let sender = doc.and_then(sender_key);
    let recipients: Vec<String> = doc
        .map(|d| recipients_of(d).map(str::to_lowercase).collect())
        .unwrap_or_default();
    for list in lists(app, c, inner) {
        let (people, total, who) = match (list.role, c.sender_total, c.recipient_total) {
            (Role::Sender, 1, _) => (&c.senders, 1, "sender"),
            (Role::Sender, n, _) => (&c.senders, n, "senders"),
            (Role::Recipient, _, 1) => (&c.recipients, 1, "recipient (To, Cc)"),
            (Role::Recipient, _, n) => (&c.recipients, n, "recipients (To, Cc)"),
        };
        let shown = if total > people.len() {
            format!("Top {} of {} {who}", people.len(), thousands(total))
        } else {
            format!("{} {who}", thousands(total))
        };
        frame.render_widget(
            Paragraph::new(Line::styled(
                fit(&shown, usize::from(list.heading.width)),
                theme.section(),
            )),
            list.heading,
        );
        let max = people.first().map_or(1, |p| p.count.max(1));
        let lines: Vec<Line<'_>> = people
            .iter()
            .enumerate()
            .skip(list.offset)
            .take(usize::from(list.rows.height))
            .map(|(i, p)| {
                let marked = match list.role {
                    Role::Sender => sender.as_deref() == Some(p.key.as_str()),
                    Role::Recipient => recipients.contains(&p.key),
                };
                let line = row(app, p, marked, max, usize::from(list.rows.width));
                if focused && list.start + i == app.panels.person {
                    line.style(theme.selected(true))
                } else {
                    line
                }
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), list.rows);
    }
}

/// `▶ Claire Morel      12 ███▌`: the mark, the name, the count, a bar
/// scaled to the list's first.
fn row(app: &App, p: &Person, marked: bool, max: u32, width: usize) -> Line<'static> {
    let theme = app.theme;
    let count = thousands(p.count as usize);
    let count_w = thousands(max as usize)
        .chars()
        .count()
        .max(count.chars().count());
    let bar_w = if width >= 36 { (width / 4).min(12) } else { 0 };
    let name_w = width.saturating_sub(2 + 1 + count_w + if bar_w > 0 { bar_w + 1 } else { 0 });
    let mut spans = vec![
        Span::styled(if marked { "▶ " } else { "  " }, theme.label()),
        Span::raw(pad(&sanitize(&p.name), name_w)),
        Span::raw(format!(" {count:>count_w$}")),
    ];
    if bar_w > 0 {
        let eighths = (u64::from(p.count) * bar_w as u64 * 8)
            .div_ceil(u64::from(max))
            .max(1) as usize;
        let bar = format!("{}{}", "█".repeat(eighths / 8), PARTS[eighths % 8]);
        spans.push(Span::styled(format!(" {bar}"), theme.date()));
    }
    Line::from(spans)
}

/// The cursor position of the person at screen cell `(x, y)` of the side
/// panel at `area`.
pub fn person_at(app: &App, area: Rect, x: u16, y: u16) -> Option<usize> {
    let c = app.panels.people_for(app.view_key())?;
    let inner = Block::default().borders(Borders::ALL).inner(area);
    let list = lists(app, c, inner)
        .into_iter()
        .find(|l| l.rows.contains(ratatui::layout::Position { x, y }))?;
    let len = match list.role {
        Role::Sender => c.senders.len(),
        Role::Recipient => c.recipients.len(),
    };
    let i = list.offset + usize::from(y - list.rows.y);
    (i < len).then_some(list.start + i)
}

/// The person under the cursor and which list they are in.
pub fn at_cursor(c: &Correspondents, cursor: usize) -> Option<(Role, &Person)> {
    match cursor.checked_sub(c.senders.len()) {
        None => c.senders.get(cursor).map(|p| (Role::Sender, p)),
        Some(i) => c.recipients.get(i).map(|p| (Role::Recipient, p)),
    }
}
