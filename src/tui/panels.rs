//! What the side panel shows (tags, a timeline, the top correspondents),
//! whether the focused pane fills the screen, and the charts' counts, kept
//! with the set of documents they were counted from so that drawing never
//! counts. [`super::app::App`] owns one [`Panels`]; the counting itself is
//! [`crate::stats`], the drawing `view/timeline.rs` and `view/people.rs`.

use crate::stats::{Correspondents, PeopleIndex, Timeline, Unit};

/// People kept each way (senders, recipients) for the correspondents panel.
pub const PEOPLE_KEPT: usize = 100;

/// What the lower right panel shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Side {
    /// The tags and saved searches.
    #[default]
    Tags,
    /// Documents per day, week, month or year.
    Timeline,
    /// The senders and recipients with the most documents.
    People,
}

impl Side {
    #[must_use]
    pub fn next(self) -> Side {
        match self {
            Side::Tags => Side::Timeline,
            Side::Timeline => Side::People,
            Side::People => Side::Tags,
        }
    }
}

/// Which documents a chart was counted from: the document list (by its
/// allocation and length; a new index run brings a new one) and the
/// search results on screen (by their serial), if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ViewKey {
    pub docs: usize,
    pub len: usize,
    pub results: Option<u64>,
}

#[derive(Debug, Default)]
pub struct Panels {
    pub side: Side,
    /// The focused pane fills the screen.
    pub zoom: bool,
    /// Bars per this unit; `None`: the finest unit that fits the width.
    pub unit: Option<Unit>,
    /// The day the timeline's cursor is on; `None`: the selected
    /// document's (else the last dated one's).
    pub day: Option<i64>,
    /// The correspondents panel's cursor: senders, then recipients.
    pub person: usize,
    pub timeline: Option<(ViewKey, Timeline)>,
    pub people: Option<(ViewKey, Correspondents)>,
    /// Who sent and received each document, numbered once per document
    /// list (keyed by a [`ViewKey`]'s `docs` and `len`).
    pub(super) people_index: Option<((usize, usize), PeopleIndex)>,
    /// The preview's and the tree's size when last laid out, to notice
    /// when the preview must be wrapped again and the tree scrolled.
    pub(super) sizes: Option<(ratatui::layout::Rect, ratatui::layout::Rect)>,
}

impl Panels {
    /// The counts for `key`, if they were made for it.
    pub fn timeline_for(&self, key: ViewKey) -> Option<&Timeline> {
        self.timeline
            .as_ref()
            .filter(|(k, _)| *k == key)
            .map(|(_, t)| t)
    }

    pub fn people_for(&self, key: ViewKey) -> Option<&Correspondents> {
        self.people
            .as_ref()
            .filter(|(k, _)| *k == key)
            .map(|(_, c)| c)
    }
}
