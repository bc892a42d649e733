//! Taking a document out of the dump: saving a copy into a folder the user
//! chose, or handing a copy to an outside viewer.
//!
//! Names come from the dump and are hostile: a name is reduced to one safe
//! file name (no folders, no `..`, no control or invisible characters), so
//! nothing is ever written outside the chosen folder. Nothing there is
//! replaced without the user's word: [`plan`] says first whether the name
//! is free, already holds the same bytes (nothing to write), or holds
//! something else — then the caller asks, and [`save_as`] either keeps
//! both (a new file made with `create_new`, never through a planted
//! symbolic link; ` (2)`, ` (3)` … for a taken name) or overwrites by
//! renaming a finished temporary file of the same folder onto the name,
//! which replaces a link rather than following it and never replaces a
//! folder. Viewers are started directly, never through a shell. The dump
//! itself is never handed out: viewers get a copy.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::model::{DocId, Document};

mod viewer;
pub use viewer::{choose_viewer, viewer_dir, Viewer};

/// Longest file name made, in bytes (file systems allow 255).
const MAX_NAME_BYTES: usize = 120;

/// The name a document is saved under: a message as its subject with
/// `.eml` (`.msg` for an Outlook message), anything else by its own file
/// name (see [`Document::file_name`]); made safe.
pub fn suggested_name(doc: &Document) -> String {
    if !doc.is_mail() {
        return safe_file_name(&doc.file_name());
    }
    let subject = match doc.subject().trim() {
        "" => "message",
        s => s,
    };
    // A slash in a subject ("rally on 8 April / Saint-Aurèle") is not a
    // folder: the whole subject names the file.
    let subject = subject.replace(['/', '\\'], "-");
    let ext = if doc.is_rfc822() { "eml" } else { "msg" };
    safe_file_name(&format!("{subject}.{ext}"))
}

/// One file name that is safe to create in any folder: the last segment of
/// `name` (after `/` or `\`), without control, format or bidirectional
/// characters, without characters other systems refuse, not `.` or `..`,
/// not hidden, at most [`MAX_NAME_BYTES`]; `document` if nothing is left.
pub fn safe_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let mut out = String::with_capacity(last.len());
    for c in last.chars() {
        let bad = c.is_control()
            || crate::sanitize::is_unsafe(c)
            || matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|' | '\0');
        out.push(if bad { '_' } else { c });
    }
    let trimmed = out.trim_matches(|c: char| c == '.' || c.is_whitespace());
    let mut name = crate::model::prefix_within(trimmed, MAX_NAME_BYTES).to_string();
    if name.chars().all(|c| c == '_') {
        name = "document".to_string();
    }
    name
}

/// The most numbered copies of one name (` (2)` … ` (999)`) looked at.
const MAX_COPIES: usize = 999;

/// What saving a document under a name into a folder would do, found
/// before anything is written (see [`plan`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Nothing has the name: saving creates this file.
    Free(PathBuf),
    /// This file (the name, or one of its numbered copies) already holds
    /// exactly the same bytes: there is nothing to write.
    Same(PathBuf),
    /// Something else has the name at `path`. Keeping both saves as
    /// `next_free`; overwriting is possible only when `replaceable` (a file
    /// or a symbolic link, never a folder or a device).
    Taken {
        path: PathBuf,
        next_free: PathBuf,
        replaceable: bool,
    },
}

/// What [`save_as`] does when the name is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfTaken {
    /// Save under the first free numbered name: `name (2).ext` …
    KeepBoth,
    /// Replace what has the name (a file or a link, never a folder).
    Overwrite,
}

/// `name` (already safe) as its `n`th copy: `name`, `name (2).ext` …
fn numbered(name: &str, n: usize) -> String {
    if n == 1 {
        return name.to_string();
    }
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem} ({n}).{ext}"),
        _ => format!("{name} ({n})"),
    }
}

/// What is at `path` itself (a link is not followed); `None` if nothing.
fn entry_at(path: &Path) -> io::Result<Option<std::fs::Metadata>> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) => Ok(Some(meta)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Whether overwriting may replace this entry: a file, or a link (the link
/// itself is replaced, its target never touched).
fn replaceable(meta: &std::fs::Metadata) -> bool {
    meta.file_type().is_file() || meta.file_type().is_symlink()
}

/// Whether the regular file at `path` (`meta`, not followed) holds exactly
/// `bytes`. Only a file of the same length is read, and never more than
/// that; a link, a folder or an unreadable file is not the same.
fn holds(path: &Path, meta: &std::fs::Metadata, bytes: &[u8]) -> bool {
    use std::io::{BufRead, Read};
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
    if !meta.file_type().is_file() || meta.len() != bytes.len() as u64 {
        return false;
    }
    // Never through a link, and never waiting on a pipe put there since it
    // was looked at.
    let opened = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path);
    let Ok(file) = opened else {
        return false;
    };
    // The file opened must be the one looked at.
    let same_entry = file
        .metadata()
        .is_ok_and(|m| m.is_file() && m.dev() == meta.dev() && m.ino() == meta.ino());
    if !same_entry {
        return false;
    }
    let mut reader = io::BufReader::with_capacity(64 * 1024, file.take(bytes.len() as u64 + 1));
    let mut rest = bytes;
    loop {
        let Ok(chunk) = reader.fill_buf() else {
            return false;
        };
        let n = chunk.len();
        if n == 0 {
            return rest.is_empty();
        }
        if n > rest.len() || chunk != &rest[..n] {
            return false;
        }
        rest = &rest[n..];
        reader.consume(n);
    }
}

/// What saving `bytes` as `name` (made safe) directly inside `dir` would
/// do: the name is free, or it or one of its numbered copies already holds
/// the same bytes, or something else has it (with the name keeping both
/// would use). Reads, never writes.
pub fn plan(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<Plan> {
    let name = safe_file_name(name);
    let path = dir.join(&name);
    let Some(first) = entry_at(&path)? else {
        return Ok(Plan::Free(path));
    };
    for n in 1..=MAX_COPIES {
        let candidate = dir.join(numbered(&name, n));
        match entry_at(&candidate)? {
            None => {
                return Ok(Plan::Taken {
                    path,
                    next_free: candidate,
                    replaceable: replaceable(&first),
                })
            }
            Some(meta) if holds(&candidate, &meta, bytes) => return Ok(Plan::Same(candidate)),
            Some(_) => {}
        }
    }
    Err(too_many(&name))
}

fn too_many(name: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!("{MAX_COPIES} files named like {name} already exist there"),
    )
}

/// Write `bytes` as `name` (made safe) directly inside `dir`; when the name
/// is taken, keep both or overwrite, as `if_taken` says. Returns the path
/// written.
pub fn save_as(dir: &Path, name: &str, bytes: &[u8], if_taken: IfTaken) -> io::Result<PathBuf> {
    match if_taken {
        IfTaken::KeepBoth => save_into(dir, name, bytes),
        IfTaken::Overwrite => overwrite(dir, &safe_file_name(name), bytes),
    }
}

/// Write `bytes` as a new file named `name` (made safe) directly inside
/// `dir`, never replacing a file: a taken name becomes `name (2).ext` …
/// Returns the path written.
pub fn save_into(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<PathBuf> {
    let name = safe_file_name(name);
    for n in 1..=MAX_COPIES {
        let path = dir.join(numbered(&name, n));
        // The name is one plain component: it cannot leave `dir`.
        debug_assert_eq!(path.parent(), Some(dir));
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(file) => {
                if let Err(e) = fill(file, bytes) {
                    let _ = std::fs::remove_file(&path);
                    return Err(e);
                }
                return Ok(path);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    Err(too_many(&name))
}

/// Write all of `bytes` and wait until they are on the disk.
fn fill(mut file: std::fs::File, bytes: &[u8]) -> io::Result<()> {
    file.write_all(bytes)?;
    file.sync_all()
}

/// Replace `name` (safe) in `dir` with `bytes`: a finished temporary file
/// of the same folder is renamed onto the name. A rename replaces the
/// entry itself, so a link there is replaced, never followed; a folder (or
/// a device, a socket …) is refused. Readers see the old file or the new
/// one, never half of it.
fn overwrite(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<PathBuf> {
    let target = dir.join(name);
    debug_assert_eq!(target.parent(), Some(dir));
    if let Some(meta) = entry_at(&target)? {
        if !replaceable(&meta) {
            let what = if meta.is_dir() {
                "a folder"
            } else {
                "not a file"
            };
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{name} in {} is {what}: only a file is ever replaced",
                    dir.display()
                ),
            ));
        }
    }
    let (temp, file) = temp_file(dir)?;
    let written = fill(file, bytes).and_then(|()| std::fs::rename(&temp, &target));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(e);
    }
    // The new entry itself on the disk too (best effort: some file systems
    // cannot sync a folder, and the file is already written).
    if let Ok(folder) = std::fs::File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok(target)
}

/// A new, hidden file in `dir` under a name nobody can guess beforehand
/// (made with `create_new`: an entry planted there is never reused).
fn temp_file(dir: &Path) -> io::Result<(PathBuf, std::fs::File)> {
    for _ in 0..16 {
        let path = dir.join(format!(".trawl-{:016x}.part", unguessable()));
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(file) => return Ok((path, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "no free temporary name in the folder",
    ))
}

/// 64 bits nobody can guess: std's hasher keys are drawn from the
/// operating system's random source (no extra crate for one number).
fn unguessable() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    hasher.write_u128(nanos);
    hasher.write_u32(std::process::id());
    hasher.finish()
}

/// Read document `id` (a part: just its own bytes) and save it into `dir`.
pub fn save_document(root: &Path, docs: &[Document], id: DocId, dir: &Path) -> io::Result<PathBuf> {
    let doc = &docs[id];
    let bytes = crate::ingest::read_document(root, &doc.location)?;
    save_into(dir, &suggested_name(doc), &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_become_one_safe_name() {
        for (given, want) in [
            ("../../etc/passwd", "passwd"),
            ("/etc/shadow", "shadow"),
            ("..\\..\\boot.ini", "boot.ini"),
            ("..", "document"),
            ("", "document"),
            ("report\u{202e}fdp.exe", "report_fdp.exe"),
            ("a\x1b[2Jb\x07.txt", "a_[2Jb_.txt"),
            (".hidden", "hidden"),
            ("con:tract?.pdf", "con_tract_.pdf"),
            ("facture 2017.pdf", "facture 2017.pdf"),
        ] {
            assert_eq!(safe_file_name(given), want, "{given:?}");
        }
        assert!(safe_file_name(&"é".repeat(500)).len() <= MAX_NAME_BYTES);
    }

    /// A pipe swapped in after the file was looked at is not opened for
    /// long: the comparison says "not the same" at once.
    #[test]
    fn a_pipe_swapped_in_before_the_compare_does_not_hang_it() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("a.txt");
        std::fs::write(&path, b"same").expect("write");
        let meta = std::fs::symlink_metadata(&path).expect("meta");
        std::fs::remove_file(&path).expect("rm");
        let made = std::process::Command::new("mkfifo").arg(&path).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || tx.send(holds(&path, &meta, b"same")));
        let answer = rx.recv_timeout(std::time::Duration::from_secs(5));
        assert_eq!(answer, Ok(false));
    }

    #[test]
    fn numbered_copies_keep_the_extension_and_temporary_names_differ() {
        assert_eq!(numbered("a.pdf", 1), "a.pdf");
        assert_eq!(numbered("a.pdf", 2), "a (2).pdf");
        assert_eq!(numbered("a.tar.gz", 3), "a.tar (3).gz");
        assert_eq!(numbered("notes", 2), "notes (2)");
        assert_ne!(unguessable(), unguessable());
    }
}
