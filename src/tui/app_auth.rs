//! Authenticity actions in the browser: tag every DKIM-verified message
//! `verified` in one step, after asking.

use super::app::App;
use super::prompt::{is_yes, Prompt};
use crate::auth::dkim::Summary;
use crate::model::DocId;

/// The tag the step puts on.
const VERIFIED: &str = "verified";

impl App {
    /// The e-mails whose DKIM check passed, one per content (a tag goes on
    /// every copy at once).
    fn dkim_verified(&self) -> Vec<DocId> {
        let mut seen = std::collections::HashSet::new();
        (0..self.ws.scan.docs.len())
            .filter(|&d| {
                let doc = self.ws.doc(d);
                doc.is_rfc822()
                    && self.dkim_marks.get(d) == Some(&Some(Summary::Pass))
                    && seen.insert(doc.hash)
            })
            .collect()
    }

    /// `V`: ask before tagging every DKIM-verified message `verified`.
    pub(super) fn ask_tag_verified(&mut self) {
        let count = self.dkim_verified().len();
        if count == 0 {
            self.info("no message is DKIM-verified yet (keys: trawl keys import; marks come once the search index is up to date)");
            return;
        }
        self.ask(Prompt::TagVerified { count }, String::new());
    }

    /// The answer to [`Self::ask_tag_verified`]: `y` tags them, creating
    /// the tag if the user deleted or renamed it.
    pub(super) fn answer_tag_verified(&mut self, answer: &str) {
        if !is_yes(answer) {
            self.info("nothing tagged");
            return;
        }
        let existing = self
            .ws
            .tags
            .iter()
            .find(|t| t.name == VERIFIED)
            .map(|t| t.id);
        let tag = match existing {
            Some(id) => id,
            None => match self.ws.create_tag(VERIFIED) {
                Ok(t) => {
                    self.tag_counts.push(0);
                    t.id
                }
                Err(e) => {
                    self.error(&format!("nothing tagged: {e}"));
                    return;
                }
            },
        };
        let mut tagged = 0;
        for d in self.dkim_verified() {
            if self.ws.has_tag(d, tag) {
                continue;
            }
            match self.ws.toggle_tag(d, tag) {
                Ok(_) => tagged += 1,
                Err(e) => {
                    self.error(&format!("stopped after {tagged}: {e}"));
                    return;
                }
            }
        }
        self.tag_counts = self.ws.tag_counts();
        self.want_recount(super::app::Recount::UserState);
        self.info(&format!("tagged {tagged} DKIM-verified messages verified"));
    }
}
