//! The one-line questions the browser asks (a tag's name, a query, a
//! folder, a yes/no): what each is for, and how it is titled and bounded.
//! [`super::app::Mode::Prompt`] holds one with what has been typed so far.

use std::path::PathBuf;

use unicode_width::UnicodeWidthStr;

use crate::model::DocId;
use crate::project::TagId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    /// The name of a new tag.
    NewTag,
    /// A search query.
    Search,
    /// The name to save the current search under.
    SaveSearch,
    /// The folder to save the selected document into.
    SaveTo,
    /// Something else already has the name (safe) `doc` is saved under in
    /// `dir`: keep both (`k`, Enter; saved as `next_free`), overwrite
    /// (`o`, only when `replaceable`), or cancel. Answered with one key.
    SaveClash {
        doc: DocId,
        dir: PathBuf,
        name: String,
        next_free: String,
        replaceable: bool,
    },
    /// Whether to tag the `count` DKIM-verified messages `verified`.
    TagVerified { count: usize },
    /// A new name for a tag.
    RenameTag { tag: TagId, name: String },
    /// Whether to delete a tag that `count` documents carry.
    DeleteTag {
        tag: TagId,
        name: String,
        count: usize,
    },
    /// The digit key for a tag (now on `hotkey`).
    RebindTag {
        tag: TagId,
        name: String,
        hotkey: Option<char>,
    },
}

impl Prompt {
    /// The title on the box's border.
    pub fn title(&self) -> String {
        match self {
            Prompt::NewTag => "New tag name".into(),
            Prompt::Search => "Search".into(),
            Prompt::SaveSearch => "Save this search as".into(),
            Prompt::SaveTo => "Save a copy into the folder".into(),
            Prompt::SaveClash {
                dir,
                name,
                replaceable: true,
                ..
            // What happened first: a long name is cut at the end.
            } => format!("Taken in {} by other content: {name}", dir.display()),
            Prompt::SaveClash { dir, name, .. } => {
                format!("Not a file in {}: {name}", dir.display())
            }
            Prompt::TagVerified { count } => {
                format!("Tag {count} DKIM-verified as \"verified\"?")
            }
            Prompt::RenameTag { name, .. } => format!("Rename tag {name} to"),
            Prompt::DeleteTag { name, count: 1, .. } => {
                format!("Delete tag {name} from 1 document?")
            }
            Prompt::DeleteTag { name, count, .. } => {
                format!("Delete tag {name} from {count} documents?")
            }
            Prompt::RebindTag { name, hotkey, .. } => match hotkey {
                Some(k) => format!("Key for tag {name} (now {k})"),
                None => format!("Key for tag {name} (none now)"),
            },
        }
    }

    /// What the keys do, after the title.
    pub fn keys(&self) -> &'static str {
        match self {
            Prompt::NewTag => "Enter to create, Esc to cancel",
            Prompt::Search => "Enter to search, Ctrl-U to clear, Esc to cancel",
            Prompt::SaveSearch | Prompt::SaveTo => "Enter to save, Esc to cancel",
            Prompt::SaveClash { .. } => "",
            Prompt::RenameTag { .. } => "Enter to rename, Esc to cancel",
            Prompt::TagVerified { .. } | Prompt::DeleteTag { .. } => "y Enter: yes · Esc: no",
            Prompt::RebindTag { .. } => "1-9 Enter · 0: no key · Esc",
        }
    }

    /// Width of the box in columns (cut to the screen).
    pub fn width(&self) -> u16 {
        match self {
            Prompt::NewTag | Prompt::SaveSearch => 50,
            Prompt::RenameTag { .. } | Prompt::TagVerified { .. } | Prompt::RebindTag { .. } => 72,
            Prompt::Search
            | Prompt::SaveTo
            | Prompt::SaveClash { .. }
            | Prompt::DeleteTag { .. } => 76,
        }
    }

    /// The most characters the answer may have.
    pub fn max_chars(&self) -> usize {
        match self {
            Prompt::NewTag | Prompt::SaveSearch | Prompt::RenameTag { .. } => 40,
            Prompt::Search => crate::search::query::MAX_CHARS,
            Prompt::SaveTo => 4096,
            Prompt::TagVerified { .. } | Prompt::DeleteTag { .. } => 3,
            Prompt::RebindTag { .. } | Prompt::SaveClash { .. } => 1,
        }
    }

    /// The keys that answer at once, without Enter (lower case); empty for
    /// a prompt that is typed into.
    pub fn answer_keys(&self) -> &'static str {
        match self {
            Prompt::SaveClash {
                replaceable: true, ..
            } => "ko",
            Prompt::SaveClash { .. } => "k",
            _ => "",
        }
    }

    /// For a question answered with one key: the line that says which, in
    /// at most `room` columns where it can (the new name is left out when
    /// it does not fit); `None` for a prompt that is typed into.
    pub fn question(&self, room: usize) -> Option<String> {
        let Prompt::SaveClash {
            next_free,
            replaceable,
            ..
        } = self
        else {
            return None;
        };
        // Nothing to overwrite (a folder …): the copy is all there is.
        let (keep, overwrite) = if *replaceable {
            ("keep both", " · o overwrite")
        } else {
            ("save", "")
        };
        let long = format!("k/Enter {keep} as \"{next_free}\"{overwrite} · Esc cancel");
        if long.width() <= room {
            return Some(long);
        }
        Some(format!(
            "k/Enter {keep} as a numbered copy{overwrite} · Esc cancel"
        ))
    }
}

/// A yes/no answer typed into a prompt: `y` or `yes`, in any case.
pub fn is_yes(input: &str) -> bool {
    matches!(input.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clash(next_free: &str, replaceable: bool) -> Prompt {
        Prompt::SaveClash {
            doc: 0,
            dir: PathBuf::from("/srv/out"),
            name: "a.pdf".into(),
            next_free: next_free.into(),
            replaceable,
        }
    }

    #[test]
    fn the_save_question_fits_its_room_and_offers_only_what_is_possible() {
        let file = clash("a (2).pdf", true);
        assert_eq!(file.answer_keys(), "ko");
        assert_eq!(
            file.question(74).as_deref(),
            Some("k/Enter keep both as \"a (2).pdf\" · o overwrite · Esc cancel")
        );
        let long = clash(&format!("{} (2).pdf", "x".repeat(60)), true);
        assert_eq!(
            long.question(74).as_deref(),
            Some("k/Enter keep both as a numbered copy · o overwrite · Esc cancel")
        );
        let folder = clash("a (2).pdf", false);
        assert_eq!(folder.answer_keys(), "k");
        assert_eq!(folder.title(), "Not a file in /srv/out: a.pdf");
        assert_eq!(file.title(), "Taken in /srv/out by other content: a.pdf");
        assert_eq!(
            folder.question(74).as_deref(),
            Some("k/Enter save as \"a (2).pdf\" · Esc cancel")
        );
        assert_eq!(Prompt::SaveTo.question(74), None);
        assert_eq!(Prompt::SaveTo.answer_keys(), "");
    }
}
