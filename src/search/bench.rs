//! Measurements behind BENCHMARKS.md (`trawl bench-search`): the latency of
//! a mixed set of queries over an indexed dump, as the browser runs them
//! (full-text terms, then the set algebra, then the ordering).

use std::time::{Duration, Instant};

use serde::Serialize;

use super::eval::{self, HashIndex, Order};
use super::fulltext::{FullText, FullTextError};
use super::query;
use super::quick::QuickIndex;
use crate::model::{DocId, Document};
use crate::workspace::Workspace;

#[derive(Debug, Serialize)]
pub struct Report {
    pub documents: usize,
    pub queries: Vec<String>,
    pub runs: usize,
    /// Building the hash index the first search needs.
    pub setup_ms: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub max_ms: f64,
    pub mean_hits: f64,
    /// Each query's median time and hit count, in the order of `queries`.
    pub per_query: Vec<QueryTiming>,
    /// The quick filter: lowering every document's text when it opens,
    /// then each keystroke of typing `quick_typed` (each narrows the last).
    pub quick_build_ms: f64,
    pub quick_typed: Vec<String>,
    pub quick_key_p50_ms: f64,
    pub quick_key_p95_ms: f64,
    pub quick_key_max_ms: f64,
}

#[derive(Debug, Serialize)]
pub struct QueryTiming {
    pub query: String,
    pub hits: usize,
    pub p50_ms: f64,
}

/// Queries made from the dump itself, so the set suits any dump: words and
/// a phrase from subjects, a sender, a month, a negation, an OR, an
/// attachment filter.
pub fn queries_from(docs: &[Document]) -> Vec<String> {
    let words = |d: &Document| -> Vec<String> {
        d.subject()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 4 && w.chars().all(char::is_alphabetic))
            .map(str::to_lowercase)
            .collect()
    };
    let mut out = Vec::new();
    let step = (docs.len() / 7).max(1);
    for (k, d) in docs
        .iter()
        .step_by(step)
        .filter(|d| d.is_mail())
        .enumerate()
    {
        let w = words(d);
        let (Some(a), b) = (w.first(), w.get(1)) else {
            continue;
        };
        let month = d
            .date
            .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
            .map(|t| t.format("%Y-%m").to_string());
        let who = d.from_addr().split('@').next().unwrap_or("").to_string();
        match (k % 7, b, month) {
            (0, _, _) => out.push(a.clone()),
            (1, Some(b), _) => out.push(format!("\"{a} {b}\"")),
            (2, _, _) if !who.is_empty() => out.push(format!("from:{who}")),
            (3, _, Some(m)) => out.push(format!("{a} date:{m}")),
            (4, Some(b), _) => out.push(format!("{a} -{b}")),
            (5, Some(b), _) => out.push(format!("{a} OR {b}")),
            _ => out.push(format!("has:attachment {a}")),
        }
    }
    out
}

/// Run every query `runs` times (relevance order) and time each run.
pub fn run(
    ws: &Workspace,
    fulltext: &FullText,
    queries: &[String],
    runs: usize,
) -> Result<Report, FullTextError> {
    let start = Instant::now();
    let hashes = HashIndex::new(&ws.scan.docs);
    let setup_ms = start.elapsed().as_secs_f64() * 1e3;
    let mut times: Vec<Duration> = Vec::new();
    let mut hits = 0usize;
    let parsed: Vec<(&String, query::Query)> = queries
        .iter()
        .filter_map(|q| Some((q, query::parse(q).ok()?)))
        .collect();
    let mut per_query = Vec::new();
    for (text, q) in &parsed {
        let mut mine = Vec::new();
        let mut found = 0;
        for _ in 0..runs {
            let t = Instant::now();
            found = eval::run(q, ws, fulltext, &hashes, Order::Relevance)?.len();
            mine.push(t.elapsed());
            hits += found;
        }
        times.extend_from_slice(&mine);
        mine.sort_unstable();
        per_query.push(QueryTiming {
            query: (*text).clone(),
            hits: found,
            p50_ms: mine
                .get(mine.len() / 2)
                .map_or(0.0, |d| d.as_secs_f64() * 1e3),
        });
    }
    let (quick_build_ms, quick_typed, mut keys) = quick(ws, queries);
    let at = |times: &mut Vec<Duration>, p: f64| {
        times.sort_unstable();
        times
            .get(((times.len().saturating_sub(1)) as f64 * p).round() as usize)
            .map_or(0.0, |d| d.as_secs_f64() * 1e3)
    };
    Ok(Report {
        documents: ws.scan.docs.len(),
        queries: queries.to_vec(),
        runs,
        setup_ms,
        p50_ms: at(&mut times, 0.5),
        p95_ms: at(&mut times, 0.95),
        max_ms: at(&mut times, 1.0),
        mean_hits: hits as f64 / times.len().max(1) as f64,
        per_query,
        quick_build_ms,
        quick_typed,
        quick_key_p50_ms: at(&mut keys, 0.5),
        quick_key_p95_ms: at(&mut keys, 0.95),
        quick_key_max_ms: at(&mut keys, 1.0),
    })
}

/// Type the plain words of `queries` into the quick filter, a character at
/// a time; the time of each keystroke.
fn quick(ws: &Workspace, queries: &[String]) -> (f64, Vec<String>, Vec<Duration>) {
    let start = Instant::now();
    let index = QuickIndex::new(&ws.scan.docs);
    let build_ms = start.elapsed().as_secs_f64() * 1e3;
    let words: Vec<String> = queries
        .iter()
        .filter_map(|q| q.split_whitespace().last())
        .map(|w| w.trim_matches('"').to_string())
        .filter(|w| w.chars().all(char::is_alphanumeric))
        .collect();
    let mut keys = Vec::new();
    for word in &words {
        let mut previous: Option<Vec<DocId>> = None;
        let mut typed = String::new();
        for c in word.chars() {
            typed.push(c);
            let t = Instant::now();
            let found = index.filter(&typed, previous.as_deref());
            keys.push(t.elapsed());
            previous = Some(found.matches);
        }
    }
    (build_ms, words, keys)
}
