//! The quick filter: documents whose subject, sender, first recipients or
//! file name fuzzy-match what is typed (fuzzy-matcher's `SkimMatcherV2`), best first.
//!
//! Built for typing over half a million documents: the text is lowered
//! once, when the filter opens. A document matches when every typed
//! character appears in it in order (what the fuzzy matcher requires too),
//! which one byte scan decides; the same scan gives a cheap rank (the
//! typed text as a whole word, as a substring, or spread out, and how
//! widely). Only the best [`SCORED`] by that rank are scored by the fuzzy
//! matcher and shown first; the rest follow in document order. A query
//! that extends the previous one only looks at the previous matches.

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use memchr::memmem;
use rayon::prelude::*;

use crate::model::{DocId, Document};

/// The searchable text of every document, lower-cased, in one string
/// (scanning it walks memory in order).
pub struct QuickIndex {
    text: String,
    /// Where each document's text ends in `text`.
    ends: Vec<usize>,
}

/// Separates the fields in a document's text (never typed).
const SEP: char = '\u{1f}';

impl QuickIndex {
    pub fn new(docs: &[Document]) -> QuickIndex {
        let parts: Vec<String> = docs
            .par_iter()
            .map(|d| {
                let name = if d.is_mail() {
                    String::new()
                } else {
                    d.location.path.to_string_lossy().into_owned()
                };
                format!(
                    "{}{SEP}{}{SEP}{}{SEP}{}{SEP}{name}",
                    d.subject(),
                    d.from_name(),
                    d.from_addr(),
                    d.recipients(),
                )
                .to_lowercase()
            })
            .collect();
        let mut text = String::with_capacity(parts.iter().map(String::len).sum());
        let mut ends = Vec::with_capacity(parts.len());
        for part in parts {
            text.push_str(&part);
            ends.push(text.len());
        }
        QuickIndex { text, ends }
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The text of document `d`.
    fn hay(&self, d: DocId) -> Option<&str> {
        let end = *self.ends.get(d)?;
        let start = if d == 0 { 0 } else { self.ends[d - 1] };
        self.text.get(start..end)
    }

    /// Documents matching `pattern`. With `within` (in document order),
    /// only those are looked at: the matches of a query that `pattern`
    /// extends. An empty pattern matches everything.
    pub fn filter(&self, pattern: &str, within: Option<&[DocId]>) -> Filtered {
        let pattern: String = pattern
            .to_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace() && *c != SEP)
            .collect();
        if pattern.is_empty() {
            let matches: Vec<DocId> = match within {
                Some(docs) => docs.to_vec(),
                None => (0..self.len()).collect(),
            };
            let hits = matches.iter().map(|&d| (d, 0)).collect();
            return Filtered { hits, matches };
        }
        // (rank, document): lower rank is better.
        let prepared = Pattern::new(&pattern);
        let rank_of = |d: DocId| Some((prepared.rank(self.hay(d)?)?, d));
        let ranked: Vec<(u32, DocId)> = match within {
            Some(docs) => docs.par_iter().filter_map(|&d| rank_of(d)).collect(),
            None => (0..self.len())
                .into_par_iter()
                .filter_map(rank_of)
                .collect(),
        };
        // The rank the SCORED-th best has; take the better ones and enough
        // of the equal ones, in document order (no sort of the rest).
        let threshold = if ranked.len() > SCORED {
            let mut ranks: Vec<u32> = ranked.iter().map(|r| r.0).collect();
            *ranks.select_nth_unstable(SCORED - 1).1
        } else {
            u32::MAX
        };
        let mut room = SCORED;
        let mut top = Vec::with_capacity(SCORED.min(ranked.len()));
        let mut rest = Vec::with_capacity(ranked.len().saturating_sub(SCORED));
        for &(r, d) in &ranked {
            if r < threshold {
                top.push(d);
                room -= 1;
            }
        }
        for &(r, d) in &ranked {
            if r == threshold && room > 0 {
                top.push(d);
                room -= 1;
            } else if r >= threshold {
                rest.push((d, 0));
            }
        }
        let matcher = SkimMatcherV2::default().ignore_case();
        let mut scored: Vec<(DocId, i64)> = top
            .iter()
            .map(|&d| {
                let score = self.hay(d).and_then(|h| matcher.fuzzy_match(h, &pattern));
                (d, score.unwrap_or(0))
            })
            .collect();
        scored.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        scored.append(&mut rest);
        Filtered {
            hits: scored,
            matches: ranked.into_iter().map(|(_, d)| d).collect(),
        }
    }
}

/// What [`QuickIndex::filter`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filtered {
    /// With their fuzzy score: the best first, by score (ties in document
    /// order), then the other matches in document order (score 0).
    pub hits: Vec<(DocId, i64)>,
    /// The same documents in document order: what a longer query narrows.
    pub matches: Vec<DocId>,
}

/// How many of the best-ranked matches the fuzzy matcher orders.
pub const SCORED: usize = 500;

/// A typed pattern, prepared once per filter: its characters as UTF-8
/// byte strings (searched as bytes, which find only whole characters in
/// valid UTF-8) and a substring finder for the whole of it.
struct Pattern<'p> {
    chars: Vec<&'p [u8]>,
    whole: memmem::Finder<'p>,
    len: usize,
}

impl<'p> Pattern<'p> {
    fn new(pattern: &'p str) -> Pattern<'p> {
        let chars = pattern
            .char_indices()
            .map(|(i, c)| &pattern.as_bytes()[i..i + c.len_utf8()])
            .collect();
        Pattern {
            chars,
            whole: memmem::Finder::new(pattern.as_bytes()),
            len: pattern.len(),
        }
    }

    /// `None` when the pattern cannot match `hay`; else a rank, lower is
    /// better: the pattern as a whole word start, as a substring, or
    /// spread out (then the shorter the stretch it covers, the better).
    fn rank(&self, hay: &str) -> Option<u32> {
        let (first, span) = self.spread(hay.as_bytes())?;
        // The greedy stretch is often the substring itself: no second search.
        let at = if span == self.len {
            Some(first)
        } else {
            self.whole.find(hay.as_bytes())
        };
        let Some(at) = at else {
            return Some(
                2_000
                    + u32::try_from(span)
                        .unwrap_or(u32::MAX - 2_000)
                        .min(1_000_000),
            );
        };
        let word_start = hay
            .get(..at)
            .and_then(|before| before.chars().next_back())
            .is_none_or(|c| !c.is_alphanumeric());
        Some(if word_start { 0 } else { 1_000 })
    }

    /// Where the leftmost greedy stretch of `hay` holding the characters
    /// of the pattern in order starts, and its length (bytes); `None` if
    /// there is none.
    fn spread(&self, hay: &[u8]) -> Option<(usize, usize)> {
        let mut first = None;
        let mut pos = 0;
        for c in &self.chars {
            let rest = hay.get(pos..)?;
            let at = match c {
                [b] => memchr::memchr(*b, rest)?,
                _ => memmem::find(rest, c)?,
            } + pos;
            first.get_or_insert(at);
            pos = at + c.len();
        }
        let first = first.unwrap_or(0);
        Some((first, pos - first))
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::*;
    use crate::model::{Container, DocKind, Envelope, Location, Sha256};

    fn doc(subject: &str, from: &str, addr: &str) -> Document {
        to(subject, from, addr, "")
    }

    fn to(subject: &str, from: &str, addr: &str, recipients: &str) -> Document {
        let location = Location {
            path: Arc::from(Path::new("a/b.eml")),
            container: Container::File,
            offset: 0,
            len: 0,
            part: crate::model::PartPath::default(),
        };
        let envelope = Envelope {
            subject,
            from,
            from_addr: addr,
            recipients,
            ..Envelope::default()
        };
        Document::new(DocKind::Mail, location, Sha256([0; 32]), &envelope)
    }

    fn docs() -> Vec<Document> {
        vec![
            doc("Raptor numbers", "Ken Lay", "ken@enron.example"),
            doc("Lunch on Friday", "Bob", "bob@press.example"),
            doc("Re: Raptor numbers", "Andy Fastow", "andy@enron.example"),
            doc("Réunion budget", "Renée Dupré", "renee@x.example"),
            doc("Accounting concerns", "Sherron", "sherron@enron.example"),
            to(
                "Board call",
                "Ken Lay",
                "ken@enron.example",
                "Jeff Skilling jeff@x",
            ),
        ]
    }

    fn ids(found: &Filtered) -> Vec<DocId> {
        let mut v: Vec<DocId> = found.hits.iter().map(|h| h.0).collect();
        v.sort_unstable();
        assert_eq!(v, found.matches, "the same documents");
        v
    }

    #[test]
    fn fuzzy_matches_subject_and_sender_best_first() {
        let index = QuickIndex::new(&docs());
        assert_eq!(ids(&index.filter("raptor", None)), [0, 2]);
        assert_eq!(ids(&index.filter("rptr", None)), [0, 2]);
        assert_eq!(ids(&index.filter("FASTOW", None)), [2]);
        assert_eq!(ids(&index.filter("enron", None)), [0, 2, 4, 5]);
        assert_eq!(ids(&index.filter("skilling", None)), [5], "a recipient");
        assert_eq!(ids(&index.filter("réun", None)), [3]);
        assert_eq!(index.filter("", None).hits.len(), 6);
        assert!(index.filter("zzz", None).hits.is_empty());
        let best = index.filter("raptor numbers", None).hits;
        assert_eq!(best[0].0, 0, "the exact subject first: {best:?}");
        assert!(best.windows(2).all(|w| w[0].1 >= w[1].1));
    }

    #[test]
    fn narrowing_gives_what_a_fresh_filter_gives() {
        let index = QuickIndex::new(&docs());
        let mut previous: Option<Vec<DocId>> = None;
        for typed in ["e", "en", "enr", "enro", "enron"] {
            let narrowed = index.filter(typed, previous.as_deref());
            assert_eq!(narrowed, index.filter(typed, None), "{typed}");
            previous = Some(narrowed.matches);
        }
    }

    #[test]
    fn the_cheap_check_agrees_with_the_matcher() {
        let hay = "re: raptor numbers\u{1f}ken lay\u{1f}ken@enron.example\u{1f}";
        for p in ["rptr", "kenlay", "ken@", "xyz", "é", "numbersken"] {
            let matcher = SkimMatcherV2::default().ignore_case();
            let spread = Pattern::new(p).spread(hay.as_bytes());
            assert_eq!(
                matcher.fuzzy_match(hay, p).is_some(),
                spread.is_some(),
                "{p}"
            );
        }
        let spread = |hay: &str, p| Pattern::new(p).spread(hay.as_bytes());
        assert_eq!(spread("réunion", "éu"), Some((1, 3)));
        assert_eq!(spread("réunion", "ué"), None);
        assert_eq!(spread("aéb", "b"), Some((3, 1)));
        let rank = |hay, p| Pattern::new(p).rank(hay);
        assert_eq!(rank("raptor deal", "deal"), Some(0));
        assert_eq!(rank("raptor ideal", "deal"), Some(1_000));
        assert_eq!(rank("é deal", "deal"), Some(0));
        assert!(rank("raptor ideal", "rdl").is_some_and(|r| r > 1_000));
    }
}
