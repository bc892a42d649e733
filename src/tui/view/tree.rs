//! The thread tree pane. Builds only the rows that fit on screen.

use crate::auth::dkim::Summary;
use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use super::{fit, pad};
use crate::browse::Entry;
use crate::index::progress::thousands;
use crate::model::DocId;
use crate::preview::short_date;
use crate::sanitize::sanitize;
use crate::tui::app::{App, Focus};
use crate::tui::results::{Results, Shape};

pub fn draw(frame: &mut Frame<'_>, app: &App, area: Rect) {
    if let Some(results) = &app.results {
        draw_results(frame, app, results, area);
        return;
    }
    let focused = app.focus == Focus::Tree;
    let title = match app.view {
        crate::tui::app::View::Threads => format!(" Threads ({}) ", app.ws.tree.thread_count),
        crate::tui::app::View::Folders => " Folders ".to_string(),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(app.theme.border(focused))
        .title(title);
    let inner = block.inner(area);
    let height = inner.height as usize;
    // Only the rows on screen are built, walking from the first one shown.
    let mut lines: Vec<Line<'_>> = Vec::with_capacity(height);
    let mut next = app.selected_node().map(|_| app.top);
    while let Some(node) = next {
        if lines.len() >= height {
            break;
        }
        let line = row(app, node, inner.width as usize);
        lines.push(if node == app.cursor {
            line.style(app.theme.selected(focused))
        } else {
            line
        });
        next = app.ws.tree.next_visible(node, &app.folded);
    }
    if app.ws.tree.nodes.is_empty() {
        let text = if app.indexing.is_some() {
            "Reading the dump for the first time… the threads appear when it is done; progress is below."
        } else {
            "No documents in this dump."
        };
        let para = Paragraph::new(text)
            .wrap(ratatui::widgets::Wrap { trim: true })
            .style(app.theme.dim());
        frame.render_widget(para.block(block), area);
        return;
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// The results of a search in their order: one document a row, or the
/// threads that hold them (the other messages dimmed, for context).
fn draw_results(frame: &mut Frame<'_>, app: &App, results: &Results, area: Rect) {
    let focused = app.focus == Focus::Tree;
    let shape = match results.shape {
        Shape::List => "",
        Shape::Threads => " in threads",
    };
    let title = format!(
        " {} found{shape} · {} · {} ",
        thousands(results.hits.len()),
        results.sort.label(),
        sanitize(&results.query)
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(app.theme.border(focused))
        .title(fit(&title, usize::from(area.width.saturating_sub(2))));
    let inner = block.inner(area);
    if results.hits.is_empty() {
        let again = app.keymap.key_for("search").unwrap_or("?");
        let para = Paragraph::new(format!(
            "Nothing matches. {again}: search again, Esc: back to the threads."
        ))
        .wrap(ratatui::widgets::Wrap { trim: true })
        .style(app.theme.dim());
        frame.render_widget(para.block(block), area);
        return;
    }
    let width = usize::from(inner.width);
    let lines: Vec<Line<'_>> = results
        .rows
        .iter()
        .enumerate()
        .skip(results.top)
        .take(usize::from(inner.height))
        .map(|(i, r)| {
            let line = match (results.shape, r.doc) {
                (Shape::List, Some(doc)) => {
                    Line::from(doc_spans(app, doc, width, String::new(), String::new()))
                }
                _ if r.hit.is_some() => row(app, r.node, width),
                _ => row(app, r.node, width).style(app.theme.dim()),
            };
            if i == results.cursor {
                line.style(app.theme.selected(focused))
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// What the quick filter matches, while it is on screen.
fn quick_pattern(app: &App) -> Option<&str> {
    app.quick.as_ref()?;
    let pattern = app.results.as_ref()?.query.strip_prefix('/')?;
    (!pattern.trim().is_empty()).then_some(pattern)
}

/// `text` in `style`, with the characters `pattern` fuzzy-matches in it
/// marked (none if it does not match `text` alone).
fn marked(text: String, pattern: Option<&str>, style: Style, mark: Style) -> Vec<Span<'static>> {
    let indices = pattern.and_then(|p| {
        let p: String = p.chars().filter(|c| !c.is_whitespace()).collect();
        SkimMatcherV2::default()
            .ignore_case()
            .fuzzy_indices(&text, &p)
            .map(|(_, at)| at)
    });
    match indices {
        Some(indices) => super::mark_chars(&text, &indices, style, mark),
        None => vec![Span::styled(text, style)],
    }
}

/// One row: unread mark, date, sender, tree drawing + subject, marks.
fn row(app: &App, node: u32, width: usize) -> Line<'static> {
    let theme = app.theme;
    let tree = &app.ws.tree;
    let n = &tree.nodes[node as usize];
    let wide = width >= 70;
    let date_w = if wide { 10 } else { 8 };
    let from_w = if wide { 18 } else { 11 };
    let prefix = tree.prefix(node);
    let folded = app.folded.contains(&node);
    let fold_mark = if folded {
        format!(
            " [+{}]",
            tree.doc_count(node) - usize::from(matches!(n.entry, Entry::Doc(_)))
        )
    } else {
        String::new()
    };

    let mut spans: Vec<Span<'static>> = Vec::new();
    match &n.entry {
        Entry::Doc(id) => spans = doc_spans(app, *id, width, prefix, fold_mark),
        Entry::Missing(id) => {
            spans.push(Span::raw(" "));
            spans.push(Span::raw(" ".repeat(date_w + 1 + from_w + 1)));
            spans.push(Span::styled(prefix, theme.tree_lines()));
            let used: usize = spans.iter().map(Span::width).sum();
            let text = format!("(not in dump) <{}>", sanitize(id));
            spans.push(Span::styled(
                fit(&text, width.saturating_sub(used + fold_mark.len())),
                theme.missing(),
            ));
            spans.push(Span::styled(fold_mark, theme.dim()));
        }
        Entry::Group(label) => {
            let mark = if folded { "▸ " } else { "▾ " };
            if n.depth > 0 {
                // A folder inside a folder: drawn in the tree's column.
                spans.push(Span::raw(" ".repeat(1 + date_w + 1 + from_w + 1)));
                spans.push(Span::styled(prefix, theme.tree_lines()));
            }
            let used: usize = spans.iter().map(Span::width).sum();
            spans.push(Span::styled(
                fit(
                    &format!("{mark}{}", sanitize(label)),
                    width.saturating_sub(used),
                ),
                theme.group(),
            ));
        }
    }
    Line::from(spans)
}

/// A document's row: unread mark, date, sender, `prefix` (the tree
/// drawing) and subject, `fold_mark`, then attachment, warning and tag marks.
fn doc_spans(
    app: &App,
    id: DocId,
    width: usize,
    prefix: String,
    fold_mark: String,
) -> Vec<Span<'static>> {
    let theme = app.theme;
    let wide = width >= 70;
    let date_w = if wide { 10 } else { 8 };
    let from_w = if wide { 18 } else { 11 };
    let mut spans: Vec<Span<'static>> = Vec::new();
    let d = app.ws.doc(id);
    let unread = !app.ws.read[id];
    if app.marks.contains(&id) {
        spans.push(Span::styled("*", theme.hint_key()));
    } else {
        spans.push(Span::styled(if unread { "●" } else { " " }, theme.unread()));
    }
    let date = if d.is_mail() {
        let full = short_date(d.date);
        if wide {
            full
        } else {
            full.get(2..).unwrap_or("").to_string()
        }
    } else {
        String::new()
    };
    spans.push(Span::styled(pad(&date, date_w), theme.date()));
    spans.push(Span::raw(" "));
    let who = if d.is_mail() {
        sanitize(d.sender()).into_owned()
    } else {
        format!("[{}]", sanitize(d.file_type()))
    };
    let pattern = quick_pattern(app);
    spans.extend(marked(
        pad(&who, from_w),
        pattern,
        theme.sender(),
        theme.hit(),
    ));
    spans.push(Span::raw(" "));
    spans.push(Span::styled(prefix, theme.tree_lines()));
    let mut marks: Vec<Span<'static>> = Vec::new();
    if d.has_attachments() {
        marks.push(Span::raw(" +"));
    }
    if d.warning().is_some() {
        marks.push(Span::styled(" !", theme.notice()));
    }
    if app.ws.has_note(id) {
        marks.push(Span::styled(" ✎", theme.section()));
    }
    match app.dkim_marks.get(id).copied().flatten() {
        Some(Summary::Pass) => marks.push(Span::styled(" ✓", theme.date())),
        Some(Summary::Fail) => marks.push(Span::styled(" ✗", theme.notice())),
        Some(Summary::Unknown) => marks.push(Span::styled(" ?", theme.tree_lines())),
        Some(Summary::None) | None => {}
    }
    let mut tag_marks: Option<Vec<char>> = None;
    for (i, t) in app.ws.tags.iter().enumerate() {
        if app.ws.has_tag(id, t.id) {
            let mark = tag_marks.get_or_insert_with(|| super::tags::tag_marks(&app.ws.tags))[i];
            let style = theme.tag_colour(i, t.colour.as_deref());
            marks.push(Span::styled(format!(" {mark}"), style));
        }
    }
    let used: usize =
        spans.iter().map(Span::width).sum::<usize>() + marks.iter().map(Span::width).sum::<usize>();
    let subject = if d.subject().trim().is_empty() {
        "(no subject)".to_string()
    } else {
        sanitize(d.subject()).into_owned()
    };
    let room = width.saturating_sub(used + fold_mark.chars().count());
    let style = if unread {
        theme.unread()
    } else {
        Style::default()
    };
    spans.extend(marked(fit(&subject, room), pattern, style, theme.hit()));
    spans.push(Span::styled(fold_mark, theme.dim()));
    spans.extend(marks);
    spans
}
