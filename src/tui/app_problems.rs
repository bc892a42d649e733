//! `P`: the files and messages that could not be read, or not completely,
//! each with its reason; `Enter` shows the document in the tree when
//! something of it could be read.

use super::action::Action;
use super::app::{App, Mode, View};
use super::view;

impl App {
    pub(super) fn open_problems(&mut self) {
        if self.ws.scan.problems.is_empty() {
            self.info("every file was read: there are no problems to list");
            return;
        }
        self.mode = Mode::Problems { cursor: 0 };
    }

    /// Keys while the list is open; `false` for actions it leaves to
    /// [`App::update`] (a resize, background reports).
    pub(super) fn update_problems(&mut self, action: &Action) -> bool {
        let page = view::list::rows_shown(self.area()).max(1);
        let last = self.ws.scan.problems.len().saturating_sub(1);
        let Mode::Problems { cursor } = &mut self.mode else {
            return false;
        };
        match action {
            Action::Down => *cursor = (*cursor + 1).min(last),
            Action::Up => *cursor = cursor.saturating_sub(1),
            Action::PageDown => *cursor = (*cursor + page).min(last),
            Action::PageUp => *cursor = cursor.saturating_sub(page),
            Action::Gaps | Action::Problems | Action::PromptCancel | Action::Quit => {
                self.mode = Mode::Normal;
            }
            Action::GoTo => {
                let at = *cursor;
                self.mode = Mode::Normal;
                self.go_to_problem(at);
            }
            _ => return false,
        }
        true
    }

    /// Select the first document read from the problem's file, if any.
    fn go_to_problem(&mut self, index: usize) {
        let Some(problem) = self.ws.scan.problems.get(index) else {
            return;
        };
        let path = problem.path.clone();
        let doc = self
            .ws
            .scan
            .docs
            .iter()
            .position(|d| *d.location.path == *path);
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
