//! Measurements behind BENCHMARKS.md (`trawl bench-ui`): time from catalog
//! to first drawn frame, and the cost of keystrokes (update + draw) on an
//! in-memory terminal, with the process's peak memory.

use std::time::{Duration, Instant};

use ratatui::backend::TestBackend;
use ratatui::Terminal;
use serde::Serialize;

use super::action::Action;
use super::app::App;
use super::keymap::Keymap;
use super::theme::Theme;
use super::view;
use crate::workspace::Workspace;

#[derive(Debug, Serialize)]
pub struct Report {
    pub documents: usize,
    pub nodes: usize,
    /// Catalog read and workspace ready (user data attached).
    pub open_ms: f64,
    /// From the start of opening to the first frame drawn.
    pub first_frame_ms: f64,
    pub move_us_p50: f64,
    pub move_us_p95: f64,
    pub page_us_p50: f64,
    pub page_us_p95: f64,
    pub fold_us_p50: f64,
    pub fold_us_p95: f64,
    pub jump_us_p95: f64,
    pub keys: usize,
    /// The check of the dump against the catalog that the TUI starts in the
    /// background once the first frame is drawn (it runs while the keys
    /// are pressed, as it would for a user): its duration and outcome.
    pub check_ms: f64,
    pub check: String,
    /// Peak resident memory of the process (`VmHWM`), and now (`VmRSS`).
    pub peak_rss_mb: f64,
    pub rss_mb: f64,
}

fn percentile(samples: &mut [Duration], p: f64) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    samples.sort_unstable();
    let i = ((samples.len() - 1) as f64 * p).round() as usize;
    samples[i].as_secs_f64() * 1e6
}

/// `VmHWM` and `VmRSS` from /proc/self/status, in MB (0 where unknown).
pub fn memory_mb() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// Open with `open` (timed), draw, then press keys: `keys` moves down,
/// a tenth as many page-downs, folds and jumps to top/bottom; each timed
/// with its frame.
pub fn run(
    open: impl FnOnce() -> anyhow::Result<Workspace>,
    keys: usize,
    size: (u16, u16),
) -> anyhow::Result<Report> {
    let start = Instant::now();
    let ws = open()?;
    let open_ms = start.elapsed().as_secs_f64() * 1e3;
    let mut app = App::new(ws, Keymap::builtin(), Theme { color: true }, size);
    let mut terminal = Terminal::new(TestBackend::new(size.0, size.1))?;
    terminal.draw(|f| view::draw(f, &app))?;
    let first_frame_ms = start.elapsed().as_secs_f64() * 1e3;
    let check_start = Instant::now();
    // The catalog check only: building the full-text index is a separate,
    // first-time job (measured on its own).
    let background = super::spawn_index(
        app.ws.scan.root.clone(),
        app.ws.project.dir.clone(),
        std::sync::Arc::clone(&app.ws.scan.docs),
        false,
    );

    let mut press = |app: &mut App, action: Action| -> anyhow::Result<Duration> {
        let t = Instant::now();
        app.update(action);
        terminal.draw(|f| view::draw(f, app))?;
        Ok(t.elapsed())
    };
    let mut moves = Vec::with_capacity(keys);
    for _ in 0..keys {
        moves.push(press(&mut app, Action::Down)?);
    }
    let mut pages = Vec::new();
    let mut folds = Vec::new();
    let mut jumps = Vec::new();
    for i in 0..(keys / 10).max(1) {
        pages.push(press(&mut app, Action::PageDown)?);
        folds.push(press(&mut app, Action::ToggleFold)?);
        if i % 10 == 0 {
            let to = if i % 20 == 0 {
                Action::Bottom
            } else {
                Action::Top
            };
            jumps.push(press(&mut app, to)?);
        }
    }
    // Wait for the check, then apply its result as the event loop would.
    let check = loop {
        match background.recv() {
            Ok(Action::IndexProgress(_)) => {}
            Ok(action @ Action::IndexPartial(_)) => app.update(action),
            Ok(action) => {
                let name = match &action {
                    Action::IndexUnchanged => "unchanged".to_string(),
                    Action::IndexDone(_) => "re-indexed".to_string(),
                    Action::IndexFailed(e) => format!("failed: {e}"),
                    _ => "other".to_string(),
                };
                app.update(action);
                break name;
            }
            Err(_) => break "no result".to_string(),
        }
    };
    let check_ms = check_start.elapsed().as_secs_f64() * 1e3;
    terminal.draw(|f| view::draw(f, &app))?;
    let (peak_rss_mb, rss_mb) = memory_mb();
    Ok(Report {
        documents: app.ws.scan.docs.len(),
        nodes: app.ws.tree.nodes.len(),
        open_ms,
        first_frame_ms,
        move_us_p50: percentile(&mut moves, 0.5),
        move_us_p95: percentile(&mut moves, 0.95),
        page_us_p50: percentile(&mut pages, 0.5),
        page_us_p95: percentile(&mut pages, 0.95),
        fold_us_p50: percentile(&mut folds, 0.5),
        fold_us_p95: percentile(&mut folds, 0.95),
        jump_us_p95: percentile(&mut jumps, 0.95),
        keys,
        check_ms,
        check,
        peak_rss_mb,
        rss_mb,
    })
}
