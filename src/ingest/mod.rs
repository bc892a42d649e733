//! Walk a dump and turn every file into documents.
//!
//! This module only ever opens files under the dump root for reading: a dump
//! is evidence. It never follows symbolic links (they could point outside
//! the dump), never opens anything but regular files (a FIFO would hang the
//! scan), and bounds what it reads (see [`limits`]). A file that cannot be
//! read becomes a [`Problem`]; the rest of the dump still loads.

pub mod detect;
mod embedded_msg;
pub mod limits;
pub mod mail;
pub mod mbox;
pub mod outlook;
pub mod part_bytes;
pub mod parts;

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use rayon::prelude::*;

use crate::model::{Container, DocKind, Document, Envelope, Location, Problem};
use detect::FileFormat;
use limits::{MAX_DOCUMENT_BYTES, MBOX_BATCH, SMALL_FILE, SNIFF_BYTES};

/// Everything found in a dump.
#[derive(Debug, Default)]
pub struct Scan {
    pub root: PathBuf,
    /// Sorted by path, then by offset inside the file. Shared, so that
    /// background work (the full-text index) can read them while they are
    /// on screen.
    pub docs: Arc<Vec<Document>>,
    pub problems: Vec<Problem>,
}

impl Scan {
    pub fn mail_count(&self) -> usize {
        self.docs.iter().filter(|d| d.is_mail()).count()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("{0}: no such file or directory")]
    NotFound(PathBuf),
    #[error("{0}: is a file, not a directory (give the folder that holds the dump)")]
    NotADirectory(PathBuf),
    #[error("{0}: cannot open: {1}")]
    Unreadable(PathBuf, io::Error),
}

/// A regular file found in the dump, with what tells whether it changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEntry {
    /// Relative to the dump root; shared with the file's documents.
    pub path: Arc<Path>,
    pub size: u64,
    /// Modification time, nanoseconds since the epoch (0 if unknown).
    pub mtime_ns: i64,
}

/// Live counters a long parse updates, for progress reports.
#[derive(Debug, Default)]
pub struct Counters {
    pub bytes: AtomicU64,
    pub messages: AtomicUsize,
}

impl Counters {
    fn add(&self, bytes: u64, messages: usize) {
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
        self.messages.fetch_add(messages, Ordering::Relaxed);
    }
}

/// Walk `root` recursively and parse every file, on all cores.
pub fn scan(root: &Path) -> Result<Scan, ScanError> {
    check_root(root)?;
    let (files, mut problems) = list_files(root);
    let counters = Counters::default();
    let per_file: Vec<(Vec<Document>, Vec<Problem>)> = files
        .par_iter()
        .map(|f| parse_at(root, &f.path, &counters))
        .collect();
    let mut docs = Vec::new();
    for (d, p) in per_file {
        docs.extend(d);
        problems.extend(p);
    }
    Ok(Scan {
        root: root.to_path_buf(),
        docs: Arc::new(docs),
        problems,
    })
}

/// The dump root exists, is a directory and can be listed.
pub fn check_root(root: &Path) -> Result<(), ScanError> {
    let meta = std::fs::metadata(root).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => ScanError::NotFound(root.to_path_buf()),
        _ => ScanError::Unreadable(root.to_path_buf(), e),
    })?;
    if !meta.is_dir() {
        return Err(ScanError::NotADirectory(root.to_path_buf()));
    }
    std::fs::read_dir(root).map_err(|e| ScanError::Unreadable(root.to_path_buf(), e))?;
    Ok(())
}

/// Parse one file on its own; locations keep `path` as given.
pub fn parse_file(path: &Path) -> (Vec<Document>, Vec<Problem>) {
    parse_at(Path::new(""), &Arc::from(path), &Counters::default())
}

/// Regular files under `root`, relative to it, sorted, with size and
/// modification time; plus what was skipped and why.
pub fn list_files(root: &Path) -> (Vec<FileEntry>, Vec<Problem>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let walk = walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name();
    for entry in walk {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map_or_else(|| root.to_path_buf(), Path::to_path_buf);
                problems.push(Problem {
                    path: relative(root, &path),
                    reason: format!("cannot read: {}", io_reason(&e.to_string())),
                });
                continue;
            }
        };
        let ft = entry.file_type();
        let rel = relative(root, entry.path());
        if ft.is_symlink() {
            problems.push(Problem {
                path: rel,
                reason: "symbolic link not followed".into(),
            });
        } else if ft.is_file() {
            match entry.metadata() {
                Ok(meta) => files.push(FileEntry {
                    path: Arc::from(rel),
                    size: meta.len(),
                    mtime_ns: mtime_ns(&meta),
                }),
                // Vanished between listing and stat: report, go on.
                Err(e) => problems.push(Problem {
                    path: rel,
                    reason: format!("cannot read: {}", io_reason(&e.to_string())),
                }),
            }
        } else if !ft.is_dir() {
            problems.push(Problem {
                path: rel,
                reason: "not a regular file (device, pipe or socket): skipped".into(),
            });
        }
    }
    (files, problems)
}

fn mtime_ns(meta: &std::fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

fn io_reason(s: &str) -> String {
    s.rsplit_once(": ").map_or(s, |(_, r)| r).to_string()
}

/// Parse the file at `root/rel` into documents, counting progress.
pub fn parse_at(
    root: &Path,
    rel: &Arc<Path>,
    counters: &Counters,
) -> (Vec<Document>, Vec<Problem>) {
    match try_parse(root, rel, counters) {
        Ok(r) => r,
        Err(e) => (
            Vec::new(),
            vec![Problem {
                path: rel.to_path_buf(),
                reason: format!("cannot read: {e}"),
            }],
        ),
    }
}

fn try_parse(
    root: &Path,
    rel: &Arc<Path>,
    counters: &Counters,
) -> io::Result<(Vec<Document>, Vec<Problem>)> {
    let full = root.join(&**rel);
    let mut file = File::open(&full)?;
    let meta = file.metadata()?;
    let size = meta.len();
    // Most files are small: read them once. Larger ones are sniffed, then
    // streamed (mbox) or read up to the limit.
    let whole = size <= SMALL_FILE;
    let mut head = Vec::with_capacity(if whole {
        size as usize + 1
    } else {
        SNIFF_BYTES
    });
    let want = if whole {
        SMALL_FILE + 1
    } else {
        SNIFF_BYTES as u64
    };
    (&mut file).take(want).read_to_end(&mut head)?;
    let whole = whole && head.len() as u64 <= SMALL_FILE;
    let sniffed = &head[..head.len().min(SNIFF_BYTES)];
    match detect::detect(rel, sniffed) {
        FileFormat::Mbox if whole => Ok(parse_mbox(rel, io::Cursor::new(&head), counters)),
        FileFormat::Mbox => {
            file.seek(SeekFrom::Start(0))?;
            let reader = BufReader::with_capacity(256 * 1024, file);
            Ok(parse_mbox(rel, reader, counters))
        }
        FileFormat::Message => {
            let bytes = if whole {
                head
            } else {
                file.seek(SeekFrom::Start(0))?;
                let mut bytes = Vec::with_capacity(size.min(MAX_DOCUMENT_BYTES) as usize);
                file.take(MAX_DOCUMENT_BYTES).read_to_end(&mut bytes)?;
                bytes
            };
            let location = whole_file(rel, size);
            let docs = mail::parse_message(&bytes, location, size > MAX_DOCUMENT_BYTES);
            counters.add(size, 1);
            Ok((docs, Vec::new()))
        }
        FileFormat::Other => {
            let hash = if whole {
                mail::hash_reader(&head[..])?
            } else {
                file.seek(SeekFrom::Start(0))?;
                mail::hash_reader(file)?
            };
            let file_type = if size == 0 {
                "empty".to_string()
            } else {
                detect::file_type(rel, &head)
            };
            let name = rel
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default();
            let envelope = Envelope {
                subject: &name,
                file_type: &file_type,
                ..Envelope::default()
            };
            let mut doc = Document::new(DocKind::File, whole_file(rel, size), hash, &envelope);
            doc.date = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|d| d.as_secs() as i64);
            let mut docs = vec![doc];
            if parts::may_have_parts(&head) {
                if size > MAX_DOCUMENT_BYTES {
                    docs[0].add_warning(&format!(
                        "too large to open its parts ({} MB; the limit is {} MB)",
                        size >> 20,
                        MAX_DOCUMENT_BYTES >> 20
                    ));
                } else if whole {
                    parts::of_file(&head, &mut docs, 0);
                } else {
                    let bytes = read_document(root, &docs[0].location)?;
                    parts::of_file(&bytes, &mut docs, 0);
                }
            }
            counters.add(size, usize::from(docs[0].is_mail()));
            Ok((docs, Vec::new()))
        }
    }
}

fn whole_file(rel: &Arc<Path>, size: u64) -> Location {
    Location {
        path: Arc::clone(rel),
        container: Container::File,
        offset: 0,
        len: size,
        part: crate::model::PartPath::default(),
    }
}

/// Stream an mbox, parsing batches of messages in parallel.
fn parse_mbox(
    rel: &Arc<Path>,
    reader: impl io::BufRead,
    counters: &Counters,
) -> (Vec<Document>, Vec<Problem>) {
    let mut docs = Vec::new();
    let mut problems = Vec::new();
    let mut reader = mbox::MboxReader::new(reader);
    loop {
        let mut batch = Vec::with_capacity(MBOX_BATCH);
        for item in reader.by_ref().take(MBOX_BATCH) {
            match item {
                Ok(m) => batch.push(m),
                Err(e) => problems.push(Problem {
                    path: rel.to_path_buf(),
                    reason: format!("read error inside mbox: {e}"),
                }),
            }
        }
        if batch.is_empty() {
            break;
        }
        let parsed: Vec<Vec<Document>> = batch
            .par_iter()
            .map(|m| {
                let location = Location {
                    path: Arc::clone(rel),
                    container: Container::Mbox,
                    offset: m.offset,
                    len: m.len,
                    part: crate::model::PartPath::default(),
                };
                mail::parse_message(&m.bytes, location, m.truncated)
            })
            .collect();
        counters.add(batch.iter().map(|m| m.len).sum(), parsed.len());
        docs.extend(parsed.into_iter().flatten());
    }
    (docs, problems)
}

/// Read a document's bytes back from the dump (for the preview), mbox
/// quoting removed, at most [`MAX_DOCUMENT_BYTES`]; for a part, the part's
/// own bytes.
pub fn read_document(root: &Path, location: &Location) -> io::Result<Vec<u8>> {
    read_labelled(root, location).map(|(bytes, _)| bytes)
}

/// [`read_document`], with the charset a text attachment's MIME header
/// declares (`text/csv; charset=…`), if any.
pub fn read_labelled(root: &Path, location: &Location) -> io::Result<(Vec<u8>, Option<String>)> {
    parts::resolve_labelled(read_top(root, location)?, &location.part).map_err(io::Error::other)
}

/// The bytes of the top-level document `location` is in.
fn read_top(root: &Path, location: &Location) -> io::Result<Vec<u8>> {
    let mut file = File::open(root.join(&location.path))?;
    file.seek(SeekFrom::Start(location.offset))?;
    let want = location.len.min(MAX_DOCUMENT_BYTES);
    let mut bytes = Vec::with_capacity(want as usize);
    file.take(want).read_to_end(&mut bytes)?;
    Ok(match location.container {
        Container::File => bytes,
        Container::Mbox => mbox::unescape(&bytes),
    })
}
