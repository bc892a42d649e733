//! PDF: the text with pdf-extract, the document information dictionary
//! (author, creator, producer, dates) and the XMP metadata packet with
//! lopdf.

use std::fmt::Write as _;

use super::{ExtractError, Extracted};

pub fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let text = pdf_extract::extract_text_from_mem(bytes)
        .map_err(|e| ExtractError::Damaged("PDF", e.to_string()))?;
    Ok(Extracted {
        text,
        meta: info(bytes),
        ..Extracted::default()
    })
}

/// The document information dictionary, under common names.
fn info(bytes: &[u8]) -> Vec<(String, String)> {
    let Ok(doc) = lopdf::Document::load_mem(bytes) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    out.push(("version".to_string(), doc.version.clone()));
    if let Ok(pages) = u32::try_from(doc.get_pages().len()) {
        out.push(("pages".into(), pages.to_string()));
    }
    let dict = doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| match o {
            lopdf::Object::Reference(id) => doc.get_object(*id).ok(),
            other => Some(other),
        })
        .and_then(|o| o.as_dict().ok());
    if let Some(dict) = dict {
        info_fields(dict, &mut out);
    }
    if let Some(packet) = xmp_packet(&doc) {
        super::xmp::merge(&mut out, super::xmp::properties(&packet));
    }
    out
}

/// Most bytes of an XMP packet read (inflated).
const MAX_XMP: u64 = 1 << 20;

/// The catalog's `/Metadata` stream, inflated within [`MAX_XMP`]; `None`
/// when there is none or it uses a filter other than Flate.
fn xmp_packet(doc: &lopdf::Document) -> Option<Vec<u8>> {
    use std::io::Read;
    let catalog = doc.catalog().ok()?;
    let (_, object) = doc.dereference(catalog.get(b"Metadata").ok()?).ok()?;
    let stream = object.as_stream().ok()?;
    let filters: Vec<&[u8]> = match stream.dict.get(b"Filter") {
        Err(_) => Vec::new(),
        Ok(lopdf::Object::Name(n)) => vec![n.as_slice()],
        Ok(lopdf::Object::Array(a)) => a.iter().filter_map(|o| o.as_name().ok()).collect(),
        Ok(_) => return None,
    };
    let mut out = Vec::new();
    match filters.as_slice() {
        [] => out.extend_from_slice(&stream.content[..stream.content.len().min(MAX_XMP as usize)]),
        [b"FlateDecode"] => {
            flate2::read::ZlibDecoder::new(stream.content.as_slice())
                .take(MAX_XMP)
                .read_to_end(&mut out)
                .ok()?;
        }
        _ => return None,
    }
    Some(out)
}

fn info_fields(dict: &lopdf::Dictionary, out: &mut Vec<(String, String)>) {
    let fields: [(&[u8], &str); 8] = [
        (b"Title", "title"),
        (b"Subject", "subject"),
        (b"Author", "author"),
        (b"Keywords", "keywords"),
        (b"Creator", "application"),
        (b"Producer", "producer"),
        (b"CreationDate", "created"),
        (b"ModDate", "modified"),
    ];
    for (key, name) in fields {
        let Ok(lopdf::Object::String(raw, _)) = dict.get(key) else {
            continue;
        };
        let value = text_string(raw);
        let value = if name == "created" || name == "modified" {
            pdf_date(&value).unwrap_or(value)
        } else {
            value
        };
        let value = value.trim().to_string();
        if !value.is_empty() {
            out.push((
                name.to_string(),
                crate::model::prefix_within(&value, 2000).to_string(),
            ));
        }
    }
}

/// A PDF text string: UTF-16BE with a BOM, UTF-8 with one, else
/// `PDFDocEncoding` (Latin-1 for what matters here).
fn text_string(raw: &[u8]) -> String {
    if let Some(rest) = raw.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = raw.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    raw.iter().map(|&b| char::from(b)).collect()
}

/// `D:20170301100000+01'00'` as `2017-03-01 10:00:00 +01:00`.
fn pdf_date(s: &str) -> Option<String> {
    let d = s.strip_prefix("D:").unwrap_or(s);
    let digits: String = d.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() < 4 {
        return None;
    }
    let part = |a: usize, b: usize, default: &str| digits.get(a..b).unwrap_or(default).to_string();
    let mut out = format!(
        "{}-{}-{} {}:{}:{}",
        part(0, 4, "0000"),
        part(4, 6, "01"),
        part(6, 8, "01"),
        part(8, 10, "00"),
        part(10, 12, "00"),
        part(12, 14, "00")
    );
    let zone = &d[digits.len()..];
    if zone.starts_with('Z') {
        out.push_str(" UTC");
    } else if let Some(sign) = zone.chars().next().filter(|c| *c == '+' || *c == '-') {
        let z: String = zone[1..].chars().filter(char::is_ascii_digit).collect();
        let _ = write!(
            out,
            " {sign}{}:{}",
            z.get(0..2).unwrap_or("00"),
            z.get(2..4).unwrap_or("00")
        );
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_strings_are_readable() {
        assert_eq!(
            pdf_date("D:20170301100000+01'00'").as_deref(),
            Some("2017-03-01 10:00:00 +01:00")
        );
        assert_eq!(pdf_date("D:2017").as_deref(), Some("2017-01-01 00:00:00"));
        assert_eq!(
            pdf_date("D:20170301120000Z").as_deref(),
            Some("2017-03-01 12:00:00 UTC")
        );
        assert_eq!(pdf_date("garbage"), None);
        assert_eq!(text_string(b"\xfe\xff\x00R\x00\xe9"), "Ré");
        assert_eq!(text_string(b"Ren\xe9e"), "Renée");
    }
}
