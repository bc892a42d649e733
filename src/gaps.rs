//! Gaps in the conversations: Message-IDs that messages of the dump reply
//! to or quote in `References`, but that are not in the dump — who
//! referenced each and when. A journalist asks for these: a missing
//! message is one someone may have held back.

use std::io::{self, Write};

use serde::Serialize;

use crate::browse::{Entry, FlatTree};
use crate::model::DocId;
use crate::tree_text::DocJson;
use crate::workspace::Workspace;

/// One missing message and the documents that hang under it in the tree
/// (its replies, or messages whose References name it), oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub message_id: String,
    pub referenced_by: Vec<DocId>,
}

/// Every gap of the thread tree, the earliest referenced first.
pub fn gaps(ws: &Workspace) -> Vec<Gap> {
    gaps_in(&ws.tree, |d| ws.doc(d).date)
}

fn gaps_in(tree: &FlatTree, date: impl Fn(DocId) -> Option<i64>) -> Vec<Gap> {
    let mut out = Vec::new();
    for (i, node) in tree.nodes.iter().enumerate() {
        let Entry::Missing(id) = &node.entry else {
            continue;
        };
        let mut by: Vec<DocId> = tree.nodes[i + 1..node.end as usize]
            .iter()
            .filter(|n| n.parent == Some(i as u32))
            .filter_map(|n| match n.entry {
                Entry::Doc(d) => Some(d),
                _ => None,
            })
            .collect();
        by.sort_by_key(|&d| (date(d).unwrap_or(i64::MAX), d));
        out.push(Gap {
            message_id: id.clone(),
            referenced_by: by,
        });
    }
    out.sort_by_key(|g| {
        g.referenced_by
            .first()
            .and_then(|&d| date(d))
            .unwrap_or(i64::MAX)
    });
    out
}

#[derive(Serialize)]
struct GapJson<'a> {
    message_id: &'a str,
    referenced_by: Vec<DocJson<'a>>,
}

/// `trawl gaps`: one line per gap (`<id>` and how many reference it), then
/// one indented line per referencing message (date, sender, subject,
/// Message-ID, location, tab-separated and terminal-safe); or, with
/// `json`, one JSON object per gap.
pub fn write_gaps(ws: &Workspace, json: bool, out: &mut dyn Write) -> io::Result<()> {
    for g in gaps(ws) {
        if json {
            let row = GapJson {
                message_id: &g.message_id,
                referenced_by: g
                    .referenced_by
                    .iter()
                    .map(|&d| DocJson::of(ws, d))
                    .collect(),
            };
            writeln!(out, "{}", crate::tree_text::json_line(&row)?)?;
            continue;
        }
        let id = crate::sanitize::sanitize(&g.message_id).into_owned();
        writeln!(out, "<{id}>\treferenced by {}", g.referenced_by.len())?;
        for &d in &g.referenced_by {
            writeln!(out, "  {}", crate::tree_text::doc_fields(ws, d).join("\t"))?;
        }
    }
    Ok(())
}
