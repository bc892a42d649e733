//! The project's state database (SQLite, WAL, `synchronous=FULL`).
//!
//! Holds only user data — tags, tag assignments, read marks, UI position —
//! keyed by stable document identity (SHA-256 of the message bytes, plus the
//! Message-ID as a fallback), so it survives a re-scan of a changed dump.
//! Every call is its own committed transaction: when a method returns `Ok`,
//! the change is on disk and survives a crash or `kill -9`.
//! Schema changes are numbered migrations; user data is never dropped.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{params, Connection, OptionalExtension};

use crate::model::Sha256;

mod batch;
mod carry;
mod keys;
mod links;
mod notes;
mod tags;
pub use keys::{DkimKey, KeyAdded};
pub use links::{LinkParent, ThreadLink};
pub use notes::Note;
pub use tags::TAG_COLOURS;

/// Hashes are stored as 64 hex digits, readable with the sqlite3 shell.
fn hash_column(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Sha256> {
    let text: String = row.get(i)?;
    Sha256::from_hex(&text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            "not a SHA-256".into(),
        )
    })
}

pub type TagId = i64;

/// A query kept under a name, listed in the side panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedSearch {
    pub id: i64,
    pub name: String,
    pub query: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub id: TagId,
    pub name: String,
    /// `'1'..='9'`, or `None` when all nine are taken.
    pub hotkey: Option<char>,
    /// A colour name of the 16-colour palette (`red`, `lightblue` …), or
    /// `None` for the default.
    pub colour: Option<String>,
}

/// One tag on one document, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub tag: TagId,
    pub doc_hash: Sha256,
    pub message_id: Option<String>,
}

/// A read mark, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadMark {
    pub doc_hash: Sha256,
    pub message_id: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("project state {path}: {source}")]
    Sqlite {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error(
        "project state {0} was written by a newer trawl (schema {1}); upgrade trawl to open it"
    )]
    TooNew(String, i64),
    #[error(
        "cannot write the project state {path} (is the disk full, or the folder read-only?); \
         everything saved before is kept: {detail}"
    )]
    CannotWrite { path: String, detail: String },
    #[error(
        "project state {path} cannot be read ({detail}); it is left as it is: \
         move it elsewhere to start this project afresh, or put back a backup"
    )]
    Unreadable { path: String, detail: String },
    #[error("a tag named {0:?} already exists")]
    DuplicateTag(String),
    #[error("a tag name cannot be empty")]
    EmptyTagName,
    #[error("a saved search needs a name")]
    EmptySearchName,
    #[error("{0:?} is not a tag colour (one of: {list})", list = tags::TAG_COLOURS.join(", "))]
    UnknownColour(String),
    #[error("a tag's key is a digit 1 to 9, not {0:?}")]
    BadHotkey(char),
}

/// Tags a fresh project starts with: what a newsroom marks first (the
/// authenticity verdicts, and what to come back to).
pub const SUGGESTED_TAGS: &[&str] = &["verified", "suspect", "forged", "follow-up"];

/// Each entry brings the schema from version `index` to `index + 1`.
const MIGRATIONS: &[&str] = &[
    r"
    CREATE TABLE tags (
        id      INTEGER PRIMARY KEY,
        name    TEXT NOT NULL UNIQUE,
        hotkey  TEXT,
        created INTEGER NOT NULL
    );
    CREATE TABLE doc_tags (
        tag_id     INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
        doc_hash   TEXT NOT NULL,
        message_id TEXT,
        created    INTEGER NOT NULL,
        PRIMARY KEY (tag_id, doc_hash)
    );
    CREATE INDEX doc_tags_message_id ON doc_tags(message_id);
    CREATE TABLE read_marks (
        doc_hash   TEXT PRIMARY KEY,
        message_id TEXT,
        read_at    INTEGER NOT NULL
    );
    CREATE TABLE ui_state (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
",
    r"
    CREATE TABLE saved_searches (
        id      INTEGER PRIMARY KEY,
        name    TEXT NOT NULL UNIQUE,
        query   TEXT NOT NULL,
        created INTEGER NOT NULL
    );
",
    // DKIM public keys: every record ever imported or fetched for a name is
    // kept with when and where it came from, so a verdict can be
    // reproduced after the domain rotates its key.
    r"
    CREATE TABLE dkim_keys (
        name       TEXT NOT NULL,
        record     TEXT NOT NULL,
        source     TEXT NOT NULL,
        fetched_at INTEGER NOT NULL,
        PRIMARY KEY (name, record)
    );
",
    // Threads corrected by hand: the message (by content, Message-ID as
    // fallback) goes under the parent named by Message-ID, or by content
    // when the parent has none; with neither, it is a thread of its own.
    r"
    CREATE TABLE thread_links (
        doc_hash    TEXT PRIMARY KEY,
        message_id  TEXT,
        parent_id   TEXT,
        parent_hash TEXT,
        created     INTEGER NOT NULL
    );
",
    // Notes, one per document and author (an imported colleague's note
    // sits beside the user's own); and a colour per tag.
    r"
    CREATE TABLE notes (
        doc_hash   TEXT NOT NULL,
        message_id TEXT,
        author     TEXT NOT NULL,
        body       TEXT NOT NULL,
        updated    INTEGER NOT NULL,
        PRIMARY KEY (doc_hash, author)
    );
    CREATE INDEX notes_message_id ON notes(message_id);
    ALTER TABLE tags ADD COLUMN colour TEXT;
",
];

/// Run every migration after `from` in one transaction; a fresh database
/// also gets the suggested tags.
fn apply_migrations(conn: &mut Connection, from: i64) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(from as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
    }
    if from == 0 {
        for (i, name) in SUGGESTED_TAGS.iter().enumerate() {
            tx.execute(
                "INSERT INTO tags (name, hotkey, created) VALUES (?1, ?2, ?3)",
                params![name, (i + 1).to_string(), now()],
            )?;
        }
    }
    tx.commit()
}

pub struct Store {
    conn: Connection,
    path: String,
}

pub(crate) fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

impl Store {
    /// Open or create the database at `path` and bring its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let display = path.display().to_string();
        let conn = Connection::open(path).map_err(|source| StoreError::Sqlite {
            path: display.clone(),
            source,
        })?;
        let mut store = Store {
            conn,
            path: display,
        };
        store
            .configure()
            .and_then(|()| store.migrate())
            .map_err(|e| match e {
                // Not a database, or a damaged one: never replaced or
                // repaired behind the user's back.
                StoreError::Sqlite {
                    path,
                    source: rusqlite::Error::SqliteFailure(f, msg),
                } if matches!(
                    f.code,
                    rusqlite::ffi::ErrorCode::NotADatabase
                        | rusqlite::ffi::ErrorCode::DatabaseCorrupt
                ) =>
                {
                    StoreError::Unreadable {
                        path,
                        detail: msg.unwrap_or_else(|| f.to_string()),
                    }
                }
                other => other,
            })?;
        Ok(store)
    }

    fn err(&self, source: rusqlite::Error) -> StoreError {
        use rusqlite::ffi::ErrorCode;
        // A full disk (SQLITE_FULL), a file that may not grow (an I/O
        // error while writing) or a read-only folder: said plainly.
        if let rusqlite::Error::SqliteFailure(e, _) = &source {
            let write_failed = e.extended_code == rusqlite::ffi::SQLITE_IOERR_WRITE
                || e.extended_code == rusqlite::ffi::SQLITE_IOERR_FSYNC;
            if write_failed || matches!(e.code, ErrorCode::DiskFull | ErrorCode::ReadOnly) {
                return StoreError::CannotWrite {
                    path: self.path.clone(),
                    detail: source.to_string(),
                };
            }
        }
        StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    fn configure(&self) -> Result<(), StoreError> {
        self.conn
            .busy_timeout(std::time::Duration::from_secs(5))
            .map_err(|e| self.err(e))?;
        self.conn
            .execute_batch(
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
            )
            .map_err(|e| self.err(e))
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        let latest = MIGRATIONS.len() as i64;
        if version > latest {
            return Err(StoreError::TooNew(self.path.clone(), version));
        }
        apply_migrations(&mut self.conn, version).map_err(|e| self.err(e))
    }

    /// Every row of `sql`, each turned into a `T` by `map`.
    fn query_all<T>(
        &self,
        sql: &str,
        map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.err(e))?;
        let rows = stmt.query_map([], map).map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    pub fn tags(&self) -> Result<Vec<Tag>, StoreError> {
        self.query_all(
            "SELECT id, name, hotkey, colour FROM tags ORDER BY id",
            |r| {
                let hotkey: Option<String> = r.get(2)?;
                Ok(Tag {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    hotkey: hotkey.and_then(|h| h.chars().next()),
                    colour: r.get(3)?,
                })
            },
        )
    }

    /// Create a tag bound to the lowest free hotkey `1`–`9` (none if all taken).
    pub fn create_tag(&self, name: &str) -> Result<Tag, StoreError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::EmptyTagName);
        }
        let tags = self.tags()?;
        if tags.iter().any(|t| t.name == name) {
            return Err(StoreError::DuplicateTag(name.to_string()));
        }
        let hotkey = ('1'..='9').find(|k| tags.iter().all(|t| t.hotkey != Some(*k)));
        self.conn
            .execute(
                "INSERT INTO tags (name, hotkey, created) VALUES (?1, ?2, ?3)",
                params![name, hotkey.map(String::from), now()],
            )
            .map_err(|e| self.err(e))?;
        Ok(Tag {
            id: self.conn.last_insert_rowid(),
            name: name.to_string(),
            hotkey,
            colour: None,
        })
    }

    /// Give tag `id` a new name (same rules as [`Self::create_tag`]).
    pub fn rename_tag(&self, id: TagId, name: &str) -> Result<(), StoreError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::EmptyTagName);
        }
        if self.tags()?.iter().any(|t| t.name == name && t.id != id) {
            return Err(StoreError::DuplicateTag(name.to_string()));
        }
        self.conn
            .execute("UPDATE tags SET name = ?1 WHERE id = ?2", params![name, id])
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Delete tag `id` and take it off every document, in one
    /// transaction; returns how many documents (contents) carried it.
    pub fn delete_tag(&mut self, id: TagId) -> Result<usize, StoreError> {
        let run = |conn: &mut Connection| -> rusqlite::Result<usize> {
            let tx = conn.transaction()?;
            let removed = tx.execute("DELETE FROM doc_tags WHERE tag_id = ?1", params![id])?;
            tx.execute("DELETE FROM tags WHERE id = ?1", params![id])?;
            tx.commit()?;
            Ok(removed)
        };
        run(&mut self.conn).map_err(|e| self.err(e))
    }

    /// Saved searches, oldest first.
    pub fn saved_searches(&self) -> Result<Vec<SavedSearch>, StoreError> {
        self.query_all(
            "SELECT id, name, query FROM saved_searches ORDER BY id",
            |r| {
                Ok(SavedSearch {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    query: r.get(2)?,
                })
            },
        )
    }

    /// Save `query` as `name`, replacing a search of that name.
    pub fn save_search(&self, name: &str, query: &str) -> Result<(), StoreError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::EmptySearchName);
        }
        self.conn
            .execute(
                "INSERT INTO saved_searches (name, query, created) VALUES (?1, ?2, ?3)
                 ON CONFLICT(name) DO UPDATE SET query = excluded.query",
                params![name, query, now()],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    pub fn delete_search(&self, id: i64) -> Result<(), StoreError> {
        self.conn
            .execute("DELETE FROM saved_searches WHERE id = ?1", params![id])
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    pub fn assignments(&self) -> Result<Vec<Assignment>, StoreError> {
        self.query_all("SELECT tag_id, doc_hash, message_id FROM doc_tags", |r| {
            Ok(Assignment {
                tag: r.get(0)?,
                doc_hash: hash_column(r, 1)?,
                message_id: r.get(2)?,
            })
        })
    }

    /// Put `tag` on the document (or take it off). Committed on return.
    pub fn set_tag(
        &self,
        tag: TagId,
        doc_hash: &Sha256,
        message_id: Option<&str>,
        on: bool,
    ) -> Result<(), StoreError> {
        let result = if on {
            self.conn.execute(
                "INSERT OR IGNORE INTO doc_tags (tag_id, doc_hash, message_id, created) VALUES (?1, ?2, ?3, ?4)",
                params![tag, doc_hash.to_string(), message_id, now()],
            )
        } else {
            self.conn.execute(
                "DELETE FROM doc_tags WHERE tag_id = ?1 AND doc_hash = ?2",
                params![tag, doc_hash.to_string()],
            )
        };
        result.map(|_| ()).map_err(|e| self.err(e))
    }

    pub fn read_marks(&self) -> Result<Vec<ReadMark>, StoreError> {
        self.query_all("SELECT doc_hash, message_id FROM read_marks", |r| {
            Ok(ReadMark {
                doc_hash: hash_column(r, 0)?,
                message_id: r.get(1)?,
            })
        })
    }

    /// Mark a document read. Read marks come from moving the cursor, many
    /// a second: they are committed like everything else (a crash or
    /// `kill -9` keeps them) but without waiting for the disk
    /// (`synchronous=NORMAL`), so only a power cut could lose the last ones.
    /// Tags and notes, which the user types, always wait for the disk.
    /// Inside a batch ([`Self::begin`]) the mark is written with the rest,
    /// at the batch's commit (SQLite cannot change the level mid-way).
    pub fn mark_read(&self, doc_hash: &Sha256, message_id: Option<&str>) -> Result<(), StoreError> {
        let alone = self.conn.is_autocommit();
        if alone {
            self.conn
                .execute_batch("PRAGMA synchronous=NORMAL")
                .map_err(|e| self.err(e))?;
        }
        let result = self.conn.execute(
            "INSERT OR IGNORE INTO read_marks (doc_hash, message_id, read_at) VALUES (?1, ?2, ?3)",
            params![doc_hash.to_string(), message_id, now()],
        );
        if !alone {
            return result.map(|_| ()).map_err(|e| self.err(e));
        }
        let restored = self.conn.execute_batch("PRAGMA synchronous=FULL");
        result.map_err(|e| self.err(e))?;
        restored.map_err(|e| self.err(e))
    }

    /// Take the read mark off a document (by content, or by Message-ID
    /// when its bytes changed). Committed on return.
    pub fn unmark_read(
        &self,
        doc_hash: &Sha256,
        message_id: Option<&str>,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "DELETE FROM read_marks WHERE doc_hash = ?1 OR (?2 IS NOT NULL AND message_id = ?2)",
                params![doc_hash.to_string(), message_id],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    pub fn ui_value(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row("SELECT value FROM ui_state WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.err(e))
    }

    pub fn set_ui_value(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO ui_state (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// `PRAGMA integrity_check` says "ok".
    pub fn integrity_ok(&self) -> Result<bool, StoreError> {
        let s: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        Ok(s == "ok")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_store_has_suggested_tags_and_next_hotkey() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(&dir.path().join("s.db")).expect("open");
        let tags = store.tags().expect("tags");
        assert_eq!(
            tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
            SUGGESTED_TAGS
        );
        let t = store.create_tag("  donors ").expect("create");
        assert_eq!((t.name.as_str(), t.hotkey), ("donors", Some('5')));
        assert!(matches!(
            store.create_tag("donors"),
            Err(StoreError::DuplicateTag(_))
        ));
        assert!(matches!(
            store.create_tag(" "),
            Err(StoreError::EmptyTagName)
        ));
    }

    const AA: Sha256 = Sha256([0xaa; 32]);

    #[test]
    fn tags_and_marks_persist_across_reopen() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("s.db");
        {
            let store = Store::open(&path).expect("open");
            store.set_tag(1, &AA, Some("m@x"), true).expect("tag");
            store.set_tag(2, &AA, Some("m@x"), true).expect("tag");
            store.set_tag(2, &AA, Some("m@x"), false).expect("untag");
            store.mark_read(&Sha256([0xbb; 32]), None).expect("read");
            store.set_ui_value("selected", "aa").expect("ui");
        }
        let store = Store::open(&path).expect("reopen");
        let a = store.assignments().expect("assignments");
        assert_eq!(
            a,
            vec![Assignment {
                tag: 1,
                doc_hash: AA,
                message_id: Some("m@x".into())
            }]
        );
        assert_eq!(store.read_marks().expect("marks").len(), 1);
        assert_eq!(
            store.ui_value("selected").expect("ui").as_deref(),
            Some("aa")
        );
        assert_eq!(
            store.tags().expect("tags").len(),
            SUGGESTED_TAGS.len(),
            "suggested tags are not re-added"
        );
        assert!(store.integrity_ok().expect("check"));
    }

    #[test]
    fn newer_schema_is_refused_not_overwritten() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("s.db");
        drop(Store::open(&path).expect("open"));
        let conn = Connection::open(&path).expect("raw");
        conn.pragma_update(None, "user_version", 99).expect("bump");
        drop(conn);
        assert!(matches!(Store::open(&path), Err(StoreError::TooNew(_, 99))));
    }

    #[test]
    fn saved_searches_persist_replace_and_delete() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("state.sqlite");
        let store = Store::open(&path).expect("open");
        assert!(store.saved_searches().expect("list").is_empty());
        store.save_search("raptor", "raptor deal").expect("save");
        store.save_search(" late ", "after:2001-10").expect("save");
        store
            .save_search("raptor", "\"raptor deal\"")
            .expect("replace");
        assert!(matches!(
            store.save_search("  ", "x"),
            Err(StoreError::EmptySearchName)
        ));
        drop(store);
        let store = Store::open(&path).expect("reopen");
        let saved = store.saved_searches().expect("list");
        let pairs: Vec<(&str, &str)> = saved
            .iter()
            .map(|s| (s.name.as_str(), s.query.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [("raptor", "\"raptor deal\""), ("late", "after:2001-10")]
        );
        store.delete_search(saved[0].id).expect("delete");
        assert_eq!(store.saved_searches().expect("list").len(), 1);
    }
}
