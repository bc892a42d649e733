//! The extraction limits on documents built to cross them: the text kept
//! from one document (`extract::MAX_TEXT_BYTES`) and the cells read from
//! one workbook (`extract::MAX_CELLS`). Each cut is said
//! (`truncated`), and what is kept stays within the limit.

use std::fmt::Write as _;
use std::io::Write as _;
use std::time::{Duration, Instant};

use trawl::extract::{self, MAX_CELLS, MAX_TEXT_BYTES};

/// Generous even for a debug build on a loaded 2-core machine.
const BOUND: Duration = Duration::from_mins(1);

fn extract_timed(bytes: &[u8], name: &str) -> extract::Extracted {
    let start = Instant::now();
    let out = extract::extract(bytes, name).expect("extract");
    assert!(start.elapsed() < BOUND, "{name}: {:?}", start.elapsed());
    out
}

#[test]
fn a_text_file_larger_than_the_text_limit_is_cut_and_says_so() {
    let line = "Virement de 48 000 EUR vers le compte 0042, ref. facture D-2017-031 — été.\n";
    let mut text = String::new();
    while text.len() < MAX_TEXT_BYTES + (2 << 20) {
        text.push_str(line);
    }
    let out = extract_timed(text.as_bytes(), "releve.txt");
    assert!(out.truncated, "the cut is said");
    assert!(out.text.len() <= MAX_TEXT_BYTES, "{}", out.text.len());
    assert!(
        out.text.len() > MAX_TEXT_BYTES - line.len(),
        "kept up to the limit"
    );
    assert!(out.text.starts_with(line));

    // Just under the limit: nothing cut.
    let small = &text[..text.len() / 2];
    let small = &small[..=small.rfind('\n').unwrap_or(0)];
    let out = extract_timed(small.as_bytes(), "releve.txt");
    assert!(!out.truncated);
    assert_eq!(out.text.len(), small.len());
}

#[test]
fn a_csv_larger_than_the_text_limit_is_cut_and_says_so() {
    let mut csv = String::from("date,libelle,montant\n");
    let mut i = 0u64;
    while csv.len() < MAX_TEXT_BYTES + (2 << 20) {
        let _ = writeln!(
            csv,
            "2017-03-{:02},\"Prestation {i}\",{}",
            i % 28 + 1,
            i * 7
        );
        i += 1;
    }
    let out = extract_timed(csv.as_bytes(), "comptes.csv");
    assert!(out.truncated, "the cut is said");
    assert!(out.text.len() <= MAX_TEXT_BYTES, "{}", out.text.len());
    assert!(out.text.starts_with("date\tlibelle\tmontant\n"));
}

/// An XLSX whose one sheet has `rows` rows of `cols` numeric cells.
fn xlsx(rows: usize, cols: usize) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    let mut put = |name: &str, text: &[u8]| {
        zip.start_file(name, opts).expect("start");
        zip.write_all(text).expect("write");
    };
    put(
        "[Content_Types].xml",
        br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
    );
    put(
        "_rels/.rels",
        br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    put(
        "xl/workbook.xml",
        br#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Grand livre" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
    );
    put(
        "xl/_rels/workbook.xml.rels",
        br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
    );
    let mut sheet = String::from(
        r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for r in 1..=rows {
        let _ = write!(sheet, r#"<row r="{r}">"#);
        for c in 0..cols {
            let col = char::from(b'A' + u8::try_from(c).expect("few columns"));
            let _ = write!(sheet, r#"<c r="{col}{r}"><v>7</v></c>"#);
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    put("xl/worksheets/sheet1.xml", sheet.as_bytes());
    zip.finish().expect("finish");
    out.into_inner()
}

/// Cells in extracted sheet text: every tab-separated value, header aside.
fn cells(text: &str) -> usize {
    text.lines()
        .filter(|l| !l.starts_with('['))
        .flat_map(|l| l.split('\t'))
        .filter(|c| !c.is_empty())
        .count()
}

#[test]
fn a_workbook_with_more_cells_than_the_limit_is_cut_and_says_so() {
    let cols = 20;
    let rows = MAX_CELLS / cols + 500;
    let out = extract_timed(&xlsx(rows, cols), "grand-livre.xlsx");
    assert_eq!(out.kind, "xlsx");
    assert!(out.truncated, "the cut is said");
    assert_eq!(cells(&out.text), MAX_CELLS, "kept exactly the limit");
    assert!(
        out.text.starts_with("[Grand livre]\n7\t7\t"),
        "{}",
        &out.text[..40]
    );

    // A small workbook in the same shape is read whole.
    let out = extract_timed(&xlsx(30, cols), "petit.xlsx");
    assert!(!out.truncated);
    assert_eq!(cells(&out.text), 30 * cols);
}
