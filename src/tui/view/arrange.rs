//! Where the panes go: the tree on the left, the preview over the side
//! panel on the right; the focused pane alone when zoomed or when the
//! screen is too small to share. Also draws the side panel (tags, timeline
//! or correspondents) and the mark on a pane shown alone.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::Panes;
use crate::tui::app::{App, Focus};
use crate::tui::panels::Side;

/// Narrower than this, the tree goes above the preview instead of beside.
const SIDE_BY_SIDE_WIDTH: u16 = 60;
/// Below this, only the focused pane is shown.
const SHARED_MIN: (u16, u16) = (40, 8);
/// Rows the preview keeps above the side panel; with fewer, the side
/// panel shows only while it has the focus.
const PREVIEW_MIN_ROWS: u16 = 8;

/// What decides the arrangement besides the screen's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arrangement {
    pub focus: Focus,
    /// The focused pane fills the screen.
    pub zoom: bool,
    /// The charts get a taller side panel than the tags.
    pub side: Side,
}

impl Default for Arrangement {
    fn default() -> Self {
        Arrangement {
            focus: Focus::Tree,
            zoom: false,
            side: Side::Tags,
        }
    }
}

impl Panes {
    /// Where `pane` is drawn (empty when hidden).
    pub fn of(&self, pane: Focus) -> Rect {
        match pane {
            Focus::Tree => self.tree,
            Focus::Preview => self.preview,
            Focus::Tags => self.tags,
        }
    }

    fn of_mut(&mut self, pane: Focus) -> &mut Rect {
        match pane {
            Focus::Tree => &mut self.tree,
            Focus::Preview => &mut self.preview,
            Focus::Tags => &mut self.tags,
        }
    }
}

/// Tree on the left; preview over the side panel on the right; a status
/// line and a hint line at the bottom. Under 60 columns the tree goes
/// above the preview; under 40x8 (or zoomed) the focused pane is alone.
pub fn arrange(area: Rect, a: Arrangement) -> Panes {
    let [main, status, hints] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let mut panes = Panes {
        tree: Rect::default(),
        preview: Rect::default(),
        tags: Rect::default(),
        status,
        hints,
        solo: None,
    };
    if a.zoom || main.width < SHARED_MIN.0 || main.height < SHARED_MIN.1 {
        *panes.of_mut(a.focus) = main;
        panes.solo = Some(a.focus);
        return panes;
    }
    let [tree, column] = if main.width >= SIDE_BY_SIDE_WIDTH {
        let tree_pct = if area.width >= 140 { 45 } else { 50 };
        Layout::horizontal([Constraint::Percentage(tree_pct), Constraint::Min(10)]).areas(main)
    } else {
        Layout::vertical([Constraint::Percentage(50), Constraint::Min(3)]).areas(main)
    };
    panes.tree = tree;
    let side_height = match a.side {
        Side::Tags if column.height >= 30 => 9,
        Side::Tags => 6,
        // A chart needs rows to say something.
        Side::Timeline | Side::People => (column.height / 2).clamp(6, 20),
    };
    if column.height >= side_height + PREVIEW_MIN_ROWS {
        [panes.preview, panes.tags] =
            Layout::vertical([Constraint::Min(3), Constraint::Length(side_height)]).areas(column);
    } else if a.focus == Focus::Tags {
        panes.tags = column;
    } else {
        panes.preview = column;
    }
    panes
}

/// The side panel, and on a pane shown alone, how to get the others back.
pub fn draw_side(frame: &mut Frame<'_>, app: &App, panes: &Panes) {
    if !panes.tags.is_empty() {
        match app.panels.side {
            Side::Tags => super::tags::draw(frame, app, panes.tags),
            Side::Timeline => super::timeline::draw(frame, app, panes.tags),
            Side::People => super::people::draw(frame, app, panes.tags),
        }
    }
    let Some(pane) = panes.solo else {
        return;
    };
    let area = panes.of(pane);
    let key = |action, default| app.keymap.key_for(action).unwrap_or(default);
    let mark = if app.panels.zoom {
        format!(" zoomed · {}: all panes ", key("zoom", "z"))
    } else {
        format!(" {}: next pane ", key("focus_next", "Tab"))
    };
    let width = mark.chars().count() as u16;
    // On the bottom border, left, where nothing else is written.
    if area.width >= width + 4 && area.height >= 2 {
        let at = Rect::new(area.x + 1, area.bottom() - 1, width, 1);
        frame.render_widget(
            Paragraph::new(Line::styled(mark.as_str(), app.theme.border(true))),
            at,
        );
    }
}
