//! The synthetic dump generator ([`trawl::synth`]) checked against trawl's
//! own ingestion and threading: everything it writes is mail, the output is
//! a pure function of `(messages, seed)`, and its [`Summary`] predicts what
//! the scanner and the threader find.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use trawl::browse::{Entry, FlatTree};
use trawl::ingest;
use trawl::model::{Container, Document};
use trawl::synth::{generate, Summary};

const MESSAGES: usize = 2_000;
const SEED: u64 = 20_170_316;

fn dump(messages: usize, seed: u64) -> (tempfile::TempDir, PathBuf, Summary) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("dump");
    let summary = generate(&root, messages, seed).expect("generate");
    (tmp, root, summary)
}

/// Every file under `root` with its bytes, by relative path.
fn files(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(root).expect("under root").to_path_buf();
                out.insert(rel, std::fs::read(&path).expect("read"));
            }
        }
    }
    out
}

#[test]
fn scan_finds_exactly_what_the_summary_says() {
    let (_tmp, root, s) = dump(MESSAGES, SEED);
    assert_eq!(s.messages, MESSAGES);
    let scan = ingest::scan(&root).expect("scan");
    assert!(scan.problems.is_empty(), "{:?}", scan.problems);
    assert_eq!(scan.mail_count(), s.messages);
    assert_eq!(
        scan.docs.len(),
        s.messages + s.attachments,
        "only mail and its attachments in the dump"
    );
    assert!(scan.docs.iter().all(|d| d.warning().is_none()));
    check_layout(&root, &scan, &s);
    check_ids_and_copies(&scan, &s);
    check_threading_headers(&scan, &s);
    check_attachments_and_sizes(&scan, &s);
}

/// Files, bytes, and the maildir / mbox / `.eml` mix.
fn check_layout(root: &Path, scan: &ingest::Scan, s: &Summary) {
    let all = files(root);
    assert_eq!(all.len(), s.files);
    assert_eq!(all.values().map(|b| b.len() as u64).sum::<u64>(), s.bytes);
    let under = |prefix: &str| {
        scan.docs
            .iter()
            .filter(|d| d.location.path.starts_with(prefix) && !d.is_part())
            .count()
    };
    assert_eq!(under("mail"), s.maildir_messages);
    assert_eq!(under("loose"), s.eml_messages);
    let in_mbox = scan
        .docs
        .iter()
        .filter(|d| d.location.container == Container::Mbox && !d.is_part())
        .count();
    assert_eq!(in_mbox, s.mbox_messages);
    assert_eq!(
        s.maildir_messages + s.mbox_messages + s.eml_messages,
        s.messages
    );
    let share = |n: usize| n * 100 / s.messages;
    assert!((30..=50).contains(&share(s.maildir_messages)), "{s:?}");
    assert!((30..=50).contains(&share(s.mbox_messages)), "{s:?}");
    assert!((12..=28).contains(&share(s.eml_messages)), "{s:?}");
    for (path, bytes) in &all {
        let name = path.to_string_lossy();
        if name.starts_with("mail/") {
            assert!(
                name.contains("/cur/") && name.ends_with(":2,S") || name.contains("/new/"),
                "{name}"
            );
        } else if name.starts_with("loose/") {
            assert!(
                name.ends_with(".eml") && path.components().count() == 4,
                "{name}"
            );
        } else {
            assert!(bytes.starts_with(b"From "), "{name} is not an mbox");
        }
    }
    let quoted_from = all
        .iter()
        .filter(|(p, _)| !p.starts_with("mail") && !p.starts_with("loose"))
        .flat_map(|(_, b)| b.split(|&c| c == b'\n'))
        .filter(|l| l.starts_with(b">From ") || l.starts_with(b">>From "))
        .count();
    assert!(quoted_from > 0, "no mboxrd-quoted From line");
}

fn check_ids_and_copies(scan: &ingest::Scan, s: &Summary) {
    // Every message has an id and a date; ids are unique but for copies.
    let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, d) in scan.docs.iter().enumerate().filter(|(_, d)| !d.is_part()) {
        let id = d.message_id().expect("Message-ID");
        assert!(d.date.is_some(), "{}", d.location.display());
        by_id.entry(id).or_default().push(i);
    }
    assert_eq!(by_id.len(), s.messages - s.duplicates - s.reused_ids);
    // Duplicates are byte-identical (same hash) copies in another user's
    // maildir; re-used ids carry different bytes.
    let mut duplicates = 0;
    let mut reused = 0;
    for docs in by_id.values() {
        let hashes: HashSet<_> = docs.iter().map(|&i| &scan.docs[i].hash).collect();
        reused += hashes.len() - 1;
        duplicates += docs.len() - hashes.len();
    }
    assert_eq!(duplicates, s.duplicates);
    assert_eq!(reused, s.reused_ids);
    assert!(s.duplicates >= 5 && s.reused_ids >= 1, "{s:?}");
}

/// Parent last in References, at most 20 ids, replies after their parent;
/// missing parents as counted.
fn check_threading_headers(scan: &ingest::Scan, s: &Summary) {
    let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, d) in scan.docs.iter().enumerate() {
        if let Some(id) = d.message_id() {
            by_id.entry(id).or_default().push(i);
        }
    }
    let mut missing_parents = 0;
    let mut missing_ids = HashSet::new();
    for d in scan.docs.iter() {
        let in_reply_to: Vec<&str> = d.threading.in_reply_to().collect();
        let references: Vec<&str> = d.threading.references().collect();
        assert!(in_reply_to.len() <= 1);
        let Some(&parent) = in_reply_to.first() else {
            assert!(references.is_empty());
            continue;
        };
        assert!(references.len() <= 20, "{references:?}");
        assert_eq!(references.last(), Some(&parent));
        match by_id.get(parent) {
            None => {
                missing_parents += 1;
                missing_ids.insert(parent);
            }
            Some(docs) => {
                let first = docs.iter().filter_map(|&i| scan.docs[i].date).min();
                assert!(d.date > first, "reply not after its parent");
            }
        }
    }
    assert_eq!(missing_parents, s.missing_parents);
    assert_eq!(missing_ids.len(), s.missing_messages);
    assert!(s.missing_parents > 0, "{s:?}");
}

fn check_attachments_and_sizes(scan: &ingest::Scan, s: &Summary) {
    // Attachments as mail-parser sees them, each a document of its own
    // right after its message.
    let parts: Vec<&Document> = scan.docs.iter().filter(|d| d.is_part()).collect();
    assert_eq!(parts.len(), s.attachments);
    assert!(parts
        .iter()
        .all(|p| p.up >= 1 && p.location.part.len() == 1));
    let with = scan.docs.iter().filter(|d| d.has_attachments()).count();
    assert_eq!(with, s.with_attachments);
    let listed: u32 = scan.docs.iter().map(|d| d.parts).sum();
    assert_eq!(listed as usize, s.attachments);

    // Sizes look like a real leak: median about 2 KB, mean 3-4 KB.
    let mut sizes: Vec<u64> = scan
        .docs
        .iter()
        .filter(|d| !d.is_part())
        .map(Document::size)
        .collect();
    sizes.sort_unstable();
    let median = sizes[sizes.len() / 2];
    let mean = sizes.iter().sum::<u64>() / sizes.len() as u64;
    assert!((1_200..=3_000).contains(&median), "median {median}");
    assert!((2_000..=6_000).contains(&mean), "mean {mean}");
}

/// The exact relation between the Summary and the threader: one thread per
/// conversation (a conversation whose first message is missing gets one
/// placeholder root), plus one per copy of a message without parent (a
/// duplicate id becomes a sibling of its owner, so a copy of a root is
/// another root). Each missing message is one placeholder node.
#[test]
fn thread_tree_matches_the_summary() {
    let (_tmp, root, s) = dump(MESSAGES, SEED);
    let scan = ingest::scan(&root).expect("scan");
    let tree = FlatTree::build(&scan.docs);
    assert_eq!(
        tree.thread_count as usize,
        s.threads + s.root_copies,
        "{s:?}"
    );
    let missing = tree
        .nodes
        .iter()
        .filter(|n| matches!(n.entry, Entry::Missing(_)))
        .count();
    assert_eq!(missing, s.missing_messages);
    assert!(!tree
        .nodes
        .iter()
        .any(|n| matches!(n.entry, Entry::Group(_))));
    let docs = tree
        .nodes
        .iter()
        .filter(|n| matches!(n.entry, Entry::Doc(d) if !scan.docs[d].is_part()))
        .count();
    assert_eq!(docs, s.messages);

    // Shape: about half the messages alone, some deep and some big threads.
    let mut sizes: HashMap<u32, usize> = HashMap::new();
    let mut root_of = vec![0u32; tree.nodes.len()];
    for (i, n) in tree.nodes.iter().enumerate() {
        root_of[i] = n.parent.map_or(i as u32, |p| root_of[p as usize]);
        if matches!(n.entry, Entry::Doc(_)) {
            *sizes.entry(root_of[i]).or_default() += 1;
        }
    }
    let alone: usize = sizes.values().filter(|&&n| n == 1).count();
    assert!(
        (35..=60).contains(&(alone * 100 / s.messages)),
        "{alone} singletons"
    );
    let biggest = sizes.values().copied().max().unwrap_or(0);
    assert!(biggest >= 90, "largest thread {biggest}");
    let depth = tree.nodes.iter().map(|n| n.depth).max().unwrap_or(0);
    assert!((10..=32).contains(&depth), "depth {depth}");
}

#[test]
fn same_seed_same_bytes_other_seed_differs() {
    let (_a, root_a, sa) = dump(MESSAGES, SEED);
    let (_b, root_b, sb) = dump(MESSAGES, SEED);
    assert_eq!(sa, sb);
    let (fa, fb) = (files(&root_a), files(&root_b));
    assert_eq!(
        fa.keys().collect::<Vec<_>>(),
        fb.keys().collect::<Vec<_>>(),
        "same file list"
    );
    for (path, bytes) in &fa {
        assert!(fb[path] == *bytes, "{} differs", path.display());
    }
    let (_c, root_c, _) = dump(MESSAGES, SEED + 1);
    assert_ne!(fa, files(&root_c));
}

#[test]
fn refuses_a_non_empty_output_directory() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(tmp.path().join("keep.txt"), b"evidence").expect("write");
    let err = generate(tmp.path(), 10, 1).expect_err("must refuse");
    assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(left, vec!["keep.txt"], "nothing written");

    let file = tmp.path().join("keep.txt");
    assert!(
        generate(&file, 10, 1).is_err(),
        "a file is not an output dir"
    );

    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    let s = generate(&empty, 50, 1).expect("an empty directory is fine");
    assert_eq!(s.messages, 50);
    let scan = ingest::scan(&empty).expect("scan");
    assert_eq!(scan.mail_count(), 50);

    let none = tmp.path().join("none");
    let s = generate(&none, 0, 1).expect("zero messages");
    assert_eq!((s.messages, s.files), (0, 0));
}
