//! Building a catalog: reuse what the previous one knew of unchanged
//! files, parse the rest on all cores in file order, re-thread, save; with
//! progress, checkpoints, and snapshots a long first run can be browsed by.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::{
    catalog_size, check, discard, load_full, load_view, save, Catalog, FileStamp, Outcome, Stats,
};
use crate::browse::FlatTree;
use crate::index::progress::{Phase, Progress};
use crate::ingest::{self, Counters, Scan, ScanError};
use crate::model::{Document, Problem, ThreadRefs};

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
            docs: Arc::new(view.docs),
            problems: view.problems,
        },
        tree: view.tree,
        stats,
    })
}

/// The files found by a walk of the dump, and when the run started.
pub(super) struct Listing {
    pub(super) start: Instant,
    pub(super) listed: Vec<ingest::FileEntry>,
    pub(super) walk_problems: Vec<Problem>,
}

/// Reuse what the catalog knows of unchanged files, parse the rest,
/// re-thread and save.
pub(super) fn rebuild(
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
    // A catalog of an earlier format: compare hashes with it (user data).
    let earlier = prev
        .is_none()
        .then(|| super::carry::previous(dir))
        .flatten();
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
        earlier: earlier.as_ref(),
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
        let saving = Saving {
            dir,
            earlier: earlier.as_ref(),
            files: &files,
            problems: &problems,
        };
        saving.thread_and_save(&docs, &mut stats, &report)
    };
    strip_threading_headers(&mut docs);
    stats.documents = docs.len();
    stats.messages = docs.iter().filter(|d| d.is_mail()).count();
    stats.seconds = start.elapsed().as_secs_f64();
    Outcome {
        scan: Scan {
            root: root.to_path_buf(),
            docs: Arc::new(docs),
            problems,
        },
        tree,
        stats,
    }
}

/// What a rebuild saves besides the documents.
struct Saving<'a> {
    dir: &'a Path,
    earlier: Option<&'a super::carry::Previous>,
    files: &'a [FileStamp],
    problems: &'a [Problem],
}

impl Saving<'_> {
    /// Thread `docs` and save the catalog (after the pairs of hashes that
    /// changed since an earlier format's catalog, which it replaces).
    fn thread_and_save(
        &self,
        docs: &[Document],
        stats: &mut Stats,
        report: &dyn Fn(Progress),
    ) -> FlatTree {
        let mut p = Progress::new(Phase::Threading);
        p.messages = docs.iter().filter(|d| d.is_mail()).count();
        report(p);
        let tree = FlatTree::build(docs);
        report(Progress::new(Phase::Saving));
        let carried = self.earlier.map_or(Ok(0), |e| {
            super::carry::write(self.dir, e, self.files, docs)
        });
        let saved =
            carried.and_then(|_| save(self.dir, true, self.files, docs, self.problems, &tree));
        match saved {
            Ok(size) => stats.catalog_bytes = size,
            Err(e) => {
                stats.save_error = Some(format!(
                    "could not save the catalog in {}: {e}",
                    self.dir.display()
                ));
            }
        }
        tree
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
        // Copied here, on one thread, so the documents' strings lie
        // together instead of among the parser's freed buffers in each
        // worker's heap (which then cannot be returned or reused whole).
        self.docs.extend(docs.iter().cloned());
        drop(docs);
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
            docs: Arc::new(docs),
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
    /// A catalog of an earlier format, compared with for user data.
    earlier: Option<&'a super::carry::Previous>,
}

fn stamp_of(entry: &ingest::FileEntry, docs: usize) -> FileStamp {
    FileStamp {
        path: entry.path.clone(),
        size: entry.size,
        mtime_ns: entry.mtime_ns,
        docs: u32::try_from(docs).unwrap_or(u32::MAX),
    }
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
        earlier,
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
            // No checkpoint replaces an earlier format's catalog: it is
            // compared with at the end (an interrupted run starts over).
            if earlier.is_none() && last_checkpoint.elapsed() >= every {
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
