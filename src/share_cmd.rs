//! `trawl export` and `trawl import`: open the dump, choose the documents,
//! hand them to [`trawl::share`], say what happened. The file written is
//! never under the dump (the dump is evidence); what goes to a terminal is
//! sanitised, what goes to a file or a pipe is the data, exact.

use std::fmt::Write as _;
use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use trawl::index::progress::thousands;
use trawl::model::DocId;
use trawl::sanitize::sanitize;
use trawl::search::eval::{self, HashIndex, Order};
use trawl::search::query;
use trawl::share::export::{self, Format};
use trawl::share::notmuch;
use trawl::workspace::Workspace;

/// How many unmatched rows, and how many conflicts, are named one by one.
const NAMED: usize = 20;

/// What `trawl export --format` writes.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Csv,
    Jsonl,
    Notmuch,
}

pub fn export(
    dump: &Path,
    format: ExportFormat,
    tag: Option<&str>,
    query_text: Option<&str>,
    output: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let parsed = match query_text.map(query::parse).transpose() {
        Ok(q) => q,
        Err(e) => {
            eprintln!("trawl: invalid query: {}", sanitize(&e.to_string()));
            return Ok(ExitCode::from(2));
        }
    };
    trawl::ingest::check_root(dump)?;
    if let Some(file) = output {
        refuse_inside_dump(dump, file)?;
    }
    let (ws, docs) = chosen(dump, parsed.as_ref(), tag)?;
    let said = if let Some(file) = output {
        let f =
            std::fs::File::create(file).with_context(|| format!("creating {}", file.display()))?;
        let mut out = io::BufWriter::new(f);
        write_export(&ws, &docs, format, false, &mut out)
            .with_context(|| format!("writing {}", file.display()))?
    } else {
        let stdout = io::stdout();
        let terminal = stdout.is_terminal();
        let mut out = io::BufWriter::new(stdout.lock());
        match write_export(&ws, &docs, format, terminal, &mut out) {
            // `trawl export … | head` closing the pipe is not an error.
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
            other => other.context("writing the export")?,
        }
    };
    eprintln!("trawl: {said}");
    Ok(ExitCode::SUCCESS)
}

/// The workspace, and the documents to export in dump order (two exports
/// of one state compare line by line, whatever a search ranked first).
fn chosen(
    dump: &Path,
    query: Option<&query::Query>,
    tag: Option<&str>,
) -> anyhow::Result<(Workspace, Vec<DocId>)> {
    let (ws, mut docs) = if let Some(q) = query {
        let (ws, fulltext) = crate::search_cmd::open_indexed(dump, true)?;
        let hashes = HashIndex::new(&ws.scan.docs);
        let hits = eval::run(q, &ws, &fulltext, &hashes, Order::Date)?;
        (ws, hits)
    } else {
        let ws = crate::search_cmd::open_catalog(dump, true)?;
        let all = (0..ws.scan.docs.len()).collect();
        (ws, all)
    };
    docs.sort_unstable();
    if let Some(name) = tag {
        let Some(t) = ws.tags.iter().find(|t| t.name == name.trim()) else {
            anyhow::bail!("there is no tag named {}", sanitize(name));
        };
        docs.retain(|&d| ws.has_tag(d, t.id));
    }
    Ok((ws, docs))
}

/// Write the export; returns the line that says what was written.
fn write_export(
    ws: &Workspace,
    docs: &[DocId],
    format: ExportFormat,
    terminal: bool,
    out: &mut dyn Write,
) -> io::Result<String> {
    let format = match format {
        ExportFormat::Csv => Format::Csv,
        ExportFormat::Jsonl => Format::Jsonl,
        ExportFormat::Notmuch => {
            let w = notmuch::write_batch(ws, docs, terminal, out)?;
            let mut said = format!("wrote {} lines for notmuch tag --batch", thousands(w.lines));
            if w.without_message_id > 0 {
                let _ = write!(
                    said,
                    "; skipped {} documents with tags or a read mark but no Message-ID",
                    thousands(w.without_message_id)
                );
            }
            for t in &w.too_long {
                let _ = write!(
                    said,
                    "; left out tag {} (longer than notmuch's {} bytes)",
                    sanitize(t),
                    notmuch::TAG_MAX
                );
            }
            return Ok(said);
        }
    };
    let w = export::write(ws, docs, format, terminal, out)?;
    let mut said = format!(
        "exported {} of {} documents",
        thousands(w.rows),
        thousands(ws.scan.docs.len())
    );
    if w.to_unread > 0 {
        let _ = write!(
            said,
            "; the To: of {} messages could not be read back from the dump (their to column holds the catalog's short list)",
            thousands(w.to_unread)
        );
    }
    Ok(said)
}

/// An export written under the dump would change the evidence.
fn refuse_inside_dump(dump: &Path, file: &Path) -> anyhow::Result<()> {
    let root = dump
        .canonicalize()
        .with_context(|| format!("{}", dump.display()))?;
    let parent = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let resolved = match file.canonicalize() {
        Ok(real) => real,
        Err(_) => parent
            .canonicalize()
            .with_context(|| format!("{}: no such folder", parent.display()))?
            .join(file.file_name().unwrap_or_default()),
    };
    if resolved.starts_with(&root) {
        anyhow::bail!(
            "{} is inside the dump; the dump is never written to — write the export elsewhere",
            file.display()
        );
    }
    Ok(())
}

pub fn import(dump: &Path, file: &Path) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let rows = trawl::share::read_rows(&bytes).with_context(|| format!("{}", file.display()))?;
    let mut ws = crate::search_cmd::open_catalog(dump, true)?;
    let s = trawl::share::merge(&mut ws, &rows)?;
    for u in s.unmatched.iter().take(NAMED) {
        eprintln!(
            "trawl: line {}: no document here has sha256 {}{} ({})",
            u.line,
            u.hash,
            u.message_id
                .as_deref()
                .map(|m| format!(" or Message-ID <{}>", sanitize(m)))
                .unwrap_or_default(),
            sanitize(&u.path)
        );
    }
    more(s.unmatched.len(), "unmatched rows");
    for c in s.conflicts.iter().take(NAMED) {
        eprintln!(
            "trawl: line {}: {} has another note by {} here; kept this project's ({:?}), not the file's ({:?})",
            c.line,
            sanitize(&c.path),
            sanitize(&c.author),
            sanitize(&short(&c.local)),
            sanitize(&short(&c.theirs))
        );
    }
    more(s.conflicts.len(), "conflicts");
    for t in &s.tags_created {
        eprintln!("trawl: created tag {}", sanitize(t));
    }
    println!(
        "read {} rows: {} matched, {} unmatched; tags added: {}, notes added: {}, read marks added: {}, conflicts: {}",
        thousands(s.rows),
        thousands(s.matched),
        thousands(s.unmatched.len()),
        thousands(s.tags_added),
        thousands(s.notes_added),
        thousands(s.read_added),
        thousands(s.conflicts.len())
    );
    Ok(ExitCode::SUCCESS)
}

/// `… and 12 more unmatched rows` when a list was cut at [`NAMED`].
fn more(total: usize, what: &str) {
    if total > NAMED {
        eprintln!("trawl: … and {} more {what}", thousands(total - NAMED));
    }
}

/// The start of a note, for a one-line report.
fn short(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}
