//! Shared helpers for integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub mod signing;
pub mod tmux;

/// `../shared/corpus`, or `None` (with the reason printed) on a machine
/// without it. Under CI (`CI` set) a missing corpus fails the test loudly.
pub fn corpus(sub: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(sub);
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set but the test corpus {} is missing",
        dir.display()
    );
    eprintln!(
        "skipped: test corpus {} not found (it ships beside the repository in CI)",
        dir.display()
    );
    None
}

pub fn sample_dump() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sample-dump")
}

/// A private data directory so tests never touch the user's real state.
pub fn data_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp data dir")
}

/// Every file under `root` with its bytes and modification time.
pub fn snapshot_tree(root: &Path) -> Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let meta = entry.metadata().expect("meta");
            out.push((
                entry.path().to_path_buf(),
                std::fs::read(entry.path()).expect("read"),
                meta.modified().expect("mtime"),
            ));
        }
    }
    out
}

/// Copy a folder tree (to change a dump without touching the original).
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let dest = to.join(entry.path().strip_prefix(from).expect("prefix"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// The app drawn on an in-memory terminal of its size.
pub fn render(app: &trawl::tui::app::App) -> ratatui::buffer::Buffer {
    let backend = ratatui::backend::TestBackend::new(app.size.0, app.size.1);
    let mut terminal = ratatui::Terminal::new(backend).expect("terminal");
    terminal
        .draw(|f| trawl::tui::view::draw(f, app))
        .expect("draw");
    terminal.backend().buffer().clone()
}

/// Wait until the extractor has answered for `doc` (files passed on the
/// way may answer first), applying each answer as the event loop would.
pub fn wait_for_extraction(app: &mut trawl::tui::app::App, doc: trawl::model::DocId) {
    loop {
        let (id, outcome) = app
            .extractor
            .as_ref()
            .expect("an extractor for the file")
            .results
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("extracted");
        app.update(trawl::tui::action::Action::Extracted(id, outcome));
        if id == doc {
            return;
        }
    }
}

/// A drawn screen as text, one line per row.
pub fn text(buffer: &ratatui::buffer::Buffer) -> String {
    let mut out = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// A one-page PDF around `content` (the page's content stream; font `F1`
/// is Helvetica), its catalog set as the root. Callers add what else they
/// need (an information dictionary, an XMP packet) before saving.
pub fn one_page_pdf(content: lopdf::Stream) -> (lopdf::Document, lopdf::ObjectId) {
    use lopdf::{dictionary, Document, Object};
    let mut doc = Document::with_version("1.6");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let content_id = doc.add_object(content);
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    (doc, catalog)
}

/// The browser on the sample dump in a fresh project under `data`.
pub fn sample_app(data: &Path, size: (u16, u16), color: bool) -> trawl::tui::app::App {
    let ws = trawl::workspace::Workspace::open_in(&sample_dump(), data).expect("open");
    trawl::tui::app::App::new(
        ws,
        trawl::tui::keymap::Keymap::builtin(),
        trawl::tui::theme::Theme { color },
        size,
    )
}

/// Press keys as the event loop would: through the keymap.
pub fn press(app: &mut trawl::tui::app::App, keys: &str) {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    for c in keys.chars() {
        let k = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        if let Some(action) = app.action_for_key(&k) {
            app.update(action);
        }
    }
}
