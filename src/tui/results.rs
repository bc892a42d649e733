//! Search results on screen: the documents a query found, in order, with
//! a cursor and the first row shown (the tree pane lists them while a
//! search is active).

use crate::model::DocId;
use crate::search::eval::Order;

#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    pub query: String,
    pub hits: Vec<DocId>,
    pub order: Order,
    pub cursor: usize,
    pub top: usize,
}

impl Results {
    pub fn new(query: String, hits: Vec<DocId>, order: Order) -> Results {
        Results {
            query,
            hits,
            order,
            cursor: 0,
            top: 0,
        }
    }

    pub fn selected(&self) -> Option<DocId> {
        self.hits.get(self.cursor).copied()
    }

    /// Move the cursor by `delta` rows (clamped), keeping it within the
    /// `height` rows shown.
    pub fn move_by(&mut self, delta: isize, height: usize) {
        let last = self.hits.len().saturating_sub(1);
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
        self.scroll(height);
    }

    /// Put the cursor on `doc` if it is among the hits.
    pub fn select(&mut self, doc: Option<DocId>, height: usize) {
        if let Some(row) = doc.and_then(|d| self.hits.iter().position(|&h| h == d)) {
            self.move_to(row, height);
        }
    }

    pub fn move_to(&mut self, row: usize, height: usize) {
        self.cursor = row.min(self.hits.len().saturating_sub(1));
        self.scroll(height);
    }

    fn scroll(&mut self, height: usize) {
        let height = height.max(1);
        if self.cursor < self.top {
            self.top = self.cursor;
        } else if self.cursor >= self.top + height {
            self.top = self.cursor + 1 - height;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_stays_in_range_and_on_screen() {
        let mut r = Results::new("q".into(), (0..10).collect(), Order::Date);
        r.move_by(3, 4);
        assert_eq!((r.cursor, r.top), (3, 0));
        r.move_by(3, 4);
        assert_eq!((r.cursor, r.top), (6, 3));
        r.move_by(100, 4);
        assert_eq!((r.cursor, r.top), (9, 6));
        r.move_by(-100, 4);
        assert_eq!((r.cursor, r.top), (0, 0));
        r.move_to(usize::MAX, 4);
        assert_eq!(r.selected(), Some(9));
        let empty = Results::new("q".into(), Vec::new(), Order::Date);
        assert_eq!(empty.selected(), None);
    }
}
