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

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use serde::ser::{SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

use super::progress::{Phase, Progress};
use crate::browse::FlatTree;
use crate::ingest::{self, Counters, Scan, ScanError};
use crate::model::{path_bytes, Document, Problem, ThreadRefs};

pub const CATALOG_FILE: &str = "catalog.bin";
pub const REFS_FILE: &str = "threading.bin";
const MAGIC: &[u8; 8] = b"TRAWLCAT";
const REFS_MAGIC: &[u8; 8] = b"TRAWLREF";
/// Bumped whenever the encoding changes; an older catalog is rebuilt.
const FORMAT: u32 = 2;
/// Files parsed together between progress checks and checkpoints: at most
/// this many, and no more bytes than [`CHUNK_BYTES`] once there are two
/// (big mbox files come a few at a time, so their documents join the
/// catalog, and free their per-file vectors, soon after they are read).
const CHUNK: usize = 256;
const CHUNK_BYTES: u64 = 32 << 20;
const CHECKPOINT_EVERY: Duration = Duration::from_secs(15);
/// Overrides the checkpoint interval (milliseconds); for tests that
/// interrupt an index run.
pub const CHECKPOINT_ENV: &str = "TRAWL_CHECKPOINT_MS";
const TICK: Duration = Duration::from_millis(200);

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
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(CatalogError::Io(path.to_path_buf(), e)),
    };
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut header = [0u8; 12];
    let header_ok = reader.read_exact(&mut header).is_ok()
        && header[..8] == magic
        && header[8..] == FORMAT.to_le_bytes();
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
    let path = dir.join(CATALOG_FILE);
    let Some(reader) = open_with_magic(&path, *MAGIC)? else {
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

/// What the previous catalog knew about one file.
struct Known {
    stamp: FileStamp,
    docs: Vec<Document>,
    problems: Vec<Problem>,
}

/// Split a previous catalog into per-file pieces, by path.
fn known_files(prev: Catalog) -> HashMap<Arc<Path>, Known> {
    let mut problems: HashMap<PathBuf, Vec<Problem>> = HashMap::new();
    for p in prev.problems {
        problems.entry(p.path.clone()).or_default().push(p);
    }
    let mut docs = prev.docs.into_iter();
    prev.files
        .into_iter()
        .map(|stamp| {
            let file_docs: Vec<Document> = docs.by_ref().take(stamp.docs as usize).collect();
            let file_problems = problems.remove(&*stamp.path).unwrap_or_default();
            (
                stamp.path.clone(),
                Known {
                    stamp,
                    docs: file_docs,
                    problems: file_problems,
                },
            )
        })
        .collect()
}

/// Index the dump at `root` into the project folder `dir`: reuse what the
/// catalog already has for unchanged files, parse the rest on all cores,
/// re-thread if anything changed, save. `on_progress` is called from a
/// worker thread a few times a second.
pub fn update(
    root: &Path,
    dir: &Path,
    on_progress: &(dyn Fn(&Progress) + Sync),
) -> Result<Outcome, ScanError> {
    update_with_snapshots(root, dir, on_progress, &|_| {})
}

/// Document counts at which a long run shows what it has so far: spaced
/// tenfold, so the copies cost O(n) in all; and only while less than 70%
/// of the bytes are read, so no copy is made when the end is near.
const SNAPSHOT_AT: [usize; 3] = [5_000, 50_000, 500_000];

/// [`update`], also handing `on_snapshot` the documents known so far (with
/// their thread tree) when a long run passes 5,000, 50,000 and 500,000
/// documents, so they can be browsed before the run ends.
pub fn update_with_snapshots(
    root: &Path,
    dir: &Path,
    on_progress: &(dyn Fn(&Progress) + Sync),
    on_snapshot: &dyn Fn(Outcome),
) -> Result<Outcome, ScanError> {
    let start = Instant::now();
    if let Some(outcome) = check(root, dir, on_progress, on_snapshot)? {
        return Ok(outcome);
    }
    // Up to date: the documents come from the catalog as they are, unless
    // its body is damaged (the head was fine): then rebuild from the dump.
    let Ok(Some(view)) = load_view(dir) else {
        discard(dir);
        let (listed, walk_problems) = ingest::list_files(root);
        let listing = Listing {
            start,
            listed,
            walk_problems,
        };
        return Ok(rebuild(root, dir, listing, on_progress, on_snapshot));
    };
    let stats = Stats {
        messages: view.docs.iter().filter(|d| d.is_mail()).count(),
        documents: view.docs.len(),
        files: view.files.len(),
        bytes: view.files.iter().map(|f| f.size).sum(),
        reused_files: view.files.len(),
        seconds: start.elapsed().as_secs_f64(),
        catalog_bytes: catalog_size(dir),
        ..Stats::default()
    };
    Ok(Outcome {
        scan: Scan {
            root: root.to_path_buf(),
            docs: view.docs,
            problems: view.problems,
        },
        tree: view.tree,
        stats,
    })
}

/// Remove a catalog that cannot be read, so the next run rebuilds it.
pub fn discard(dir: &Path) {
    for f in [CATALOG_FILE, REFS_FILE] {
        let _ = std::fs::remove_file(dir.join(f));
    }
}

/// The files found by a walk of the dump, and when the run started.
struct Listing {
    start: Instant,
    listed: Vec<ingest::FileEntry>,
    walk_problems: Vec<Problem>,
}

/// Reuse what the catalog knows of unchanged files, parse the rest,
/// re-thread and save.
fn rebuild(
    root: &Path,
    dir: &Path,
    listing: Listing,
    on_progress: &(dyn Fn(&Progress) + Sync),
    on_snapshot: &dyn Fn(Outcome),
) -> Outcome {
    let Listing {
        start,
        listed,
        walk_problems,
    } = listing;
    let report = |mut p: Progress| {
        p.elapsed = start.elapsed();
        on_progress(&p);
    };
    let mut prev = load_full(dir);
    let prev_tree = prev
        .as_mut()
        .filter(|c| c.complete)
        .map(|c| std::mem::take(&mut c.tree));
    let mut known = prev.map(known_files).unwrap_or_default();

    // By listed index: what we already know of unchanged files.
    let mut reused: HashMap<usize, Known> = HashMap::new();
    let mut to_parse: Vec<usize> = Vec::new();
    for (i, f) in listed.iter().enumerate() {
        match known.remove(&*f.path) {
            Some(k) if k.stamp.size == f.size && k.stamp.mtime_ns == f.mtime_ns => {
                reused.insert(i, k);
            }
            _ => to_parse.push(i),
        }
    }
    let vanished: Vec<PathBuf> = known.into_keys().map(|p| p.to_path_buf()).collect();

    let mut stats = Stats {
        files: listed.len(),
        bytes: listed.iter().map(|f| f.size).sum(),
        parsed_files: to_parse.len(),
        parsed_bytes: to_parse.iter().map(|&i| listed[i].size).sum(),
        reused_files: listed.len() - to_parse.len(),
        vanished_files: vanished.len(),
        ..Stats::default()
    };
    stats.changed = !to_parse.is_empty() || !vanished.is_empty() || prev_tree.is_none();

    let run = Run {
        root,
        dir,
        listed: &listed,
        to_parse: &to_parse,
        stats: &stats,
    };
    let mut assembly = Assembly {
        files: Vec::with_capacity(listed.len()),
        problems: walk_problems,
        ..Assembly::default()
    };
    parse_missing(&run, &mut reused, &mut assembly, &report, &|docs| {
        on_snapshot(snapshot_outcome(root, docs));
    });
    assembly.take_reused(&listed, &mut reused, listed.len());
    // The stamps say it all now; free the listing before threading, and
    // what the doubling vector has to spare.
    drop(listed);
    assembly.docs.shrink_to_fit();
    let Assembly {
        files,
        mut docs,
        mut problems,
        ..
    } = assembly;
    problems.extend(vanished.into_iter().map(|path| Problem {
        path,
        reason: "no longer in the dump (it was indexed before)".into(),
    }));
    let unchanged_tree = prev_tree.filter(|t| !stats.changed && t.doc_node.len() == docs.len());
    let tree = if let Some(tree) = unchanged_tree {
        stats.catalog_bytes = catalog_size(dir);
        tree
    } else {
        stats.changed = true;
        let mut p = Progress::new(Phase::Threading);
        p.messages = docs.iter().filter(|d| d.is_mail()).count();
        report(p);
        let tree = FlatTree::build(&docs);
        report(Progress::new(Phase::Saving));
        match save(dir, true, &files, &docs, &problems, &tree) {
            Ok(size) => stats.catalog_bytes = size,
            Err(e) => {
                stats.save_error = Some(format!(
                    "could not save the catalog in {}: {e}",
                    dir.display()
                ));
            }
        }
        tree
    };
    strip_threading_headers(&mut docs);
    stats.documents = docs.len();
    stats.messages = docs.iter().filter(|d| d.is_mail()).count();
    stats.seconds = start.elapsed().as_secs_f64();
    Outcome {
        scan: Scan {
            root: root.to_path_buf(),
            docs,
            problems,
        },
        tree,
        stats,
    }
}

/// The catalog being laid out in file order, as files are parsed: stamps,
/// documents and problems of every listed file before `next`. Documents go
/// straight into one vector (no per-file copies left behind to fragment
/// memory).
#[derive(Default)]
struct Assembly {
    files: Vec<FileStamp>,
    docs: Vec<Document>,
    problems: Vec<Problem>,
    next: usize,
}

impl Assembly {
    /// Lay out the unchanged files before listed index `upto`.
    fn take_reused(
        &mut self,
        listed: &[ingest::FileEntry],
        reused: &mut HashMap<usize, Known>,
        upto: usize,
    ) {
        for (i, entry) in listed.iter().enumerate().take(upto).skip(self.next) {
            let (docs, problems) = reused
                .remove(&i)
                .map_or_else(Default::default, |k| (k.docs, k.problems));
            self.push(entry, docs, problems);
        }
        self.next = self.next.max(upto);
    }

    /// Lay out listed file `i`, just parsed (after the unchanged ones
    /// before it).
    fn push_parsed(
        &mut self,
        listed: &[ingest::FileEntry],
        reused: &mut HashMap<usize, Known>,
        i: usize,
        (docs, problems): (Vec<Document>, Vec<Problem>),
    ) {
        self.take_reused(listed, reused, i);
        self.push(&listed[i], docs, problems);
        self.next = i + 1;
    }

    fn push(&mut self, entry: &ingest::FileEntry, docs: Vec<Document>, problems: Vec<Problem>) {
        self.files.push(stamp_of(entry, docs.len()));
        self.docs.extend(docs);
        self.problems.extend(problems);
    }
}

/// What a run knows so far, threaded and ready to browse.
fn snapshot_outcome(root: &Path, docs: &[Document]) -> Outcome {
    let mut docs = docs.to_vec();
    let tree = FlatTree::build(&docs);
    strip_threading_headers(&mut docs);
    let stats = Stats {
        documents: docs.len(),
        messages: docs.iter().filter(|d| d.is_mail()).count(),
        changed: true,
        ..Stats::default()
    };
    Outcome {
        scan: Scan {
            root: root.to_path_buf(),
            docs,
            problems: Vec::new(),
        },
        tree,
        stats,
    }
}

/// Browsing never needs the threading headers; free them.
fn strip_threading_headers(docs: &mut [Document]) {
    for d in docs {
        d.threading = ThreadRefs::default();
    }
}

/// What one run parses, and where.
struct Run<'a> {
    root: &'a Path,
    dir: &'a Path,
    listed: &'a [ingest::FileEntry],
    to_parse: &'a [usize],
    stats: &'a Stats,
}

fn stamp_of(entry: &ingest::FileEntry, docs: usize) -> FileStamp {
    FileStamp {
        path: entry.path.clone(),
        size: entry.size,
        mtime_ns: entry.mtime_ns,
        docs: u32::try_from(docs).unwrap_or(u32::MAX),
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

/// Parse the files listed in `to_parse` into their slots, in chunks on all
/// cores, reporting progress and writing checkpoints along the way.
fn parse_missing(
    run: &Run<'_>,
    reused: &mut HashMap<usize, Known>,
    assembly: &mut Assembly,
    report: &(dyn Fn(Progress) + Sync),
    show_partial: &dyn Fn(&[Document]),
) {
    let Run {
        root,
        dir,
        listed,
        to_parse,
        stats,
    } = *run;
    let mut known_docs: usize = reused.values().map(|k| k.docs.len()).sum();
    let mut next_snapshot = SNAPSHOT_AT.iter().copied().find(|&n| n > known_docs);
    let counters = Counters::default();
    let files_done = AtomicUsize::new(0);
    let finished = AtomicBool::new(false);
    let snapshot = |phase: Phase| {
        let mut p = Progress::new(phase);
        p.files_total = to_parse.len();
        p.files_done = files_done.load(Ordering::Relaxed);
        p.bytes_total = stats.parsed_bytes;
        p.bytes_done = counters.bytes.load(Ordering::Relaxed);
        p.messages = counters.messages.load(Ordering::Relaxed);
        p
    };
    std::thread::scope(|scope| {
        scope.spawn(|| loop {
            std::thread::sleep(TICK);
            if finished.load(Ordering::Relaxed) {
                break;
            }
            report(snapshot(Phase::Reading));
        });
        let every = std::env::var(CHECKPOINT_ENV)
            .ok()
            .and_then(|v| v.parse().ok())
            .map_or(CHECKPOINT_EVERY, Duration::from_millis);
        let mut last_checkpoint = Instant::now();
        for chunk in chunks(to_parse, listed) {
            let parsed: Vec<(Vec<Document>, Vec<Problem>)> = chunk
                .par_iter()
                .map(|&i| {
                    let r = ingest::parse_at(root, &listed[i].path, &counters);
                    files_done.fetch_add(1, Ordering::Relaxed);
                    r
                })
                .collect();
            for (&i, file) in chunk.iter().zip(parsed) {
                known_docs += file.0.len();
                assembly.push_parsed(listed, reused, i, file);
            }
            // Worth a copy only while much of the run is still ahead.
            let ahead = counters.bytes.load(Ordering::Relaxed) < stats.parsed_bytes / 10 * 7;
            if ahead && next_snapshot.is_some_and(|n| known_docs >= n) {
                show_partial(&assembly.docs);
                next_snapshot = SNAPSHOT_AT.iter().copied().find(|&n| n > known_docs);
            }
            if last_checkpoint.elapsed() >= every {
                checkpoint(dir, assembly);
                last_checkpoint = Instant::now();
            }
        }
        finished.store(true, Ordering::Relaxed);
    });
    report(snapshot(Phase::Reading));
}

/// `to_parse` cut into consecutive chunks of at most [`CHUNK`] files and,
/// beyond one file, [`CHUNK_BYTES`] bytes.
fn chunks<'a>(
    to_parse: &'a [usize],
    listed: &'a [ingest::FileEntry],
) -> impl Iterator<Item = &'a [usize]> {
    let mut rest = to_parse;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut bytes = 0;
        let mut len = 0;
        for &i in rest.iter().take(CHUNK) {
            bytes += listed[i].size;
            if len > 0 && bytes > CHUNK_BYTES {
                break;
            }
            len += 1;
        }
        let (chunk, tail) = rest.split_at(len);
        rest = tail;
        Some(chunk)
    })
}

/// Save what is known so far (every file up to the last one parsed), so an
/// interrupted run resumes from here. Failure only costs the checkpoint.
fn checkpoint(dir: &Path, assembly: &Assembly) {
    let _ = save(
        dir,
        false,
        &assembly.files,
        &assembly.docs,
        &assembly.problems,
        &FlatTree::default(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(sizes: &[u64]) -> Vec<ingest::FileEntry> {
        sizes
            .iter()
            .enumerate()
            .map(|(i, &size)| ingest::FileEntry {
                path: Arc::from(Path::new(&format!("f{i}"))),
                size,
                mtime_ns: 0,
            })
            .collect()
    }

    #[test]
    fn chunks_are_bounded_by_count_and_bytes() {
        let small = listed(&[10; 600]);
        let all: Vec<usize> = (0..600).collect();
        let lens: Vec<usize> = chunks(&all, &small).map(<[usize]>::len).collect();
        assert_eq!(lens, [256, 256, 88]);

        let mb = 1 << 20;
        let mixed = listed(&[40 * mb, 10 * mb, 10 * mb, 10 * mb, 10 * mb, 1]);
        let some = [0, 1, 2, 3, 4, 5];
        let cut: Vec<&[usize]> = chunks(&some, &mixed).collect();
        // A file bigger than the limit goes alone; others fill up to it.
        assert_eq!(cut, [&[0][..], &[1, 2, 3][..], &[4, 5][..]]);
        assert_eq!(chunks(&[], &mixed).count(), 0);
    }
}
