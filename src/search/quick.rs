//! The quick filter: documents whose subject, sender or file name
//! fuzzy-match what is typed (fuzzy-matcher's `SkimMatcherV2`), best first.
//!
//! Built for typing over half a million documents: the text is lowered
//! once, when the filter opens; a cheap in-order character check rejects
//! most documents before the matcher scores them; and a query that extends
//! the previous one only looks at the previous matches.

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use rayon::prelude::*;

use crate::model::{DocId, Document};

/// The searchable text of every document, lower-cased.
pub struct QuickIndex {
    hay: Vec<Box<str>>,
}

/// Separates the fields in a document's text (never typed).
const SEP: char = '\u{1f}';

impl QuickIndex {
    pub fn new(docs: &[Document]) -> QuickIndex {
        let hay = docs
            .par_iter()
            .map(|d| {
                let name = if d.is_mail() {
                    String::new()
                } else {
                    d.location.path.to_string_lossy().into_owned()
                };
                format!(
                    "{}{SEP}{}{SEP}{}{SEP}{name}",
                    d.subject(),
                    d.from_name(),
                    d.from_addr()
                )
                .to_lowercase()
                .into_boxed_str()
            })
            .collect();
        QuickIndex { hay }
    }

    pub fn len(&self) -> usize {
        self.hay.len()
    }

    pub fn is_empty(&self) -> bool {
        self.hay.is_empty()
    }

    /// Documents matching `pattern`, best first (ties in document order).
    /// With `within`, only those documents are looked at: the matches of a
    /// query that `pattern` extends. An empty pattern matches everything.
    pub fn filter(&self, pattern: &str, within: Option<&[DocId]>) -> Vec<(DocId, i64)> {
        let pattern: String = pattern
            .to_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace() && *c != SEP)
            .collect();
        let all: Vec<DocId>;
        let candidates = if let Some(docs) = within {
            docs
        } else {
            all = (0..self.hay.len()).collect();
            &all
        };
        if pattern.is_empty() {
            return candidates.iter().map(|&d| (d, 0)).collect();
        }
        let matcher = SkimMatcherV2::default().ignore_case();
        let mut hits: Vec<(DocId, i64)> = candidates
            .par_iter()
            .filter_map(|&d| {
                let hay = self.hay.get(d)?;
                if !in_order(hay, &pattern) {
                    return None;
                }
                matcher.fuzzy_match(hay, &pattern).map(|score| (d, score))
            })
            .collect();
        hits.par_sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        hits
    }
}

/// Every character of `pattern` appears in `hay`, in order: a match is
/// possible. Byte-wise when both are ASCII.
fn in_order(hay: &str, pattern: &str) -> bool {
    if hay.is_ascii() && pattern.is_ascii() {
        let mut rest = hay.as_bytes();
        for b in pattern.bytes() {
            match rest.iter().position(|&h| h == b) {
                Some(i) => rest = &rest[i + 1..],
                None => return false,
            }
        }
        return true;
    }
    let mut rest = hay.chars();
    pattern.chars().all(|p| rest.any(|h| h == p))
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::*;
    use crate::model::{Container, DocKind, Envelope, Location, Sha256};

    fn doc(subject: &str, from: &str, addr: &str) -> Document {
        let location = Location {
            path: Arc::from(Path::new("a/b.eml")),
            container: Container::File,
            offset: 0,
            len: 0,
        };
        let envelope = Envelope {
            subject,
            from,
            from_addr: addr,
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
        ]
    }

    fn ids(hits: &[(DocId, i64)]) -> Vec<DocId> {
        let mut v: Vec<DocId> = hits.iter().map(|h| h.0).collect();
        v.sort_unstable();
        v
    }

    #[test]
    fn fuzzy_matches_subject_and_sender_best_first() {
        let index = QuickIndex::new(&docs());
        assert_eq!(ids(&index.filter("raptor", None)), [0, 2]);
        assert_eq!(ids(&index.filter("rptr", None)), [0, 2]);
        assert_eq!(ids(&index.filter("FASTOW", None)), [2]);
        assert_eq!(ids(&index.filter("enron", None)), [0, 2, 4]);
        assert_eq!(ids(&index.filter("réun", None)), [3]);
        assert_eq!(index.filter("", None).len(), 5);
        assert!(index.filter("zzz", None).is_empty());
        let best = index.filter("raptor numbers", None);
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
            previous = Some(narrowed.iter().map(|h| h.0).collect());
        }
    }

    #[test]
    fn the_cheap_check_never_rejects_a_match() {
        let hay = "re: raptor numbers\u{1f}ken lay\u{1f}ken@enron.example\u{1f}";
        for p in ["rptr", "kenlay", "ken@", "xyz", "é", "numbersken"] {
            let matcher = SkimMatcherV2::default().ignore_case();
            if matcher.fuzzy_match(hay, p).is_some() {
                assert!(in_order(hay, p), "{p}");
            }
        }
        assert!(in_order("réunion", "éu"));
        assert!(!in_order("réunion", "ué"));
    }
}
