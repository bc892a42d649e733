//! Taking a document out of the dump: saving a copy into a folder the user
//! chose, or handing a copy to an outside viewer.
//!
//! Names come from the dump and are hostile: a name is reduced to one safe
//! file name (no folders, no `..`, no control or invisible characters), the
//! file is created with `create_new` (never replacing anything, not even
//! through a planted symbolic link; a taken name gets ` (2)`, ` (3)` …),
//! and viewers are started directly, never through a shell. The dump
//! itself is never handed out: viewers get a copy.

use std::ffi::OsString;
use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::model::{DocId, Document};

/// Longest file name made, in bytes (file systems allow 255).
const MAX_NAME_BYTES: usize = 120;

/// The name a document is saved under: a message as its subject with
/// `.eml` (`.msg` for an Outlook message), anything else by its own file
/// name (see [`Document::file_name`]); made safe.
pub fn suggested_name(doc: &Document) -> String {
    if !doc.is_mail() {
        return safe_file_name(&doc.file_name());
    }
    let subject = match doc.subject().trim() {
        "" => "message",
        s => s,
    };
    let ext = if doc.is_rfc822() { "eml" } else { "msg" };
    safe_file_name(&format!("{subject}.{ext}"))
}

/// One file name that is safe to create in any folder: the last segment of
/// `name` (after `/` or `\`), without control, format or bidirectional
/// characters, without characters other systems refuse, not `.` or `..`,
/// not hidden, at most [`MAX_NAME_BYTES`]; `document` if nothing is left.
pub fn safe_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let mut out = String::with_capacity(last.len());
    for c in last.chars() {
        let bad = c.is_control()
            || crate::sanitize::is_unsafe(c)
            || matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|' | '\0');
        out.push(if bad { '_' } else { c });
    }
    let trimmed = out.trim_matches(|c: char| c == '.' || c.is_whitespace());
    let mut name = crate::model::prefix_within(trimmed, MAX_NAME_BYTES).to_string();
    if name.chars().all(|c| c == '_') {
        name = "document".to_string();
    }
    name
}

/// Write `bytes` as a new file named `name` (made safe) directly inside
/// `dir`, never replacing a file: a taken name becomes `name (2).ext` …
/// Returns the path written.
pub fn save_into(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<PathBuf> {
    let name = safe_file_name(name);
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s.to_string(), format!(".{e}")),
        _ => (name.clone(), String::new()),
    };
    for n in 1..=999 {
        let candidate = if n == 1 {
            name.clone()
        } else {
            format!("{stem} ({n}){ext}")
        };
        let path = dir.join(&candidate);
        // The name is one plain component: it cannot leave `dir`.
        debug_assert_eq!(path.parent(), Some(dir));
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut file) => {
                let written = file.write_all(bytes).and_then(|()| file.sync_all());
                if let Err(e) = written {
                    drop(file);
                    let _ = std::fs::remove_file(&path);
                    return Err(e);
                }
                return Ok(path);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!("999 files named like {name} already exist there"),
    ))
}

/// Read document `id` (a part: just its own bytes) and save it into `dir`.
pub fn save_document(root: &Path, docs: &[Document], id: DocId, dir: &Path) -> io::Result<PathBuf> {
    let doc = &docs[id];
    let bytes = crate::ingest::read_document(root, &doc.location)?;
    save_into(dir, &suggested_name(doc), &bytes)
}

/// Where viewers get their copies: a private folder of this process.
pub fn viewer_dir() -> io::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("trawl-{}", std::process::id()));
    let mut builder = std::fs::DirBuilder::new();
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    match builder.create(&dir) {
        Ok(()) => Ok(dir),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(dir),
        Err(e) => Err(e),
    }
}

/// How a document is shown outside trawl.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Viewer {
    /// A program that returns at once and opens its own window
    /// (`$TRAWL_OPENER`, `xdg-open`).
    Detached(Vec<OsString>),
    /// A program that takes over the terminal until it exits (`$PAGER`).
    InTerminal(Vec<OsString>),
}

impl Viewer {
    /// The program and its arguments, with `file` last.
    pub fn command(&self, file: &Path) -> std::process::Command {
        let (Viewer::Detached(argv) | Viewer::InTerminal(argv)) = self;
        let mut cmd = std::process::Command::new(&argv[0]);
        cmd.args(&argv[1..]).arg(file);
        cmd
    }
}

/// Which viewer to use, from the environment given as `var`: the
/// `TRAWL_OPENER` command (split on spaces, never run by a shell), else
/// `xdg-open` when there is a display, else the pager (`PAGER`, else
/// `less`) for text; `None` when nothing fits (binary file, no display).
pub fn choose_viewer(var: impl Fn(&str) -> Option<OsString>, is_text: bool) -> Option<Viewer> {
    let words = |v: OsString| -> Vec<OsString> {
        v.to_string_lossy()
            .split_whitespace()
            .map(OsString::from)
            .collect()
    };
    if let Some(argv) = var("TRAWL_OPENER").map(words).filter(|a| !a.is_empty()) {
        return Some(Viewer::Detached(argv));
    }
    let display = ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| var(v).is_some_and(|d| !d.is_empty()));
    if display {
        return Some(Viewer::Detached(vec!["xdg-open".into()]));
    }
    if is_text {
        let pager = var("PAGER")
            .map(words)
            .filter(|a| !a.is_empty())
            .unwrap_or_else(|| vec!["less".into()]);
        return Some(Viewer::InTerminal(pager));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_become_one_safe_name() {
        for (given, want) in [
            ("../../etc/passwd", "passwd"),
            ("/etc/shadow", "shadow"),
            ("..\\..\\boot.ini", "boot.ini"),
            ("..", "document"),
            ("", "document"),
            ("report\u{202e}fdp.exe", "report_fdp.exe"),
            ("a\x1b[2Jb\x07.txt", "a_[2Jb_.txt"),
            (".hidden", "hidden"),
            ("con:tract?.pdf", "con_tract_.pdf"),
            ("facture 2017.pdf", "facture 2017.pdf"),
        ] {
            assert_eq!(safe_file_name(given), want, "{given:?}");
        }
        assert!(safe_file_name(&"é".repeat(500)).len() <= MAX_NAME_BYTES);
    }

    #[test]
    fn viewers_in_order_of_preference_and_never_a_shell() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| OsString::from(v))
            }
        };
        let own = choose_viewer(
            env(&[("TRAWL_OPENER", "evince --fullscreen"), ("DISPLAY", ":0")]),
            false,
        );
        assert_eq!(
            own,
            Some(Viewer::Detached(vec![
                "evince".into(),
                "--fullscreen".into()
            ]))
        );
        let x = choose_viewer(env(&[("DISPLAY", ":0")]), false);
        assert_eq!(x, Some(Viewer::Detached(vec!["xdg-open".into()])));
        let pager = choose_viewer(env(&[("PAGER", "more")]), true);
        assert_eq!(pager, Some(Viewer::InTerminal(vec!["more".into()])));
        assert_eq!(choose_viewer(env(&[]), false), None);
        let less = choose_viewer(env(&[]), true).expect("less");
        // `;` and `$(…)` in a file name are plain bytes of one argument.
        let cmd = less.command(Path::new("/tmp/x; rm -rf ~ $(id).txt"));
        assert_eq!(cmd.get_program(), "less");
        let args: Vec<_> = cmd.get_args().collect();
        assert_eq!(args, ["/tmp/x; rm -rf ~ $(id).txt"]);
    }
}
