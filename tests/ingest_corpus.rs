//! Ingest on real mail from ../shared/corpus: counts, mbox/maildir
//! equivalence, and no panic on any malformed case.

mod common;

use std::collections::BTreeSet;

use trawl::ingest;

#[test]
fn enron_maildir_loads_every_message() {
    let Some(dir) = common::corpus("enron-maildir") else {
        return;
    };
    let scan = ingest::scan(&dir).expect("scan");
    // SOURCE.md states 20,155 messages; the SOURCE.md itself is a file.
    assert_eq!(scan.mail_count(), 20_155);
    assert!(
        scan.problems.is_empty(),
        "{:?}",
        &scan.problems[..scan.problems.len().min(5)]
    );
    let with_id = scan
        .docs
        .iter()
        .filter(|d| d.message_id().is_some())
        .count();
    assert_eq!(with_id, 20_155, "every Enron file starts with Message-ID");
    println!("enron-maildir: {} messages", scan.mail_count());
}

#[test]
fn enron_mbox_gives_the_same_messages_as_the_maildir() {
    let Some(mbox_dir) = common::corpus("enron-mbox") else {
        return;
    };
    let Some(maildir) = common::corpus("enron-maildir") else {
        return;
    };
    let (mbox_docs, problems) = ingest::parse_file(&mbox_dir.join("lay-k-inbox.mbox"));
    assert!(problems.is_empty());
    assert_eq!(mbox_docs.len(), 1_373);
    let inbox = ingest::scan(&maildir.join("maildir/lay-k/inbox")).expect("scan");
    assert_eq!(inbox.mail_count(), 1_373);
    // Same bytes after mboxrd unquoting: the content hashes are equal.
    let a: BTreeSet<_> = mbox_docs.iter().map(|d| d.hash).collect();
    let b: BTreeSet<_> = inbox.docs.iter().map(|d| d.hash).collect();
    let differing = a.symmetric_difference(&b).count();
    assert_eq!(
        differing, 0,
        "{differing} identities differ between the mbox and the maildir"
    );
    // And positions match the manifest written when the mbox was made.
    let manifest =
        std::fs::read_to_string(mbox_dir.join("lay-k-inbox.mbox.manifest.tsv")).expect("manifest");
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let index: usize = cols[0].parse().expect("index");
        let id = cols[2].trim_start_matches('<').trim_end_matches('>');
        assert_eq!(
            mbox_docs[index - 1].message_id(),
            Some(id),
            "position {index}"
        );
    }
}

#[test]
fn usrp_mailing_list_mbox_matches_its_manifest() {
    let Some(dir) = common::corpus("usrp-users-mbox") else {
        return;
    };
    let scan = ingest::scan(&dir).expect("scan");
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).expect("manifest");
    let rows: Vec<Vec<&str>> = manifest
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect())
        .collect();
    assert_eq!(scan.mail_count(), rows.len());
    assert_eq!(scan.mail_count(), 1_108);
    let ids: BTreeSet<String> = scan
        .docs
        .iter()
        .filter_map(|d| d.message_id().map(str::to_string))
        .collect();
    for row in &rows {
        let id = row[3].trim_start_matches('<').trim_end_matches('>');
        assert!(ids.contains(id), "missing {id}");
    }
}

#[test]
fn mime_edge_cases_never_panic_and_mbox_splits_like_the_reference() {
    let Some(dir) = common::corpus("mime-edge-cases") else {
        return;
    };
    let scan = ingest::scan(&dir).expect("scan");
    assert!(scan.problems.is_empty(), "{:?}", scan.problems);
    // mime4j's mbox.rlug must split into exactly the five reference files.
    let rlug = dir.join("mime4j/mbox-rlug");
    let (msgs, _) = ingest::parse_file(&rlug.join("mbox.rlug"));
    assert_eq!(msgs.len(), 5);
    for (i, m) in msgs.iter().enumerate() {
        let reference = std::fs::read(rlug.join(format!("mbox.rlug-{i}"))).expect("reference");
        let (r, _) = ingest::parse_file(&rlug.join(format!("mbox.rlug-{i}")));
        assert_eq!(r.len(), 1);
        assert_eq!(m.message_id(), r[0].message_id(), "message {i}");
        assert_eq!(m.subject(), r[0].subject(), "message {i}");
        assert!(!reference.is_empty());
    }
    // Every single-message test file is listed, and all are read as mail
    // except two that are not RFC 822 at all and two `.eml` files with no
    // header (mime4j's expected structure has an empty header): those are
    // listed as documents with a warning, never dropped.
    let singles: Vec<_> = scan
        .docs
        .iter()
        .filter(|d| !d.is_part())
        .filter(|d| {
            let ext = d
                .location
                .path
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("");
            matches!(ext, "eml" | "raw" | "txt")
        })
        .collect();
    // Two CPython cases carry an mbox `From ` envelope line: each is read as
    // a one-message mbox, still one document per file.
    assert_eq!(singles.len(), 184);
    let enveloped = singles
        .iter()
        .filter(|d| d.location.container == trawl::model::Container::Mbox)
        .count();
    assert_eq!(enveloped, 2);
    let not_mail: Vec<String> = singles
        .iter()
        .filter(|d| !d.is_mail())
        .map(|d| d.location.path.display().to_string())
        .collect();
    assert_eq!(
        not_mail,
        vec![
            "cpython-email/msg_19.txt",
            "enmime/mail/erroneous.raw",
            "mime4j/testmsgs/malformedHeader-noheader.eml",
            "mime4j/testmsgs/malformedHeaderStartsBody-noheader.eml",
        ]
    );
    for d in singles
        .iter()
        .filter(|d| d.location.path.to_string_lossy().contains("noheader"))
    {
        assert!(
            d.warning().is_some(),
            "{:?} has no warning",
            d.location.path
        );
    }
    // A preview of every message renders without panicking.
    for d in scan.docs.iter() {
        let p = trawl::preview::preview(&dir, d, 80);
        assert!(p.body.iter().all(|l| !l.contains('\u{1b}')));
    }
    // Every part (attachment, attached message) is found again from the
    // dump, with the size and content listed when it was indexed.
    let parts: Vec<_> = scan.docs.iter().filter(|d| d.is_part()).collect();
    assert!(parts.len() > 100, "{}", parts.len());
    for d in &parts {
        let bytes = ingest::read_document(&dir, &d.location).expect("part found again");
        assert_eq!(bytes.len() as u64, d.size(), "{}", d.location.display());
        if !d.is_mail() {
            let hash = ingest::mail::hash_reader(&bytes[..]).expect("hash");
            assert_eq!(hash, d.hash, "{}", d.location.display());
        }
    }
    println!(
        "mime-edge-cases: {} documents ({} of them parts), {} e-mails, all previewed",
        scan.docs.len(),
        parts.len(),
        scan.mail_count()
    );
}
