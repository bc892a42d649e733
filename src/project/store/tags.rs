//! Tag appearance: the colour a tag is drawn in and the digit that
//! toggles it.

use rusqlite::params;

use super::{Store, StoreError, TagId};

/// The colours a tag may have: the 16 of every terminal's palette (what
/// an SSH session to a server can count on), by their ratatui names.
pub const TAG_COLOURS: &[&str] = &[
    "red",
    "green",
    "yellow",
    "blue",
    "magenta",
    "cyan",
    "gray",
    "darkgray",
    "lightred",
    "lightgreen",
    "lightyellow",
    "lightblue",
    "lightmagenta",
    "lightcyan",
    "white",
    "black",
];

impl Store {
    /// Give tag `id` a colour from [`TAG_COLOURS`] (`None`: the default).
    /// An unknown name is refused.
    pub fn set_tag_colour(&self, id: TagId, colour: Option<&str>) -> Result<(), StoreError> {
        if let Some(c) = colour {
            if !TAG_COLOURS.contains(&c) {
                return Err(StoreError::UnknownColour(c.to_string()));
            }
        }
        self.conn
            .execute(
                "UPDATE tags SET colour = ?1 WHERE id = ?2",
                params![colour, id],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Bind tag `id` to `hotkey` (`'1'..='9'`, or `None` for no key). A
    /// tag that had that key loses it, in the same transaction.
    pub fn set_tag_hotkey(&mut self, id: TagId, hotkey: Option<char>) -> Result<(), StoreError> {
        if let Some(k) = hotkey {
            if !('1'..='9').contains(&k) {
                return Err(StoreError::BadHotkey(k));
            }
        }
        let key = hotkey.map(String::from);
        let run = |conn: &mut rusqlite::Connection| -> rusqlite::Result<()> {
            let tx = conn.transaction()?;
            if let Some(k) = &key {
                tx.execute(
                    "UPDATE tags SET hotkey = NULL WHERE hotkey = ?1 AND id != ?2",
                    params![k, id],
                )?;
            }
            tx.execute(
                "UPDATE tags SET hotkey = ?1 WHERE id = ?2",
                params![key, id],
            )?;
            tx.commit()
        };
        run(&mut self.conn).map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hotkey_moves_from_the_tag_that_had_it_and_colours_are_checked() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut store = Store::open(&dir.path().join("s.sqlite3")).expect("open");
        let tags = store.tags().expect("store");
        let (verified, suspect) = (tags[0].id, tags[1].id);
        assert_eq!(tags[0].hotkey, Some('1'));
        store.set_tag_hotkey(suspect, Some('1')).expect("store");
        let tags = store.tags().expect("store");
        assert_eq!(tags[0].hotkey, None, "{verified} lost the key");
        assert_eq!(tags[1].hotkey, Some('1'));
        assert!(store.set_tag_hotkey(suspect, Some('0')).is_err());

        store
            .set_tag_colour(suspect, Some("lightred"))
            .expect("store");
        assert_eq!(
            store.tags().expect("store")[1].colour.as_deref(),
            Some("lightred")
        );
        assert!(store.set_tag_colour(suspect, Some("chartreuse")).is_err());
        store.set_tag_colour(suspect, None).expect("store");
        assert_eq!(store.tags().expect("store")[1].colour, None);
    }
}
