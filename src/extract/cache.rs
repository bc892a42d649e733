//! Extracted text kept in the project folder (never in the dump), one JSON
//! file per content hash: a document is extracted once, whatever copy of
//! it is opened, and a failure is remembered with its reason.

use std::path::{Path, PathBuf};

use super::worker::extract_isolated;
use super::{Extracted, MAX_TIME};
use crate::ingest;
use crate::model::{Document, Sha256};

/// Folder inside the project; named with a version, so better extractors
/// start afresh.
pub const DIR: &str = "extracted-v2";

/// What extracting one document gave: its text, or why there is none.
pub type Outcome = Result<Extracted, String>;

#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    pub fn new(project_dir: &Path) -> Cache {
        Cache {
            dir: project_dir.join(DIR),
        }
    }

    fn path(&self, hash: &Sha256) -> PathBuf {
        let hex = hash.to_string();
        self.dir.join(&hex[..2]).join(format!("{hex}.json"))
    }

    /// What an earlier extraction of this content gave, if it was kept.
    pub fn get(&self, hash: &Sha256) -> Option<Outcome> {
        let bytes = std::fs::read(self.path(hash)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Keep an outcome (a cache: failing to write only costs time later).
    pub fn put(&self, hash: &Sha256, outcome: &Outcome) {
        let path = self.path(hash);
        let Some(dir) = path.parent() else {
            return;
        };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        let Ok(json) = serde_json::to_vec(outcome) else {
            return;
        };
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        if std::fs::write(&tmp, json).is_err() || std::fs::rename(&tmp, &path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }

    /// The text of `doc` (a file of the dump at `root`): from the cache,
    /// else read, extracted within the limits, and kept.
    pub fn extract_doc(&self, root: &Path, doc: &Document) -> Outcome {
        if let Some(kept) = self.get(&doc.hash) {
            return kept;
        }
        // Reading stops at the ingest limit: a larger file would be cut,
        // and a cut file reads as damaged. Say what is really the matter.
        let limit = ingest::limits::MAX_DOCUMENT_BYTES;
        if doc.size() > limit {
            let outcome =
                Err(super::ExtractError::TooLarge(doc.size() >> 20, limit >> 20).to_string());
            self.put(&doc.hash, &outcome);
            return outcome;
        }
        let outcome = match ingest::read_document(root, &doc.location) {
            Err(e) => return Err(format!("cannot read {}: {e}", doc.location.display())),
            Ok(bytes) => extract_isolated(bytes, doc.file_name(), MAX_TIME),
        };
        self.put(&doc.hash, &outcome);
        outcome
    }
}
