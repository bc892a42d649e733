//! The TUI's state and its one mutator, [`App::update`].
//!
//! Drawing only borrows an `App`; keys become [`Action`]s first. What is
//! expensive to derive per frame (visible rows, the wrapped preview) is
//! recomputed here when its inputs change, never while drawing.

use std::collections::HashSet;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

use super::action::{Action, TextIndexed};
use super::keymap::{Keymap, Section};
use super::preview_lines::PreviewLine;
use super::prompt::Prompt;
use super::quick::QuickFilter;
use super::results::Results;
use super::theme::Theme;
use super::view;
use crate::browse::Entry;
use crate::index::catalog::Outcome;
use crate::index::progress::Progress;
use crate::model::DocId;
use crate::project::SavedSearch;
use crate::search::eval::HashIndex;
use crate::search::fulltext::FullText;
use crate::workspace::Workspace;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Tree,
    Preview,
    Tags,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Help,
    /// Typing into the quick filter (the list follows each key).
    Quick(String),
    /// Answering a one-line question; `input` is what is typed so far.
    Prompt {
        kind: Prompt,
        input: String,
    },
    /// The list of missing messages, with the highlighted one.
    Gaps {
        list: Vec<crate::gaps::Gap>,
        cursor: usize,
    },
    /// The files not read and the documents read in part, with the
    /// highlighted one.
    Problems {
        list: Vec<super::app_problems::ProblemEntry>,
        cursor: usize,
    },
    /// Writing the note on `doc`; `text` is the note so far.
    Note {
        doc: DocId,
        text: String,
    },
    /// The command palette, with what is typed and what it matches.
    Palette(Box<super::palette::Palette>),
}

/// How the tree pane lays the documents out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Conversations (threads), with the files that are not e-mail after.
    Threads,
    /// The dump's folders and files.
    Folders,
}

/// Which saved searches need counting again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Recount {
    Nothing,
    /// Those that read tags or read marks.
    UserState,
    All,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusKind {
    Info,
    Error,
}

pub struct App {
    pub ws: Workspace,
    pub keymap: Keymap,
    pub theme: Theme,
    pub focus: Focus,
    pub mode: Mode,
    /// Nodes whose replies are hidden.
    pub folded: HashSet<u32>,
    /// The selected row (a node of the flat tree; always visible).
    pub cursor: u32,
    /// The first row drawn in the tree pane.
    pub top: u32,
    pub preview_doc: Option<DocId>,
    pub preview_lines: Vec<PreviewLine>,
    pub preview_scroll: usize,
    pub tag_cursor: usize,
    /// First row of the help overlay shown.
    pub help_scroll: usize,
    pub status: Option<(StatusKind, String)>,
    /// Where a background index run is, while one runs.
    pub indexing: Option<Progress>,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// For each node: how many e-mails come before it in tree order (for
    /// the "12 / 48 messages" position).
    pub(super) mail_rank: Vec<u32>,
    pub(super) tag_counts: Vec<usize>,
    pub(super) saved_selection: Option<DocId>,
    /// The last search, listed in the tree pane while it is active.
    pub results: Option<Results>,
    /// Its words, marked in the preview; and the preview lines they are on.
    pub highlight: Vec<String>,
    pub(super) hit_lines: Vec<usize>,
    /// Opened at the first search.
    pub(super) fulltext: Option<FullText>,
    pub(super) hashes: Option<HashIndex>,
    /// The quick filter's worker while its matches are on screen.
    pub quick: Option<QuickFilter>,
    /// Counts the saved searches off the keyboard's thread (started when
    /// first needed, for the documents on screen).
    pub counter: Option<super::counts::Counter>,
    /// Extracts the previewed file's text off the keyboard's thread
    /// (started with the first file previewed), and what it gave for the
    /// last files (by document; cleared when it grows).
    pub extractor: Option<super::extractor::Extractor>,
    pub extracted: std::collections::HashMap<DocId, std::sync::Arc<crate::extract::cache::Outcome>>,
    /// Saved searches (side panel) and how many documents each finds
    /// (`None` until counted).
    pub saved: Vec<SavedSearch>,
    pub saved_counts: Vec<Option<usize>>,
    /// Saved searches to count again when the keys rest (counting runs
    /// queries: never between two key presses).
    pub(super) recount: Recount,
    /// What the tree pane shows; the other layout, with its folds, waits
    /// in `other_tree` (built the first time it is asked for).
    pub view: View,
    pub(super) other_tree: Option<(crate::browse::FlatTree, HashSet<u32>)>,
    /// The message `L` was pressed on, waiting for its new parent.
    pub linking: Option<DocId>,
    /// DNS being asked for keys (`F`), until it answers.
    pub(super) key_fetch: Option<std::sync::mpsc::Receiver<super::app_keys::KeyAnswers>>,
    /// A viewer that needs the terminal, for the event loop to run between
    /// leaving and re-entering the full-screen mode.
    pub in_terminal: Option<std::process::Command>,
    /// What the preview pane shows of the selected document.
    pub detail: Detail,
    /// The DKIM verdict of each document (`None`: unsigned or not known
    /// yet), by `DocId`: one byte each, filled when the search index is up
    /// to date; the tree marks signed messages with it.
    pub dkim_marks: Vec<Option<crate::auth::dkim::Summary>>,
    /// Documents marked for a change to many at once (`m`, `x`, `w` …).
    pub marks: std::collections::BTreeSet<DocId>,
    /// Where a range of marks started (`x`: a row of the search results,
    /// or a node of the tree), until `x` is pressed again.
    pub mark_anchor: Option<usize>,
    /// Changes of user data, newest last, for `u`.
    pub(super) undo: Vec<super::app_triage::Change>,
    /// A note being written in an outside editor: the document and the
    /// file the editor has open.
    pub(super) note_file: Option<(DocId, std::path::PathBuf)>,
    /// The action being handled was reported by background work.
    handling_background: bool,
    /// The status line's message answers a key (background news waits
    /// for the next key rather than hide it).
    pub(super) status_from_key: bool,
    /// What the side panel shows, zoom, and the charts' counts.
    pub panels: super::panels::Panels,
    pub quit: bool,
}

/// What the preview pane shows of the selected document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Its text and metadata.
    Preview,
    /// Its exact bytes (`r`).
    Raw,
    /// Its Received chain and header anomalies (`H`).
    Hops,
}

impl App {
    pub fn new(ws: Workspace, keymap: Keymap, theme: Theme, size: (u16, u16)) -> App {
        let mut app = App {
            mail_rank: Vec::new(),
            tag_counts: Vec::new(),
            ws,
            keymap,
            theme,
            focus: Focus::Tree,
            mode: Mode::Normal,
            folded: HashSet::new(),
            cursor: 0,
            top: 0,
            preview_doc: None,
            preview_lines: Vec::new(),
            preview_scroll: 0,
            tag_cursor: 0,
            help_scroll: 0,
            status: None,
            indexing: None,
            size,
            saved_selection: None,
            results: None,
            highlight: Vec::new(),
            hit_lines: Vec::new(),
            fulltext: None,
            hashes: None,
            quick: None,
            counter: None,
            extractor: None,
            extracted: std::collections::HashMap::new(),
            saved: Vec::new(),
            saved_counts: Vec::new(),
            recount: Recount::Nothing,
            in_terminal: None,
            detail: Detail::Preview,
            dkim_marks: Vec::new(),
            view: View::Threads,
            other_tree: None,
            linking: None,
            key_fetch: None,
            marks: std::collections::BTreeSet::new(),
            mark_anchor: None,
            undo: Vec::new(),
            note_file: None,
            handling_background: false,
            status_from_key: false,
            panels: super::panels::Panels::default(),
            quit: false,
        };
        app.derive_from_documents();
        app.load_saved_searches();
        match app.ws.saved_selection() {
            Ok(Some(doc)) => {
                app.select_doc(doc);
                app.saved_selection = Some(doc);
            }
            Ok(None) => {}
            Err(e) => app.error(&e.to_string()),
        }
        app.on_selection_changed();
        app.after_update();
        app
    }

    /// Recompute what depends on the document list (after opening, or when
    /// a background index run brings a new one).
    fn derive_from_documents(&mut self) {
        // A new document list comes with its conversation tree.
        self.view = View::Threads;
        self.other_tree = None;
        self.rank_mail();
        self.tag_counts = self.ws.tag_counts();
        self.folded.clear();
        self.cursor = 0;
        self.top = 0;
    }

    /// For each node of the tree shown: how many e-mails come before it.
    pub(super) fn rank_mail(&mut self) {
        let ws = &self.ws;
        let mut seen = 0u32;
        self.mail_rank = ws
            .tree
            .nodes
            .iter()
            .map(|node| {
                let rank = seen;
                if let Entry::Doc(d) = node.entry {
                    seen += u32::from(ws.doc(d).is_mail());
                }
                rank
            })
            .collect();
    }

    /// Translate a key press into an action for the current mode and focus.
    pub fn action_for_key(&self, key: &KeyEvent) -> Option<Action> {
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            return Some(match self.mode {
                Mode::Quick(_) | Mode::Prompt { .. } | Mode::Note { .. } | Mode::Palette(_) => {
                    Action::PromptCancel
                }
                _ => Action::Quit,
            });
        }
        match &self.mode {
            Mode::Note { .. } => super::app_notes::note_key(key),
            Mode::Help => self.keymap.lookup(Section::Help, key),
            Mode::Gaps { .. } | Mode::Problems { .. } => self.keymap.lookup(Section::List, key),
            Mode::Quick(_) | Mode::Prompt { .. } | Mode::Palette(_) => {
                let section = if matches!(self.mode, Mode::Palette(_)) {
                    Section::Palette
                } else {
                    Section::Prompt
                };
                self.keymap.lookup(section, key).or(match key.code {
                    KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                        Some(Action::PromptClear)
                    }
                    KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                        Some(Action::PromptInput(c))
                    }
                    KeyCode::Backspace => Some(Action::PromptBackspace),
                    _ => None,
                })
            }
            Mode::Normal => {
                let section = match self.focus {
                    Focus::Tree => Section::Tree,
                    Focus::Preview => Section::Preview,
                    Focus::Tags => self.side_section(),
                };
                self.keymap.lookup(section, key)
            }
        }
    }

    /// The only place where state changes.
    pub fn update(&mut self, action: Action) {
        self.apply(action);
        self.after_update();
    }

    /// What `action` changes, before what follows from any change.
    fn apply(&mut self, action: Action) {
        self.handling_background = action.is_background();
        if !self.handling_background {
            self.status = None;
        }
        if self.mode == Mode::Help && self.update_help(&action) {
            return;
        }
        if matches!(self.mode, Mode::Gaps { .. }) && self.update_gaps(&action) {
            return;
        }
        if matches!(self.mode, Mode::Problems { .. }) && self.update_problems(&action) {
            return;
        }
        if matches!(self.mode, Mode::Note { .. }) && self.update_note(&action) {
            return;
        }
        if matches!(self.mode, Mode::Palette(_)) && self.update_palette(&action) {
            return;
        }
        match action {
            Action::Quit => {
                self.save_selection();
                self.quit = true;
            }
            Action::Help => {
                self.help_scroll = 0;
                self.mode = if self.mode == Mode::Help {
                    Mode::Normal
                } else {
                    Mode::Help
                };
            }
            Action::Down
            | Action::Up
            | Action::PageDown
            | Action::PageUp
            | Action::Top
            | Action::Bottom
                if self.results.is_some() =>
            {
                self.move_in_results(&action);
            }
            Action::FocusNext => self.cycle_focus(true),
            Action::FocusPrev => self.cycle_focus(false),
            Action::Down => self.move_down(1),
            Action::Up => self.move_up(1),
            Action::PageDown => self.move_down(self.tree_height()),
            Action::PageUp => self.move_up(self.tree_height()),
            Action::Top => self.move_to(0),
            Action::Bottom => {
                if let Some(last) = self.ws.tree.last_visible(&self.folded) {
                    self.move_to(last);
                }
            }
            Action::ToggleFold if self.results.is_some() => {
                self.info("search results have no threads to fold: Esc goes back to them");
            }
            Action::ToggleFold => self.toggle_fold(),
            Action::ScrollDown => self.scroll(1),
            Action::ScrollUp => self.scroll(-1),
            Action::ScrollPageDown => self.scroll(self.preview_height() as isize),
            Action::ScrollPageUp => self.scroll(-(self.preview_height() as isize)),
            Action::ScrollTop => self.preview_scroll = 0,
            Action::NextHit => self.jump_to_hit(true),
            Action::PrevHit => self.jump_to_hit(false),
            Action::ToggleTag(key) => match self.ws.tag_by_hotkey(key).map(|t| t.id) {
                Some(tag) if !self.marks.is_empty() => self.tag_marked(tag),
                Some(tag) => self.toggle_tag(tag),
                None => self.info(&format!("no tag is bound to {key}; press t to create one")),
            },
            Action::NewTag => self.ask(Prompt::NewTag, String::new()),
            Action::TagDown | Action::TagUp | Action::ToggleSelectedTag => {
                self.update_tag_panel(&action);
            }
            Action::Resize(w, h) => {
                self.size = (w, h);
                self.scroll_tree_to_cursor();
                self.load_preview();
            }
            Action::Idle => self.on_idle(),
            Action::SidePanel
            | Action::Zoom
            | Action::ChartNext
            | Action::ChartPrev
            | Action::ChartNarrow
            | Action::ChartUnit
            | Action::Wheel(..)
            | Action::Click(..) => self.update_panels(&action),
            Action::IndexProgress(_)
            | Action::IndexPartial(_)
            | Action::IndexDone(_)
            | Action::IndexUnchanged
            | Action::IndexFailed(_)
            | Action::TextIndexDone(_)
            | Action::DkimMarks(_) => self.update_background(action),
            // Prompts, searches, documents, threads.
            other => self.update_input(&other),
        }
    }

    /// Nothing happened for a while: save the position, recount saved
    /// searches that read the read marks.
    fn on_idle(&mut self) {
        self.save_selection();
        match std::mem::replace(&mut self.recount, Recount::Nothing) {
            Recount::Nothing => {}
            Recount::UserState => self.count_saved_searches(true),
            Recount::All => self.count_saved_searches(false),
        }
    }

    /// What the App's own workers (quick filter, saved-search counter,
    /// extractor) have answered since last asked, as actions to apply.
    pub fn worker_reports(&self) -> Vec<Action> {
        let mut out: Vec<Action> = Vec::new();
        if let Some(q) = &self.quick {
            out.extend(
                q.results
                    .try_iter()
                    .map(|(q, hits)| Action::QuickResults(q, hits)),
            );
        }
        if let Some(c) = &self.counter {
            out.extend(c.results.try_iter().map(Action::SavedCounts));
        }
        if let Some(x) = &self.extractor {
            out.extend(x.results.try_iter().map(|(d, o)| Action::Extracted(d, o)));
        }
        out.extend(self.key_answers());
        out
    }

    /// What background work reports.
    fn update_background(&mut self, action: Action) {
        match action {
            Action::IndexProgress(p) => self.indexing = Some(*p),
            // Only while it shows more than the screen has (a first index).
            Action::IndexPartial(outcome) if outcome.scan.docs.len() > self.ws.scan.docs.len() => {
                self.show_documents(*outcome);
            }
            Action::IndexDone(outcome) => self.index_done(*outcome),
            Action::IndexUnchanged => self.indexing = None,
            Action::DkimMarks(marks) => self.take_dkim_marks(marks),
            Action::TextIndexDone(result) => {
                self.indexing = None;
                match result {
                    TextIndexed::Added(0) => {}
                    TextIndexed::Added(added) => {
                        self.want_recount(Recount::All);
                        // Never over what a key just said.
                        if self.status.is_some() && self.status_from_key {
                            return;
                        }
                        self.info(&format!(
                            "search index up to date ({} documents added)",
                            crate::index::progress::thousands(added)
                        ));
                    }
                    TextIndexed::Busy => {
                        self.info("another trawl is updating the search index; searches see what it has done so far");
                    }
                    TextIndexed::Failed(e) => self.error(&format!("search index not updated: {e}")),
                }
            }
            Action::IndexFailed(e) => {
                self.indexing = None;
                self.error(&format!("indexing stopped: {e}"));
            }
            _ => {}
        }
    }

    /// The prompts (new tag, search) and the search results.
    fn update_input(&mut self, action: &Action) {
        if let Mode::Quick(_) = self.mode {
            if self.update_quick(action) {
                return;
            }
        }
        match action {
            Action::QuickFilter => self.open_quick(),
            Action::SaveSearch => self.start_saving_search(),
            Action::DeleteEntry => self.delete_entry(),
            Action::RenameTag => self.start_renaming_tag(),
            Action::QuickResults(query, hits) => self.quick_results(query, hits),
            Action::SavedCounts(counts) => self.saved_counts_came(counts),
            Action::Extracted(doc, outcome) => self.extracted_came(*doc, outcome),
            Action::Search => {
                let last = self.results.as_ref().map(|r| r.query.clone());
                self.ask(Prompt::Search, last.unwrap_or_default());
            }
            Action::ClearSearch if self.cancel_linking() => {}
            Action::ClearSearch if !self.marks.is_empty() => self.clear_marks(),
            Action::ClearSearch => self.clear_search(),
            Action::LinkThread => self.link_thread(),
            Action::FetchKeys => self.fetch_keys(),
            Action::KeysFetched(doc, answers) => self.keys_fetched(*doc, answers.clone()),
            Action::Gaps => self.open_gaps(),
            Action::Problems => self.open_problems(),
            Action::BreakThread => self.break_thread(),
            Action::SearchOrder => self.toggle_search_order(),
            Action::ResultsShape => self.toggle_results_shape(),
            Action::NextCopy => self.next_copy(),
            Action::ToggleView => self.toggle_view(),
            Action::RawSource => self.toggle_detail(Detail::Raw),
            Action::HeaderHops => self.toggle_detail(Detail::Hops),
            Action::TagVerified => self.ask_tag_verified(),
            Action::SaveDocument => self.start_saving_document(),
            Action::OpenDocument => self.open_document(),
            Action::EditNote => self.edit_note(),
            Action::EditNoteOutside => self.edit_note_outside(),
            Action::EditorClosed(ok) => self.editor_closed(*ok),
            a if self.update_triage(a) => {}
            Action::CommandPalette => self.open_palette(),
            Action::RecolourTag => self.recolour_tag(),
            Action::RebindTag => self.start_rebinding_tag(),
            Action::PromptInput(c) => self.type_into_prompt(*c),
            Action::PromptBackspace => {
                if let Mode::Prompt { input, .. } = &mut self.mode {
                    input.pop();
                }
            }
            Action::PromptClear => {
                if let Mode::Prompt { input, .. } = &mut self.mode {
                    input.clear();
                }
            }
            Action::PromptSubmit => self.submit_prompt(),
            Action::PromptCancel => {
                let was = std::mem::replace(&mut self.mode, Mode::Normal);
                if matches!(
                    was,
                    Mode::Prompt {
                        kind: Prompt::SaveClash { .. },
                        ..
                    }
                ) {
                    self.info("not saved: nothing was written");
                }
            }
            _ => {}
        }
    }

    /// Scrolling inside the help overlay; `true` if the action was used.
    fn update_help(&mut self, action: &Action) -> bool {
        let page = view::help::help_area(self.area())
            .height
            .saturating_sub(2)
            .max(1) as usize;
        let max = self.keymap.help_rows().len().saturating_sub(page);
        let delta: isize = match action {
            Action::ScrollDown => 1,
            Action::ScrollUp => -1,
            Action::ScrollPageDown => page as isize,
            Action::ScrollPageUp => -(page as isize),
            _ => return false,
        };
        self.help_scroll = (self.help_scroll as isize + delta).clamp(0, max as isize) as usize;
        true
    }

    /// A background index run finished: show its documents if they differ
    /// from what is on screen, keeping the selection on the same document.
    fn index_done(&mut self, outcome: Outcome) {
        self.indexing = None;
        if let Some(e) = &outcome.stats.save_error {
            self.error(e);
        }
        if !outcome.stats.changed && !self.ws.scan.docs.is_empty() {
            return;
        }
        let failed = outcome.stats.save_error.is_some();
        self.show_documents(outcome);
        let keyed = self.status.is_some() && self.status_from_key;
        if !failed && !keyed {
            let n = crate::index::progress::thousands(self.ws.mail_count());
            self.info(&format!("index up to date: {n} messages"));
        }
    }

    /// Put a (newer) document list on screen, keeping the selection on the
    /// same document where it still exists.
    /// Verdicts by content hash, as the search index gives them, laid out
    /// by document (copies share their content's verdict).
    fn take_dkim_marks(
        &mut self,
        mut marks: Vec<(crate::model::Sha256, crate::auth::dkim::Summary)>,
    ) {
        marks.sort_unstable_by_key(|(h, _)| *h);
        self.dkim_marks = self
            .ws
            .scan
            .docs
            .iter()
            .map(|d| {
                marks
                    .binary_search_by_key(&d.hash, |(h, _)| *h)
                    .ok()
                    .map(|i| marks[i].1)
            })
            .collect();
    }

    fn show_documents(&mut self, outcome: Outcome) {
        let selected = self.selected_doc().map(|d| self.ws.doc(d).hash);
        if let Err(e) = self.ws.replace_documents(outcome.scan, outcome.tree) {
            self.error(&format!("could not read your tags and read marks: {e}"));
        }
        self.derive_from_documents();
        // By DocId: they no longer fit; the next index sync sends them again.
        self.dkim_marks.clear();
        self.results = None;
        self.hashes = None;
        self.counter = None;
        self.extracted.clear();
        self.want_recount(Recount::All);
        let doc = selected
            .and_then(|h| self.ws.scan.docs.iter().position(|d| d.hash == h))
            .or_else(|| self.ws.saved_selection().ok().flatten());
        if let Some(doc) = doc {
            self.select_doc(doc);
        }
        self.on_selection_changed();
    }

    pub(super) fn area(&self) -> Rect {
        Rect::new(0, 0, self.size.0, self.size.1)
    }

    /// `(position, total)` of the selected e-mail among all e-mails.
    pub fn mail_position(&self) -> (usize, usize) {
        let total = self.ws.mail_count();
        let Some(node) = self.selected_node() else {
            return (0, total);
        };
        let rank = self.mail_rank[node as usize] as usize;
        let is_mail = self
            .selected_doc()
            .is_some_and(|d| self.ws.doc(d).is_mail());
        (if is_mail { rank + 1 } else { rank }, total)
    }

    pub(super) fn save_selection(&mut self) {
        let Some(doc) = self.selected_doc() else {
            return;
        };
        if self.saved_selection == Some(doc) {
            return;
        }
        match self.ws.save_selection(doc) {
            Ok(()) => self.saved_selection = Some(doc),
            Err(e) => self.error(&format!("could not save the position: {e}")),
        }
    }

    // ----- tags -----

    pub fn tag_count(&self, index: usize) -> usize {
        self.tag_counts.get(index).copied().unwrap_or(0)
    }

    pub(super) fn toggle_tag(&mut self, tag: crate::project::TagId) {
        let Some(doc) = self.selected_doc() else {
            self.info("select a document to tag it");
            return;
        };
        match self.ws.toggle_tag(doc, tag) {
            Ok(on) => {
                self.record(super::app_triage::Change::Tag {
                    tag,
                    docs: vec![doc],
                    on,
                });
                // The tag went on (or off) every copy of the content.
                let changed = self.ws.copies_of(doc).len().max(1);
                if let Some(i) = self.ws.tags.iter().position(|t| t.id == tag) {
                    let count = &mut self.tag_counts[i];
                    *count = if on {
                        *count + changed
                    } else {
                        count.saturating_sub(changed)
                    };
                }
                let name = self
                    .ws
                    .tags
                    .iter()
                    .find(|t| t.id == tag)
                    .map(|t| t.name.clone())
                    .unwrap_or_default();
                let copies = if changed > 1 {
                    format!(" (all {changed} copies)")
                } else {
                    String::new()
                };
                self.info(&format!(
                    "{} {name}{copies}",
                    if on { "tagged" } else { "removed tag" }
                ));
                self.want_recount(Recount::UserState);
                self.save_selection();
            }
            Err(e) => self.error(&format!("tag not saved: {e}")),
        }
    }

    /// Enter in a prompt: act on the answer. A search that does not parse
    /// keeps its prompt open; every other prompt closes.
    fn submit_prompt(&mut self) {
        let Mode::Prompt { kind, input } = std::mem::replace(&mut self.mode, Mode::Normal) else {
            return;
        };
        match kind {
            Prompt::Search => self.submit_search(input),
            Prompt::SaveSearch => self.save_search(&input),
            Prompt::SaveTo => self.save_document(&input),
            Prompt::SaveClash { doc, dir, name, .. } => {
                self.answer_save_clash(doc, &dir, &name, &input);
            }
            Prompt::TagVerified { .. } => self.answer_tag_verified(&input),
            Prompt::NewTag => self.submit_new_tag(&input),
            Prompt::RenameTag { tag, .. } => self.rename_tag(tag, &input),
            Prompt::DeleteTag { tag, .. } => self.answer_delete_tag(tag, &input),
            Prompt::RebindTag { tag, .. } => self.rebind_tag(tag, &input),
        }
    }

    /// A character typed into a prompt: added to the answer, or, in a
    /// question answered with one key, that answer at once (other keys
    /// are ignored there).
    fn type_into_prompt(&mut self, c: char) {
        let Mode::Prompt { kind, input } = &mut self.mode else {
            return;
        };
        let keys = kind.answer_keys();
        if keys.is_empty() {
            if input.chars().count() < kind.max_chars() && !c.is_control() {
                input.push(c);
            }
        } else if keys.contains(c.to_ascii_lowercase()) {
            *input = c.to_ascii_lowercase().to_string();
            self.submit_prompt();
        }
    }

    /// Ask `kind`, with `input` typed in already.
    pub(super) fn ask(&mut self, kind: Prompt, input: String) {
        self.mode = Mode::Prompt { kind, input };
    }

    fn submit_new_tag(&mut self, name: &str) {
        match self.ws.create_tag(name) {
            Ok(tag) => {
                self.tag_counts.push(0);
                self.tag_cursor = self.ws.tags.len() - 1;
                match tag.hotkey {
                    Some(k) => self.info(&format!("created tag {} on key {k}", tag.name)),
                    None => self.info(&format!(
                        "created tag {} (all digit keys are taken)",
                        tag.name
                    )),
                }
            }
            Err(e) => self.error(&e.to_string()),
        }
    }

    fn cycle_focus(&mut self, forward: bool) {
        self.focus = match (self.focus, forward) {
            (Focus::Tree, true) | (Focus::Tags, false) => Focus::Preview,
            (Focus::Preview, true) | (Focus::Tree, false) => Focus::Tags,
            (Focus::Tags, true) | (Focus::Preview, false) => Focus::Tree,
        };
    }

    pub(super) fn info(&mut self, msg: &str) {
        self.status_from_key = !self.handling_background;
        self.status = Some((
            StatusKind::Info,
            crate::sanitize::sanitize(msg).into_owned(),
        ));
    }

    /// The side panel's cursor: tags, then saved searches.
    fn update_tag_panel(&mut self, action: &Action) {
        match action {
            Action::TagDown => {
                let rows = self.ws.tags.len() + self.saved.len();
                self.tag_cursor = (self.tag_cursor + 1).min(rows.saturating_sub(1));
            }
            Action::TagUp => self.tag_cursor = self.tag_cursor.saturating_sub(1),
            Action::ToggleSelectedTag => {
                if let Some(tag) = self.ws.tags.get(self.tag_cursor).map(|t| t.id) {
                    self.toggle_tag(tag);
                } else {
                    self.run_saved_search(self.tag_cursor - self.ws.tags.len());
                }
            }
            _ => {}
        }
    }

    /// Show an error from outside `update` (the event loop's own work).
    pub fn report_error(&mut self, msg: &str) {
        self.error(msg);
    }

    pub(super) fn error(&mut self, msg: &str) {
        self.status_from_key = !self.handling_background;
        self.status = Some((
            StatusKind::Error,
            crate::sanitize::sanitize(msg).into_owned(),
        ));
    }
}
