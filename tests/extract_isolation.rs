//! Extraction runs in child processes with a memory cap and a time limit:
//! a decompression bomb or a file that takes too long costs one document
//! its text, never trawl its memory or its keyboard.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use trawl::extract::worker::{extract_isolated, use_worker_binary, MAX_MEMORY};

/// A zlib stream that inflates to `total` zero bytes (a multiple of 1 MiB)
/// from a few kilobytes per gigabyte: one byte-aligned deflate block that
/// inflates to 1 MiB of zeros after a window of zeros, repeated.
fn zlib_zeros(total: u64) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress};
    const CHUNK: usize = 1 << 20;
    let zeros = vec![0u8; CHUNK];
    let mut c = Compress::new(Compression::best(), true);
    let mut first = Vec::with_capacity(CHUNK);
    c.compress_vec(&zeros, &mut first, FlushCompress::Sync)
        .expect("compress");
    let mut again = Vec::with_capacity(CHUNK);
    c.compress_vec(&zeros, &mut again, FlushCompress::Sync)
        .expect("compress");
    let mut out = first;
    for _ in 1..total / CHUNK as u64 {
        out.extend_from_slice(&again);
    }
    // An empty final block, then the Adler-32 of `total` zeros.
    out.extend_from_slice(&[0x03, 0x00]);
    let adler = (((total % 65521) as u32) << 16) | 1;
    out.extend_from_slice(&adler.to_be_bytes());
    out
}

/// A one-page PDF whose page content is `zlib_zeros(total)`.
fn pdf_bomb(total: u64) -> Vec<u8> {
    use lopdf::{dictionary, Stream};
    let mut stream = Stream::new(dictionary! { "Filter" => "FlateDecode" }, zlib_zeros(total));
    stream.allows_compression = false;
    let (mut doc, _) = common::one_page_pdf(stream);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("pdf");
    out
}

fn trawl_binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_trawl"))
}

#[test]
fn the_bomb_is_what_it_claims() {
    use std::io::Read;
    let z = zlib_zeros(8 << 20);
    let mut inflated = Vec::new();
    flate2::read::ZlibDecoder::new(z.as_slice())
        .read_to_end(&mut inflated)
        .expect("a valid zlib stream");
    assert_eq!(inflated.len(), 8 << 20);
    assert!(inflated.iter().all(|b| *b == 0));
    assert!(z.len() < 64 << 10, "{} bytes", z.len());
}

/// A PDF whose one page inflates to 1.5 GiB: the child extracting it hits
/// its memory cap and dies; `trawl` reports that in one line and goes on.
#[test]
fn a_pdf_bomb_costs_its_text_not_the_process() {
    let dir = tempfile::tempdir().expect("tmp");
    let bomb = dir.path().join("bomb.pdf");
    std::fs::write(&bomb, pdf_bomb(MAX_MEMORY + (MAX_MEMORY >> 1))).expect("write");
    let fine = dir.path().join("fine.csv");
    std::fs::write(&fine, "a,b\n1,2\n").expect("write");
    let started = Instant::now();
    let out = std::process::Command::new(trawl_binary())
        .args(["bench-extract", "--runs", "1"])
        .arg(&bomb)
        .arg(&fine)
        .output()
        .expect("run trawl");
    let took = started.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let files = report["files"].as_array().expect("files");
    let why = files[0]["error"].as_str().expect("the bomb has an error");
    assert!(
        why.contains("more than 1024 MB of memory"),
        "bomb: {why} ({took:?})"
    );
    assert_eq!(files[1]["kind"], "csv", "the next file is still read");
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

/// Past the time limit the child is killed and the document says so; the
/// next extraction gets a fresh child and works.
#[test]
fn a_slow_extraction_is_given_up_and_the_next_one_works() {
    use std::fmt::Write as _;
    use_worker_binary(trawl_binary().to_path_buf());
    let mut big = String::from("id,amount,memo\n");
    for i in 0..400_000 {
        let _ = writeln!(big, "{i},{},line {i} of the ledger", i * 7);
    }
    let why = extract_isolated(
        big.into_bytes(),
        "ledger.csv".into(),
        Duration::from_millis(1),
    )
    .expect_err("cannot finish in a millisecond");
    assert!(why.starts_with("gave up after"), "{why}");
    let x = extract_isolated(
        b"a\tb\n1\t2\n".to_vec(),
        "t.tsv".into(),
        Duration::from_secs(10),
    )
    .expect("extracted");
    assert_eq!((x.kind.as_str(), x.text.as_str()), ("tsv", "a\tb\n1\t2\n"));
}
