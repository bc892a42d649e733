//! Tags can be renamed and deleted from the side panel; deleting asks
//! first with the number of documents, and both survive reopening.

mod common;

use std::path::Path;

use trawl::tui::action::Action;
use trawl::tui::app::{App, Focus, Mode};
use trawl::tui::keymap::Keymap;
use trawl::tui::prompt::Prompt;
use trawl::tui::theme::Theme;
use trawl::workspace::Workspace;

fn app(data: &Path) -> App {
    let ws = Workspace::open_in(&common::sample_dump(), data).expect("open");
    App::new(ws, Keymap::builtin(), Theme { color: false }, (80, 24))
}

fn names(app: &App) -> Vec<String> {
    app.ws.tags.iter().map(|t| t.name.clone()).collect()
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(Action::PromptInput(c));
    }
}

fn status(app: &App) -> String {
    app.status.clone().map(|(_, s)| s).unwrap_or_default()
}

/// Move the side panel's cursor to the tag named `name`.
fn highlight(app: &mut App, name: &str) {
    app.focus = Focus::Tags;
    app.update(Action::TagUp);
    for _ in 0..10 {
        app.update(Action::TagUp);
    }
    let at = names(app).iter().position(|n| n == name).expect("tag");
    for _ in 0..at {
        app.update(Action::TagDown);
    }
}

#[test]
fn a_tag_renamed_in_the_panel_keeps_its_documents_and_survives_reopening() {
    let data = common::data_dir();
    let tagged = {
        let mut a = app(data.path());
        a.update(Action::ToggleTag('2'));
        let doc = a.selected_doc().expect("selected");
        highlight(&mut a, "suspect");
        a.update(Action::RenameTag);
        assert!(matches!(
            &a.mode,
            Mode::Prompt { kind: Prompt::RenameTag { .. }, input } if input == "suspect"
        ));
        a.update(Action::PromptClear);
        type_text(&mut a, "verified");
        a.update(Action::PromptSubmit);
        assert!(status(&a).contains("already exists"), "{}", status(&a));
        assert_eq!(names(&a)[1], "suspect");

        a.update(Action::RenameTag);
        a.update(Action::PromptClear);
        type_text(&mut a, "doubtful");
        a.update(Action::PromptSubmit);
        assert_eq!(status(&a), "renamed tag suspect to doubtful");
        assert_eq!(names(&a)[1], "doubtful");
        a.ws.doc(doc).hash
    };
    let a = app(data.path());
    assert_eq!(names(&a)[1], "doubtful");
    let doc = (0..a.ws.scan.docs.len())
        .find(|&d| a.ws.doc(d).hash == tagged)
        .expect("doc");
    let id = a.ws.tags[1].id;
    assert!(
        a.ws.has_tag(doc, id),
        "the renamed tag stays on its document"
    );
    assert_eq!(a.ws.tag_by_hotkey('2').map(|t| t.id), Some(id));
}

#[test]
fn deleting_a_tag_asks_with_its_count_and_only_y_deletes() {
    let data = common::data_dir();
    {
        let mut a = app(data.path());
        a.update(Action::ToggleTag('3'));
        a.update(Action::Down);
        a.update(Action::ToggleTag('3'));
        highlight(&mut a, "forged");
        a.update(Action::DeleteEntry);
        assert!(matches!(
            &a.mode,
            Mode::Prompt {
                kind: Prompt::DeleteTag { count: 2, .. },
                ..
            }
        ));
        let asked = common::text(&common::render(&a));
        assert!(
            asked.contains("Delete tag forged from 2 documents?"),
            "{asked}"
        );
        insta::assert_snapshot!("delete_tag_prompt_80x24", asked);
        type_text(&mut a, "n");
        a.update(Action::PromptSubmit);
        assert_eq!(status(&a), "tag forged kept");
        assert!(names(&a).contains(&"forged".to_string()));

        a.update(Action::DeleteEntry);
        a.update(Action::PromptCancel);
        assert!(names(&a).contains(&"forged".to_string()));

        a.update(Action::DeleteEntry);
        type_text(&mut a, "y");
        a.update(Action::PromptSubmit);
        assert_eq!(status(&a), "deleted tag forged");
        assert_eq!(names(&a), ["verified", "suspect", "follow-up"]);
        assert_eq!(a.tag_count(2), 0, "follow-up untouched");
    }
    let mut a = app(data.path());
    assert_eq!(names(&a), ["verified", "suspect", "follow-up"]);
    assert!(
        (0..a.ws.scan.docs.len()).all(|d| a.ws.tags_of(d).is_empty()),
        "no document keeps the deleted tag"
    );
    assert!(a.ws.project.store.integrity_ok().expect("check"));
    // Its key is free again: a new tag takes it.
    a.update(Action::NewTag);
    type_text(&mut a, "donors");
    a.update(Action::PromptSubmit);
    assert_eq!(
        a.ws.tag_by_hotkey('3').map(|t| t.name.as_str()),
        Some("donors")
    );
}
