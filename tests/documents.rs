//! Office documents in a dump: the preview shows their text and metadata
//! (extracted off the keyboard's thread and kept in the project, never in
//! the dump), and search finds them by their words and their author.

mod common;

use std::io::Write;
use std::path::Path;

use trawl::search::eval::{self, HashIndex, Order};
use trawl::search::fulltext::FullText;
use trawl::search::query;
use trawl::tui::action::Action;
use trawl::tui::app::App;
use trawl::tui::keymap::Keymap;
use trawl::tui::theme::Theme;
use trawl::workspace::Workspace;

/// A small DOCX with two paragraphs and core properties.
fn docx(path: &Path) {
    let file = std::fs::File::create(path).expect("create");
    let mut zip = zip::ZipWriter::new(file);
    // A fixed time: the same bytes (and hash) on every run.
    let opts =
        zip::write::SimpleFileOptions::default().last_modified_time(zip::DateTime::default());
    let mut put = |name: &str, text: &str| {
        zip.start_file(name, opts).expect("start");
        zip.write_all(text.as_bytes()).expect("write");
    };
    put(
        "word/document.xml",
        r#"<?xml version="1.0"?><w:document xmlns:w="w"><w:body>
        <w:p><w:r><w:t>Contrat de prestation &amp; annexe</w:t></w:r></w:p>
        <w:p><w:r><w:t>Montant total :</w:t><w:tab/><w:t>48 000 EUR</w:t></w:r></w:p>
        </w:body></w:document>"#,
    );
    put(
        "docProps/core.xml",
        r#"<?xml version="1.0"?><cp:coreProperties xmlns:cp="cp" xmlns:dc="dc" xmlns:dcterms="t">
        <dc:title>Contrat Verdanne</dc:title><dc:creator>Jean Moulinier</dc:creator>
        <cp:lastModifiedBy>Operateur Externe</cp:lastModifiedBy><cp:revision>3</cp:revision>
        <dcterms:created>2017-03-02T09:00:00Z</dcterms:created></cp:coreProperties>"#,
    );
    put(
        "docProps/app.xml",
        "<Properties><Application>Microsoft Office Word</Application><Company>Verdanne SA</Company></Properties>",
    );
    zip.finish().expect("finish");
}

/// The dump, as `dump/` in a temporary folder (a fixed name on screen).
struct Dump {
    _tmp: tempfile::TempDir,
    root: std::path::PathBuf,
}

impl Dump {
    fn path(&self) -> &Path {
        &self.root
    }
}

fn dump() -> Dump {
    let tmp = tempfile::tempdir().expect("dump");
    let root = tmp.path().join("dump");
    std::fs::create_dir(&root).expect("mkdir");
    let dir = Dump { _tmp: tmp, root };
    docx(&dir.path().join("contrat.docx"));
    std::fs::write(
        dir.path().join("budget.csv"),
        "poste;montant\nsalles;46 200\nimpression;4 320\n",
    )
    .expect("csv");
    std::fs::write(
        dir.path().join("a.eml"),
        "From: a@x.example\r\nSubject: hello\r\nDate: Thu, 16 Mar 2017 10:02:11 +0100\r\n\r\nbody\r\n",
    )
    .expect("eml");
    dir
}

#[test]
fn a_docx_preview_shows_its_text_and_metadata() {
    let root = dump();
    let data = common::data_dir();
    let ws = Workspace::open_in(root.path(), data.path()).expect("open");
    let doc = (0..ws.scan.docs.len())
        .find(|&d| ws.doc(d).subject() == "contrat.docx")
        .expect("the docx is a document");
    let mut a = App::new(ws, Keymap::builtin(), Theme { color: false }, (100, 30));
    // Walk down to it; its preview says the text is on its way, then
    // shows it when the extractor answers.
    while a.selected_doc() != Some(doc) {
        a.update(Action::Down);
    }
    let waiting = common::text(&common::render(&a));
    assert!(waiting.contains("extracting the text"), "{waiting}");
    common::wait_for_extraction(&mut a, doc);
    let screen = common::text(&common::render(&a));
    for expected in [
        "Type: docx",
        "Creator: Jean Moulinier",
        "Modified by: Operateur Externe",
        "Company: Verdanne SA",
        "Contrat de prestation & annexe",
        "48 000 EUR",
    ] {
        assert!(
            screen.lines().any(|l| l
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .contains(expected)),
            "{expected:?} not on screen:\n{screen}"
        );
    }
    insta::assert_snapshot!("docx_preview", screen);
    // Kept in the project folder, not in the dump.
    let kept = walkdir::WalkDir::new(data.path())
        .into_iter()
        .filter_map(Result::ok)
        .any(|e| {
            e.path()
                .to_string_lossy()
                .contains(trawl::extract::cache::DIR)
        });
    assert!(kept, "extraction cached in the project");
    let in_dump: Vec<_> = std::fs::read_dir(root.path())
        .expect("dump")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        in_dump.len(),
        3,
        "nothing written into the dump: {in_dump:?}"
    );
}

#[test]
fn search_finds_office_text_and_authors() {
    let root = dump();
    let data = common::data_dir();
    let ws = Workspace::open_in(root.path(), data.path()).expect("open");
    let ft = FullText::open(&ws.project.dir).expect("index");
    ft.sync(&ws.scan.root, &ws.scan.docs, &|_, _| {})
        .expect("sync");
    let hashes = HashIndex::new(&ws.scan.docs);
    let find = |q: &str| -> Vec<String> {
        let q = query::parse(q).expect("query");
        eval::run(&q, &ws, &ft, &hashes, Order::Relevance)
            .expect("run")
            .into_iter()
            .map(|d| ws.doc(d).subject().to_string())
            .collect()
    };
    assert_eq!(find("prestation"), ["contrat.docx"]);
    assert_eq!(find("author:moulinier"), ["contrat.docx"]);
    assert_eq!(find("author:\"operateur externe\""), ["contrat.docx"]);
    assert_eq!(find("impression"), ["budget.csv"]);
    assert!(find("author:hello").is_empty());
}

/// Several PDFs extracted at once while the search index is built (its
/// workers wait for the extraction threads): each finishes at once, none
/// runs into the time limit (a PDF library using the same thread pool once
/// made them wait for it).
#[test]
fn pdfs_are_extracted_in_parallel_without_waiting_for_the_time_limit() {
    let root = dump();
    let pdf = std::fs::read(
        common::sample_dump().join("pieces-jointes/devis_imprimerie_roux_D-2017-031.pdf"),
    )
    .expect("sample pdf");
    for i in 0..6 {
        // Distinct contents (a trailing comment), so each is extracted.
        let mut bytes = pdf.clone();
        bytes.extend_from_slice(format!("\n% copy {i}\n").as_bytes());
        std::fs::write(root.path().join(format!("devis-{i}.pdf")), bytes).expect("pdf");
    }
    let data = common::data_dir();
    let ws = Workspace::open_in(root.path(), data.path()).expect("open");
    let ft = FullText::open(&ws.project.dir).expect("index");
    let started = std::time::Instant::now();
    ft.sync(&ws.scan.root, &ws.scan.docs, &|_, _| {})
        .expect("sync");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    let cache = trawl::extract::cache::Cache::new(&ws.project.dir);
    for d in ws.scan.docs.iter().filter(|d| d.file_type() == "pdf") {
        let outcome = cache.get(&d.hash).expect("extracted");
        assert_eq!(outcome.map(|x| x.kind), Ok("pdf".to_string()));
    }
}

/// A file over the reading limit gets that as its reason, not "damaged".
#[test]
fn a_file_over_the_reading_limit_says_so() {
    let root = dump();
    let big = std::fs::File::create(root.path().join("huge.pdf")).expect("create");
    big.set_len(trawl::ingest::limits::MAX_DOCUMENT_BYTES + 1)
        .expect("sparse file");
    let data = common::data_dir();
    let ws = Workspace::open_in(root.path(), data.path()).expect("open");
    let doc = ws
        .scan
        .docs
        .iter()
        .find(|d| d.subject() == "huge.pdf")
        .expect("listed");
    let cache = trawl::extract::cache::Cache::new(&ws.project.dir);
    let outcome = cache.extract_doc(&ws.scan.root, doc);
    let why = outcome.expect_err("not extracted");
    assert!(why.starts_with("too large to read"), "{why}");
}

/// A one-page PDF whose information dictionary names one author and whose
/// XMP packet (compressed) names another: the kind of seam a forger leaves.
fn pdf_with_xmp(path: &Path) {
    use lopdf::content::{Content, Operation};
    use lopdf::{dictionary, Object, Stream};
    let content = Content {
        operations: vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 12.into()]),
            Operation::new("Td", vec![50.into(), 700.into()]),
            Operation::new("Tj", vec![Object::string_literal("Attestation de don")]),
            Operation::new("ET", vec![]),
        ],
    };
    let (mut doc, catalog) =
        common::one_page_pdf(Stream::new(dictionary! {}, content.encode().expect("ops")));
    let xmp = r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<dc:creator><rdf:Seq><rdf:li>R. Kessler</rdf:li></rdf:Seq></dc:creator>
<pdf:Producer>LibreOffice 5.2</pdf:Producer>
<xmp:CreateDate>2017-03-14T22:41:00+01:00</xmp:CreateDate>
</rdf:Description></rdf:RDF></x:xmpmeta>"#;
    let metadata = doc.add_object(Stream::new(
        dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
        xmp.as_bytes().to_vec(),
    ));
    doc.get_object_mut(catalog)
        .and_then(Object::as_dict_mut)
        .expect("catalog")
        .set("Metadata", metadata);
    let info = doc.add_object(dictionary! {
        "Author" => Object::string_literal("Jean Moulinier"),
        "Producer" => Object::string_literal("LibreOffice 5.2"),
        "CreationDate" => Object::string_literal("D:20170301100000+01'00'"),
    });
    doc.trailer.set("Info", info);
    doc.compress();
    doc.save(path).expect("pdf");
}

/// The preview shows where a PDF's information dictionary and its XMP
/// packet disagree, and search finds the PDF by either author.
#[test]
fn a_pdf_whose_xmp_disagrees_with_its_info_says_so() {
    let root = dump();
    pdf_with_xmp(&root.path().join("attestation.pdf"));
    let bytes = std::fs::read(root.path().join("attestation.pdf")).expect("pdf");
    assert!(
        !bytes.windows(10).any(|w| w == b"R. Kessler"),
        "the XMP packet is compressed, so the Flate path is the one tested"
    );
    let data = common::data_dir();
    let ws = Workspace::open_in(root.path(), data.path()).expect("open");
    let doc = (0..ws.scan.docs.len())
        .find(|&d| ws.doc(d).subject() == "attestation.pdf")
        .expect("listed");
    let ft = FullText::open(&ws.project.dir).expect("index");
    ft.sync(&ws.scan.root, &ws.scan.docs, &|_, _| {})
        .expect("sync");
    let hashes = HashIndex::new(&ws.scan.docs);
    for q in ["author:kessler", "author:moulinier attestation"] {
        let q = query::parse(q).expect("query");
        let found: Vec<String> = eval::run(&q, &ws, &ft, &hashes, Order::Relevance)
            .expect("run")
            .into_iter()
            .map(|d| ws.doc(d).subject().to_string())
            .collect();
        assert!(
            found.contains(&"attestation.pdf".to_string()),
            "{q:?}: {found:?}"
        );
    }
    let mut a = App::new(ws, Keymap::builtin(), Theme { color: false }, (120, 40));
    while a.selected_doc() != Some(doc) {
        a.update(Action::Down);
    }
    common::wait_for_extraction(&mut a, doc);
    let screen = common::text(&common::render(&a));
    let flat: Vec<String> = screen
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    for expected in [
        "Author: Jean Moulinier",
        "XMP author: R. Kessler",
        "XMP created: 2017-03-14T22:41:00+01:00",
        "XMP agrees: producer",
        "Conflict: author, created: info and XMP differ",
        "Attestation de don",
    ] {
        assert!(
            flat.iter().any(|l| l.contains(expected)),
            "{expected:?} not on screen:\n{screen}"
        );
    }
}
