//! Writes a dump that is half e-mail, half office documents, for the
//! indexing figure in BENCHMARKS.md (issue 5).
//!
//! `cargo run --release --example office_dump -- OUT_DIR --documents N [--seed S]`
//!
//! - `OUT_DIR/mail/`: N/2 messages from the synthetic generator
//!   (`trawl::synth`, the same as `examples/synth_dump`);
//! - `OUT_DIR/documents/`: N/2 office files in turn DOCX, XLSX, PDF and
//!   ODT, each distinct (its own words, numbers, author and dates), one to
//!   three pages or 50 to 300 rows.
//!
//! Deterministic for a given seed. Prints one JSON line: what was written.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, Stream};

const USAGE: &str = "usage: office_dump OUT_DIR --documents N [--seed S]";

#[path = "common/words.rs"]
mod words;
use words::WORDS;

/// More words, after the shared ones.
const MORE_WORDS: &[&str] = &[
    "facture",
    "réunion",
    "virement",
    "prestataire",
    "devis",
    "salle",
    "affiches",
    "sondage",
    "candidat",
    "trésorier",
    "subvention",
    "bénévoles",
    "meeting",
    "tract",
    "régie",
    "compte",
    "agenda",
    "press",
    "release",
    "draft",
    "minutes",
    "approval",
    "signature",
    "deadline",
    "poll",
    "district",
    "volunteer",
    "schedule",
    "catering",
    "hotel",
    "flight",
    "refund",
];

const PEOPLE: &[&str] = &[
    "Jean Moulinier",
    "Claire Dufresne",
    "R. Kessler",
    "Amélie Roux",
    "Paul Verdanne",
    "Sofia Marques",
    "Thomas Lenoir",
    "Nadia Benali",
    "Hugo Carpentier",
    "Léa Fontaine",
];

/// A small LCG: the same sequence for the same seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn word(&mut self) -> &'static str {
        let i = self.below(WORDS.len() + MORE_WORDS.len());
        WORDS
            .get(i)
            .copied()
            .unwrap_or_else(|| MORE_WORDS[i - WORDS.len()])
    }
    fn sentence(&mut self, n: usize) -> String {
        let words: Vec<&str> = (0..n).map(|_| self.word()).collect();
        let mut s = words.join(" ");
        if let Some(first) = s.get(..1) {
            s = first.to_uppercase() + &s[1..];
        }
        s
    }
    fn person(&mut self) -> &'static str {
        PEOPLE[self.below(PEOPLE.len())]
    }
    /// A date in 2016–2017 as `2017-03-02T09:00:00Z`.
    fn date(&mut self) -> String {
        format!(
            "{}-{:02}-{:02}T{:02}:{:02}:00Z",
            2016 + self.below(2),
            1 + self.below(12),
            1 + self.below(28),
            7 + self.below(12),
            self.below(60)
        )
    }
}

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn zip_file(path: &Path, parts: &[(&str, String)]) -> Res<()> {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path)?);
    let opts =
        zip::write::SimpleFileOptions::default().last_modified_time(zip::DateTime::default());
    for (name, body) in parts {
        let o = if *name == "mimetype" {
            opts.compression_method(zip::CompressionMethod::Stored)
        } else {
            opts
        };
        zip.start_file(*name, o)?;
        zip.write_all(body.as_bytes())?;
    }
    zip.finish()?;
    Ok(())
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;")
}

fn core_xml(r: &mut Rng, title: &str) -> String {
    format!(
        r#"<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><dc:title>{}</dc:title><dc:creator>{}</dc:creator><cp:lastModifiedBy>{}</cp:lastModifiedBy><cp:revision>{}</cp:revision><dcterms:created>{}</dcterms:created><dcterms:modified>{}</dcterms:modified></cp:coreProperties>"#,
        esc(title),
        r.person(),
        r.person(),
        1 + r.below(9),
        r.date(),
        r.date()
    )
}

fn docx(path: &Path, r: &mut Rng, n: usize) -> Res<()> {
    let title = format!("{} {n}", r.sentence(3));
    let mut body = String::new();
    for _ in 0..20 + r.below(60) {
        let len = 8 + r.below(30);
        let _ = write!(
            body,
            "<w:p><w:r><w:t>{}.</w:t></w:r></w:p>",
            esc(&r.sentence(len))
        );
    }
    zip_file(
        path,
        &[
            ("word/document.xml", format!(r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{}</w:t></w:r></w:p>{body}</w:body></w:document>"#, esc(&title))),
            ("docProps/core.xml", core_xml(r, &title)),
            ("docProps/app.xml", "<Properties><Application>Microsoft Office Word</Application><Company>Campagne 2017</Company></Properties>".to_string()),
        ],
    )
}

fn xlsx(path: &Path, r: &mut Rng, n: usize) -> Res<()> {
    let mut rows = String::new();
    for row in 1..=50 + r.below(250) {
        let _ = write!(
            rows,
            r#"<row r="{row}"><c r="A{row}"><v>{}</v></c><c r="B{row}" t="inlineStr"><is><t>{} {}</t></is></c><c r="C{row}"><v>{}.{:02}</v></c></row>"#,
            n * 1000 + row,
            r.word(),
            r.word(),
            r.below(100_000),
            r.below(100)
        );
    }
    let title = format!("ledger {n}");
    zip_file(
        path,
        &[
            ("[Content_Types].xml", r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string()),
            ("_rels/.rels", r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string()),
            ("xl/workbook.xml", r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Ledger" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string()),
            ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string()),
            ("xl/worksheets/sheet1.xml", format!(r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#)),
            ("docProps/core.xml", core_xml(r, &title)),
        ],
    )
}

fn odt(path: &Path, r: &mut Rng, n: usize) -> Res<()> {
    let mut body = String::new();
    for _ in 0..20 + r.below(60) {
        let len = 8 + r.below(30);
        let _ = write!(body, "<text:p>{}.</text:p>", esc(&r.sentence(len)));
    }
    let title = format!("{} {n}", r.sentence(3));
    zip_file(
        path,
        &[
            (
                "mimetype",
                "application/vnd.oasis.opendocument.text".to_string(),
            ),
            (
                "content.xml",
                format!(
                    r#"<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:h>{}</text:h>{body}</office:text></office:body></office:document-content>"#,
                    esc(&title)
                ),
            ),
            (
                "meta.xml",
                format!(
                    r#"<?xml version="1.0"?><office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta><dc:title>{}</dc:title><meta:initial-creator>{}</meta:initial-creator><dc:creator>{}</dc:creator><meta:creation-date>{}</meta:creation-date><meta:generator>LibreOffice/5.2</meta:generator></office:meta></office:document-meta>"#,
                    esc(&title),
                    r.person(),
                    r.person(),
                    r.date()
                ),
            ),
        ],
    )
}

fn pdf(path: &Path, r: &mut Rng, n: usize) -> Res<()> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let mut kids: Vec<Object> = Vec::new();
    for page in 0..=r.below(3) {
        let mut ops = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 10.into()]),
            Operation::new("TL", vec![13.into()]),
            Operation::new("Td", vec![50.into(), 790.into()]),
        ];
        for line in 0..45 {
            let len = 6 + r.below(8);
            let text = format!("{n}.{}.{line} {}", page + 1, r.sentence(len));
            ops.push(Operation::new("Tj", vec![Object::string_literal(text)]));
            ops.push(Operation::new("T*", vec![]));
        }
        ops.push(Operation::new("ET", vec![]));
        let content = Content { operations: ops };
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode()?));
        kids.push(
            doc.add_object(dictionary! {
                "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
            })
            .into(),
        );
    }
    let count = i64::try_from(kids.len())?;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => count,
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    let info = doc.add_object(dictionary! {
        "Author" => Object::string_literal(r.person()),
        "Producer" => Object::string_literal("Microsoft Word 2016"),
        "Title" => Object::string_literal(format!("report {n}")),
    });
    doc.trailer.set("Root", catalog);
    doc.trailer.set("Info", info);
    doc.compress();
    doc.save(path)?;
    Ok(())
}

fn parse_args() -> Result<(PathBuf, usize, u64), String> {
    let mut out = None;
    let mut documents = None;
    let mut seed = 1;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--documents" | "--seed" => {
                let v = args
                    .next()
                    .ok_or_else(|| format!("{arg} needs a value; {USAGE}"))?;
                let n = v
                    .parse::<u64>()
                    .map_err(|_| format!("{arg}: not a number: {v:?}; {USAGE}"))?;
                if arg == "--seed" {
                    seed = n;
                } else {
                    documents = Some(usize::try_from(n).map_err(|e| e.to_string())?);
                }
            }
            a if a.starts_with('-') => return Err(format!("unknown option {a}; {USAGE}")),
            _ if out.is_none() => out = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument {arg:?}; {USAGE}")),
        }
    }
    Ok((
        out.ok_or_else(|| format!("missing OUT_DIR; {USAGE}"))?,
        documents.ok_or_else(|| format!("missing --documents N; {USAGE}"))?,
        seed,
    ))
}

fn run(out: &Path, documents: usize, seed: u64) -> Res<String> {
    let mail = trawl::synth::generate(&out.join("mail"), documents / 2, seed)?;
    let mut r = Rng(seed ^ 0x0ff1_ce00);
    let office = documents - documents / 2;
    let mut counts = [0usize; 4];
    for n in 0..office {
        let dir = out.join("documents").join(format!("{:03}", n / 500));
        std::fs::create_dir_all(&dir)?;
        let kind = n % 4;
        counts[kind] += 1;
        match kind {
            0 => docx(&dir.join(format!("note-{n:06}.docx")), &mut r, n)?,
            1 => xlsx(&dir.join(format!("ledger-{n:06}.xlsx")), &mut r, n)?,
            2 => pdf(&dir.join(format!("report-{n:06}.pdf")), &mut r, n)?,
            _ => odt(&dir.join(format!("minutes-{n:06}.odt")), &mut r, n)?,
        }
    }
    Ok(format!(
        r#"{{"messages":{},"office":{office},"docx":{},"xlsx":{},"pdf":{},"odt":{},"mail":{}}}"#,
        documents / 2,
        counts[0],
        counts[1],
        counts[2],
        counts[3],
        mail.to_json()
    ))
}

fn main() -> ExitCode {
    let (out, documents, seed) = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("office_dump: {e}");
            return ExitCode::from(2);
        }
    };
    match run(&out, documents, seed) {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("office_dump: {}: {e}", out.display());
            ExitCode::from(1)
        }
    }
}
