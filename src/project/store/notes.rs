//! Notes: free text a person wrote about a document, one per document and
//! author. The user's own notes carry their name; notes merged from a
//! colleague's export keep that colleague's name beside them.

use rusqlite::params;

use super::{hash_column, now, Store, StoreError};
use crate::model::Sha256;

/// One note, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub doc_hash: Sha256,
    pub message_id: Option<String>,
    pub author: String,
    /// The text, lines separated by `\n` (never empty: an emptied note is
    /// deleted).
    pub body: String,
    /// Seconds since the epoch of the last change.
    pub updated: i64,
}

impl Store {
    /// Every note, oldest change first.
    pub fn notes(&self) -> Result<Vec<Note>, StoreError> {
        self.query_all(
            "SELECT doc_hash, message_id, author, body, updated FROM notes ORDER BY updated, rowid",
            |r| {
                Ok(Note {
                    doc_hash: hash_column(r, 0)?,
                    message_id: r.get(1)?,
                    author: r.get(2)?,
                    body: r.get(3)?,
                    updated: r.get(4)?,
                })
            },
        )
    }

    /// Write `author`'s note on the document, replacing theirs; an empty
    /// (or blank) body deletes it. Committed on return.
    pub fn set_note(
        &self,
        doc_hash: &Sha256,
        message_id: Option<&str>,
        author: &str,
        body: &str,
    ) -> Result<(), StoreError> {
        self.set_note_at(doc_hash, message_id, author, body, now())
    }

    /// [`Self::set_note`] with the time of the change given (an import
    /// keeps the time the note was written).
    pub fn set_note_at(
        &self,
        doc_hash: &Sha256,
        message_id: Option<&str>,
        author: &str,
        body: &str,
        updated: i64,
    ) -> Result<(), StoreError> {
        let result = if body.trim().is_empty() {
            self.conn.execute(
                "DELETE FROM notes WHERE doc_hash = ?1 AND author = ?2",
                params![doc_hash.to_string(), author],
            )
        } else {
            self.conn.execute(
                "INSERT INTO notes (doc_hash, message_id, author, body, updated)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(doc_hash, author) DO UPDATE SET message_id = excluded.message_id,
                    body = excluded.body, updated = excluded.updated",
                params![doc_hash.to_string(), message_id, author, body, updated],
            )
        };
        result.map(|_| ()).map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(n: u8) -> Sha256 {
        Sha256([n; 32])
    }

    #[test]
    fn notes_are_kept_per_author_replaced_and_deleted_when_emptied() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(&dir.path().join("s.sqlite3")).expect("open");
        store
            .set_note(&hash(1), Some("a@x"), "claire", "first\nsecond line")
            .expect("store");
        store
            .set_note(&hash(1), Some("a@x"), "marc", "mine")
            .expect("store");
        store
            .set_note(&hash(1), Some("a@x"), "claire", "edited")
            .expect("store");
        let notes = store.notes().expect("store");
        let mut bodies: Vec<(&str, &str)> = notes
            .iter()
            .map(|n| (n.author.as_str(), n.body.as_str()))
            .collect();
        bodies.sort_unstable();
        assert_eq!(bodies, [("claire", "edited"), ("marc", "mine")]);
        store
            .set_note(&hash(1), None, "claire", "  \n")
            .expect("store");
        let notes = store.notes().expect("store");
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].author, "marc");
    }
}
