//! Office Open XML (DOCX, PPTX; XLSX goes to calamine) and `OpenDocument`
//! (ODT, ODP; ODS goes to calamine): their text and core properties,
//! read with the zip and quick-xml crates; and telling ZIP and compound
//! files apart by the parts they hold.

use std::fmt::Write as _;
use std::io::Cursor;

use quick_xml::events::Event;
use quick_xml::Reader;

use super::{read_bounded, ExtractError, Extracted, Kind, MAX_PARTS, MAX_PART_BYTES};

type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

fn open(bytes: &[u8]) -> Result<Zip<'_>, ExtractError> {
    let zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ExtractError::Damaged("ZIP", e.to_string()))?;
    if zip.len() > MAX_PARTS {
        return Err(ExtractError::Damaged(
            "ZIP",
            format!("{} parts (the limit is {MAX_PARTS})", zip.len()),
        ));
    }
    Ok(zip)
}

/// A part of the archive, at most [`MAX_PART_BYTES`] unpacked; `None` if
/// there is no such part.
fn part(zip: &mut Zip<'_>, name: &str) -> Result<Option<Vec<u8>>, ExtractError> {
    match zip.by_name(name) {
        Ok(file) => read_bounded(file, MAX_PART_BYTES, name).map(Some),
        Err(zip::result::ZipError::FileNotFound) => Ok(None),
        Err(e) => Err(ExtractError::Damaged("ZIP", format!("{name}: {e}"))),
    }
}

/// Which office format a ZIP holds, if any.
pub fn zip_kind(bytes: &[u8]) -> Kind {
    let Ok(mut zip) = open(bytes) else {
        return Kind::Zip;
    };
    let has = |zip: &Zip<'_>, name: &str| zip.index_for_name(name).is_some();
    if has(&zip, "word/document.xml") {
        return Kind::Docx;
    }
    if has(&zip, "xl/workbook.xml") {
        return Kind::Xlsx;
    }
    if has(&zip, "ppt/presentation.xml") {
        return Kind::Pptx;
    }
    let mimetype = part(&mut zip, "mimetype")
        .ok()
        .flatten()
        .unwrap_or_default();
    match mimetype.as_slice() {
        b"application/vnd.oasis.opendocument.text" => Kind::Odt,
        b"application/vnd.oasis.opendocument.spreadsheet" => Kind::Ods,
        b"application/vnd.oasis.opendocument.presentation" => Kind::Odp,
        _ => Kind::Zip,
    }
}

/// Which format a compound (OLE2) file holds: Word, Excel, an Outlook
/// message, or something else.
pub fn cfb_kind(bytes: &[u8], ext: &str) -> Kind {
    let Ok(file) = cfb::CompoundFile::open(Cursor::new(bytes)) else {
        return Kind::Binary;
    };
    let mut kind = Kind::Cfb;
    for entry in file.walk().take(MAX_PARTS) {
        let name = entry.name();
        if name == "WordDocument" {
            return Kind::Doc;
        }
        if name == "Workbook" || name == "Book" {
            return Kind::Xls;
        }
        if name.starts_with("__substg1.0_") {
            kind = Kind::Msg;
        }
    }
    if kind == Kind::Cfb && ext == "msg" {
        return Kind::Msg;
    }
    kind
}

/// How a format lays its text out in XML (by local element names).
struct Layout {
    /// Elements whose text is the document's (empty: all text).
    text: &'static [&'static str],
    /// Elements that end a line.
    paragraph: &'static [&'static str],
    /// Elements that stand for a tab, a line break, a space.
    tab: &'static [&'static str],
    line_break: &'static [&'static str],
    space: &'static [&'static str],
}

const WORD: Layout = Layout {
    text: &["t"],
    paragraph: &["p"],
    tab: &["tab"],
    line_break: &["br", "cr"],
    space: &[],
};

const SLIDES: Layout = Layout {
    text: &["t"],
    paragraph: &["p"],
    tab: &[],
    line_break: &["br"],
    space: &[],
};

const ODF: Layout = Layout {
    text: &[],
    paragraph: &["p", "h"],
    tab: &["tab"],
    line_break: &["line-break"],
    space: &["s"],
};

/// The text of one XML part laid out as `layout` says, appended to `out`.
fn xml_text(xml: &[u8], layout: &Layout, out: &mut String) -> Result<(), ExtractError> {
    let xml = String::from_utf8_lossy(xml);
    let mut reader = Reader::from_str(&xml);
    // Sloppy nesting is read through.
    reader.config_mut().check_end_names = false;
    // Inside how many text elements we are (text outside them is markup
    // whitespace or field codes).
    let mut inside = 0usize;
    let all = layout.text.is_empty();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| ExtractError::Damaged("XML", e.to_string()))?;
        match event {
            Event::Start(e) if layout.text.contains(&e.local_name().as_ref()) => inside += 1,
            Event::End(e) => {
                let name = e.local_name();
                let name = name.as_ref();
                if layout.text.contains(&name) {
                    inside = inside.saturating_sub(1);
                }
                if layout.paragraph.contains(&name) {
                    out.push('\n');
                }
            }
            Event::Empty(e) => {
                let name = e.local_name();
                let name = name.as_ref();
                if layout.tab.contains(&name) {
                    out.push('\t');
                } else if layout.line_break.contains(&name) {
                    out.push('\n');
                } else if layout.space.contains(&name) {
                    out.push(' ');
                } else if layout.paragraph.contains(&name) {
                    out.push('\n');
                }
            }
            Event::Text(t) if all || inside > 0 => out.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if all || inside > 0 => push_entity(&r, out),
            Event::CData(t) if all || inside > 0 => out.push_str(&t),
            Event::Eof => return Ok(()),
            _ => {}
        }
        if out.len() > super::MAX_TEXT_BYTES {
            return Ok(());
        }
    }
}

/// `&amp;`, `&#176;` … as the character they stand for.
pub(super) fn push_entity(r: &quick_xml::events::BytesRef<'_>, out: &mut String) {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        out.push(c);
    } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(r) {
        out.push_str(s);
    }
}

/// The leaf elements of a properties part, by local name, in order.
fn leaves(xml: &[u8]) -> Vec<(String, String)> {
    let xml = String::from_utf8_lossy(xml);
    let mut reader = Reader::from_str(&xml);
    let mut out = Vec::new();
    let mut open: Option<String> = None;
    let mut text = String::new();
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Start(e) => {
                open = Some(e.local_name().as_ref().to_string());
                text.clear();
            }
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => push_entity(&r, &mut text),
            Event::End(e) => {
                let name = e.local_name().as_ref().to_string();
                if open.as_deref() == Some(name.as_str()) && !text.trim().is_empty() {
                    out.push((name, text.trim().to_string()));
                }
                open = None;
                text.clear();
            }
            Event::Eof => break,
            _ => {}
        }
        if out.len() > 200 {
            break;
        }
    }
    out
}

/// The properties people look at, under common names, from the leaves of
/// OOXML `docProps/core.xml` and `docProps/app.xml` or ODF `meta.xml`.
pub fn properties(parts: &[Vec<u8>]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for xml in parts {
        for (name, value) in leaves(xml) {
            let key = match name.as_str() {
                "title" => "title",
                "subject" => "subject",
                // OOXML dc:creator is the author; in ODF meta.xml dc:creator
                // is who saved it last and initial-creator the author.
                "creator" if out.iter().any(|(k, _)| k == "creator") => "last modified by",
                "creator" | "initial-creator" => "creator",
                "lastModifiedBy" => "last modified by",
                "created" | "creation-date" => "created",
                "modified" | "date" => "modified",
                "revision" | "editing-cycles" => "revision",
                "Application" | "generator" => "application",
                "AppVersion" => "application version",
                "Company" => "company",
                "Manager" => "manager",
                "keywords" | "keyword" => "keywords",
                "description" => "description",
                "lastPrinted" | "print-date" => "last printed",
                "Pages" | "page-count" => "pages",
                "Words" | "word-count" => "words",
                "TotalTime" | "editing-duration" => "editing time",
                _ => continue,
            };
            if !out.iter().any(|(k, _)| k == key) {
                out.push((key.to_string(), value));
            }
        }
    }
    // ODF writes the last editor as dc:creator after initial-creator; if
    // only dc:creator came, it is the author.
    out
}

/// The properties of an OOXML or ODF file (for spreadsheets, whose text
/// calamine reads); none if they cannot be read.
pub fn zip_properties(bytes: &[u8], kind: Kind) -> Vec<(String, String)> {
    let Ok(mut zip) = open(bytes) else {
        return Vec::new();
    };
    let names: &[&str] = match kind {
        Kind::Ods | Kind::Odt | Kind::Odp => &["meta.xml"],
        _ => &["docProps/core.xml", "docProps/app.xml"],
    };
    let parts: Vec<Vec<u8>> = names
        .iter()
        .filter_map(|n| part(&mut zip, n).ok().flatten())
        .collect();
    properties(&parts)
}

/// A ZIP archive that is not an office file: the list of what it holds
/// (name, size unpacked, date), one line each. (Opening its files as
/// documents of their own comes later.)
pub fn zip_listing(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let mut zip = open(bytes)?;
    let mut text = String::new();
    let mut total = 0u64;
    for i in 0..zip.len() {
        let Ok(file) = zip.by_index_raw(i) else {
            continue;
        };
        let when = file
            .last_modified()
            .map(|t| {
                format!(
                    "{:04}-{:02}-{:02} {:02}:{:02}",
                    t.year(),
                    t.month(),
                    t.day(),
                    t.hour(),
                    t.minute()
                )
            })
            .unwrap_or_default();
        total += file.size();
        let name = file.name().map_or_else(
            |_| String::from_utf8_lossy(file.name_raw()).into_owned(),
            std::borrow::Cow::into_owned,
        );
        let _ = writeln!(
            text,
            "{name}\t{}\t{when}",
            crate::preview::human_size(file.size())
        );
    }
    Ok(Extracted {
        text,
        meta: vec![
            ("files".into(), zip.len().to_string()),
            ("unpacked".into(), crate::preview::human_size(total)),
        ],
        ..Extracted::default()
    })
}

/// DOCX, PPTX, ODT, ODP: text and properties.
pub fn extract(bytes: &[u8], kind: Kind) -> Result<Extracted, ExtractError> {
    let mut zip = open(bytes)?;
    let mut text = String::new();
    let mut props = Vec::new();
    match kind {
        Kind::Docx => {
            let body = part(&mut zip, "word/document.xml")?
                .ok_or_else(|| ExtractError::Damaged("DOCX", "no word/document.xml".into()))?;
            xml_text(&body, &WORD, &mut text)?;
            props.extend(part(&mut zip, "docProps/core.xml")?);
            props.extend(part(&mut zip, "docProps/app.xml")?);
        }
        Kind::Pptx => {
            // Slides in their order: ppt/slides/slide1.xml, slide2.xml …
            let mut slides: Vec<(u32, String)> = zip
                .file_names()
                .filter_map(|n| {
                    let n = n.ok()?;
                    let num: u32 = n
                        .strip_prefix("ppt/slides/slide")?
                        .strip_suffix(".xml")?
                        .parse()
                        .ok()?;
                    Some((num, n.into_owned()))
                })
                .collect();
            slides.sort_unstable();
            for (_, name) in slides {
                if let Some(xml) = part(&mut zip, &name)? {
                    xml_text(&xml, &SLIDES, &mut text)?;
                    text.push('\n');
                }
            }
            props.extend(part(&mut zip, "docProps/core.xml")?);
            props.extend(part(&mut zip, "docProps/app.xml")?);
        }
        _ => {
            let content = part(&mut zip, "content.xml")?
                .ok_or_else(|| ExtractError::Damaged("OpenDocument", "no content.xml".into()))?;
            xml_text(&content, &ODF, &mut text)?;
            props.extend(part(&mut zip, "meta.xml")?);
        }
    }
    Ok(Extracted {
        text,
        meta: properties(&props),
        ..Extracted::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_text_keeps_paragraphs_and_tabs_only_from_text_runs() {
        let xml = br#"<w:document xmlns:w="x"><w:body>
            <w:p><w:r><w:t>Invoice</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve">n&#176; 12 &amp; co</w:t></w:r></w:p>
            <w:p><w:r><w:instrText>PAGE</w:instrText><w:t>Total</w:t></w:r></w:p>
            </w:body></w:document>"#;
        let mut out = String::new();
        xml_text(xml, &WORD, &mut out).expect("text");
        assert_eq!(out, "Invoice\tn° 12 & co\nTotal\n");
    }

    #[test]
    fn a_plain_zip_lists_what_it_holds() {
        use std::io::Write;
        let mut out = Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut out);
            let opts = zip::write::SimpleFileOptions::default();
            for (name, body) in [("notes/a.txt", "hello"), ("b.csv", "x,y\n1,2\n")] {
                zip.start_file(name, opts).expect("start");
                zip.write_all(body.as_bytes()).expect("write");
            }
            zip.finish().expect("finish");
        }
        let bytes = out.into_inner();
        assert_eq!(zip_kind(&bytes), Kind::Zip);
        let x = zip_listing(&bytes).expect("listing");
        let names: Vec<&str> = x
            .text
            .lines()
            .filter_map(|l| l.split('\t').next())
            .collect();
        assert_eq!(names, ["notes/a.txt", "b.csv"]);
        assert_eq!(x.get("files"), Some("2"));
    }

    #[test]
    fn properties_map_ooxml_and_odf_names() {
        let core = br#"<cp:coreProperties xmlns:cp="a" xmlns:dc="b" xmlns:dcterms="c">
            <dc:creator>Jane Doe</dc:creator><cp:lastModifiedBy>Ivan</cp:lastModifiedBy>
            <cp:revision>7</cp:revision><dcterms:created>2017-03-01T10:00:00Z</dcterms:created>
            </cp:coreProperties>"#;
        let app = b"<Properties><Application>Microsoft Office Word</Application><Company>ACME</Company></Properties>";
        let p = properties(&[core.to_vec(), app.to_vec()]);
        let get = |k: &str| p.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("creator"), Some("Jane Doe"));
        assert_eq!(get("last modified by"), Some("Ivan"));
        assert_eq!(get("revision"), Some("7"));
        assert_eq!(get("created"), Some("2017-03-01T10:00:00Z"));
        assert_eq!(get("application"), Some("Microsoft Office Word"));
        assert_eq!(get("company"), Some("ACME"));

        let meta = b"<office:document-meta><office:meta>
            <meta:initial-creator>Anne</meta:initial-creator><dc:creator>Bob</dc:creator>
            <meta:generator>LibreOffice/7.0</meta:generator><dc:date>2017-04-02T08:00:00</dc:date>
            </office:meta></office:document-meta>";
        let p = properties(&[meta.to_vec()]);
        let get = |k: &str| p.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("creator"), Some("Anne"));
        assert_eq!(get("last modified by"), Some("Bob"));
        assert_eq!(get("application"), Some("LibreOffice/7.0"));
        assert_eq!(get("modified"), Some("2017-04-02T08:00:00"));
    }
}
