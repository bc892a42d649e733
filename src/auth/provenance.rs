//! Provenance of a file found inside an e-mail or an archive: the dates
//! its own metadata claims (created, modified) set against its
//! container's — the Date of the e-mail that carried it, the time stamped
//! on its archive entry. A document last modified after the e-mail that
//! carried it was sent is a classic sign of a planted file.

use crate::extract::meta_date;
use crate::model::{container_of, DocId, Document};

/// Slack for clocks and time zones written without an offset.
const SLACK: i64 = 24 * 60 * 60;

/// One line per comparison that does not add up (empty when all agree),
/// and whether a date could be set against a container's at all.
pub fn check(docs: &[Document], id: DocId, meta: &[(String, String)]) -> (Vec<String>, bool) {
    let get = |key: &str| {
        meta.iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| meta_date(v).map(|t| (v.as_str(), t)))
    };
    let created = get("created");
    let modified = get("modified");
    let mut out = Vec::new();
    let mut compared = false;
    if let (Some((c, ct)), Some((m, mt))) = (created, modified) {
        if mt + SLACK < ct {
            out.push(format!("modified ({m}) before it was created ({c})"));
        }
    }
    // The nearest e-mail carrying it, and the archive entry it is, if any.
    let mut mail = None;
    let mut cur = id;
    while let Some(up) = container_of(docs, cur) {
        if docs[up].is_rfc822() {
            mail = Some(up);
            break;
        }
        cur = up;
    }
    if let Some(sent) = mail.and_then(|m| docs[m].date) {
        let when = crate::preview::short_date(Some(sent));
        for (label, claim) in [("created", created), ("modified", modified)] {
            if let Some((text, t)) = claim {
                compared = true;
                if t > sent + SLACK {
                    out.push(format!(
                        "{label} {text}, after the e-mail carrying it was sent ({when})"
                    ));
                }
            }
        }
    }
    let in_zip = container_of(docs, id).is_some_and(|up| docs[up].file_type() == "zip");
    if let (true, Some(entry), Some((text, t))) = (in_zip, docs[id].date, modified) {
        compared = true;
        if (t - entry).abs() > SLACK {
            out.push(format!(
                "modified {text}, but its archive entry is stamped {}",
                crate::preview::short_date(Some(entry))
            ));
        }
    }
    (out, compared)
}
