//! `trawl search DUMP QUERY…`: the query is checked first (a mistake is
//! reported with its position before any work), then the catalog and the
//! full-text index are brought up to date, with progress, and the results
//! are printed one per line.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use trawl::index::catalog;
use trawl::index::progress::Progress;
use trawl::sanitize::sanitize;
use trawl::search::eval::{self, HashIndex, Order};
use trawl::search::fulltext::{FullText, FullTextError, SyncStats};
use trawl::search::query;
use trawl::tree_text::DocJson;
use trawl::workspace::Workspace;

use crate::progress_line;

/// `trawl bench-search`: catalog and index up to date, then the timings.
pub fn bench(dump: &Path, runs: usize, queries: Option<&Path>) -> anyhow::Result<ExitCode> {
    let given = match queries {
        Some(file) => {
            let text = std::fs::read_to_string(file)
                .with_context(|| format!("reading {}", file.display()))?;
            let lines: Vec<String> = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(String::from)
                .collect();
            for q in &lines {
                if let Err(e) = query::parse(q) {
                    anyhow::bail!("query {q:?} in {}: {e}", file.display());
                }
            }
            Some(lines)
        }
        None => None,
    };
    let (ws, fulltext) = open_indexed(dump, true)?;
    let queries = given.unwrap_or_else(|| trawl::search::bench::queries_from(&ws.scan.docs));
    let report = trawl::search::bench::run(&ws, &fulltext, &queries, runs)?;
    println!("{}", serde_json::to_string(&report)?);
    Ok(ExitCode::SUCCESS)
}

/// The workspace of `dump` with its catalog and full-text index brought up
/// to date, with progress on stderr.
/// With `update` false, the catalog and index the last run left are used
/// as they are (each is built if there is none yet).
pub(crate) fn open_indexed(dump: &Path, update: bool) -> anyhow::Result<(Workspace, FullText)> {
    let ws = open_catalog(dump, update)?;
    let fulltext = FullText::open(&ws.project.dir)?;
    if !update && (fulltext.entries() > 0 || ws.scan.docs.is_empty()) {
        return Ok((ws, fulltext));
    }
    match sync_with_progress(&fulltext, dump, &ws.scan.docs) {
        // A browser on the same dump is indexing: search what it has
        // committed so far rather than wait or fail.
        Err(e @ FullTextError::Busy(_)) => {
            eprintln!(
                "trawl: {}; results may be incomplete",
                sanitize(&e.to_string())
            );
        }
        other => {
            other?;
        }
    }
    Ok((ws, fulltext))
}

/// The workspace of `dump` with its catalog brought up to date (progress
/// on stderr), without the full-text index; `update` as for
/// [`open_indexed`].
pub(crate) fn open_catalog(dump: &Path, update: bool) -> anyhow::Result<Workspace> {
    trawl::ingest::check_root(dump)?;
    let data_dir = trawl::project::data_dir()?;
    let project = Workspace::project_for(dump, &data_dir)?;
    let saved = if update {
        None
    } else {
        catalog::load_view(&project.dir)
            .ok()
            .flatten()
            .filter(|c| c.complete)
    };
    let ws = if let Some(c) = saved {
        let scan = trawl::ingest::Scan {
            root: dump.to_path_buf(),
            docs: std::sync::Arc::new(c.docs),
            problems: c.problems,
        };
        Workspace::from_parts(project, scan, c.tree)?
    } else {
        let outcome = progress_line::run(|report| catalog::update(dump, &project.dir, report))?;
        crate::report_problems(&outcome.scan.problems);
        Workspace::from_parts(project, outcome.scan, outcome.tree)?
    };
    Ok(ws)
}

/// Bring the full-text index up to date with `docs`, progress on stderr.
pub fn sync_with_progress(
    fulltext: &FullText,
    dump: &Path,
    docs: &[trawl::model::Document],
) -> Result<SyncStats, FullTextError> {
    let started = std::time::Instant::now();
    progress_line::run(|report| {
        fulltext.sync(dump, docs, &|done, total| {
            report(&Progress::text_indexing(done, total, started.elapsed()));
        })
    })
}

/// `trawl index --text`: the full-text index after the catalog; its
/// figures, with its size on disk.
pub fn index_text(
    project_dir: &Path,
    dump: &Path,
    docs: &[trawl::model::Document],
) -> anyhow::Result<TextStats> {
    let fulltext = FullText::open(project_dir)?;
    let sync = sync_with_progress(&fulltext, dump, docs)?;
    let bytes = walkdir::WalkDir::new(project_dir.join(trawl::search::fulltext::DIR))
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(std::fs::Metadata::is_file)
        .map(|m| m.len())
        .sum();
    Ok(TextStats { sync, bytes })
}

#[derive(serde::Serialize)]
pub struct TextStats {
    #[serde(flatten)]
    pub sync: SyncStats,
    /// Size of the index on disk.
    pub bytes: u64,
}

pub fn run(
    dump: &Path,
    text: &str,
    order: Order,
    limit: Option<usize>,
    json: bool,
    update: bool,
) -> anyhow::Result<ExitCode> {
    let parsed = match query::parse(text) {
        Ok(q) => q,
        Err(e) => {
            eprintln!("trawl: invalid query: {}", sanitize(&e.to_string()));
            eprintln!("trawl:   {}", sanitize(text));
            eprintln!("trawl:   {}", e.caret_line(text));
            return Ok(ExitCode::from(2));
        }
    };
    let (ws, fulltext) = open_indexed(dump, update)?;
    let hashes = HashIndex::new(&ws.scan.docs);
    let hits = eval::run(&parsed, &ws, &fulltext, &hashes, order)?;
    eprintln!(
        "trawl: {} of {} documents match",
        trawl::index::progress::thousands(hits.len()),
        trawl::index::progress::thousands(ws.scan.docs.len())
    );
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let result = write_hits(
        &ws,
        &hits[..limit.unwrap_or(hits.len()).min(hits.len())],
        json,
        &mut out,
    )
    .and_then(|()| out.flush());
    match result {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        other => {
            other.context("writing the results")?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn write_hits(ws: &Workspace, hits: &[usize], json: bool, out: &mut impl Write) -> io::Result<()> {
    for &id in hits {
        let d = ws.doc(id);
        let date = d
            .date
            .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
            .map(|t| t.format("%Y-%m-%d %H:%M").to_string());
        if json {
            writeln!(out, "{}", DocJson::of(ws, id).line()?)?;
        } else {
            writeln!(
                out,
                "{}\t{}\t{}\t{}",
                date.unwrap_or_else(|| "-".into()),
                sanitize(d.sender()),
                sanitize(d.subject()),
                sanitize(&d.location.display())
            )?;
        }
    }
    Ok(())
}
