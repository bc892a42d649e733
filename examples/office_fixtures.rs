//! Writes the documents behind the extraction timings in BENCHMARKS.md:
//! a 20-page text PDF and a spreadsheet of about 5 MB.
//!
//! `cargo run --release --example office_fixtures -- DIR` writes
//! `DIR/report-20-pages.pdf` and `DIR/ledger-5mb.xlsx` (deterministic).

use std::io::Write;
use std::path::Path;

use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, Stream};

#[path = "common/words.rs"]
mod words;
use words::WORDS;

/// A word sequence that does not repeat too soon (a small LCG).
struct Words(u64);

impl Words {
    fn next(&mut self) -> &'static str {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        WORDS[(self.0 >> 33) as usize % WORDS.len()]
    }
}

fn pdf(path: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
    });
    let mut words = Words(1);
    let mut kids: Vec<Object> = Vec::new();
    for page in 0..20 {
        let mut ops = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 10.into()]),
            Operation::new("TL", vec![13.into()]),
            Operation::new("Td", vec![50.into(), 790.into()]),
        ];
        for line in 0..55 {
            let text: Vec<&str> = (0..12).map(|_| words.next()).collect();
            let text = format!("{} {}.{} {}", page + 1, line + 1, line * 7, text.join(" "));
            ops.push(Operation::new("Tj", vec![Object::string_literal(text)]));
            ops.push(Operation::new("T*", vec![]));
        }
        ops.push(Operation::new("ET", vec![]));
        let content = Content { operations: ops };
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode()?));
        let page_ref = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        });
        kids.push(page_ref.into());
    }
    let count = i64::try_from(kids.len())?;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => count,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    doc.compress();
    let mut file = std::fs::File::create(path)?;
    doc.save_to(&mut file)?;
    Ok(())
}

/// A one-sheet XLSX of ledger rows (inline strings and numbers), grown
/// until the file is about 5 MB.
fn xlsx(path: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let file = std::fs::File::create(path)?;
    let mut zip = zip::ZipWriter::new(file);
    let opts =
        zip::write::SimpleFileOptions::default().last_modified_time(zip::DateTime::default());
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Ledger" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
    ];
    for (name, body) in parts {
        zip.start_file(name, opts)?;
        zip.write_all(body.as_bytes())?;
    }
    zip.start_file("xl/worksheets/sheet1.xml", opts)?;
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#)?;
    let mut words = Words(7);
    for row in 1..=180_000u64 {
        let amount = (row * 7919) % 100_000;
        write!(
            zip,
            r#"<row r="{row}"><c r="A{row}"><v>{row}</v></c><c r="B{row}" t="inlineStr"><is><t>{} {}</t></is></c><c r="C{row}" t="inlineStr"><is><t>{}</t></is></c><c r="D{row}"><v>{amount}.{:02}</v></c></row>"#,
            words.next(),
            words.next(),
            words.next(),
            row % 100
        )?;
    }
    zip.write_all(b"</sheetData></worksheet>")?;
    zip.finish()?;
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .ok_or("usage: office_fixtures DIR")?;
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir)?;
    pdf(&dir.join("report-20-pages.pdf"))?;
    xlsx(&dir.join("ledger-5mb.xlsx"))?;
    for name in ["report-20-pages.pdf", "ledger-5mb.xlsx"] {
        let size = std::fs::metadata(dir.join(name))?.len();
        println!("{name}\t{size}");
    }
    Ok(())
}
