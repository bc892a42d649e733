//! Handing a copy of a document to an outside viewer: which program
//! (`$TRAWL_OPENER`, `xdg-open` with a display, else a pager for text), a
//! private folder for the copy, and the command, never through a shell.

use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};

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
