//! A parsed query against a workspace: text terms go to the full-text
//! index, everything else (tags, read marks, dates, attachments) is read
//! from the workspace's live state; the parts are combined as sets of
//! documents, so `AND`, `OR` and `NOT` mean exactly what they say.

use super::fulltext::{FullText, FullTextError};
use super::query::Query;
use crate::model::{DocId, Document, Sha256};
use crate::workspace::Workspace;

/// The documents of a workspace by identity hash (the full-text index has
/// one entry per distinct content; duplicates share it): sorted pairs, and
/// where each 16-bit hash prefix starts (hashes are uniform, so a lookup
/// looks at a handful of pairs).
pub struct HashIndex {
    pairs: Vec<(Sha256, u32)>,
    starts: Vec<u32>,
}

fn prefix(h: &Sha256) -> usize {
    usize::from(u16::from_be_bytes([h.0[0], h.0[1]]))
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
        let pairs = sorted_hashes(docs);
        let mut starts = vec![0u32; (1 << 16) + 1];
        for (h, _) in &pairs {
            starts[prefix(h) + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        HashIndex { pairs, starts }
    }

    /// Every document with content `hash`.
    pub fn docs(&self, hash: &Sha256) -> impl Iterator<Item = DocId> + '_ {
        let hash = *hash;
        let p = prefix(&hash);
        let bucket = &self.pairs[self.starts[p] as usize..self.starts[p + 1] as usize];
        let start = bucket.partition_point(|(h, _)| *h < hash);
        bucket[start..]
            .iter()
            .take_while(move |(h, _)| *h == hash)
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

/// The documents matching `query`, in `order`.
pub fn run(
    query: &Query,
    ws: &Workspace,
    fulltext: &FullText,
    hashes: &HashIndex,
    order: Order,
) -> Result<Vec<DocId>, FullTextError> {
    let n = ws.scan.docs.len();
    let mut scores = vec![0f32; n];
    let mut eval = Eval {
        ws,
        fulltext,
        hashes,
        scores: &mut scores,
    };
    let set = eval.set(query, true)?;
    let mut hits: Vec<DocId> = (0..n).filter(|&d| set[d]).collect();
    let date = |d: DocId| ws.scan.docs[d].date;
    match order {
        Order::Date => hits.sort_by_key(|&d| (date(d).is_none(), std::cmp::Reverse(date(d)), d)),
        Order::Relevance => hits.sort_by(|&a, &b| {
            scores[b]
                .total_cmp(&scores[a])
                .then_with(|| date(a).is_none().cmp(&date(b).is_none()))
                .then_with(|| date(b).cmp(&date(a)))
                .then(a.cmp(&b))
        }),
    }
    Ok(hits)
}

struct Eval<'a> {
    ws: &'a Workspace,
    fulltext: &'a FullText,
    hashes: &'a HashIndex,
    /// Text scores of every document, from terms that are not negated.
    scores: &'a mut [f32],
}

impl Eval<'_> {
    fn all(&self, keep: impl Fn(DocId, &Document) -> bool) -> Vec<bool> {
        self.ws
            .scan
            .docs
            .iter()
            .enumerate()
            .map(|(i, d)| keep(i, d))
            .collect()
    }

    /// Which documents match `q`; `positive` is false under a negation.
    fn set(&mut self, q: &Query, positive: bool) -> Result<Vec<bool>, FullTextError> {
        let n = self.ws.scan.docs.len();
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
                    .ws
                    .tags
                    .iter()
                    .find(|t| t.name.eq_ignore_ascii_case(name) || t.name == *name)
                    .map(|t| t.id);
                match tag {
                    Some(tag) => self.all(|d, _| self.ws.has_tag(d, tag)),
                    None => vec![false; n],
                }
            }
            Query::Unread(unread) => self.all(|d, _| self.ws.read[d] != *unread),
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
        };
        Document::new(DocKind::Mail, location, Sha256(hash), &Envelope::default())
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
