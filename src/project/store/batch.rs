//! Many changes as one: an import applies hundreds of tags and notes, and
//! committing each on its own would wait for the disk hundreds of times and
//! could leave half a file merged if the process stopped midway.
//!
//! Between [`Store::begin`] and [`Store::commit`] every method of the store
//! joins one transaction; [`Store::rollback`] drops them all.

use super::{Store, StoreError};

impl Store {
    /// Start a transaction: nothing changed from here is on disk until
    /// [`Self::commit`].
    pub fn begin(&self) -> Result<(), StoreError> {
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| self.err(e))
    }

    /// Write every change since [`Self::begin`] at once.
    pub fn commit(&self) -> Result<(), StoreError> {
        self.conn.execute_batch("COMMIT").map_err(|e| self.err(e))
    }

    /// Drop every change since [`Self::begin`].
    pub fn rollback(&self) -> Result<(), StoreError> {
        self.conn.execute_batch("ROLLBACK").map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Sha256;

    #[test]
    fn a_batch_is_all_or_nothing_and_read_marks_join_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(&dir.path().join("s.sqlite3")).expect("open");
        store.begin().expect("store");
        store
            .set_tag(1, &Sha256([1; 32]), None, true)
            .expect("store");
        store.mark_read(&Sha256([1; 32]), None).expect("store");
        store.rollback().expect("store");
        assert!(store.assignments().expect("store").is_empty());
        assert!(store.read_marks().expect("store").is_empty());

        store.begin().expect("store");
        store
            .set_tag(1, &Sha256([1; 32]), None, true)
            .expect("store");
        store
            .mark_read(&Sha256([2; 32]), Some("m@x"))
            .expect("store");
        store
            .set_note(&Sha256([1; 32]), None, "ana", "seen")
            .expect("store");
        store.commit().expect("store");
        drop(store);
        let store = Store::open(&dir.path().join("s.sqlite3")).expect("open");
        assert_eq!(store.assignments().expect("store").len(), 1);
        assert_eq!(store.read_marks().expect("store").len(), 1);
        assert_eq!(store.notes().expect("store").len(), 1);
    }
}
