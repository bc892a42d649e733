//! What the preview pane shows for a document, computed without a terminal:
//! headers, body text, attachments — every string already sanitised.
//!
//! The body is re-read from the dump on demand (the catalog keeps only
//! envelopes); reading is bounded by the ingest limits.

use std::fmt::Write as _;
use std::path::Path;

use mail_parser::{MessageParser, MimeHeaders};

use crate::ingest;
use crate::model::{DocId, Document};
use crate::sanitize::{sanitize, sanitize_text};

/// Most body lines kept for display; the rest is counted, not stored.
pub const MAX_BODY_LINES: usize = 20_000;
/// Most bytes of a text file shown.
const MAX_TEXT_FILE_BYTES: usize = 256 * 1024;
/// Most bytes of HTML rendered as a table-aware layout; and the deepest tag
/// nesting handed to the recursive renderer. Past either, the flat
/// converter is used: a hostile page cannot exhaust time or the stack.
const MAX_HTML_BYTES: usize = 1024 * 1024;
const MAX_HTML_DEPTH: usize = 128;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preview {
    /// `(label, value)` pairs: From, To, Cc, Date, Subject … or File, Type …
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<String>,
    pub attachments: Vec<String>,
    /// A problem reading or parsing the document, shown above the body.
    pub notice: Option<String>,
}

/// Build the preview of `doc`, reading its bytes under `root`; HTML bodies
/// are laid out for `width` columns. DKIM signatures are checked with no
/// key (see [`preview_with_keys`]).
pub fn preview(root: &Path, doc: &Document, width: usize) -> Preview {
    preview_with_keys(root, doc, width, &|_| Vec::new())
}

/// The bytes of `doc` and, for a text attachment, the charset its MIME
/// header declares; or a preview saying why they cannot be read.
fn read(root: &Path, doc: &Document) -> Result<(Vec<u8>, Option<String>), Preview> {
    ingest::read_labelled(root, &doc.location).map_err(|e| Preview {
        notice: Some(format!("cannot read {}: {e}", doc.location.display())),
        ..Preview::default()
    })
}

/// [`preview`], checking DKIM signatures with the keys `keys` gives for a
/// `selector._domainkey.domain` name.
pub fn preview_with_keys(
    root: &Path,
    doc: &Document,
    width: usize,
    keys: &dyn Fn(&str) -> Vec<String>,
) -> Preview {
    let mut p = match read(root, doc) {
        Err(p) => p,
        Ok((bytes, _)) if doc.is_rfc822() => mail_preview(&bytes, width, keys),
        Ok((bytes, label)) => file_preview(doc, &bytes, label.as_deref()),
    };
    if let Some(w) = &doc.warning() {
        let w = sanitize(w).into_owned();
        p.notice = Some(p.notice.map_or(w.clone(), |n| format!("{n}; {w}")));
    }
    for (_, value) in &mut p.headers {
        clip_header(value);
    }
    p
}

/// Longest header value the preview shows (an 8 MB Subject is the same
/// attack as an 8 MB line).
pub const MAX_HEADER_CHARS: usize = crate::ingest::limits::MAX_FIELD_CHARS;

fn clip_header(value: &mut String) {
    if let Some((cut, _)) = value.char_indices().nth(MAX_HEADER_CHARS) {
        let rest = value[cut..].chars().count();
        value.truncate(cut);
        let _ = write!(value, " … [{rest} more characters]");
    }
}

/// Most bytes of a document the raw view shows.
const MAX_RAW_BYTES: usize = 1 << 20;

/// The exact bytes of `doc` (its part's bytes for a part), one display
/// line per line of the file: printable text as is, every control, escape,
/// bidi or invisible character as a visible placeholder (as everywhere),
/// and a byte that is not UTF-8 as `\xNN`. The line ends are not shown.
pub fn raw_preview(root: &Path, doc: &Document) -> Preview {
    let bytes = match read(root, doc) {
        Ok((b, _)) => b,
        Err(p) => return p,
    };
    let shown = &bytes[..bytes.len().min(MAX_RAW_BYTES)];
    let mut body = Vec::new();
    for line in shown.split(|b| *b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let mut text = String::new();
        for chunk in line.utf8_chunks() {
            text.push_str(chunk.valid());
            for b in chunk.invalid() {
                let _ = write!(text, "\\x{b:02X}");
            }
        }
        body.extend(sanitize_text(&text));
        if body.len() > MAX_BODY_LINES {
            break;
        }
    }
    let notice = (shown.len() < bytes.len() || body.len() > MAX_BODY_LINES).then(|| {
        format!(
            "only the first {} of {} are shown",
            human_size(shown.len().min(MAX_RAW_BYTES) as u64),
            human_size(bytes.len() as u64)
        )
    });
    body.truncate(MAX_BODY_LINES);
    Preview {
        headers: vec![(
            "Raw",
            format!(
                "{}, exact bytes (r: back to the preview)",
                human_size(bytes.len() as u64)
            ),
        )],
        body,
        attachments: Vec::new(),
        notice,
    }
}

/// The header forensics of `doc` (see [`crate::auth::hops`]): what does
/// not add up, then the hops, first server first.
pub fn hops_preview(root: &Path, doc: &Document) -> Preview {
    let back = "H: back to the preview";
    if !doc.is_rfc822() {
        return Preview {
            headers: vec![("Hops", back.to_string())],
            notice: Some("not an e-mail: no headers to read".into()),
            ..Preview::default()
        };
    }
    let bytes = match read(root, doc) {
        Ok((b, _)) => b,
        Err(p) => return p,
    };
    let Some(f) = crate::auth::hops::analyse(&bytes) else {
        return Preview {
            headers: vec![("Hops", back.to_string())],
            notice: Some("not a readable e-mail".into()),
            ..Preview::default()
        };
    };
    let mut body = Vec::new();
    if f.findings.is_empty() {
        body.push("Nothing stands out in the headers.".to_string());
    } else {
        body.push("Does not add up:".to_string());
        body.extend(f.findings.iter().map(|l| format!(" ! {}", sanitize(l))));
    }
    body.push(String::new());
    if !f.hops.is_empty() {
        body.push("Received, first server first:".to_string());
    }
    for (i, h) in f.hops.iter().enumerate() {
        let from = if h.from.is_empty() { "?" } else { &h.from };
        let by = if h.by.is_empty() { "?" } else { &h.by };
        let at = if h.at_text.is_empty() {
            "(no time)"
        } else {
            &h.at_text
        };
        body.push(sanitize(&format!("{:>2} {at}  {from} → {by}", i + 1)).into_owned());
        if let Some(why) = &h.time_travel {
            body.push(format!("    ! {why}"));
        }
    }
    let servers = match f.hops.len() {
        1 => "1 hop".to_string(),
        n => format!("{n} hops"),
    };
    Preview {
        headers: vec![("Hops", format!("{servers} ({back})"))],
        body,
        attachments: Vec::new(),
        notice: None,
    }
}

/// Add to a file's preview how the dates its metadata claims compare with
/// its container's (see [`crate::auth::provenance`]): one `Provenance`
/// line per disagreement, or one saying they agree.
pub fn add_provenance(
    p: &mut Preview,
    docs: &[Document],
    id: DocId,
    outcome: Option<&crate::extract::cache::Outcome>,
) {
    let Some(Ok(x)) = outcome else {
        return;
    };
    let (findings, compared) = crate::auth::provenance::check(docs, id, &x.meta);
    if findings.is_empty() && compared {
        p.headers
            .push(("Provenance", "its dates agree with its container's".into()));
    }
    for f in findings {
        p.headers
            .push(("Provenance", format!("! {}", sanitize(&f))));
    }
}

/// Add where a document sits to its preview: for a part (attachment,
/// archive member, attached message), the chain of containers from the
/// dump's file down to it; for content found more than once (`copies`,
/// itself included), how many copies and which one this is.
pub fn add_context(p: &mut Preview, docs: &[Document], id: DocId, copies: &[DocId]) {
    if docs[id].is_part() {
        let mut trail = Vec::new();
        let mut cur = id;
        while let Some(c) = crate::model::container_of(docs, cur) {
            trail.push(if docs[c].is_part() {
                docs[c].subject().to_string()
            } else {
                docs[c].location.display()
            });
            cur = c;
        }
        trail.reverse();
        trail.push(docs[id].subject().to_string());
        let inside = ("Inside", sanitize(&trail.join(" › ")).into_owned());
        // It says which file of the dump holds it: instead of "File".
        match p.headers.iter().position(|(label, _)| *label == "File") {
            Some(i) => p.headers[i] = inside,
            None => p.headers.insert(0, inside),
        }
    }
    if copies.len() > 1 {
        let at = copies.iter().position(|&c| c == id).map_or(0, |i| i + 1);
        p.headers.push((
            "Copies",
            format!(
                "{}, this is {at}; tags and read marks go on all",
                copies.len()
            ),
        ));
    }
}

/// `2017-03-16 10:02` in UTC, for tree rows and lists.
pub fn short_date(ts: Option<i64>) -> String {
    ts.and_then(|t| chrono::DateTime::from_timestamp(t, 0))
        .map_or_else(
            || "----------".to_string(),
            |d| d.format("%Y-%m-%d").to_string(),
        )
}

fn mail_preview(bytes: &[u8], width: usize, keys: &dyn Fn(&str) -> Vec<String>) -> Preview {
    let Some(msg) = MessageParser::default().parse(bytes) else {
        return Preview {
            notice: Some("not a readable e-mail".into()),
            body: sanitize_text(&String::from_utf8_lossy(
                &bytes[..bytes.len().min(MAX_TEXT_FILE_BYTES)],
            )),
            ..Preview::default()
        };
    };
    let mut headers = Vec::new();
    let from = ingest::mail::address_list(msg.from());
    headers.push(("From", from));
    headers.push(("To", ingest::mail::address_list(msg.to())));
    let cc = ingest::mail::address_list(msg.cc());
    if !cc.is_empty() {
        headers.push(("Cc", cc));
    }
    let date = msg.date().map_or_else(
        || {
            msg.header_raw("Date")
                .unwrap_or("(no date)")
                .trim()
                .to_string()
        },
        format_date,
    );
    headers.push(("Date", date));
    headers.push((
        "Subject",
        msg.subject().unwrap_or("(no subject)").to_string(),
    ));
    if let Some(id) = msg.message_id() {
        headers.push(("Message-ID", format!("<{id}>")));
    }
    headers.extend(crate::auth::dkim::describe(&crate::auth::dkim::check(
        bytes, keys,
    )));
    let headers = headers
        .into_iter()
        .map(|(k, v)| (k, sanitize(&v).into_owned()))
        .collect();

    // text/plain when the message has it; an HTML-only body is rendered.
    let html_only = msg
        .text_part(0)
        .is_some_and(mail_parser::MessagePart::is_text_html);
    let text = if html_only {
        msg.body_html(0).map(|h| html_to_text(&h, width))
    } else {
        msg.body_text(0).map(std::borrow::Cow::into_owned)
    };
    let (mut body, notice) = match text {
        Some(t) => (sanitize_text(&t), None),
        None => (
            Vec::new(),
            Some("this message has no text body".to_string()),
        ),
    };
    if body.len() > MAX_BODY_LINES {
        let more = body.len() - MAX_BODY_LINES;
        body.truncate(MAX_BODY_LINES);
        body.push(format!("[… {more} more lines not shown]"));
    }
    let attachments = msg
        .attachments()
        .map(|part| {
            let name = part.attachment_name().unwrap_or("(unnamed)");
            let ctype = part.content_type().map_or_else(String::new, |ct| {
                format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or("?"))
            });
            sanitize(&format!(
                "{name}  {ctype}, {}",
                human_size(part.len() as u64)
            ))
            .into_owned()
        })
        .collect();
    Preview {
        headers,
        body,
        attachments,
        notice,
    }
}

/// A header date as written, with its zone: `2017-03-16 10:02:11 +0100`.
pub fn format_date(d: &mail_parser::DateTime) -> String {
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02} {}{:02}{:02}",
        d.year,
        d.month,
        d.day,
        d.hour,
        d.minute,
        d.second,
        if d.tz_before_gmt { '-' } else { '+' },
        d.tz_hour,
        d.tz_minute
    )
}

/// Readable text from HTML: tables laid out, links listed as footnotes.
pub fn html_to_text(html: &str, width: usize) -> String {
    let mut end = html.len().min(MAX_HTML_BYTES);
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    let html = &html[..end];
    if nesting_depth(html) <= MAX_HTML_DEPTH {
        if let Ok(text) = html2text::from_read(html.as_bytes(), width.clamp(20, 200)) {
            return text;
        }
    }
    mail_parser::decoders::html::html_to_text(html)
}

/// A cheap upper bound of the tag nesting depth (unclosed and void tags
/// count as open, so it errs on the side of the flat converter).
fn nesting_depth(html: &str) -> usize {
    let bytes = html.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    for (i, &b) in bytes.iter().enumerate() {
        if b != b'<' {
            continue;
        }
        match bytes.get(i + 1) {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(c) if c.is_ascii_alphabetic() => {
                depth += 1;
                max = max.max(depth);
            }
            _ => {}
        }
    }
    max
}

/// A file's place and identity: the headers of every file preview.
fn file_headers(doc: &Document, kind: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "File",
            sanitize(&doc.location.path.display().to_string()).into_owned(),
        ),
        ("Type", sanitize(kind).into_owned()),
        ("Size", human_size(doc.size())),
        ("SHA-256", doc.hash.to_string()),
    ]
}

/// A file shown from its bytes; one that needs extracting first says so
/// (the browser extracts it: [`extracted_preview`]).
fn file_preview(doc: &Document, bytes: &[u8], declared: Option<&str>) -> Preview {
    let mut headers = file_headers(doc, doc.file_type());
    let (body, notice) = if shown_as_read(doc.file_type()) {
        // An attachment is as sent, in its own charset.
        let (text, charset, was_declared) =
            crate::extract::decode_text(bytes, MAX_TEXT_FILE_BYTES, declared);
        if charset != "UTF-8" {
            let how = if was_declared { "declared" } else { "guessed" };
            headers.push(("Charset", format!("{charset} ({how})")));
        }
        (sanitize_text(&text), None)
    } else if needs_extraction(doc) {
        (
            Vec::new(),
            Some(format!(
                "the text of {} files is shown once it is extracted",
                sanitize(doc.file_type())
            )),
        )
    } else {
        (Vec::new(), Some("an empty file".to_string()))
    };
    Preview {
        headers,
        body,
        attachments: Vec::new(),
        notice,
    }
}

/// Whether a file's preview needs its text extracted first (off the
/// keyboard's thread: PDFs and office files can take a while), rather than
/// shown from its bytes.
pub fn needs_extraction(doc: &Document) -> bool {
    !doc.is_rfc822() && doc.file_type() != "empty" && !shown_as_read(doc.file_type())
}

/// File types whose bytes are shown as they are (plain text of one kind
/// or another); every other file is extracted first.
pub fn shown_as_read(file_type: &str) -> bool {
    matches!(
        file_type,
        "text" | "txt" | "md" | "json" | "xml" | "log" | "ics" | "vcf"
    )
}

/// Labels for the metadata extraction gives, in the order shown.
const META_LABELS: &[(&str, &str)] = &[
    ("from", "From"),
    ("to", "To"),
    ("cc", "Cc"),
    ("date", "Date"),
    ("message id", "Message-ID"),
    ("attachments", "Attachments"),
    ("files", "Files"),
    ("unpacked", "Unpacked"),
    ("title", "Title"),
    ("subject", "Subject"),
    ("author", "Author"),
    ("creator", "Creator"),
    ("last modified by", "Modified by"),
    ("company", "Company"),
    ("manager", "Manager"),
    ("created", "Created"),
    ("modified", "Modified"),
    ("last printed", "Printed"),
    ("revision", "Revision"),
    ("editing time", "Edit time"),
    ("application", "Application"),
    ("application version", "App version"),
    ("producer", "Producer"),
    ("version", "PDF version"),
    ("pages", "Pages"),
    ("words", "Words"),
    ("sheets", "Sheets"),
    ("rows", "Rows"),
    ("keywords", "Keywords"),
    ("description", "Description"),
    ("xmp title", "XMP title"),
    ("xmp author", "XMP author"),
    ("xmp application", "XMP app"),
    ("xmp producer", "XMP producer"),
    ("xmp created", "XMP created"),
    ("xmp modified", "XMP modified"),
    ("xmp metadata date", "XMP meta date"),
    ("xmp keywords", "XMP keywords"),
    ("xmp document id", "XMP doc ID"),
    ("xmp agrees", "XMP agrees"),
    ("metadata conflict", "Conflict"),
    ("charset", "Charset"),
];

/// The preview of a file of the dump from what extracting it gave
/// (`None`: not yet).
pub fn extracted_preview(
    doc: &Document,
    outcome: Option<&crate::extract::cache::Outcome>,
) -> Preview {
    let kind = match outcome {
        Some(Ok(x)) if !x.kind.is_empty() => x.kind.clone(),
        _ => doc.file_type().to_string(),
    };
    let mut headers = file_headers(doc, &kind);
    let (body, notice) = match outcome {
        None => (Vec::new(), Some("extracting the text…".to_string())),
        Some(Err(why)) => (Vec::new(), Some(format!("no text: {}", sanitize(why)))),
        Some(Ok(x)) => {
            for (key, label) in META_LABELS {
                for (_, value) in x.meta.iter().filter(|(k, _)| k == key) {
                    headers.push((label, sanitize(value).into_owned()));
                }
            }
            let tabular = matches!(
                x.kind.as_str(),
                "csv" | "tsv" | "xlsx" | "xls" | "ods" | "zip"
            );
            let mut body = if tabular {
                table_lines(&x.text)
            } else {
                sanitize_text(&x.text)
            };
            if body.len() > MAX_BODY_LINES {
                let more = body.len() - MAX_BODY_LINES;
                body.truncate(MAX_BODY_LINES);
                body.push(format!("[… {more} more lines not shown]"));
            }
            let notice = if x.truncated {
                Some("only the start of the text is shown (extraction limit)".to_string())
            } else if x.text.trim().is_empty() {
                Some("no text in this file (a scan or pictures?)".to_string())
            } else {
                None
            };
            (body, notice)
        }
    };
    Preview {
        headers,
        body,
        attachments: Vec::new(),
        notice,
    }
}

/// Tab-separated rows as a table: each column as wide as its widest cell
/// in the first rows (at most 30 columns of text), cells cut to fit.
fn table_lines(text: &str) -> Vec<String> {
    use unicode_width::UnicodeWidthStr;
    const MAX_COL: usize = 30;
    let rows: Vec<Vec<String>> = text
        .lines()
        .take(MAX_BODY_LINES + 1)
        .map(|l| l.split('\t').map(|c| sanitize(c).into_owned()).collect())
        .collect();
    let mut widths: Vec<usize> = Vec::new();
    for row in rows.iter().take(200) {
        for (i, cell) in row.iter().enumerate() {
            let w = cell.width().min(MAX_COL);
            match widths.get_mut(i) {
                Some(x) => *x = (*x).max(w),
                None => widths.push(w),
            }
        }
    }
    rows.iter()
        .map(|row| {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate() {
                let w = widths.get(i).copied().unwrap_or(MAX_COL);
                let cell = fit(cell, w);
                line.push_str(&cell);
                if i + 1 < row.len() {
                    line.push_str(&" ".repeat(w.saturating_sub(cell.width()) + 2));
                }
            }
            line.trim_end().to_string()
        })
        .collect()
}

/// Cut `s` to at most `width` display columns, marking the cut with `…`.
pub fn fit(s: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let total: usize = s.chars().map(|c| c.width().unwrap_or(0)).sum();
    if total <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// `1.2 MB`, `340 KB`, `12 B`.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_only_mail_becomes_readable_text() {
        let raw = b"From: a@x.example\r\nSubject: news\r\nContent-Type: text/html\r\n\r\n<html><body><p>Hello <b>world</b></p><script>x</script></body></html>\r\n";
        let p = mail_preview(raw, 60, &|_| Vec::new());
        let body = p.body.join("\n");
        assert!(body.contains("Hello world"), "{body:?}");
        assert!(!body.contains("<b>") && !body.contains("script"));
    }

    #[test]
    fn html_links_are_listed_and_deep_nesting_falls_back_safely() {
        let text = html_to_text(
            "<p>See <a href=\"https://x.example/pay\">this</a></p><p>Next</p>",
            60,
        );
        assert!(text.contains("https://x.example/pay"), "{text}");
        assert!(text.contains("Next"));
        let deep = format!(
            "{}bottom{}",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        );
        assert!(nesting_depth(&deep) > MAX_HTML_DEPTH);
        assert!(html_to_text(&deep, 60).contains("bottom"));
    }

    #[test]
    fn escape_sequences_in_headers_and_body_are_neutralised() {
        let raw = b"From: \x1b[31mEvil <e@x.example>\r\nSubject: hi\x1b]52;c;AAAA\x07\r\n\r\nbody \x1b[2J here\r\n";
        let p = mail_preview(raw, 60, &|_| Vec::new());
        for (_, v) in &p.headers {
            assert!(!v.contains('\u{1b}'), "{v:?}");
        }
        assert!(p.body.iter().all(|l| !l.contains('\u{1b}')));
    }

    #[test]
    fn sizes_are_human() {
        assert_eq!(human_size(12), "12 B");
        assert_eq!(human_size(340_000), "340.0 KB");
    }
}
