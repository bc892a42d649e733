//! Renaming and deleting tags from the side panel. Deleting asks first,
//! saying how many documents carry the tag.

use super::app::{App, Recount};
use super::prompt::{is_yes, Prompt};
use crate::project::TagId;

impl App {
    /// `R` in the side panel: ask for the highlighted tag's new name.
    pub(super) fn start_renaming_tag(&mut self) {
        let Some(tag) = self.ws.tags.get(self.tag_cursor).cloned() else {
            self.info("R renames a tag: move to one in the side panel");
            return;
        };
        self.ask(
            Prompt::RenameTag {
                tag: tag.id,
                name: tag.name.clone(),
            },
            tag.name,
        );
    }

    pub(super) fn rename_tag(&mut self, tag: TagId, name: &str) {
        let old = self.tag_name(tag);
        match self.ws.rename_tag(tag, name) {
            Ok(()) => {
                self.want_recount(Recount::UserState);
                self.info(&format!("renamed tag {old} to {}", name.trim()));
            }
            Err(e) => self.error(&format!("not renamed: {e}")),
        }
    }

    /// `d` in the side panel: ask before deleting the highlighted tag, or
    /// delete the highlighted saved search.
    pub(super) fn delete_entry(&mut self) {
        let Some(tag) = self.ws.tags.get(self.tag_cursor).cloned() else {
            self.delete_saved_search();
            return;
        };
        let count = self.tag_counts.get(self.tag_cursor).copied().unwrap_or(0);
        self.ask(
            Prompt::DeleteTag {
                tag: tag.id,
                name: tag.name,
                count,
            },
            String::new(),
        );
    }

    pub(super) fn answer_delete_tag(&mut self, tag: TagId, answer: &str) {
        let name = self.tag_name(tag);
        if !is_yes(answer) {
            self.info(&format!("tag {name} kept"));
            return;
        }
        match self.ws.delete_tag(tag) {
            Ok(_) => {
                self.tag_counts = self.ws.tag_counts();
                let rows = self.ws.tags.len() + self.saved.len();
                self.tag_cursor = self.tag_cursor.min(rows.saturating_sub(1));
                self.want_recount(Recount::UserState);
                self.info(&format!("deleted tag {name}"));
            }
            Err(e) => self.error(&format!("tag not deleted: {e}")),
        }
    }

    fn tag_name(&self, tag: TagId) -> String {
        self.ws
            .tags
            .iter()
            .find(|t| t.id == tag)
            .map(|t| t.name.clone())
            .unwrap_or_default()
    }
}
