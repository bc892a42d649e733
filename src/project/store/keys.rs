//! DKIM public keys kept in the project (see `trawl keys import`).

use rusqlite::{params, OptionalExtension};

use super::{now, Store, StoreError};

/// A key as kept: its name, TXT record, where it came from (a file's path
/// or `dns`) and when (seconds since 1970).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DkimKey {
    pub name: String,
    pub record: String,
    pub source: String,
    pub fetched_at: i64,
}

/// What adding a key did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyAdded {
    /// The first record for its name.
    New,
    /// Another record for a name that had one (a rotated key): both kept.
    Another,
    /// This exact record was already kept.
    Known,
}

impl Store {
    /// Keep `record` for `name` (lower-cased), from `source`.
    pub fn add_dkim_key(
        &self,
        name: &str,
        record: &str,
        source: &str,
    ) -> Result<KeyAdded, StoreError> {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        let known: Option<i64> = self
            .conn
            .query_row(
                "SELECT COUNT(*) FROM dkim_keys WHERE name = ?1",
                params![name],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let inserted = self
            .conn
            .execute(
                "INSERT OR IGNORE INTO dkim_keys (name, record, source, fetched_at)
                 VALUES (?1, ?2, ?3, ?4)",
                params![name, record, source, now()],
            )
            .map_err(|e| self.err(e))?;
        Ok(match (inserted, known.unwrap_or(0)) {
            (0, _) => KeyAdded::Known,
            (_, 0) => KeyAdded::New,
            _ => KeyAdded::Another,
        })
    }

    /// The records kept for `name`, newest first.
    pub fn dkim_records(&self, name: &str) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT record FROM dkim_keys WHERE name = ?1 ORDER BY fetched_at DESC, rowid DESC",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![name.to_ascii_lowercase()], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// Every key kept, by name then newest first.
    pub fn dkim_keys(&self) -> Result<Vec<DkimKey>, StoreError> {
        self.query_all(
            "SELECT name, record, source, fetched_at FROM dkim_keys
             ORDER BY name, fetched_at DESC, rowid DESC",
            |r| {
                Ok(DkimKey {
                    name: r.get(0)?,
                    record: r.get(1)?,
                    source: r.get(2)?,
                    fetched_at: r.get(3)?,
                })
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_kept_with_their_history_and_survive_reopening() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("state.sqlite3");
        let store = Store::open(&path).expect("open");
        let name = "S1._domainkey.Campagne.example.";
        assert_eq!(
            store
                .add_dkim_key(name, "v=DKIM1; p=A", "keys.txt")
                .expect("add"),
            KeyAdded::New
        );
        assert_eq!(
            store
                .add_dkim_key(name, "v=DKIM1; p=A", "other.txt")
                .expect("add"),
            KeyAdded::Known
        );
        assert_eq!(
            store
                .add_dkim_key(name, "v=DKIM1; p=B", "dns")
                .expect("add"),
            KeyAdded::Another
        );
        drop(store);
        let store = Store::open(&path).expect("reopen");
        assert_eq!(
            store
                .dkim_records("s1._domainkey.campagne.example")
                .expect("records"),
            ["v=DKIM1; p=B", "v=DKIM1; p=A"]
        );
        let all = store.dkim_keys().expect("keys");
        assert_eq!(all.len(), 2);
        assert_eq!(
            (all[1].name.as_str(), all[1].source.as_str()),
            ("s1._domainkey.campagne.example", "keys.txt")
        );
        assert!(store
            .dkim_records("s2._domainkey.x")
            .expect("none")
            .is_empty());
    }
}
