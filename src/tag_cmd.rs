//! `trawl tag DUMP --tag NAME [--remove] QUERY…`: put a tag on (or take it
//! off) every document a search finds. Each change is committed before it
//! is printed, one line per document, so a line on stdout means the change
//! is on disk — whatever happens to the process after.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use trawl::index::progress::thousands;
use trawl::sanitize::sanitize;
use trawl::search::eval::{self, HashIndex, Order};
use trawl::search::query;

pub fn run(dump: &Path, tag: &str, remove: bool, text: &str) -> anyhow::Result<ExitCode> {
    let parsed = match query::parse(text) {
        Ok(q) => q,
        Err(e) => {
            eprintln!("trawl: invalid query: {}", sanitize(&e.to_string()));
            return Ok(ExitCode::from(2));
        }
    };
    let (mut ws, fulltext) = crate::search_cmd::open_indexed(dump, true)?;
    let existing = ws.tags.iter().find(|t| t.name == tag.trim()).map(|t| t.id);
    let id = match (existing, remove) {
        (Some(id), _) => id,
        (None, true) => anyhow::bail!("there is no tag named {}", sanitize(tag)),
        (None, false) => {
            let t = ws.create_tag(tag)?;
            eprintln!("trawl: created tag {}", sanitize(&t.name));
            t.id
        }
    };
    let hashes = HashIndex::new(&ws.scan.docs);
    let hits = eval::run(&parsed, &ws, &fulltext, &hashes, Order::Date)?;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let (mut changed, mut already) = (0usize, 0usize);
    for doc in hits {
        if ws.has_tag(doc, id) != remove {
            already += 1;
            continue;
        }
        ws.toggle_tag(doc, id)?;
        changed += 1;
        let line = writeln!(
            out,
            "{}\t{}",
            if remove { "untagged" } else { "tagged" },
            sanitize(&ws.doc(doc).location.display())
        )
        .and_then(|()| out.flush());
        if let Err(e) = line {
            if e.kind() != io::ErrorKind::BrokenPipe {
                return Err(e.into());
            }
        }
    }
    eprintln!(
        "trawl: {} {} {} ({} already {})",
        if remove { "took" } else { "put" },
        sanitize(tag),
        if remove {
            format!("off {} documents", thousands(changed))
        } else {
            format!("on {} documents", thousands(changed))
        },
        thousands(already),
        if remove { "without it" } else { "had it" }
    );
    Ok(ExitCode::SUCCESS)
}
