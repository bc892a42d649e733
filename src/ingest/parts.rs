//! A document's parts as documents of their own: a message's attachments,
//! inline parts and attached messages; the files of a ZIP archive; the
//! attachments of an Outlook `.msg`. Parts of parts nest further.
//!
//! A part is a [`Document`] placed right after its container (preorder),
//! with `up` saying how far back the container is, and a
//! [`Location::part`] path of steps from the top-level document: a MIME
//! part number (mail-parser's part index), an archive member index or an
//! `.msg` attachment index, depending on what the container is. Nothing is
//! written anywhere: a part's bytes are found again from the dump by
//! [`resolve`] when it is opened.
//!
//! Bounded: at most [`MAX_DEPTH`] levels of nesting, [`MAX_PARTS`] parts and
//! [`MAX_UNPACKED_BYTES`] unpacked per top-level document, and
//! [`MAX_PART_BYTES`] per member. What goes over a limit is not listed, and
//! the container says so in its warning.

use std::io::Read;
use std::path::Path;

use mail_parser::{Message, MessageParser, MimeHeaders, PartType};
use sha2::{Digest, Sha256};

use super::{detect, mail};
use crate::extract::{self, Kind};
use crate::model::{self, DocKind, Document, Envelope, Location};

/// Levels of parts below a top-level document (a ZIP in a ZIP in a mail is
/// three).
pub const MAX_DEPTH: usize = 8;
/// Parts listed for one top-level document.
pub const MAX_PARTS: u32 = extract::MAX_PARTS as u32;
/// Bytes unpacked from archives for one top-level document.
pub const MAX_UNPACKED_BYTES: u64 = extract::MAX_UNPACKED_BYTES;
/// Bytes unpacked for one archive member.
pub const MAX_PART_BYTES: u64 = extract::MAX_PART_BYTES;

/// What one top-level document may still spend on its parts.
#[derive(Debug)]
pub struct Budget {
    parts: u32,
    unpacked: u64,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            parts: MAX_PARTS,
            unpacked: MAX_UNPACKED_BYTES,
        }
    }
}

/// Where new parts go: after their container, in `out`.
struct Sink<'o> {
    out: &'o mut Vec<Document>,
    budget: Budget,
}

/// Append the parts of the message `msg` (the document at `out[parent]`).
pub fn of_message(msg: &Message<'_>, out: &mut Vec<Document>, parent: usize) {
    let mut sink = Sink {
        out,
        budget: Budget::default(),
    };
    sink.message_parts(msg, parent, 1);
}

/// Append the parts of a file (`out[parent]`, whose bytes are `bytes`): the
/// members of a ZIP archive, the attachments of an Outlook message. Other
/// files have none.
/// An Outlook message becomes the e-mail it holds first.
pub fn of_file(bytes: &[u8], out: &mut Vec<Document>, parent: usize) {
    let outlook = outlook(bytes);
    if let Some(msg) = &outlook {
        super::outlook::read_as_mail(&mut out[parent], msg);
    }
    let mut sink = Sink {
        out,
        budget: Budget::default(),
    };
    sink.file_parts(bytes, outlook.as_ref(), parent, 1);
}

/// The Outlook message `bytes` hold, if they are one (read once: listing
/// it as mail and listing its attachments both use it).
fn outlook(bytes: &[u8]) -> Option<msg_parser::Outlook> {
    let is_msg = bytes.starts_with(&CFB_MAGIC) && extract::sniff(bytes, "") == Kind::Msg;
    is_msg
        .then(|| msg_parser::Outlook::from_slice(bytes).ok())
        .flatten()
}

/// Whether a file with these first bytes may have parts ([`of_file`]).
pub fn may_have_parts(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04") || head.starts_with(&CFB_MAGIC)
}

/// `attach_method` of an `.msg` attached to an `.msg` (MS-OXCMSG), whose
/// bytes `msg_parser` does not give ([`embedded`]).
const EMBEDDED_MSG: u32 = 5;

const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

impl Sink<'_> {
    fn warn(&mut self, doc: usize, problem: &str) {
        if let Some(d) = self.out.get_mut(doc) {
            d.add_warning(problem);
        }
    }

    /// A part may be added below `parent` at `depth`: else say why not.
    fn room(&mut self, parent: usize, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            self.warn(parent, "nested too deep: its parts are not listed");
            return false;
        }
        if self.budget.parts == 0 {
            self.warn(parent, "too many parts: the rest are not listed");
            return false;
        }
        true
    }

    /// Add a part of `out[parent]`, reached by `step`, and return its index.
    fn push(&mut self, parent: usize, step: u32, mut doc: Document) -> usize {
        let index = self.out.len();
        let container = &mut self.out[parent];
        container.parts += 1;
        let mut path = container.location.part.to_vec();
        path.push(step);
        doc.location = Location {
            part: model::PartPath::new(path),
            ..container.location.clone()
        };
        if doc.date.is_none() {
            doc.date = container.date;
        }
        doc.up = u32::try_from(index - parent).unwrap_or(0);
        self.budget.parts = self.budget.parts.saturating_sub(1);
        self.out.push(doc);
        index
    }

    /// The document of an attached message (`raw` its bytes).
    fn message_doc(&self, parent: usize, msg: &Message<'_>, raw: &[u8]) -> Document {
        let location = self.out[parent].location.clone();
        let mut doc = mail::message_document(msg, location, mail::identity_hash(raw));
        doc.part_size = u32::try_from(raw.len()).unwrap_or(u32::MAX);
        doc
    }

    fn message_parts(&mut self, msg: &Message<'_>, parent: usize, depth: usize) {
        for &id in &msg.attachments {
            if !self.room(parent, depth) {
                return;
            }
            let Some(part) = msg.parts.get(id as usize) else {
                continue;
            };
            if let PartType::Message(inner) = &part.body {
                let doc = self.message_doc(parent, inner, inner.raw_message());
                let at = self.push(parent, id, doc);
                self.message_parts(inner, at, depth + 1);
                continue;
            }
            let bytes = super::part_bytes::original(msg, part);
            let name = part.attachment_name().map_or_else(
                || {
                    part.content_type().map_or_else(
                        || "(unnamed part)".to_string(),
                        |ct| format!("({}/{})", ct.ctype(), ct.subtype().unwrap_or("?")),
                    )
                },
                str::to_string,
            );
            self.bytes_part(parent, id, &name, &bytes, None, depth);
        }
    }

    /// A part given as bytes: a file, or a message when it reads as one.
    fn bytes_part(
        &mut self,
        parent: usize,
        step: u32,
        name: &str,
        bytes: &[u8],
        date: Option<i64>,
        depth: usize,
    ) -> usize {
        let head = &bytes[..bytes.len().min(super::limits::SNIFF_BYTES)];
        if !name.starts_with('(')
            && detect::detect(Path::new(name), head) == detect::FileFormat::Message
        {
            if let Some(msg) = MessageParser::default().parse(bytes) {
                let doc = self.message_doc(parent, &msg, bytes);
                let at = self.push(parent, step, doc);
                self.message_parts(&msg, at, depth + 1);
                return at;
            }
        }
        let file_type = if bytes.is_empty() {
            "empty".to_string()
        } else {
            detect::file_type(Path::new(name), head)
        };
        let envelope = Envelope {
            subject: &mail::clip(name),
            file_type: &file_type,
            ..Envelope::default()
        };
        let location = self.out[parent].location.clone();
        let mut doc = Document::new(DocKind::File, location, digest(bytes), &envelope);
        doc.date = date;
        let outlook = outlook(bytes);
        if let Some(msg) = &outlook {
            super::outlook::read_as_mail(&mut doc, msg);
        }
        doc.part_size = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
        let at = self.push(parent, step, doc);
        self.file_parts(bytes, outlook.as_ref(), at, depth + 1);
        at
    }

    /// The parts of a file: an archive's members, or (`outlook`: the file
    /// read as an Outlook message) its attachments.
    fn file_parts(
        &mut self,
        bytes: &[u8],
        outlook: Option<&msg_parser::Outlook>,
        parent: usize,
        depth: usize,
    ) {
        if bytes.starts_with(b"PK\x03\x04") && extract::sniff(bytes, "") == Kind::Zip {
            self.zip_parts(bytes, parent, depth);
        } else if let Some(msg) = outlook {
            self.msg_parts(bytes, msg, parent, depth);
        }
    }

    fn zip_parts(&mut self, bytes: &[u8], parent: usize, depth: usize) {
        // An archive that does not open has no parts to list; its preview
        // says why it cannot be read.
        let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
            return;
        };
        for i in 0..zip.len() {
            if !self.room(parent, depth) {
                return;
            }
            let Ok(file) = zip.by_index(i) else {
                continue;
            };
            if file.is_dir() {
                continue;
            }
            let name = String::from_utf8_lossy(file.name_raw()).into_owned();
            let date = file.last_modified().and_then(zip_time);
            let limit = MAX_PART_BYTES.min(self.budget.unpacked);
            let mut content = Vec::new();
            let read = file.take(limit + 1).read_to_end(&mut content);
            if read.is_err() {
                self.warn(parent, &format!("{}: damaged member", mail::clip(&name)));
                continue;
            }
            if content.len() as u64 > limit {
                self.warn(
                    parent,
                    "unpacks to more than the limit: the rest is not listed",
                );
                return;
            }
            self.budget.unpacked -= content.len() as u64;
            let Ok(step) = u32::try_from(i) else {
                return;
            };
            self.bytes_part(parent, step, &name, &content, date, depth);
        }
    }

    /// The attachments of the Outlook message `msg` read from `bytes`.
    fn msg_parts(&mut self, bytes: &[u8], msg: &msg_parser::Outlook, parent: usize, depth: usize) {
        for (i, a) in msg.attachments.iter().enumerate() {
            if !self.room(parent, depth) {
                return;
            }
            let name = [&a.long_file_name, &a.file_name, &a.display_name]
                .into_iter()
                .find(|n| !n.trim().is_empty())
                .map_or("(unnamed attachment)", |n| n.as_str());
            let Ok(step) = u32::try_from(i) else {
                return;
            };
            let embedded = embedded(bytes, a, i);
            if a.attach_method == EMBEDDED_MSG && embedded.is_none() {
                self.warn(
                    parent,
                    &format!("{}: damaged attached message", mail::clip(name)),
                );
            }
            let payload = embedded.as_deref().unwrap_or(&a.payload_bytes);
            self.bytes_part(parent, step, name, payload, None, depth);
        }
    }
}

/// The bytes of attachment `a` (number `index`) of the Outlook file
/// `outer` when it is an Outlook message itself, which `msg_parser` does
/// not give (see [`super::embedded_msg`]).
fn embedded(outer: &[u8], a: &msg_parser::Attachment, index: usize) -> Option<Vec<u8>> {
    let method = a.attach_method == EMBEDDED_MSG && a.payload_bytes.is_empty();
    method
        .then(|| super::embedded_msg::extract(outer, index))
        .flatten()
}

fn digest(bytes: &[u8]) -> model::Sha256 {
    model::Sha256(Sha256::digest(bytes).into())
}

/// A ZIP member's time (local time of whoever zipped it; read as UTC).
fn zip_time(t: zip::DateTime) -> Option<i64> {
    let date = chrono::NaiveDate::from_ymd_opt(
        i32::from(t.year()),
        u32::from(t.month()),
        u32::from(t.day()),
    )?;
    let time = date.and_hms_opt(
        u32::from(t.hour()),
        u32::from(t.minute()),
        u32::from(t.second()),
    )?;
    Some(time.and_utc().timestamp())
}

/// Why a part could not be found again.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PartError {
    #[error("part {0} is not in its container any more (the dump changed?)")]
    Gone(u32),
    #[error("part {0} unpacks to more than {1} MB")]
    TooLarge(u32, u64),
}

/// The bytes of the part reached by `steps` from a top-level document's
/// bytes (see the module documentation), within the same limits as
/// listing.
pub fn resolve(bytes: Vec<u8>, steps: &[u32]) -> Result<Vec<u8>, PartError> {
    resolve_labelled(bytes, steps).map(|(bytes, _)| bytes)
}

/// [`resolve`], with the charset the part's MIME header declares when it
/// is a text part of a message (archive members and `.msg` attachments
/// declare none).
pub fn resolve_labelled(
    bytes: Vec<u8>,
    steps: &[u32],
) -> Result<(Vec<u8>, Option<String>), PartError> {
    let Some((&step, rest)) = steps.split_first() else {
        return Ok((bytes, None));
    };
    if bytes.starts_with(b"PK\x03\x04") {
        return resolve_labelled(zip_member(&bytes, step)?, rest);
    }
    if bytes.starts_with(&CFB_MAGIC) {
        let msg = msg_parser::Outlook::from_slice(&bytes).map_err(|_| PartError::Gone(step))?;
        let attachment = msg.attachments.get(step as usize);
        let a = attachment.ok_or(PartError::Gone(step))?;
        let payload = embedded(&bytes, a, step as usize).unwrap_or_else(|| a.payload_bytes.clone());
        return resolve_labelled(payload, rest);
    }
    let msg = MessageParser::default()
        .parse(&bytes)
        .ok_or(PartError::Gone(step))?;
    in_message(&msg, steps)
}

/// Follow `steps` inside a parsed message. Attached messages are walked as
/// they were parsed with their container, not parsed again on their own
/// (which can split a malformed one differently).
fn in_message(msg: &Message<'_>, steps: &[u32]) -> Result<(Vec<u8>, Option<String>), PartError> {
    let Some((&step, rest)) = steps.split_first() else {
        return Ok((msg.raw_message().to_vec(), None));
    };
    let part = msg.parts.get(step as usize).ok_or(PartError::Gone(step))?;
    if let PartType::Message(inner) = &part.body {
        return in_message(inner, rest);
    }
    let bytes = super::part_bytes::original(msg, part).into_owned();
    let text = matches!(part.body, PartType::Text(_) | PartType::Html(_));
    if text && rest.is_empty() {
        let charset = part.content_type().and_then(|ct| ct.attribute("charset"));
        return Ok((bytes, charset.map(str::to_string)));
    }
    resolve_labelled(bytes, rest)
}

fn zip_member(bytes: &[u8], step: u32) -> Result<Vec<u8>, PartError> {
    let mut zip =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| PartError::Gone(step))?;
    let file = zip
        .by_index(step as usize)
        .map_err(|_| PartError::Gone(step))?;
    let mut out = Vec::new();
    file.take(MAX_PART_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|_| PartError::Gone(step))?;
    if out.len() as u64 > MAX_PART_BYTES {
        return Err(PartError::TooLarge(step, MAX_PART_BYTES >> 20));
    }
    Ok(out)
}
