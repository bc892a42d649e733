//! The catalog: every document's envelope and location, the thread tree,
//! and a stamp (size, modification time) per file, so a dump is parsed once
//! and every later open only looks at what changed.
//!
//! Two files in the project folder: `catalog.bin` (what browsing needs) and
//! `threading.bin` (References and In-Reply-To, needed only to re-thread
//! after a change). Both carry the same generation number; each is written
//! to a temporary file and renamed, so a crash leaves the previous pair. A
//! long first index writes checkpoints (`complete = false`) so an
//! interrupted run resumes instead of starting over. A catalog that cannot
//! be read is rebuilt from the dump; it holds no user data.
//!
//! This module reads and writes the files; [`build`] makes a catalog from
//! the dump.

mod build;
pub mod carry;

use build::{rebuild, Listing};
pub use build::{update, update_with_snapshots, CHECKPOINT_ENV};

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde::ser::{SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

use super::progress::{Phase, Progress};
use crate::browse::FlatTree;
use crate::ingest::{self, Scan, ScanError};
use crate::model::{path_bytes, Document, Problem, ThreadRefs};

pub const CATALOG_FILE: &str = "catalog.bin";
pub const REFS_FILE: &str = "threading.bin";
const MAGIC: &[u8; 8] = b"TRAWLCAT";
const REFS_MAGIC: &[u8; 8] = b"TRAWLREF";
/// Bumped whenever the encoding changes, or what a document's bytes are;
/// an older catalog is rebuilt. 5: an `.msg` in an `.msg` is read. 6: text
/// attachments are their bytes as sent, not as decoded text (user data
/// carried over to the new hashes, see [`carry`]).
const FORMAT: u32 = 6;

/// What identifies one file's state at index time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    /// Shared with the file's documents.
    #[serde(with = "path_bytes")]
    pub path: Arc<Path>,
    pub size: u64,
    pub mtime_ns: i64,
    /// How many documents (in catalog order) came from this file.
    pub docs: u32,
}

/// A catalog as loaded: for browsing, `in_reply_to`/`references` of the
/// documents are empty.
#[derive(Debug, Default)]
pub struct Catalog {
    pub complete: bool,
    pub files: Vec<FileStamp>,
    pub docs: Vec<Document>,
    pub problems: Vec<Problem>,
    pub tree: FlatTree,
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("catalog {0}: {1}")]
    Io(PathBuf, io::Error),
    #[error("catalog {0} is damaged or from another version; it will be rebuilt from the dump")]
    Unreadable(PathBuf),
}

/// Figures from one index run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    pub messages: usize,
    pub documents: usize,
    pub files: usize,
    /// Size of every file in the dump.
    pub bytes: u64,
    /// Files read in this run (new or changed) and their size.
    pub parsed_files: usize,
    pub parsed_bytes: u64,
    pub reused_files: usize,
    pub vanished_files: usize,
    pub seconds: f64,
    pub catalog_bytes: u64,
    /// Whether the catalog had to be rewritten.
    pub changed: bool,
    /// Why the catalog could not be saved (e.g. a full disk), if it wasn't.
    pub save_error: Option<String>,
}

/// The result of an index run: documents (ready for browsing), their tree.
#[derive(Debug)]
pub struct Outcome {
    pub scan: Scan,
    pub tree: FlatTree,
    pub stats: Stats,
}

#[derive(Deserialize)]
struct CatalogIn {
    generation: u64,
    complete: bool,
    files: Vec<FileStamp>,
    docs: Vec<Document>,
    problems: Vec<Problem>,
    tree: FlatTree,
}

#[derive(Serialize)]
struct CatalogOut<'a> {
    generation: u64,
    complete: bool,
    files: &'a [FileStamp],
    docs: &'a [Document],
    problems: &'a [Problem],
    tree: &'a FlatTree,
}

#[derive(Deserialize)]
struct RefsIn {
    generation: u64,
    refs: Vec<ThreadRefs>,
}

#[derive(Serialize)]
struct RefsOut<'a> {
    generation: u64,
    refs: RefsSeq<'a>,
}

/// The threading headers of every document, in catalog order.
struct RefsSeq<'a>(&'a [Document]);

impl Serialize for RefsSeq<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for doc in self.0 {
            seq.serialize_element(&doc.threading)?;
        }
        seq.end()
    }
}

/// Scratch space for decoding one field at a time (fields are bounded by
/// the ingest limits: subjects and addresses are clipped, paths are short).
const SCRATCH: usize = 1 << 20;

/// Open a catalog file and check its header; `Ok(None)` if it is absent.
fn open_with_magic(path: &Path, magic: [u8; 8]) -> Result<Option<BufReader<File>>, CatalogError> {
    open_with(path, magic, FORMAT)
}

/// [`open_with_magic`] for a catalog of format `format`.
fn open_with(
    path: &Path,
    magic: [u8; 8],
    format: u32,
) -> Result<Option<BufReader<File>>, CatalogError> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(CatalogError::Io(path.to_path_buf(), e)),
    };
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut header = [0u8; 12];
    let header_ok = reader.read_exact(&mut header).is_ok()
        && header[..8] == magic
        && header[8..] == format.to_le_bytes();
    if !header_ok {
        return Err(CatalogError::Unreadable(path.to_path_buf()));
    }
    Ok(Some(reader))
}

/// Decode a whole file from `reader` without holding its bytes in memory.
fn decode<T: serde::de::DeserializeOwned>(
    reader: BufReader<File>,
    path: &Path,
) -> Result<T, CatalogError> {
    let mut scratch = vec![0u8; SCRATCH];
    postcard::from_io((reader, &mut scratch))
        .map(|(value, _)| value)
        .map_err(|_| CatalogError::Unreadable(path.to_path_buf()))
}

/// Whether the catalog in `dir` is complete and describes exactly the
/// `listed` files (same paths, sizes, times). Compares stamp by stamp as
/// they are decoded, without holding them all.
fn describes(dir: &Path, listed: &[ingest::FileEntry]) -> bool {
    let path = dir.join(CATALOG_FILE);
    let Ok(Some(reader)) = open_with_magic(&path, *MAGIC) else {
        return false;
    };
    let mut scratch = vec![0u8; SCRATCH];
    let mut de = postcard::Deserializer::from_flavor(postcard::de_flavors::io::io::IOReader::new(
        reader,
        &mut scratch,
    ));
    serde::de::DeserializeSeed::deserialize(HeadMatches(listed), &mut de).unwrap_or(false)
}

/// Decodes a catalog's first fields (generation, complete, file stamps:
/// postcard decodes fields in order, so the documents are never read)
/// into "does it describe these files?".
struct HeadMatches<'a>(&'a [ingest::FileEntry]);

impl<'de> serde::de::DeserializeSeed<'de> for HeadMatches<'_> {
    type Value = bool;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_tuple(3, self)
    }
}

impl<'de> serde::de::Visitor<'de> for HeadMatches<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a catalog head")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        let _generation: Option<u64> = seq.next_element()?;
        let complete: Option<bool> = seq.next_element()?;
        if complete != Some(true) {
            return Ok(false);
        }
        Ok(seq.next_element_seed(StampsMatch(self.0))? == Some(true))
    }
}

/// The stamps of a catalog, compared one by one with the listed files.
struct StampsMatch<'a>(&'a [ingest::FileEntry]);

impl<'de> serde::de::DeserializeSeed<'de> for StampsMatch<'_> {
    type Value = bool;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for StampsMatch<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("file stamps")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        if seq.size_hint() != Some(self.0.len()) {
            return Ok(false);
        }
        for f in self.0 {
            match seq.next_element::<FileStamp>()? {
                Some(s) if *s.path == *f.path && s.size == f.size && s.mtime_ns == f.mtime_ns => {}
                _ => return Ok(false),
            }
        }
        Ok(true)
    }
}

/// Bring the catalog up to date, but return `Ok(None)` without loading
/// any document when it already describes the dump: what a browser that
/// has the catalog on screen needs to know.
pub fn check(
    root: &Path,
    dir: &Path,
    on_progress: &(dyn Fn(&Progress) + Sync),
    on_snapshot: &dyn Fn(Outcome),
) -> Result<Option<Outcome>, ScanError> {
    let start = Instant::now();
    ingest::check_root(root)?;
    let mut p = Progress::new(Phase::Listing);
    p.elapsed = start.elapsed();
    on_progress(&p);
    let (listed, walk_problems) = ingest::list_files(root);
    if describes(dir, &listed) {
        return Ok(None);
    }
    let listing = Listing {
        start,
        listed,
        walk_problems,
    };
    Ok(Some(rebuild(root, dir, listing, on_progress, on_snapshot)))
}

/// Load what browsing needs. `Ok(None)` when there is no catalog yet.
pub fn load_view(dir: &Path) -> Result<Option<Catalog>, CatalogError> {
    Ok(load_with_generation(dir)?.map(|(c, _)| c))
}

fn load_with_generation(dir: &Path) -> Result<Option<(Catalog, u64)>, CatalogError> {
    load_format(dir, FORMAT)
}

/// The catalog in `dir` if it is of format `format` (whose documents must
/// be encoded as this version's are).
fn load_format(dir: &Path, format: u32) -> Result<Option<(Catalog, u64)>, CatalogError> {
    let path = dir.join(CATALOG_FILE);
    let Some(reader) = open_with(&path, *MAGIC, format)? else {
        return Ok(None);
    };
    let mut data: CatalogIn = decode(reader, &path)?;
    let counted: u64 = data.files.iter().map(|f| u64::from(f.docs)).sum();
    if counted != data.docs.len() as u64
        || (data.complete && data.tree.doc_node.len() != data.docs.len())
    {
        return Err(CatalogError::Unreadable(path));
    }
    restore_paths(&data.files, &mut data.docs);
    let catalog = Catalog {
        complete: data.complete,
        files: data.files,
        docs: data.docs,
        problems: data.problems,
        tree: data.tree,
    };
    Ok(Some((catalog, data.generation)))
}

/// Documents are stored without their path: give each file's documents
/// one shared copy of it, from the file's stamp.
fn restore_paths(files: &[FileStamp], docs: &mut [Document]) {
    let mut rest = docs;
    for file in files {
        let (these, others) = rest.split_at_mut((file.docs as usize).min(rest.len()));
        for doc in these {
            doc.location.path = Arc::clone(&file.path);
        }
        rest = others;
    }
}

/// The threading headers of the `docs` documents of the catalog in `dir`
/// (in catalog order; browsing keeps none in memory), or `None` when they
/// cannot be read or do not belong to that catalog.
pub fn load_refs(dir: &Path, docs: usize) -> Option<Vec<ThreadRefs>> {
    #[derive(Deserialize)]
    struct Head {
        generation: u64,
    }
    let path = dir.join(CATALOG_FILE);
    let head: Head = decode(open_with_magic(&path, *MAGIC).ok()??, &path).ok()?;
    let path = dir.join(REFS_FILE);
    let refs: RefsIn = decode(open_with_magic(&path, *REFS_MAGIC).ok()??, &path).ok()?;
    (refs.generation == head.generation && refs.refs.len() == docs).then_some(refs.refs)
}

/// The catalog with threading headers restored, or `None` if either file is
/// missing, damaged or from a different generation (then: rebuild).
fn load_full(dir: &Path) -> Option<Catalog> {
    let (mut catalog, generation) = load_with_generation(dir).ok()??;
    let path = dir.join(REFS_FILE);
    let reader = open_with_magic(&path, *REFS_MAGIC).ok()??;
    let refs: RefsIn = decode(reader, &path).ok()?;
    if refs.generation != generation || refs.refs.len() != catalog.docs.len() {
        return None;
    }
    for (doc, refs) in catalog.docs.iter_mut().zip(refs.refs) {
        doc.threading = refs;
    }
    Some(catalog)
}

fn write_atomic(path: &Path, magic: [u8; 8], value: &impl Serialize) -> io::Result<u64> {
    // Unique per process: two trawls indexing one project never share it.
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let file = File::create(&tmp)?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    out.write_all(&magic)?;
    out.write_all(&FORMAT.to_le_bytes())?;
    postcard::to_io(value, &mut out).map_err(io::Error::other)?;
    let file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
    file.sync_all()?;
    let size = file.metadata()?.len();
    drop(file);
    std::fs::rename(&tmp, path)?;
    Ok(size)
}

/// Remove temporary files a killed run left behind (`catalog.bin.tmp123`).
fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let ours = [CATALOG_FILE, REFS_FILE]
            .iter()
            .any(|f| name.starts_with(&format!("{f}.tmp")));
        if ours && !name.ends_with(&format!(".tmp{}", std::process::id())) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Write both files; returns their total size.
fn save(
    dir: &Path,
    complete: bool,
    files: &[FileStamp],
    docs: &[Document],
    problems: &[Problem],
    tree: &FlatTree,
) -> io::Result<u64> {
    remove_stale_temporaries(dir);
    let generation = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let refs = write_atomic(
        &dir.join(REFS_FILE),
        *REFS_MAGIC,
        &RefsOut {
            generation,
            refs: RefsSeq(docs),
        },
    )?;
    let catalog = write_atomic(
        &dir.join(CATALOG_FILE),
        *MAGIC,
        &CatalogOut {
            generation,
            complete,
            files,
            docs,
            problems,
            tree,
        },
    )?;
    Ok(refs + catalog)
}

/// Remove a catalog that cannot be read, so the next run rebuilds it.
pub fn discard(dir: &Path) {
    for f in [CATALOG_FILE, REFS_FILE] {
        let _ = std::fs::remove_file(dir.join(f));
    }
}

/// Size of the catalog files on disk.
pub fn catalog_size(dir: &Path) -> u64 {
    [CATALOG_FILE, REFS_FILE]
        .iter()
        .filter_map(|f| std::fs::metadata(dir.join(f)).ok())
        .map(|m| m.len())
        .sum()
}
