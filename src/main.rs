//! `trawl`: argument parsing, the panic hook, dispatch. Every error ends as
//! one line on stderr and a non-zero exit; never a backtrace.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use trawl::sanitize::sanitize;
use trawl::workspace::Workspace;

/// Explore a leaked document dump from the keyboard.
#[derive(Parser)]
#[command(name = "trawl", version, args_conflicts_with_subcommands = true)]
struct Cli {
    /// The dump folder to open in the full-screen browser.
    dump: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Print the thread tree of a dump (one line per message).
    Tree {
        /// The dump folder.
        dump: PathBuf,
        /// One JSON object per line instead of tab-separated text.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    trawl::tui::install_panic_hook();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_error(&e),
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            let msg = format!("{e:#}");
            eprintln!("trawl: {}", sanitize(&msg));
            ExitCode::from(1)
        }
    }
}

/// Help and version go to stdout as clap prints them; a usage error becomes
/// one line pointing at `--help`.
fn clap_error(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        let _ = e.print();
        return ExitCode::from(2);
    }
    // clap's message is its first paragraph (sometimes spread over lines).
    let rendered = e.render().to_string();
    let first: Vec<&str> = rendered
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect();
    let first = first.join(" ");
    let first = first.strip_prefix("error: ").unwrap_or(&first);
    eprintln!("trawl: {} (see trawl --help)", sanitize(first));
    ExitCode::from(2)
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match (cli.command, cli.dump) {
        (Some(Command::Tree { dump, json }), _) => tree(&dump, json),
        (None, Some(dump)) => browse(&dump),
        (None, None) => {
            eprintln!("trawl: give the dump folder to open, e.g. trawl assets/sample-dump (see trawl --help)");
            Ok(ExitCode::from(2))
        }
    }
}

fn report_problems(problems: &[trawl::model::Problem]) {
    for p in problems {
        eprintln!(
            "trawl: skipped {}: {}",
            sanitize(&p.path.display().to_string()),
            sanitize(&p.reason)
        );
    }
}

fn browse(dump: &std::path::Path) -> anyhow::Result<ExitCode> {
    trawl::ingest::check_root(dump)?;
    if !io::stdout().is_terminal() {
        anyhow::bail!(
            "the browser needs a terminal; use `trawl tree {}` for plain output",
            dump.display()
        );
    }
    let ws = Workspace::open(dump)?;
    // Listed after the full-screen view closes, where they stay readable;
    // the status bar counts them meanwhile.
    let problems = ws.scan.problems.clone();
    trawl::tui::run(ws).context("terminal error")?;
    report_problems(&problems);
    Ok(ExitCode::SUCCESS)
}

fn tree(dump: &std::path::Path, json: bool) -> anyhow::Result<ExitCode> {
    let ws = Workspace::open(dump)?;
    report_problems(&ws.scan.problems);
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let result = trawl::tree_text::write_tree(&ws, json, &mut out).and_then(|()| out.flush());
    match result {
        // `trawl tree … | head` closing the pipe early is not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        other => {
            other.context("writing the tree")?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
