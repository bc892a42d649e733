//! DKIM evidence for one message, offline: each `DKIM-Signature` is
//! parsed, its body hash recomputed with the signature's canonicalisation
//! and length (no key needed: this alone proves whether the body changed
//! after signing), and, when the signer's public key is known, the
//! signature itself verified.
//!
//! mail-auth does the parsing, canonicalisation, hashing and the RSA /
//! Ed25519 check; what is here is glue. Its own `verify_dkim` is not used:
//! it looks keys up through DNS and judges `x=` against today's clock,
//! which would call every archived signature past its expiry "expired".
//! Here expiry is reported, not held against the signature.

use std::fmt::Write as _;

use mail_auth::common::crypto::HashAlgorithm;
use mail_auth::common::parse::TxtRecordParser;
use mail_auth::common::verify::DomainKey;
use mail_auth::AuthenticatedMessage;

/// Whether the signature over the headers checks out.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SignatureCheck {
    /// It verifies with the known key.
    Verified,
    /// It does not verify with the known key (a signed header was
    /// changed, or the key is not the one that signed), or the key cannot
    /// be read.
    Invalid(String),
    /// No key is known for `selector._domainkey.domain`.
    KeyUnknown,
    /// The `DKIM-Signature` field cannot be read (why): nothing about it
    /// can be checked, but that a broken signature is there is evidence.
    Unreadable(String),
}

/// One signature, checked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Checked {
    /// The body hash recomputed matches `bh=`: the (signed part of the)
    /// body is as it was signed. Needs no key.
    pub body_ok: bool,
    pub signature: SignatureCheck,
    /// `d=`: the signing domain, lower case.
    pub domain: String,
    /// `s=`
    pub selector: String,
    /// The From domain is `d=` or below it (relaxed alignment).
    pub aligned: bool,
    /// `h=`: the headers the signature covers, lower case.
    pub headers: Vec<String>,
    /// `l=` when set: how many body bytes are signed, and how many of the
    /// canonical body's bytes come after them, unsigned.
    pub length: Option<(u64, u64)>,
    /// `t=` and `x=` (seconds since 1970) when set.
    pub signed_at: Option<u64>,
    pub expires_at: Option<u64>,
}

/// What one signature says, in one word or phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Verified,
    BodyAltered,
    SignatureInvalid,
    KeyUnknown,
    Unreadable,
}

impl Checked {
    pub fn verdict(&self) -> Verdict {
        match (&self.signature, self.body_ok) {
            (SignatureCheck::Unreadable(_), _) => Verdict::Unreadable,
            (_, false) => Verdict::BodyAltered,
            (SignatureCheck::Verified, true) => Verdict::Verified,
            (SignatureCheck::Invalid(_), true) => Verdict::SignatureInvalid,
            (SignatureCheck::KeyUnknown, true) => Verdict::KeyUnknown,
        }
    }
}

impl Verdict {
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Verified => "verified",
            Verdict::BodyAltered => "body altered",
            Verdict::SignatureInvalid => "signature invalid",
            Verdict::KeyUnknown => "key unknown",
            Verdict::Unreadable => "unreadable signature",
        }
    }
}

/// Whether the header of a raw message has a `DKIM-Signature` field (the
/// cheap test [`check`] starts with: most mail is unsigned).
pub fn is_signed(raw: &[u8]) -> bool {
    const NAME: &[u8] = b"dkim-signature:";
    for line in raw.split(|b| *b == b'\n') {
        if line.is_empty() || line == b"\r" {
            return false; // the end of the header
        }
        if line.len() >= NAME.len() && line[..NAME.len()].eq_ignore_ascii_case(NAME) {
            return true;
        }
    }
    false
}

/// The message-level summary the tree and search use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Summary {
    /// At least one aligned signature verified.
    Pass,
    /// A signature shows tampering (body altered or signature invalid).
    Fail,
    /// Signed, but nothing could be verified (keys unknown).
    Unknown,
    /// No DKIM-Signature at all.
    None,
}

/// Check every DKIM signature of a raw message; `keys` gives the TXT
/// records known for a `selector._domainkey.domain` name (lower case),
/// newest first (a key may have been rotated or revoked since).
pub fn check(raw: &[u8], keys: &dyn Fn(&str) -> Vec<String>) -> Vec<Checked> {
    // Most mail is unsigned: no need to parse it for signatures.
    if !is_signed(raw) {
        return Vec::new();
    }
    let Some(msg) = AuthenticatedMessage::parse_with_opts(raw, false) else {
        return Vec::new();
    };
    let from_domain = super::domain_of(msg.from()).unwrap_or_default();
    let mut out = Vec::new();
    for header in &msg.dkim_headers {
        let sig = match &header.header {
            Ok(sig) => sig,
            Err(e) => {
                out.push(Checked {
                    body_ok: false,
                    signature: SignatureCheck::Unreadable(e.to_string()),
                    domain: String::new(),
                    selector: String::new(),
                    aligned: false,
                    headers: Vec::new(),
                    length: None,
                    signed_at: None,
                    expires_at: None,
                });
                continue;
            }
        };
        let domain = sig.d.to_ascii_lowercase();
        let ha = HashAlgorithm::from(sig.a);
        let body_ok = msg
            .body_hashes
            .iter()
            .any(|(c, h, l, bh)| *c == sig.cb && *h == ha && *l == sig.l && *bh == sig.bh);
        let name = format!("{}._domainkey.{}", sig.s.to_ascii_lowercase(), domain);
        let signature = verify_with(&msg, header, sig, &keys(&name));
        let aligned = super::within(&from_domain, &domain);
        // mail-auth cuts the raw body at `l=` before canonicalising it;
        // what follows is not covered.
        let length =
            (sig.l > 0).then(|| (sig.l, (msg.raw_body().len() as u64).saturating_sub(sig.l)));
        out.push(Checked {
            body_ok,
            signature,
            domain,
            selector: sig.s.clone(),
            aligned,
            headers: sig.h.iter().map(|h| h.to_ascii_lowercase()).collect(),
            length,
            signed_at: (sig.t > 0).then_some(sig.t),
            expires_at: (sig.x > 0).then_some(sig.x),
        });
    }
    out
}

impl Checked {
    /// Where the signer's key is published: `selector._domainkey.domain`.
    pub fn key_name(&self) -> String {
        format!(
            "{}._domainkey.{}",
            self.selector.to_ascii_lowercase(),
            self.domain
        )
    }
}

/// Preview lines for a message's signatures, short enough for a narrow
/// pane: per signature `("DKIM", verdict)`, `("Signer", d= and whether it
/// is the From domain)` and `("Signed", s=, the headers covered and what
/// l= leaves out)`; or one `("DKIM", "unsigned")`.
pub fn describe(checked: &[Checked]) -> Vec<(&'static str, String)> {
    if checked.is_empty() {
        return vec![("DKIM", "unsigned".to_string())];
    }
    let mut out = Vec::new();
    for c in checked {
        let verdict = match (&c.signature, c.body_ok) {
            (SignatureCheck::Verified, true) => "verified".to_string(),
            (SignatureCheck::Verified, false) => "body altered, headers ok".to_string(),
            (SignatureCheck::KeyUnknown, true) => "key unknown, body intact".to_string(),
            (SignatureCheck::KeyUnknown, false) => "body altered, key unknown".to_string(),
            (SignatureCheck::Invalid(why), true) => format!("signature invalid: {why}"),
            (SignatureCheck::Invalid(why), false) => {
                format!("body altered, signature invalid: {why}")
            }
            (SignatureCheck::Unreadable(why), _) => {
                // No signer or headers to name.
                out.push(("DKIM", format!("unreadable signature: {why}")));
                continue;
            }
        };
        out.push(("DKIM", verdict));
        let align = if c.aligned { "From" } else { "not From" };
        out.push(("Signer", format!("{} ({align})", c.domain)));
        let mut signed = format!("s={}: {}", c.selector, c.headers.join(", "));
        if let Some((_, unsigned)) = c.length {
            if unsigned > 0 {
                let _ = write!(
                    signed,
                    "; l= leaves the last {unsigned} body bytes unsigned"
                );
            }
        }
        out.push(("Signed", signed));
    }
    out
}

/// The signature checked against each known record in turn: verified
/// when one verifies, else why the first failed.
fn verify_with(
    msg: &AuthenticatedMessage<'_>,
    header: &mail_auth::common::headers::Header<'_, mail_auth::Result<mail_auth::dkim::Signature>>,
    sig: &mail_auth::dkim::Signature,
    records: &[String],
) -> SignatureCheck {
    let mut first_failure = None;
    for record in records {
        let failure = match DomainKey::parse(record.as_bytes()) {
            Err(e) => format!("the key cannot be read: {e}"),
            Ok(dk) => {
                let value = strip_b(header.value);
                let mut signed = msg.signed_headers(&sig.h, header.name, &value);
                match dk.p.verify(&mut signed, &sig.b, sig.ch, sig.a) {
                    Ok(()) => return SignatureCheck::Verified,
                    Err(e) => e.to_string(),
                }
            }
        };
        first_failure.get_or_insert(failure);
    }
    first_failure.map_or(SignatureCheck::KeyUnknown, SignatureCheck::Invalid)
}

/// The message's verdict from its signatures' verdicts.
pub fn summary(checked: &[Checked]) -> Summary {
    if checked.is_empty() {
        return Summary::None;
    }
    if checked
        .iter()
        .any(|c| c.verdict() == Verdict::Verified && c.aligned)
    {
        return Summary::Pass;
    }
    if checked.iter().any(|c| {
        matches!(
            c.verdict(),
            Verdict::BodyAltered | Verdict::SignatureInvalid
        )
    }) {
        return Summary::Fail;
    }
    Summary::Unknown
}

/// The DKIM-Signature value as the signer hashed it: the `b=` tag's value
/// removed (RFC 6376 3.7), up to the next `;`, and the line end dropped.
fn strip_b(value: &[u8]) -> Vec<u8> {
    let value = value
        .strip_suffix(b"\r\n")
        .or_else(|| value.strip_suffix(b"\n"))
        .unwrap_or(value);
    let mut out = Vec::with_capacity(value.len());
    // Only whitespace since the start or the last `;`: a tag name starts.
    let mut tag_start = true;
    let mut i = 0;
    while i < value.len() {
        let c = value[i];
        if tag_start && (c == b'b' || c == b'B') {
            let mut j = i + 1;
            while value.get(j).is_some_and(u8::is_ascii_whitespace) {
                j += 1;
            }
            if value.get(j) == Some(&b'=') {
                out.extend_from_slice(&value[i..=j]);
                i = value[j..]
                    .iter()
                    .position(|c| *c == b';')
                    .map_or(value.len(), |p| j + p);
                tag_start = false;
                continue;
            }
        }
        out.push(c);
        if c == b';' {
            tag_start = true;
        } else if !c.is_ascii_whitespace() {
            tag_start = false;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_is_found_in_the_header_only() {
        assert!(is_signed(b"From: a\r\nDkim-Signature: v=1\r\n\r\nbody"));
        assert!(is_signed(b"DKIM-Signature: v=1\n\nbody"));
        assert!(!is_signed(
            b"From: a\r\n\r\nDKIM-Signature: in the body\r\n"
        ));
        assert!(!is_signed(b"X-Note: DKIM-Signature: quoted\n\n"));
        assert!(!is_signed(b""));
    }

    #[test]
    fn only_the_b_value_is_removed() {
        let v = b" v=1; a=rsa-sha256; bh=AAA=; b=XYZ\r\n  abc=;\r\n";
        assert_eq!(strip_b(v), b" v=1; a=rsa-sha256; bh=AAA=; b=;".to_vec());
        let v = b"v=1; b = XYZ; d=example.com\r\n";
        assert_eq!(strip_b(v), b"v=1; b =; d=example.com".to_vec());
        assert_eq!(strip_b(b"b=abc"), b"b=".to_vec());
        assert_eq!(strip_b(b""), b"".to_vec());
    }
}
