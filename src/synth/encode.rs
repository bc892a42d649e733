//! Encoders: base64, quoted-printable (RFC 2045), RFC 2047 encoded words for
//! headers, and the ASCII folding of names used in addresses and folder names.

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding, no line breaks.
pub(super) fn base64(out: &mut Vec<u8>, data: &[u8]) {
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(B64[(n >> 18) as usize & 63]);
        out.push(B64[(n >> 12) as usize & 63]);
        out.push(if chunk.len() > 1 {
            B64[(n >> 6) as usize & 63]
        } else {
            b'='
        });
        out.push(if chunk.len() > 2 {
            B64[n as usize & 63]
        } else {
            b'='
        });
    }
}

/// Base64 in 76-character lines, each ended by `\n`.
pub(super) fn base64_lines(out: &mut Vec<u8>, data: &[u8]) {
    for line in data.chunks(57) {
        base64(out, line);
        out.push(b'\n');
    }
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Quoted-printable body (RFC 2045) of `data`, lines ended by `\n`.
pub(super) fn quoted_printable(out: &mut Vec<u8>, data: &[u8]) {
    let mut lines = data.split(|&b| b == b'\n').peekable();
    while let Some(line) = lines.next() {
        if lines.peek().is_none() && line.is_empty() {
            break; // the text ended with a newline
        }
        let mut col = 0;
        for (i, &b) in line.iter().enumerate() {
            let last = i + 1 == line.len();
            let encode = b == b'='
                || b >= 0x7f
                || (b < 0x20 && b != b'\t')
                || (last && (b == b' ' || b == b'\t'));
            let width = if encode { 3 } else { 1 };
            if col + width > 75 {
                out.extend_from_slice(b"=\n");
                col = 0;
            }
            if encode {
                out.extend_from_slice(&[b'=', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
            } else {
                out.push(b);
            }
            col += width;
        }
        out.push(b'\n');
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum WordEnc {
    QUtf8,
    BUtf8,
    QLatin1,
}

/// `s` as RFC 2047 encoded words, folded (`\n `) between words so no line
/// gets too long. Latin-1 falls back to UTF-8 when `s` does not fit it.
pub(super) fn encoded_words(out: &mut Vec<u8>, s: &str, enc: WordEnc) {
    let enc = if enc == WordEnc::QLatin1 && s.chars().any(|c| u32::from(c) > 0xff) {
        WordEnc::QUtf8
    } else {
        enc
    };
    let (prefix, limit) = match enc {
        WordEnc::QUtf8 => ("=?UTF-8?Q?", 45),
        WordEnc::BUtf8 => ("=?UTF-8?B?", 36),
        WordEnc::QLatin1 => ("=?ISO-8859-1?Q?", 45),
    };
    let mut chunk: Vec<u8> = Vec::with_capacity(64);
    let mut first = true;
    let mut buf = [0u8; 4];
    for c in s.chars() {
        let start = chunk.len();
        match enc {
            WordEnc::BUtf8 => chunk.extend_from_slice(c.encode_utf8(&mut buf).as_bytes()),
            WordEnc::QUtf8 | WordEnc::QLatin1 => {
                let bytes: &[u8] = if enc == WordEnc::QLatin1 {
                    buf[0] = u32::from(c) as u8;
                    &buf[..1]
                } else {
                    c.encode_utf8(&mut buf).as_bytes()
                };
                for &b in bytes {
                    if b == b' ' {
                        chunk.push(b'_');
                    } else if b.is_ascii_alphanumeric() || b"!*+-/".contains(&b) {
                        chunk.push(b);
                    } else {
                        chunk.extend_from_slice(&[
                            b'=',
                            HEX[usize::from(b >> 4)],
                            HEX[usize::from(b & 15)],
                        ]);
                    }
                }
            }
        }
        if chunk.len() > limit && start > 0 {
            let tail = chunk.split_off(start);
            flush_word(out, &mut chunk, prefix, enc, &mut first);
            chunk = tail;
        }
    }
    if !chunk.is_empty() || first {
        flush_word(out, &mut chunk, prefix, enc, &mut first);
    }
}

/// One encoded word made of `chunk` (already Q-encoded, or raw for B).
fn flush_word(
    out: &mut Vec<u8>,
    chunk: &mut Vec<u8>,
    prefix: &str,
    enc: WordEnc,
    first: &mut bool,
) {
    if !*first {
        out.extend_from_slice(b"\n ");
    }
    *first = false;
    out.extend_from_slice(prefix.as_bytes());
    if enc == WordEnc::BUtf8 {
        base64(out, chunk);
    } else {
        out.extend_from_slice(chunk);
    }
    out.extend_from_slice(b"?=");
    chunk.clear();
}

/// Lower-case ASCII form of a name, for addresses and folder names.
pub(super) fn fold_ascii(out: &mut String, s: &str) {
    for c in s.chars() {
        let m = match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c if c.is_ascii_alphanumeric() || c == '-' => c.to_ascii_lowercase(),
            _ => continue,
        };
        out.push(m);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::mail::parse_message;
    use crate::model::{Container, Location};
    use std::path::Path;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (input, want) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            let mut out = Vec::new();
            base64(&mut out, input.as_bytes());
            assert_eq!(out, want.as_bytes(), "{input}");
        }
    }

    #[test]
    fn quoted_printable_escapes_and_wraps() {
        let mut out = Vec::new();
        quoted_printable(&mut out, b"caf\xe9 = ok \nFrom x\n");
        assert_eq!(out, b"caf=E9 =3D ok=20\nFrom x\n");
        let mut out = Vec::new();
        quoted_printable(&mut out, &[b'a'; 100]);
        assert!(out.split(|&b| b == b'\n').all(|l| l.len() <= 76));
    }

    #[test]
    fn encoded_words_decode_back() {
        for enc in [WordEnc::QUtf8, WordEnc::BUtf8, WordEnc::QLatin1] {
            let subject = "Re: Révision des tarifs trimestriels - à valider avant le comité";
            let mut raw = b"Subject: ".to_vec();
            encoded_words(&mut raw, subject, enc);
            raw.extend_from_slice(b"\nFrom: a@b.example\n\nx\n");
            let loc = Location {
                path: Path::new("x").into(),
                container: Container::File,
                offset: 0,
                len: 0,
                part: crate::model::PartPath::default(),
            };
            let doc = parse_message(&raw, loc, false).remove(0);
            assert_eq!(doc.subject(), subject);
        }
    }
}
