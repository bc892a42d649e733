//! Reading a keymap file — the built-in `assets/keymap.toml` or the user's
//! override — into checked entries, each mistake reported with the line it
//! is on (toml gives byte offsets; they are turned into line numbers here).
//!
//! This module only reads and checks one file; how the user's entries
//! change the built-in keymap is [`super::keymap::Keymap::apply`]'s job.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::action::Action;
use super::keymap::{parse_key, Binding, Section};
use crate::sanitize::sanitize;

/// A keymap file that cannot be used, and where the mistake is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}: {problem}", where_(.file.as_deref()), line_(*.line))]
pub struct KeymapError {
    /// The file (`None`: the built-in keymap).
    pub file: Option<PathBuf>,
    /// 1-based; `None` when the file could not be read at all.
    pub line: Option<usize>,
    pub problem: String,
}

fn where_(file: Option<&Path>) -> String {
    file.map_or_else(
        || "built-in keymap".to_string(),
        |f| f.display().to_string(),
    )
}

fn line_(line: Option<usize>) -> String {
    line.map_or_else(String::new, |n| format!(" line {n}"))
}

impl KeymapError {
    /// `problem` may quote the file: made safe to print here, once.
    pub(super) fn new(file: Option<&Path>, line: Option<usize>, problem: &str) -> KeymapError {
        KeymapError {
            file: file.map(Path::to_path_buf),
            line,
            problem: crate::sanitize::sanitize(problem).into_owned(),
        }
    }

    /// The same message with the file's name only (for the status line,
    /// where the full path does not fit).
    pub fn short(&self) -> String {
        let name = self
            .file
            .as_deref()
            .and_then(Path::file_name)
            .map_or_else(|| "keymap".into(), |n| n.to_string_lossy());
        format!("{name}{}: {}", line_(self.line), self.problem)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBinding {
    keys: Vec<Spanned<String>>,
    action: Spanned<String>,
    desc: Option<String>,
    hint: Option<String>,
}

/// One `[[section]]` entry of a file, checked.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    pub section: Section,
    /// Its keys, action and hint; `desc` is empty when the file gave none.
    pub binding: Binding,
    /// The hint as written: `Some("")` takes the default's hint away.
    pub hint: Option<String>,
    /// The line of its `action`, and of each key.
    pub line: usize,
    pub key_lines: Vec<usize>,
}

/// Where in `text` the byte `offset` is, as a 1-based line number.
fn line_at(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    memchr::memchr_iter(b'\n', &text.as_bytes()[..end]).count() + 1
}

/// The name among `known` that `name` is probably a typo of.
fn closest<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (edit_distance(name, k), k))
        .filter(|&(d, k)| d <= 2 && d < k.chars().count())
        .min_by_key(|&(d, _)| d)
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != cb))
                .min(above + 1)
                .min(row[j] + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

/// Reads keymap files, knowing which file (for messages) and which action
/// names exist (for "did you mean" suggestions).
pub(super) struct Reader<'a> {
    pub text: &'a str,
    pub file: Option<&'a Path>,
    /// Action names to suggest from.
    pub known_actions: Vec<&'a str>,
}

impl Reader<'_> {
    fn error(&self, offset: Option<usize>, problem: &str) -> KeymapError {
        KeymapError::new(self.file, offset.map(|o| line_at(self.text, o)), problem)
    }

    /// Every entry of the file, in file order within each section; a
    /// mistake anywhere refuses the whole file.
    pub fn read(&self) -> Result<Vec<Entry>, KeymapError> {
        let raw: BTreeMap<Spanned<String>, Vec<RawBinding>> =
            toml::from_str(self.text).map_err(|e| {
                let message = e.message().trim_end();
                let message = if message.starts_with("invalid type: map, expected a sequence") {
                    "each binding starts with [[section]], in two brackets".to_string()
                } else {
                    // toml's message can run over lines: one line here.
                    message.lines().collect::<Vec<_>>().join(": ")
                };
                self.error(Some(e.span().map_or(0, |s| s.start)), &message)
            })?;
        // Sections in the file's order, so that line numbers of mistakes
        // come in the order a reader meets them.
        let mut sections: Vec<_> = raw.into_iter().collect();
        sections.sort_by_key(|(name, _)| name.span().start);
        let mut entries = Vec::new();
        for (name, list) in sections {
            let Some(section) = Section::from_name(name.get_ref()) else {
                let names = Section::ALL.map(Section::name);
                let hint = closest(name.get_ref(), names)
                    .map_or_else(String::new, |n| format!("; did you mean [[{n}]]?"));
                return Err(self.error(
                    Some(name.span().start),
                    &format!(
                        "unknown section [[{}]] (sections: {}){hint}",
                        name.get_ref(),
                        names.join(", ")
                    ),
                ));
            };
            let first = entries.len();
            for raw in list {
                let entry = self.entry(section, raw)?;
                self.check_twice(&entries[first..], &entry)?;
                entries.push(entry);
            }
        }
        Ok(entries)
    }

    fn entry(&self, section: Section, raw: RawBinding) -> Result<Entry, KeymapError> {
        let action = raw.action.get_ref().clone();
        let at = raw.action.span().start;
        if Action::from_name(&action, Some('1')).is_none() {
            let hint = closest(&action, self.known_actions.iter().copied())
                .map_or_else(String::new, |n| format!("; did you mean \"{n}\"?"));
            return Err(self.error(Some(at), &format!("unknown action \"{action}\"{hint}")));
        }
        let hint = raw.hint.map(|h| sanitize(&h).into_owned());
        let mut keys = Vec::with_capacity(raw.keys.len());
        let mut key_lines = Vec::with_capacity(raw.keys.len());
        let mut labels = Vec::with_capacity(raw.keys.len());
        for k in raw.keys {
            let spec = parse_key(k.get_ref()).ok_or_else(|| {
                self.error(
                    Some(k.span().start),
                    &format!(
                        "unknown key \"{}\" (a character, C-x for Ctrl, or one of: {})",
                        k.get_ref(),
                        super::keymap::key_names().collect::<Vec<_>>().join(", ")
                    ),
                )
            })?;
            if action == "toggle_tag" && !spec.is_tag_digit() {
                return Err(self.error(
                    Some(k.span().start),
                    &format!(
                        "toggle_tag takes the digits 1-9 (the keys of tags), not \"{}\"",
                        k.get_ref()
                    ),
                ));
            }
            keys.push(spec);
            key_lines.push(line_at(self.text, k.span().start));
            labels.push(k.into_inner());
        }
        Ok(Entry {
            section,
            binding: Binding {
                keys,
                labels,
                action,
                desc: sanitize(&raw.desc.unwrap_or_default()).into_owned(),
                hint: hint.clone().filter(|h| !h.is_empty()),
            },
            hint,
            line: line_at(self.text, at),
            key_lines,
        })
    }

    /// The same action twice in a section, or the same key: refused, with
    /// both lines named (which one should win is for the user to say).
    fn check_twice(&self, earlier: &[Entry], entry: &Entry) -> Result<(), KeymapError> {
        let b = &entry.binding;
        let name = entry.section.name();
        let error =
            |line: usize, problem: String| KeymapError::new(self.file, Some(line), &problem);
        if let Some(e) = earlier.iter().find(|e| e.binding.action == b.action) {
            return Err(error(
                entry.line,
                format!(
                    "\"{}\" is bound twice in [[{name}]] (also on line {}); list all its keys in one entry",
                    b.action, e.line
                ),
            ));
        }
        let key_lines = |e: &Entry| {
            let keys: Vec<_> = e
                .binding
                .keys
                .iter()
                .copied()
                .zip(e.key_lines.iter().copied())
                .collect();
            keys
        };
        let mut seen: Vec<_> = earlier.iter().flat_map(key_lines).collect();
        for (i, (spec, line)) in key_lines(entry).into_iter().enumerate() {
            if let Some((_, other)) = seen.iter().find(|(s, _)| *s == spec) {
                return Err(error(
                    line,
                    format!(
                        "key \"{}\" is bound twice in [[{name}]] (also on line {other})",
                        b.labels[i]
                    ),
                ));
            }
            seen.push((spec, line));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_counted_from_one_and_typos_are_recognised() {
        assert_eq!(line_at("a\nb\nc", 0), 1);
        assert_eq!(line_at("a\nb\nc", 2), 2);
        assert_eq!(line_at("a\nb\nc", 99), 3);
        assert_eq!(closest("qiut", ["quit", "help"]), Some("quit"));
        assert_eq!(closest("treee", ["global", "tree"]), Some("tree"));
        assert_eq!(closest("zzzzzz", ["quit", "help"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
