//! The saved searches' counts, worked out on a thread of their own: the UI
//! sends the searches with a copy of the user's tags and read marks, and
//! takes the counts when they come; a newer request replaces one not yet
//! started. Counting half a million documents several times never holds
//! up a key.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;

use crate::model::Document;
use crate::project::SavedSearch;
use crate::search::eval::{self, HashIndex, Order, UserState};
use crate::search::fulltext::FullText;
use crate::search::query::{self, Query};

/// Counts by saved-search id (`None`: the search could not run).
pub type Counts = Vec<(i64, Option<usize>)>;

struct Job {
    searches: Vec<(i64, Query)>,
    state: UserState,
}

/// A running counter for one list of documents.
pub struct Counter {
    jobs: Sender<Job>,
    pub results: Receiver<Counts>,
}

impl Counter {
    /// A counter over `docs`, reading the full-text index in `project_dir`.
    pub fn start(docs: Arc<Vec<Document>>, project_dir: PathBuf) -> Counter {
        let (jobs, inbox) = mpsc::channel::<Job>();
        let (outbox, results) = mpsc::channel();
        // If the thread cannot start, counts stay unknown ("…").
        let _ = std::thread::Builder::new()
            .name("saved-counts".into())
            .spawn(move || {
                let mut fulltext: Option<FullText> = None;
                let mut hashes: Option<HashIndex> = None;
                while let Ok(mut job) = inbox.recv() {
                    // Requests not started yet merge: every search asked
                    // for, against the newest state.
                    while let Ok(newer) = inbox.try_recv() {
                        for (id, q) in newer.searches {
                            match job.searches.iter_mut().find(|(i, _)| *i == id) {
                                Some(slot) => slot.1 = q,
                                None => job.searches.push((id, q)),
                            }
                        }
                        job.state = newer.state;
                    }
                    if fulltext.is_none() {
                        fulltext = FullText::open(&project_dir).ok();
                    }
                    let Some(ft) = &fulltext else {
                        let unknown = job.searches.iter().map(|(id, _)| (*id, None)).collect();
                        if outbox.send(unknown).is_err() {
                            return;
                        }
                        continue;
                    };
                    // What the background indexer committed since last time.
                    let _ = ft.reload();
                    let hashes = hashes.get_or_insert_with(|| HashIndex::new(&docs));
                    let corpus = job.state.corpus(&docs);
                    let counts = job
                        .searches
                        .iter()
                        .map(|(id, q)| {
                            let found = eval::run_on(q, corpus, ft, hashes, Order::Date);
                            (*id, found.ok().map(|hits| hits.len()))
                        })
                        .collect();
                    if outbox.send(counts).is_err() {
                        return;
                    }
                }
            });
        Counter { jobs, results }
    }

    /// Count `saved` (those that parse) against `state`; with
    /// `user_state_only`, only the searches that read tags or read marks.
    pub fn request(&self, saved: &[SavedSearch], state: UserState, user_state_only: bool) {
        let searches: Vec<(i64, Query)> = saved
            .iter()
            .filter_map(|s| Some((s.id, query::parse(&s.query).ok()?)))
            .filter(|(_, q)| !user_state_only || q.uses_user_state())
            .collect();
        if !searches.is_empty() {
            let _ = self.jobs.send(Job { searches, state });
        }
    }
}
