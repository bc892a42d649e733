//! The text of the file being previewed, extracted on a thread of its own
//! (a PDF or a big spreadsheet can take a while; the keys never wait).
//! Only the newest request is worked on: moving past ten files does not
//! queue ten extractions. Results are kept in the project's cache.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;

use crate::extract::cache::{Cache, Outcome};
use crate::model::{DocId, Document};

pub struct Extractor {
    jobs: Sender<(DocId, Document)>,
    pub results: Receiver<(DocId, Arc<Outcome>)>,
}

impl Extractor {
    pub fn start(root: PathBuf, project_dir: PathBuf) -> Extractor {
        let (jobs, inbox) = mpsc::channel::<(DocId, Document)>();
        let (outbox, results) = mpsc::channel();
        // If the thread cannot start, previews keep saying "extracting".
        let _ = std::thread::Builder::new()
            .name("extract-preview".into())
            .spawn(move || {
                let cache = Cache::new(&project_dir);
                while let Ok(mut job) = inbox.recv() {
                    while let Ok(newer) = inbox.try_recv() {
                        job = newer;
                    }
                    let (id, doc) = job;
                    let outcome = cache.extract_doc(&root, &doc);
                    if outbox.send((id, Arc::new(outcome))).is_err() {
                        return;
                    }
                }
            });
        Extractor { jobs, results }
    }

    pub fn request(&self, id: DocId, doc: &Document) {
        let _ = self.jobs.send((id, doc.clone()));
    }
}
