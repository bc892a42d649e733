//! The terminal front end. The only module (with `main.rs`) that knows
//! about ratatui and crossterm.
//!
//! Keys become [`action::Action`]s, [`app::App::update`] applies them, and
//! [`view::draw`] renders the state. A frame is drawn only after something
//! changed; ratatui then writes only the cells that differ, which keeps
//! SSH sessions light.

pub mod action;
pub mod app;
pub mod keymap;
pub mod preview_lines;
pub mod theme;
pub mod view;

use std::io::{self, Stdout};
use std::time::Duration;

use crossterm::event::{self, Event, KeyEventKind};
use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

use crate::workspace::Workspace;
use action::Action;
use app::App;

/// How long without input before the position is saved.
const IDLE: Duration = Duration::from_millis(500);

/// Puts the terminal back as it was, on drop and on panic.
struct TerminalGuard;

impl TerminalGuard {
    fn enter() -> io::Result<TerminalGuard> {
        terminal::enable_raw_mode()?;
        let guard = TerminalGuard;
        execute!(io::stdout(), EnterAlternateScreen, cursor::Hide)?;
        Ok(guard)
    }
}

fn restore_terminal() {
    let _ = terminal::disable_raw_mode();
    let _ = execute!(io::stdout(), LeaveAlternateScreen, cursor::Show);
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

/// Run the TUI on an opened workspace until the user quits.
pub fn run(ws: Workspace) -> io::Result<()> {
    let _guard = TerminalGuard::enter()?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    let size = terminal.size()?;
    let mut app = App::new(
        ws,
        keymap::Keymap::builtin(),
        theme::Theme::from_env(),
        (size.width, size.height),
    );
    event_loop(&mut terminal, &mut app)
}

fn event_loop(terminal: &mut Terminal<CrosstermBackend<Stdout>>, app: &mut App) -> io::Result<()> {
    let mut dirty = true;
    while !app.quit {
        if dirty {
            terminal.draw(|frame| view::draw(frame, app))?;
            dirty = false;
        }
        if !event::poll(IDLE)? {
            let before = app.status.clone();
            app.update(Action::Idle);
            dirty = app.status != before;
            continue;
        }
        let action = match event::read()? {
            Event::Key(key) if key.kind != KeyEventKind::Release => app.action_for_key(&key),
            Event::Resize(w, h) => Some(Action::Resize(w, h)),
            _ => None,
        };
        if let Some(action) = action {
            app.update(action);
            dirty = true;
        }
    }
    Ok(())
}
