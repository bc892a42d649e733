//! Triage at keyboard speed: marks (one by one, a range, a thread, a
//! family, duplicates), tags on everything marked, read and unread, next
//! unread / untagged, the filters, notes (box and outside editor) and
//! `u`, which undoes changes one after the other — each checked on the
//! screen's state and again after reopening the project.

mod common;

use std::path::Path;

use trawl::browse::Entry;
use trawl::model::DocId;
use trawl::tui::action::Action;
use trawl::tui::app::{App, Focus, Mode};
use trawl::tui::keymap::Keymap;
use trawl::tui::theme::Theme;
use trawl::workspace::Workspace;

fn open(root: &Path, data: &Path) -> App {
    let mut ws = Workspace::open_in(root, data).expect("open");
    ws.author = "claire".to_string();
    App::new(ws, Keymap::builtin(), Theme { color: false }, (100, 30))
}

fn app(data: &Path) -> App {
    open(&common::sample_dump(), data)
}

fn tag_id(app: &App, name: &str) -> i64 {
    app.ws.tags.iter().find(|t| t.name == name).expect("tag").id
}

fn status(app: &App) -> String {
    app.status.clone().map(|(_, s)| s).unwrap_or_default()
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(Action::PromptInput(c));
    }
}

/// The documents carrying `tag`, by location (stable across reopening).
fn tagged(app: &App, tag: &str) -> Vec<String> {
    let id = tag_id(app, tag);
    let mut out: Vec<String> = (0..app.ws.scan.docs.len())
        .filter(|&d| app.ws.has_tag(d, id))
        .map(|d| app.ws.doc(d).location.display())
        .collect();
    out.sort();
    out
}

/// The first thread with at least `n` messages: its root row's document.
fn thread_with(app: &App, n: usize) -> DocId {
    let tree = &app.ws.tree;
    (0..tree.nodes.len())
        .filter(|&i| tree.nodes[i].parent.is_none())
        .filter(|&i| tree.doc_count(i as u32) >= n)
        .find_map(|i| match tree.nodes[i].entry {
            Entry::Doc(d) => Some(d),
            _ => None,
        })
        .expect("a thread that long")
}

#[test]
fn marked_documents_are_tagged_together_and_one_undo_takes_the_tag_off_all() {
    let data = common::data_dir();
    let mut a = app(data.path());
    let first = a.selected_doc().expect("selected");
    // Three document rows (m passes over a missing message's row).
    while a.marks.len() < 3 {
        a.update(Action::ToggleMark);
    }
    assert!(a.marks.contains(&first));
    a.update(Action::ToggleTag('2'));
    assert_eq!(tagged(&a, "suspect").len(), 3, "{}", status(&a));
    assert!(status(&a).contains("3 marked"), "{}", status(&a));

    // All marked carry it: the same key takes it off all of them.
    a.update(Action::ToggleTag('2'));
    assert!(tagged(&a, "suspect").is_empty());
    a.update(Action::Undo);
    assert_eq!(tagged(&a, "suspect").len(), 3);
    let before = tagged(&a, "suspect");

    // On disk: reopening shows the same.
    drop(a);
    let a = app(data.path());
    assert_eq!(tagged(&a, "suspect"), before);
}

#[test]
fn a_range_marks_every_row_between_its_ends_in_either_direction() {
    let data = common::data_dir();
    let mut a = app(data.path());
    for _ in 0..6 {
        a.update(Action::Down);
    }
    a.update(Action::MarkRange);
    let mut rows: Vec<DocId> = a.selected_doc().into_iter().collect();
    for _ in 0..4 {
        a.update(Action::Up);
        rows.extend(a.selected_doc());
    }
    a.update(Action::MarkRange);
    rows.sort_unstable();
    let marked: Vec<DocId> = a.marks.iter().copied().collect();
    assert_eq!(marked, rows, "{}", status(&a));
    assert!(rows.len() >= 4);
    a.update(Action::ClearMarks);
    assert!(a.marks.is_empty());
    // Esc takes the marks off too (before leaving a search).
    a.update(Action::ToggleMark);
    a.update(Action::ClearSearch);
    assert!(a.marks.is_empty());
}

#[test]
fn a_whole_thread_is_tagged_from_any_of_its_messages() {
    let data = common::data_dir();
    let mut a = app(data.path());
    let root = thread_with(&a, 3);
    let node = a.ws.tree.doc_node[root];
    let size = a.ws.tree.doc_count(node);
    // From the last message of the thread.
    let last = (node..a.ws.tree.nodes[node as usize].end)
        .rev()
        .find_map(|n| match a.ws.tree.nodes[n as usize].entry {
            Entry::Doc(d) => Some(d),
            _ => None,
        })
        .expect("a message");
    a.go_to_doc(last);
    a.update(Action::MarkThread);
    assert_eq!(a.marks.len(), size, "{}", status(&a));
    a.update(Action::ToggleTag('4'));
    let id = tag_id(&a, "follow-up");
    assert!((node..a.ws.tree.nodes[node as usize].end).all(|n| {
        match a.ws.tree.nodes[n as usize].entry {
            Entry::Doc(d) => a.ws.has_tag(d, id),
            _ => true,
        }
    }));
    assert_eq!(tagged(&a, "follow-up").len(), size);
}

#[test]
fn a_family_is_the_message_and_all_its_attachments_from_any_of_them() {
    let data = common::data_dir();
    let mut a = app(data.path());
    let docs = &a.ws.scan.docs;
    let parent = (0..docs.len())
        .find(|&d| docs[d].parts >= 1 && !docs[d].is_part())
        .expect("a message with attachments");
    let family: Vec<DocId> = std::iter::once(parent)
        .chain(trawl::model::part_range(docs, parent))
        .collect();
    assert!(family.len() >= 2);
    // Pressed on the last attachment.
    a.go_to_doc(*family.last().expect("parts"));
    a.update(Action::MarkFamily);
    let marked: Vec<DocId> = a.marks.iter().copied().collect();
    assert_eq!(marked, family);
    a.update(Action::ToggleTag('1'));
    assert_eq!(tagged(&a, "verified").len(), family.len());
}

/// A dump with one message three times: twice the same bytes, once
/// re-encoded (other bytes, same Message-ID); and an unrelated message.
fn duplicates_dump(root: &Path) {
    let msg = |subject: &str, id: &str, extra: &str| {
        format!(
            "From: a@x.example\r\nTo: b@y.example\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\n\
             Date: Thu, 16 Mar 2017 10:02:11 +0100\r\n{extra}\r\nbody\r\n"
        )
    };
    std::fs::create_dir_all(root.join("a")).expect("mkdir");
    std::fs::create_dir_all(root.join("b")).expect("mkdir");
    let same = msg("Virement", "v1@x.example", "");
    std::fs::write(root.join("a/one.eml"), &same).expect("write");
    std::fs::write(root.join("b/one-copy.eml"), &same).expect("write");
    std::fs::write(
        root.join("b/one-reexported.eml"),
        msg("Virement", "v1@x.example", "X-Exported: yes\r\n"),
    )
    .expect("write");
    std::fs::write(root.join("a/other.eml"), msg("Autre", "o1@x.example", "")).expect("write");
}

#[test]
fn duplicates_are_the_copies_and_the_same_message_id_with_other_bytes() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("dump");
    duplicates_dump(&root);
    let data = common::data_dir();
    let mut a = open(&root, data.path());
    let one = (0..a.ws.scan.docs.len())
        .find(|&d| a.ws.doc(d).location.display().ends_with("a/one.eml"))
        .expect("one.eml");
    a.go_to_doc(one);
    a.update(Action::MarkDuplicates);
    let mut marked: Vec<String> = a
        .marks
        .iter()
        .map(|&d| a.ws.doc(d).location.display())
        .collect();
    marked.sort();
    assert_eq!(
        marked,
        ["a/one.eml", "b/one-copy.eml", "b/one-reexported.eml"]
    );
}

#[test]
fn undo_goes_back_through_tags_notes_and_read_marks_in_order_on_disk_too() {
    let data = common::data_dir();
    let mut a = app(data.path());
    let doc = a.selected_doc().expect("selected");
    assert!(a.ws.read[doc], "selecting reads");
    a.update(Action::ToggleTag('1'));
    a.update(Action::EditNote);
    type_text(&mut a, "appeler le trésorier");
    a.update(Action::PromptSubmit);
    a.update(Action::ToggleRead);
    assert!(!a.ws.read[doc]);
    assert_eq!(a.ws.own_note(doc), Some("appeler le trésorier"));
    a.update(Action::EditNote);
    type_text(&mut a, "\npuis la banque");
    a.update(Action::PromptSubmit);

    a.update(Action::Undo);
    assert_eq!(a.ws.own_note(doc), Some("appeler le trésorier"));
    a.update(Action::Undo);
    assert!(a.ws.read[doc], "read again");
    a.update(Action::Undo);
    assert_eq!(a.ws.own_note(doc), None);
    let verified = tag_id(&a, "verified");
    assert!(a.ws.has_tag(doc, verified));
    a.update(Action::Undo);
    assert!(!a.ws.has_tag(doc, verified));
    a.update(Action::Undo);
    assert!(status(&a).contains("nothing to undo"), "{}", status(&a));

    drop(a);
    let a = app(data.path());
    assert_eq!(a.ws.own_note(doc), None);
    assert!(!a.ws.has_tag(doc, verified));
}

#[test]
fn notes_are_multi_line_shown_in_the_preview_searchable_and_kept() {
    let data = common::data_dir();
    let mut a = app(data.path());
    let doc = a.selected_doc().expect("selected");
    a.update(Action::EditNote);
    assert!(matches!(a.mode, Mode::Note { .. }));
    type_text(&mut a, "Montant faux\nvoir le devis du 14 mars");
    a.update(Action::Down); // a key in the box is not a move
    a.update(Action::PromptSubmit);
    assert_eq!(a.mode, Mode::Normal);
    assert_eq!(a.selected_doc(), Some(doc));
    let text: Vec<&str> = a.preview_lines.iter().map(|l| l.text.as_str()).collect();
    let at = text
        .iter()
        .position(|t| *t == "Note by claire")
        .expect("note in the preview");
    assert_eq!(text[at + 1], "Montant faux");
    assert_eq!(text[at + 2], "voir le devis du 14 mars");

    // A dropped edit changes nothing.
    a.update(Action::EditNote);
    type_text(&mut a, " (faux)");
    a.update(Action::PromptCancel);
    assert_eq!(
        a.ws.own_note(doc),
        Some("Montant faux\nvoir le devis du 14 mars")
    );

    a.update(Action::Search);
    a.update(Action::PromptClear);
    type_text(&mut a, "note:devis");
    a.update(Action::PromptSubmit);
    let hits = a.results.as_ref().expect("results").hits.clone();
    assert_eq!(hits, vec![doc]);

    drop(a);
    let a = app(data.path());
    assert_eq!(
        a.ws.own_note(doc),
        Some("Montant faux\nvoir le devis du 14 mars")
    );
}

#[test]
fn a_note_written_in_the_outside_editor_is_saved_when_it_exits() {
    let data = common::data_dir();
    let mut a = app(data.path());
    let doc = a.selected_doc().expect("selected");
    // The "editor": appends a line to the file it is given.
    let script = data.path().join("editor.sh");
    std::fs::write(&script, "#!/bin/sh\nprintf 'écrit dehors\\n' >> \"$1\"\n").expect("script");
    std::env::set_var("VISUAL", format!("sh {}", script.display()));
    a.update(Action::EditNoteOutside);
    let mut cmd = a.in_terminal.take().expect("the editor is asked for");
    let ok = cmd.status().expect("run").success();
    a.update(Action::EditorClosed(ok));
    assert_eq!(a.ws.own_note(doc), Some("écrit dehors"), "{}", status(&a));
    let left = std::fs::read_dir(a.ws.project.dir.join("notes-editing"))
        .expect("dir")
        .count();
    assert_eq!(left, 0, "the note file is removed");
}

#[test]
fn next_unread_and_untagged_and_the_filters_follow_the_review() {
    let data = common::data_dir();
    let mut a = app(data.path());
    let first = a.selected_doc().expect("selected");
    a.update(Action::ToggleTag('1'));
    a.update(Action::NextUnread);
    let second = a.selected_doc().expect("moved");
    assert_ne!(second, first);
    assert!(a.ws.read[second], "reading it marks it");
    a.update(Action::NextUntagged);
    assert!(a.ws.tags_of(a.selected_doc().expect("doc")).is_empty());

    let (read, tagged_count) = a.ws.review_counts();
    assert!(read >= 2);
    assert_eq!(tagged_count, 1);

    a.update(Action::FilterUnread);
    let results = a.results.as_ref().expect("filtered");
    assert_eq!(results.query, "is:unread");
    let unread_total = a.ws.read.iter().filter(|r| !**r).count();
    // Selecting the first result read it; the list stays as it was.
    assert_eq!(results.hits.len(), unread_total + 1);
    a.update(Action::FilterUnread);
    assert!(a.results.is_none(), "pressed again: every document");

    a.update(Action::FilterUntagged);
    let hits = a.results.as_ref().expect("filtered").hits.clone();
    assert!(!hits.contains(&first));
    assert_eq!(hits.len(), a.ws.scan.docs.len() - 1);
    a.update(Action::ClearSearch);

    a.focus = Focus::Tags;
    a.update(Action::FilterTag);
    assert_eq!(a.results.as_ref().expect("tag filter").hits, vec![first]);
}

#[test]
fn the_status_line_shows_review_progress_and_marks_at_80_columns() {
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;
    let data = common::data_dir();
    let mut a = app(data.path());
    a.update(Action::Resize(80, 24));
    a.update(Action::ToggleTag('1'));
    a.update(Action::ToggleMark);
    a.update(Action::ToggleMark);
    a.status = None;
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    term.draw(|f| trawl::tui::view::draw(f, &a)).expect("draw");
    let buffer = term.backend().buffer().clone();
    let line: String = (0..80)
        .map(|x| buffer[(x, 22)].symbol().to_string())
        .collect();
    let total = a.ws.scan.docs.len();
    let (read, _) = a.ws.review_counts();
    assert!(
        line.contains(&format!("2 marked · {read} of {total} reviewed, 1 tagged")),
        "{line}"
    );
}

#[test]
fn the_note_box_shows_with_the_tree_zoomed_and_on_a_small_screen() {
    for (size, zoom) in [((80, 24), true), ((44, 12), false)] {
        let data = common::data_dir();
        let mut a = app(data.path());
        a.update(Action::Resize(size.0, size.1));
        if zoom {
            a.update(Action::Zoom);
        }
        a.update(Action::EditNote);
        for c in "vu".chars() {
            a.update(Action::PromptInput(c));
        }
        let screen = common::text(&common::render(&a));
        assert!(screen.contains("Note on"), "{size:?}:\n{screen}");
        assert!(screen.contains("vu█"), "{size:?}:\n{screen}");
    }
}
