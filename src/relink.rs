//! Threads corrected by hand. The user can hang a message under another
//! (its headers lost the link, or a forger's did not match) or split it
//! off into a thread of its own. The changes are user data, kept in the
//! project ([`crate::project::ThreadLink`]); here they become what the
//! threader reads for those messages: their one parent, pinned.

use std::collections::HashMap;

use crate::model::{DocId, Document, ThreadRefs};
use crate::project::{LinkParent, ThreadLink};
use crate::thread::ThreadInput;

/// The stored changes, attached to this scan's documents.
#[derive(Debug, Default)]
pub struct Relinks {
    /// The messages moved by hand, with their new parent's id (none: a
    /// thread of their own).
    refs: HashMap<DocId, ThreadRefs>,
    /// Ids made up for parents that have no Message-ID.
    made_up: HashMap<DocId, String>,
    /// Every document's threading headers, when the documents do not
    /// carry them (browsing drops them; see [`Relinks::with_headers`]).
    headers: Vec<ThreadRefs>,
}

/// The id a parent without a Message-ID is known by while threading.
fn made_up_id(doc: &Document) -> String {
    format!("{}@trawl.hash", doc.hash)
}

impl Relinks {
    /// Attach `links` to `docs`: each by its message's content, or its
    /// Message-ID when the bytes changed. A link whose message or parent
    /// is gone from the dump is left out (the headers thread it).
    pub fn resolve(docs: &[Document], links: &[ThreadLink]) -> Relinks {
        let mut out = Relinks::default();
        if links.is_empty() {
            return out;
        }
        let mut keys: Vec<(crate::model::Sha256, Option<&str>)> = links
            .iter()
            .map(|l| (l.doc_hash, l.message_id.as_deref()))
            .collect();
        let parents: Vec<usize> = links
            .iter()
            .filter_map(|l| match l.parent {
                LinkParent::Hash(h) => {
                    keys.push((h, None));
                    Some(keys.len() - 1)
                }
                _ => None,
            })
            .collect();
        let found = crate::workspace::match_identities(docs, &keys);
        let mut parent_slots = parents.into_iter();
        for (k, link) in links.iter().enumerate() {
            let parent_id = match &link.parent {
                LinkParent::Detached => None,
                LinkParent::Id(id) => Some(id.clone()),
                LinkParent::Hash(_) => {
                    let slot = parent_slots.next().unwrap_or(usize::MAX);
                    let Some(&parent) = found.get(slot).and_then(|f| f.first()) else {
                        continue;
                    };
                    let id = made_up_id(&docs[parent]);
                    out.made_up.insert(parent, id.clone());
                    Some(id)
                }
            };
            let refs = ThreadRefs::new(parent_id.as_deref(), []);
            for &doc in &found[k] {
                if docs[doc].is_mail() && !docs[doc].is_part() {
                    out.refs.insert(doc, refs.clone());
                }
            }
        }
        out
    }

    /// Thread with `headers` (one per document) instead of the
    /// documents' own, which browsing does not keep.
    #[must_use]
    pub fn with_headers(mut self, headers: Vec<ThreadRefs>) -> Relinks {
        self.headers = headers;
        self
    }

    pub fn is_empty(&self) -> bool {
        self.refs.is_empty()
    }

    /// Whether `doc` was threaded by hand.
    pub fn moved(&self, doc: DocId) -> bool {
        self.refs.contains_key(&doc)
    }

    /// What the threader reads for `doc`: its headers, unless the user
    /// threaded it by hand.
    pub fn input<'a>(&'a self, docs: &'a [Document], doc: DocId) -> ThreadInput<'a> {
        let d = &docs[doc];
        let mut input = ThreadInput::from(d);
        if let Some(id) = self.made_up.get(&doc) {
            input.message_id = Some(id);
        }
        if let Some(refs) = self.refs.get(&doc) {
            input.refs = refs;
            input.pinned = true;
        } else if let Some(refs) = self.headers.get(doc) {
            input.refs = refs;
        }
        input
    }
}
