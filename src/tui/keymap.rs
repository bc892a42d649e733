//! Key bindings as data: `assets/keymap.toml` is compiled in; the help
//! overlay and the hint bar are generated from it, so they cannot drift
//! from what the keys really do.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;

use super::action::Action;

pub const DEFAULT_KEYMAP: &str = include_str!("../../assets/keymap.toml");

/// The symbols the thread tree uses, explained at the top of the help.
pub const TREE_MARKS: &[(&str, &str)] = &[
    ("●", "Not read yet"),
    ("+", "Has attachments"),
    ("!", "Could not be read completely (see the preview)"),
    (
        "✓ ✗ ?",
        "DKIM: verified for the From domain / altered / signed, key unknown",
    ),
    ("1-9", "Carries the tag on that key (see the tag panel)"),
    ("[+N]", "Folded: N more documents in this thread"),
    (
        "(not in dump)",
        "A message others reply to, missing from the dump",
    ),
];

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Global,
    Tree,
    Preview,
    Tags,
    /// The side panel while it shows the timeline or the correspondents.
    Charts,
    Prompt,
    Help,
    List,
}

impl Section {
    pub const ALL: [Section; 8] = [
        Section::Tree,
        Section::Preview,
        Section::Tags,
        Section::Charts,
        Section::Global,
        Section::Prompt,
        Section::Help,
        Section::List,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Section::Global => "Everywhere",
            Section::Tree => "Thread tree",
            Section::Preview => "Preview",
            Section::Tags => "Tag panel",
            Section::Charts => "Timeline and correspondents (side panel)",
            Section::Prompt => "Prompts",
            Section::Help => "Help",
            Section::List => "Lists (missing messages, problems)",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct KeySpec {
    code: KeyCode,
    ctrl: bool,
}

#[derive(Debug, Clone)]
pub struct Binding {
    keys: Vec<KeySpec>,
    /// The keys as written in the file, for the help screen.
    pub labels: Vec<String>,
    action: String,
    pub desc: String,
    pub hint: Option<String>,
}

impl Binding {
    /// `j, Down` or `1–9` for the help screen.
    pub fn keys_label(&self) -> String {
        if self.labels.len() == 9 && self.labels.first().map(String::as_str) == Some("1") {
            return "1-9".to_string();
        }
        self.labels.join(", ")
    }
}

#[derive(Debug, Clone)]
pub struct Keymap {
    pub sections: Vec<(Section, Vec<Binding>)>,
}

#[derive(Debug, thiserror::Error)]
pub enum KeymapError {
    #[error("keymap: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("keymap: unknown key {0:?}")]
    UnknownKey(String),
    #[error("keymap: unknown action {0:?}")]
    UnknownAction(String),
}

#[derive(Deserialize)]
struct RawBinding {
    keys: Vec<String>,
    action: String,
    desc: String,
    hint: Option<String>,
}

#[derive(Deserialize)]
struct RawKeymap {
    #[serde(default)]
    global: Vec<RawBinding>,
    #[serde(default)]
    tree: Vec<RawBinding>,
    #[serde(default)]
    preview: Vec<RawBinding>,
    #[serde(default)]
    tags: Vec<RawBinding>,
    #[serde(default)]
    charts: Vec<RawBinding>,
    #[serde(default)]
    prompt: Vec<RawBinding>,
    #[serde(default)]
    help: Vec<RawBinding>,
    #[serde(default)]
    list: Vec<RawBinding>,
}

fn parse_key(s: &str) -> Result<KeySpec, KeymapError> {
    let (ctrl, name) = match s.strip_prefix("C-") {
        Some(rest) if !rest.is_empty() => (true, rest),
        _ => (false, s),
    };
    let code = match name {
        "Down" => KeyCode::Down,
        "Up" => KeyCode::Up,
        "Left" => KeyCode::Left,
        "Right" => KeyCode::Right,
        "PageDown" => KeyCode::PageDown,
        "PageUp" => KeyCode::PageUp,
        "Home" => KeyCode::Home,
        "End" => KeyCode::End,
        "Enter" => KeyCode::Enter,
        "Esc" => KeyCode::Esc,
        "Tab" => KeyCode::Tab,
        "BackTab" => KeyCode::BackTab,
        "Backspace" => KeyCode::Backspace,
        "Space" => KeyCode::Char(' '),
        _ => {
            let mut chars = name.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => KeyCode::Char(c),
                _ => return Err(KeymapError::UnknownKey(s.to_string())),
            }
        }
    };
    Ok(KeySpec { code, ctrl })
}

impl Keymap {
    /// The keymap shipped in `assets/keymap.toml`.
    pub fn builtin() -> Keymap {
        // The asset is compiled in and checked by a unit test.
        Keymap::parse(DEFAULT_KEYMAP).expect("assets/keymap.toml is valid")
    }

    pub fn parse(text: &str) -> Result<Keymap, KeymapError> {
        let raw: RawKeymap = toml::from_str(text)?;
        let convert = |list: Vec<RawBinding>| -> Result<Vec<Binding>, KeymapError> {
            list.into_iter()
                .map(|b| {
                    let sample = b.keys.first().and_then(|k| k.chars().next());
                    if Action::from_name(&b.action, sample.or(Some('1'))).is_none() {
                        return Err(KeymapError::UnknownAction(b.action));
                    }
                    Ok(Binding {
                        keys: b
                            .keys
                            .iter()
                            .map(|k| parse_key(k))
                            .collect::<Result<_, _>>()?,
                        labels: b.keys,
                        action: b.action,
                        desc: b.desc,
                        hint: b.hint,
                    })
                })
                .collect()
        };
        Ok(Keymap {
            sections: vec![
                (Section::Tree, convert(raw.tree)?),
                (Section::Preview, convert(raw.preview)?),
                (Section::Tags, convert(raw.tags)?),
                (Section::Charts, convert(raw.charts)?),
                (Section::Global, convert(raw.global)?),
                (Section::Prompt, convert(raw.prompt)?),
                (Section::Help, convert(raw.help)?),
                (Section::List, convert(raw.list)?),
            ],
        })
    }

    fn section(&self, section: Section) -> &[Binding] {
        self.sections
            .iter()
            .find(|(s, _)| *s == section)
            .map_or(&[], |(_, b)| b.as_slice())
    }

    fn find(&self, section: Section, key: &KeyEvent) -> Option<Action> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        for b in self.section(section) {
            for spec in &b.keys {
                if spec.code == key.code && spec.ctrl == ctrl {
                    let c = match key.code {
                        KeyCode::Char(c) => Some(c),
                        _ => None,
                    };
                    return Action::from_name(&b.action, c);
                }
            }
        }
        None
    }

    /// The action for `key` in the focused `section`, falling back to the
    /// global bindings (except in modal sections: prompt and help).
    pub fn lookup(&self, section: Section, key: &KeyEvent) -> Option<Action> {
        let own = self.find(section, key);
        match section {
            Section::Prompt | Section::Help | Section::List => own,
            _ => own.or_else(|| self.find(Section::Global, key)),
        }
    }

    /// Every binding for the help screen: `(keys, description)` rows with a
    /// section title row (`keys` empty) before each section.
    pub fn help_rows(&self) -> Vec<(String, String)> {
        let mut rows = vec![(String::new(), "Marks in the thread tree".to_string())];
        for (mark, meaning) in TREE_MARKS {
            rows.push(((*mark).to_string(), (*meaning).to_string()));
        }
        for (section, bindings) in &self.sections {
            if bindings.is_empty() {
                continue;
            }
            rows.push((String::new(), section.title().to_string()));
            for b in bindings {
                rows.push((b.keys_label(), b.desc.clone()));
            }
        }
        rows
    }

    /// The first key bound to the action named `action` (as in the keymap
    /// file), for messages that tell the user what to press.
    pub fn key_for(&self, action: &str) -> Option<&str> {
        self.sections
            .iter()
            .flat_map(|(_, bindings)| bindings)
            .find(|b| b.action == action)
            .and_then(|b| b.labels.first())
            .map(String::as_str)
    }

    /// `(keys, label)` pairs for the hint bar, in file order.
    pub fn hints(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for section in [Section::Tree, Section::Global] {
            for b in self.section(section) {
                if let Some(h) = &b.hint {
                    let keys = if b.labels.len() > 2 {
                        b.keys_label()
                    } else {
                        b.labels.first().cloned().unwrap_or_default()
                    };
                    out.push((keys, h.clone()));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn builtin_keymap_parses_and_binds_the_documented_keys() {
        let km = Keymap::builtin();
        assert!(matches!(
            km.lookup(Section::Tree, &key('j')),
            Some(Action::Down)
        ));
        assert!(matches!(
            km.lookup(Section::Preview, &key('j')),
            Some(Action::ScrollDown)
        ));
        assert!(matches!(
            km.lookup(Section::Tree, &key('3')),
            Some(Action::ToggleTag('3'))
        ));
        assert!(matches!(
            km.lookup(Section::Tree, &key('q')),
            Some(Action::Quit)
        ));
        assert!(
            km.lookup(Section::Help, &key('t')).is_none(),
            "help is modal"
        );
        assert!(matches!(
            km.lookup(Section::Help, &key('j')),
            Some(Action::ScrollDown)
        ));
        let rows = km.help_rows();
        assert!(rows.iter().any(|(k, d)| k == "1-9" && d.contains("tag")));
        assert!(rows.iter().any(|(k, _)| k == "Enter, Space"));
        let enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
        assert!(matches!(
            km.lookup(Section::Tree, &enter),
            Some(Action::ToggleFold)
        ));
        assert!(km.hints().iter().any(|(k, h)| k == "?" && h == "help"));
    }

    #[test]
    fn bad_keymaps_are_refused_with_the_culprit_named() {
        let bad_action = "[[tree]]\nkeys=[\"x\"]\naction=\"explode\"\ndesc=\"\"\n";
        assert!(
            matches!(Keymap::parse(bad_action), Err(KeymapError::UnknownAction(a)) if a == "explode")
        );
        let bad_key = "[[tree]]\nkeys=[\"Hyper\"]\naction=\"up\"\ndesc=\"\"\n";
        assert!(matches!(Keymap::parse(bad_key), Err(KeymapError::UnknownKey(k)) if k == "Hyper"));
        assert!(matches!(
            Keymap::parse("[[tree]\n"),
            Err(KeymapError::Toml(_))
        ));
    }
}
