//! Threads corrected by hand (see [`crate::relink`]): where the user put a
//! message, kept by the message's identity.

use rusqlite::params;

use super::{hash_column, now, Store, StoreError};
use crate::model::Sha256;

/// Where a message was put by hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkParent {
    /// A thread of its own.
    Detached,
    /// Under the message with this Message-ID (without `<>`).
    Id(String),
    /// Under the document with this content, which has no Message-ID.
    Hash(Sha256),
}

/// One message threaded by hand, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadLink {
    pub doc_hash: Sha256,
    pub message_id: Option<String>,
    pub parent: LinkParent,
}

impl Store {
    /// Put the message under `parent`, replacing where it was put before.
    pub fn set_thread_link(&self, link: &ThreadLink) -> Result<(), StoreError> {
        let (id, hash) = match &link.parent {
            LinkParent::Detached => (None, None),
            LinkParent::Id(id) => (Some(id.as_str()), None),
            LinkParent::Hash(h) => (None, Some(h.to_string())),
        };
        self.conn
            .execute(
                "INSERT INTO thread_links (doc_hash, message_id, parent_id, parent_hash, created)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(doc_hash) DO UPDATE SET message_id = excluded.message_id,
                    parent_id = excluded.parent_id, parent_hash = excluded.parent_hash,
                    created = excluded.created",
                params![link.doc_hash.to_string(), link.message_id, id, hash, now()],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Forget where the message was put (found by content, or by
    /// Message-ID when its bytes changed): its headers thread it again.
    /// Returns whether there was anything to forget.
    pub fn remove_thread_link(
        &self,
        doc_hash: &Sha256,
        message_id: Option<&str>,
    ) -> Result<bool, StoreError> {
        self.conn
            .execute(
                "DELETE FROM thread_links WHERE doc_hash = ?1 OR (?2 IS NOT NULL AND message_id = ?2)",
                params![doc_hash.to_string(), message_id],
            )
            .map(|n| n > 0)
            .map_err(|e| self.err(e))
    }

    /// Every message threaded by hand, oldest change first.
    pub fn thread_links(&self) -> Result<Vec<ThreadLink>, StoreError> {
        self.query_all(
            "SELECT doc_hash, message_id, parent_id, parent_hash FROM thread_links ORDER BY created, rowid",
            |r| {
                let parent_id: Option<String> = r.get(2)?;
                let parent_hash: Option<String> = r.get(3)?;
                let parent = match (parent_id, parent_hash) {
                    (Some(id), _) => LinkParent::Id(id),
                    (None, Some(_)) => LinkParent::Hash(hash_column(r, 3)?),
                    (None, None) => LinkParent::Detached,
                };
                Ok(ThreadLink {
                    doc_hash: hash_column(r, 0)?,
                    message_id: r.get(1)?,
                    parent,
                })
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_replace_each_other_and_survive_reopening() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("state.sqlite3");
        let a = Sha256([1; 32]);
        let b = Sha256([2; 32]);
        {
            let store = Store::open(&path).expect("open");
            let link = |doc_hash, parent| ThreadLink {
                doc_hash,
                message_id: Some("m@x".into()),
                parent,
            };
            store
                .set_thread_link(&link(a, LinkParent::Id("p@x".into())))
                .expect("set");
            store
                .set_thread_link(&link(b, LinkParent::Hash(a)))
                .expect("set");
            store
                .set_thread_link(&link(a, LinkParent::Detached))
                .expect("replace");
        }
        let store = Store::open(&path).expect("reopen");
        let links = store.thread_links().expect("links");
        assert_eq!(links.len(), 2);
        assert!(links
            .iter()
            .any(|l| l.doc_hash == a && l.parent == LinkParent::Detached));
        assert!(links
            .iter()
            .any(|l| l.doc_hash == b && l.parent == LinkParent::Hash(a)));
        assert!(store.remove_thread_link(&a, None).expect("remove"));
        assert!(!store.remove_thread_link(&a, None).expect("again"));
        assert_eq!(store.thread_links().expect("links").len(), 1);
    }
}
