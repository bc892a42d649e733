//! XMP: the XML metadata packet PDFs (and some office files) carry next to
//! their information dictionary. The two are written by different code and
//! a forger editing one often forgets the other, so a disagreement is
//! pointed out.
//!
//! Properties are matched by namespace URI, not by prefix, with quick-xml's
//! namespace reader; a property may be an element (with `rdf:Seq`/`rdf:Alt`
//! lists inside) or an attribute of `rdf:Description`.

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

const DC: &str = "http://purl.org/dc/elements/1.1/";
const XMP: &str = "http://ns.adobe.com/xap/1.0/";
const PDF: &str = "http://ns.adobe.com/pdf/1.3/";
const MM: &str = "http://ns.adobe.com/xap/1.0/mm/";

/// (namespace, local name) → the key shown and searched.
const PROPERTIES: &[(&str, &str, &str)] = &[
    (DC, "title", "xmp title"),
    (DC, "creator", "xmp author"),
    (XMP, "CreatorTool", "xmp application"),
    (PDF, "Producer", "xmp producer"),
    (XMP, "CreateDate", "xmp created"),
    (XMP, "ModifyDate", "xmp modified"),
    (XMP, "MetadataDate", "xmp metadata date"),
    (PDF, "Keywords", "xmp keywords"),
    (MM, "DocumentID", "xmp document id"),
];

/// Longest value kept.
const MAX_VALUE: usize = 2000;

fn key_of(ns: &ResolveResult<'_>, local: &str) -> Option<&'static str> {
    let ResolveResult::Bound(ns) = ns else {
        return None;
    };
    PROPERTIES
        .iter()
        .find(|(n, l, _)| *n == ns.as_ref() && *l == local)
        .map(|(_, _, key)| *key)
}

/// The known properties of an XMP packet, in the order of [`PROPERTIES`];
/// list values (several authors) joined with `; `. Damaged XML gives what
/// was read before the damage.
pub fn properties(xml: &[u8]) -> Vec<(String, String)> {
    let xml = String::from_utf8_lossy(xml);
    let mut reader = NsReader::from_str(&xml);
    let mut found: Vec<(&'static str, Vec<String>)> = Vec::new();
    let mut add = |key: &'static str, value: &str| {
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        match found.iter_mut().find(|(k, _)| *k == key) {
            Some((_, values)) => values.push(value.to_string()),
            None => found.push((key, vec![value.to_string()])),
        }
    };
    // The property being read, and how deep inside it we are.
    let mut open: Option<(&'static str, usize)> = None;
    let mut text = String::new();
    while let Ok((ns, event)) = reader.read_resolved_event() {
        match event {
            Event::Start(e) => {
                if let Some((_, depth)) = open.as_mut() {
                    *depth += 1;
                    text.clear();
                } else if let Some(key) = key_of(&ns, e.local_name().as_ref()) {
                    open = Some((key, 0));
                    text.clear();
                } else {
                    attributes(&reader, &e, &mut add);
                }
            }
            Event::Empty(e) if open.is_none() => attributes(&reader, &e, &mut add),
            Event::Text(t) if open.is_some() => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if open.is_some() => super::office::push_entity(&r, &mut text),
            Event::CData(t) if open.is_some() => text.push_str(&t),
            Event::End(_) => match open.as_mut() {
                Some((key, 0)) => {
                    add(key, &text);
                    text.clear();
                    open = None;
                }
                Some((key, depth)) => {
                    // The end of an `rdf:li` (or of the list around it).
                    add(key, &text);
                    text.clear();
                    *depth -= 1;
                }
                None => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (_, _, key) in PROPERTIES {
        if let Some((_, values)) = found.iter().find(|(k, _)| k == key) {
            let joined = values.join("; ");
            out.push((
                (*key).to_string(),
                crate::model::prefix_within(&joined, MAX_VALUE).to_string(),
            ));
        }
    }
    out
}

/// Properties written as attributes of an element (`rdf:Description
/// xmp:CreatorTool="…"`).
fn attributes(
    reader: &NsReader<&[u8]>,
    e: &BytesStart<'_>,
    add: &mut impl FnMut(&'static str, &str),
) {
    for attr in e.attributes().flatten() {
        let (ns, local) = reader.resolver().resolve_attribute(attr.key);
        if let Some(key) = key_of(&ns, local.as_ref()) {
            if let Ok(value) = attr.normalized_value(quick_xml::XmlVersion::Implicit1_0) {
                add(key, &value);
            }
        }
    }
}

/// XMP properties and the information-dictionary keys they repeat
/// (`true`: a date).
const PAIRS: &[(&str, &str, bool)] = &[
    ("title", "xmp title", false),
    ("author", "xmp author", false),
    ("application", "xmp application", false),
    ("producer", "xmp producer", false),
    ("created", "xmp created", true),
    ("modified", "xmp modified", true),
    ("keywords", "xmp keywords", false),
];

/// Add the XMP properties to a PDF's metadata (`meta`, from its
/// information dictionary). One that repeats an agreeing info value is
/// not shown twice: it is named in one `xmp agrees` line. One that
/// disagrees is kept (beside the info value), and a `metadata conflict`
/// line names them all: `author, created: info and XMP differ`.
pub fn merge(meta: &mut Vec<(String, String)>, xmp: Vec<(String, String)>) {
    let mut agreed = Vec::new();
    let mut conflicts = Vec::new();
    let mut kept = Vec::new();
    for (key, value) in xmp {
        let pair = PAIRS.iter().find(|(_, x, _)| *x == key);
        let info = pair.and_then(|(k, _, _)| meta.iter().find(|(m, _)| m == k));
        match (pair, info) {
            (Some(&(name, _, is_date)), Some((_, info))) => {
                let same = if is_date {
                    same_minute(info, &value)
                } else {
                    normalise(info) == normalise(&value)
                };
                if same {
                    agreed.push(name);
                } else {
                    conflicts.push(name);
                    kept.push((key, value));
                }
            }
            _ => kept.push((key, value)),
        }
    }
    meta.extend(kept);
    if !agreed.is_empty() {
        meta.push(("xmp agrees".into(), agreed.join(", ")));
    }
    if !conflicts.is_empty() {
        meta.push((
            "metadata conflict".into(),
            format!("{}: info and XMP differ", conflicts.join(", ")),
        ));
    }
}

fn normalise(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Two metadata dates (`2017-03-01 10:00:00 +01:00` from the info
/// dictionary, `2017-03-01T10:00:00+01:00` from XMP) less than a minute
/// apart; dates that cannot be read are compared as text.
fn same_minute(a: &str, b: &str) -> bool {
    match (super::meta_date(a), super::meta_date(b)) {
        (Some(x), Some(y)) => (x - y).abs() < 60,
        _ => normalise(a) == normalise(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PACKET: &str = r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
 <rdf:Description rdf:about="" xmlns:xap="http://ns.adobe.com/xap/1.0/"
   xap:CreatorTool="Microsoft&#xAE; Word 2016" xap:CreateDate="2017-03-01T10:00:00+01:00"/>
 <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:p="http://ns.adobe.com/pdf/1.3/">
  <dc:creator><rdf:Seq><rdf:li>Jean Moulinier</rdf:li><rdf:li>R. Kessler</rdf:li></rdf:Seq></dc:creator>
  <dc:title><rdf:Alt><rdf:li xml:lang="x-default">Attestation &amp; don</rdf:li></rdf:Alt></dc:title>
  <p:Producer>LibreOffice 5.2</p:Producer>
  <dc:description>not one we show</dc:description>
 </rdf:Description>
</rdf:RDF></x:xmpmeta><?xpacket end="w"?>"#;

    #[test]
    fn properties_are_found_by_namespace_in_elements_and_attributes() {
        let got = properties(PACKET.as_bytes());
        let want = [
            ("xmp title", "Attestation & don"),
            ("xmp author", "Jean Moulinier; R. Kessler"),
            ("xmp application", "Microsoft\u{ae} Word 2016"),
            ("xmp producer", "LibreOffice 5.2"),
            ("xmp created", "2017-03-01T10:00:00+01:00"),
        ];
        let got: Vec<(&str, &str)> = got.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_prefix_bound_elsewhere_is_not_mistaken_for_dublin_core() {
        let xml = r#"<r xmlns:dc="urn:other"><dc:creator>nobody</dc:creator></r>"#;
        assert!(properties(xml.as_bytes()).is_empty());
        assert!(properties(b"<unclosed><dc:creator").is_empty());
    }

    fn pairs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect()
    }

    #[test]
    fn agreeing_xmp_is_named_once_and_disagreeing_xmp_is_a_conflict() {
        let mut meta = pairs(&[
            ("author", "Jean  Moulinier"),
            ("created", "2017-03-01 10:00:00 +01:00"),
            ("modified", "2017-03-01 09:00:00 UTC"),
        ]);
        merge(
            &mut meta,
            pairs(&[
                ("xmp author", "jean moulinier"),
                ("xmp created", "2017-03-01T10:00:59+01:00"),
                ("xmp modified", "2017-03-01T09:00:00Z"),
                ("xmp document id", "uuid:1"),
            ]),
        );
        assert_eq!(
            &meta[3..],
            pairs(&[
                ("xmp document id", "uuid:1"),
                ("xmp agrees", "author, created, modified")
            ])
        );

        let mut meta = pairs(&[
            ("author", "Jean Moulinier"),
            ("created", "2017-03-01 10:00:00 +01:00"),
            ("modified", "2017-03-01 10:00:00 -05:00"),
        ]);
        merge(
            &mut meta,
            pairs(&[
                ("xmp author", "R. Kessler"),
                ("xmp created", "2017-03-04T10:00:00+01:00"),
                ("xmp modified", "2017-03-01T10:00:00+01:00"),
            ]),
        );
        let conflicts: Vec<&str> = meta
            .iter()
            .filter(|(k, _)| k == "metadata conflict")
            .map(|(_, v)| v.as_str())
            .collect();
        assert_eq!(
            conflicts,
            ["author, created, modified: info and XMP differ"]
        );
        assert!(meta
            .iter()
            .any(|(k, v)| k == "xmp author" && v == "R. Kessler"));
    }
}
