//! A parsed query against a workspace: text terms go to the full-text
//! index, everything else (tags, read marks, dates, attachments) is read
//! from the workspace's live state; the parts are combined as sets of
//! documents, so `AND`, `OR` and `NOT` mean exactly what they say.

use super::fulltext::{FullText, FullTextError};
use super::query::Query;
use crate::model::{DocId, Document, Sha256};
use crate::workspace::Workspace;

/// The documents of a workspace by identity hash (the full-text index has
/// one entry per distinct content; duplicates share it).
pub struct HashIndex(Vec<(Sha256, u32)>);

impl HashIndex {
    pub fn new(docs: &[Document]) -> HashIndex {
        let mut pairs: Vec<(Sha256, u32)> = docs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.hash, u32::try_from(i).unwrap_or(u32::MAX)))
            .collect();
        pairs.sort_unstable();
        HashIndex(pairs)
    }

    /// Every document with content `hash`.
    pub fn docs(&self, hash: &Sha256) -> impl Iterator<Item = DocId> + '_ {
        let hash = *hash;
        let start = self.0.partition_point(|(h, _)| *h < hash);
        self.0[start..]
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
