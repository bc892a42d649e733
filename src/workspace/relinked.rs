//! Threads corrected by hand (see [`crate::relink`]): the workspace keeps
//! them in the project and threads again after each change.

use super::Workspace;
use crate::browse::FlatTree;
use crate::index::catalog;
use crate::model::DocId;
use crate::project::{LinkParent, StoreError, ThreadLink};
use crate::relink::Relinks;

impl Workspace {
    /// Attach the threads corrected by hand, and thread again if any are
    /// (or, with `always`, were) in the project. `false` when the tree
    /// could not be rebuilt yet: the documents on screen came without
    /// their threading headers and the catalog holding them is not written
    /// yet (a first index still running; its end threads again).
    pub(super) fn rethread(&mut self, always: bool) -> Result<bool, StoreError> {
        let links = self.project.store.thread_links()?;
        self.relinks = Relinks::resolve(&self.scan.docs, &links);
        if !always && links.is_empty() {
            return Ok(true);
        }
        let carried = self.scan.docs.iter().any(|d| !d.threading.is_empty());
        if !carried {
            let Some(headers) = catalog::load_refs(&self.project.dir, self.scan.docs.len()) else {
                return Ok(false);
            };
            self.relinks = std::mem::take(&mut self.relinks).with_headers(headers);
        }
        self.tree = FlatTree::build_relinked(&self.scan.docs, &self.relinks);
        // Only the changes are needed from now on, not every header.
        self.relinks = std::mem::take(&mut self.relinks).with_headers(Vec::new());
        Ok(true)
    }

    /// Whether `doc` was threaded by hand.
    pub fn moved_by_hand(&self, doc: DocId) -> bool {
        self.relinks.moved(doc)
    }

    /// Put message `doc` under `parent`, or (`None`) in a thread of its
    /// own, and thread again. Kept by the message's identity, like tags.
    /// `Ok(false)`: kept, shown once indexing is done (see
    /// [`Self::rethread`]).
    pub fn thread_by_hand(
        &mut self,
        doc: DocId,
        parent: Option<DocId>,
    ) -> Result<bool, StoreError> {
        let d = &self.scan.docs[doc];
        let parent = match parent.map(|p| &self.scan.docs[p]) {
            None => LinkParent::Detached,
            Some(p) => match p.message_id() {
                Some(id) => LinkParent::Id(id.to_string()),
                None => LinkParent::Hash(p.hash),
            },
        };
        self.project.store.set_thread_link(&ThreadLink {
            doc_hash: d.hash,
            message_id: d.message_id().map(str::to_string),
            parent,
        })?;
        self.rethread(true)
    }

    /// Forget how `doc` was threaded by hand: its headers thread it
    /// again. `Ok(false)` as for [`Self::thread_by_hand`].
    pub fn unthread_by_hand(&mut self, doc: DocId) -> Result<bool, StoreError> {
        let hash = self.scan.docs[doc].hash;
        let id = self.scan.docs[doc].message_id();
        self.project.store.remove_thread_link(&hash, id)?;
        self.rethread(true)
    }
}
