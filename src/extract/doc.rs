//! Legacy binary Word (`.doc`, Word 97–2003, MS-DOC): the main text and
//! the summary properties. No maintained crate reads these files, so the
//! text is found the way the format lays it out: the cfb crate opens the
//! compound file; the File Information Block says which table stream holds
//! the piece table (`Clx`); each piece names where its characters are in
//! the `WordDocument` stream, as UTF-16 or as one byte per character
//! (Windows-1252). Fields keep their shown result, not their code.

use std::io::{Cursor, Read};

use super::{u16_at, u32_at, ExtractError, Extracted};

/// `wIdent` of a Word 97+ File Information Block.
const WORD_IDENT: u16 = 0xA5EC;

pub fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let damaged = |why: String| ExtractError::Damaged("Word (.doc)", why);
    let mut file =
        cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| damaged(e.to_string()))?;
    let word = stream(&mut file, "/WordDocument")
        .ok_or_else(|| damaged("no WordDocument stream".into()))?;
    let fib =
        Fib::read(&word).ok_or_else(|| damaged("no Word 97 file information block".into()))?;
    if fib.encrypted {
        return Err(ExtractError::NoText("password-protected Word"));
    }
    let table_name = if fib.table1 { "/1Table" } else { "/0Table" };
    let table =
        stream(&mut file, table_name).ok_or_else(|| damaged(format!("no {table_name} stream")))?;
    let clx = table
        .get(fib.fc_clx..fib.fc_clx.saturating_add(fib.lcb_clx))
        .ok_or_else(|| damaged("the piece table is outside its stream".into()))?;
    let pieces = pieces(clx).ok_or_else(|| damaged("damaged piece table".into()))?;
    let raw = text_of(&word, &pieces, fib.ccp_text);
    Ok(Extracted {
        text: clean(&raw),
        meta: super::ole_props::summary(&mut file),
        ..Extracted::default()
    })
}

/// A stream of the compound file, whole (the input is already bounded).
fn stream(file: &mut cfb::CompoundFile<Cursor<&[u8]>>, name: &str) -> Option<Vec<u8>> {
    let mut s = file.open_stream(name).ok()?;
    let mut out = Vec::new();
    s.read_to_end(&mut out).ok()?;
    Some(out)
}

/// What the File Information Block says about where the text is.
struct Fib {
    encrypted: bool,
    /// The table stream is `1Table` (else `0Table`).
    table1: bool,
    /// Characters in the main document (footnotes, headers … follow).
    ccp_text: usize,
    fc_clx: usize,
    lcb_clx: usize,
}

impl Fib {
    fn read(w: &[u8]) -> Option<Fib> {
        if u16_at(w, 0)? != WORD_IDENT {
            return None;
        }
        let flags = u16_at(w, 10)?;
        // FibBase (32 bytes), then counted arrays of 16-bit, 32-bit and
        // (fc, lcb) pair fields.
        let shorts = usize::from(u16_at(w, 32)?);
        let lw = 34 + shorts * 2;
        let longs = usize::from(u16_at(w, lw)?);
        let ccp_text = u32_at(w, lw + 2 + 3 * 4)? as usize;
        let blob = lw + 2 + longs * 4 + 2;
        // fcClx is pair 33 of FibRgFcLcb97.
        let fc_clx = u32_at(w, blob + 33 * 8)? as usize;
        let lcb_clx = u32_at(w, blob + 33 * 8 + 4)? as usize;
        Some(Fib {
            encrypted: flags & 0x0100 != 0,
            table1: flags & 0x0200 != 0,
            ccp_text,
            fc_clx,
            lcb_clx,
        })
    }
}

/// One piece: characters `cp..cp_end` of the document, stored at `fc` in
/// the `WordDocument` stream, one byte each when `compressed`.
struct Piece {
    cp: usize,
    cp_end: usize,
    fc: usize,
    compressed: bool,
}

/// The pieces of a `Clx`: property runs (`0x01`) are skipped to the piece
/// table (`0x02`).
fn pieces(clx: &[u8]) -> Option<Vec<Piece>> {
    let mut at = 0;
    while clx.get(at) == Some(&0x01) {
        at += 3 + usize::from(u16_at(clx, at + 1)?);
    }
    if clx.get(at) != Some(&0x02) {
        return None;
    }
    let lcb = u32_at(clx, at + 1)? as usize;
    let plc = clx.get(at + 5..at + 5 + lcb)?;
    // n + 1 character positions, then n 8-byte piece descriptors.
    if lcb < 4 {
        return None;
    }
    let n = (lcb - 4) / 12;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let cp = u32_at(plc, i * 4)? as usize;
        let cp_end = u32_at(plc, (i + 1) * 4)? as usize;
        let pcd = (n + 1) * 4 + i * 8;
        let fc = u32_at(plc, pcd + 2)?;
        let compressed = fc & 0x4000_0000 != 0;
        let fc = (fc & 0x3FFF_FFFF) as usize;
        out.push(Piece {
            cp,
            cp_end,
            fc: if compressed { fc / 2 } else { fc },
            compressed,
        });
    }
    Some(out)
}

/// The first `ccp` characters of the document, piece by piece; a piece
/// pointing outside the stream gives what is inside.
fn text_of(word: &[u8], pieces: &[Piece], ccp: usize) -> String {
    let mut out = String::new();
    for p in pieces {
        if p.cp >= ccp || out.len() > super::MAX_TEXT_BYTES {
            break;
        }
        let chars = p.cp_end.min(ccp).saturating_sub(p.cp);
        if p.compressed {
            let end = p.fc.saturating_add(chars).min(word.len());
            if let Some(bytes) = word.get(p.fc..end) {
                out.push_str(
                    &encoding_rs::WINDOWS_1252
                        .decode_without_bom_handling(bytes)
                        .0,
                );
            }
        } else {
            let end = p.fc.saturating_add(chars * 2).min(word.len());
            if let Some(bytes) = word.get(p.fc..end) {
                let units: Vec<u16> = bytes
                    .chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]))
                    .collect();
                out.push_str(&String::from_utf16_lossy(&units));
            }
        }
    }
    out
}

/// Word's control characters as plain text: paragraph and line marks as
/// newlines, table cell marks as tabs, field codes dropped (their shown
/// result kept), other marks (pictures, footnote anchors) removed.
fn clean(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    // Nesting of fields whose code (before the separator) is being skipped.
    let mut in_code: Vec<bool> = Vec::new();
    for c in raw.chars() {
        match c {
            '\u{13}' => in_code.push(true),
            '\u{14}' => {
                if let Some(top) = in_code.last_mut() {
                    *top = false;
                }
            }
            '\u{15}' => {
                in_code.pop();
            }
            _ if in_code.iter().any(|x| *x) => {}
            '\r' | '\u{b}' | '\u{c}' => out.push('\n'),
            '\u{7}' => out.push('\t'),
            '\t' | '\n' => out.push(c),
            '\u{1e}' => out.push('-'),
            '\u{1f}' => {}
            c if c < ' ' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_marks_become_plain_text_and_field_codes_go() {
        let raw = "Titre\rLigne\u{b}suite\u{7}cellule\u{7}\r\u{13} HYPERLINK \"x\" \u{14}le lien\u{15} fin\u{1}";
        assert_eq!(clean(raw), "Titre\nLigne\nsuite\tcellule\t\nle lien fin");
        // A field inside a field's code is dropped with it.
        assert_eq!(clean("a\u{13}IF \u{13}PAGE\u{15}\u{14}b\u{15}c"), "abc");
        // Unbalanced marks do not lose the text that follows for good.
        assert_eq!(clean("\u{15}x\u{14}y"), "xy");
    }

    #[test]
    fn a_piece_table_is_read_and_a_damaged_one_refused() {
        // Two pieces: 5 compressed characters at byte 0, then 3 UTF-16
        // characters at byte 10.
        let mut plc = Vec::new();
        for cp in [0u32, 5, 8] {
            plc.extend_from_slice(&cp.to_le_bytes());
        }
        for fc in [0x4000_0000u32, 10] {
            plc.extend_from_slice(&[0, 0]);
            plc.extend_from_slice(&fc.to_le_bytes());
            plc.extend_from_slice(&[0, 0]);
        }
        let mut clx = vec![0x01, 2, 0, 9, 9, 0x02];
        clx.extend_from_slice(&(plc.len() as u32).to_le_bytes());
        clx.extend(plc);
        let found = pieces(&clx).expect("pieces");
        let mut word = b"Caf\xe9 ".to_vec();
        word.resize(10, 0);
        for u in "\u{e9}t\u{e9}".encode_utf16() {
            word.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(text_of(&word, &found, 8), "Caf\u{e9} \u{e9}t\u{e9}");
        assert_eq!(text_of(&word, &found, 3), "Caf");
        // Pieces past the end of the stream give what is there.
        assert_eq!(text_of(&word[..12], &found, 8), "Caf\u{e9} \u{e9}");
        assert!(pieces(&[0x02, 0xFF, 0xFF, 0xFF, 0xFF]).is_none());
        assert!(pieces(&[0x01, 0xFF, 0xFF]).is_none());
    }
}
