//! An Outlook message attached to an Outlook message (a storage, not a
//! stream, inside the outer file) is a message of its own: sender, subject,
//! Message-ID, date and text, with the same bytes and SHA-256 every time it
//! is read. Uses `../shared/corpus/outlook-msg`.

mod common;

use trawl::ingest;
use trawl::model::{direct_parts, Document};

fn part_of<'a>(docs: &'a [Document], file: &str) -> Vec<(usize, &'a Document)> {
    let (top, _) = docs
        .iter()
        .enumerate()
        .find(|(_, d)| !d.is_part() && d.location.path.ends_with(file))
        .unwrap_or_else(|| panic!("no {file}"));
    direct_parts(docs, top).map(|p| (p, &docs[p])).collect()
}

#[test]
fn a_message_attached_to_an_outlook_message_reads_as_mail() {
    let Some(dir) = common::corpus("outlook-msg") else {
        return;
    };
    let scan = ingest::scan(&dir).expect("scan");
    let docs = &scan.docs;
    // (outer file, the attached message's subject, sender address, id,
    // words of its body)
    let cases = [
        (
            "testgetmsgAttch.msg",
            "test mail",
            "zhangtianhua@longestech.com",
            "202004241845128389793@longestech.com",
            "Test12346464",
        ),
        (
            "nested simple mail.msg",
            "outlookmsg2html Testmail",
            "",
            "DBXPR05MB2545FA9C9506E7A1D7D3835F3940@DBXPR05MB254.eurprd05.prod.outlook.com",
            "This is a testmail.",
        ),
    ];
    for (file, subject, from, id, body) in cases {
        let parts = part_of(docs, file);
        let (_, inner) = parts
            .iter()
            .find(|(_, d)| d.is_mail())
            .unwrap_or_else(|| panic!("{file}: no attached message among {} parts", parts.len()));
        assert_eq!(inner.subject(), subject, "{file}");
        assert_eq!(inner.message_id(), Some(id), "{file}");
        if !from.is_empty() {
            assert_eq!(inner.from_addr(), from, "{file}");
        }
        assert!(inner.date.is_some(), "{file}: dated");
        assert!(inner.warning().is_none(), "{file}: {:?}", inner.warning());
        // Its bytes are found again, the same each time, and hash as listed.
        let a = ingest::read_document(&dir, &inner.location).expect("read");
        let b = ingest::read_document(&dir, &inner.location).expect("read again");
        assert_eq!(a, b, "{file}: the same bytes every time");
        let hash = ingest::mail::hash_reader(&a[..]).expect("hash");
        assert_eq!(hash, inner.hash, "{file}");
        // They are an Outlook file of their own, with text.
        let text = trawl::extract::extract(&a, "attached.msg").expect("extract");
        assert_eq!(text.kind, "msg", "{file}");
        assert!(
            text.text.contains(body),
            "{file}: text {:?}",
            &text.text[..text.text.len().min(300)]
        );
    }
}

#[test]
fn an_attached_outlook_message_hashes_the_same_on_every_index() {
    let Some(dir) = common::corpus("outlook-msg") else {
        return;
    };
    let hashes = || -> Vec<String> {
        let scan = ingest::scan(&dir).expect("scan");
        part_of(&scan.docs, "testgetmsgAttch.msg")
            .iter()
            .map(|(_, d)| d.hash.to_string())
            .collect()
    };
    let first = hashes();
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert_eq!(first, hashes());
}
