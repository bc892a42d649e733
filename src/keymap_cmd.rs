//! `trawl keymap`: where the user's keymap file is looked for, whether it
//! can be used, and the keys in use; `--default` prints the built-in file
//! to copy entries from.

use std::io::{self, Write};
use std::process::ExitCode;

use trawl::sanitize::sanitize;
use trawl::tui::keymap::{Keymap, Origin, DEFAULT_KEYMAP};

pub fn run(default: bool) -> anyhow::Result<ExitCode> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    if default {
        return finish(
            out.write_all(DEFAULT_KEYMAP.as_bytes()),
            out,
            ExitCode::SUCCESS,
        );
    }
    let keymap = Keymap::load_user();
    let (message, code) = match &keymap.origin {
        Origin::Builtin => (
            format!(
                "no config folder found (set {}); the built-in keys are in use",
                trawl::config::CONFIG_DIR_ENV
            ),
            ExitCode::SUCCESS,
        ),
        Origin::NoUserFile(p) => (
            format!(
                "{} does not exist; the built-in keys are in use",
                p.display()
            ),
            ExitCode::SUCCESS,
        ),
        Origin::User(p) => (
            format!(
                "{} is valid; its changes are in the keys listed",
                p.display()
            ),
            ExitCode::SUCCESS,
        ),
        Origin::Refused(e) => (
            format!("{e} (the built-in keys listed are used instead)"),
            ExitCode::from(1),
        ),
    };
    eprintln!("trawl: {}", sanitize(&message));
    let written = keymap.bindings().try_for_each(|(section, b)| {
        writeln!(
            out,
            "{}\t{}\t{}\t{}",
            section.name(),
            b.labels.join(" "),
            b.action,
            b.desc
        )
    });
    finish(written, out, code)
}

/// `trawl keymap | head` closing the pipe early is not an error.
fn finish(
    written: io::Result<()>,
    mut out: impl Write,
    code: ExitCode,
) -> anyhow::Result<ExitCode> {
    match written.and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(code),
        Err(e) => Err(anyhow::Error::new(e).context("writing the keymap")),
        Ok(()) => Ok(code),
    }
}
