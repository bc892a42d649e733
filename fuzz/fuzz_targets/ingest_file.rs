//! One file of a dump: detection, mail/mbox/Outlook/ZIP parsing, parts,
//! then each document's preview, raw view, header forensics and DKIM.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

#[path = "../harness.rs"]
#[allow(dead_code)] // each target uses half of it
mod harness;

/// One directory per process, reused by every run (trawl takes paths).
fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("trawl-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("cannot create the fuzz directory");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    harness::ingest_file(dir(), data);
});
