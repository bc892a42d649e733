//! The command palette's part of [`App::update`]: opening it on the
//! commands of the keymap in use, typing into it, and running the chosen
//! command as if its key had been pressed.

use super::action::Action;
use super::app::{App, Focus, Mode};
use super::keymap::Section;
use super::palette::{self, Palette, Run};
use super::view;

impl App {
    /// `:`: the palette, listing every command, the best match first.
    pub(super) fn open_palette(&mut self) {
        let here = match self.focus {
            Focus::Tree => Section::Tree,
            Focus::Preview => Section::Preview,
            Focus::Tags => Section::Tags,
        };
        let commands = palette::commands(&self.keymap, &self.ws.tags, here);
        self.mode = Mode::Palette(Box::new(Palette::new(commands)));
    }

    /// An action while the palette is open; `true` if it was the palette's.
    pub(super) fn update_palette(&mut self, action: &Action) -> bool {
        let page = view::palette::rows_shown(self.area()).max(1) as isize;
        let Mode::Palette(p) = &mut self.mode else {
            return false;
        };
        match action {
            Action::PromptInput(c) => p.push(*c),
            Action::PromptBackspace => p.pop(),
            Action::PromptClear => p.clear(),
            Action::Down => p.move_by(1),
            Action::Up => p.move_by(-1),
            Action::PageDown => p.move_by(page),
            Action::PageUp => p.move_by(-page),
            Action::PromptCancel => self.mode = Mode::Normal,
            Action::PromptSubmit => self.run_from_palette(),
            _ => return false,
        }
        true
    }

    /// Enter: close the palette and run the highlighted command.
    fn run_from_palette(&mut self) {
        let Mode::Palette(p) = &self.mode else {
            return;
        };
        let Some(command) = p.selected().cloned() else {
            self.info("no command matches: Backspace to see more, Esc to close");
            return;
        };
        self.mode = Mode::Normal;
        match command.run {
            Run::Action(name) => match Action::from_name(&name, None) {
                Some(action) => self.update(action),
                None => self.error(&format!("{name} cannot be run from the palette")),
            },
            Run::ToggleTag(tag) => self.toggle_tag(tag),
        }
    }
}
