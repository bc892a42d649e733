//! The side panel's charts and zoom in [`App`]: what the side panel shows,
//! the focused pane alone on screen, moving in a chart and narrowing the
//! view from it, and counting for the charts only when the documents on
//! screen change (never while drawing).

use std::sync::Arc;

use ratatui::layout::Rect;

use super::action::Action;
use super::app::{App, Focus};
use super::keymap::Section;
use super::panels::{Side, ViewKey, PEOPLE_KEPT};
use super::view::{self, Arrangement, Panes};
use crate::model::DocId;
use crate::stats::{PeopleIndex, Timeline, Unit};

impl App {
    /// Where the panes are, as the state is now.
    pub fn panes(&self) -> Panes {
        view::arrange(self.area(), self.arrangement(self.focus, self.panels.zoom))
    }

    fn arrangement(&self, focus: Focus, zoom: bool) -> Arrangement {
        Arrangement {
            focus,
            zoom,
            side: self.panels.side,
        }
    }

    /// Where `pane` is drawn; a hidden pane (zoom, a small screen) gets
    /// where it would be with the focus, so that its scroll and wrapping
    /// stay those of a pane on screen.
    pub(super) fn pane_area(&self, pane: Focus) -> Rect {
        let shown = self.panes().of(pane);
        if !shown.is_empty() {
            return shown;
        }
        view::arrange(self.area(), self.arrangement(pane, false)).of(pane)
    }

    /// The key bindings of the side panel with the focus.
    pub(super) fn side_section(&self) -> Section {
        match self.panels.side {
            Side::Tags => Section::Tags,
            Side::Timeline | Side::People => Section::Charts,
        }
    }

    /// Which documents the tree pane lists: the search or filter results
    /// on screen, else all of them.
    pub fn view_key(&self) -> ViewKey {
        ViewKey {
            docs: Arc::as_ptr(&self.ws.scan.docs) as usize,
            len: self.ws.scan.docs.len(),
            results: self.results.as_ref().map(|r| r.serial),
        }
    }

    pub(super) fn update_panels(&mut self, action: &Action) {
        match action {
            Action::SidePanel => self.cycle_side(),
            Action::Zoom => {
                self.panels.zoom = !self.panels.zoom;
                if self.panels.zoom {
                    let key = |action, default| self.keymap.key_for(action).unwrap_or(default);
                    let msg = format!(
                        "one pane at a time: {} changes it, {} shows all",
                        key("focus_next", "Tab"),
                        key("zoom", "z")
                    );
                    self.info(&msg);
                }
            }
            Action::ChartNext => self.move_in_chart(1),
            Action::ChartPrev => self.move_in_chart(-1),
            Action::ChartNarrow => self.narrow_from_chart(),
            Action::ChartUnit => self.cycle_unit(),
            Action::Wheel(pane, notches) => self.wheel(*pane, *notches),
            Action::Click(pane, x, y) => self.click(*pane, *x, *y),
            _ => {}
        }
    }

    fn cycle_side(&mut self) {
        self.panels.side = self.panels.side.next();
        // Too small a screen to show it beside the others: go to it.
        if self.panes().tags.is_empty() {
            self.focus = Focus::Tags;
        }
        let key = |action, default| self.keymap.key_for(action).unwrap_or(default);
        let enter = key("chart_narrow", "Enter");
        let msg = match self.panels.side {
            Side::Tags => "tags and saved searches".to_string(),
            Side::Timeline => format!(
                "timeline: {}, {enter} narrows, {}: day/week/month",
                key("focus_next", "Tab"),
                key("chart_unit", "c")
            ),
            Side::People => format!(
                "top correspondents: {}, {enter} narrows",
                key("focus_next", "Tab")
            ),
        };
        self.info(&msg);
    }

    /// After every action: follow a change of the panes' sizes, and count
    /// for the chart on screen if the documents listed changed.
    pub(super) fn after_update(&mut self) {
        let sizes = (self.pane_area(Focus::Preview), self.pane_area(Focus::Tree));
        // Set by `App::new`; the first call only records them.
        if let Some((preview, _)) = self.panels.sizes.replace(sizes) {
            if preview != sizes.0 {
                if preview.width == sizes.0.width {
                    self.clamp_scroll();
                } else {
                    self.load_preview();
                }
            }
            self.scroll_tree_to_cursor();
            let height = self.tree_height();
            if let Some(r) = &mut self.results {
                r.scroll(height);
            }
        }
        self.count_for_charts();
    }

    /// Count what the chart on screen shows, if it was counted for other
    /// documents (the view changed): one pass over them. The people are
    /// numbered first, once per document list (a quarter of a second for
    /// half a million documents); a view then costs milliseconds.
    fn count_for_charts(&mut self) {
        if self.panes().tags.is_empty() {
            return;
        }
        let key = self.view_key();
        let docs = &self.ws.scan.docs;
        let hits = self.results.as_ref().map(|r| r.hits.as_slice());
        let view = || -> Box<dyn Iterator<Item = DocId> + '_> {
            match hits {
                Some(hits) => Box::new(hits.iter().copied()),
                None => Box::new(0..docs.len()),
            }
        };
        let side = self.panels.side;
        if side == Side::Timeline && self.panels.timeline_for(key).is_none() {
            let dates = view().map(|d| docs.get(d).and_then(|doc| doc.date));
            self.panels.timeline = Some((key, Timeline::count(dates)));
            self.panels.day = None;
        }
        if side == Side::People && self.panels.people_for(key).is_none() {
            let list = (key.docs, key.len);
            let index = match &mut self.panels.people_index {
                Some((k, index)) if *k == list => index,
                slot => &mut slot.insert((list, PeopleIndex::new(docs))).1,
            };
            let people = index.count(view(), PEOPLE_KEPT);
            self.panels.people = Some((key, people));
            self.panels.person = 0;
        }
    }

    fn move_in_chart(&mut self, delta: i64) {
        let area = self.pane_area(Focus::Tags);
        match self.panels.side {
            Side::Tags => {}
            Side::Timeline => {
                if let Some((unit, focus, (first, last))) = view::timeline::focus(self, area) {
                    let bucket = focus.saturating_add(delta).clamp(first, last);
                    self.panels.day = unit.first_day(bucket);
                }
            }
            Side::People => {
                let Some(c) = self.panels.people_for(self.view_key()) else {
                    return;
                };
                // Only the lists on screen (a short panel shows senders only).
                let inner = ratatui::widgets::Block::bordered().inner(area);
                let rows: usize = view::people::lists(self, c, inner)
                    .iter()
                    .map(|l| match l.role {
                        crate::stats::Role::Sender => c.senders.len(),
                        crate::stats::Role::Recipient => c.recipients.len(),
                    })
                    .sum();
                let last = rows.saturating_sub(1) as i64;
                self.panels.person = (self.panels.person as i64 + delta).clamp(0, last) as usize;
            }
        }
    }

    fn cycle_unit(&mut self) {
        if self.panels.side != Side::Timeline {
            let key = self.keymap.key_for("side_panel").unwrap_or("p");
            self.info(&format!("this changes the timeline's bars: {key} shows it"));
            return;
        }
        self.panels.unit = match self.panels.unit {
            None => Some(Unit::Day),
            Some(Unit::Day) => Some(Unit::Week),
            Some(Unit::Week) => Some(Unit::Month),
            Some(Unit::Month) => Some(Unit::Year),
            Some(Unit::Year) => None,
        };
        match self.panels.unit {
            Some(u) => self.info(&format!("a bar per {}", u.name())),
            None => self.info("bars per day, week, month or year: the finest that fits"),
        }
    }

    /// Search the view for the period or the person under the chart's
    /// cursor: `date:…`, `from:…` or `to:…`, within the search on screen.
    fn narrow_from_chart(&mut self) {
        let area = self.pane_area(Focus::Tags);
        let term = match self.panels.side {
            Side::Tags => None,
            Side::Timeline => {
                view::timeline::focus(self, area).and_then(|(unit, bucket, _)| unit.query(bucket))
            }
            Side::People => self
                .panels
                .people_for(self.view_key())
                .and_then(|c| view::people::at_cursor(c, self.panels.person))
                .map(|(role, person)| person.query(role)),
        };
        let Some(term) = term else {
            self.info("nothing to narrow to here");
            return;
        };
        // A quick filter is not a query: the narrowing replaces it.
        let query = match &self.results {
            Some(r) if !r.query.starts_with('/') && !r.query.trim().is_empty() => {
                format!("({}) {term}", r.query.trim())
            }
            _ => term,
        };
        self.quick = None;
        self.submit_search(query);
    }
}
