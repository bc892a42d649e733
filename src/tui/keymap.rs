//! Key bindings as data: `assets/keymap.toml` is compiled in, and the
//! user's `keymap.toml` in the config directory changes parts of it. The
//! help overlay, the hint bar and the command palette are generated from
//! the result, so they cannot drift from what the keys really do.
//!
//! How a user file changes the built-in keymap (README, "Your own keys"):
//! entries are matched by section and action. An entry for an action the
//! section already has replaces that action's keys there (its `desc` and
//! `hint` too, when given; `hint = ""` takes the hint away); `keys = []`
//! unbinds it (the palette still runs it). An entry for an action the
//! section lacks adds it. A key the user binds in a section is taken from
//! whichever built-in action had it in that section. Sections stay
//! separate: a key bound in `[[global]]` still loses to the focused pane's
//! own binding of that key. A file with any mistake is refused as a whole,
//! with its line, and the built-in keymap is used.

use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
pub use super::keymap_file::KeymapError;
use super::keymap_file::{Entry, Reader};

pub const DEFAULT_KEYMAP: &str = include_str!("../../assets/keymap.toml");

/// Files larger than this are not keymaps; refused without reading them.
const MAX_USER_FILE: u64 = 1 << 20;

/// The symbols the thread tree uses, explained at the top of the help.
pub const TREE_MARKS: &[(&str, &str)] = &[
    ("●", "Not read yet"),
    ("*", "Marked: tag keys and U act on all marked (X unmarks)"),
    ("✎", "Has a note (e writes yours, the preview shows all)"),
    ("+", "Has attachments"),
    ("!", "Could not be read completely (see the preview)"),
    (
        "✓ ✗ ?",
        "DKIM: verified for the From domain / altered / signed, key unknown",
    ),
    (
        "1-9 a-z",
        "The tag on that key; a letter: a tag without a key",
    ),
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
    Palette,
}

impl Section {
    pub const ALL: [Section; 9] = [
        Section::Tree,
        Section::Preview,
        Section::Tags,
        Section::Charts,
        Section::Global,
        Section::Prompt,
        Section::Help,
        Section::List,
        Section::Palette,
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
            Section::Palette => "Command palette",
        }
    }

    /// Its name in keymap files (`[[tree]]`).
    pub fn name(self) -> &'static str {
        match self {
            Section::Global => "global",
            Section::Tree => "tree",
            Section::Preview => "preview",
            Section::Tags => "tags",
            Section::Charts => "charts",
            Section::Prompt => "prompt",
            Section::Help => "help",
            Section::List => "list",
            Section::Palette => "palette",
        }
    }

    pub fn from_name(name: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// One key as a keymap names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct KeySpec {
    code: KeyCode,
    ctrl: bool,
}

impl KeySpec {
    /// A digit that can be a tag's key.
    pub(super) fn is_tag_digit(self) -> bool {
        matches!(self.code, KeyCode::Char('1'..='9')) && !self.ctrl
    }
}

#[derive(Debug, Clone)]
pub struct Binding {
    pub(super) keys: Vec<KeySpec>,
    /// The keys as written in the file, for the help screen.
    pub labels: Vec<String>,
    pub action: String,
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

    /// Take `key` away from this binding (a user binding has it now).
    fn unbind(&mut self, key: KeySpec) {
        while let Some(i) = self.keys.iter().position(|k| *k == key) {
            self.keys.remove(i);
            self.labels.remove(i);
        }
    }
}

/// Where the keymap in use came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The built-in keymap alone (no config directory was looked at).
    Builtin,
    /// The built-in keymap; there is no user file at this path.
    NoUserFile(PathBuf),
    /// The built-in keymap changed by the user file at this path.
    User(PathBuf),
    /// The built-in keymap: the user file was refused.
    Refused(KeymapError),
}

#[derive(Debug, Clone)]
pub struct Keymap {
    pub sections: Vec<(Section, Vec<Binding>)>,
    pub origin: Origin,
}

/// The key names a keymap file may use besides single characters.
const NAMED_KEYS: [(&str, KeyCode); 14] = [
    ("Down", KeyCode::Down),
    ("Up", KeyCode::Up),
    ("Left", KeyCode::Left),
    ("Right", KeyCode::Right),
    ("PageDown", KeyCode::PageDown),
    ("PageUp", KeyCode::PageUp),
    ("Home", KeyCode::Home),
    ("End", KeyCode::End),
    ("Enter", KeyCode::Enter),
    ("Esc", KeyCode::Esc),
    ("Tab", KeyCode::Tab),
    ("BackTab", KeyCode::BackTab),
    ("Backspace", KeyCode::Backspace),
    ("Space", KeyCode::Char(' ')),
];

/// The names of [`NAMED_KEYS`], for messages.
pub fn key_names() -> impl Iterator<Item = &'static str> {
    NAMED_KEYS.iter().map(|(name, _)| *name)
}

/// A key as a keymap file writes it: `x`, `C-x` (Ctrl), or a name.
pub(super) fn parse_key(s: &str) -> Option<KeySpec> {
    let (ctrl, name) = match s.strip_prefix("C-") {
        Some(rest) if !rest.is_empty() => (true, rest),
        _ => (false, s),
    };
    if let Some((_, code)) = NAMED_KEYS.iter().find(|(n, _)| *n == name) {
        return Some(KeySpec { code: *code, ctrl });
    }
    let mut chars = name.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if !c.is_control() => Some(KeySpec {
            code: KeyCode::Char(c),
            ctrl,
        }),
        _ => None,
    }
}

impl Keymap {
    /// The keymap shipped in `assets/keymap.toml`.
    pub fn builtin() -> Keymap {
        // The asset is compiled in and checked by a unit test.
        Keymap::parse(DEFAULT_KEYMAP).expect("assets/keymap.toml is valid")
    }

    /// A complete keymap (the built-in one) from its text.
    pub fn parse(text: &str) -> Result<Keymap, KeymapError> {
        let reader = Reader {
            text,
            file: None,
            known_actions: Vec::new(),
        };
        let mut sections: Vec<(Section, Vec<Binding>)> =
            Section::ALL.iter().map(|&s| (s, Vec::new())).collect();
        for entry in reader.read()? {
            if let Some((_, list)) = sections.iter_mut().find(|(s, _)| *s == entry.section) {
                list.push(entry.binding);
            }
        }
        Ok(Keymap {
            sections,
            origin: Origin::Builtin,
        })
    }

    /// The built-in keymap changed by the user's file at `path` (see the
    /// module's documentation for how). A missing file changes nothing; a
    /// file with a mistake changes nothing either, and says so in
    /// [`Keymap::origin`].
    pub fn load(path: &Path) -> Keymap {
        let mut keymap = Keymap::builtin();
        keymap.origin = match read_user_file(path) {
            Ok(None) => Origin::NoUserFile(path.to_path_buf()),
            Ok(Some(text)) => match keymap.with_user_text(&text, path) {
                Ok(changed) => return changed,
                Err(e) => Origin::Refused(e),
            },
            Err(e) => Origin::Refused(e),
        };
        keymap
    }

    /// The keymap for the browser: the built-in one changed by the user's
    /// file in the config directory, if there is one.
    pub fn load_user() -> Keymap {
        crate::config::keymap_path().map_or_else(Keymap::builtin, |p| Keymap::load(&p))
    }

    /// This keymap changed by the user keymap `text`, read from `path`.
    pub fn with_user_text(&self, text: &str, path: &Path) -> Result<Keymap, KeymapError> {
        let known: Vec<&str> = self.bindings().map(|(_, b)| b.action.as_str()).collect();
        let entries = Reader {
            text,
            file: Some(path),
            known_actions: known,
        }
        .read()?;
        let mut keymap = self.clone();
        keymap.apply(entries);
        keymap.origin = Origin::User(path.to_path_buf());
        Ok(keymap)
    }

    /// Apply a user file's entries (checked already).
    fn apply(&mut self, entries: Vec<Entry>) {
        // Keys the user binds leave the built-in actions that had them.
        for entry in &entries {
            for b in self.section_mut(entry.section) {
                if b.action != entry.binding.action {
                    for &key in &entry.binding.keys {
                        b.unbind(key);
                    }
                }
            }
        }
        for entry in entries {
            let known_desc = self
                .bindings()
                .find(|(_, b)| b.action == entry.binding.action)
                .map(|(_, b)| b.desc.clone());
            let list = self.section_mut(entry.section);
            let new = entry.binding;
            if let Some(b) = list.iter_mut().find(|b| b.action == new.action) {
                b.keys = new.keys;
                b.labels = new.labels;
                if !new.desc.is_empty() {
                    b.desc = new.desc;
                }
                if entry.hint.is_some() {
                    b.hint = new.hint;
                }
            } else {
                let desc = if new.desc.is_empty() {
                    known_desc.unwrap_or_else(|| new.action.clone())
                } else {
                    new.desc.clone()
                };
                list.push(Binding { desc, ..new });
            }
        }
    }

    fn section_mut(&mut self, section: Section) -> &mut Vec<Binding> {
        if let Some(i) = self.sections.iter().position(|(s, _)| *s == section) {
            return &mut self.sections[i].1;
        }
        self.sections.push((section, Vec::new()));
        let last = self.sections.len() - 1;
        &mut self.sections[last].1
    }

    pub fn section(&self, section: Section) -> &[Binding] {
        self.sections
            .iter()
            .find(|(s, _)| *s == section)
            .map_or(&[], |(_, b)| b.as_slice())
    }

    /// Every binding with its section, in order.
    pub fn bindings(&self) -> impl Iterator<Item = (Section, &Binding)> {
        self.sections
            .iter()
            .flat_map(|(s, list)| list.iter().map(move |b| (*s, b)))
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
    /// global bindings (except in modal sections: prompt, help, lists and
    /// the palette).
    pub fn lookup(&self, section: Section, key: &KeyEvent) -> Option<Action> {
        let own = self.find(section, key);
        match section {
            Section::Prompt | Section::Help | Section::List | Section::Palette => own,
            _ => own.or_else(|| self.find(Section::Global, key)),
        }
    }

    /// Every binding for the help screen: `(keys, description)` rows with a
    /// section title row (`keys` empty) before each section. Unbound
    /// actions are left out.
    pub fn help_rows(&self) -> Vec<(String, String)> {
        let mut rows = self.origin_rows();
        rows.push((String::new(), "Marks in the thread tree".to_string()));
        for (mark, meaning) in TREE_MARKS {
            rows.push(((*mark).to_string(), (*meaning).to_string()));
        }
        for (section, bindings) in &self.sections {
            let bound: Vec<&Binding> = bindings.iter().filter(|b| !b.keys.is_empty()).collect();
            if bound.is_empty() {
                continue;
            }
            rows.push((String::new(), section.title().to_string()));
            for b in bound {
                rows.push((b.keys_label(), b.desc.clone()));
            }
        }
        rows
    }

    /// The help's first rows: which file the keys come from.
    fn origin_rows(&self) -> Vec<(String, String)> {
        let title = (String::new(), "Your keys".to_string());
        let file = |p: &Path| ("file".to_string(), home_relative(p));
        let mut rows = vec![title];
        match &self.origin {
            Origin::Builtin => rows.push((
                "file".into(),
                "keymap.toml in trawl's config folder (trawl keymap)".into(),
            )),
            Origin::NoUserFile(p) => {
                rows.push(file(p));
                rows.push((String::new(), "not there: the built-in keys below".into()));
            }
            Origin::User(p) => {
                rows.push(file(p));
                rows.push((
                    String::new(),
                    "read: the keys below include its changes".into(),
                ));
            }
            Origin::Refused(e) => {
                if let Some(p) = &e.file {
                    rows.push(file(p));
                }
                let line = e.line.map_or_else(String::new, |n| format!("line {n}: "));
                let text = format!("{line}{}", e.problem);
                for (i, part) in textwrap::wrap(&text, 54).iter().enumerate() {
                    let key = if i == 0 { "refused" } else { "" };
                    rows.push((key.into(), part.to_string()));
                }
                rows.push((String::new(), "the built-in keys below are in use".into()));
            }
        }
        // Continuation rows have a blank key (an empty one is a title).
        for row in &mut rows[1..] {
            if row.0.is_empty() {
                row.0 = " ".into();
            }
        }
        rows
    }

    /// What is wrong with the user's file, in one line that fits the
    /// status bar (the file's name, the line, the mistake), if it was
    /// refused.
    pub fn problem(&self) -> Option<String> {
        match &self.origin {
            Origin::Refused(e) => Some(format!("{} — built-in keys in use", e.short())),
            _ => None,
        }
    }

    /// The first key bound to the action named `action` (as in the keymap
    /// file), for messages that tell the user what to press.
    pub fn key_for(&self, action: &str) -> Option<&str> {
        self.bindings()
            .filter(|(_, b)| b.action == action)
            .find_map(|(_, b)| b.labels.first())
            .map(String::as_str)
    }

    /// `(keys, label)` pairs for the hint bar, in file order.
    pub fn hints(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for section in [Section::Tree, Section::Global] {
            for b in self.section(section) {
                if let (Some(h), false) = (&b.hint, b.keys.is_empty()) {
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

/// `path` with the home folder shown as `~`, to fit narrow screens.
fn home_relative(path: &Path) -> String {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    match home.as_deref().and_then(|h| path.strip_prefix(h).ok()) {
        Some(rest) if home.as_deref() != Some(Path::new("/")) => {
            format!("~/{}", rest.display())
        }
        _ => path.display().to_string(),
    }
}

/// The text of the user file at `path`; `None` if there is none.
fn read_user_file(path: &Path) -> Result<Option<String>, KeymapError> {
    let refuse = |problem: String| KeymapError::new(Some(path), None, &problem);
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(refuse(format!("cannot read it: {e}"))),
    };
    if !meta.is_file() {
        return Err(refuse("not a file".into()));
    }
    if meta.len() > MAX_USER_FILE {
        return Err(refuse(format!(
            "{} bytes is too large for a keymap (at most {MAX_USER_FILE})",
            meta.len()
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| refuse(format!("cannot read it: {e}")))?;
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| refuse("not UTF-8 text".into()))
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
    fn bad_keymaps_are_refused_with_the_culprit_and_its_line() {
        let bad_action = "[[tree]]\nkeys=[\"x\"]\naction=\"explode\"\ndesc=\"\"\n";
        let e = Keymap::parse(bad_action).expect_err("refused");
        assert_eq!(e.line, Some(3));
        assert!(e.problem.contains("unknown action \"explode\""), "{e}");
        let bad_key = "[[tree]]\nkeys=[\"Hyper\"]\naction=\"up\"\ndesc=\"\"\n";
        let e = Keymap::parse(bad_key).expect_err("refused");
        assert_eq!(e.line, Some(2));
        assert!(e.problem.contains("unknown key \"Hyper\""), "{e}");
        let e = Keymap::parse("\n[[tree]\n").expect_err("refused");
        assert_eq!(e.line, Some(2), "{e}");
    }

    /// Every action `Action::from_name` knows is in the built-in keymap,
    /// so the help and the palette (both made from the keymap) list them
    /// all: adding an action without a binding fails here.
    #[test]
    fn every_named_action_is_in_the_builtin_keymap() {
        let source = include_str!("action.rs");
        let body = source
            .split("pub fn from_name")
            .nth(1)
            .and_then(|rest| rest.split("_ => return None").next())
            .expect("from_name's match");
        let names: Vec<&str> = body
            .lines()
            .filter_map(|l| l.trim().strip_prefix('"'))
            .filter_map(|l| l.split('"').next())
            .collect();
        assert!(names.len() > 40, "{names:?}");
        let km = Keymap::builtin();
        for name in names {
            assert!(
                km.bindings().any(|(_, b)| b.action == name),
                "action {name} has no entry in assets/keymap.toml"
            );
        }
        for (_, b) in km.bindings() {
            assert!(!b.desc.is_empty(), "{} has no desc", b.action);
        }
    }
}
