//! The preview laid out as display lines for a given width: computed once
//! per selection or resize, so drawing only slices what is on screen.

use super::view::fit;
use crate::preview::Preview;

/// How a line of the preview is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    HeaderLabel,
    HeaderCont,
    Rule,
    Notice,
    Body,
    Quote,
    Section,
    Attachment,
    /// A line of a note someone wrote on the document.
    Note,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewLine {
    pub kind: LineKind,
    /// For `HeaderLabel`: the label; the value is in `text`.
    pub label: &'static str,
    pub text: String,
}

/// Lay the preview out as display lines wrapped to `width` columns.
pub fn wrap_preview(p: &Preview, width: usize) -> Vec<PreviewLine> {
    let mut out = Vec::new();
    wrap_headers(p, width, &mut out);
    if let Some(n) = &p.notice {
        push_wrapped(&mut out, LineKind::Notice, &format!("! {n}"), width);
    }
    for line in &p.body {
        let kind = if line.starts_with('>') {
            LineKind::Quote
        } else {
            LineKind::Body
        };
        if line.is_empty() {
            out.push(PreviewLine::new(kind, String::new()));
        } else {
            push_wrapped(&mut out, kind, line, width);
        }
    }
    if !p.attachments.is_empty() {
        out.push(PreviewLine::new(LineKind::Body, String::new()));
        out.push(PreviewLine::new(
            LineKind::Section,
            format!("Attachments ({})", p.attachments.len()),
        ));
        for a in &p.attachments {
            push_wrapped(&mut out, LineKind::Attachment, &format!("  + {a}"), width);
        }
    }
    out
}

/// Put the notes on the document (`(author, text)`, already made safe
/// for the terminal) right after the headers, above the body: what the
/// team said about a document is read before the document.
pub fn insert_notes(lines: &mut Vec<PreviewLine>, notes: &[(String, String)], width: usize) {
    if notes.is_empty() {
        return;
    }
    let at = lines
        .iter()
        .position(|l| l.kind == LineKind::Rule)
        .map_or(0, |i| i + 1);
    let mut block = Vec::new();
    for (author, text) in notes {
        block.push(PreviewLine::new(
            LineKind::Section,
            format!("Note by {author}"),
        ));
        for line in text.lines() {
            if line.is_empty() {
                block.push(PreviewLine::new(LineKind::Note, String::new()));
            } else {
                push_wrapped(
                    &mut block,
                    LineKind::Note,
                    line,
                    width.saturating_sub(2).max(10),
                );
            }
        }
    }
    block.push(PreviewLine::new(LineKind::Rule, String::new()));
    lines.splice(at..at, block);
}

impl PreviewLine {
    fn new(kind: LineKind, text: String) -> PreviewLine {
        PreviewLine {
            kind,
            label: "",
            text,
        }
    }
}

fn push_wrapped(out: &mut Vec<PreviewLine>, kind: LineKind, text: &str, width: usize) {
    for piece in textwrap::wrap(text, width) {
        out.push(PreviewLine::new(kind, piece.into_owned()));
    }
}

/// Headers stay short so the body is on screen even at 80x24: one line
/// each on a narrow pane (two for the subject), two (three) on a wide one.
fn wrap_headers(p: &Preview, width: usize, out: &mut Vec<PreviewLine>) {
    let label_width = p.headers.iter().map(|(l, _)| l.len()).max().unwrap_or(0) + 2;
    let value_width = width.saturating_sub(label_width).max(10);
    let narrow = width < 60;
    for (label, value) in &p.headers {
        let max_lines = match *label {
            // Where a part is: the file of the dump and each container.
            "Inside" => 4,
            "Subject" => 1 + if narrow { 1 } else { 2 },
            _ => {
                if narrow {
                    1
                } else {
                    2
                }
            }
        };
        let mut wrapped: Vec<String> = if max_lines == 1 {
            vec![fit(value, value_width)]
        } else {
            textwrap::wrap(value, value_width)
                .into_iter()
                .map(std::borrow::Cow::into_owned)
                .collect()
        };
        if wrapped.len() > max_lines {
            wrapped.truncate(max_lines);
            if let Some(last) = wrapped.last_mut() {
                *last = fit(&format!("{last} …"), value_width);
            }
        }
        if wrapped.is_empty() {
            wrapped.push(String::new());
        }
        for (i, piece) in wrapped.into_iter().enumerate() {
            let kind = if i == 0 {
                LineKind::HeaderLabel
            } else {
                LineKind::HeaderCont
            };
            out.push(PreviewLine {
                kind,
                label,
                text: piece,
            });
        }
    }
    if !p.headers.is_empty() {
        out.push(PreviewLine::new(LineKind::Rule, String::new()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_panes_keep_headers_to_one_line_and_wrap_the_body() {
        let p = Preview {
            headers: vec![
                (
                    "From",
                    "A Very Long Sender Name <someone@example.org>".into(),
                ),
                ("Subject", "word ".repeat(30)),
            ],
            body: vec![
                "alpha beta gamma delta epsilon".into(),
                String::new(),
                "> quoted".into(),
            ],
            attachments: vec!["budget.csv  text/csv, 1.0 KB".into()],
            notice: None,
        };
        let lines = wrap_preview(&p, 30);
        let from: Vec<_> = lines.iter().filter(|l| l.label == "From").collect();
        assert_eq!(from.len(), 1);
        assert!(from[0].text.ends_with('…'));
        let subject = lines
            .iter()
            .take_while(|l| l.kind != LineKind::Rule)
            .filter(|l| l.label == "Subject" || l.kind == LineKind::HeaderCont)
            .count();
        assert_eq!(subject, 2);
        assert!(lines
            .iter()
            .any(|l| l.kind == LineKind::Quote && l.text == "> quoted"));
        assert!(lines
            .iter()
            .all(|l| unicode_width::UnicodeWidthStr::width(l.text.as_str()) <= 30));
        assert_eq!(lines.last().map(|l| l.kind), Some(LineKind::Attachment));
    }
}
