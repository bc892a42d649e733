//! A project is one dump root plus the user's work on it, kept in a folder
//! of the user's data directory — never under the dump, which is evidence.
//!
//! The folder is `$TRAWL_DATA_DIR/projects/<name>` when the variable is set
//! (tests, portable use), else `<ProjectDirs data dir>/projects/<name>`,
//! where `<name>` is the dump folder's name plus a hash of its canonical path
//! so two dumps called `leak` never share state.

pub mod store;

use std::path::{Path, PathBuf};

pub use store::{
    DkimKey, KeyAdded, LinkParent, Note, SavedSearch, Store, StoreError, Tag, TagId, ThreadLink,
    TAG_COLOURS,
};

/// Environment variable naming the author of the notes written here.
pub const AUTHOR_ENV: &str = "TRAWL_AUTHOR";

/// Who writes the notes taken in this session: `$TRAWL_AUTHOR`, else the
/// login name, else `me`. Notes are stored under it, so a colleague's
/// notes merged in later sit beside these instead of replacing them.
pub fn author() -> String {
    [AUTHOR_ENV, "USER", "LOGNAME"]
        .iter()
        .filter_map(std::env::var_os)
        .map(|v| v.to_string_lossy().trim().to_string())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "me".to_string())
}

/// Environment variable that overrides where projects are kept.
pub const DATA_DIR_ENV: &str = "TRAWL_DATA_DIR";

#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    #[error(
        "cannot find a data directory for trawl's state; set {DATA_DIR_ENV} to a writable folder"
    )]
    NoDataDir,
    #[error("the state folder {0} is inside the dump; the dump is never written to — set {DATA_DIR_ENV} elsewhere")]
    InsideDump(PathBuf),
    #[error("cannot create the state folder {0}: {1}")]
    CreateDir(PathBuf, std::io::Error),
    #[error("{0}: {1}")]
    Canonicalize(PathBuf, std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub struct Project {
    /// Human name shown in the status bar: the dump folder's name.
    pub name: String,
    /// Canonical path of the dump root.
    pub dump_root: PathBuf,
    /// The project's own folder (holds `state.sqlite3`).
    pub dir: PathBuf,
    pub store: Store,
}

impl Project {
    /// Open (or create) the project for the dump at `dump_root`, in the
    /// data directory ([`DATA_DIR_ENV`] or the platform's).
    pub fn open(dump_root: &Path) -> Result<Project, ProjectError> {
        Self::open_in(dump_root, &data_dir()?)
    }

    /// Open (or create) the project for `dump_root` under `data_dir`.
    pub fn open_in(dump_root: &Path, data_dir: &Path) -> Result<Project, ProjectError> {
        let dump_root = dump_root
            .canonicalize()
            .map_err(|e| ProjectError::Canonicalize(dump_root.to_path_buf(), e))?;
        let dir = data_dir.join("projects").join(project_key(&dump_root));
        // Checked before anything is created: the dump is never written to.
        let resolved = resolve_existing_prefix(&dir);
        if resolved.starts_with(&dump_root) {
            return Err(ProjectError::InsideDump(resolved));
        }
        std::fs::create_dir_all(&dir).map_err(|e| ProjectError::CreateDir(dir.clone(), e))?;
        let store = Store::open(&dir.join("state.sqlite3"))?;
        Ok(Project {
            name: display_name(&dump_root),
            dump_root,
            dir,
            store,
        })
    }
}

/// trawl's data directory: [`DATA_DIR_ENV`] if set, else the platform's
/// (e.g. `~/.local/share/trawl` on Linux). Projects live in `projects/`.
pub fn data_dir() -> Result<PathBuf, ProjectError> {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("org", "trawl", "trawl")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or(ProjectError::NoDataDir)
}

/// `path` with its longest existing prefix canonicalised (symlinks and
/// `..` resolved), so a folder that does not exist yet can be compared
/// with the dump root.
fn resolve_existing_prefix(path: &Path) -> PathBuf {
    let mut rest = Vec::new();
    let mut cur = path;
    loop {
        if let Ok(real) = cur.canonicalize() {
            return rest.iter().rev().fold(real, |acc, part| acc.join(part));
        }
        match (cur.parent(), cur.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                cur = parent;
            }
            _ => return path.to_path_buf(),
        }
    }
}

fn display_name(root: &Path) -> String {
    root.file_name()
        .map_or_else(|| "dump".to_string(), |n| n.to_string_lossy().into_owned())
}

/// `<folder name>-<12 hex digits of SHA-256(canonical path)>`, with the name
/// reduced to characters safe in any file system.
pub fn project_key(canonical_root: &Path) -> String {
    let name: String = display_name(canonical_root)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(40)
        .collect();
    let hash = crate::ingest::mail::hash_hex(canonical_root.as_os_str().as_encoded_bytes());
    format!("{name}-{}", &hash[..12])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_folder_name_different_paths_get_different_keys() {
        let a = project_key(Path::new("/a/leak"));
        let b = project_key(Path::new("/b/leak"));
        assert_ne!(a, b);
        assert!(a.starts_with("leak-"));
        assert_eq!(
            project_key(Path::new("/x/dr\u{f4}le dump"))
                .split('-')
                .next(),
            Some("dr_le_dump")
        );
    }
}
