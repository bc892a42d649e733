//! Notes and tag appearance on an open workspace: stored first, then
//! shown (see the module comment of [`super`]).

use super::{DocId, Note, StoreError, TagId, Workspace};

impl Workspace {
    /// Every note on the document, the user's own first, then by author.
    pub fn notes_of(&self, doc: DocId) -> Vec<&Note> {
        let mut notes: Vec<&Note> = self
            .notes
            .get(&doc)
            .map_or(Vec::new(), |n| n.iter().collect());
        notes.sort_by_key(|n| (n.author != self.author, n.author.clone()));
        notes
    }

    /// The user's own note on the document.
    pub fn own_note(&self, doc: DocId) -> Option<&str> {
        self.notes
            .get(&doc)?
            .iter()
            .find(|n| n.author == self.author)
            .map(|n| n.body.as_str())
    }

    /// Whether the document carries anyone's note.
    pub fn has_note(&self, doc: DocId) -> bool {
        self.notes.contains_key(&doc)
    }

    /// Documents with at least one note.
    pub fn noted_docs(&self) -> impl Iterator<Item = DocId> + '_ {
        self.notes.keys().copied()
    }

    /// Write the user's own note on the document (empty: delete it).
    pub fn set_note(&mut self, doc: DocId, body: &str) -> Result<(), StoreError> {
        let author = self.author.clone();
        self.set_note_by(doc, &author, body, None)
    }

    /// Write `author`'s note on the document and its copies (empty:
    /// delete it); `updated` keeps the time an imported note was written.
    pub fn set_note_by(
        &mut self,
        doc: DocId,
        author: &str,
        body: &str,
        updated: Option<i64>,
    ) -> Result<(), StoreError> {
        let d = &self.scan.docs[doc];
        let (hash, message_id) = (d.hash, d.message_id().map(str::to_string));
        let store = &self.project.store;
        match updated {
            Some(t) => store.set_note_at(&hash, message_id.as_deref(), author, body, t)?,
            None => store.set_note(&hash, message_id.as_deref(), author, body)?,
        }
        let when = updated.unwrap_or_else(crate::project::store::now);
        for copy in self.same_content(doc) {
            let list = self.notes.entry(copy).or_default();
            list.retain(|n| n.author != author);
            if !body.trim().is_empty() {
                list.push(Note {
                    doc_hash: hash,
                    message_id: message_id.clone(),
                    author: author.to_string(),
                    body: body.to_string(),
                    updated: when,
                });
            }
            if list.is_empty() {
                self.notes.remove(&copy);
            }
        }
        Ok(())
    }

    /// Give tag `id` a colour (see [`crate::project::TAG_COLOURS`]).
    pub fn set_tag_colour(&mut self, id: TagId, colour: Option<&str>) -> Result<(), StoreError> {
        self.project.store.set_tag_colour(id, colour)?;
        if let Some(t) = self.tags.iter_mut().find(|t| t.id == id) {
            t.colour = colour.map(str::to_string);
        }
        Ok(())
    }

    /// Bind tag `id` to a digit (taking it from the tag that had it).
    pub fn set_tag_hotkey(&mut self, id: TagId, hotkey: Option<char>) -> Result<(), StoreError> {
        self.project.store.set_tag_hotkey(id, hotkey)?;
        for t in &mut self.tags {
            if t.id == id {
                t.hotkey = hotkey;
            } else if hotkey.is_some() && t.hotkey == hotkey {
                t.hotkey = None;
            }
        }
        Ok(())
    }
}
