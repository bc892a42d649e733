//! One RFC 822 message's bytes → a catalog [`Document`], with mail-parser.

use mail_parser::{Address, HeaderValue, MessageParser};
use sha2::{Digest, Sha256};

use super::limits::{MAX_FIELD_CHARS, MAX_REFERENCES};
use crate::model::{
    self, prefix_within, DocKind, Document, Envelope, Location, ThreadRefs, MAX_RECIPIENTS_BYTES,
};

/// SHA-256 of `bytes`, lowercase hex.
pub fn hash_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn digest(hasher: Sha256) -> model::Sha256 {
    model::Sha256(hasher.finalize().into())
}

/// SHA-256 of everything `reader` yields.
pub fn hash_reader(mut reader: impl std::io::Read) -> std::io::Result<model::Sha256> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            return Ok(digest(hasher));
        }
        hasher.update(&buf[..n]);
    }
}

/// A message's stable identity: SHA-256 over its bytes with CRLF read as LF
/// and trailing line breaks ignored. The same message stored in a maildir,
/// an `.eml` or an mbox (which always ends a message with a newline, and
/// may have been converted to LF) gets the same identity, so tags follow it.
pub fn identity_hash(bytes: &[u8]) -> model::Sha256 {
    let end = bytes.len()
        - bytes
            .iter()
            .rev()
            .take_while(|&&b| b == b'\n' || b == b'\r')
            .count();
    let mut hasher = Sha256::new();
    let mut rest = &bytes[..end];
    while let Some(i) = rest.windows(2).position(|w| w == b"\r\n") {
        hasher.update(&rest[..i]);
        rest = &rest[i + 1..];
    }
    hasher.update(rest);
    digest(hasher)
}

pub(crate) fn hex(digest: &[u8]) -> String {
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0'));
        out.push(char::from_digit(u32::from(b & 0xf), 16).unwrap_or('0'));
    }
    out
}

/// Parse one message into its document, followed by its parts (see
/// [`super::parts`]). Never fails: a message mail-parser cannot make sense
/// of becomes a document with a warning, so it stays visible in the tree.
pub fn parse_message(bytes: &[u8], location: Location, truncated: bool) -> Vec<Document> {
    let hash = identity_hash(bytes);
    let Some(msg) = MessageParser::default().parse(bytes) else {
        let envelope = Envelope {
            file_type: "text",
            warning: Some("not a readable e-mail (no headers found)"),
            ..Envelope::default()
        };
        return vec![Document::new(DocKind::File, location, hash, &envelope)];
    };
    let mut doc = message_document(&msg, location, hash);
    if truncated {
        doc.add_warning("message too large: only the start was parsed");
    }
    let mut out = vec![doc];
    super::parts::of_message(&msg, &mut out, 0);
    out
}

/// The document of a parsed message (without its parts).
pub fn message_document(
    msg: &mail_parser::Message<'_>,
    location: Location,
    hash: model::Sha256,
) -> Document {
    let message_id = msg.message_id().map(clean_id).filter(|s| !s.is_empty());
    let subject = clip(msg.subject().unwrap_or_default());
    let (from, from_addr) = msg
        .from()
        .and_then(Address::first)
        .map(|first| {
            let addr = clip(first.address().unwrap_or_default());
            // Kept only when it says more than the address (saves memory on
            // dumps like Enron, where most senders have no display name).
            let name = first
                .name()
                .map(str::trim)
                .filter(|n| !n.is_empty() && *n != addr)
                .map(clip)
                .unwrap_or_default();
            (name, addr)
        })
        .unwrap_or_default();
    let warning = (msg.from().is_none() && msg.date().is_none() && msg.subject().is_none())
        .then_some("no From, Date or Subject header");
    let recipients = recipients_brief(msg);
    let envelope = Envelope {
        message_id: message_id.as_deref(),
        subject: &subject,
        from: &from,
        from_addr: &from_addr,
        recipients: &recipients,
        file_type: "",
        warning,
    };
    let mut doc = Document::new(DocKind::Mail, location, hash, &envelope);
    let in_reply_to = id_list(msg.in_reply_to());
    let references = bounded_references(id_list(msg.references()));
    doc.threading = ThreadRefs::new(
        in_reply_to.iter().map(String::as_str),
        references.iter().map(String::as_str),
    );
    doc.date = msg.date().map(mail_parser::DateTime::to_timestamp);
    doc
}

/// The first recipients (To, then Cc), each by name when it has one, else
/// by address, at most [`MAX_RECIPIENTS_BYTES`].
fn recipients_brief(msg: &mail_parser::Message<'_>) -> String {
    let all = [msg.to(), msg.cc()]
        .into_iter()
        .flatten()
        .flat_map(Address::iter)
        .map(|a| (a.name(), a.address()));
    people_brief(all)
}

/// `(name, address)` pairs as a short list: each by name when it has one,
/// else by address, at most [`MAX_RECIPIENTS_BYTES`].
pub(crate) fn people_brief<'a>(
    people: impl Iterator<Item = (Option<&'a str>, Option<&'a str>)>,
) -> String {
    let mut out = String::new();
    for (name, address) in people {
        if out.len() >= MAX_RECIPIENTS_BYTES {
            break;
        }
        let usable = |s: Option<&'a str>| s.map(str::trim).filter(|s| !s.is_empty());
        let Some(who) = usable(name).or(usable(address)) else {
            continue;
        };
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(prefix_within(who, MAX_RECIPIENTS_BYTES));
    }
    prefix_within(&out, MAX_RECIPIENTS_BYTES).to_string()
}

/// `Name <addr>, addr2` for display and search.
pub fn address_list(addr: Option<&Address<'_>>) -> String {
    let Some(addr) = addr else {
        return String::new();
    };
    let mut out = String::new();
    for a in addr.iter() {
        if !out.is_empty() {
            out.push_str(", ");
        }
        match (a.name(), a.address()) {
            (Some(n), Some(e)) if !n.trim().is_empty() => {
                out.push_str(n.trim());
                out.push_str(" <");
                out.push_str(e);
                out.push('>');
            }
            (_, Some(e)) => out.push_str(e),
            (Some(n), None) => out.push_str(n),
            (None, None) => {}
        }
        if out.len() > MAX_FIELD_CHARS {
            break;
        }
    }
    out
}

/// Keep at most [`MAX_REFERENCES`] ids: the thread's root (first) and the
/// nearest ancestors (last), which is what threading needs; the parent is
/// always the last one.
fn bounded_references(mut ids: Vec<String>) -> Vec<String> {
    if ids.len() > MAX_REFERENCES {
        ids.drain(1..=ids.len() - MAX_REFERENCES);
    }
    ids
}

fn id_list(value: &HeaderValue<'_>) -> Vec<String> {
    let ids: Vec<String> = match value {
        HeaderValue::Text(t) => vec![clean_id(t)],
        HeaderValue::TextList(list) => list.iter().map(|t| clean_id(t)).collect(),
        _ => Vec::new(),
    };
    ids.into_iter().filter(|s| !s.is_empty()).collect()
}

fn clean_id(id: &str) -> String {
    clip(
        id.trim()
            .trim_start_matches('<')
            .trim_end_matches('>')
            .trim(),
    )
}

pub(crate) fn clip(s: &str) -> String {
    match s.char_indices().nth(MAX_FIELD_CHARS) {
        Some((i, _)) => s[..i].to_string(),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Container;

    fn loc() -> Location {
        Location {
            path: std::path::Path::new("x.eml").into(),
            container: Container::File,
            offset: 0,
            len: 0,
            part: crate::model::PartPath::default(),
        }
    }

    #[test]
    fn parses_envelope_and_decodes_rfc2047() {
        let raw = b"Message-ID: <abc@x.example>\r\nIn-Reply-To: <p@x.example>\r\nReferences: <r@x.example> <p@x.example>\r\nFrom: =?ISO-8859-1?Q?Ren=E9e_Dupr=E9?= <renee@x.example>\r\nTo: A <a@x.example>, b@x.example\r\nSubject: =?UTF-8?Q?R=C3=A9union_budget?=\r\nDate: Thu, 16 Mar 2017 10:02:11 +0100\r\n\r\nHello\r\n";
        let d = parse_message(raw, loc(), false).remove(0);
        assert_eq!(d.kind, DocKind::Mail);
        assert_eq!(d.message_id(), Some("abc@x.example"));
        assert_eq!(
            d.threading.in_reply_to().collect::<Vec<_>>(),
            ["p@x.example"]
        );
        assert_eq!(
            d.threading.references().collect::<Vec<_>>(),
            ["r@x.example", "p@x.example"]
        );
        assert_eq!(d.from_name(), "Renée Dupré");
        assert_eq!(d.from_addr(), "renee@x.example");
        assert_eq!(d.subject(), "Réunion budget");
        assert_eq!(d.date, Some(1_489_654_931));
        assert_eq!(d.recipients(), "A, b@x.example");
        assert!(d.warning().is_none());
    }

    #[test]
    fn recipients_are_bounded() {
        let to: Vec<String> = (0..300)
            .map(|i| format!("Person {i} <p{i}@x.example>"))
            .collect();
        let raw = format!(
            "From: a@x\r\nTo: {}\r\nCc: zed@x\r\n\r\nhi\r\n",
            to.join(", ")
        );
        let d = parse_message(raw.as_bytes(), loc(), false).remove(0);
        assert!(d.recipients().starts_with("Person 0, Person 1, Person 2"));
        assert!(d.recipients().len() <= MAX_RECIPIENTS_BYTES);
        let cc = parse_message(
            b"From: a@x\r\nTo: b@x\r\nCc: C <c@x>\r\n\r\nhi",
            loc(),
            false,
        )
        .remove(0);
        assert_eq!(cc.recipients(), "b@x, C");
    }

    #[test]
    fn identity_ignores_line_endings_and_final_newlines() {
        let a = identity_hash(b"Subject: x\r\n\r\nbody\r\n");
        assert_eq!(a, identity_hash(b"Subject: x\n\nbody"));
        assert_eq!(a, identity_hash(b"Subject: x\n\nbody\n\n"));
        assert_ne!(a, identity_hash(b"Subject: x\n\nbody!"));
        assert_eq!(
            hash_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let h = hash_reader(&b"abc"[..]).expect("hash");
        assert_eq!(h.to_string(), hash_hex(b"abc"));
        assert_eq!(model::Sha256::from_hex(&h.to_string()), Some(h));
    }

    #[test]
    fn long_references_keep_root_and_parent() {
        let ids: Vec<String> = (0..500).map(|i| format!("m{i}@x")).collect();
        let kept = bounded_references(ids);
        assert_eq!(kept.len(), MAX_REFERENCES);
        assert_eq!(kept[0], "m0@x");
        assert_eq!(kept[1], "m301@x");
        assert_eq!(kept.last().map(String::as_str), Some("m499@x"));
    }

    #[test]
    fn garbage_still_yields_a_document() {
        let d = parse_message(b"\x00\xff\xfe garbage", loc(), false).remove(0);
        assert!(d.warning().is_some(), "{d:?}");
    }
}
