//! The command palette (`:`): every action of the active keymap, by the
//! name the keymap file gives it, with its description and keys, narrowed
//! as the user types. It is made from the keymap itself — there is no
//! list of commands of its own to fall out of date — and `toggle_tag`,
//! which needs a digit, becomes one command per tag.
//!
//! Filtering is fuzzy on the name (`tgv` finds `toggle_tag verified`);
//! commands whose description holds every typed word come after those.

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;

use super::keymap::{Keymap, Section};
use crate::project::{Tag, TagId};
use crate::sanitize::sanitize;

/// The most characters typed into the palette.
pub const MAX_INPUT: usize = 60;

/// How well a command matches: in its name (else its description), the
/// fuzzy score, and its place in the list (earlier first).
type Rank = (bool, i64, std::cmp::Reverse<usize>);

/// What a command does when run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Run {
    /// The action of this name (as in the keymap file).
    Action(String),
    /// Toggle this tag on the selected document (any tag, with a digit or
    /// without).
    ToggleTag(TagId),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub name: String,
    pub desc: String,
    /// The keys that run it, as the help shows them (empty: none).
    pub keys: String,
    pub run: Run,
}

/// A command that matches what is typed, with the characters that match
/// (indices of `char`s in its name, or in its description).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub command: usize,
    pub name_marks: Vec<usize>,
    pub desc_marks: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Palette {
    pub input: String,
    pub commands: Vec<Command>,
    /// The commands that match `input`, best first.
    pub shown: Vec<Shown>,
    /// Index into `shown`.
    pub cursor: usize,
}

/// Sections whose actions make sense from the palette, in the order their
/// commands are listed (the palette is opened from the browser, not from
/// a prompt, the help or a list).
const SECTIONS: [Section; 4] = [
    Section::Global,
    Section::Tree,
    Section::Preview,
    Section::Tags,
];

/// Short names for keys that work only in one pane.
fn pane_name(section: Section) -> &'static str {
    match section {
        Section::Tree => "tree",
        Section::Preview => "preview",
        Section::Tags => "tags",
        _ => "",
    }
}

/// The palette's commands for the `keymap` in use, the project's `tags`,
/// and the pane with the focus (`here`), whose keys are shown first.
pub fn commands(keymap: &Keymap, tags: &[Tag], here: Section) -> Vec<Command> {
    let mut out: Vec<Command> = Vec::new();
    for section in SECTIONS {
        for b in keymap.section(section) {
            if b.action == "command_palette" || out.iter().any(|c| c.name == b.action) {
                continue;
            }
            if b.action == "toggle_tag" {
                out.extend(tag_commands(&b.labels, tags));
                continue;
            }
            out.push(Command {
                name: b.action.clone(),
                desc: b.desc.clone(),
                keys: keys_of(keymap, &b.action, here),
                run: Run::Action(b.action.clone()),
            });
        }
    }
    out
}

/// `toggle_tag`: one command per tag, with its digit when that digit is
/// bound (`labels`).
fn tag_commands<'a>(labels: &'a [String], tags: &'a [Tag]) -> impl Iterator<Item = Command> + 'a {
    tags.iter().map(move |t| {
        let name = sanitize(&t.name);
        let keys = t
            .hotkey
            .map(String::from)
            .filter(|k| labels.contains(k))
            .unwrap_or_default();
        Command {
            name: format!("toggle_tag {name}"),
            desc: format!("Put the tag {name} on the selected document, or take it off"),
            keys,
            run: Run::ToggleTag(t.id),
        }
    })
}

/// The keys that run `action`: in the focused pane or everywhere; else in
/// another pane, which is named.
fn keys_of(keymap: &Keymap, action: &str, here: Section) -> String {
    let order = [
        here,
        Section::Global,
        Section::Tree,
        Section::Preview,
        Section::Tags,
    ];
    for section in order {
        let Some(b) = keymap
            .section(section)
            .iter()
            .find(|b| b.action == action && !b.labels.is_empty())
        else {
            continue;
        };
        let keys = b.keys_label();
        return if section == here || section == Section::Global {
            keys
        } else {
            format!("{keys} ({})", pane_name(section))
        };
    }
    String::new()
}

impl Palette {
    pub fn new(commands: Vec<Command>) -> Palette {
        let mut p = Palette {
            input: String::new(),
            commands,
            shown: Vec::new(),
            cursor: 0,
        };
        p.filter();
        p
    }

    /// The highlighted command.
    pub fn selected(&self) -> Option<&Command> {
        self.shown
            .get(self.cursor)
            .map(|s| &self.commands[s.command])
    }

    /// Type `c` (control characters and input past [`MAX_INPUT`] ignored).
    pub fn push(&mut self, c: char) {
        if self.input.chars().count() < MAX_INPUT && !c.is_control() {
            self.input.push(c);
            self.filter();
        }
    }

    pub fn pop(&mut self) {
        self.input.pop();
        self.filter();
    }

    pub fn clear(&mut self) {
        self.input.clear();
        self.filter();
    }

    /// Move the highlight by `delta` rows, stopping at either end.
    pub fn move_by(&mut self, delta: isize) {
        let last = self.shown.len().saturating_sub(1) as isize;
        self.cursor = (self.cursor as isize + delta).clamp(0, last) as usize;
    }

    /// Recompute `shown` for `input`; the highlight goes to the best.
    fn filter(&mut self) {
        self.cursor = 0;
        let pattern: String = self.input.chars().filter(|c| !c.is_whitespace()).collect();
        if pattern.is_empty() {
            self.shown = (0..self.commands.len())
                .map(|command| Shown {
                    command,
                    name_marks: Vec::new(),
                    desc_marks: Vec::new(),
                })
                .collect();
            return;
        }
        let words: Vec<String> = self
            .input
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        let matcher = SkimMatcherV2::default().ignore_case();
        // Sorted by: found in the name?, score, then the list's order.
        let mut found: Vec<(Rank, Shown)> = Vec::new();
        for (i, c) in self.commands.iter().enumerate() {
            if let Some((score, mut marks)) = matcher.fuzzy_indices(&c.name, &pattern) {
                marks.sort_unstable();
                found.push((
                    (true, score, std::cmp::Reverse(i)),
                    Shown {
                        command: i,
                        name_marks: marks,
                        desc_marks: Vec::new(),
                    },
                ));
            } else if let Some(marks) = words_in(&c.desc, &words) {
                found.push((
                    (false, 0, std::cmp::Reverse(i)),
                    Shown {
                        command: i,
                        name_marks: Vec::new(),
                        desc_marks: marks,
                    },
                ));
            }
        }
        found.sort_by_key(|(rank, _)| std::cmp::Reverse(*rank));
        self.shown = found.into_iter().map(|(_, s)| s).collect();
    }
}

/// Where each of `words` (lower case) first appears in `text`, ignoring
/// case, as `char` indices; `None` unless all of them do.
fn words_in(text: &str, words: &[String]) -> Option<Vec<usize>> {
    let chars: Vec<char> = text.chars().collect();
    let lower: Vec<char> = chars
        .iter()
        .map(|c| c.to_lowercase().next().unwrap_or(*c))
        .collect();
    let mut marks = Vec::new();
    for word in words {
        let w: Vec<char> = word.chars().collect();
        let at = lower.windows(w.len()).position(|win| win == w.as_slice())?;
        marks.extend(at..at + w.len());
    }
    marks.sort_unstable();
    marks.dedup();
    Some(marks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_found_in_descriptions_whatever_their_case() {
        assert_eq!(
            words_in("Link Threads", &["thr".into()]),
            Some(vec![5, 6, 7])
        );
        assert_eq!(words_in("Link threads", &["x".into()]), None);
        assert_eq!(words_in("a b", &["a".into(), "b".into()]), Some(vec![0, 2]));
    }
}
