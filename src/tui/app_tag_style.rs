//! A tag's looks and key, from the side panel: recolouring cycles through
//! the 16 colours every terminal has (then back to the tag's default), and
//! rebinding asks for the digit, taking it from the tag that had it. Both
//! are saved at once, like every change of the user's.

use ratatui::style::Color;

use super::app::App;
use super::prompt::Prompt;
use super::theme::{colour_named, default_tag_colour};
use crate::project::{TagId, TAG_COLOURS};

/// The colour after `current` for a tag whose default is `default`: the
/// next of [`TAG_COLOURS`], skipping the default (it would look like no
/// change), and `None` — the default again — after the last.
pub fn next_colour(current: Option<&str>, default: Color) -> Option<&'static str> {
    let start = current
        .and_then(|c| TAG_COLOURS.iter().position(|n| *n == c))
        .map_or(0, |i| i + 1);
    TAG_COLOURS[start..]
        .iter()
        .copied()
        .find(|n| colour_named(n) != Some(default))
}

impl App {
    /// The key to press for `action`, for messages.
    fn key_name(&self, action: &str) -> String {
        self.keymap
            .key_for(action)
            .map_or_else(|| format!(": {action}"), str::to_string)
    }

    /// Recolour the highlighted tag: the next colour, saved.
    pub(super) fn recolour_tag(&mut self) {
        let i = self.tag_cursor;
        let Some(tag) = self.ws.tags.get(i).cloned() else {
            let key = self.key_name("recolour_tag");
            self.info(&format!(
                "{key} recolours a tag: move to one in the side panel"
            ));
            return;
        };
        let colour = next_colour(tag.colour.as_deref(), default_tag_colour(i));
        if let Err(e) = self.ws.set_tag_colour(tag.id, colour) {
            self.error(&format!("colour not saved: {e}"));
            return;
        }
        let now = colour.map_or_else(
            || "its own colour again".to_string(),
            |c| format!("now {c}"),
        );
        let note = if self.theme.color {
            format!(" ({} for the next)", self.key_name("recolour_tag"))
        } else {
            " (colours are off: NO_COLOR is set)".to_string()
        };
        self.info(&format!("tag {}: {now}{note}", tag.name));
    }

    /// Ask which digit the highlighted tag should be on.
    pub(super) fn start_rebinding_tag(&mut self) {
        let Some(tag) = self.ws.tags.get(self.tag_cursor).cloned() else {
            let key = self.key_name("rebind_tag");
            self.info(&format!(
                "{key} puts a tag on a digit key: move to one in the side panel"
            ));
            return;
        };
        self.ask(
            Prompt::RebindTag {
                tag: tag.id,
                name: tag.name,
                hotkey: tag.hotkey,
            },
            String::new(),
        );
    }

    /// The answer to [`Prompt::RebindTag`]: a digit 1-9, or 0 (or `-`)
    /// for no key; nothing typed keeps the key.
    pub(super) fn rebind_tag(&mut self, tag: TagId, answer: &str) {
        let Some(current) = self.ws.tags.iter().find(|t| t.id == tag).cloned() else {
            return;
        };
        let hotkey = match answer.trim() {
            "" => {
                self.info(&format!("tag {} keeps its key", current.name));
                return;
            }
            "0" | "-" => None,
            d if d.len() == 1 && ('1'..='9').contains(&d.chars().next().unwrap_or('0')) => {
                d.chars().next()
            }
            other => {
                self.error(&format!(
                    "a tag's key is a digit 1-9 (or 0 for none), not \"{other}\""
                ));
                return;
            }
        };
        let loser = hotkey
            .and_then(|k| self.ws.tag_by_hotkey(k))
            .filter(|t| t.id != tag)
            .map(|t| t.name.clone());
        if let Err(e) = self.ws.set_tag_hotkey(tag, hotkey) {
            self.error(&format!("key not changed: {e}"));
            return;
        }
        let msg = match (hotkey, loser) {
            (None, _) => format!("tag {} has no key now", current.name),
            (Some(k), None) => format!("tag {} is on key {k}", current.name),
            (Some(k), Some(other)) => {
                format!("tag {} is on key {k}; {other} has no key now", current.name)
            }
        };
        self.info(&msg);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_cycle_past_the_default_and_back_to_none() {
        assert_eq!(next_colour(None, Color::Green), Some("red"));
        assert_eq!(next_colour(None, Color::Red), Some("green"));
        assert_eq!(next_colour(Some("red"), Color::Green), Some("yellow"));
        assert_eq!(next_colour(Some("white"), Color::Green), Some("black"));
        assert_eq!(next_colour(Some("black"), Color::Green), None);
        assert_eq!(next_colour(Some("nonsense"), Color::Green), Some("red"));
        // Every step shows a change: 15 colours, then the default.
        let mut seen = Vec::new();
        let mut c = next_colour(None, Color::Blue);
        while let Some(name) = c {
            seen.push(name);
            c = next_colour(Some(name), Color::Blue);
        }
        assert_eq!(seen.len(), 15);
        assert!(!seen.contains(&"blue"));
    }
}
