//! The timeline panel: documents of the view per day, week, month or year
//! as vertical bars, the selected document's period marked `▲` under its
//! bar and the cursor's `△`. Bars are block characters, so they read the
//! same without colour. The counts were made when the view changed
//! ([`crate::tui::panels`]); drawing looks up only the buckets shown.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use super::{fit, pad};
use crate::index::progress::thousands;
use crate::stats::{day_of, Timeline, Unit};
use crate::tui::app::{App, Focus};

/// A bar's top in eighths of a cell, emptiest first.
const LEVELS: [&str; 9] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];

/// Where the bars of a timeline go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Geometry {
    pub unit: Unit,
    /// The first bucket shown, and how many are.
    pub first: i64,
    pub shown: usize,
    /// Columns per bucket: the bar, then a gap when there is room.
    pub step: u16,
    pub bar: u16,
    /// The rows of the bars.
    pub bars: Rect,
    /// The bucket the header names and `Enter` narrows to: the cursor's,
    /// else the selected document's, else the last.
    pub focus: i64,
    /// The selected document's bucket, if it is dated.
    pub doc: Option<i64>,
}

impl Geometry {
    /// The bucket drawn at column `x` of the screen.
    pub fn bucket_at(&self, x: u16) -> Option<i64> {
        let i = x.checked_sub(self.bars.x)? / self.step;
        (usize::from(i) < self.shown).then(|| self.first + i64::from(i))
    }
}

/// The bars' place inside the panel's `inner` area; `None` with nothing
/// dated or no room for a bar.
pub fn geometry(app: &App, t: &Timeline, inner: Rect) -> Option<Geometry> {
    if inner.height < 3 || inner.width == 0 {
        return None;
    }
    let width = usize::from(inner.width);
    let unit = app.panels.unit.unwrap_or_else(|| t.fit(width));
    let (start, end) = t.span(unit)?;
    let doc = app
        .selected_doc()
        .and_then(|d| app.ws.doc(d).date)
        .and_then(|ts| unit.bucket(day_of(ts)));
    let cursor = app.panels.day.and_then(|d| unit.bucket(d));
    let focus = cursor.or(doc).unwrap_or(end).clamp(start, end);
    let all = usize::try_from(end - start).map_or(usize::MAX, |n| n.saturating_add(1));
    let (first, shown) = if all <= width {
        (start, all)
    } else {
        // Scrolled to keep the focus in the middle.
        let half = i64::try_from(width / 2).unwrap_or(0);
        let last_first = end - i64::try_from(width).unwrap_or(i64::MAX) + 1;
        ((focus - half).clamp(start, last_first), width)
    };
    let step = u16::try_from(width / shown).unwrap_or(1).clamp(1, 12);
    let bar = if step >= 2 { step - 1 } else { step };
    // Header above; under the bars, the marks, then labels if there is room.
    let below = if inner.height >= 5 { 2 } else { 1 };
    let bars = Rect::new(inner.x, inner.y + 1, inner.width, inner.height - 1 - below);
    Some(Geometry {
        unit,
        first,
        shown,
        step,
        bar,
        bars,
        focus,
        doc,
    })
}

pub fn draw(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let theme = app.theme;
    let focused = app.focus == Focus::Tags;
    let timeline = app.panels.timeline_for(app.view_key());
    let geometry = timeline.and_then(|t| {
        let inner = Block::default().borders(Borders::ALL).inner(area);
        Some((t, geometry(app, t, inner)?))
    });
    let title = match &geometry {
        Some((_, g)) => format!(" Timeline · by {} ", g.unit.name()),
        None => " Timeline ".to_string(),
    };
    let room = usize::from(area.width.saturating_sub(2));
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(focused))
        .title(fit(&title, room));
    if let Some(apart) = timeline
        .map(left_out)
        .filter(|a| a.chars().count() + 2 <= room)
    {
        block = block.title_bottom(Line::from(apart).right_aligned());
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some((t, g)) = geometry else {
        let text = match timeline {
            None => "Counting…".to_string(),
            Some(t) if t.dated() == 0 => format!(
                "No dated documents here ({} without a date).",
                thousands(t.undated)
            ),
            Some(_) => format!(
                "Too small for a chart: {} zooms.",
                app.keymap.key_for("zoom").unwrap_or("z")
            ),
        };
        let para = Paragraph::new(text)
            .wrap(Wrap { trim: true })
            .style(theme.dim());
        frame.render_widget(para, inner);
        return;
    };
    let mut lines = vec![header(app, t, &g, usize::from(inner.width))];
    lines.extend(bars(app, t, &g));
    lines.push(marks(app, &g));
    if inner.height >= 5 {
        lines.push(labels(app, &g, usize::from(inner.width)));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// What the chart leaves out, said on its bottom border:
/// ` 3 later · 2 undated `.
fn left_out(t: &Timeline) -> String {
    let apart: Vec<String> = [
        (t.earlier, "earlier"),
        (t.later, "later"),
        (t.undated, "undated"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{} {what}", thousands(n)))
    .collect();
    if apart.is_empty() {
        String::new()
    } else {
        format!(" {} ", apart.join(" · "))
    }
}

/// `▲ week of 2017-03-20: 14 documents`: the bucket under the cursor.
fn header(app: &App, t: &Timeline, g: &Geometry, width: usize) -> Line<'static> {
    let mark = if g.doc == Some(g.focus) { "▲" } else { "△" };
    let n = t.count_in(g.unit, g.focus);
    let what = if n == 1 { "document" } else { "documents" };
    let text = format!(
        "{mark} {}: {} {what}",
        g.unit.label(g.focus),
        thousands(n as usize)
    );
    Line::styled(fit(&text, width), app.theme.label())
}

/// The bars, top row first, scaled to the tallest one shown.
fn bars(app: &App, t: &Timeline, g: &Geometry) -> Vec<Line<'static>> {
    let theme = app.theme;
    let rows = usize::from(g.bars.height);
    let counts: Vec<u32> = (0..g.shown)
        .map(|i| t.count_in(g.unit, g.first + i as i64))
        .collect();
    let max = u64::from(counts.iter().copied().max().unwrap_or(0).max(1));
    // Each bar's height in eighths of a cell; at least one for a count.
    let eighths: Vec<u64> = counts
        .iter()
        .map(|&c| {
            let c = u64::from(c);
            if c == 0 {
                0
            } else {
                (c * rows as u64 * 8).div_ceil(max).max(1)
            }
        })
        .collect();
    let focused = app.focus == Focus::Tags;
    (0..rows)
        .map(|row| {
            // Eighths below this row.
            let floor = (rows - 1 - row) as u64 * 8;
            let spans: Vec<Span<'static>> = eighths
                .iter()
                .enumerate()
                .flat_map(|(i, &e)| {
                    let bucket = g.first + i as i64;
                    let level = e.saturating_sub(floor).min(8) as usize;
                    let style = if focused && bucket == g.focus {
                        theme.hint_key()
                    } else if Some(bucket) == g.doc {
                        theme.label()
                    } else {
                        theme.date()
                    };
                    let gap = usize::from(g.step - g.bar);
                    [
                        Span::styled(LEVELS[level].repeat(usize::from(g.bar)), style),
                        Span::raw(" ".repeat(gap)),
                    ]
                })
                .collect();
            Line::from(spans)
        })
        .collect()
}

/// Under the bars: a rule, `▲` under the selected document's bucket and
/// `△` under the cursor's; `◀` or `▶` at an end when the selected document
/// is off the chart that way.
fn marks(app: &App, g: &Geometry) -> Line<'static> {
    let theme = app.theme;
    let mut spans = Vec::with_capacity(g.shown);
    let last = g.first + g.shown as i64 - 1;
    for i in 0..g.shown {
        let bucket = g.first + i as i64;
        let mark = if Some(bucket) == g.doc {
            Some("▲")
        } else if i == 0 && g.doc.is_some_and(|d| d < bucket) {
            Some("◀")
        } else if bucket == last && g.doc.is_some_and(|d| d > bucket) {
            Some("▶")
        } else if bucket == g.focus && app.panels.day.is_some() {
            Some("△")
        } else {
            None
        };
        let step = usize::from(g.step);
        match mark {
            Some(m) => {
                let before = usize::from(g.bar.saturating_sub(1)) / 2;
                spans.push(Span::styled("─".repeat(before), theme.dim()));
                spans.push(Span::styled(m, theme.label()));
                spans.push(Span::styled("─".repeat(step - before - 1), theme.dim()));
            }
            None => spans.push(Span::styled("─".repeat(step), theme.dim())),
        }
    }
    Line::from(spans)
}

/// Labels under the bars: each bar's when they fit, else the first and
/// last buckets' at the ends.
fn labels(app: &App, g: &Geometry, width: usize) -> Line<'static> {
    let theme = app.theme;
    let step = usize::from(g.step);
    let short = g.unit.axis_label(g.first, false).chars().count();
    if step > short {
        let text: String = (0..g.shown)
            .map(|i| pad(&g.unit.axis_label(g.first + i as i64, false), step))
            .collect();
        return Line::styled(text, theme.dim());
    }
    let last = g.first + g.shown as i64 - 1;
    let left = g.unit.axis_label(g.first, true);
    let right = g.unit.axis_label(last, true);
    let (left_w, right_w) = (left.chars().count(), right.chars().count());
    // The last label under its bar, or as near as it fits.
    let last_bar = (g.shown - 1) * step;
    let at = last_bar.min(width.saturating_sub(right_w));
    let text = if last != g.first && at > left_w {
        format!("{left}{}{right}", " ".repeat(at - left_w))
    } else {
        fit(&left, width)
    };
    Line::styled(text, theme.dim())
}

/// The focus of the timeline as the side panel shows it now.
pub fn focus(app: &App, area: Rect) -> Option<(Unit, i64, (i64, i64))> {
    let t = app.panels.timeline_for(app.view_key())?;
    let inner = Block::default().borders(Borders::ALL).inner(area);
    let g = geometry(app, t, inner)?;
    Some((g.unit, g.focus, t.span(g.unit)?))
}

/// The bucket under screen column `x` of the side panel at `area`.
pub fn bucket_at(app: &App, area: Rect, x: u16) -> Option<(Unit, i64)> {
    let t = app.panels.timeline_for(app.view_key())?;
    let inner = Block::default().borders(Borders::ALL).inner(area);
    let g = geometry(app, t, inner)?;
    Some((g.unit, g.bucket_at(x)?))
}

#[cfg(test)]
mod tests {
    use super::LEVELS;

    #[test]
    fn levels_are_single_cells() {
        use unicode_width::UnicodeWidthStr;
        assert!(LEVELS.iter().all(|l| l.width() == 1));
    }
}
