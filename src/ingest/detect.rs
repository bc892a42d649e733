//! Decide what a file is from its first bytes (and, only as a tie-breaker,
//! its name): an mbox, a single RFC 822 message, or some other document.

use std::path::Path;

use super::limits::SNIFF_BYTES;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Mbox,
    Message,
    Other,
}

/// Header names that only e-mail starts with. A file whose first header
/// line is one of these (or which has several header lines including one
/// of these) is taken as a message.
const MAIL_HEADERS: &[&str] = &[
    "from",
    "to",
    "cc",
    "date",
    "subject",
    "message-id",
    "received",
    "return-path",
    "delivered-to",
    "mime-version",
    "x-mailer",
    "reply-to",
    "in-reply-to",
    "references",
    "sender",
    "dkim-signature",
    "x-original-to",
    "content-type",
    "thread-topic",
    "x-from",
];

pub fn detect(path: &Path, head: &[u8]) -> FileFormat {
    if is_mbox_separator(first_line(head)) {
        return FileFormat::Mbox;
    }
    if looks_like_message(head) {
        return FileFormat::Message;
    }
    let ext = extension(path);
    if ext == "eml" && !head.is_empty() && !is_binary(head) {
        return FileFormat::Message;
    }
    if ext == "mbox" && head.is_empty() {
        return FileFormat::Mbox;
    }
    FileFormat::Other
}

/// The mboxo/mboxrd separator: `From <sender> <asctime date>`, e.g.
/// `From user@domain  Fri Feb 22 17:06:23 2008`. Requiring a time and a
/// year keeps prose such as "From the desk of…" from splitting a message;
/// the caller also requires a blank line (or the file start) before it.
pub fn is_mbox_separator(line: &[u8]) -> bool {
    if !line.starts_with(b"From ") || line.len() > 1000 {
        return false;
    }
    let text = String::from_utf8_lossy(&line[5..]);
    let mut words = text.split_whitespace();
    if words.next().is_none() {
        return false;
    }
    let (mut time, mut year) = (false, false);
    for w in words {
        let b = w.as_bytes();
        time |=
            b.len() >= 4 && b.iter().all(|c| c.is_ascii_digit() || *c == b':') && b.contains(&b':');
        year |= b.len() == 4 && b.iter().all(u8::is_ascii_digit);
    }
    time && year
}

fn first_line(head: &[u8]) -> &[u8] {
    let end = head.iter().position(|&b| b == b'\n').unwrap_or(head.len());
    head[..end].strip_suffix(b"\r").unwrap_or(&head[..end])
}

/// A message starts with a block of header lines (`Name: value`, folded
/// continuations) ended by a blank line, with at least one header only mail
/// has. Prose never passes: its first line has spaces before any colon.
fn looks_like_message(head: &[u8]) -> bool {
    let mut known = 0;
    let mut lines = 0;
    // Sloppy writers leave blank space before the first header.
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let head = &head[start..];
    let cut_short = head.len() + start >= SNIFF_BYTES;
    let mut segments = head.split(|&b| b == b'\n').peekable();
    while let Some(line) = segments.next() {
        if cut_short && segments.peek().is_none() {
            break; // the sniffed bytes end mid-line
        }
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            return known >= 1;
        }
        if line[0] == b' ' || line[0] == b'\t' {
            if lines == 0 {
                return false;
            }
            continue; // folded continuation
        }
        // A header block that runs into the body without a blank line
        // (a known writer bug) still counts once enough mail headers were seen.
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            return known >= 3;
        };
        let name = &line[..colon];
        if name.is_empty() || !name.iter().all(u8::is_ascii_graphic) {
            return known >= 3;
        }
        lines += 1;
        let name = String::from_utf8_lossy(name).to_ascii_lowercase();
        if MAIL_HEADERS.contains(&name.as_str()) {
            known += 1;
        }
    }
    // The sniffed head ended inside the header block (or the file has no body).
    known >= 2 || (known >= 1 && head.len() < SNIFF_LIMIT_HINT)
}

/// Below this size a file that is all headers is a (body-less) message.
const SNIFF_LIMIT_HINT: usize = 4096;

fn is_binary(head: &[u8]) -> bool {
    head.contains(&0)
}

pub fn extension(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// A short type for non-mail files: by magic bytes first, then extension.
pub fn file_type(path: &Path, head: &[u8]) -> String {
    let ext = extension(path);
    let by_magic = if head.starts_with(b"%PDF") {
        Some("pdf")
    } else if head.starts_with(b"PK\x03\x04") {
        match ext.as_str() {
            "docx" | "xlsx" | "pptx" | "odt" | "ods" | "odp" | "epub" | "jar" => None,
            _ => Some("zip"),
        }
    } else if head.starts_with(&[0xd0, 0xcf, 0x11, 0xe0]) {
        match ext.as_str() {
            "msg" | "doc" | "xls" | "ppt" => None,
            _ => Some("ole"),
        }
    } else if head.starts_with(b"\x89PNG") {
        Some("png")
    } else if head.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("jpeg")
    } else if head.starts_with(b"{\\rtf") {
        Some("rtf")
    } else {
        None
    };
    match (by_magic, ext.is_empty()) {
        (Some(t), _) => t.to_string(),
        (None, false) => ext,
        (None, true) if is_binary(head) => "binary".to_string(),
        (None, true) => "text".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enron_style_file_without_extension_is_a_message() {
        let head = b"Message-ID: <1.JavaMail.evans@thyme>\nDate: Mon, 14 May 2001 16:39:00 -0700 (PDT)\nFrom: a@enron.com\n\nbody";
        assert_eq!(
            detect(Path::new("maildir/x/inbox/1"), head),
            FileFormat::Message
        );
    }

    #[test]
    fn mbox_separator_first_is_an_mbox() {
        let head = b"From user@domain  Fri Feb 22 17:06:23 2008\nMessage-ID: <a@b>\n\nbody\n";
        assert_eq!(detect(Path::new("x"), head), FileFormat::Mbox);
        assert!(is_mbox_separator(b"From mboxrd@z Thu Jan  1 00:00:00 1970"));
    }

    #[test]
    fn prose_and_csv_are_not_mail() {
        assert_eq!(
            detect(Path::new("a.csv"), b"date;amount;donor\n2017-03-01;100;X\n"),
            FileFormat::Other
        );
        assert_eq!(
            detect(
                Path::new("notes.txt"),
                b"From the desk of the treasurer\nhello"
            ),
            FileFormat::Other
        );
        assert_eq!(detect(Path::new("a.pdf"), b"%PDF-1.4\n"), FileFormat::Other);
        assert_eq!(
            detect(Path::new("n.txt"), b"Dear all: see below\n\nthanks"),
            FileFormat::Other
        );
    }

    #[test]
    fn bare_mime_entity_is_a_message() {
        let head = b"Content-Type: multipart/mixed; boundary=ABCDE\n\n--ABCDE\n";
        assert_eq!(detect(Path::new("msg_37.txt"), head), FileFormat::Message);
    }

    #[test]
    fn file_types_by_magic_then_extension() {
        assert_eq!(file_type(Path::new("x.bin"), b"%PDF-1.7"), "pdf");
        assert_eq!(file_type(Path::new("x.docx"), b"PK\x03\x04"), "docx");
        assert_eq!(file_type(Path::new("x"), b"PK\x03\x04"), "zip");
        assert_eq!(file_type(Path::new("README"), b"hello"), "text");
    }
}
