//! Everything the user can ask for. Key handlers produce these; only
//! [`super::app::App::update`] acts on them. Background work reports
//! through the same door.

use super::app::Focus;
use crate::index::catalog::Outcome;
use crate::index::progress::Progress;

#[derive(Debug)]
pub enum Action {
    Quit,
    Help,
    FocusNext,
    FocusPrev,
    Down,
    Up,
    PageDown,
    PageUp,
    Top,
    Bottom,
    ToggleFold,
    ScrollDown,
    ScrollUp,
    ScrollPageDown,
    ScrollPageUp,
    ScrollTop,
    /// Scroll the preview to the next / previous line with a search hit.
    NextHit,
    PrevHit,
    /// Toggle the tag bound to this hotkey on the selected document.
    ToggleTag(char),
    NewTag,
    TagDown,
    TagUp,
    ToggleSelectedTag,
    /// Open the search prompt.
    Search,
    /// Open the quick filter (fuzzy, live).
    QuickFilter,
    /// Save the search on screen under a name (side panel).
    SaveSearch,
    /// Delete the tag (after asking) or saved search under the side
    /// panel's cursor.
    DeleteEntry,
    /// Rename the tag under the side panel's cursor.
    RenameTag,
    /// The quick filter's matches for a query, best first.
    QuickResults(String, Vec<crate::model::DocId>),
    /// The text extracted from a file (for its preview).
    Extracted(
        crate::model::DocId,
        std::sync::Arc<crate::extract::cache::Outcome>,
    ),
    /// How many documents saved searches find (by saved-search id).
    SavedCounts(crate::tui::counts::Counts),
    /// Leave the search results, back to the threads on the same document.
    ClearSearch,
    /// Order the search results best first, newest first or in tree order.
    SearchOrder,
    /// List the search results, or show the threads that hold them.
    ResultsShape,
    /// Select the next copy of the selected document's content.
    NextCopy,
    /// Switch the tree pane between conversations and the dump's folders.
    ToggleView,
    /// Hang a message under another (pressed on each in turn).
    LinkThread,
    /// Split a message off into a thread of its own, or put back one
    /// moved by hand.
    BreakThread,
    /// Ask DNS for the keys of the selected message's signers.
    FetchKeys,
    /// What DNS answered for a message's signers.
    KeysFetched(
        crate::model::DocId,
        Vec<(String, crate::auth::fetch::Fetched)>,
    ),
    /// Open (or close) the list of missing messages.
    Gaps,
    /// Open (or close) the list of files that could not be read.
    Problems,
    /// Go to the entry of a list in the tree.
    GoTo,
    RawSource,
    HeaderHops,
    TagVerified,
    /// Save a copy of the selected document into a folder (asks which).
    SaveDocument,
    /// Show a copy of the selected document in an outside viewer.
    OpenDocument,
    /// Mark or unmark the selected document for a change to many at once
    /// (and move to the next row).
    ToggleMark,
    /// Start a range of marks at the cursor; pressed again, mark every
    /// row from there to the cursor.
    MarkRange,
    /// Mark every document of the selected one's thread.
    MarkThread,
    /// Mark the document with its family: the message or file that holds
    /// it and all its attachments.
    MarkFamily,
    /// Mark the document's duplicates: the same content, or the same
    /// Message-ID with other bytes.
    MarkDuplicates,
    /// Take every mark off.
    ClearMarks,
    /// Undo the last change of tags, notes or read marks (repeatable).
    Undo,
    /// Mark the selected (or marked) documents unread, or read again.
    ToggleRead,
    /// Go to the next document not read yet / carrying no tag.
    NextUnread,
    NextUntagged,
    /// Show only what is not read yet / carries no tag (again: all).
    FilterUnread,
    FilterUntagged,
    /// Show the documents carrying the tag under the side panel's cursor.
    FilterTag,
    /// Write a note on the selected document, in the note box.
    EditNote,
    /// Write it in `$VISUAL` / `$EDITOR` instead.
    EditNoteOutside,
    /// The outside editor ended (`true`: it exited successfully).
    EditorClosed(bool),
    /// Open the command palette: every action, found by name.
    CommandPalette,
    /// Give the highlighted tag the next colour.
    RecolourTag,
    /// Ask which digit the highlighted tag should be on.
    RebindTag,
    /// The side panel: tags, timeline, top correspondents, in turn.
    SidePanel,
    /// The focused pane fills the screen, or all panes show again.
    Zoom,
    /// The timeline's or the correspondents' cursor: next / previous.
    ChartNext,
    ChartPrev,
    /// Search the view for the period or the person under the cursor.
    ChartNarrow,
    /// The timeline's bars: per day, week, month, year, or what fits.
    ChartUnit,
    /// The mouse wheel over a pane: a notch down (positive) or up.
    Wheel(Focus, isize),
    /// A left click on a pane at a cell of the screen (column, row).
    Click(Focus, u16, u16),
    PromptInput(char),
    PromptBackspace,
    /// Empty the prompt (Ctrl-U).
    PromptClear,
    PromptSubmit,
    PromptCancel,
    /// The terminal now has this size (columns, rows).
    Resize(u16, u16),
    /// Nothing happened for a while: a chance to save the position.
    Idle,
    /// A background index run reports where it is.
    IndexProgress(Box<Progress>),
    /// A long background index run shows what it has read so far.
    IndexPartial(Box<Outcome>),
    /// A background index run finished.
    IndexDone(Box<Outcome>),
    /// A background check found the catalog on screen up to date.
    IndexUnchanged,
    /// A background index run failed (the dump vanished, …).
    IndexFailed(String),
    /// The full-text index caught up with the catalog, or could not.
    TextIndexDone(TextIndexed),
    /// The DKIM summary of each signed message, from the search index.
    DkimMarks(Vec<(crate::model::Sha256, crate::auth::dkim::Summary)>),
}

impl Action {
    /// Reported by background work (indexing, extraction, counts, DNS,
    /// an outside program), not asked for by a key: it leaves the status
    /// line's message and an open note box alone.
    pub fn is_background(&self) -> bool {
        matches!(
            self,
            Action::QuickResults(..)
                | Action::Extracted(..)
                | Action::SavedCounts(_)
                | Action::KeysFetched(..)
                | Action::IndexProgress(_)
                | Action::IndexPartial(_)
                | Action::IndexDone(_)
                | Action::IndexUnchanged
                | Action::IndexFailed(_)
                | Action::TextIndexDone(_)
                | Action::DkimMarks(_)
                | Action::EditorClosed(_)
                | Action::Idle
                | Action::Resize(..)
        )
    }

    /// The action named in the keymap file. `key` is the pressed character,
    /// for actions that take it (`toggle_tag`).
    pub fn from_name(name: &str, key: Option<char>) -> Option<Action> {
        Some(match name {
            "quit" => Action::Quit,
            "help" => Action::Help,
            "focus_next" => Action::FocusNext,
            "focus_prev" => Action::FocusPrev,
            "down" => Action::Down,
            "up" => Action::Up,
            "page_down" => Action::PageDown,
            "page_up" => Action::PageUp,
            "top" => Action::Top,
            "bottom" => Action::Bottom,
            "toggle_fold" => Action::ToggleFold,
            "scroll_down" => Action::ScrollDown,
            "scroll_up" => Action::ScrollUp,
            "scroll_page_down" => Action::ScrollPageDown,
            "scroll_page_up" => Action::ScrollPageUp,
            "scroll_top" => Action::ScrollTop,
            "next_hit" => Action::NextHit,
            "prev_hit" => Action::PrevHit,
            "toggle_tag" => Action::ToggleTag(key?),
            "new_tag" => Action::NewTag,
            "tag_down" => Action::TagDown,
            "tag_up" => Action::TagUp,
            "toggle_selected_tag" => Action::ToggleSelectedTag,
            "search" => Action::Search,
            "quick_filter" => Action::QuickFilter,
            "save_search" => Action::SaveSearch,
            "delete_entry" => Action::DeleteEntry,
            "rename_tag" => Action::RenameTag,
            "clear_search" => Action::ClearSearch,
            "search_order" => Action::SearchOrder,
            "results_shape" => Action::ResultsShape,
            "next_copy" => Action::NextCopy,
            "toggle_view" => Action::ToggleView,
            "link_thread" => Action::LinkThread,
            "break_thread" => Action::BreakThread,
            "gaps" => Action::Gaps,
            "fetch_keys" => Action::FetchKeys,
            "go_to" => Action::GoTo,
            "problems" => Action::Problems,
            "raw_source" => Action::RawSource,
            "header_hops" => Action::HeaderHops,
            "tag_verified" => Action::TagVerified,
            "save_document" => Action::SaveDocument,
            "open_document" => Action::OpenDocument,
            "toggle_mark" => Action::ToggleMark,
            "mark_range" => Action::MarkRange,
            "mark_thread" => Action::MarkThread,
            "mark_family" => Action::MarkFamily,
            "mark_duplicates" => Action::MarkDuplicates,
            "clear_marks" => Action::ClearMarks,
            "undo" => Action::Undo,
            "toggle_read" => Action::ToggleRead,
            "next_unread" => Action::NextUnread,
            "next_untagged" => Action::NextUntagged,
            "filter_unread" => Action::FilterUnread,
            "filter_untagged" => Action::FilterUntagged,
            "filter_tag" => Action::FilterTag,
            "edit_note" => Action::EditNote,
            "edit_note_outside" => Action::EditNoteOutside,
            "side_panel" => Action::SidePanel,
            "zoom" => Action::Zoom,
            "chart_next" => Action::ChartNext,
            "chart_prev" => Action::ChartPrev,
            "chart_narrow" => Action::ChartNarrow,
            "chart_unit" => Action::ChartUnit,
            "prompt_submit" => Action::PromptSubmit,
            "prompt_cancel" => Action::PromptCancel,
            "command_palette" => Action::CommandPalette,
            "recolour_tag" => Action::RecolourTag,
            "rebind_tag" => Action::RebindTag,
            _ => return None,
        })
    }
}

/// How a background update of the full-text index ended.
#[derive(Debug, PartialEq, Eq)]
pub enum TextIndexed {
    /// Up to date; this many documents were added.
    Added(usize),
    /// Another trawl is updating it; searches see what it has committed.
    Busy,
    Failed(String),
}
