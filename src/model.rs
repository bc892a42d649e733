//! Plain data shared by every layer: documents, where they live, their
//! envelope. No I/O here.

use std::path::PathBuf;

/// Index of a document in a [`crate::ingest::Scan`]. Only valid for that scan;
/// user data is keyed by [`Document::hash`] and `message_id` instead.
pub type DocId = usize;

/// How a document's bytes are stored inside the dump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Container {
    /// The whole file is the document (`.eml`, maildir entry, loose file).
    File,
    /// A message inside an mbox file: `offset`/`len` cover the message bytes
    /// after the `From ` separator line, still `>From`-quoted.
    Mbox,
}

/// Where a document's bytes are, relative to the dump root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// Path relative to the dump root.
    pub path: PathBuf,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    /// An RFC 822 message.
    Mail,
    /// Anything else found in the dump (listed, not yet extracted).
    File,
}

/// One document of the dump, with what the tree and the index need to know
/// about it. The body is not kept: the preview re-reads it from `location`.
#[derive(Debug, Clone)]
pub struct Document {
    pub kind: DocKind,
    pub location: Location,
    /// SHA-256 of the document's bytes (mbox quoting removed), lowercase hex.
    /// The stable identity user data is keyed by.
    pub hash: String,
    pub message_id: Option<String>,
    /// Message-IDs from `In-Reply-To`, in header order.
    pub in_reply_to: Vec<String>,
    /// Message-IDs from `References`, oldest first.
    pub references: Vec<String>,
    pub subject: String,
    /// Display form of the sender: the name if there is one, else the address.
    pub from: String,
    pub from_addr: String,
    pub to: String,
    pub cc: String,
    /// Seconds since the Unix epoch (UTC), if the `Date` header parsed.
    pub date: Option<i64>,
    pub attachments: Vec<String>,
    /// Size in bytes of the document itself.
    pub size: u64,
    /// For non-mail files: a short type such as `pdf`, `csv`, `docx`.
    pub file_type: String,
    /// A parse problem that did not stop the document from loading.
    pub warning: Option<String>,
}

impl Document {
    pub fn is_mail(&self) -> bool {
        self.kind == DocKind::Mail
    }

    pub fn has_attachments(&self) -> bool {
        !self.attachments.is_empty()
    }
}

/// A file or message that could not be loaded, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: PathBuf,
    pub reason: String,
}
