//! A MIME part's own bytes: what its sender attached, transfer encoding
//! (base64, quoted-printable) undone, nothing else changed.
//!
//! mail-parser hands text parts over as UTF-8, converted from their
//! charset; that suits the preview, not evidence. A `latin-1` CSV saved
//! from trawl must be the sender's file, and its SHA-256 the one another
//! tool computes for the same attachment. So the body is taken again from
//! the raw message and only its transfer encoding is decoded, with the
//! decoders the parser itself used.

use std::borrow::Cow;

use mail_parser::parsers::MessageStream;
use mail_parser::{Encoding, Message, MessagePart, PartType};

/// The bytes of `part`, a part of `msg` (offsets are into
/// `msg.raw_message`, which for an attached message may be its
/// container's bytes).
pub fn original<'a>(msg: &'a Message<'_>, part: &'a MessagePart<'_>) -> Cow<'a, [u8]> {
    // A part the parser could not decode is kept as the parser read it.
    let text = matches!(part.body, PartType::Text(_) | PartType::Html(_));
    if !text || part.is_encoding_problem {
        return Cow::Borrowed(part.contents());
    }
    let range = part.offset_body as usize..part.offset_end as usize;
    let Some(body) = msg.raw_message.get(range) else {
        return Cow::Borrowed(part.contents());
    };
    let (end, decoded) = match part.encoding {
        Encoding::None => return Cow::Borrowed(body),
        Encoding::Base64 => MessageStream::new(body).decode_base64_mime(b""),
        Encoding::QuotedPrintable => MessageStream::new(body).decode_quoted_printable_mime(b""),
    };
    if end == usize::MAX {
        // The parser fell back on the text as it is in this case too.
        return Cow::Borrowed(body);
    }
    Cow::Owned(decoded.into_owned())
}
