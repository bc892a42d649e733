//! Attachments, attached messages and archive members are documents of
//! their own, nested under their container, found again from the dump, and
//! bounded (deep nesting, a ZIP bomb).

mod common;

use std::io::Write;
use std::path::Path;

use trawl::browse::Entry;
use trawl::ingest::{self, parts};
use trawl::model::Document;
use trawl::workspace::Workspace;

fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in members {
            zip.start_file(*name, opts).expect("start");
            zip.write_all(bytes).expect("write");
        }
        zip.finish().expect("finish");
    }
    out.into_inner()
}

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for (i, chunk) in bytes.chunks(3).enumerate() {
        if i > 0 && i % 19 == 0 {
            out.push_str("\r\n");
        }
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(char::from(ABC[(n >> (18 - 6 * k) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

const OLD_EML: &str = "From: old@x.example\r\nSubject: Old thread\r\nMessage-ID: <old@x.example>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"o\"\r\n\r\n--o\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--o\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=\"a.txt\"\r\n\r\nalpha text\r\n--o--\r\n";

fn forwarded(bundle: &[u8]) -> String {
    format!(
        "From: Ann <ann@x.example>\r\nTo: bob@x.example\r\nSubject: Fwd: memo and bundle\r\n\
         Date: Mon, 03 Apr 2017 10:00:00 +0000\r\nMessage-ID: <fwd@x.example>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
         --b\r\nContent-Type: text/plain\r\n\r\nsee below\r\n\
         --b\r\nContent-Type: message/rfc822\r\n\r\n\
         From: Carl <carl@x.example>\r\nSubject: Inner memo\r\nMessage-ID: <inner@x.example>\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"i\"\r\n\r\n\
         --i\r\nContent-Type: text/plain\r\n\r\nthe memo\r\n\
         --i\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"notes.txt\"\r\n\r\n\
         inner notes\r\n--i--\r\n\
         --b\r\nContent-Type: application/zip\r\nContent-Disposition: attachment; filename=\"bundle.zip\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{}\r\n--b--\r\n",
        base64(bundle)
    )
}

fn write_dump(root: &Path) {
    std::fs::create_dir_all(root).expect("mkdir");
    let bundle = zip_of(&[
        ("report.csv", b"a;b\n1;2\n"),
        ("mail/old.eml", OLD_EML.as_bytes()),
    ]);
    std::fs::write(root.join("fwd.eml"), forwarded(&bundle)).expect("write");
    let nested = zip_of(&[("deep.txt", b"deep text")]);
    let archive = zip_of(&[("docs/readme.txt", b"read me"), ("nested.zip", &nested)]);
    std::fs::write(root.join("archive.zip"), archive).expect("write");
    // Twelve archives, each inside the next.
    let mut deep = zip_of(&[("core.txt", b"the core")]);
    for level in 0..12 {
        deep = zip_of(&[(&format!("level{level}.zip"), &deep)]);
    }
    std::fs::write(root.join("deep.zip"), deep).expect("write");
}

fn find<'a>(docs: &'a [Document], subject: &str) -> (usize, &'a Document) {
    docs.iter()
        .enumerate()
        .find(|(_, d)| d.subject() == subject)
        .unwrap_or_else(|| panic!("no document {subject:?}"))
}

#[test]
fn parts_nest_under_their_container_and_are_found_again() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("dump");
    write_dump(&root);
    let scan = ingest::scan(&root).expect("scan");
    assert!(scan.problems.is_empty(), "{:?}", scan.problems);
    let docs = &scan.docs;
    let tree = trawl::browse::FlatTree::build(docs);
    let depth_of = |subject: &str| tree.nodes[tree.doc_node[find(docs, subject).0] as usize].depth;
    let parent_of = |subject: &str| {
        let node = &tree.nodes[tree.doc_node[find(docs, subject).0] as usize];
        match node.parent.map(|p| &tree.nodes[p as usize].entry) {
            Some(Entry::Doc(d)) => docs[*d].subject().to_string(),
            other => format!("{other:?}"),
        }
    };

    // The forwarded message: an attached message with its own attachment,
    // and a ZIP holding a CSV and a message with its own attachment.
    assert_eq!(depth_of("Fwd: memo and bundle"), 0);
    assert_eq!(parent_of("Inner memo"), "Fwd: memo and bundle");
    assert_eq!(parent_of("notes.txt"), "Inner memo");
    assert_eq!(parent_of("bundle.zip"), "Fwd: memo and bundle");
    assert_eq!(parent_of("report.csv"), "bundle.zip");
    assert_eq!(parent_of("Old thread"), "bundle.zip");
    assert_eq!(parent_of("a.txt"), "Old thread");
    assert_eq!(depth_of("a.txt"), 3);
    let (_, inner) = find(docs, "Inner memo");
    assert!(inner.is_mail() && inner.is_part());
    assert_eq!(inner.message_id(), Some("inner@x.example"));
    // Attached messages are shown under their container, not threaded.
    assert_eq!(tree.thread_count, 1);

    // A loose archive and the archive inside it.
    assert_eq!(parent_of("docs/readme.txt"), "archive.zip");
    assert_eq!(parent_of("nested.zip"), "archive.zip");
    assert_eq!(parent_of("deep.txt"), "nested.zip");

    // Every part's bytes come back from the dump, as listed.
    let want: &[(&str, &[u8])] = &[
        ("notes.txt", b"inner notes"),
        ("report.csv", b"a;b\n1;2\n"),
        ("a.txt", b"alpha text"),
        ("docs/readme.txt", b"read me"),
        ("deep.txt", b"deep text"),
    ];
    for (subject, bytes) in want {
        let (_, d) = find(docs, subject);
        let got = ingest::read_document(&root, &d.location).expect("read part");
        assert_eq!(
            String::from_utf8_lossy(&got).trim_end(),
            String::from_utf8_lossy(bytes).trim_end(),
            "{subject}"
        );
        assert_eq!(d.size(), got.len() as u64, "{subject}");
    }
    for d in docs.iter().filter(|d| d.is_part()) {
        let got = ingest::read_document(&root, &d.location).expect("read part");
        assert_eq!(got.len() as u64, d.size(), "{}", d.location.display());
    }
    // The attached message previews as a message.
    let p = trawl::preview::preview(&root, inner, 80);
    assert!(
        p.headers.iter().any(|(_, v)| v.contains("Inner memo")),
        "{:?}",
        p.headers
    );
    assert!(
        p.body.iter().any(|l| l.contains("the memo")),
        "{:?}",
        p.body
    );
}

#[test]
fn deep_nesting_stops_at_the_limit_and_says_so() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("dump");
    write_dump(&root);
    let scan = ingest::scan(&root).expect("scan");
    let chain: Vec<&Document> = scan
        .docs
        .iter()
        .filter(|d| d.location.path.as_ref() == Path::new("deep.zip"))
        .collect();
    // The archive itself, then one member per level down to the limit.
    assert_eq!(chain.len(), 1 + parts::MAX_DEPTH);
    let last = chain.last().expect("deepest listed");
    assert_eq!(last.location.part.len(), parts::MAX_DEPTH);
    assert!(
        last.warning()
            .is_some_and(|w| w.contains("nested too deep")),
        "{:?}",
        last.warning()
    );
    assert!(chain.iter().all(|d| d.subject() != "core.txt"));
}

#[test]
fn a_zip_bomb_is_refused_within_the_limits() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("dump");
    std::fs::create_dir_all(&root).expect("mkdir");
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("small.txt", opts).expect("start");
        zip.write_all(b"small").expect("write");
        zip.start_file("zeros.bin", opts).expect("start");
        let chunk = vec![0u8; 1 << 20];
        for _ in 0..(parts::MAX_PART_BYTES >> 20) + 4 {
            zip.write_all(&chunk).expect("write");
        }
        zip.finish().expect("finish");
    }
    let bomb = out.into_inner();
    assert!(bomb.len() < 1 << 20, "it packs small: {}", bomb.len());
    std::fs::write(root.join("bomb.zip"), bomb).expect("write");
    let scan = ingest::scan(&root).expect("scan");
    let subjects: Vec<&str> = scan.docs.iter().map(Document::subject).collect();
    assert_eq!(subjects, ["bomb.zip", "small.txt"]);
    let w = scan.docs[0].warning().expect("warning");
    assert!(w.contains("more than the limit"), "{w}");
}

#[test]
fn tags_on_an_attachment_survive_reopening() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("dump");
    let data = tmp.path().join("state");
    write_dump(&root);
    let tagged_hash = {
        let mut ws = Workspace::open_in(&root, &data).expect("open");
        let (id, d) = find(&ws.scan.docs, "report.csv");
        let hash = d.hash;
        let suspect = ws
            .tags
            .iter()
            .find(|t| t.name == "suspect")
            .expect("tag")
            .id;
        ws.toggle_tag(id, suspect).expect("tag");
        ws.mark_read(id).expect("read");
        hash
    };
    let ws = Workspace::open_in(&root, &data).expect("reopen");
    let (id, d) = find(&ws.scan.docs, "report.csv");
    assert_eq!(d.hash, tagged_hash);
    let names: Vec<&str> = ws
        .tags_of(id)
        .iter()
        .filter_map(|t| ws.tags.iter().find(|x| x.id == *t))
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(names, ["suspect"]);
    assert!(ws.read[id]);
    // Its message is untouched.
    let (mail, _) = find(&ws.scan.docs, "Fwd: memo and bundle");
    assert!(ws.tags_of(mail).is_empty() && !ws.read[mail]);
}

/// Outlook messages of `../shared/corpus/outlook-msg` are listed as e-mail
/// (sender, subject, date) with their attachments as parts; the zipped copy
/// of one opens the same way one level down.
#[test]
fn outlook_messages_are_mail_with_their_attachments() {
    let Some(dir) = common::corpus("outlook-msg") else {
        return;
    };
    let scan = ingest::scan(&dir).expect("scan");
    let docs = &scan.docs;
    let (id, hey) = find(docs, "hey");
    assert!(hey.is_mail() && !hey.is_rfc822());
    assert_eq!(hey.sender(), "Benny Bottema");
    assert_eq!(hey.from_addr(), "b.bottema@gmail.com");
    assert!(hey.date.is_some());
    let names: Vec<&str> = trawl::model::direct_parts(docs, id)
        .map(|p| docs[p].subject())
        .collect();
    assert_eq!(names, ["thumbsup", "dresscode.txt", "location.txt"]);
    for p in trawl::model::direct_parts(docs, id) {
        let bytes = ingest::read_document(&dir, &docs[p].location).expect("read");
        let hash = ingest::mail::hash_reader(&bytes[..]).expect("hash");
        assert_eq!(hash, docs[p].hash, "{}", docs[p].subject());
    }
    let zipped: Vec<&Document> = docs
        .iter()
        .filter(|d| d.location.path.ends_with("CC duplicate recipients bug.zip"))
        .collect();
    assert_eq!(zipped.len(), 2);
    assert_eq!(zipped[1].subject(), "Testing MSG");
    assert!(zipped[1].is_mail() && zipped[1].is_part());
    let mail = docs.iter().filter(|d| d.is_mail()).count();
    let parts = docs.iter().filter(|d| d.is_part()).count();
    println!("outlook-msg: {mail} messages, {parts} parts");
    assert!(mail >= 21 && parts >= 15, "{mail} messages, {parts} parts");
}

/// The sample dump's forged donation certificate was attached twice: its
/// preview says where it sits and that it has a copy; `c` goes to the copy
/// and a tag goes on both.
#[test]
fn an_attachment_preview_shows_where_it_is_and_its_copies() {
    use trawl::tui::action::Action;
    use trawl::tui::app::App;
    use trawl::tui::keymap::Keymap;
    use trawl::tui::theme::Theme;

    let data = common::data_dir();
    let ws = Workspace::open_in(&common::sample_dump(), data.path()).expect("open");
    let copies: Vec<usize> = (0..ws.scan.docs.len())
        .filter(|&d| ws.doc(d).subject() == "attestation_don_verdanne.docx")
        .collect();
    assert_eq!(copies.len(), 2);
    assert_eq!(ws.copies_of(copies[0]), copies.as_slice());
    let mut a = App::new(ws, Keymap::builtin(), Theme { color: false }, (100, 30));
    while a.selected_doc() != Some(copies[0]) {
        a.update(Action::Down);
    }
    common::wait_for_extraction(&mut a, copies[0]);
    let screen = common::text(&common::render(&a));
    let flat = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Inside:",
        "attestation_don_verdanne.docx",
        "Copies: 2, this is 1; tags and",
    ] {
        assert!(
            flat.contains(expected),
            "{expected:?} not on screen:\n{screen}"
        );
    }
    insta::assert_snapshot!("attachment_metadata", screen);

    a.update(Action::NextCopy);
    assert_eq!(a.selected_doc(), Some(copies[1]));
    let verified =
        a.ws.tags
            .iter()
            .find(|t| t.name == "verified")
            .expect("tag");
    let key = verified.hotkey.expect("hotkey");
    let id = verified.id;
    a.update(Action::ToggleTag(key));
    assert!(a.ws.has_tag(copies[0], id) && a.ws.has_tag(copies[1], id));
    assert!(a
        .status
        .as_ref()
        .is_some_and(|(_, m)| m.contains("all 2 copies")));
}
