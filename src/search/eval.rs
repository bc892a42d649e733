//! A parsed query against a workspace: text terms go to the full-text
//! index, everything else (tags, read marks, dates, attachments) is read
//! from the workspace's live state; the parts are combined as sets of
//! documents, so `AND`, `OR` and `NOT` mean exactly what they say.

use super::fulltext::{FullText, FullTextError};
use super::query::Query;
use std::collections::HashMap;

use crate::model::{DocId, Document, Sha256};
use crate::project::{Note, Tag, TagId};
use crate::workspace::Workspace;

/// The documents of a workspace by identity hash (the full-text index has
/// one entry per distinct content; duplicates share it): pairs sorted by
/// hash, kept as four `u64`s so comparing is a few integer compares, and
/// where each 16-bit hash prefix starts (hashes are uniform, so a lookup
/// looks at a handful of pairs).
pub struct HashIndex {
    pairs: Vec<(Key, u32)>,
    starts: Vec<u32>,
}

/// A hash as big-endian `u64`s: ordered like its bytes.
type Key = [u64; 4];

fn key(h: &Sha256) -> Key {
    let mut out = [0u64; 4];
    for (k, part) in out.iter_mut().zip(h.0.chunks_exact(8)) {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(part);
        *k = u64::from_be_bytes(bytes);
    }
    out
}

fn prefix(k: &Key) -> usize {
    usize::try_from(k[0] >> 48).unwrap_or(0)
}

/// Every document's `(hash, index)`, sorted.
pub fn sorted_hashes(docs: &[Document]) -> Vec<(Sha256, u32)> {
    let mut pairs: Vec<(Sha256, u32)> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.hash, u32::try_from(i).unwrap_or(u32::MAX)))
        .collect();
    pairs.sort_unstable();
    pairs
}

impl HashIndex {
    pub fn new(docs: &[Document]) -> HashIndex {
        let mut pairs: Vec<(Key, u32)> = docs
            .iter()
            .enumerate()
            .map(|(i, d)| (key(&d.hash), u32::try_from(i).unwrap_or(u32::MAX)))
            .collect();
        pairs.sort_unstable();
        let mut starts = vec![0u32; (1 << 16) + 1];
        for (k, _) in &pairs {
            starts[prefix(k) + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        HashIndex { pairs, starts }
    }

    /// Every document with content `hash`.
    pub fn docs(&self, hash: &Sha256) -> impl Iterator<Item = DocId> + '_ {
        let k = key(hash);
        let p = prefix(&k);
        let bucket = &self.pairs[self.starts[p] as usize..self.starts[p + 1] as usize];
        let start = bucket.partition_point(|(h, _)| *h < k);
        bucket[start..]
            .iter()
            .take_while(move |(h, _)| *h == k)
            .map(|&(_, d)| d as DocId)
    }
}

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Best text match first (ties: newest first).
    Relevance,
    /// Newest first (undated last).
    Date,
}

/// What a query reads: the documents and the user's live state (tags,
/// read marks), borrowed from a workspace or from a [`UserState`] copy.
#[derive(Clone, Copy)]
pub struct Corpus<'a> {
    pub docs: &'a [Document],
    pub tags: &'a [Tag],
    /// Tags of the documents that have any.
    pub doc_tags: &'a HashMap<DocId, Vec<TagId>>,
    pub read: &'a [bool],
    /// Notes of the documents that have any.
    pub notes: &'a HashMap<DocId, Vec<Note>>,
}

impl Corpus<'_> {
    fn has_tag(&self, doc: DocId, tag: TagId) -> bool {
        self.doc_tags.get(&doc).is_some_and(|t| t.contains(&tag))
    }
}

/// A copy of the user's state, for a query run on another thread while
/// the user goes on tagging.
#[derive(Debug, Clone, Default)]
pub struct UserState {
    pub tags: Vec<Tag>,
    pub doc_tags: HashMap<DocId, Vec<TagId>>,
    pub read: Vec<bool>,
    pub notes: HashMap<DocId, Vec<Note>>,
}

impl UserState {
    pub fn corpus<'a>(&'a self, docs: &'a [Document]) -> Corpus<'a> {
        Corpus {
            docs,
            tags: &self.tags,
            doc_tags: &self.doc_tags,
            read: &self.read,
            notes: &self.notes,
        }
    }
}

/// The documents of `ws` matching `query`, in `order`.
pub fn run(
    query: &Query,
    ws: &Workspace,
    fulltext: &FullText,
    hashes: &HashIndex,
    order: Order,
) -> Result<Vec<DocId>, FullTextError> {
    run_on(query, ws.corpus(), fulltext, hashes, order)
}

/// The documents of `corpus` matching `query`, in `order`.
pub fn run_on(
    query: &Query,
    corpus: Corpus<'_>,
    fulltext: &FullText,
    hashes: &HashIndex,
    order: Order,
) -> Result<Vec<DocId>, FullTextError> {
    let n = corpus.docs.len();
    let mut scores = vec![0f32; n];
    let mut eval = Eval {
        corpus,
        fulltext,
        hashes,
        scores: &mut scores,
    };
    let set = eval.set(query, true)?;
    // Sorted by one precomputed integer key per hit: (score, then newest
    // first, undated last, then dump order), smaller first.
    let mut keyed: Vec<(u32, u64, u32)> = (0..n)
        .filter(|&d| set[d])
        .map(|d| {
            let score = match order {
                Order::Relevance => !ordered(scores[d]),
                Order::Date => 0,
            };
            let date = corpus.docs[d]
                .date
                .map_or(u64::MAX, |t| i64::MAX.abs_diff(t));
            (score, date, u32::try_from(d).unwrap_or(u32::MAX))
        })
        .collect();
    keyed.sort_unstable();
    Ok(keyed.into_iter().map(|(_, _, d)| d as DocId).collect())
}

/// A float as an integer of the same order (IEEE 754 total order).
fn ordered(score: f32) -> u32 {
    let bits = score.to_bits();
    if bits >> 31 == 1 {
        !bits
    } else {
        bits | 1 << 31
    }
}

struct Eval<'a> {
    corpus: Corpus<'a>,
    fulltext: &'a FullText,
    hashes: &'a HashIndex,
    /// Text scores of every document, from terms that are not negated.
    scores: &'a mut [f32],
}

impl Eval<'_> {
    fn all(&self, keep: impl Fn(DocId, &Document) -> bool) -> Vec<bool> {
        self.corpus
            .docs
            .iter()
            .enumerate()
            .map(|(i, d)| keep(i, d))
            .collect()
    }

    /// Which documents match `q`; `positive` is false under a negation.
    fn set(&mut self, q: &Query, positive: bool) -> Result<Vec<bool>, FullTextError> {
        let n = self.corpus.docs.len();
        Ok(match q {
            Query::All => vec![true; n],
            Query::Text { field, text, .. } => {
                let mut set = vec![false; n];
                for (hash, score) in self.fulltext.matching(*field, text)? {
                    for d in self.hashes.docs(&hash) {
                        set[d] = true;
                        if positive {
                            self.scores[d] += score;
                        }
                    }
                }
                set
            }
            Query::Tag(name) => {
                let tag = self
                    .corpus
                    .tags
                    .iter()
                    .find(|t| t.name.eq_ignore_ascii_case(name) || t.name == *name)
                    .map(|t| t.id);
                match tag {
                    Some(tag) => self.all(|d, _| self.corpus.has_tag(d, tag)),
                    None => vec![false; n],
                }
            }
            Query::Unread(unread) => {
                self.all(|d, _| self.corpus.read.get(d).copied().unwrap_or(false) != *unread)
            }
            Query::Tagged(tagged) => self
                .all(|d, _| self.corpus.doc_tags.get(&d).is_some_and(|t| !t.is_empty()) == *tagged),
            Query::Note(text) => self.all(|d, _| {
                self.corpus.notes.get(&d).is_some_and(|notes| {
                    notes
                        .iter()
                        .any(|n| text.is_empty() || n.body.to_lowercase().contains(text.as_str()))
                })
            }),
            Query::HasAttachment => self.all(|_, d| d.has_attachments()),
            Query::Date { start, end } => self.all(|_, d| {
                d.date
                    .is_some_and(|t| start.is_none_or(|s| t >= s) && end.is_none_or(|e| t < e))
            }),
            Query::And(parts) => {
                let mut set = vec![true; n];
                for part in parts {
                    let other = self.set(part, positive)?;
                    set.iter_mut().zip(other).for_each(|(a, b)| *a &= b);
                }
                set
            }
            Query::Or(parts) => {
                let mut set = vec![false; n];
                for part in parts {
                    let other = self.set(part, positive)?;
                    set.iter_mut().zip(other).for_each(|(a, b)| *a |= b);
                }
                set
            }
            Query::Not(inner) => {
                let mut set = self.set(inner, !positive)?;
                for b in &mut set {
                    *b = !*b;
                }
                set
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::*;
    use crate::model::{Container, DocKind, Envelope, Location};

    fn doc(first: u8, second: u8, last: u8) -> Document {
        let mut hash = [0u8; 32];
        hash[0] = first;
        hash[1] = second;
        hash[31] = last;
        let location = Location {
            path: Arc::from(Path::new("x")),
            container: Container::File,
            offset: 0,
            len: 0,
            part: crate::model::PartPath::default(),
        };
        Document::new(DocKind::Mail, location, Sha256(hash), &Envelope::default())
    }

    #[test]
    fn ordered_scores_sort_like_floats() {
        let mut scores = [3.5f32, -1.0, 0.0, 12.25, -0.0, 0.001, f32::MAX, -7.5];
        let mut keys: Vec<u32> = scores.iter().map(|&s| ordered(s)).collect();
        keys.sort_unstable();
        scores.sort_by(f32::total_cmp);
        let back: Vec<u32> = scores.iter().map(|&s| ordered(s)).collect();
        assert_eq!(keys, back);
        assert!(ordered(0.5) < ordered(0.75));
        assert!(ordered(-2.0) < ordered(-1.0));
    }

    #[test]
    fn hash_index_finds_every_copy_and_nothing_else() {
        let docs = [
            doc(0, 0, 1),
            doc(255, 255, 9),
            doc(0, 0, 2),
            doc(0, 1, 1),
            doc(0, 0, 1),
            doc(255, 255, 9),
        ];
        let index = HashIndex::new(&docs);
        let find = |d: &Document| index.docs(&d.hash).collect::<Vec<_>>();
        assert_eq!(find(&docs[0]), [0, 4]);
        assert_eq!(find(&docs[1]), [1, 5]);
        assert_eq!(find(&docs[2]), [2]);
        assert_eq!(find(&docs[3]), [3]);
        assert!(find(&doc(0, 0, 3)).is_empty());
        assert!(find(&doc(7, 7, 7)).is_empty());
        assert!(HashIndex::new(&[]).docs(&docs[0].hash).next().is_none());
    }
}
