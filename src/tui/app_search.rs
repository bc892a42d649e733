//! The search part of [`App`]: the prompt's submit, the results list in the
//! tree pane, leaving it, and its order.

use super::action::Action;
use super::app::{App, Focus, Mode, Recount};
use super::counts::Counter;
use super::prompt::Prompt;
use super::quick::QuickFilter;
use super::results::{Results, Shape, Sort};
use crate::index::progress::{thousands, Phase};
use crate::model::DocId;
use crate::search::eval::{self, HashIndex, Order};
use crate::search::fulltext::{FullText, FullTextError};
use crate::search::query::{self, Query};

impl App {
    /// Run the query typed in the prompt; a mistake keeps the prompt open
    /// and says where it is.
    pub(super) fn submit_search(&mut self, text: String) {
        let parsed = match query::parse(&text) {
            Ok(q) => q,
            Err(e) => {
                self.error(&format!("invalid query, {e}"));
                self.ask(Prompt::Search, text);
                return;
            }
        };
        self.show_results(text, &parsed);
    }

    /// The results of a new query, in the order and shape the last
    /// results had.
    fn new_results(&self, query: String, ranked: Vec<DocId>) -> Results {
        let (sort, shape) = self
            .results
            .as_ref()
            .map_or((Sort::Best, Shape::List), |r| (r.sort, r.shape));
        let mut results = Results::new(query, ranked, sort, shape);
        results.arrange(sort, shape, &self.ws.tree, &self.ws.scan.docs);
        results
    }

    fn show_results(&mut self, text: String, parsed: &Query) {
        self.refresh_index();
        self.mark_anchor = None;
        self.highlight = parsed.highlight_words();
        match self.search(parsed, Order::Relevance) {
            Ok(hits) => {
                let count = hits.len();
                let mut results = self.new_results(text, hits);
                results.scroll(self.tree_height());
                self.results = Some(results);
                self.focus = Focus::Tree;
                self.on_selection_changed();
                let building = self
                    .indexing
                    .as_ref()
                    .is_some_and(|p| p.phase == Phase::Searching);
                let note = if building {
                    " (the search index is still being built: more may come)"
                } else {
                    ""
                };
                self.info(&format!(
                    "{} of {} documents match{note}; Esc: back to the threads",
                    thousands(count),
                    thousands(self.ws.scan.docs.len())
                ));
            }
            Err(e) => self.error(&format!("search failed: {e}")),
        }
    }

    fn search(&mut self, parsed: &Query, order: Order) -> Result<Vec<DocId>, FullTextError> {
        if self.fulltext.is_none() {
            self.fulltext = Some(FullText::open(&self.ws.project.dir)?);
        }
        let hashes = self
            .hashes
            .get_or_insert_with(|| HashIndex::new(&self.ws.scan.docs));
        let Some(fulltext) = &self.fulltext else {
            return Ok(Vec::new());
        };
        eval::run(parsed, &self.ws, fulltext, hashes, order)
    }

    /// See what the background indexer has committed so far (once per
    /// search or round of counts, not per query).
    fn refresh_index(&self) {
        if let Some(fulltext) = &self.fulltext {
            let _ = fulltext.reload();
        }
    }

    pub(super) fn move_in_results(&mut self, action: &Action) {
        let height = self.tree_height();
        let Some(results) = &mut self.results else {
            return;
        };
        let before = results.cursor;
        match action {
            Action::Down => results.move_by(1, height),
            Action::Up => results.move_by(-1, height),
            Action::PageDown => results.move_by(height as isize, height),
            Action::PageUp => results.move_by(-(height as isize), height),
            Action::Top => results.move_to(0, height),
            Action::Bottom => results.move_to(usize::MAX, height),
            _ => {}
        }
        if results.cursor != before {
            self.on_selection_changed();
        }
    }

    /// Back to the threads, on the document selected in the results.
    pub(super) fn clear_search(&mut self) {
        self.quick = None;
        // A range started in the results means nothing in the tree.
        self.mark_anchor = None;
        self.highlight.clear();
        let Some(results) = self.results.take() else {
            return;
        };
        if let Some(doc) = results.selected() {
            self.select_doc(doc);
        }
        self.on_selection_changed();
    }

    /// Order the results best first, newest first or in tree order.
    pub(super) fn toggle_search_order(&mut self) {
        self.rearrange(|sort, shape| (sort.next(), shape));
    }

    /// List the results alone, or inside the threads that hold them.
    pub(super) fn toggle_results_shape(&mut self) {
        self.rearrange(|sort, shape| {
            let shape = match shape {
                Shape::List => Shape::Threads,
                Shape::Threads => Shape::List,
            };
            (sort, shape)
        });
    }

    fn rearrange(&mut self, change: impl Fn(Sort, Shape) -> (Sort, Shape)) {
        let height = self.tree_height();
        let Some(results) = &mut self.results else {
            self.info("O and T arrange search results: press f to search or / to filter");
            return;
        };
        let (sort, shape) = change(results.sort, results.shape);
        results.arrange(sort, shape, &self.ws.tree, &self.ws.scan.docs);
        results.scroll(height);
        let shape = match shape {
            Shape::List => "listed",
            Shape::Threads => "in their threads",
        };
        self.info(&format!("results {}, {shape}", sort.label()));
    }
}

impl App {
    /// Open the quick filter: a worker lowers the documents' text while
    /// the first keys are typed.
    pub(super) fn open_quick(&mut self) {
        self.quick = Some(QuickFilter::start(std::sync::Arc::clone(
            &self.ws.scan.docs,
        )));
        self.mode = Mode::Quick(String::new());
    }

    /// Typing in the quick filter; `true` if the action was used.
    pub(super) fn update_quick(&mut self, action: &Action) -> bool {
        let Mode::Quick(text) = &mut self.mode else {
            return false;
        };
        match action {
            Action::PromptInput(c) if !c.is_control() && text.chars().count() < 200 => {
                text.push(*c);
            }
            Action::PromptBackspace => {
                text.pop();
            }
            Action::PromptClear => text.clear(),
            // Enter keeps the list to move in; Esc goes back to the threads
            // where they were.
            Action::PromptSubmit => {
                self.mode = Mode::Normal;
                return true;
            }
            Action::PromptCancel => {
                self.mode = Mode::Normal;
                self.quick = None;
                self.results = None;
                self.highlight.clear();
                self.on_selection_changed();
                return true;
            }
            _ => return false,
        }
        let text = text.clone();
        if let Some(quick) = &self.quick {
            quick.send(&text);
        }
        true
    }

    /// Matches from the quick filter's worker: shown if they answer what
    /// is typed now (older answers are dropped).
    pub(super) fn quick_results(&mut self, query: &str, hits: &[DocId]) {
        let current = match &self.mode {
            Mode::Quick(text) => Some(text.as_str()),
            _ => self
                .results
                .as_ref()
                .and_then(|r| r.query.strip_prefix('/')),
        };
        if self.quick.is_none() || current != Some(query) {
            return;
        }
        let keep = self.results.as_ref().and_then(Results::selected);
        self.highlight.clear();
        let mut results = self.new_results(format!("/{query}"), hits.to_vec());
        results.select(keep, self.tree_height());
        self.results = Some(results);
        self.focus = Focus::Tree;
        self.on_selection_changed();
    }
}

impl App {
    /// Read the saved searches and count what each finds.
    pub(super) fn load_saved_searches(&mut self) {
        match self.ws.project.store.saved_searches() {
            Ok(saved) => {
                self.saved_counts = vec![None; saved.len()];
                self.saved = saved;
            }
            Err(e) => self.error(&format!("could not read the saved searches: {e}")),
        }
        self.want_recount(Recount::All);
    }

    /// Count the saved searches again at the next rest of the keys.
    pub(super) fn want_recount(&mut self, what: Recount) {
        if !self.saved.is_empty() {
            self.recount = self.recount.max(what);
        }
    }

    /// Ask the counter for the saved searches' counts; with `user_state`,
    /// only those of the searches that read tags or read marks. They come
    /// back as [`Action::SavedCounts`].
    pub(super) fn count_saved_searches(&mut self, user_state: bool) {
        self.saved_counts.resize(self.saved.len(), None);
        let docs = &self.ws.scan.docs;
        let dir = &self.ws.project.dir;
        let counter = self
            .counter
            .get_or_insert_with(|| Counter::start(std::sync::Arc::clone(docs), dir.clone()));
        counter.request(&self.saved, self.ws.user_state(), user_state);
    }

    pub(super) fn saved_counts_came(&mut self, counts: &[(i64, Option<usize>)]) {
        self.saved_counts.resize(self.saved.len(), None);
        for &(id, count) in counts {
            if let Some(i) = self.saved.iter().position(|s| s.id == id) {
                self.saved_counts[i] = count;
            }
        }
    }

    pub(super) fn run_saved_search(&mut self, index: usize) {
        let Some(saved) = self.saved.get(index) else {
            return;
        };
        let text = saved.query.clone();
        match query::parse(&text) {
            Ok(parsed) => {
                self.quick = None;
                self.show_results(text, &parsed);
            }
            Err(e) => self.error(&format!("saved search no longer parses, {e}")),
        }
    }

    pub(super) fn start_saving_search(&mut self) {
        match &self.results {
            Some(_) if self.quick.is_none() => self.ask(Prompt::SaveSearch, String::new()),
            _ => self.info("run a search first (f), then S saves it"),
        }
    }

    pub(super) fn save_search(&mut self, name: &str) {
        let Some(query) = self.results.as_ref().map(|r| r.query.clone()) else {
            return;
        };
        match self.ws.project.store.save_search(name, &query) {
            Ok(()) => {
                self.load_saved_searches();
                self.info(&format!("saved search {}", name.trim()));
            }
            Err(e) => self.error(&e.to_string()),
        }
    }

    pub(super) fn delete_saved_search(&mut self) {
        let Some(index) = self.tag_cursor.checked_sub(self.ws.tags.len()) else {
            self.info("d deletes a tag or saved search: move to one in the side panel");
            return;
        };
        let Some(saved) = self.saved.get(index).cloned() else {
            return;
        };
        match self.ws.project.store.delete_search(saved.id) {
            Ok(()) => {
                self.saved.remove(index);
                if index < self.saved_counts.len() {
                    self.saved_counts.remove(index);
                }
                let rows = self.ws.tags.len() + self.saved.len();
                self.tag_cursor = self.tag_cursor.min(rows.saturating_sub(1));
                self.info(&format!("deleted saved search {}", saved.name));
            }
            Err(e) => self.error(&e.to_string()),
        }
    }
}
