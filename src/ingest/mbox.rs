//! Streaming mbox splitter (mboxo and mboxrd).
//!
//! The file is read line by line with a bounded line buffer, so a 2 GB mbox
//! or a 200 MB line never lands in memory whole. A separator is a
//! `From <sender> <date>` line at the start of the file or after a blank
//! line; that blank line belongs to the separator, not to the message.
//! `>From` lines are unescaped the mboxrd way (one `>` removed), which also
//! reads mboxo files correctly except for the rare line that was `>From`
//! before quoting.

use std::io::{self, BufRead};

use super::detect::is_mbox_separator;
use super::limits::MAX_DOCUMENT_BYTES;

/// One message cut out of an mbox.
#[derive(Debug)]
pub struct RawMessage {
    /// Byte offset of the first line after the separator.
    pub offset: u64,
    /// Length in the file (still quoted), without the trailing blank line.
    pub len: u64,
    /// Unescaped bytes, at most [`MAX_DOCUMENT_BYTES`].
    pub bytes: Vec<u8>,
    pub truncated: bool,
}

/// Lines longer than this are kept only in part (the rest is still counted
/// for offsets and is never a separator).
const MAX_LINE: usize = 1024 * 1024;

pub struct MboxReader<R> {
    reader: R,
    pos: u64,
    line: Vec<u8>,
    current: Option<RawMessage>,
    /// A blank line seen but not yet added: it may be the separator's.
    pending_blank: Option<Vec<u8>>,
    at_start: bool,
    done: bool,
}

impl<R: BufRead> MboxReader<R> {
    pub fn new(reader: R) -> Self {
        MboxReader {
            reader,
            pos: 0,
            line: Vec::new(),
            current: None,
            pending_blank: None,
            at_start: true,
            done: false,
        }
    }

    /// Reads one line (with its ending) into `self.line`, keeping at most
    /// [`MAX_LINE`] bytes. Returns the bytes consumed from the file.
    fn read_line(&mut self) -> io::Result<u64> {
        self.line.clear();
        let mut consumed = 0u64;
        loop {
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                return Ok(consumed);
            }
            let (chunk, found) = match buf.iter().position(|&b| b == b'\n') {
                Some(i) => (&buf[..=i], true),
                None => (buf, false),
            };
            let room = MAX_LINE.saturating_sub(self.line.len());
            self.line.extend_from_slice(&chunk[..chunk.len().min(room)]);
            let n = chunk.len();
            self.reader.consume(n);
            consumed += n as u64;
            if found {
                return Ok(consumed);
            }
        }
    }

    fn append(msg: &mut RawMessage, line: &[u8], raw_len: u64) {
        msg.len += raw_len;
        if msg.truncated {
            return;
        }
        let line = unescape_line(line);
        if (msg.bytes.len() + line.len()) as u64 > MAX_DOCUMENT_BYTES {
            msg.truncated = true;
            return;
        }
        msg.bytes.extend_from_slice(line);
    }
}

impl<R: BufRead> Iterator for MboxReader<R> {
    type Item = io::Result<RawMessage>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let n = match self.read_line() {
                Ok(n) => n,
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            };
            if n == 0 {
                self.done = true;
                return self.current.take().map(Ok);
            }
            let line_start = self.pos;
            self.pos += n;
            let bare = trim_eol(&self.line);
            let after_blank = self.at_start || self.pending_blank.is_some();
            self.at_start = false;
            if after_blank && is_mbox_separator(bare) {
                self.pending_blank = None;
                let next = RawMessage {
                    offset: self.pos,
                    len: 0,
                    bytes: Vec::new(),
                    truncated: false,
                };
                let finished = self.current.replace(next);
                if finished.is_some() {
                    return finished.map(Ok);
                }
                continue;
            }
            let Some(msg) = self.current.as_mut() else {
                // Bytes before the first separator: not a message.
                let _ = line_start;
                continue;
            };
            if let Some(blank) = self.pending_blank.take() {
                Self::append(msg, &blank, blank.len() as u64);
            }
            if bare.is_empty() {
                self.pending_blank = Some(self.line.clone());
            } else {
                let line = std::mem::take(&mut self.line);
                Self::append(msg, &line, n);
                self.line = line;
            }
        }
        None
    }
}

fn trim_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// mboxrd unquoting of one line: `>From ` → `From `, `>>From ` → `>From `.
fn unescape_line(line: &[u8]) -> &[u8] {
    let quotes = line.iter().take_while(|&&b| b == b'>').count();
    if quotes > 0 && line[quotes..].starts_with(b"From ") {
        &line[1..]
    } else {
        line
    }
}

/// Unescape a whole message as stored in an mbox (used when re-reading a
/// message for the preview from its recorded offset and length).
pub fn unescape(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    for line in raw.split_inclusive(|&b| b == b'\n') {
        out.extend_from_slice(unescape_line(line));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(data: &[u8]) -> Vec<RawMessage> {
        MboxReader::new(data)
            .collect::<io::Result<Vec<_>>>()
            .expect("in-memory read")
    }

    #[test]
    fn splits_and_drops_separator_blank_lines() {
        let mbox = b"From a@b Thu Mar 16 10:02:11 2017\nSubject: one\n\nbody 1\n\nFrom c@d Thu Mar 16 11:02:11 2017\nSubject: two\n\nbody 2\n\n";
        let msgs = split(mbox);
        assert_eq!(msgs.len(), 2);
        assert_eq!(msgs[0].bytes, b"Subject: one\n\nbody 1\n");
        assert_eq!(msgs[1].bytes, b"Subject: two\n\nbody 2\n");
        let first = &mbox[msgs[0].offset as usize..(msgs[0].offset + msgs[0].len) as usize];
        assert_eq!(first, b"Subject: one\n\nbody 1\n");
    }

    #[test]
    fn unescapes_from_lines_mboxrd_style() {
        let mbox = b"From a@b Thu Mar 16 10:02:11 2017\nSubject: q\n\n>From here\n>>From there\n> From not\n";
        let msgs = split(mbox);
        assert_eq!(msgs.len(), 1);
        assert_eq!(
            msgs[0].bytes,
            b"Subject: q\n\nFrom here\n>From there\n> From not\n"
        );
        let raw = &mbox[msgs[0].offset as usize..];
        assert_eq!(unescape(raw), msgs[0].bytes);
    }

    #[test]
    fn from_line_without_blank_before_is_body() {
        let mbox = b"From a@b Thu Mar 16 10:02:11 2017\nSubject: q\n\ntext\nFrom x@y Thu Mar 16 10:02:11 2017\n";
        assert_eq!(split(mbox).len(), 1);
    }

    #[test]
    fn no_trailing_newline_and_blank_runs_are_kept() {
        let mbox = b"From a@b Thu Mar 16 10:02:11 2017\nS: 1\n\n\n\nend";
        let msgs = split(mbox);
        assert_eq!(msgs[0].bytes, b"S: 1\n\n\n\nend");
    }

    #[test]
    fn crlf_mbox_splits() {
        let mbox = b"From a@b Thu Mar 16 10:02:11 2017\r\nS: 1\r\n\r\nx\r\n\r\nFrom a@b Thu Mar 16 10:02:11 2017\r\nS: 2\r\n";
        let msgs = split(mbox);
        assert_eq!(msgs.len(), 2);
        assert_eq!(msgs[0].bytes, b"S: 1\r\n\r\nx\r\n");
    }
}
