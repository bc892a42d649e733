//! `trawl keys import DUMP FILE`, `trawl keys fetch DUMP` and `trawl keys
//! list DUMP`: the DKIM public keys a project verifies signatures with.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use trawl::auth::fetch;
use trawl::auth::keys::parse_key_file;
use trawl::project::{KeyAdded, Project};
use trawl::sanitize::sanitize;
use trawl::workspace::Workspace;

/// Unreadable lines reported one by one; the rest are counted.
const MAX_ERRORS_SHOWN: usize = 10;

/// Most bytes read from a key file.
const MAX_KEY_FILE: u64 = 16 << 20;

pub fn import(dump: &Path, file: &Path) -> anyhow::Result<ExitCode> {
    let meta = std::fs::metadata(file).with_context(|| format!("{}", file.display()))?;
    if !meta.is_file() {
        anyhow::bail!("{} is not a file", file.display());
    }
    if meta.len() > MAX_KEY_FILE {
        anyhow::bail!(
            "{} is too large for a key file ({} MB; at most {} MB)",
            file.display(),
            meta.len() >> 20,
            MAX_KEY_FILE >> 20
        );
    }
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let text = String::from_utf8_lossy(&bytes);
    let (keys, errors) = parse_key_file(&text);
    for e in errors.iter().take(MAX_ERRORS_SHOWN) {
        eprintln!("trawl: {}: {}", file.display(), sanitize(&e.to_string()));
    }
    if errors.len() > MAX_ERRORS_SHOWN {
        eprintln!(
            "trawl: {}: … and {} more lines that are not keys",
            file.display(),
            errors.len() - MAX_ERRORS_SHOWN
        );
    }
    if keys.is_empty() {
        anyhow::bail!(
            "no DKIM keys in {} (expected lines like: s1._domainkey.example.com \"v=DKIM1; k=rsa; p=…\")",
            file.display()
        );
    }
    let project = Project::open(dump)?;
    let source = file
        .canonicalize()
        .unwrap_or_else(|_| file.to_path_buf())
        .display()
        .to_string();
    let (mut new, mut another, mut known) = (0, 0, 0);
    for k in &keys {
        match project.store.add_dkim_key(&k.name, &k.record, &source)? {
            KeyAdded::New => new += 1,
            KeyAdded::Another => another += 1,
            KeyAdded::Known => known += 1,
        }
    }
    eprintln!(
        "trawl: {} read from {}: {new} new, {another} more for a name already known (both kept), {known} already kept{}",
        plural(keys.len(), "key"),
        sanitize(&file.display().to_string()),
        if errors.is_empty() {
            String::new()
        } else {
            format!("; {} skipped", plural(errors.len(), "line"))
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// `trawl keys fetch`: the keys of the dump's signers, from DNS.
pub fn fetch(dump: &Path, again: bool) -> anyhow::Result<ExitCode> {
    let ws = Workspace::open(dump)?;
    let store = &ws.project.store;
    let mut names = fetch::wanted_names(&ws.scan.root, &ws.scan.docs);
    let signers = names.len();
    if !again {
        names.retain(|n| store.dkim_records(n).map_or(true, |r| r.is_empty()));
    }
    if names.is_empty() {
        eprintln!(
            "trawl: nothing to ask DNS for: {}",
            if signers == 0 {
                "no message in the dump is DKIM-signed".to_string()
            } else {
                format!(
                    "the keys of all {} are kept (--again asks anyway)",
                    plural(signers, "signer")
                )
            }
        );
        return Ok(ExitCode::SUCCESS);
    }
    let fetcher = fetch::Fetcher::new().map_err(anyhow::Error::msg)?;
    eprintln!("trawl: asking DNS for {}", plural(names.len(), "key"));
    let (mut kept, mut failed) = (0, 0);
    fetch::fetch_into(&fetcher, store, &names, &mut |name, outcome| {
        match outcome {
            fetch::Outcome::Kept(_) => kept += 1,
            fetch::Outcome::Failed(_) => failed += 1,
            fetch::Outcome::NoKey => {}
        }
        println!("{}	{}", sanitize(name), sanitize(&outcome.describe()));
    });
    eprintln!(
        "trawl: {kept} of {} published a key{}",
        plural(names.len(), "name"),
        if failed > 0 {
            format!("; {failed} could not be asked (no network?)")
        } else {
            String::new()
        }
    );
    Ok(if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

pub fn list(dump: &Path) -> anyhow::Result<ExitCode> {
    let project = Project::open(dump)?;
    let keys = project.store.dkim_keys()?;
    if keys.is_empty() {
        eprintln!("trawl: no DKIM keys yet; add some with trawl keys import DUMP FILE");
    }
    for k in keys {
        let when = chrono::DateTime::from_timestamp(k.fetched_at, 0)
            .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_default();
        println!(
            "{}\t{when}\t{}\t{}",
            sanitize(&k.name),
            sanitize(&k.source),
            sanitize(&k.record)
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
