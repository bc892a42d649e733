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
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.sqlite3")).unwrap();
        store.begin().unwrap();
        store.set_tag(1, &Sha256([1; 32]), None, true).unwrap();
        store.mark_read(&Sha256([1; 32]), None).unwrap();
        store.rollback().unwrap();
        assert!(store.assignments().unwrap().is_empty());
        assert!(store.read_marks().unwrap().is_empty());

        store.begin().unwrap();
        store.set_tag(1, &Sha256([1; 32]), None, true).unwrap();
        store.mark_read(&Sha256([2; 32]), Some("m@x")).unwrap();
        store
            .set_note(&Sha256([1; 32]), None, "ana", "seen")
            .unwrap();
        store.commit().unwrap();
        drop(store);
        let store = Store::open(&dir.path().join("s.sqlite3")).unwrap();
        assert_eq!(store.assignments().unwrap().len(), 1);
        assert_eq!(store.read_marks().unwrap().len(), 1);
        assert_eq!(store.notes().unwrap().len(), 1);
    }
}
