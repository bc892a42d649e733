//! Reading a colleague's export back: CSV or JSON lines, told apart by the
//! first character (`{` starts JSON lines). Every row is checked before
//! anything is merged, so a damaged file changes nothing and the error
//! names its line.

use serde::Deserialize;

use super::{parse_rfc3339, split_tags, ShareError};
use crate::model::Sha256;

/// One row of a file to import, checked: what a merge needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedRow {
    /// Line of the file the row starts on (1 is the first).
    pub line: u64,
    pub hash: Sha256,
    pub message_id: Option<String>,
    /// The location in the exporter's dump, to name the row in reports.
    pub path: String,
    pub tags: Vec<String>,
    pub notes: Vec<SharedNoteIn>,
    pub read: bool,
}

/// A note of a row to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedNoteIn {
    pub author: String,
    pub text: String,
    /// Seconds since the epoch.
    pub updated: i64,
}

/// A row as written, before checking; absent fields are allowed (a CSV
/// edited in a spreadsheet may lose columns), except the hash.
#[derive(Deserialize)]
struct RawRow {
    sha256: String,
    message_id: Option<String>,
    path: Option<String>,
    tags: Option<Vec<String>>,
    notes: Option<Vec<RawNote>>,
    read: Option<bool>,
}

#[derive(Deserialize)]
struct RawNote {
    author: String,
    text: String,
    updated: String,
}

/// Every row of `bytes`, a CSV or JSON-lines export.
pub fn read_rows(bytes: &[u8]) -> Result<Vec<SharedRow>, ShareError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        None => Ok(Vec::new()),
        Some(b'{') => read_jsonl(bytes),
        Some(_) => read_csv(bytes),
    }
}

fn bad(line: u64, reason: impl Into<String>) -> ShareError {
    ShareError::Bad {
        line,
        reason: reason.into(),
    }
}

fn read_jsonl(bytes: &[u8]) -> Result<Vec<SharedRow>, ShareError> {
    let mut rows = Vec::new();
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let n = i as u64 + 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let raw: RawRow = serde_json::from_slice(line).map_err(|e| bad(n, json_reason(&e)))?;
        rows.push(checked(n, raw)?);
    }
    Ok(rows)
}

/// `serde_json`'s message without its ` at line 1 column 9` (each line is
/// parsed alone, so its line is always 1): the column is said instead.
fn json_reason(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let message = text
        .rsplit_once(" at line ")
        .map_or(text.as_str(), |(m, _)| m);
    format!("not a trawl export row (column {}): {message}", e.column())
}

/// The field separator of a CSV file: `,` as trawl writes it, or the `;`
/// or tab a spreadsheet may have saved it with (whichever makes a
/// `sha256` column of the header).
fn delimiter(bytes: &[u8]) -> u8 {
    let header = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    [b',', b';', b'\t']
        .into_iter()
        .find(|&d| {
            header
                .split(|&b| b == d)
                .any(|f| matches!(f.trim_ascii(), b"sha256" | b"\"sha256\""))
        })
        .unwrap_or(b',')
}

fn read_csv(bytes: &[u8]) -> Result<Vec<SharedRow>, ShareError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(bytes))
        .from_reader(bytes);
    let header = reader.headers().map_err(|e| csv_error(&e))?.clone();
    let column = |name: &str| header.iter().position(|h| h.trim() == name);
    let Some(sha256) = column("sha256") else {
        return Err(bad(
            1,
            "not a trawl export: no sha256 column (a CSV export starts with the line \
             id,sha256,…; a JSON-lines export with {)",
        ));
    };
    let (message_id, path) = (column("message_id"), column("path"));
    let (tags, notes, read) = (column("tags"), column("notes"), column("read"));
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(&e))?;
        let n = record.position().map_or(0, csv::Position::line);
        let cell = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or_default();
        let notes = match cell(notes).trim() {
            "" => None,
            text => Some(
                serde_json::from_str(text)
                    .map_err(|e| bad(n, format!("notes column: {}", json_reason(&e))))?,
            ),
        };
        let raw = RawRow {
            sha256: cell(Some(sha256)).to_string(),
            message_id: Some(cell(message_id).to_string()),
            path: Some(cell(path).to_string()),
            tags: Some(split_tags(cell(tags))),
            notes,
            read: Some(parse_bool(cell(read)).ok_or_else(|| {
                bad(
                    n,
                    format!("read column: {:?} is not true or false", cell(read)),
                )
            })?),
        };
        rows.push(checked(n, raw)?);
    }
    Ok(rows)
}

/// `true`/`false` as written, or as a spreadsheet may rewrite them.
fn parse_bool(cell: &str) -> Option<bool> {
    match cell.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" => Some(true),
        "false" | "no" | "0" | "" => Some(false),
        _ => None,
    }
}

fn csv_error(e: &csv::Error) -> ShareError {
    let line = e.position().map_or(0, csv::Position::line);
    let reason = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("{len} fields where the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "not UTF-8 text".to_string(),
        _ => e.to_string(),
    };
    bad(line, reason)
}

fn checked(line: u64, raw: RawRow) -> Result<SharedRow, ShareError> {
    let hash = Sha256::from_hex(raw.sha256.trim()).ok_or_else(|| {
        bad(
            line,
            format!("sha256 {:?} is not 64 hex digits", raw.sha256),
        )
    })?;
    let mut notes = Vec::new();
    for note in raw.notes.unwrap_or_default() {
        let author = note.author.trim();
        if author.is_empty() {
            return Err(bad(line, "a note without an author"));
        }
        if note.text.trim().is_empty() {
            continue;
        }
        let updated = parse_rfc3339(&note.updated).ok_or_else(|| {
            bad(
                line,
                format!("note time {:?} is not RFC 3339", note.updated),
            )
        })?;
        notes.push(SharedNoteIn {
            author: author.to_string(),
            text: note.text,
            updated,
        });
    }
    Ok(SharedRow {
        line,
        hash,
        message_id: raw
            .message_id
            .map(|m| m.trim().to_string())
            .filter(|m| !m.is_empty()),
        path: raw.path.unwrap_or_default(),
        tags: raw
            .tags
            .unwrap_or_default()
            .into_iter()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect(),
        notes,
        read: raw.read.unwrap_or(false),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HASH: &str = "aa00000000000000000000000000000000000000000000000000000000000001";

    #[test]
    fn csv_and_jsonl_give_the_same_rows() {
        let csv = format!(
            "id,sha256,message_id,path,date,from,to,subject,tags,notes,read\n\
             x,{HASH},m@x,a.eml,,,,\"s, with comma\",verified;a\\;b,\
             \"[{{\"\"author\"\":\"\"ana\"\",\"\"text\"\":\"\"l1\\nl2\"\",\"\"updated\"\":\"\"2017-03-15T08:12:40Z\"\"}}]\",true\n"
        );
        let jsonl = format!(
            "{{\"sha256\":\"{HASH}\",\"message_id\":\"m@x\",\"path\":\"a.eml\",\
             \"tags\":[\"verified\",\"a;b\"],\"notes\":[{{\"author\":\"ana\",\
             \"text\":\"l1\\nl2\",\"updated\":\"2017-03-15T08:12:40Z\"}}],\"read\":true}}\n\n"
        );
        let a = read_rows(csv.as_bytes()).expect("rows");
        let b = read_rows(jsonl.as_bytes()).expect("rows");
        assert_eq!(a[0].line, 2);
        assert_eq!(b[0].line, 1);
        assert_eq!(
            (&a[0].tags, &a[0].notes, a[0].read),
            (&b[0].tags, &b[0].notes, b[0].read)
        );
        assert_eq!(a[0].notes[0].text, "l1\nl2");
        assert_eq!(a[0].notes[0].updated, 1_489_565_560);
    }

    #[test]
    fn a_spreadsheet_saving_with_semicolons_or_tabs_is_read() {
        for d in [";", "\t"] {
            let csv = format!("\"id\"{d}\"sha256\"{d}tags{d}read\nx{d}{HASH}{d}\"a\\;b\"{d}TRUE\n");
            let rows = read_rows(csv.as_bytes()).expect("rows");
            assert_eq!(rows[0].tags, ["a;b"], "{d:?}");
            assert!(rows[0].read);
        }
    }

    #[test]
    fn a_bad_row_names_its_line() {
        let jsonl = format!("{{\"sha256\":\"{HASH}\"}}\n{{\"sha256\":\"nope\"}}\n");
        let e = read_rows(jsonl.as_bytes())
            .expect_err("an error")
            .to_string();
        assert!(e.starts_with("line 2: sha256 \"nope\""), "{e}");
        let e = read_rows(b"{\"sha256\": 3\n")
            .expect_err("an error")
            .to_string();
        assert!(e.starts_with("line 1: not a trawl export row"), "{e}");
        assert!(!e.contains("at line"), "{e}");
        let csv = format!("sha256,read\n{HASH},true\n{HASH},maybe\n");
        let e = read_rows(csv.as_bytes()).expect_err("an error").to_string();
        assert!(e.starts_with("line 3: read column"), "{e}");
        let e = read_rows(b"name,age\nx,1\n")
            .expect_err("an error")
            .to_string();
        assert!(e.starts_with("line 1: not a trawl export"), "{e}");
        let csv = format!("sha256,read\n{HASH},true,extra\n");
        let e = read_rows(csv.as_bytes()).expect_err("an error").to_string();
        assert!(
            e.starts_with("line 2: 3 fields where the header has 2"),
            "{e}"
        );
    }
}
