//! `F`: ask DNS for the keys of the selected message's signers, off the
//! keyboard's thread; the keys are kept in the project (source `dns`, with
//! the time) and the preview and the tree mark follow at once.

use std::sync::mpsc;

use super::action::Action;
use super::app::App;
use crate::auth::dkim;
use crate::auth::fetch::{self, Fetched, Fetcher};
use crate::model::DocId;

/// What the DNS worker answers: the message, and each name's answer.
pub type KeyAnswers = (DocId, Vec<(String, Fetched)>);

impl App {
    pub(super) fn fetch_keys(&mut self) {
        if self.key_fetch.is_some() {
            self.info("already asking DNS; the answer comes in a moment");
            return;
        }
        let Some(doc) = self.selected_doc().filter(|&d| self.ws.doc(d).is_rfc822()) else {
            self.info("select an e-mail to fetch its signers' keys");
            return;
        };
        let raw = match crate::ingest::read_document(&self.ws.scan.root, &self.ws.doc(doc).location)
        {
            Ok(raw) => raw,
            Err(e) => {
                self.error(&format!("cannot read the message: {e}"));
                return;
            }
        };
        let mut names = fetch::key_names(&raw);
        names.dedup();
        if names.is_empty() {
            self.info("this message is not DKIM-signed: there is no key to fetch");
            return;
        }
        let (tx, rx) = mpsc::channel();
        let asked = names.join(", ");
        let spawned = std::thread::Builder::new()
            .name("dns".into())
            .spawn(move || {
                let answers = match Fetcher::new() {
                    Ok(f) => names.iter().map(|n| (n.clone(), f.fetch(n))).collect(),
                    Err(e) => names
                        .iter()
                        .map(|n| (n.clone(), Fetched::Failed(e.clone())))
                        .collect(),
                };
                let _ = tx.send((doc, answers));
            });
        match spawned {
            Ok(_) => {
                self.key_fetch = Some(rx);
                self.info(&format!("asking DNS for {asked}…"));
            }
            Err(e) => self.error(&format!("cannot ask DNS: {e}")),
        }
    }

    /// The DNS worker's answer, as an action, once it is in.
    pub(super) fn key_answers(&self) -> Option<Action> {
        let (doc, answers) = self.key_fetch.as_ref()?.try_recv().ok()?;
        Some(Action::KeysFetched(doc, answers))
    }

    /// Keep what DNS published, then show the message's verdict again.
    pub(super) fn keys_fetched(&mut self, doc: DocId, answers: Vec<(String, Fetched)>) {
        self.key_fetch = None;
        let store = &self.ws.project.store;
        let mut said = Vec::new();
        for (name, answer) in answers {
            let outcome = match answer {
                Fetched::Keys(records) => {
                    let added: Result<Vec<_>, _> = records
                        .iter()
                        .map(|r| store.add_dkim_key(&name, r, "dns"))
                        .collect();
                    match added {
                        Ok(added) => fetch::Outcome::Kept(added),
                        Err(e) => fetch::Outcome::Failed(format!("not kept: {e}")),
                    }
                }
                Fetched::NoKey => fetch::Outcome::NoKey,
                Fetched::Failed(e) => fetch::Outcome::Failed(e),
            };
            said.push(format!("{name}: {}", outcome.describe()));
        }
        self.refresh_dkim_mark(doc);
        self.load_preview();
        let msg = format!("DNS: {}", said.join("; "));
        if said.iter().any(|s| s.contains(": failed")) {
            self.error(&msg);
        } else {
            self.info(&msg);
        }
    }

    /// Check `doc`'s signatures again with the keys kept now, for its tree
    /// mark (and its copies'). Searches see it at the next index update.
    fn refresh_dkim_mark(&mut self, doc: DocId) {
        let Ok(raw) = crate::ingest::read_document(&self.ws.scan.root, &self.ws.doc(doc).location)
        else {
            return;
        };
        let store = &self.ws.project.store;
        let keys = |name: &str| store.dkim_records(name).unwrap_or_default();
        let summary = dkim::summary(&dkim::check(&raw, &keys));
        let docs = self.ws.scan.docs.len();
        if self.dkim_marks.len() != docs {
            self.dkim_marks = vec![None; docs];
        }
        let copies = self.ws.copies_of(doc).to_vec();
        for d in copies.into_iter().chain([doc]) {
            self.dkim_marks[d] = Some(summary);
        }
    }
}
