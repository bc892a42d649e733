//! Carrying user data from one content hash to another, when trawl itself
//! changes how a document's bytes are taken (not when the dump changes:
//! then the old content keeps its tags). See `index::catalog::carry`.

use rusqlite::params;

use super::{Store, StoreError};
use crate::model::Sha256;

impl Store {
    /// Give each `(old, new)` pair's new hash the tags, read mark and notes
    /// of the old one (keeping what the new one already has, and the old
    /// rows, so nothing is lost whichever hash the dump shows later). One
    /// transaction; returns how many rows were added.
    pub fn carry_over(&self, pairs: &[(Sha256, Sha256)]) -> Result<usize, StoreError> {
        let run = || -> rusqlite::Result<usize> {
            let tx = self.conn.unchecked_transaction()?;
            let mut added = 0;
            for (old, new) in pairs {
                let (old, new) = (old.to_string(), new.to_string());
                added += tx.execute(
                    "INSERT OR IGNORE INTO doc_tags (tag_id, doc_hash, message_id, created)
                     SELECT tag_id, ?2, message_id, created FROM doc_tags WHERE doc_hash = ?1",
                    params![old, new],
                )?;
                added += tx.execute(
                    "INSERT OR IGNORE INTO read_marks (doc_hash, message_id, read_at)
                     SELECT ?2, message_id, read_at FROM read_marks WHERE doc_hash = ?1",
                    params![old, new],
                )?;
                added += tx.execute(
                    "INSERT OR IGNORE INTO notes (doc_hash, message_id, author, body, updated)
                     SELECT ?2, message_id, author, body, updated FROM notes WHERE doc_hash = ?1",
                    params![old, new],
                )?;
            }
            tx.commit()?;
            Ok(added)
        };
        run().map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(b: u8) -> Sha256 {
        Sha256([b; 32])
    }

    #[test]
    fn tags_marks_and_notes_follow_the_new_hash_and_stay_on_the_old() {
        let dir = tempfile::tempdir().expect("tmp");
        let store = Store::open(&dir.path().join("s.sqlite3")).expect("open");
        let tag = store.create_tag("odd").expect("tag").id;
        store.set_tag(tag, &h(1), None, true).expect("tag doc");
        store.mark_read(&h(1), None).expect("read");
        store
            .set_note(&h(1), None, "claire", "odd charset")
            .expect("note");
        // The new hash already has a note by claire: hers is kept.
        store
            .set_note(&h(2), None, "claire", "newer")
            .expect("note");
        let added = store
            .carry_over(&[(h(1), h(2)), (h(3), h(4))])
            .expect("carry");
        assert_eq!(added, 2, "the tag and the read mark");
        let tagged: Vec<Sha256> = store
            .assignments()
            .expect("assignments")
            .iter()
            .map(|a| a.doc_hash)
            .collect();
        assert_eq!(tagged, [h(1), h(2)]);
        let read: Vec<Sha256> = store
            .read_marks()
            .expect("marks")
            .iter()
            .map(|m| m.doc_hash)
            .collect();
        assert!(read.contains(&h(1)) && read.contains(&h(2)));
        let notes = store.notes().expect("notes");
        let on_new: Vec<&str> = notes
            .iter()
            .filter(|n| n.doc_hash == h(2))
            .map(|n| n.body.as_str())
            .collect();
        assert_eq!(on_new, ["newer"]);
        // Twice is the same as once.
        assert_eq!(store.carry_over(&[(h(1), h(2))]).expect("again"), 0);
    }
}
