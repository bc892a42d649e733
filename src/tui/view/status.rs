//! The status line (position, project, messages) and the hint line
//! (generated from the keymap).

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::fit;
use crate::index::progress::thousands;
use crate::sanitize::sanitize;
use crate::tui::app::{App, StatusKind};

pub fn draw_status(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let theme = app.theme;
    let left = if let Some(r) = &app.results {
        // Which hit is selected (none on a thread's other messages).
        let at = r.rows.get(r.cursor).and_then(|row| row.hit);
        let at = at.map_or_else(|| "–".to_string(), |i| thousands(i as usize + 1));
        format!(" {at} / {} found ", thousands(r.hits.len()))
    } else {
        let (pos, total) = app.mail_position();
        format!(" {} / {} messages ", thousands(pos), thousands(total))
    };
    let right = format!(" {} ", sanitize(&app.ws.project.name));
    let width = area.width as usize;
    let middle_w = width.saturating_sub(left.chars().count() + right.chars().count());
    let keymap_problem = app.keymap.problem();
    // Background news (an index report) never hides a refused keymap.
    let news = matches!(app.status, Some((StatusKind::Info, _)))
        && !app.status_from_key
        && keymap_problem.is_some();
    let status = app.status.as_ref().filter(|_| !news);
    let (middle, middle_style) = match status {
        Some((StatusKind::Error, m)) => (format!(" {m}"), theme.error()),
        Some((StatusKind::Info, m)) => (format!(" {m}"), theme.status_bar()),
        None if app.indexing.is_some() => {
            let text = app.indexing.as_ref().map_or_else(String::new, |p| {
                if p.phase == crate::index::progress::Phase::Searching {
                    format!(" {}", p.summary())
                } else {
                    format!(" indexing: {}", p.summary())
                }
            });
            (text, theme.status_bar())
        }
        // A refused keymap file is shown until it is fixed: the keys do
        // not do what the user wrote, and this says why.
        None if keymap_problem.is_some() => (
            format!(" {}", keymap_problem.as_deref().unwrap_or_default()),
            theme.error(),
        ),
        None => (progress_text(app, middle_w), theme.status_bar()),
    };
    let middle = super::pad(&middle, middle_w);
    let line = Line::from(vec![
        Span::styled(left, theme.status_bar()),
        Span::styled(middle, middle_style),
        Span::styled(right, theme.status_bar()),
    ]);
    frame.render_widget(Paragraph::new(line).style(theme.status_bar()), area);
}

/// Review progress, what is marked, and files not read: as much as fits
/// in `width` columns, most important first.
fn progress_text(app: &App, width: usize) -> String {
    let (read, tagged) = app.ws.review_counts();
    let total = app.ws.scan.docs.len();
    let mut parts = Vec::new();
    if !app.marks.is_empty() {
        parts.push(format!("{} marked", thousands(app.marks.len())));
    }
    parts.push(format!(
        "{} of {} reviewed, {} tagged",
        thousands(read),
        thousands(total),
        thousands(tagged)
    ));
    let problems = app.ws.scan.problems.len();
    if problems > 0 {
        parts.push(format!("{problems} files not read (P)"));
    }
    let mut text = String::new();
    for part in parts {
        let piece = if text.is_empty() {
            format!(" {part}")
        } else {
            format!(" · {part}")
        };
        if text.chars().count() + piece.chars().count() > width {
            break;
        }
        text.push_str(&piece);
    }
    text
}

pub fn draw_hints(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let theme = app.theme;
    let mut spans = Vec::new();
    let mut used = 0;
    for (keys, label) in app.keymap.hints() {
        let piece = keys.chars().count() + label.chars().count() + 3;
        if used + piece > area.width as usize {
            break;
        }
        spans.push(Span::styled(format!(" {keys}"), theme.hint_key()));
        spans.push(Span::raw(format!(" {label} ")));
        used += piece;
    }
    if spans.is_empty() {
        spans.push(Span::raw(fit(" ? help", area.width as usize)));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The quick filter's input, in place of the hint line: the list above
/// follows each key.
pub fn draw_quick_prompt(frame: &mut Frame<'_>, app: &App, area: Rect, input: &str) {
    let theme = app.theme;
    let help = "  Enter: keep  Esc: back";
    let room = (area.width as usize).saturating_sub(help.chars().count() + 3);
    let clean = crate::sanitize::sanitize(input);
    let chars: Vec<char> = clean.chars().collect();
    let shown: String = chars[chars.len().saturating_sub(room)..].iter().collect();
    let line = Line::from(vec![
        Span::styled(" /", theme.hint_key()),
        Span::raw(shown),
        Span::styled("█", theme.hint_key()),
        Span::styled(help, theme.dim()),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

/// While `L` waits for a parent, in place of the hint line: which message
/// is being moved and what to press.
pub fn draw_linking(frame: &mut Frame<'_>, app: &App, area: Rect, doc: crate::model::DocId) {
    let theme = app.theme;
    let help = "  L on its parent: link · Esc: cancel";
    let room = (area.width as usize).saturating_sub(help.chars().count() + 9);
    let subject = sanitize(app.ws.doc(doc).subject());
    let line = Line::from(vec![
        Span::styled(" Linking ", theme.hint_key()),
        Span::raw(fit(&subject, room)),
        Span::styled(help, theme.dim()),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}
