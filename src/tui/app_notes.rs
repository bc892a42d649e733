//! Notes on documents: written in a box over the preview (`e`), or in the
//! user's own editor (`E`, `$VISUAL` / `$EDITOR` on a file in the
//! project's folder, never in the dump). A note is saved when the box
//! closes (`Esc`) or the editor exits; `u` puts the previous text back.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use super::app::{App, Mode};
use super::app_triage::Change;
use crate::model::DocId;

/// Most characters in a note typed in the box.
pub const MAX_NOTE_CHARS: usize = 20_000;

/// Keys while the note box is open: text goes in, `Enter` is a new line,
/// `Esc` saves and closes, `Ctrl-C` closes without saving, `Ctrl-U`
/// empties the box.
pub fn note_key(key: &KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Esc => Some(Action::PromptSubmit),
        KeyCode::Char('c') if ctrl => Some(Action::PromptCancel),
        KeyCode::Char('u') if ctrl => Some(Action::PromptClear),
        KeyCode::Char('s') if ctrl => Some(Action::PromptSubmit),
        KeyCode::Enter => Some(Action::PromptInput('\n')),
        KeyCode::Tab => Some(Action::PromptInput(' ')),
        KeyCode::Backspace => Some(Action::PromptBackspace),
        KeyCode::Char(c) if !ctrl => Some(Action::PromptInput(c)),
        _ => None,
    }
}

impl App {
    /// `e`: open the note box on the selected document, with the user's
    /// note in it.
    pub(super) fn edit_note(&mut self) {
        let Some(doc) = self.note_target() else {
            return;
        };
        let text = self.ws.own_note(doc).unwrap_or_default().to_string();
        self.mode = Mode::Note { doc, text };
    }

    /// The selected document (a note is on one document, marks or not).
    fn note_target(&mut self) -> Option<DocId> {
        let doc = self.selected_doc();
        if doc.is_none() {
            self.info("e writes a note on a document: move to one first");
        }
        doc
    }

    /// The note box's keys; `true` if the action was used.
    pub(super) fn update_note(&mut self, action: &Action) -> bool {
        let Mode::Note { text, .. } = &mut self.mode else {
            return false;
        };
        match action {
            Action::PromptInput(c)
                if text.chars().count() < MAX_NOTE_CHARS && (*c == '\n' || !c.is_control()) =>
            {
                text.push(*c);
            }
            Action::PromptInput(_) => {}
            Action::PromptBackspace => {
                text.pop();
            }
            Action::PromptClear => text.clear(),
            Action::PromptCancel => {
                self.mode = Mode::Normal;
                self.info("note not changed");
            }
            Action::PromptSubmit => {
                let Mode::Note { doc, text } = std::mem::replace(&mut self.mode, Mode::Normal)
                else {
                    return true;
                };
                self.save_note(doc, &text);
            }
            // Nothing else while the box is open (background work still
            // reports: it is not a key).
            a if a.is_background() => return false,
            _ => {}
        }
        true
    }

    /// Save the user's note on `doc` (empty: delete it), for `u` too.
    pub(super) fn save_note(&mut self, doc: DocId, text: &str) {
        let text = text.trim_end();
        let before = self.ws.own_note(doc).map(str::to_string);
        if before.as_deref().unwrap_or_default() == text {
            self.info("note not changed");
            return;
        }
        match self.ws.set_note(doc, text) {
            Ok(()) => {
                self.record(Change::Note { doc, before });
                self.after_user_data_change();
                if text.is_empty() {
                    self.info("note deleted; u undoes");
                } else {
                    self.info("note saved; u undoes");
                }
            }
            Err(e) => self.error(&format!("note not saved: {e}")),
        }
    }

    /// `E`: write the note in the user's editor, on a file in the
    /// project's folder; the event loop gives it the terminal.
    pub(super) fn edit_note_outside(&mut self) {
        let Some(doc) = self.note_target() else {
            return;
        };
        let dir = self.ws.project.dir.join("notes-editing");
        let path = dir.join(format!("{}.txt", self.ws.doc(doc).hash));
        let text = self.ws.own_note(doc).unwrap_or_default().to_string();
        let written = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, text));
        if let Err(e) = written {
            self.error(&format!("cannot prepare the note file: {e}"));
            return;
        }
        let editor = ["VISUAL", "EDITOR"]
            .iter()
            .filter_map(std::env::var_os)
            .map(|v| v.to_string_lossy().trim().to_string())
            .find(|v| !v.is_empty())
            .unwrap_or_else(|| "vi".to_string());
        // Through the shell: $EDITOR may carry arguments ("code -w").
        let mut cmd = std::process::Command::new("sh");
        cmd.arg("-c")
            .arg(format!("{editor} \"$1\""))
            .arg("sh")
            .arg(&path);
        self.note_file = Some((doc, path));
        self.in_terminal = Some(cmd);
    }

    /// The outside editor ended: save what it left in the file.
    pub(super) fn editor_closed(&mut self, ok: bool) {
        let Some((doc, path)) = self.note_file.take() else {
            return;
        };
        let read = std::fs::read(&path);
        let _ = std::fs::remove_file(&path);
        if !ok {
            // The error line says why; the note stays as it was.
            return;
        }
        match read {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let text: String = text.chars().take(MAX_NOTE_CHARS).collect();
                self.save_note(doc, &text);
            }
            Err(e) => self.error(&format!("cannot read the note back: {e}")),
        }
    }
}
