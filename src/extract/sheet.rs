//! Spreadsheets (XLSX, ODS, legacy XLS) with calamine: each sheet as a
//! table, one row a line, cells separated by tabs.
//!
//! XLSX cells are streamed one by one, so a hostile sheet claiming a cell
//! at the last row and column cannot make a grid of billions of cells; at
//! most [`MAX_CELLS`] cells are kept.

use std::io::Cursor;

use calamine::{Data, Reader};

use super::{office, ExtractError, Extracted, Kind, MAX_PART_BYTES, MAX_UNPACKED_BYTES};

/// Most cells read from one workbook.
pub const MAX_CELLS: usize = 2_000_000;

pub fn extract(bytes: &[u8], kind: Kind) -> Result<Extracted, ExtractError> {
    if kind != Kind::Xls {
        check_unpacked_sizes(bytes)?;
    }
    let damaged = |e: &dyn std::fmt::Display| ExtractError::Damaged(kind.name(), e.to_string());
    let mut text = String::new();
    let mut cells_left = MAX_CELLS;
    let mut sheets = 0usize;
    if kind == Kind::Xlsx {
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| damaged(&e))?;
        for name in book.sheet_names() {
            let mut cells: Vec<(u32, u32, String)> = Vec::new();
            let mut reader = book
                .worksheet_cells_reader(&name)
                .map_err(|e| damaged(&e))?;
            while let Some(cell) = reader.next_cell().map_err(|e| damaged(&e))? {
                if cells_left == 0 {
                    break;
                }
                let value = match cell.get_value() {
                    // Most cells: one copy of the text, not three.
                    calamine::DataRef::SharedString(s) => (*s).to_string(),
                    calamine::DataRef::String(s) => s.clone(),
                    other => Data::from(other.clone()).to_string(),
                };
                if !value.is_empty() {
                    let (row, col) = cell.get_position();
                    cells.push((row, col, value));
                    cells_left -= 1;
                }
            }
            cells.sort_unstable_by_key(|c| (c.0, c.1));
            write_sheet(&name, &cells, &mut text);
            sheets += 1;
        }
    } else {
        let mut book =
            calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| damaged(&e))?;
        for name in book.sheet_names() {
            let range = book.worksheet_range(&name).map_err(|e| damaged(&e))?;
            let mut cells: Vec<(u32, u32, String)> = Vec::new();
            for (row, col, value) in range.used_cells() {
                if cells_left == 0 {
                    break;
                }
                if *value != Data::Empty {
                    cells.push((row as u32, col as u32, value.to_string()));
                    cells_left -= 1;
                }
            }
            write_sheet(&name, &cells, &mut text);
            sheets += 1;
        }
    }
    let mut meta = vec![("sheets".to_string(), sheets.to_string())];
    if kind != Kind::Xls {
        meta.extend(office::zip_properties(bytes, kind));
    }
    Ok(Extracted {
        text,
        meta,
        truncated: cells_left == 0,
        ..Extracted::default()
    })
}

/// `[Sheet name]`, then the rows: cells in column order, tab-separated
/// (empty columns before and between kept as empty cells, at most 8).
fn write_sheet(name: &str, cells: &[(u32, u32, String)], out: &mut String) {
    out.push('[');
    out.push_str(name);
    out.push_str("]\n");
    let mut row = None;
    let mut prev = 0u32;
    for (r, c, value) in cells {
        let tabs = if row == Some(*r) {
            c.saturating_sub(prev).clamp(1, 8)
        } else {
            if row.is_some() {
                out.push('\n');
            }
            row = Some(*r);
            (*c).min(8)
        };
        for _ in 0..tabs {
            out.push('\t');
        }
        if value.contains(['\t', '\n', '\r']) {
            out.push_str(&value.replace(['\t', '\n', '\r'], " "));
        } else {
            out.push_str(value);
        }
        prev = *c;
        if out.len() > super::MAX_TEXT_BYTES {
            break;
        }
    }
    if row.is_some() {
        out.push('\n');
    }
}

/// Refuse a ZIP whose parts claim more than the limits unpacked.
fn check_unpacked_sizes(bytes: &[u8]) -> Result<(), ExtractError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ExtractError::Damaged("ZIP", e.to_string()))?;
    let mut total = 0u64;
    for i in 0..zip.len().min(super::MAX_PARTS + 1) {
        let file = zip
            .by_index_raw(i)
            .map_err(|e| ExtractError::Damaged("ZIP", e.to_string()))?;
        if file.size() > MAX_PART_BYTES {
            return Err(ExtractError::TooLarge(
                file.size() >> 20,
                MAX_PART_BYTES >> 20,
            ));
        }
        total += file.size();
    }
    if total > MAX_UNPACKED_BYTES || zip.len() > super::MAX_PARTS {
        return Err(ExtractError::TooLarge(
            total >> 20,
            MAX_UNPACKED_BYTES >> 20,
        ));
    }
    Ok(())
}
