//! Replays the inputs kept from fuzzing (`fuzz/`, see `fuzz/RESULTS.md`):
//! each file of `tests/data/fuzz-regressions/` goes through the same calls
//! as the fuzz target its name starts with, must not panic and must finish
//! within a few seconds (in a debug build).

use std::path::Path;
use std::time::{Duration, Instant};

#[path = "../fuzz/harness.rs"]
mod harness;

const LIMIT: Duration = Duration::from_secs(5);

#[test]
fn every_kept_fuzz_input_completes_quickly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz-regressions");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("the regression folder")
        .map(|e| e.expect("a folder entry").path())
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no inputs in {}", dir.display());
    for path in paths {
        let name = path.file_name().expect("a file name").to_string_lossy();
        let data = std::fs::read(&path).expect("a readable input");
        // Shown if the input panics.
        eprintln!("replaying {name}");
        let start = Instant::now();
        if name.starts_with("ingest_file-") {
            let tmp = tempfile::tempdir().expect("a temporary folder");
            harness::ingest_file(tmp.path(), &data);
        } else if name.starts_with("query-") {
            harness::query(&data);
        } else {
            panic!("{name}: the name must start with ingest_file- or query-");
        }
        let took = start.elapsed();
        assert!(took < LIMIT, "{name} took {took:?} (limit {LIMIT:?})");
    }
}
