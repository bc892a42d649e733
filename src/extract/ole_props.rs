//! The summary properties of a compound (OLE2) file: the author, last
//! author, dates, application and company that legacy Word, Excel and
//! `PowerPoint` files keep in their `\u{5}SummaryInformation` and
//! `\u{5}DocumentSummaryInformation` streams (MS-OLEPS property sets).
//! The cfb crate reads the streams; decoding the few property types these
//! streams use is the glue here.

use std::io::{Cursor, Read};

use super::{u16_at, u32_at};

/// Property ids of the summary information set and the keys they are
/// shown under (the same keys as OOXML's core properties).
const SUMMARY: &[(u32, &str)] = &[
    (2, "title"),
    (3, "subject"),
    (4, "creator"),
    (8, "last modified by"),
    (12, "created"),
    (13, "modified"),
    (11, "last printed"),
    (9, "revision"),
    (10, "editing time"),
    (18, "application"),
    (14, "pages"),
    (15, "words"),
    (5, "keywords"),
    (6, "description"),
];

/// The same for the document summary information set.
const DOCUMENT_SUMMARY: &[(u32, &str)] = &[(15, "company"), (14, "manager")];

/// Most bytes read from one property stream.
const MAX_STREAM: u64 = 1 << 20;
/// Longest value kept.
const MAX_VALUE: usize = 2000;

/// The summary properties of a compound file's bytes.
pub fn of_bytes(bytes: &[u8]) -> Vec<(String, String)> {
    match cfb::CompoundFile::open(Cursor::new(bytes)) {
        Ok(mut file) => summary(&mut file),
        Err(_) => Vec::new(),
    }
}

/// The summary properties of an open compound file, in a fixed order;
/// streams that are missing or damaged give nothing.
pub fn summary<F: Read + std::io::Seek>(file: &mut cfb::CompoundFile<F>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (stream, ids) in [
        ("/\u{5}SummaryInformation", SUMMARY),
        ("/\u{5}DocumentSummaryInformation", DOCUMENT_SUMMARY),
    ] {
        let Ok(s) = file.open_stream(stream) else {
            continue;
        };
        let mut bytes = Vec::new();
        if s.take(MAX_STREAM).read_to_end(&mut bytes).is_err() {
            continue;
        }
        let values = property_set(&bytes);
        for (id, key) in ids {
            if let Some((_, v)) = values.iter().find(|(pid, _)| pid == id) {
                let v = match (*key, v) {
                    ("editing time", Value::Time(t)) => minutes(*t),
                    (_, v) => v.to_string(),
                };
                let v = v.trim();
                if !v.is_empty() && v != "0" {
                    out.push((
                        (*key).to_string(),
                        crate::model::prefix_within(v, MAX_VALUE).to_string(),
                    ));
                }
            }
        }
    }
    out
}

#[derive(Debug, PartialEq)]
enum Value {
    Text(String),
    Int(i64),
    /// A FILETIME: 100 ns ticks since 1601-01-01 UTC.
    Time(u64),
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Text(s) => f.write_str(s),
            Value::Int(n) => write!(f, "{n}"),
            Value::Time(t) => f.write_str(&filetime(*t).unwrap_or_default()),
        }
    }
}

/// Seconds between 1601-01-01 and 1970-01-01.
const FILETIME_EPOCH: i64 = 11_644_473_600;

fn filetime(ticks: u64) -> Option<String> {
    if ticks == 0 {
        return None;
    }
    let secs = i64::try_from(ticks / 10_000_000).ok()? - FILETIME_EPOCH;
    let t = chrono::DateTime::from_timestamp(secs, 0)?;
    Some(t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
}

/// An editing time (a FILETIME used as a duration) in minutes.
fn minutes(ticks: u64) -> String {
    let m = ticks / 600_000_000;
    if m == 0 {
        String::new()
    } else {
        format!("{m} min")
    }
}

/// The properties of the first set of a property set stream, by id.
fn property_set(b: &[u8]) -> Vec<(u32, Value)> {
    let mut out = Vec::new();
    if u16_at(b, 0) != Some(0xFFFE) || u32_at(b, 24).unwrap_or(0) == 0 {
        return out;
    }
    let Some(set) = u32_at(b, 44).map(|o| o as usize) else {
        return out;
    };
    let Some(set_bytes) = b.get(set..) else {
        return out;
    };
    let count = u32_at(set_bytes, 4).unwrap_or(0).min(1000) as usize;
    // The code page (id 1) says how 8-bit strings are encoded.
    let mut codepage = 1252;
    let mut raw = Vec::new();
    for i in 0..count {
        let (Some(id), Some(offset)) =
            (u32_at(set_bytes, 8 + i * 8), u32_at(set_bytes, 12 + i * 8))
        else {
            break;
        };
        let offset = offset as usize;
        if id == 1 {
            if let Some(cp) = u16_at(set_bytes, offset + 4) {
                codepage = cp;
            }
        }
        raw.push((id, offset));
    }
    for (id, offset) in raw {
        if let Some(v) = value(set_bytes, offset, codepage) {
            out.push((id, v));
        }
    }
    out
}

fn value(b: &[u8], at: usize, codepage: u16) -> Option<Value> {
    let kind = u16_at(b, at)?;
    let data = at + 4;
    match kind {
        // VT_I2, VT_I4
        2 => Some(Value::Int(i64::from(u16_at(b, data)? as i16))),
        3 => Some(Value::Int(i64::from(u32_at(b, data)? as i32))),
        // VT_LPSTR: a length (with the NUL), then bytes in the code page.
        0x1E => {
            let len = u32_at(b, data)? as usize;
            let bytes = b.get(data + 4..data + 4 + len.min(1 << 16))?;
            let bytes = bytes.split(|c| *c == 0).next().unwrap_or_default();
            Some(Value::Text(decode(bytes, codepage)))
        }
        // VT_LPWSTR: a length in characters, then UTF-16LE.
        0x1F => {
            let len = u32_at(b, data)? as usize;
            let bytes = b.get(data + 4..data + 4 + 2 * len.min(1 << 15))?;
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .take_while(|u| *u != 0)
                .collect();
            Some(Value::Text(String::from_utf16_lossy(&units)))
        }
        // VT_FILETIME
        0x40 => {
            let lo = u64::from(u32_at(b, data)?);
            let hi = u64::from(u32_at(b, data + 4)?);
            Some(Value::Time(hi << 32 | lo))
        }
        _ => None,
    }
}

/// 8-bit text in a Windows code page.
fn decode(bytes: &[u8], codepage: u16) -> String {
    let label = match codepage {
        65001 => "utf-8".to_string(),
        932 => "shift_jis".to_string(),
        936 => "gbk".to_string(),
        949 => "euc-kr".to_string(),
        950 => "big5".to_string(),
        10000 => "macintosh".to_string(),
        874 | 1250..=1258 => format!("windows-{codepage}"),
        _ => "windows-1252".to_string(),
    };
    let encoding =
        encoding_rs::Encoding::for_label(label.as_bytes()).unwrap_or(encoding_rs::WINDOWS_1252);
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A property set stream with one set holding `props`.
    fn stream(props: &[(u32, Vec<u8>)]) -> Vec<u8> {
        let mut set = Vec::new();
        let header = 8 + props.len() * 8;
        let mut values = Vec::new();
        let mut index = Vec::new();
        for (id, v) in props {
            index.extend_from_slice(&id.to_le_bytes());
            index.extend_from_slice(&((header + values.len()) as u32).to_le_bytes());
            values.extend_from_slice(v);
        }
        set.extend_from_slice(&((header + values.len()) as u32).to_le_bytes());
        set.extend_from_slice(&(props.len() as u32).to_le_bytes());
        set.extend(index);
        set.extend(values);
        let mut out = vec![0xFE, 0xFF, 0, 0, 0, 0, 0, 0];
        out.extend_from_slice(&[0; 16]);
        out.extend_from_slice(&1u32.to_le_bytes());
        out.extend_from_slice(&[0; 16]);
        out.extend_from_slice(&48u32.to_le_bytes());
        out.extend(set);
        out
    }

    fn lpstr(s: &[u8]) -> Vec<u8> {
        let mut v = vec![0x1E, 0, 0, 0];
        v.extend_from_slice(&(s.len() as u32 + 1).to_le_bytes());
        v.extend_from_slice(s);
        v.push(0);
        while v.len() % 4 != 0 {
            v.push(0);
        }
        v
    }

    #[test]
    fn strings_numbers_and_dates_are_decoded() {
        // 2017-03-02 09:00:00 UTC as a FILETIME.
        let t: u64 = (1_488_445_200 + 11_644_473_600) * 10_000_000;
        let mut time = vec![0x40, 0, 0, 0];
        time.extend_from_slice(&t.to_le_bytes());
        let bytes = stream(&[
            (1, vec![2, 0, 0, 0, 0xE4, 0x04, 0, 0]), // code page 1252
            (4, lpstr(b"Ren\xe9e Faure")),
            (12, time),
            (14, vec![3, 0, 0, 0, 7, 0, 0, 0]),
        ]);
        let got = property_set(&bytes);
        assert_eq!(
            got,
            [
                (1, Value::Int(1252)),
                (4, Value::Text("Ren\u{e9}e Faure".into())),
                (12, Value::Time(t)),
                (14, Value::Int(7)),
            ]
        );
        assert_eq!(Value::Time(t).to_string(), "2017-03-02 09:00:00 UTC");
        assert_eq!(minutes(3 * 600_000_000), "3 min");
    }

    #[test]
    fn damaged_sets_give_nothing_or_what_was_whole() {
        assert!(property_set(b"").is_empty());
        assert!(property_set(&[0xFE, 0xFF]).is_empty());
        let mut bytes = stream(&[(4, lpstr(b"Jean"))]);
        // A count far beyond the stream, and a length past its end.
        bytes[52] = 0xFF;
        assert!(property_set(&bytes).len() <= 1);
        let mut bytes = stream(&[(4, lpstr(b"Jean"))]);
        let at = bytes.len() - 12;
        bytes[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(property_set(&bytes).is_empty());
    }
}
