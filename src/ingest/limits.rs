//! Hard limits that keep a hostile dump from exhausting memory or time.
//! Each is enforced where the bytes are read; each has a test.

/// Largest message or file read into memory for parsing. Bigger documents
/// are still listed; only their first bytes are parsed, with a warning.
/// Two are parsed at once on two cores; with mail-parser's decoded copies
/// this keeps a dump of huge messages under the indexing memory target.
pub const MAX_DOCUMENT_BYTES: u64 = 32 * 1024 * 1024;

/// Files up to this size are read in one go; larger ones are streamed.
pub const SMALL_FILE: u64 = 1024 * 1024;

/// How many bytes of a file are sniffed to decide what it is.
pub const SNIFF_BYTES: usize = 8 * 1024;

/// Messages of one mbox parsed together on all cores; bounds memory while
/// streaming a large mbox.
pub const MBOX_BATCH: usize = 512;

/// Longest header value kept in the catalog (subject, addresses).
pub const MAX_FIELD_CHARS: usize = 2_000;

/// Most Message-IDs kept from one `References` header.
pub const MAX_REFERENCES: usize = 200;
