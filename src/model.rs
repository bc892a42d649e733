//! Plain data shared by every layer: documents, where they live, their
//! envelope. No I/O here.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// Index of a document in a [`crate::ingest::Scan`]. Only valid for that scan;
/// user data is keyed by [`Document::hash`] and `message_id` instead.
pub type DocId = usize;

/// How a document's bytes are stored inside the dump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Container {
    /// The whole file is the document (`.eml`, maildir entry, loose file).
    File,
    /// A message inside an mbox file: `offset`/`len` cover the message bytes
    /// after the `From ` separator line, still `>From`-quoted.
    Mbox,
}

/// Where a document's bytes are, relative to the dump root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    /// Path relative to the dump root, shared by every document of a file.
    #[serde(with = "path_bytes")]
    pub path: Arc<Path>,
    pub container: Container,
    pub offset: u64,
    pub len: u64,
}

impl Location {
    /// `path` for whole files, `path:offset` for messages inside an mbox.
    pub fn display(&self) -> String {
        match self.container {
            Container::File => self.path.display().to_string(),
            Container::Mbox => format!("{}@{}", self.path.display(), self.offset),
        }
    }
}

/// What kind of document this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DocKind {
    /// An RFC 822 message.
    Mail,
    /// Anything else found in the dump (listed, not yet extracted).
    File,
}

/// A SHA-256 digest.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Sha256(pub [u8; 32]);

impl Sha256 {
    /// Parse 64 hex digits (as stored in the state database).
    pub fn from_hex(hex: &str) -> Option<Sha256> {
        let bytes = hex.as_bytes();
        if bytes.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, pair) in bytes.chunks(2).enumerate() {
            let hi = char::from(pair[0]).to_digit(16)?;
            let lo = char::from(pair[1]).to_digit(16)?;
            out[i] = (hi * 16 + lo) as u8;
        }
        Some(Sha256(out))
    }
}

impl fmt::Display for Sha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Sha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sha256({self})")
    }
}

/// One document of the dump, with what the tree and the index need to know
/// about it. The body, and the To/Cc lists, are not kept: the preview
/// re-reads them from `location`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Document {
    pub kind: DocKind,
    pub location: Location,
    /// The stable identity user data is keyed by: SHA-256 of a message's
    /// bytes with line endings normalised (see `ingest::mail::identity_hash`),
    /// or of a file's raw bytes.
    pub hash: Sha256,
    pub message_id: Option<String>,
    /// Message-IDs from `In-Reply-To`, in header order. Only threading
    /// needs these: the catalog keeps them in a separate file, and
    /// documents loaded for browsing have them empty.
    #[serde(skip)]
    pub in_reply_to: Vec<String>,
    /// Message-IDs from `References`, oldest first (see `in_reply_to`).
    #[serde(skip)]
    pub references: Vec<String>,
    pub subject: String,
    /// The sender's display name, when it differs from the address (else
    /// empty; see [`Document::sender`]).
    pub from: String,
    pub from_addr: String,
    /// Seconds since the Unix epoch (UTC), if the `Date` header parsed.
    pub date: Option<i64>,
    pub attachments: Vec<String>,
    /// Size in bytes of the document itself.
    pub size: u64,
    /// For non-mail files: a short type such as `pdf`, `csv`, `docx`
    /// (empty for e-mail: the kind says it, and it saves an allocation).
    pub file_type: String,
    /// A parse problem that did not stop the document from loading.
    pub warning: Option<String>,
}

impl Document {
    pub fn is_mail(&self) -> bool {
        self.kind == DocKind::Mail
    }

    /// Who sent it, as people read it: the display name, else the address.
    pub fn sender(&self) -> &str {
        if self.from.is_empty() {
            &self.from_addr
        } else {
            &self.from
        }
    }

    pub fn has_attachments(&self) -> bool {
        !self.attachments.is_empty()
    }
}

/// A file or message that could not be loaded, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    #[serde(with = "path_bytes")]
    pub path: PathBuf,
    pub reason: String,
}

/// Paths are stored as their raw bytes: dumps have names that are not UTF-8.
pub(crate) mod path_bytes {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    use std::path::Path;

    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer, P: AsRef<Path>>(path: &P, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(path.as_ref().as_os_str().as_bytes())
    }

    pub fn deserialize<'de, D: Deserializer<'de>, P: From<std::path::PathBuf>>(
        d: D,
    ) -> Result<P, D::Error> {
        d.deserialize_byte_buf(BytesVisitor)
            .map(|bytes| P::from(Path::new(OsStr::from_bytes(&bytes)).to_path_buf()))
    }

    struct BytesVisitor;

    impl<'de> serde::de::Visitor<'de> for BytesVisitor {
        type Value = Vec<u8>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a path as bytes")
        }

        fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
            Ok(v.to_vec())
        }

        fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
            Ok(v)
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<u8>, A::Error> {
            let mut out = Vec::new();
            while let Some(b) = seq.next_element()? {
                out.push(b);
            }
            Ok(out)
        }
    }
}
