//! `trawl`: argument parsing, the panic hook, dispatch. Every error ends as
//! one line on stderr and a non-zero exit; never a backtrace.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

mod keymap_cmd;
mod keys_cmd;
mod progress_line;
mod search_cmd;
mod share_cmd;
mod tag_cmd;

use trawl::sanitize::sanitize;
use trawl::workspace::Workspace;

/// Explore a leaked document dump from the keyboard.
#[derive(Parser)]
#[command(name = "trawl", version, args_conflicts_with_subcommands = true)]
struct Cli {
    /// The dump folder to open in the full-screen browser.
    dump: Option<PathBuf>,
    /// Leave the mouse to the terminal (its own text selection) instead of
    /// clicks and the wheel in trawl (as does the environment variable
    /// `TRAWL_NO_MOUSE=1`).
    #[arg(long)]
    no_mouse: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Measure opening and keystroke costs on an indexed dump (for
    /// BENCHMARKS.md); prints one JSON object.
    #[command(hide = true)]
    BenchUi {
        dump: PathBuf,
        /// Number of moves to time (a tenth as many pages and folds).
        #[arg(long, default_value_t = 2000)]
        keys: usize,
    },
    /// Measure query latency on an indexed dump (for BENCHMARKS.md); prints
    /// one JSON object. Brings the catalog and full-text index up to date
    /// first.
    #[command(hide = true)]
    BenchSearch {
        dump: PathBuf,
        /// Times each query is run.
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Run these queries (one per line; blank lines and lines starting
        /// with # are skipped) instead of a set made from the dump.
        #[arg(long)]
        queries: Option<PathBuf>,
    },
    /// Time text extraction of each file (for BENCHMARKS.md); prints one
    /// JSON object.
    #[command(hide = true)]
    BenchExtract {
        files: Vec<PathBuf>,
        /// Times each file is extracted.
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
    /// Answer extraction requests on stdin (trawl starts these children
    /// itself, one document at a time, with a memory cap).
    #[command(hide = true, name = "extract-worker")]
    ExtractWorker,
    /// Messages the dump's mail replies to or references but that are not
    /// in the dump, each with the messages that reference it.
    Gaps {
        /// The dump folder.
        dump: PathBuf,
        /// One JSON object per missing message instead of text.
        #[arg(long)]
        json: bool,
    },
    /// DKIM public keys the project verifies signatures with (kept in the
    /// project, with where and when each came from).
    Keys {
        #[command(subcommand)]
        action: KeysAction,
    },
    /// Put a tag on every document a search finds (or take it off with
    /// --remove). One line per document changed, printed once the change
    /// is on disk.
    Tag {
        /// The dump folder.
        dump: PathBuf,
        /// The tag (created if it does not exist).
        #[arg(long)]
        tag: String,
        /// Take the tag off instead.
        #[arg(long)]
        remove: bool,
        /// The query, as for `trawl search`.
        #[arg(required = true, num_args = 1.., trailing_var_arg = true, allow_hyphen_values = true)]
        query: Vec<String>,
    },
    /// Build or update the catalog of a dump, with progress; parses only
    /// files that are new or changed since the last run. With --text, the
    /// full-text index too (else the browser and `trawl search` build it
    /// when first needed).
    Index {
        /// The dump folder.
        dump: PathBuf,
        /// Print the run's figures as one JSON object on stdout.
        #[arg(long)]
        json: bool,
        /// Also bring the full-text search index up to date.
        #[arg(long)]
        text: bool,
    },
    /// Find documents: `trawl search DUMP from:ken "raptor deal" -tag:verified`.
    /// Brings the catalog and the full-text index up to date first.
    Search {
        /// The dump folder.
        dump: PathBuf,
        /// The query (see README: words, "phrases", from: to: cc: subject:
        /// body: filename: tag: is:unread has:attachment dkim: date: before:
        /// after:, AND OR NOT -, parentheses).
        /// Everything after the dump folder is the query, so options go
        /// before it.
        #[arg(required = true, num_args = 1.., trailing_var_arg = true, allow_hyphen_values = true)]
        query: Vec<String>,
        /// Order of the results.
        #[arg(long, value_enum, default_value_t = SortBy::Relevance)]
        sort: SortBy,
        /// Print at most this many results (all by default).
        #[arg(long)]
        limit: Option<usize>,
        /// One JSON object per result instead of tab-separated text.
        #[arg(long)]
        json: bool,
        /// Search the catalog and index as the last run left them, without
        /// looking at the dump for changes (faster on a dump known not to
        /// change; they are built if there are none yet).
        #[arg(long)]
        no_update: bool,
    },
    /// Write every document's identity and your work on it (tags, notes,
    /// read mark) for a colleague: `trawl export DUMP --format jsonl
    /// --output mine.jsonl`. One row per document (`notmuch`: one
    /// `notmuch tag --batch` line per tagged or read message).
    Export {
        /// The dump folder.
        dump: PathBuf,
        /// csv, jsonl, or notmuch.
        #[arg(long, value_enum)]
        format: share_cmd::ExportFormat,
        /// Only the documents carrying this tag.
        #[arg(long)]
        tag: Option<String>,
        /// Only the documents this search finds (as for `trawl search`).
        #[arg(long)]
        query: Option<String>,
        /// Write here instead of stdout (never inside the dump).
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Merge a colleague's export (CSV or JSON lines) into this project:
    /// tags and read marks united, notes kept from both under their
    /// authors; conflicts and rows that match no document are listed.
    Import {
        /// The dump folder.
        dump: PathBuf,
        /// The file `trawl export` wrote.
        file: PathBuf,
    },
    /// Where your keymap file is, whether it is valid, and the keys in use
    /// (one binding per line: section, keys, action, description). Exits
    /// with 1 if the file has a mistake, naming its line.
    Keymap {
        /// Print the built-in keymap file instead (to copy entries from).
        #[arg(long)]
        default: bool,
    },
    /// Print the thread tree of a dump (one line per message).
    Tree {
        /// The dump folder.
        dump: PathBuf,
        /// One JSON object per line instead of tab-separated text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum KeysAction {
    /// Read TXT records from FILE, one `selector._domainkey.domain` name
    /// and its record per line (as `dig` or a zone file prints them).
    Import {
        /// The dump folder.
        dump: PathBuf,
        /// The key file.
        file: PathBuf,
    },
    /// Ask DNS for the key of every signer in the dump — the one command
    /// that uses the network. Each key is kept with the time it was
    /// fetched; a name whose key is already kept is skipped unless --again.
    Fetch {
        /// The dump folder.
        dump: PathBuf,
        /// Ask again for names with a key kept (a rotated key is kept too).
        #[arg(long)]
        again: bool,
    },
    /// Print the keys kept: name, when, source, record.
    List {
        /// The dump folder.
        dump: PathBuf,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum SortBy {
    Relevance,
    Date,
}

fn main() -> ExitCode {
    trawl::tui::install_panic_hook();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_error(&e),
    };
    // Documents are extracted in child processes of this same binary.
    if let Ok(exe) = std::env::current_exe() {
        trawl::extract::worker::use_worker_binary(exe);
    }
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
        (Some(Command::Tree { dump, json }), _) => {
            listing(&dump, json, "tree", trawl::tree_text::write_tree)
        }
        (Some(Command::Index { dump, json, text }), _) => index(&dump, json, text),
        (
            Some(Command::Search {
                dump,
                query,
                sort,
                limit,
                json,
                no_update,
            }),
            _,
        ) => search_cmd::run(
            &dump,
            &query.join(" "),
            sort_order(sort),
            limit,
            json,
            !no_update,
        ),
        (Some(Command::BenchUi { dump, keys }), _) => {
            let report = trawl::tui::bench::run(|| open_from_catalog(&dump), keys, (160, 48))?;
            println!("{}", serde_json::to_string(&report)?);
            Ok(ExitCode::SUCCESS)
        }
        (
            Some(Command::BenchSearch {
                dump,
                runs,
                queries,
            }),
            _,
        ) => search_cmd::bench(&dump, runs, queries.as_deref()),
        (Some(Command::BenchExtract { files, runs }), _) => bench_extract(&files, runs),
        (Some(Command::Gaps { dump, json }), _) => {
            listing(&dump, json, "gaps", trawl::gaps::write_gaps)
        }
        (
            Some(Command::Tag {
                dump,
                tag,
                remove,
                query,
            }),
            _,
        ) => tag_cmd::run(&dump, &tag, remove, &query.join(" ")),
        (
            Some(Command::Export {
                dump,
                format,
                tag,
                query,
                output,
            }),
            _,
        ) => share_cmd::export(
            &dump,
            format,
            tag.as_deref(),
            query.as_deref(),
            output.as_deref(),
        ),
        (Some(Command::Import { dump, file }), _) => share_cmd::import(&dump, &file),
        (Some(Command::Keys { action }), _) => match action {
            KeysAction::Import { dump, file } => keys_cmd::import(&dump, &file),
            KeysAction::Fetch { dump, again } => keys_cmd::fetch(&dump, again),
            KeysAction::List { dump } => keys_cmd::list(&dump),
        },
        (Some(Command::Keymap { default }), _) => keymap_cmd::run(default),
        (Some(Command::ExtractWorker), _) => {
            trawl::extract::worker::serve()?;
            Ok(ExitCode::SUCCESS)
        }
        (None, Some(dump)) => browse(&dump, !cli.no_mouse && !no_mouse_env()),
        (None, None) => {
            eprintln!("trawl: give the dump folder to open, e.g. trawl assets/sample-dump (see trawl --help)");
            Ok(ExitCode::from(2))
        }
    }
}

fn sort_order(sort: SortBy) -> trawl::search::eval::Order {
    match sort {
        SortBy::Relevance => trawl::search::eval::Order::Relevance,
        SortBy::Date => trawl::search::eval::Order::Date,
    }
}

pub(crate) fn report_problems(problems: &[trawl::model::Problem]) {
    for p in problems {
        eprintln!(
            "trawl: skipped {}: {}",
            sanitize(&p.path.display().to_string()),
            sanitize(&p.reason)
        );
    }
}

/// `TRAWL_NO_MOUSE` set to anything but empty or `0`.
fn no_mouse_env() -> bool {
    std::env::var_os("TRAWL_NO_MOUSE").is_some_and(|v| !v.is_empty() && v != "0")
}

fn browse(dump: &std::path::Path, mouse: bool) -> anyhow::Result<ExitCode> {
    trawl::ingest::check_root(dump)?;
    if !io::stdout().is_terminal() {
        anyhow::bail!(
            "the browser needs a terminal; use `trawl tree {}` for plain output",
            dump.display()
        );
    }
    let ws = open_from_catalog(dump)?;
    let background = trawl::tui::spawn_index(
        dump.to_path_buf(),
        ws.project.dir.clone(),
        std::sync::Arc::clone(&ws.scan.docs),
        true,
    );
    let keymap = trawl::tui::keymap::Keymap::load_user();
    let refused = match &keymap.origin {
        trawl::tui::keymap::Origin::Refused(e) => Some(e.to_string()),
        _ => None,
    };
    let ws = trawl::tui::run(ws, keymap, Some(background), mouse).context("terminal error")?;
    // Listed after the full-screen view closes, where they stay readable;
    // the status bar counts them meanwhile (and shows a refused keymap).
    report_problems(&ws.scan.problems);
    if let Some(e) = refused {
        eprintln!("trawl: {} (the built-in keys were used)", sanitize(&e));
    }
    Ok(ExitCode::SUCCESS)
}

/// Open at once from the catalog the last run left (empty on a first open);
/// the TUI then brings it up to date in the background.
fn open_from_catalog(dump: &std::path::Path) -> anyhow::Result<Workspace> {
    use trawl::index::catalog;
    let project = Workspace::project_for(dump, &trawl::project::data_dir()?)?;
    let (docs, problems, tree) = match catalog::load_view(&project.dir) {
        Ok(Some(c)) if c.complete => (c.docs, c.problems, c.tree),
        // A damaged catalog is derived data: drop it, rebuild it.
        Err(_) => {
            catalog::discard(&project.dir);
            Default::default()
        }
        // No catalog yet, or an interrupted one: the background run builds
        // (or resumes) it.
        _ => Default::default(),
    };
    let scan = trawl::ingest::Scan {
        root: dump.to_path_buf(),
        docs: std::sync::Arc::new(docs),
        problems,
    };
    Ok(Workspace::from_parts(project, scan, tree)?)
}

/// `trawl bench-extract FILE…`: each file read, then extracted `runs`
/// times the way the preview does it (in an extraction child; the first
/// run starts the child); the median time to its text, and what came out.
fn bench_extract(files: &[PathBuf], runs: usize) -> anyhow::Result<ExitCode> {
    let mut out = Vec::new();
    for file in files {
        let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut times = Vec::new();
        let mut last = None;
        for _ in 0..runs.max(1) {
            let t = std::time::Instant::now();
            last = Some(trawl::extract::worker::extract_isolated(
                bytes.clone(),
                name.clone(),
                trawl::extract::MAX_TIME,
            ));
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        times.sort_by(f64::total_cmp);
        let (kind, chars, error) = match last {
            Some(Ok(x)) => (x.kind, x.text.chars().count(), None),
            Some(Err(e)) => (String::new(), 0, Some(e)),
            None => (String::new(), 0, None),
        };
        out.push(serde_json::json!({
            "file": name,
            "bytes": bytes.len(),
            "kind": kind,
            "text_chars": chars,
            "error": error,
            "median_ms": times[times.len() / 2],
            "max_ms": times[times.len() - 1],
        }));
    }
    println!("{}", serde_json::json!({ "runs": runs, "files": out }));
    Ok(ExitCode::SUCCESS)
}

fn index(dump: &std::path::Path, json: bool, text: bool) -> anyhow::Result<ExitCode> {
    let project = trawl::workspace::Workspace::project_for(dump, &trawl::project::data_dir()?)?;
    let outcome =
        progress_line::run(|report| trawl::index::catalog::update(dump, &project.dir, report))?;
    report_problems(&outcome.scan.problems);
    let s = &outcome.stats;
    if let Some(e) = &s.save_error {
        eprintln!("trawl: {}", sanitize(e));
        return Ok(ExitCode::from(1));
    }
    eprintln!("trawl: {}", index_summary(s));
    eprintln!(
        "trawl: {}",
        match outcome.scan.problems.len() {
            0 => "every file was read".to_string(),
            1 => "1 file could not be read (above, with the reason)".to_string(),
            n => format!(
                "{} files could not be read (above, each with its reason)",
                trawl::index::progress::thousands(n)
            ),
        }
    );
    let text = if text {
        let t = search_cmd::index_text(&project.dir, dump, &outcome.scan.docs)?;
        eprintln!("trawl: {}", text_summary(s, &t));
        Some(t)
    } else {
        None
    };
    if json {
        let figures = IndexJson { catalog: s, text };
        println!("{}", serde_json::to_string(&figures)?);
    }
    Ok(ExitCode::SUCCESS)
}

/// `trawl index --json`: the catalog's figures, and the text index's
/// under `text` when it was built.
#[derive(serde::Serialize)]
struct IndexJson<'a> {
    #[serde(flatten)]
    catalog: &'a trawl::index::catalog::Stats,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<search_cmd::TextStats>,
}

/// `search index: 20,155 entries (20,155 added, 0 removed) in 0.9 s; …`
fn text_summary(s: &trawl::index::catalog::Stats, t: &search_cmd::TextStats) -> String {
    use trawl::index::progress::thousands;
    let share = if s.bytes > 0 {
        t.bytes as f64 * 100.0 / s.bytes as f64
    } else {
        0.0
    };
    let total = s.seconds + t.sync.seconds;
    format!(
        "search index: {} entries ({} added, {} removed) in {:.2} s; {:.1} MB ({share:.0}% of the dump); catalog and search index together {:.2} s: {:.0} msg/s",
        thousands(t.sync.entries),
        thousands(t.sync.added),
        thousands(t.sync.deleted),
        t.sync.seconds,
        t.bytes as f64 / 1e6,
        total,
        s.messages as f64 / total.max(1e-9)
    )
}

/// `indexed 20,155 messages (20,156 files, 67 MB) in 0.4 s: 50,388 msg/s, …`
fn index_summary(s: &trawl::index::catalog::Stats) -> String {
    use trawl::index::progress::thousands;
    let mb = |b: u64| b as f64 / 1e6;
    let share = if s.bytes > 0 {
        s.catalog_bytes as f64 * 100.0 / s.bytes as f64
    } else {
        0.0
    };
    if !s.changed {
        return format!(
            "up to date: {} messages in {} files, nothing changed ({:.2} s); catalog {:.1} MB ({share:.0}% of the dump)",
            thousands(s.messages),
            thousands(s.files),
            s.seconds,
            mb(s.catalog_bytes)
        );
    }
    let secs = s.seconds.max(1e-6);
    format!(
        "indexed {} messages ({} files, {:.0} MB; {} read, {} unchanged, {} gone) in {:.2} s: {:.0} msg/s, {:.0} MB/s; catalog {:.1} MB ({share:.0}% of the dump)",
        thousands(s.messages),
        thousands(s.files),
        mb(s.bytes),
        thousands(s.parsed_files),
        thousands(s.reused_files),
        thousands(s.vanished_files),
        s.seconds,
        s.messages as f64 / secs,
        mb(s.parsed_bytes) / secs,
        mb(s.catalog_bytes)
    )
}

/// `trawl tree` and `trawl gaps`: open the dump, then `write` a listing of
/// it to stdout (`what` names it in an error).
fn listing(
    dump: &std::path::Path,
    json: bool,
    what: &str,
    write: fn(&Workspace, bool, &mut dyn Write) -> io::Result<()>,
) -> anyhow::Result<ExitCode> {
    let ws = Workspace::open(dump)?;
    report_problems(&ws.scan.problems);
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match write(&ws, json, &mut out).and_then(|()| out.flush()) {
        // `trawl tree … | head` closing the pipe early is not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        other => {
            other.with_context(|| format!("writing the {what}"))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
