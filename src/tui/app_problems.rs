//! `P`: the files that could not be read and the documents read only in
//! part, each with its reason; `Enter` shows the document in the tree when
//! something of it could be read.

use super::action::Action;
use super::app::{App, Mode, View};
use super::view;
use crate::model::DocId;

/// One line of the problems list: where, why, and the document to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemEntry {
    pub place: String,
    pub reason: String,
    pub doc: Option<DocId>,
}

impl App {
    /// Files not read (from the scan), then documents read in part (those
    /// marked `!` in the tree), in dump order.
    fn problem_entries(&self) -> Vec<ProblemEntry> {
        let docs = &self.ws.scan.docs;
        let files = self.ws.scan.problems.iter().map(|p| ProblemEntry {
            place: p.path.display().to_string(),
            reason: p.reason.clone(),
            doc: docs.iter().position(|d| *d.location.path == *p.path),
        });
        let partial = docs.iter().enumerate().filter_map(|(i, d)| {
            d.warning().map(|w| ProblemEntry {
                place: d.location.display(),
                reason: w.to_string(),
                doc: Some(i),
            })
        });
        files.chain(partial).collect()
    }

    pub(super) fn open_problems(&mut self) {
        let list = self.problem_entries();
        if list.is_empty() {
            self.info("every file was read completely: there are no problems to list");
            return;
        }
        self.mode = Mode::Problems { list, cursor: 0 };
    }

    /// Keys while the list is open; `false` for actions it leaves to
    /// [`App::update`] (a resize, background reports).
    pub(super) fn update_problems(&mut self, action: &Action) -> bool {
        let page = view::list::rows_shown(self.area()).max(1);
        let Mode::Problems { list, cursor } = &mut self.mode else {
            return false;
        };
        let last = list.len().saturating_sub(1);
        match action {
            Action::Down => *cursor = (*cursor + 1).min(last),
            Action::Up => *cursor = cursor.saturating_sub(1),
            Action::PageDown => *cursor = (*cursor + page).min(last),
            Action::PageUp => *cursor = cursor.saturating_sub(page),
            Action::Gaps | Action::Problems | Action::PromptCancel | Action::Quit => {
                self.mode = Mode::Normal;
            }
            Action::GoTo => {
                let doc = list.get(*cursor).and_then(|e| e.doc);
                self.mode = Mode::Normal;
                self.go_to_problem(doc);
            }
            _ => return false,
        }
        true
    }

    fn go_to_problem(&mut self, doc: Option<DocId>) {
        let Some(doc) = doc else {
            self.info("nothing of that file could be read: it is not in the tree");
            return;
        };
        if self.results.is_some() {
            self.clear_search();
        }
        if self.view != View::Threads {
            self.toggle_view();
        }
        self.go_to_doc(doc);
    }
}
