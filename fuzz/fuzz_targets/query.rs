//! The search language parser (`trawl::search::query::parse`).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../harness.rs"]
#[allow(dead_code)] // each target uses half of it
mod harness;

fuzz_target!(|data: &[u8]| {
    harness::query(data);
});
