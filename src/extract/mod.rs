//! Text and metadata out of the documents in a dump: office files, PDFs,
//! spreadsheets, RTF, HTML, CSV and plain text in any common charset.
//!
//! The format is decided by content (magic bytes, the parts inside a ZIP or
//! compound file), the name only breaking ties. Each format is read by a
//! maintained crate (zip and quick-xml for OOXML and ODF, calamine for
//! spreadsheets, pdf-extract and lopdf for PDF, rtf-parser, html2text,
//! chardetng and `encoding_rs` for text); what is here is glue and limits.
//!
//! Dumps are hostile: every extraction is bounded in input size, output
//! size and decompressed size, a panic inside a format crate is caught and
//! reported as that document's error, and [`worker::extract_isolated`]
//! runs each in a child process with a memory cap, killed when it runs
//! too long (in-process, [`extract_bounded`] gives up waiting instead).

pub mod cache;
mod doc;
mod msg;
mod office;
mod ole_props;
mod pdf;
mod plain;
mod sheet;
pub mod worker;
mod xmp;

pub use sheet::MAX_CELLS;

use std::io::Read;
use std::time::Duration;

/// Most bytes of a document handed to an extractor.
pub const MAX_INPUT_BYTES: usize = 64 << 20;
/// Most text kept from one document.
pub const MAX_TEXT_BYTES: usize = 8 << 20;
/// Most bytes decompressed from one part of an archive (a ZIP bomb stops
/// here), and from all parts together.
pub const MAX_PART_BYTES: u64 = 64 << 20;
pub const MAX_UNPACKED_BYTES: u64 = 256 << 20;
/// Most parts read from one archive.
pub const MAX_PARTS: usize = 10_000;
/// Longest one extraction may take before it is given up.
pub const MAX_TIME: Duration = Duration::from_secs(10);

/// What a document is, by content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Kind {
    Pdf,
    Docx,
    Xlsx,
    Pptx,
    Odt,
    Ods,
    Odp,
    /// Legacy binary Word (compound file).
    Doc,
    /// Legacy binary Excel (compound file), read by calamine.
    Xls,
    /// An Outlook message (compound file).
    Msg,
    /// Another compound file.
    Cfb,
    Zip,
    Rtf,
    Html,
    Csv,
    Tsv,
    Text,
    Binary,
}

impl Kind {
    /// A short name, as the type column shows it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Pdf => "pdf",
            Kind::Docx => "docx",
            Kind::Xlsx => "xlsx",
            Kind::Pptx => "pptx",
            Kind::Odt => "odt",
            Kind::Ods => "ods",
            Kind::Odp => "odp",
            Kind::Doc => "doc",
            Kind::Xls => "xls",
            Kind::Msg => "msg",
            Kind::Cfb => "compound file",
            Kind::Zip => "zip",
            Kind::Rtf => "rtf",
            Kind::Html => "html",
            Kind::Csv => "csv",
            Kind::Tsv => "tsv",
            Kind::Text => "text",
            Kind::Binary => "binary",
        }
    }
}

/// What came out of a document.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Extracted {
    /// The type by content (`pdf`, `docx` …).
    pub kind: String,
    /// The text, lines separated by `\n`; a table's cells by `\t`.
    pub text: String,
    /// The format's own metadata, in the order the format gives it:
    /// `("creator", "Jane Doe")`, `("modified", "2017-03-02T10:00:00Z")` …
    pub meta: Vec<(String, String)>,
    /// The text was cut at [`MAX_TEXT_BYTES`].
    pub truncated: bool,
}

impl Extracted {
    /// The metadata value for `key`, if the format gave one.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Author-like metadata (creator, last modified by, author, company;
    /// an Outlook message's sender), for searching.
    pub fn people(&self) -> String {
        let mut out = String::new();
        for (k, v) in &self.meta {
            if matches!(
                k.as_str(),
                "creator"
                    | "last modified by"
                    | "author"
                    | "xmp author"
                    | "company"
                    | "manager"
                    | "from"
            ) {
                out.push_str(v);
                out.push('\n');
            }
        }
        out
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ExtractError {
    #[error("{0} files have no text to show")]
    NoText(&'static str),
    #[error("not readable as {0}: {1}")]
    Damaged(&'static str, String),
    #[error("too large to read ({0} MB; the limit is {1} MB)")]
    TooLarge(u64, u64),
    #[error("gave up after {0} s")]
    TimedOut(u64),
    #[error("the {0} reader failed on this file ({1})")]
    Crashed(&'static str, String),
}

/// What `bytes` (named `name` in the dump) are, by content.
pub fn sniff(bytes: &[u8], name: &str) -> Kind {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if bytes.starts_with(b"%PDF-") || (bytes.len() > 1024 && find(&bytes[..1024], b"%PDF-")) {
        return Kind::Pdf;
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return office::zip_kind(bytes);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return office::cfb_kind(bytes, &ext);
    }
    if bytes.starts_with(b"{\\rtf") {
        return Kind::Rtf;
    }
    let head = &bytes[..bytes.len().min(1024)];
    if plain::looks_binary(head) {
        return Kind::Binary;
    }
    let lower = String::from_utf8_lossy(head).to_ascii_lowercase();
    let start = lower.trim_start_matches('\u{feff}').trim_start();
    if start.starts_with("<!doctype html")
        || start.starts_with("<html")
        || ext == "html"
        || ext == "htm"
    {
        return Kind::Html;
    }
    match ext.as_str() {
        "csv" => Kind::Csv,
        "tsv" | "tab" => Kind::Tsv,
        _ => Kind::Text,
    }
}

/// A metadata date as the formats write them: `2017-03-02T09:00:00Z`,
/// `2017-03-02T09:00:00.5+01:00`, `2017-03-02T09:00:00` (taken as UTC),
/// `2017-03-02 09:00:00 UTC`, `2017-03-02 09:00:00 +01:00`,
/// `2017-03-02T10:00+01:00` (XMP without seconds); seconds since 1970.
pub fn meta_date(s: &str) -> Option<i64> {
    use chrono::{DateTime, NaiveDateTime};
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp());
    }
    if let Ok(t) = DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S %:z") {
        return Some(t.timestamp());
    }
    let naive = s.strip_suffix(" UTC").unwrap_or(s);
    if let Ok(t) = DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M%:z") {
        return Some(t.timestamp());
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(naive, format) {
            return Some(t.and_utc().timestamp());
        }
    }
    None
}

/// The little-endian `u16` / `u32` at `at`, if the bytes are there (the
/// binary formats read here are all little-endian).
fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        b.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

fn find(hay: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(hay, needle).is_some()
}

/// The first `max` bytes of a text file as text, the charset read, and
/// whether it is the one `declared` (an attachment's MIME label): a BOM
/// says it; else UTF-8 if valid (a character cut at `max` does not count
/// against it); else the declared charset if it is a known one; else the
/// most likely legacy charset.
pub fn decode_text(
    bytes: &[u8],
    max: usize,
    declared: Option<&str>,
) -> (String, &'static str, bool) {
    let mut shown = &bytes[..bytes.len().min(max)];
    if shown.len() < bytes.len() {
        if let Err(e) = std::str::from_utf8(shown) {
            if e.error_len().is_none() {
                shown = &shown[..e.valid_up_to()];
            }
        }
    }
    let label = declared.and_then(|l| encoding_rs::Encoding::for_label(l.trim().as_bytes()));
    let has_bom = encoding_rs::Encoding::for_bom(shown).is_some();
    match label {
        Some(encoding) if !has_bom && std::str::from_utf8(shown).is_err() => {
            let (text, _, _) = encoding.decode(shown);
            (text.into_owned(), encoding.name(), true)
        }
        _ => {
            let (text, name) = plain::decode(shown);
            (text, name, false)
        }
    }
}

/// Extract text and metadata from `bytes`, named `name` in the dump. A
/// panic inside a format's crate becomes [`ExtractError::Crashed`].
pub fn extract(bytes: &[u8], name: &str) -> Result<Extracted, ExtractError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(ExtractError::TooLarge(
            bytes.len() as u64 >> 20,
            MAX_INPUT_BYTES as u64 >> 20,
        ));
    }
    let kind = sniff(bytes, name);
    let run = || -> Result<Extracted, ExtractError> {
        let mut out = match kind {
            Kind::Pdf => pdf::extract(bytes)?,
            Kind::Docx | Kind::Pptx | Kind::Odt | Kind::Odp => office::extract(bytes, kind)?,
            Kind::Xlsx | Kind::Ods => sheet::extract(bytes, kind)?,
            Kind::Xls => {
                let mut x = sheet::extract(bytes, kind)?;
                x.meta.extend(ole_props::of_bytes(bytes));
                x
            }
            Kind::Doc => doc::extract(bytes)?,
            Kind::Rtf => plain::rtf(bytes)?,
            Kind::Html => plain::html(bytes),
            Kind::Csv => plain::table(bytes, b','),
            Kind::Tsv => plain::table(bytes, b'\t'),
            Kind::Text => plain::text(bytes),
            Kind::Msg => msg::extract(bytes)?,
            Kind::Zip => office::zip_listing(bytes)?,
            Kind::Cfb | Kind::Binary => return Err(ExtractError::NoText(kind.name())),
        };
        out.kind = kind.name().to_string();
        clip(&mut out);
        Ok(out)
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(result) => result,
        Err(panic) => {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".into());
            Err(ExtractError::Crashed(
                kind.name(),
                crate::model::prefix_within(&why, 200).to_string(),
            ))
        }
    }
}

/// [`extract`] on a thread of its own, given up after `limit` (the thread
/// is left to finish on its own; its result is dropped).
pub fn extract_bounded(
    bytes: Vec<u8>,
    name: String,
    limit: Duration,
) -> Result<Extracted, ExtractError> {
    quiet_panics();
    let (tx, rx) = std::sync::mpsc::channel();
    // A big stack: format crates recurse into nested objects.
    let spawned = std::thread::Builder::new()
        .name(EXTRACT_THREAD.into())
        .stack_size(64 << 20)
        .spawn(move || {
            let _ = tx.send(extract(&bytes, &name));
        });
    if spawned.is_err() {
        return Err(ExtractError::Crashed("extraction", "no thread".into()));
    }
    rx.recv_timeout(limit)
        .unwrap_or(Err(ExtractError::TimedOut(limit.as_secs())))
}

const EXTRACT_THREAD: &str = "extract";

/// A panic in an extraction thread is caught and reported as that
/// document's error; its message must not reach the terminal (the
/// full-screen view would be scribbled over). Other panics are reported
/// as before.
fn quiet_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() != Some(EXTRACT_THREAD) {
                previous(info);
            }
        }));
    });
}

/// Cut the text at [`MAX_TEXT_BYTES`] (on a character boundary).
fn clip(out: &mut Extracted) {
    if out.text.len() > MAX_TEXT_BYTES {
        let keep = crate::model::prefix_within(&out.text, MAX_TEXT_BYTES).len();
        out.text.truncate(keep);
        out.truncated = true;
    }
}

/// Read at most `max` bytes from `reader`; `Err` names the part that was
/// larger (a decompression bomb, or just too big).
fn read_bounded(reader: impl Read, max: u64, part: &str) -> Result<Vec<u8>, ExtractError> {
    let mut out = Vec::new();
    reader
        .take(max + 1)
        .read_to_end(&mut out)
        .map_err(|e| ExtractError::Damaged("archive", format!("{part}: {e}")))?;
    if out.len() as u64 > max {
        return Err(ExtractError::TooLarge(out.len() as u64 >> 20, max >> 20));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_date_formats_metadata_uses_are_read() {
        let t = 1_488_445_200; // 2017-03-02 09:00:00 UTC
        assert_eq!(meta_date("2017-03-02T09:00:00Z"), Some(t));
        assert_eq!(meta_date("2017-03-02T10:00:00+01:00"), Some(t));
        assert_eq!(meta_date("2017-03-02T10:00+01:00"), Some(t));
        assert_eq!(meta_date("2017-03-02T09:00:00.25"), Some(t));
        assert_eq!(meta_date("2017-03-02 09:00:00 UTC"), Some(t));
        assert_eq!(meta_date("2017-03-02 10:00:00 +01:00"), Some(t));
        assert_eq!(meta_date("yesterday"), None);
    }
}
