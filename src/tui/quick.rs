//! The quick filter's worker: it lowers the documents' text once, then
//! filters for each query it is sent, skipping queries already replaced by
//! newer ones and narrowing from the previous matches when a query extends
//! the last. The keyboard never waits for it.

use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;

use crate::model::{DocId, Document};
use crate::search::quick::QuickIndex;

/// A running quick filter: send it queries, receive matches.
pub struct QuickFilter {
    queries: Sender<String>,
    pub results: Receiver<(String, Vec<DocId>)>,
}

impl QuickFilter {
    pub fn start(docs: Arc<Vec<Document>>) -> QuickFilter {
        let (queries, inbox) = mpsc::channel::<String>();
        let (outbox, results) = mpsc::channel();
        // If the worker cannot start, the filter shows nothing; the prompt
        // still works and Esc leaves it.
        let _ = std::thread::Builder::new()
            .name("quick-filter".into())
            .spawn(move || {
                let index = QuickIndex::new(&docs);
                drop(docs);
                // The last query and its matches in document order.
                let mut last: Option<(String, Vec<DocId>)> = None;
                while let Ok(mut query) = inbox.recv() {
                    // Only the newest query matters.
                    while let Ok(newer) = inbox.try_recv() {
                        query = newer;
                    }
                    let within = last
                        .as_ref()
                        .filter(|(q, _)| !q.is_empty() && query.starts_with(q.as_str()))
                        .map(|(_, hits)| hits.as_slice());
                    let found = index.filter(&query, within);
                    let hits = found.hits.into_iter().map(|h| h.0).collect();
                    if outbox.send((query.clone(), hits)).is_err() {
                        return;
                    }
                    last = Some((query, found.matches));
                }
            });
        QuickFilter { queries, results }
    }

    pub fn send(&self, query: &str) {
        let _ = self.queries.send(query.to_string());
    }
}
