//! The mouse, as [`App`] sees it: events become [`Action`]s as keys do
//! ([`App::action_for_mouse`]), and those actions act on the pane under the
//! pointer: the wheel scrolls it, a click focuses it and selects the row
//! (a tree row, a tag, a bar of the timeline, a correspondent) under it.
//! Where the panes are comes from the same layout drawing uses.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Position;
use ratatui::widgets::Block;

use super::action::Action;
use super::app::{App, Focus, Mode};
use super::panels::Side;
use super::view;

/// Preview lines a notch of the wheel scrolls.
const PREVIEW_LINES_PER_NOTCH: isize = 3;

impl App {
    /// Translate a mouse event into an action for the current mode.
    pub fn action_for_mouse(&self, event: &MouseEvent) -> Option<Action> {
        let notch: Option<isize> = match event.kind {
            MouseEventKind::ScrollDown => Some(1),
            MouseEventKind::ScrollUp => Some(-1),
            _ => None,
        };
        match &self.mode {
            Mode::Help => {
                return notch.map(|n| {
                    if n > 0 {
                        Action::ScrollDown
                    } else {
                        Action::ScrollUp
                    }
                })
            }
            Mode::Gaps { .. } | Mode::Problems { .. } => {
                return notch.map(|n| if n > 0 { Action::Down } else { Action::Up })
            }
            Mode::Prompt { .. } | Mode::Note { .. } | Mode::Palette(_) => return None,
            Mode::Normal | Mode::Quick(_) => {}
        }
        let at = Position::new(event.column, event.row);
        let panes = self.panes();
        let pane = [Focus::Tree, Focus::Preview, Focus::Tags]
            .into_iter()
            .find(|&p| panes.of(p).contains(at))?;
        match (event.kind, notch) {
            (_, Some(n)) => Some(Action::Wheel(pane, n)),
            (MouseEventKind::Down(MouseButton::Left), None) => {
                Some(Action::Click(pane, event.column, event.row))
            }
            _ => None,
        }
    }

    /// The wheel over `pane`: the tree and side panel move their cursor,
    /// the preview scrolls.
    pub(super) fn wheel(&mut self, pane: Focus, notches: isize) {
        match pane {
            Focus::Tree => self.move_tree_by(notches),
            Focus::Preview => self.scroll(notches * PREVIEW_LINES_PER_NOTCH),
            Focus::Tags if self.panels.side == Side::Tags => {
                let rows = self.ws.tags.len() + self.saved.len();
                self.tag_cursor = self
                    .tag_cursor
                    .saturating_add_signed(notches)
                    .min(rows.saturating_sub(1));
            }
            Focus::Tags => self.update_panels(if notches > 0 {
                &Action::ChartNext
            } else {
                &Action::ChartPrev
            }),
        }
    }

    /// Move the tree's (or the results') cursor by `rows`.
    fn move_tree_by(&mut self, rows: isize) {
        let height = self.tree_height();
        if let Some(results) = &mut self.results {
            let before = results.cursor;
            results.move_by(rows, height);
            if results.cursor != before {
                self.on_selection_changed();
            }
        } else if rows > 0 {
            self.move_down(rows.unsigned_abs());
        } else {
            self.move_up(rows.unsigned_abs());
        }
    }

    /// A left click at screen cell `(x, y)`, on `pane`: focus it, and
    /// select what is under the pointer.
    pub(super) fn click(&mut self, pane: Focus, x: u16, y: u16) {
        self.focus = pane;
        let area = self.panes().of(pane);
        let inner = Block::bordered().inner(area);
        if !inner.contains(Position::new(x, y)) {
            return;
        }
        let row = usize::from(y - inner.y);
        match (pane, self.panels.side) {
            (Focus::Preview, _) => {}
            (Focus::Tree, _) => self.click_tree_row(row),
            (Focus::Tags, Side::Tags) => {
                if let Some(cursor) = view::tags::cursor_at(self, usize::from(inner.height), row) {
                    self.tag_cursor = cursor;
                }
            }
            (Focus::Tags, Side::Timeline) => {
                if let Some((unit, bucket)) = view::timeline::bucket_at(self, area, x) {
                    self.panels.day = unit.first_day(bucket);
                }
            }
            (Focus::Tags, Side::People) => {
                if let Some(person) = view::people::person_at(self, area, x, y) {
                    self.panels.person = person;
                }
            }
        }
    }

    /// Select the `row`-th row shown in the tree pane, if there is one.
    fn click_tree_row(&mut self, row: usize) {
        let height = self.tree_height();
        if let Some(results) = &mut self.results {
            let target = results.top + row;
            if target < results.rows.len() && target != results.cursor {
                results.move_to(target, height);
                self.on_selection_changed();
            }
        } else if let Some(&node) = self.visible_rows().get(row) {
            self.move_to(node);
        }
    }
}
