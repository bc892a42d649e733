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
    /// Not serialized: the catalog stores each file's path once, with its
    /// stamp, and sets it back on the documents when it is loaded.
    #[serde(skip, default = "no_path")]
    pub path: Arc<Path>,
    pub container: Container,
    pub offset: u64,
    pub len: u64,
    /// For a part of a document (an attachment, a file in an archive): the
    /// steps from the top-level document down to it (see
    /// [`crate::ingest::parts`]); empty for the document itself. `offset`
    /// and `len` are then those of the top-level document.
    pub part: PartPath,
}

/// The steps to a part (see [`Location::part`]). Boxed twice so that the
/// documents that are not parts, nearly all, pay one pointer for it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::box_collection)] // one thin pointer per document, on purpose
pub struct PartPath(Option<Box<Vec<u32>>>);

impl PartPath {
    pub fn new(steps: Vec<u32>) -> PartPath {
        PartPath((!steps.is_empty()).then(|| Box::new(steps)))
    }
}

impl std::ops::Deref for PartPath {
    type Target = [u32];

    fn deref(&self) -> &[u32] {
        self.0.as_deref().map_or(&[], Vec::as_slice)
    }
}

/// The placeholder path of a location just decoded (one shared value: no
/// allocation per document).
fn no_path() -> Arc<Path> {
    static EMPTY: std::sync::LazyLock<Arc<Path>> =
        std::sync::LazyLock::new(|| Arc::from(Path::new("")));
    Arc::clone(&EMPTY)
}

impl Location {
    /// `path` for whole files, `path@offset` for messages inside an mbox;
    /// a part adds its steps (`path#2/1`).
    pub fn display(&self) -> String {
        let mut out = match self.container {
            Container::File => self.path.display().to_string(),
            Container::Mbox => format!("{}@{}", self.path.display(), self.offset),
        };
        for (i, step) in self.part.iter().enumerate() {
            out.push(if i == 0 { '#' } else { '/' });
            out.push_str(&step.to_string());
        }
        out
    }

    pub fn is_part(&self) -> bool {
        !self.part.is_empty()
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
/// re-reads them from `location`. Kept small (half a million of these are
/// in memory while browsing): the short text fields share one allocation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Document {
    pub location: Location,
    /// The stable identity user data is keyed by: SHA-256 of a message's
    /// bytes with line endings normalised (see `ingest::mail::identity_hash`),
    /// or of a file's raw bytes.
    pub hash: Sha256,
    /// Seconds since the Unix epoch (UTC), if the `Date` header parsed.
    pub date: Option<i64>,
    text: Text,
    /// For a part: how many documents back its container is (its parts
    /// follow it directly, in preorder); 0 for a top-level document.
    pub up: u32,
    /// How many parts (attachments, archive members) this document has.
    pub parts: u32,
    /// For a part: its own size in bytes (`location.len` is the top-level
    /// document's, which is what is read).
    pub part_size: u32,
    /// `In-Reply-To` and `References`. Only threading needs these: the
    /// catalog keeps them in a separate file, and documents loaded for
    /// browsing have them empty.
    #[serde(skip)]
    pub threading: ThreadRefs,
    pub kind: DocKind,
}

/// The short text fields of a document, borrowed: what
/// [`Document::new`] and [`Document::set_envelope`] take.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Envelope<'a> {
    pub message_id: Option<&'a str>,
    pub subject: &'a str,
    /// The sender's display name, when it differs from the address (else
    /// empty; see [`Document::sender`]).
    pub from: &'a str,
    pub from_addr: &'a str,
    /// Who it went to (To, then Cc): each by name, else by address, only
    /// the first ones (ingest keeps [`MAX_RECIPIENTS_BYTES`]), for filtering.
    pub recipients: &'a str,
    /// For non-mail files: a short type such as `pdf`, `csv`, `docx`
    /// (empty for e-mail: the kind says it).
    pub file_type: &'a str,
    /// A parse problem that did not stop the document from loading.
    pub warning: Option<&'a str>,
}

/// How much of the recipients a document keeps (the catalog is in memory
/// while browsing; the full lists are read from the dump when shown).
pub const MAX_RECIPIENTS_BYTES: usize = 64;

/// [`Envelope`]'s fields in one string, with the end of each but the last.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "(Box<str>, [u16; 6])", into = "(Box<str>, [u16; 6])")]
struct Text {
    joined: Box<str>,
    /// Ends of message id, subject, from, from address, recipients, file
    /// type; the warning runs to the end. Those six fit in 64 KiB (ingest clips
    /// each to 2,000 characters; [`Text::new`] cuts anything longer).
    ends: [u16; 6],
}

impl Text {
    fn new(e: &Envelope<'_>) -> Text {
        let parts = [
            e.message_id.unwrap_or_default(),
            e.subject,
            e.from,
            e.from_addr,
            e.recipients,
            e.file_type,
            e.warning.unwrap_or_default(),
        ];
        let mut joined = String::with_capacity(parts.iter().map(|p| p.len()).sum());
        let mut ends = [0u16; 6];
        for (i, part) in parts.iter().enumerate() {
            match ends.get_mut(i) {
                Some(end) => {
                    let room = usize::from(u16::MAX) - joined.len();
                    joined.push_str(prefix_within(part, room));
                    *end = u16::try_from(joined.len()).unwrap_or(u16::MAX);
                }
                None => joined.push_str(part),
            }
        }
        Text {
            joined: joined.into_boxed_str(),
            ends,
        }
    }

    fn field(&self, i: usize) -> &str {
        let start = if i == 0 {
            0
        } else {
            usize::from(self.ends[i - 1])
        };
        let end = self
            .ends
            .get(i)
            .map_or(self.joined.len(), |&e| usize::from(e));
        self.joined.get(start..end).unwrap_or_default()
    }
}

/// The longest start of `s` that is at most `max` bytes.
pub(crate) fn prefix_within(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

impl TryFrom<(Box<str>, [u16; 6])> for Text {
    type Error = &'static str;

    fn try_from((joined, ends): (Box<str>, [u16; 6])) -> Result<Text, &'static str> {
        let mut prev = 0;
        for &end in &ends {
            let end = usize::from(end);
            if end < prev || end > joined.len() || !joined.is_char_boundary(end) {
                return Err("document text fields out of bounds");
            }
            prev = end;
        }
        Ok(Text { joined, ends })
    }
}

impl From<Text> for (Box<str>, [u16; 6]) {
    fn from(t: Text) -> Self {
        (t.joined, t.ends)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries((0..7).map(|i| self.field(i)))
            .finish()
    }
}

impl Document {
    pub fn new(kind: DocKind, location: Location, hash: Sha256, envelope: &Envelope<'_>) -> Self {
        Document {
            location,
            hash,
            date: None,
            text: Text::new(envelope),
            up: 0,
            parts: 0,
            part_size: 0,
            threading: ThreadRefs::default(),
            kind,
        }
    }

    pub fn envelope(&self) -> Envelope<'_> {
        Envelope {
            message_id: self.message_id(),
            subject: self.subject(),
            from: self.from_name(),
            from_addr: self.from_addr(),
            recipients: self.recipients(),
            file_type: self.file_type(),
            warning: self.warning(),
        }
    }

    pub fn set_envelope(&mut self, envelope: &Envelope<'_>) {
        self.text = Text::new(envelope);
    }

    pub fn is_mail(&self) -> bool {
        self.kind == DocKind::Mail
    }

    /// E-mail stored as RFC 822 bytes (not, say, an Outlook `.msg`, whose
    /// file type is set).
    pub fn is_rfc822(&self) -> bool {
        self.is_mail() && self.file_type().is_empty()
    }

    pub fn message_id(&self) -> Option<&str> {
        Some(self.text.field(0)).filter(|s| !s.is_empty())
    }

    pub fn subject(&self) -> &str {
        self.text.field(1)
    }

    /// The sender's display name, when it differs from the address.
    pub fn from_name(&self) -> &str {
        self.text.field(2)
    }

    pub fn from_addr(&self) -> &str {
        self.text.field(3)
    }

    /// The first recipients (To, then Cc), each by name, else by address.
    pub fn recipients(&self) -> &str {
        self.text.field(4)
    }

    /// For non-mail files: a short type such as `pdf` (empty for e-mail).
    pub fn file_type(&self) -> &str {
        self.text.field(5)
    }

    /// A parse problem that did not stop the document from loading.
    pub fn warning(&self) -> Option<&str> {
        Some(self.text.field(6)).filter(|s| !s.is_empty())
    }

    /// Who sent it, as people read it: the display name, else the address.
    pub fn sender(&self) -> &str {
        let name = self.from_name();
        if name.is_empty() {
            self.from_addr()
        } else {
            name
        }
    }

    /// Size in bytes of the document itself.
    pub fn size(&self) -> u64 {
        if self.location.is_part() {
            u64::from(self.part_size)
        } else {
            self.location.len
        }
    }

    pub fn has_attachments(&self) -> bool {
        self.parts > 0
    }

    /// The document's own file name: an attachment's or archive member's
    /// name, else the name of its file in the dump.
    pub fn file_name(&self) -> String {
        if self.is_part() {
            self.subject().to_string()
        } else {
            self.location
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        }
    }

    /// A part of another document (an attachment, an archive member).
    pub fn is_part(&self) -> bool {
        self.up != 0
    }

    /// Add a problem to the warning (keeping any already there).
    pub fn add_warning(&mut self, problem: &str) {
        let joined = match self.warning() {
            Some(w) => format!("{w}; {problem}"),
            None => problem.to_string(),
        };
        let mut e = self.envelope();
        e.warning = Some(&joined);
        self.text = Text::new(&e);
    }
}

/// The container of part `id`, if it is one.
pub fn container_of(docs: &[Document], id: DocId) -> Option<DocId> {
    let up = docs.get(id)?.up as usize;
    (up != 0).then(|| id.checked_sub(up)).flatten()
}

/// The parts of `id`, its own and their parts, in preorder: the documents
/// right after it whose container chain leads back to it.
pub fn part_range(docs: &[Document], id: DocId) -> std::ops::Range<DocId> {
    let mut end = id + 1;
    while container_of(docs, end).is_some_and(|c| c >= id) {
        end += 1;
    }
    id + 1..end
}

/// The parts directly inside `id` (not their own parts), in order.
pub fn direct_parts(docs: &[Document], id: DocId) -> impl Iterator<Item = DocId> + '_ {
    part_range(docs, id).filter(move |&p| container_of(docs, p) == Some(id))
}

/// A message's `In-Reply-To` and `References` ids (without `<>`), in one
/// string: each id ends with NUL, and a `\x01` separates the two lists.
/// Ids that contain either character are dropped (they are not ids).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadRefs(Box<str>);

impl ThreadRefs {
    pub fn new<'a>(
        in_reply_to: impl IntoIterator<Item = &'a str>,
        references: impl IntoIterator<Item = &'a str>,
    ) -> ThreadRefs {
        let mut out = String::new();
        let usable = |id: &&str| !id.is_empty() && !id.contains(['\0', '\x01']);
        for id in in_reply_to.into_iter().filter(usable) {
            out.push_str(id);
            out.push('\0');
        }
        out.push('\x01');
        for id in references.into_iter().filter(usable) {
            out.push_str(id);
            out.push('\0');
        }
        if out.len() == 1 {
            return ThreadRefs::default();
        }
        ThreadRefs(out.into_boxed_str())
    }

    fn lists(&self) -> (&str, &str) {
        self.0.split_once('\x01').unwrap_or((&self.0, ""))
    }

    /// Ids from `In-Reply-To`, in header order.
    pub fn in_reply_to(&self) -> impl Iterator<Item = &str> {
        self.lists().0.split('\0').filter(|s| !s.is_empty())
    }

    /// Ids from `References`, oldest first.
    pub fn references(&self) -> impl Iterator<Item = &str> {
        self.lists().1.split('\0').filter(|s| !s.is_empty())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for ThreadRefs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ThreadRefs")
            .field("in_reply_to", &self.in_reply_to().collect::<Vec<_>>())
            .field("references", &self.references().collect::<Vec<_>>())
            .finish()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(envelope: &Envelope<'_>) -> Document {
        let location = Location {
            path: Arc::from(Path::new("a/b.mbox")),
            container: Container::Mbox,
            offset: 7,
            len: 42,
            part: crate::model::PartPath::default(),
        };
        Document::new(DocKind::Mail, location, Sha256([1; 32]), envelope)
    }

    #[test]
    fn envelope_fields_come_back_as_given() {
        let given = Envelope {
            message_id: Some("id@x"),
            subject: "Réunion — budget",
            from: "Renée",
            from_addr: "renee@x",
            recipients: "Ken ken@x, bob@y",
            file_type: "",
            warning: Some("odd"),
        };
        let d = doc(&given);
        assert_eq!(d.envelope(), given);
        assert_eq!(d.sender(), "Renée");
        assert_eq!(d.size(), 42);
        let bare = doc(&Envelope {
            from_addr: "a@x",
            ..Envelope::default()
        });
        assert_eq!(bare.message_id(), None);
        assert_eq!(bare.warning(), None);
        assert_eq!(bare.subject(), "");
        assert_eq!(bare.sender(), "a@x");
    }

    #[test]
    fn catalog_encoding_round_trips_and_rejects_bad_offsets() {
        let d = doc(&Envelope {
            message_id: Some("id@x"),
            subject: "é",
            ..Envelope::default()
        });
        let bytes = postcard::to_stdvec(&d).expect("encode");
        let back: Document = postcard::from_bytes(&bytes).expect("decode");
        assert_eq!(back.envelope(), d.envelope());
        // The path is not stored: the catalog sets it from the file's stamp.
        assert_eq!(back.location.path.as_ref(), Path::new(""));
        assert_eq!((back.location.offset, back.location.len), (7, 42));

        for ends in [[0, 5, 5, 5, 5, 5], [4, 3, 6, 6, 6, 6], [4, 6, 7, 7, 7, 7]] {
            let text: (Box<str>, [u16; 6]) = ("id@xé".into(), ends);
            let encoded = postcard::to_stdvec(&text).expect("encode");
            let decoded: Result<Text, _> = postcard::from_bytes(&encoded);
            assert!(decoded.is_err(), "{ends:?} accepted");
        }
    }

    #[test]
    fn thread_refs_keep_order_and_drop_unusable_ids() {
        let r = ThreadRefs::new(["p@x", "", "bad\0id"], ["r@x", "bad\u{1}id", "p@x"]);
        assert_eq!(r.in_reply_to().collect::<Vec<_>>(), ["p@x"]);
        assert_eq!(r.references().collect::<Vec<_>>(), ["r@x", "p@x"]);
        let none = ThreadRefs::new([], []);
        assert!(none.is_empty());
        assert_eq!(none.in_reply_to().count() + none.references().count(), 0);
        let only_refs = ThreadRefs::new([], ["a@x"]);
        assert_eq!(only_refs.in_reply_to().count(), 0);
        assert_eq!(only_refs.references().collect::<Vec<_>>(), ["a@x"]);
    }

    #[test]
    fn overlong_fields_are_cut_at_a_character_boundary() {
        let long = "é".repeat(40_000);
        let d = doc(&Envelope {
            message_id: Some("id@x"),
            subject: &long,
            from_addr: &long,
            warning: Some(&long),
            ..Envelope::default()
        });
        assert_eq!(d.message_id(), Some("id@x"));
        assert_eq!(d.subject().len(), 65_534 - 4);
        assert!(d.subject().chars().all(|c| c == 'é'));
        assert_eq!(d.from_addr(), "");
        assert_eq!(d.warning(), Some(long.as_str()));
    }

    #[test]
    fn document_stays_small() {
        // Half a million of these are in memory while browsing.
        assert!(std::mem::size_of::<Document>() <= 160);
    }
}
