//! User data across a change in trawl itself. Tags, read marks and notes
//! are kept by content hash; when a new version takes some documents'
//! bytes differently (format 6: a text attachment is hashed as it was
//! sent, not as the text it decodes to), those documents get a new SHA-256
//! although the dump did not change. The rebuild then compares the
//! previous catalog with the new one, document by document in the files
//! whose stamp is unchanged, and writes each changed pair of hashes to
//! [`CARRY_FILE`] before the new catalog replaces the old. The workspace
//! hands the pairs to the store when it next opens the project and only
//! then removes the file, so a crash at any point loses nothing.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{load_format, Catalog};
use crate::model::{Document, Sha256};

pub const CARRY_FILE: &str = "carry-over.tsv";
/// Earlier formats whose documents are encoded as this one's are (so their
/// catalog can still be read for the comparison).
const SAME_ENCODING: [u32; 2] = [5, 4];

/// Where a document is: its file, its offset in it, the steps to a part.
type Place = (Arc<Path>, u64, Vec<u32>);

/// The hashes of a previous-format catalog's parts (formats 5 and 6 changed how
/// parts are taken, not whole files: keeping only parts keeps this small),
/// by place, and the size and time each file had then.
pub(super) struct Previous {
    hashes: HashMap<Place, Sha256>,
    stamps: HashMap<Arc<Path>, (u64, i64)>,
}

fn place(d: &Document) -> Place {
    (
        Arc::clone(&d.location.path),
        d.location.offset,
        d.location.part.to_vec(),
    )
}

/// The catalog in `dir` if it is of an earlier format that can be compared.
pub(super) fn previous(dir: &Path) -> Option<Previous> {
    let catalog: Catalog = SAME_ENCODING
        .iter()
        .find_map(|&f| load_format(dir, f).ok().flatten())
        .map(|(c, _)| c)?;
    Some(Previous {
        hashes: catalog
            .docs
            .iter()
            .filter(|d| d.is_part())
            .map(|d| (place(d), d.hash))
            .collect(),
        stamps: catalog
            .files
            .iter()
            .map(|f| (Arc::clone(&f.path), (f.size, f.mtime_ns)))
            .collect(),
    })
}

/// Write the pairs of hashes that changed for documents of unchanged files
/// to [`CARRY_FILE`] in `dir` (added to what an earlier run left there).
/// Returns how many.
pub(super) fn write(
    dir: &Path,
    prev: &Previous,
    files: &[super::FileStamp],
    docs: &[Document],
) -> std::io::Result<usize> {
    let unchanged: std::collections::HashSet<&Path> = files
        .iter()
        .filter(|f| prev.stamps.get(&f.path) == Some(&(f.size, f.mtime_ns)))
        .map(|f| &*f.path)
        .collect();
    let mut out = String::new();
    let mut n = 0;
    for d in docs.iter().filter(|d| d.is_part()) {
        if !unchanged.contains(&*d.location.path) {
            continue;
        }
        if let Some(old) = prev.hashes.get(&place(d)).filter(|&&h| h != d.hash) {
            let _ = writeln!(out, "{old}\t{}", d.hash);
            n += 1;
        }
    }
    if n > 0 {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join(CARRY_FILE))?;
        file.write_all(out.as_bytes())?;
        file.sync_all()?;
    }
    Ok(n)
}

/// The pairs waiting in the project folder `dir` (none if there is no
/// file; lines that do not read are skipped).
pub fn pending(dir: &Path) -> Vec<(Sha256, Sha256)> {
    let Ok(text) = std::fs::read_to_string(dir.join(CARRY_FILE)) else {
        return Vec::new();
    };
    text.lines()
        .filter_map(|l| {
            let (old, new) = l.split_once('\t')?;
            Some((Sha256::from_hex(old)?, Sha256::from_hex(new)?))
        })
        .collect()
}

/// The pairs are in the store: forget them.
pub fn done(dir: &Path) -> std::io::Result<()> {
    let path: PathBuf = dir.join(CARRY_FILE);
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}
