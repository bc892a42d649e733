//! The bundled sample dump against the known answers its generator wrote
//! (`tests/data/sample_dump_expected.json`), computed independently of trawl.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use trawl::browse::Entry;
use trawl::ingest;
use trawl::workspace::Workspace;

fn expected() -> Value {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/sample_dump_expected.json"),
    )
    .expect("expected answers");
    serde_json::from_str(&text).expect("json")
}

#[test]
fn counts_match_the_generator() {
    let exp = expected();
    let scan = ingest::scan(&common::sample_dump()).expect("scan");
    assert_eq!(
        scan.mail_count() as u64,
        exp["mail_messages"].as_u64().expect("n")
    );
    assert!(scan.problems.is_empty(), "{:?}", scan.problems);
    for (path, n) in exp["mbox_messages"].as_object().expect("obj") {
        let in_file = scan
            .docs
            .iter()
            .filter(|d| d.location.path.to_string_lossy() == *path && !d.is_part())
            .count();
        assert_eq!(in_file as u64, n.as_u64().expect("n"), "{path}");
    }
    let files: BTreeSet<String> = scan
        .docs
        .iter()
        .filter(|d| !d.is_mail() && !d.is_part())
        .map(|d| d.location.path.to_string_lossy().into_owned())
        .collect();
    let want: BTreeSet<String> = exp["non_mail_files"]
        .as_array()
        .expect("arr")
        .iter()
        .map(|v| v.as_str().expect("str").to_string())
        .collect();
    assert_eq!(files, want);
}

#[test]
fn mbox_from_lines_are_unescaped_in_the_preview() {
    let exp = expected();
    let line = exp["mbox_unescaped_line"].as_str().expect("line");
    let root = common::sample_dump();
    let scan = ingest::scan(&root).expect("scan");
    let mut seen_plain = false;
    let mut seen_quoted = false;
    for d in scan
        .docs
        .iter()
        .filter(|d| d.location.container == trawl::model::Container::Mbox)
    {
        let p = trawl::preview::preview(&root, d, 80);
        seen_plain |= p.body.iter().any(|l| l == line);
        seen_quoted |= p.body.iter().any(|l| *l == format!(">{line}"));
    }
    assert!(seen_plain, "no body line reads {line:?}");
    assert!(seen_quoted, "the quoted reply must keep one '>'");
}

/// Parent → children edges by Message-ID, as the tree lays them out.
fn edges_from_tree(ws: &Workspace) -> BTreeMap<String, BTreeSet<String>> {
    let id_of = |i: u32| -> Option<String> {
        match &ws.tree.nodes[i as usize].entry {
            Entry::Doc(d) => ws.doc(*d).message_id().map(str::to_string),
            Entry::Missing(id) => Some(id.clone()),
            Entry::Group(_) => None,
        }
    };
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (i, n) in ws.tree.nodes.iter().enumerate() {
        if let (Some(p), Some(me)) = (n.parent.and_then(id_of), id_of(i as u32)) {
            edges.entry(p).or_default().insert(me);
        }
    }
    edges
}

fn edges_from_expected(node: &Value, out: &mut BTreeMap<String, BTreeSet<String>>) {
    let id = node["id"].as_str().expect("id").to_string();
    for child in node["children"].as_array().expect("children") {
        out.entry(id.clone())
            .or_default()
            .insert(child["id"].as_str().expect("id").to_string());
        edges_from_expected(child, out);
    }
}

#[test]
fn threads_match_the_generator() {
    let exp = expected();
    let data = common::data_dir();
    let ws = Workspace::open_in(&common::sample_dump(), data.path()).expect("open");
    let got = edges_from_tree(&ws);
    let mut want = BTreeMap::new();
    for t in exp["threads"].as_array().expect("threads") {
        edges_from_expected(t, &mut want);
    }
    assert_eq!(got, want);
    // The thread whose root is missing shows a placeholder at its top.
    for id in exp["missing_root_ids"].as_array().expect("ids") {
        let id = id.as_str().expect("id");
        let node = ws
            .tree
            .nodes
            .iter()
            .find(|n| n.entry == Entry::Missing(id.to_string()))
            .expect("placeholder for the missing root");
        assert_eq!(node.depth, 0);
    }
    let fb = &exp["subject_fallback"];
    assert!(want[fb["parent"].as_str().expect("p")].contains(fb["child"].as_str().expect("c")));
}

#[test]
fn hostile_and_malformed_messages_load_safely() {
    let exp = expected();
    let root = common::sample_dump();
    let scan = ingest::scan(&root).expect("scan");
    let hostile_id = exp["hostile_message_id"].as_str().expect("id");
    let hostile = scan
        .docs
        .iter()
        .find(|d| d.message_id() == Some(hostile_id))
        .expect("hostile message is loaded");
    assert!(
        hostile.subject().contains('\u{1b}'),
        "the catalog keeps the evidence as it is"
    );
    let p = trawl::preview::preview(&root, hostile, 80);
    for (_, v) in &p.headers {
        assert!(!v.contains('\u{1b}') && !v.contains('\u{202e}'), "{v:?}");
    }
    let malformed = exp["malformed_file"].as_str().expect("path");
    let bad = scan
        .docs
        .iter()
        .find(|d| d.location.path.to_string_lossy() == malformed)
        .expect("malformed message is listed");
    let p = trawl::preview::preview(&root, bad, 80);
    assert!(!p.headers.is_empty() || p.notice.is_some());
}
