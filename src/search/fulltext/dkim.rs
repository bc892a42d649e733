//! The `dkim` field of the full-text index: each e-mail's DKIM summary as
//! one word — `pass` (an aligned signature verifies), `fail` (a body or
//! signature was altered), `unknown` (signed, no key to decide) or `none`
//! (unsigned) — for `dkim:` searches. Verdicts depend on the project's
//! keys, so when those change (`trawl keys import`) the signed messages
//! are indexed again.

use std::collections::HashMap;
use std::path::Path;

use sha2::Digest;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use super::{EveryHit, FullText, FullTextError, DIR};
use crate::auth::dkim::{check, summary, Summary};
use crate::model::Sha256;

/// File in the index folder: a fingerprint of the keys the index's
/// verdicts were computed with.
const KEYS_FILE: &str = "dkim-keys";

/// The project's keys, by name, newest first (none when the project state
/// cannot be read: every signed message is then `unknown` or `fail`).
pub(super) fn project_keys(project_dir: &Path) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    let path = project_dir.join("state.sqlite3");
    if !path.exists() {
        return out;
    }
    if let Ok(store) = crate::project::Store::open(&path) {
        for k in store.dkim_keys().unwrap_or_default() {
            out.entry(k.name).or_default().push(k.record);
        }
    }
    out
}

impl FullText {
    /// The summary word of a raw message.
    pub(super) fn dkim_word(&self, raw: &[u8]) -> &'static str {
        let keys = |name: &str| self.dkim_keys.get(name).cloned().unwrap_or_default();
        match summary(&check(raw, &keys)) {
            Summary::Pass => "pass",
            Summary::Fail => "fail",
            Summary::Unknown => "unknown",
            Summary::None => "none",
        }
    }

    fn keys_fingerprint(&self) -> String {
        let mut entries: Vec<(&String, &Vec<String>)> = self.dkim_keys.iter().collect();
        entries.sort();
        let mut h = sha2::Sha256::new();
        for (name, records) in entries {
            h.update(name.as_bytes());
            for r in records {
                h.update(b"\0");
                h.update(r.as_bytes());
            }
            h.update(b"\n");
        }
        Sha256(h.finalize().into()).to_string()
    }

    fn keys_file(&self) -> std::path::PathBuf {
        self.project_dir.join(DIR).join(KEYS_FILE)
    }

    /// The keys differ from those the index's verdicts were made with.
    pub(super) fn dkim_keys_changed(&self) -> bool {
        let kept = std::fs::read_to_string(self.keys_file()).unwrap_or_default();
        kept.trim() != self.keys_fingerprint()
    }

    /// Remember the keys the index's verdicts were made with.
    pub(super) fn dkim_keys_indexed(&self) {
        // If this fails the signed messages are indexed again next time.
        let _ = std::fs::write(self.keys_file(), self.keys_fingerprint());
    }

    /// The DKIM summary of every signed message in the index, by identity
    /// hash (unsigned messages are left out: they are the rest).
    pub fn dkim_summaries(&self) -> Result<Vec<(Sha256, Summary)>, FullTextError> {
        let searcher = self.reader.searcher();
        let mut out = Vec::new();
        for (word, summary) in [
            ("pass", Summary::Pass),
            ("fail", Summary::Fail),
            ("unknown", Summary::Unknown),
        ] {
            let term = Term::from_field_text(self.fields.dkim, word);
            let query = TermQuery::new(term, IndexRecordOption::Basic);
            let hits = searcher
                .search(&query, &EveryHit)
                .map_err(|e| self.err(e))?;
            out.extend(hits.into_iter().map(|(h, _)| (h, summary)));
        }
        Ok(out)
    }

    /// Identity hashes of the signed messages in the index.
    pub(super) fn dkim_signed(&self) -> Result<Vec<Sha256>, FullTextError> {
        Ok(self.dkim_summaries()?.into_iter().map(|(h, _)| h).collect())
    }
}
