//! A text attachment is its sender's bytes: transfer encoding undone, the
//! charset left alone. Its SHA-256 is that of those bytes, saving it gives
//! them back, and tags put on it before trawl hashed it this way (catalog
//! format 4 hashed the decoded UTF-8 text) follow it.

mod common;

use std::path::Path;

use sha2::{Digest, Sha256};
use trawl::ingest;
use trawl::model::Document;
use trawl::workspace::Workspace;

/// "Frösche; Grüße" in Latin-1 (ö = F6, ü = FC, ß = DF).
const LATIN1: &[u8] = b"name;note\r\nFr\xf6sche;Gr\xfc\xdfe\r\n";
/// "prix 12€ ± 3" in Windows-1252 (€ = 80, ± = B1), sent quoted-printable.
const CP1252: &[u8] = b"prix 12\x80 \xb1 3";
/// "Αθήνα" in ISO-8859-7, sent as 8-bit: too short for a guess to tell it
/// from Windows-1252, so only its label says what it is.
const GREEK: &[u8] = b"\xc1\xe8\xde\xed\xe1";

fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn write_dump(root: &Path) {
    std::fs::create_dir_all(root).expect("mkdir");
    let mail = format!(
        "From: a@x.example\r\nSubject: two text attachments\r\nMessage-ID: <t@x>\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
         --b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n\
         --b\r\nContent-Type: text/csv; charset=iso-8859-1\r\n\
         Content-Transfer-Encoding: base64\r\n\
         Content-Disposition: attachment; filename=\"liste.csv\"\r\n\r\n{}\r\n\
         --b\r\nContent-Type: text/plain; charset=windows-1252\r\n\
         Content-Transfer-Encoding: quoted-printable\r\n\
         Content-Disposition: attachment; filename=\"prix.txt\"\r\n\r\n\
         prix 12=80 =B1 3\r\n\
         --b\r\nContent-Type: text/plain; charset=iso-8859-7\r\n\
         Content-Transfer-Encoding: 8bit\r\n\
         Content-Disposition: attachment; filename=\"athens.txt\"\r\n\r\n",
        base64(LATIN1)
    );
    let mut bytes = mail.into_bytes();
    bytes.extend_from_slice(GREEK);
    bytes.extend_from_slice(b"\r\n--b--\r\n");
    std::fs::write(root.join("m.eml"), bytes).expect("write");
}

fn part<'a>(docs: &'a [Document], name: &str) -> (usize, &'a Document) {
    docs.iter()
        .enumerate()
        .find(|(_, d)| d.subject() == name)
        .unwrap_or_else(|| panic!("no part {name}"))
}

fn sha(bytes: &[u8]) -> String {
    trawl::model::Sha256(Sha256::digest(bytes).into()).to_string()
}

#[test]
fn text_attachments_keep_their_charset_bytes() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("dump");
    write_dump(&root);
    let scan = ingest::scan(&root).expect("scan");
    for (name, want) in [("liste.csv", LATIN1), ("prix.txt", CP1252)] {
        let (_, doc) = part(&scan.docs, name);
        let bytes = ingest::read_document(&root, &doc.location).expect("read");
        assert_eq!(bytes, want, "{name}: the bytes as sent");
        assert_eq!(doc.hash.to_string(), sha(want), "{name}: hashed as sent");
        let out = tmp.path().join(format!("out-{name}"));
        std::fs::create_dir_all(&out).expect("mkdir");
        let saved = trawl::save::save_into(&out, name, &bytes).expect("save");
        assert_eq!(std::fs::read(saved).expect("read saved"), want);
    }
    // The preview still reads them as text, naming the charset it read.
    let (_, prix) = part(&scan.docs, "prix.txt");
    let shown = trawl::preview::preview(&root, prix, 80);
    assert_eq!(shown.body.first().map(String::as_str), Some("prix 12€ ± 3"));
    assert!(shown
        .headers
        .contains(&("Charset", "windows-1252 (declared)".to_string())));
    let (_, greek) = part(&scan.docs, "athens.txt");
    let bytes = ingest::read_document(&root, &greek.location).expect("read");
    assert_eq!(bytes, GREEK, "8-bit bytes as sent");
    let shown = trawl::preview::preview(&root, greek, 80);
    assert_eq!(shown.body.first().map(String::as_str), Some("Αθήνα"));
    assert!(shown
        .headers
        .contains(&("Charset", "ISO-8859-7 (declared)".to_string())));
    let (_, csv) = part(&scan.docs, "liste.csv");
    let bytes = ingest::read_document(&root, &csv.location).expect("read");
    let text = trawl::extract::extract(&bytes, "liste.csv").expect("extract");
    assert!(text.text.contains("Frösche"), "{:?}", text.text);
}

/// A project indexed by a trawl that hashed text attachments as decoded
/// UTF-8 (catalog format 4) keeps its tag, read mark and note on them.
#[test]
fn user_data_on_a_text_attachment_follows_its_new_hash() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("dump");
    let data = tmp.path().join("data");
    write_dump(&root);
    let ws = Workspace::open_in(&root, &data).expect("open");
    let (_, csv) = part(&ws.scan.docs, "liste.csv");
    let new_hash = csv.hash;
    // As format 4 had it: the hash of the text as UTF-8.
    let old_text = "name;note\r\nFrösche;Grüße\r\n";
    let old_hash = trawl::model::Sha256(Sha256::digest(old_text.as_bytes()).into());
    let dir = ws.project.dir.clone();
    let store = &ws.project.store;
    let tag = store.create_tag("odd-charset").expect("tag").id;
    store.set_tag(tag, &old_hash, None, true).expect("tag");
    store.mark_read(&old_hash, None).expect("read");
    store
        .set_note(&old_hash, None, "claire", "sent from the accounts PC")
        .expect("note");
    drop(ws);
    // Make the catalog a format-4 one: same encoding, old hash.
    let catalog = dir.join("catalog.bin");
    let mut bytes = std::fs::read(&catalog).expect("catalog");
    assert_eq!(&bytes[8..12], &6u32.to_le_bytes(), "format 6 now");
    bytes[8..12].copy_from_slice(&4u32.to_le_bytes());
    let at = bytes
        .windows(32)
        .position(|w| w == new_hash.0)
        .expect("the new hash is in the catalog");
    bytes[at..at + 32].copy_from_slice(&old_hash.0);
    std::fs::write(&catalog, bytes).expect("write");

    let ws = Workspace::open_in(&root, &data).expect("reopen");
    let (id, csv) = part(&ws.scan.docs, "liste.csv");
    assert_eq!(csv.hash, new_hash);
    let names: Vec<&str> = ws
        .tags_of(id)
        .iter()
        .filter_map(|&t| ws.tags.iter().find(|x| x.id == t))
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(names, ["odd-charset"]);
    assert!(ws.read[id], "read mark carried");
    let notes: Vec<&str> = ws.notes_of(id).iter().map(|n| n.body.as_str()).collect();
    assert_eq!(notes, ["sent from the accounts PC"]);
    assert!(
        !dir.join(trawl::index::catalog::carry::CARRY_FILE).exists(),
        "the pairs are applied and forgotten"
    );
    // And it all stays after another open.
    drop(ws);
    let ws = Workspace::open_in(&root, &data).expect("third open");
    let (id, _) = part(&ws.scan.docs, "liste.csv");
    assert_eq!(ws.tags_of(id).len(), 1);
}
