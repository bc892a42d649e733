//! What the fuzz targets do with one input. Shared with the main crate's
//! `tests/fuzz_regressions.rs` (through `#[path]`), so that a kept input
//! replays exactly the calls that found it.

use std::path::Path;

/// The names an `ingest_file` input is written under, picked by its first
/// byte: the name takes part in detection (`.eml`, `.mbox`) and in the file
/// type (`.msg`, `.zip`). `fuzz/run.sh` seeds with the same order.
pub const NAMES: [&str; 5] = [
    "message.eml",
    "folder.mbox",
    "no-extension",
    "outlook.msg",
    "archive.zip",
];

/// Most documents of one file whose preview is built (an mbox can hold
/// thousands; each preview reads and parses its message again).
const MAX_PREVIEWS: usize = 32;

/// Write `data[1..]` into `dir` under the name `data[0]` picks, parse it as
/// one file of a dump, and build what the browser shows of its documents.
pub fn ingest_file(dir: &Path, data: &[u8]) {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let path = dir.join(NAMES[usize::from(pick) % NAMES.len()]);
    std::fs::write(&path, bytes).expect("cannot write the input file");
    // Locations keep the path as given: absolute, so the root is empty.
    let root = Path::new("");
    let (docs, _problems) = trawl::ingest::parse_file(&path);
    for doc in docs.iter().take(MAX_PREVIEWS) {
        if let Ok(raw) = trawl::ingest::read_document(root, &doc.location) {
            let _ = trawl::auth::dkim::check(&raw, &|_| Vec::new());
        }
        let _ = trawl::preview::preview(root, doc, 80);
        let _ = trawl::preview::hops_preview(root, doc);
    }
    let _ = trawl::auth::dkim::check(bytes, &|_| Vec::new());
}

/// Parse `data` as a search query when it is UTF-8, and use the result.
pub fn query(data: &[u8]) {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    match trawl::search::query::parse(input) {
        Ok(q) => {
            let _ = q.highlight_words();
            let _ = q.uses_user_state();
        }
        Err(e) => {
            assert!(
                e.position <= input.chars().count(),
                "error position {} past the end of the input",
                e.position
            );
            let _ = e.caret_line(input);
        }
    }
}
