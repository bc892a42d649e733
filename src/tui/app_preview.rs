//! The preview part of [`App`]: loading the selected document's preview,
//! scrolling it, and jumping between the words of a search.

use std::sync::Arc;

use super::app::{App, Focus};
use super::extractor::Extractor;
use super::highlight::hits;
use super::preview_lines::wrap_preview;
use crate::browse::Entry;
use crate::extract::cache::Outcome;
use crate::model::DocId;
use crate::preview::{self, Preview};

impl App {
    pub(super) fn preview_height(&self) -> usize {
        self.pane_area(Focus::Preview)
            .height
            .saturating_sub(2)
            .max(1) as usize
    }

    /// Show `detail` of the document, or its preview when `detail` is
    /// already shown.
    pub(super) fn toggle_detail(&mut self, detail: super::app::Detail) {
        self.detail = if self.detail == detail {
            super::app::Detail::Preview
        } else {
            detail
        };
        self.preview_scroll = 0;
        self.load_preview();
    }

    pub(super) fn load_preview(&mut self) {
        let doc = self.selected_doc();
        let width = self
            .pane_area(Focus::Preview)
            .width
            .saturating_sub(2)
            .max(10) as usize;
        let mut preview = match doc {
            Some(d) if self.detail == super::app::Detail::Raw => {
                preview::raw_preview(&self.ws.scan.root, self.ws.doc(d))
            }
            Some(d) if self.detail == super::app::Detail::Hops => {
                preview::hops_preview(&self.ws.scan.root, self.ws.doc(d))
            }
            Some(d) if preview::needs_extraction(self.ws.doc(d)) => {
                let outcome = self.extracted.get(&d).cloned();
                if outcome.is_none() {
                    self.request_extraction(d);
                }
                let mut p = preview::extracted_preview(self.ws.doc(d), outcome.as_deref());
                preview::add_provenance(&mut p, &self.ws.scan.docs, d, outcome.as_deref());
                p
            }
            Some(d) => {
                let store = &self.ws.project.store;
                // A key that cannot be read back counts as unknown.
                let keys = |name: &str| store.dkim_records(name).unwrap_or_default();
                preview::preview_with_keys(&self.ws.scan.root, self.ws.doc(d), width, &keys)
            }
            None => self.placeholder_preview(),
        };
        if let Some(d) = doc {
            preview::add_context(&mut preview, &self.ws.scan.docs, d, self.ws.copies_of(d));
            if self.ws.moved_by_hand(d) {
                preview
                    .headers
                    .push(("Thread", "placed by hand (B puts it back)".to_string()));
            }
        }
        if doc != self.preview_doc {
            self.preview_scroll = 0;
        }
        self.preview_doc = doc;
        self.preview_lines = wrap_preview(&preview, width);
        if let Some(d) = doc {
            let notes: Vec<(String, String)> = self
                .ws
                .notes_of(d)
                .iter()
                .map(|n| {
                    let author = crate::sanitize::sanitize(&n.author).into_owned();
                    let body = n
                        .body
                        .lines()
                        .map(|l| crate::sanitize::sanitize(l).into_owned())
                        .collect::<Vec<_>>()
                        .join("\n");
                    (author, body)
                })
                .collect();
            super::preview_lines::insert_notes(&mut self.preview_lines, &notes, width);
        }
        self.hit_lines = if self.highlight.is_empty() {
            Vec::new()
        } else {
            (0..self.preview_lines.len())
                .filter(|&i| !hits(&self.preview_lines[i].text, &self.highlight).is_empty())
                .collect()
        };
        self.clamp_scroll();
    }

    /// Ask the extractor for a file's text; the preview shows it when it
    /// comes ([`App::extracted_came`]).
    fn request_extraction(&mut self, doc: DocId) {
        let root = &self.ws.scan.root;
        let dir = &self.ws.project.dir;
        let extractor = self
            .extractor
            .get_or_insert_with(|| Extractor::start(root.clone(), dir.clone()));
        extractor.request(doc, self.ws.doc(doc));
    }

    pub(super) fn extracted_came(&mut self, doc: DocId, outcome: &Arc<Outcome>) {
        if self.extracted.len() >= 64 {
            self.extracted.clear();
        }
        self.extracted.insert(doc, Arc::clone(outcome));
        if self.preview_doc == Some(doc) {
            let scroll = self.preview_scroll;
            self.load_preview();
            self.preview_scroll = scroll;
            self.clamp_scroll();
        }
    }

    fn placeholder_preview(&self) -> Preview {
        let text = match self
            .selected_node()
            .map(|n| &self.ws.tree.nodes[n as usize].entry)
        {
            Some(Entry::Missing(id)) => vec![
                "This message is not in the dump.".to_string(),
                String::new(),
                "Other messages reply to it, so it existed:".to_string(),
                crate::sanitize::sanitize(&format!("<{id}>")).into_owned(),
            ],
            Some(Entry::Group(label)) => vec![label.clone()],
            _ => vec!["Nothing selected.".to_string()],
        };
        Preview {
            body: text,
            ..Preview::default()
        }
    }

    /// Scroll the preview to the next (or previous) line with a search hit,
    /// shown on its second row.
    pub(super) fn jump_to_hit(&mut self, forward: bool) {
        if self.hit_lines.is_empty() {
            let why = if self.highlight.is_empty() {
                "n and N jump between the words of a search: press f"
            } else {
                "no words of the search in this document"
            };
            self.info(why);
            return;
        }
        let anchor = self.preview_scroll + 1;
        let target = if forward {
            self.hit_lines.iter().find(|&&h| h > anchor)
        } else {
            self.hit_lines.iter().rev().find(|&&h| h < anchor)
        };
        match target {
            Some(&h) => {
                self.preview_scroll = h.saturating_sub(1);
                self.clamp_scroll();
            }
            None => self.info(if forward {
                "no more hits below"
            } else {
                "no more hits above"
            }),
        }
    }

    pub(super) fn scroll(&mut self, delta: isize) {
        self.preview_scroll = (self.preview_scroll as isize).saturating_add(delta).max(0) as usize;
        self.clamp_scroll();
    }

    pub(super) fn clamp_scroll(&mut self) {
        let max = self
            .preview_lines
            .len()
            .saturating_sub(self.preview_height());
        self.preview_scroll = self.preview_scroll.min(max);
    }
}
