//! The terminal front end. The only module (with `main.rs`) that knows
//! about ratatui and crossterm.
//!
//! Keys become [`action::Action`]s, [`app::App::update`] applies them, and
//! [`view::draw`] renders the state. A frame is drawn only after something
//! changed; ratatui then writes only the cells that differ, which keeps
//! SSH sessions light.

pub mod action;
pub mod app;
mod app_auth;
mod app_documents;
mod app_keys;
mod app_mouse;
mod app_notes;
mod app_palette;
mod app_panels;
mod app_preview;
pub mod app_problems;
mod app_search;
mod app_tag_style;
mod app_tags;
mod app_threads;
pub mod app_triage;
pub mod bench;
pub mod counts;
pub mod extractor;
mod highlight;
pub mod keymap;
mod keymap_file;
pub mod palette;
pub mod panels;
pub mod preview_lines;
pub mod prompt;
pub mod quick;
pub mod results;
pub mod theme;
mod tree_nav;
pub mod view;

use std::io::{self, Stdout};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{self, DisableMouseCapture, Event, KeyEventKind};
use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

use crate::index::progress::Progress;
use crate::model::Document;
use crate::search::fulltext::{FullText, FullTextError};
use crate::workspace::Workspace;
use action::{Action, TextIndexed};
use app::App;

/// How long without input before the position is saved.
const IDLE: Duration = Duration::from_millis(500);
/// How often background work is checked while it runs.
const BACKGROUND_TICK: Duration = Duration::from_millis(100);
/// How often the quick filter's answers are looked for while it is open.
const QUICK_TICK: Duration = Duration::from_millis(15);

/// Whether the terminal reports the mouse to trawl (set while the full
/// screen is up, for [`restore_terminal`], which the panic hook also runs).
static MOUSE: AtomicBool = AtomicBool::new(false);

/// Puts the terminal back as it was, on drop and on panic.
struct TerminalGuard;

impl TerminalGuard {
    fn enter(mouse: bool) -> io::Result<TerminalGuard> {
        terminal::enable_raw_mode()?;
        let guard = TerminalGuard;
        MOUSE.store(mouse, Ordering::SeqCst);
        Self::setup()?;
        Ok(guard)
    }

    /// Full screen, no cursor, the mouse if wanted (again, after a pager
    /// had the terminal).
    fn setup() -> io::Result<()> {
        terminal::enable_raw_mode()?;
        execute!(io::stdout(), EnterAlternateScreen, cursor::Hide)?;
        if MOUSE.load(Ordering::SeqCst) {
            execute!(io::stdout(), ClicksAndWheel)?;
        }
        Ok(())
    }
}

fn restore_terminal() {
    if MOUSE.load(Ordering::SeqCst) {
        let _ = execute!(io::stdout(), DisableMouseCapture);
    }
    let _ = terminal::disable_raw_mode();
    let _ = execute!(io::stdout(), LeaveAlternateScreen, cursor::Show);
}

/// Mouse reports for clicks and the wheel only (xterm's 1000, in SGR
/// coordinates, 1006): crossterm's `EnableMouseCapture` also asks for
/// every movement of the pointer, a stream of reports over SSH that trawl
/// has no use for. `DisableMouseCapture` turns all of them off.
struct ClicksAndWheel;

impl crossterm::Command for ClicksAndWheel {
    fn write_ansi(&self, f: &mut impl std::fmt::Write) -> std::fmt::Result {
        f.write_str("\x1b[?1000h\x1b[?1006h")
    }

    #[cfg(windows)]
    fn execute_winapi(&self) -> io::Result<()> {
        crossterm::event::EnableMouseCapture.execute_winapi()
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// Restore the terminal before any panic message is printed.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        previous(info);
    }));
}

/// Bring the catalog of `root` up to date on a worker thread, then (with
/// `text`) the full-text index; progress and results arrive as actions.
/// `shown` is the document list on screen, which the full-text index
/// follows when the catalog turns out unchanged.
pub fn spawn_index(
    root: PathBuf,
    project_dir: PathBuf,
    shown: Arc<Vec<Document>>,
    text: bool,
) -> Receiver<Action> {
    let (tx, rx) = mpsc::channel();
    let worker_tx = tx.clone();
    let spawned = std::thread::Builder::new()
        .name("index".into())
        .spawn(move || {
            let progress = worker_tx.clone();
            let result = crate::index::catalog::check(
                &root,
                &project_dir,
                &|p| {
                    let _ = progress.send(Action::IndexProgress(Box::new(p.clone())));
                },
                &|partial| {
                    let _ = worker_tx.send(Action::IndexPartial(Box::new(partial)));
                },
            );
            let docs = match &result {
                Ok(Some(outcome)) => Some(Arc::clone(&outcome.scan.docs)),
                Ok(None) => Some(shown),
                Err(_) => None,
            };
            let _ = worker_tx.send(match result {
                Ok(Some(outcome)) => Action::IndexDone(Box::new(outcome)),
                Ok(None) => Action::IndexUnchanged,
                Err(e) => Action::IndexFailed(e.to_string()),
            });
            if let (true, Some(docs)) = (text, docs) {
                let done = sync_text(&root, &project_dir, &docs, &worker_tx);
                let _ = worker_tx.send(Action::TextIndexDone(done));
            }
        });
    if let Err(e) = spawned {
        let _ = tx.send(Action::IndexFailed(format!(
            "could not start indexing: {e}"
        )));
    }
    rx
}

/// Bring the full-text index up to date with `docs`, reporting progress.
fn sync_text(
    root: &Path,
    project_dir: &Path,
    docs: &[Document],
    tx: &mpsc::Sender<Action>,
) -> TextIndexed {
    let start = std::time::Instant::now();
    let fulltext = match FullText::open(project_dir) {
        Ok(f) => f,
        Err(e) => return TextIndexed::Failed(e.to_string()),
    };
    let synced = fulltext.sync(root, docs, &|done, total| {
        let p = Progress::text_indexing(done, total, start.elapsed());
        let _ = tx.send(Action::IndexProgress(Box::new(p)));
    });
    // The tree marks signed messages with their DKIM verdict.
    if let Ok(marks) = fulltext.dkim_summaries() {
        let _ = tx.send(Action::DkimMarks(marks));
    }
    match synced {
        Ok(stats) => TextIndexed::Added(stats.added),
        Err(FullTextError::Busy(_)) => TextIndexed::Busy,
        Err(e) => TextIndexed::Failed(e.to_string()),
    }
}

/// Run the TUI on an opened workspace with `keymap` until the user quits,
/// taking actions from `background` (an index run) as they come; with
/// `mouse`, clicks and the wheel work (and the terminal's own text
/// selection needs Shift). Returns the workspace.
pub fn run(
    ws: Workspace,
    keymap: keymap::Keymap,
    background: Option<Receiver<Action>>,
    mouse: bool,
) -> io::Result<Workspace> {
    let _guard = TerminalGuard::enter(mouse)?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    let size = terminal.size()?;
    // A refused keymap file shows in the status line (view::status).
    let mut app = App::new(
        ws,
        keymap,
        theme::Theme::from_env(),
        (size.width, size.height),
    );
    event_loop(&mut terminal, &mut app, background)?;
    Ok(app.ws)
}

/// Apply whatever background work has reported; `false` once it is over.
fn drain(app: &mut App, rx: &Receiver<Action>, dirty: &mut bool) -> bool {
    loop {
        match rx.try_recv() {
            Ok(action) => {
                app.update(action);
                *dirty = true;
            }
            Err(TryRecvError::Empty) => return true,
            Err(TryRecvError::Disconnected) => return false,
        }
    }
}

fn event_loop(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    app: &mut App,
    mut background: Option<Receiver<Action>>,
) -> io::Result<()> {
    let mut dirty = true;
    while !app.quit {
        if let Some(rx) = &background {
            if !drain(app, rx, &mut dirty) {
                background = None;
            }
        }
        for action in app.worker_reports() {
            app.update(action);
            dirty = true;
        }
        if dirty {
            terminal.draw(|frame| view::draw(frame, app))?;
            dirty = false;
        }
        let wait = if app.quick.is_some() {
            QUICK_TICK
        } else if background.is_some() {
            BACKGROUND_TICK
        } else {
            IDLE
        };
        if !event::poll(wait)? {
            if background.is_none() {
                let before = app.status.clone();
                app.update(Action::Idle);
                dirty = app.status != before;
            }
            continue;
        }
        let action = match event::read()? {
            Event::Key(key) if key.kind != KeyEventKind::Release => app.action_for_key(&key),
            Event::Resize(w, h) => Some(Action::Resize(w, h)),
            Event::Mouse(m) => app.action_for_mouse(&m),
            _ => None,
        };
        if let Some(action) = action {
            app.update(action);
            dirty = true;
        }
        if let Some(cmd) = app.in_terminal.take() {
            let ok = run_in_terminal(terminal, app, cmd)?;
            app.update(Action::EditorClosed(ok));
            dirty = true;
        }
    }
    Ok(())
}

/// Give the terminal to a program (a pager) until it exits, then take the
/// full screen back.
fn run_in_terminal(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    app: &mut App,
    mut cmd: std::process::Command,
) -> io::Result<bool> {
    restore_terminal();
    let status = cmd.status();
    TerminalGuard::setup()?;
    terminal.clear()?;
    Ok(match status {
        Ok(s) if s.success() => true,
        Ok(s) => {
            app.report_error(&format!(
                "{} ended with {s}",
                cmd.get_program().to_string_lossy()
            ));
            false
        }
        Err(e) => {
            app.report_error(&format!(
                "cannot start {}: {e}",
                cmd.get_program().to_string_lossy()
            ));
            false
        }
    })
}
