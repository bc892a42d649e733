//! Text extraction against real office and PDF files with the text another
//! extractor (textract) gets from them: `../shared/corpus/attachments`
//! (see its SOURCE.md). The match is the share of the expected words found
//! in trawl's text, in multiset terms, ignoring case, whitespace and
//! punctuation, and the other way round (trawl adding junk would show);
//! each format's figures are printed and must reach their floors.

mod common;

use std::collections::HashMap;

use trawl::extract::{self, ExtractError};

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Share of `expected`'s words (with repeats) that `got` has.
fn recall(expected: &str, got: &str) -> f64 {
    let mut have: HashMap<String, usize> = HashMap::new();
    for w in words(got) {
        *have.entry(w).or_default() += 1;
    }
    let want = words(expected);
    let mut found = 0usize;
    for w in &want {
        if let Some(n) = have.get_mut(w).filter(|n| **n > 0) {
            *n -= 1;
            found += 1;
        }
    }
    found as f64 / want.len().max(1) as f64
}

#[test]
fn extracted_text_matches_the_expected_text() {
    let Some(corpus) = common::corpus("attachments") else {
        return;
    };
    // (folder, the least share of expected words trawl must find)
    let formats = [
        ("pdf", 0.95),
        ("docx", 0.95),
        ("doc", 0.95),
        ("xlsx", 0.90),
        ("xls", 0.90),
        ("pptx", 0.95),
        ("odt", 0.95),
        ("ods", 0.90),
        ("rtf", 0.90),
    ];
    let mut report = Vec::new();
    let mut failed = Vec::new();
    for (format, floor) in formats {
        let dir = corpus.join(format);
        let doc = dir.join(format!("raw_text.{format}"));
        let bytes = std::fs::read(&doc).expect("document");
        let expected = std::fs::read_to_string(dir.join("raw_text.txt")).expect("expected text");
        let name = doc
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match extract::extract(&bytes, &name) {
            Ok(out) => {
                assert_eq!(out.kind, format, "{format} recognised by content");
                let r = recall(&expected, &out.text);
                // And the other way: what trawl adds that is not expected
                // (sheet names, numbers formatted another way).
                let p = recall(&out.text, &expected);
                report.push(format!(
                    "{format:5} {:5.1}% of {} expected words found (floor {:.0}%); {:5.1}% of trawl's {} words expected",
                    r * 100.0,
                    words(&expected).len(),
                    floor * 100.0,
                    p * 100.0,
                    words(&out.text).len(),
                ));
                if r < floor || p < 0.8 {
                    failed.push(format!(
                        "{format}: {:.1}%\n--- got:\n{}",
                        r * 100.0,
                        out.text
                    ));
                }
            }
            Err(e) => failed.push(format!("{format}: {e}")),
        }
    }
    println!("text extraction against ../shared/corpus/attachments:");
    for line in &report {
        println!("  {line}");
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn legacy_office_metadata_and_damaged_files_give_a_reason_not_a_panic() {
    if let Some(corpus) = common::corpus("attachments") {
        // The summary properties of legacy Word and Excel files.
        let doc = std::fs::read(corpus.join("doc/raw_text.doc")).expect("doc");
        let x = extract::extract(&doc, "raw_text.doc").expect("doc");
        assert_eq!(x.get("creator"), Some("Dean Malmgren"));
        assert_eq!(x.get("company"), Some("Datascope Analytics"));
        assert_eq!(x.get("created"), Some("2014-07-07 20:35:00 UTC"));
        assert_eq!(x.get("application"), Some("Microsoft Macintosh Word"));
        let xls = std::fs::read(corpus.join("xls/raw_text.xls")).expect("xls");
        let x = extract::extract(&xls, "raw_text.xls").expect("xls");
        assert_eq!(x.get("creator"), Some("John Walkenbach"));
        assert_eq!(x.get("modified"), Some("2006-11-13 20:25:46 UTC"));
        // Every format cut in half, and cut at every 64th byte of its
        // first 4 KB: an error or some text, never a panic.
        for format in [
            "pdf", "docx", "doc", "xlsx", "xls", "pptx", "odt", "ods", "rtf", "msg",
        ] {
            let bytes =
                std::fs::read(corpus.join(format).join(format!("raw_text.{format}"))).expect("doc");
            let half = &bytes[..bytes.len() / 2];
            let _ = extract::extract(half, &format!("half.{format}"));
        }
        let mut damaged = doc.clone();
        for at in (0..4096.min(damaged.len())).step_by(64) {
            damaged[at] ^= 0xFF;
            let _ = extract::extract(&damaged, "damaged.doc");
        }
    }
    assert!(matches!(
        extract::extract(b"%PDF-1.4\n garbage", "x.pdf"),
        Err(ExtractError::Damaged(..) | ExtractError::Crashed(..))
    ));
    assert!(extract::extract(b"PK\x03\x04 not really", "x.docx").is_err());
}

/// A DOCX whose one part unpacks to far more than the limit (a ZIP bomb):
/// refused without unpacking it all.
#[test]
fn a_zip_bomb_is_refused_within_limits() {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("word/document.xml", opts).expect("start");
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..(extract::MAX_PART_BYTES >> 20) + 8 {
            zip.write_all(&chunk).expect("write");
        }
        zip.finish().expect("finish");
    }
    let bytes = out.into_inner();
    assert!(bytes.len() < 2 << 20, "it packs small: {}", bytes.len());
    let started = std::time::Instant::now();
    let result = extract::extract(&bytes, "bomb.docx");
    assert!(
        matches!(result, Err(ExtractError::TooLarge(..))),
        "{result:?}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

/// Every Outlook message of `../shared/corpus/outlook-msg` opens with its
/// sender, subject and attachment names (or says why not), and the one in
/// `attachments/msg` has the text textract gets from it.
#[test]
fn outlook_messages_open_with_their_envelope() {
    let Some(corpus) = common::corpus("outlook-msg") else {
        return;
    };
    let mut files: Vec<_> = std::fs::read_dir(&corpus)
        .expect("corpus")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "msg"))
        .collect();
    files.sort();
    let mut opened = 0;
    println!("Outlook messages in {}:", corpus.display());
    for path in &files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bytes = std::fs::read(path).expect("read");
        match extract::extract(&bytes, &name) {
            Ok(x) => {
                assert_eq!(x.kind, "msg", "{name}");
                println!(
                    "  {name}: from {:?}, subject {:?}, attachments {:?}, {} words",
                    x.get("from"),
                    x.get("subject"),
                    x.get("attachments"),
                    words(&x.text).len()
                );
                if x.get("from").is_some() && x.get("subject").is_some() {
                    opened += 1;
                }
            }
            Err(e) => println!("  {name}: {e}"),
        }
    }
    assert!(files.len() >= 20, "{} files", files.len());
    // Three lack a sender property (one is the upstream project's
    // deliberately garbled message).
    assert!(
        opened * 100 >= files.len() * 85,
        "{opened} of {} opened with sender and subject",
        files.len()
    );
    // What the files' names (and the upstream tests) say they hold.
    let open = |name: &str| {
        let bytes = std::fs::read(corpus.join(name)).expect("read");
        extract::extract(&bytes, name).expect("opens")
    };
    let x = open("attachment with a bracket in the name.msg");
    assert_eq!(x.get("attachments"), Some("Attachment[1.pdf"));
    let x = open("HTML mail with replyto and attachment and embedded image.msg");
    let names = x.get("attachments").unwrap_or_default();
    assert!(
        names.contains("dresscode.txt") && names.contains("location.txt"),
        "{names}"
    );
    let x = open("simple email with TO and CC_multiple.msg");
    let to_cc = format!(
        "{} {}",
        x.get("to").unwrap_or_default(),
        x.get("cc").unwrap_or_default()
    );
    assert!(
        to_cc.matches('@').count() >= 3,
        "several recipients: {to_cc}"
    );
    let x = open("chinese message un_garbled.msg");
    assert_eq!(x.get("subject"), Some("测试邮件"));
    assert_eq!(
        x.get("from"),
        Some("Wang, Zhuo D. <zhuo.d.wang@accenture.com>")
    );

    // The body against textract's text of the same kind of file.
    if let Some(att) = common::corpus("attachments") {
        let bytes = std::fs::read(att.join("msg/raw_text.msg")).expect("msg");
        let expected = std::fs::read_to_string(att.join("msg/raw_text.txt")).expect("txt");
        let x = extract::extract(&bytes, "raw_text.msg").expect("opens");
        // textract puts the subject first; trawl shows it as a header.
        let shown = format!("{}\n{}", x.get("subject").unwrap_or_default(), x.text);
        let r = recall(&expected, &shown);
        println!("  raw_text.msg: {:.1}% of the expected words", r * 100.0);
        assert!(r >= 0.9, "{r}: {}", x.text);
    }
}
