//! MIME bodies: plain, quoted-printable, HTML and multipart/alternative text
//! entities, and multipart/mixed with base64 attachments.

use std::io::Write as _;

use super::encode::{base64_lines, encoded_words, quoted_printable, WordEnc};
use super::random::{Rng, K_ATTACH};
use super::render::Renderer;
use super::words::NOUN_EN;

#[derive(Clone, Copy, PartialEq, Eq)]
enum TextKind {
    /// `us-ascii` or `utf-8`, 7bit/8bit.
    Plain,
    QpLatin1,
    QpUtf8,
    Html,
    Alternative,
}

impl Renderer<'_> {
    /// Body and its `Content-*` headers (into `self.body`, `self.mime`).
    /// Returns the number of attachments.
    pub(super) fn compose_body(&mut self, e: u32, rng: &mut Rng) -> usize {
        let fr = self.plan.french(e);
        let kind = match rng.below(100) {
            0..=4 => TextKind::Html,
            5..=14 => TextKind::Alternative,
            15..=44 if fr => TextKind::QpLatin1,
            45..=54 if fr => TextKind::QpUtf8,
            15..=17 => TextKind::QpUtf8,
            _ => TextKind::Plain,
        };
        let attachments = if rng.chance(0.1) {
            [1, 1, 1, 1, 1, 1, 1, 2, 2, 3][rng.index(10)]
        } else {
            0
        };
        self.body.clear();
        self.mime.clear();
        self.text_entity(kind, rng);
        if attachments == 0 {
            return 0;
        }
        // Wrap the text entity into a multipart/mixed with the attachments.
        std::mem::swap(&mut self.body, &mut self.part);
        std::mem::swap(&mut self.mime, &mut self.part_headers);
        self.body.clear();
        self.mime.clear();
        let boundary = boundary(rng);
        let _ = writeln!(
            self.mime,
            "Content-Type: multipart/mixed;\n\tboundary=\"{boundary}\""
        );
        let mut body = std::mem::take(&mut self.body);
        body.extend_from_slice(b"This is a multi-part message in MIME format.\n\n");
        let _ = writeln!(body, "--{boundary}");
        body.extend_from_slice(&self.part_headers);
        body.push(b'\n');
        body.extend_from_slice(&self.part);
        for k in 0..attachments {
            let _ = writeln!(body, "--{boundary}");
            self.attachment_part(e, k, &mut body);
        }
        let _ = writeln!(body, "--{boundary}--");
        self.body = body;
        attachments
    }

    /// A text entity of `kind` built from `self.text`: its `Content-*`
    /// headers into `self.mime`, its body appended to `self.body`.
    fn text_entity(&mut self, kind: TextKind, rng: &mut Rng) {
        let ascii = self.text.is_ascii();
        let charset = if ascii { "us-ascii" } else { "utf-8" };
        match kind {
            TextKind::Plain => {
                let _ = writeln!(
                    self.mime,
                    "Content-Type: text/plain; charset=\"{charset}\"\nContent-Transfer-Encoding: {}",
                    if ascii { "7bit" } else { "8bit" }
                );
                self.body.extend_from_slice(&self.text);
            }
            TextKind::QpLatin1 => {
                self.mime.extend_from_slice(
                    b"Content-Type: text/plain; charset=\"iso-8859-1\"\nContent-Transfer-Encoding: quoted-printable\n",
                );
                self.scratch.clear();
                for c in String::from_utf8_lossy(&self.text).chars() {
                    self.scratch
                        .push(u8::try_from(u32::from(c)).unwrap_or(b'?'));
                }
                quoted_printable(&mut self.body, &self.scratch);
            }
            TextKind::QpUtf8 => {
                self.mime.extend_from_slice(
                    b"Content-Type: text/plain; charset=\"utf-8\"\nContent-Transfer-Encoding: quoted-printable\n",
                );
                quoted_printable(&mut self.body, &self.text);
            }
            TextKind::Html => {
                self.mime.extend_from_slice(
                    b"Content-Type: text/html; charset=\"utf-8\"\nContent-Transfer-Encoding: 8bit\n",
                );
                html(&mut self.body, &self.text);
            }
            TextKind::Alternative => {
                let b = boundary(rng);
                let _ = writeln!(
                    self.mime,
                    "Content-Type: multipart/alternative;\n\tboundary=\"{b}\""
                );
                let _ = writeln!(self.body, "--{b}");
                let _ = writeln!(
                    self.body,
                    "Content-Type: text/plain; charset=\"{charset}\"\nContent-Transfer-Encoding: {}\n",
                    if ascii { "7bit" } else { "8bit" }
                );
                self.body.extend_from_slice(&self.text);
                let _ = writeln!(self.body, "--{b}");
                let _ = writeln!(
                    self.body,
                    "Content-Type: text/html; charset=\"utf-8\"\nContent-Transfer-Encoding: quoted-printable\n"
                );
                self.scratch.clear();
                html(&mut self.scratch, &self.text);
                quoted_printable(&mut self.body, &self.scratch);
                let _ = writeln!(self.body, "--{b}--");
            }
        }
    }

    /// One base64 attachment part (headers, blank line, body) into `out`.
    fn attachment_part(&mut self, e: u32, k: usize, out: &mut Vec<u8>) {
        let mut arng = Rng::keyed(self.plan.seed, K_ATTACH, (u64::from(e) << 3) | k as u64);
        let size = arng.lognormal(3_000.0, 1.2).clamp(1_024.0, 200_000.0) as usize;
        let n = arng.between(1, 999);
        let (name, mime): (String, &str) = match arng.below(12) {
            0..=2 => (format!("report_{n}.pdf"), "application/pdf"),
            3 => (format!("scan_{n:04}.pdf"), "application/pdf"),
            4 | 5 => (
                ["budget.xlsx", "forecast_Q3.xlsx", "positions.xlsx"][arng.index(3)].to_string(),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            6 | 7 => (
                [
                    "notes.docx",
                    "memo.docx",
                    format!("draft_v{}.docx", n % 9).as_str(),
                ][arng.index(3)]
                .to_string(),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
            8 | 9 => (
                ["export.csv", format!("positions_{n}.csv").as_str()][arng.index(2)].to_string(),
                "text/csv",
            ),
            10 => (format!("IMG_{:04}.jpg", n * 7), "image/jpeg"),
            _ => (
                "budget_prévisionnel.xlsx".to_string(),
                "application/vnd.ms-excel",
            ),
        };
        self.attachment.clear();
        let magic: &[u8] = match name.rsplit('.').next() {
            Some("pdf") => b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
            Some("xlsx" | "docx") => b"PK\x03\x04\x14\x00\x06\x00",
            Some("jpg") => b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
            _ => b"",
        };
        self.attachment.extend_from_slice(magic);
        if mime == "text/csv" {
            self.attachment
                .extend_from_slice(b"date;account;amount;desk\n");
            while self.attachment.len() < size {
                let _ = writeln!(
                    self.attachment,
                    "2016-{:02}-{:02};{};{}.{:02};{}",
                    arng.between(1, 12),
                    arng.between(1, 28),
                    arng.between(10_000, 99_999),
                    arng.below(1_000_000),
                    arng.below(100),
                    arng.pick(&NOUN_EN)
                );
            }
        } else {
            while self.attachment.len() < size {
                self.attachment
                    .extend_from_slice(&arng.next_u64().to_le_bytes());
            }
            self.attachment.truncate(size);
        }
        let _ = writeln!(out, "Content-Type: {mime};");
        if name.is_ascii() {
            let _ = writeln!(out, "\tname=\"{name}\"");
            let _ = writeln!(out, "Content-Transfer-Encoding: base64");
            let _ = writeln!(
                out,
                "Content-Disposition: attachment;\n\tfilename=\"{name}\""
            );
        } else {
            out.extend_from_slice(b"\tname=\"");
            encoded_words(out, &name, WordEnc::QUtf8);
            out.extend_from_slice(b"\"\n");
            let _ = writeln!(out, "Content-Transfer-Encoding: base64");
            out.extend_from_slice(b"Content-Disposition: attachment;\n\tfilename*=UTF-8''");
            for b in name.bytes() {
                if b.is_ascii_alphanumeric() || b"._-".contains(&b) {
                    out.push(b);
                } else {
                    let _ = write!(out, "%{b:02X}");
                }
            }
            out.push(b'\n');
        }
        out.push(b'\n');
        base64_lines(out, &self.attachment);
    }
}

/// A MIME boundary in one of the common styles.
fn boundary(rng: &mut Rng) -> String {
    let h = rng.next_u64();
    match h % 3 {
        0 => format!("----=_Part_{}_{}.{}", h >> 44, (h >> 20) & 0xfffff, h >> 50),
        1 => format!(
            "----=_NextPart_000_{:04X}_{:08X}",
            (h >> 48) as u16,
            (h >> 8) as u32
        ),
        _ => format!("000000000000{:012x}", h >> 16),
    }
}

/// Minimal HTML rendering of plain text (Outlook-like `<div>` lines).
fn html(out: &mut Vec<u8>, text: &[u8]) {
    out.extend_from_slice(
        b"<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\n</head>\n<body>\n",
    );
    for line in text.split(|&b| b == b'\n') {
        if line.is_empty() {
            out.extend_from_slice(b"<div><br></div>\n");
            continue;
        }
        out.extend_from_slice(b"<div>");
        for &b in line {
            match b {
                b'<' => out.extend_from_slice(b"&lt;"),
                b'>' => out.extend_from_slice(b"&gt;"),
                b'&' => out.extend_from_slice(b"&amp;"),
                _ => out.push(b),
            }
        }
        out.extend_from_slice(b"</div>\n");
    }
    out.extend_from_slice(b"</body>\n</html>\n");
}
