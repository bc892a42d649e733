//! Text-like formats: plain text in any common charset, HTML, CSV/TSV as a
//! table, RTF.

use super::{ExtractError, Extracted};

/// Control bytes other than tab, newline, carriage return, form feed and
/// escape mean a binary file (NUL alone is enough: UTF-16 text has BOMs).
pub fn looks_binary(head: &[u8]) -> bool {
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return false;
    }
    let odd = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B))
        .count();
    head.contains(&0) || odd * 20 > head.len().max(1)
}

/// Bytes as text: a BOM says the encoding; else UTF-8 if it is valid; else
/// the most likely legacy encoding (chardetng).
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return (text.into_owned(), encoding.name());
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (text.to_string(), "UTF-8");
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Allow);
    let (text, _, _) = encoding.decode(bytes);
    (text.into_owned(), encoding.name())
}

pub fn text(bytes: &[u8]) -> Extracted {
    let (text, charset) = decode(bytes);
    Extracted {
        text: text.replace("\r\n", "\n"),
        meta: vec![("charset".into(), charset.into())],
        ..Extracted::default()
    }
}

pub fn html(bytes: &[u8]) -> Extracted {
    let (source, charset) = decode(bytes);
    let title = source
        .find("<title>")
        .and_then(|at| {
            let rest = &source[at + 7..];
            rest.find("</title>")
                .map(|end| rest[..end].trim().to_string())
        })
        .filter(|t| !t.is_empty() && t.len() < 1000);
    let mut meta = vec![("charset".to_string(), charset.to_string())];
    if let Some(title) = title {
        meta.push(("title".into(), title));
    }
    Extracted {
        text: crate::preview::html_to_text(&source, 100),
        meta,
        ..Extracted::default()
    }
}

/// The separator a CSV file uses: of `,` `;` `|` and tab, the one found
/// the same number of times (and at least once) on the most of its first
/// lines (European files use `;`, with `,` in the numbers).
pub fn sniff_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(20)
        .collect();
    let mut best = (0usize, 0usize, b',');
    for d in [b',', b';', b'\t', b'|'] {
        let counts: Vec<usize> = lines
            .iter()
            .map(|l| l.bytes().filter(|&b| b == d).count())
            .collect();
        let Some(&first) = counts.first().filter(|&&c| c > 0) else {
            continue;
        };
        let same = counts.iter().filter(|&&c| c == first).count();
        if (same, first) > (best.0, best.1) {
            best = (same, first, d);
        }
    }
    best.2
}

/// A CSV or TSV file: one row a line, cells separated by tabs (the preview
/// lines them up as a table). A CSV's separator is guessed from its lines.
pub fn table(bytes: &[u8], delimiter: u8) -> Extracted {
    let (source, charset) = decode(bytes);
    let delimiter = if delimiter == b',' {
        sniff_delimiter(&source)
    } else {
        delimiter
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(source.as_bytes());
    let mut text = String::new();
    let mut rows = 0usize;
    for record in reader.records() {
        let Ok(record) = record else {
            break;
        };
        let cells: Vec<String> = record
            .iter()
            .map(|c| c.replace(['\t', '\n', '\r'], " "))
            .collect();
        text.push_str(&cells.join("\t"));
        text.push('\n');
        rows += 1;
        if text.len() > super::MAX_TEXT_BYTES {
            break;
        }
    }
    Extracted {
        text,
        meta: vec![
            ("charset".into(), charset.into()),
            ("rows".into(), rows.to_string()),
        ],
        ..Extracted::default()
    }
}

/// Deepest `{ … }` nesting an RTF file may have (the parser recurses).
const MAX_RTF_DEPTH: usize = 200;

pub fn rtf(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let (source, _) = decode(bytes);
    let mut depth = 0usize;
    for b in source.bytes() {
        match b {
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > MAX_RTF_DEPTH {
            return Err(ExtractError::Damaged(
                "RTF",
                format!("groups nested deeper than {MAX_RTF_DEPTH}"),
            ));
        }
    }
    let tokens = rtf_parser::lexer::Lexer::scan(&source)
        .map_err(|e| ExtractError::Damaged("RTF", format!("{e:?}")))?;
    let document = rtf_parser::parser::Parser::new(tokens)
        .parse()
        .map_err(|e| ExtractError::Damaged("RTF", format!("{e:?}")))?;
    Ok(Extracted {
        text: document.get_text(),
        ..Extracted::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charsets_are_recognised() {
        let latin1 = b"R\xe9union budget \xe0 Lyon, d\xe9cid\xe9e par le comit\xe9";
        let (text, charset) = decode(latin1);
        assert!(
            text.starts_with("Réunion budget à Lyon"),
            "{text} ({charset})"
        );
        let (text, charset) = decode(b"\xff\xfeh\0i\0");
        assert_eq!((text.as_str(), charset), ("hi", "UTF-16LE"));
        assert_eq!(decode("déjà".as_bytes()).1, "UTF-8");
        assert!(looks_binary(b"\x00\x01\x02abc"));
        assert!(!looks_binary(b"plain text\r\nline two\t\x0c"));
    }

    #[test]
    fn csv_becomes_rows_of_cells() {
        let t = table(
            b"name,amount\n\"Roux, Imprimerie\",\"4 320,00\"\nshort\n",
            b',',
        );
        assert_eq!(t.text, "name\tamount\nRoux, Imprimerie\t4 320,00\nshort\n");
        assert_eq!(t.get("rows"), Some("3"));
    }
}
