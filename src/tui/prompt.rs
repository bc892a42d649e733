//! The one-line questions the browser asks (a tag's name, a query, a
//! folder, a yes/no): what each is for, and how it is titled and bounded.
//! [`super::app::Mode::Prompt`] holds one with what has been typed so far.

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
            Prompt::SaveSearch => "Enter to save, Esc to cancel",
            Prompt::SaveTo => "Enter to save (never replaces a file), Esc to cancel",
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
            Prompt::Search | Prompt::SaveTo | Prompt::DeleteTag { .. } => 76,
        }
    }

    /// The most characters the answer may have.
    pub fn max_chars(&self) -> usize {
        match self {
            Prompt::NewTag | Prompt::SaveSearch | Prompt::RenameTag { .. } => 40,
            Prompt::Search => crate::search::query::MAX_CHARS,
            Prompt::SaveTo => 4096,
            Prompt::TagVerified { .. } | Prompt::DeleteTag { .. } => 3,
            Prompt::RebindTag { .. } => 1,
        }
    }
}

/// A yes/no answer typed into a prompt: `y` or `yes`, in any case.
pub fn is_yes(input: &str) -> bool {
    matches!(input.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}
