//! Searching from the full-screen browser: the prompt, the results list in
//! the tree pane, a mistake in a query, the order toggle, and Esc back to
//! the threads on the same message (panels checked as snapshots).

mod common;

use trawl::search::fulltext::FullText;
use trawl::tui::action::Action;
use trawl::tui::app::{App, Mode};
use trawl::tui::keymap::Keymap;
use trawl::tui::prompt::Prompt;
use trawl::tui::results::{Shape, Sort};
use trawl::tui::theme::Theme;
use trawl::workspace::Workspace;

/// The sample dump, its full-text index built, in an 80x24 browser.
fn app(data: &std::path::Path) -> App {
    let ws = Workspace::open_in(&common::sample_dump(), data).expect("open");
    FullText::open(&ws.project.dir)
        .expect("index")
        .sync(&ws.scan.root, &ws.scan.docs, &|_, _| {})
        .expect("sync");
    App::new(ws, Keymap::builtin(), Theme { color: false }, (80, 24))
}

fn screen(app: &App) -> String {
    common::text(&common::render(app))
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(Action::PromptInput(c));
    }
}

#[test]
fn a_search_lists_its_hits_and_esc_goes_back_to_the_same_message() {
    let data = common::data_dir();
    let mut a = app(data.path());
    a.update(Action::Search);
    type_text(&mut a, "budget -filename:csv");
    insta::assert_snapshot!("search_prompt", screen(&a));
    a.update(Action::PromptSubmit);
    assert_eq!(a.mode, Mode::Normal);
    let results = a.results.as_ref().expect("results");
    // The e-mails, and the meeting minutes: a text file whose text is
    // indexed too.
    assert_eq!(results.hits.len(), 7, "{:?}", a.status);
    assert!(results
        .hits
        .iter()
        .any(|&d| a.ws.doc(d).subject() == "compte_rendu_reunion_2017-03-14.txt"));
    assert_eq!((results.sort, results.shape), (Sort::Best, Shape::List));
    insta::assert_snapshot!("search_results", screen(&a));

    // Move to the third hit; the preview follows; Esc goes back to the
    // threads on that message.
    a.update(Action::Down);
    a.update(Action::Down);
    let chosen = a.selected_doc().expect("a hit");
    assert_eq!(a.preview_doc, Some(chosen));
    assert!(a.ws.read[chosen], "opening a hit marks it read");
    a.update(Action::ClearSearch);
    assert!(a.results.is_none());
    assert_eq!(a.selected_doc(), Some(chosen));
    assert!(screen(&a).contains("Threads"));
}

#[test]
fn order_and_shape_toggle_and_keep_the_selected_hit() {
    let data = common::data_dir();
    let mut a = app(data.path());
    a.update(Action::Search);
    type_text(&mut a, "budget");
    a.update(Action::PromptSubmit);
    a.update(Action::Down);
    let chosen = a.selected_doc();
    let found = a.results.as_ref().expect("results").hits.clone();
    a.update(Action::SearchOrder);
    let r = a.results.as_ref().expect("results");
    assert_eq!(r.sort, Sort::Newest);
    assert_eq!(a.selected_doc(), chosen);
    let dates: Vec<_> = r.hits.iter().map(|&d| a.ws.doc(d).date).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|x, y| y.cmp(x));
    assert_eq!(dates, sorted, "newest first");
    assert!(screen(&a).contains("newest first"));

    // Tree order: as the thread tree shows them.
    a.update(Action::SearchOrder);
    let r = a.results.as_ref().expect("results");
    assert_eq!(r.sort, Sort::Tree);
    let nodes: Vec<u32> = r.hits.iter().map(|&d| a.ws.tree.doc_node[d]).collect();
    assert!(nodes.windows(2).all(|w| w[0] < w[1]), "{nodes:?}");
    assert_eq!(a.selected_doc(), chosen);

    // The threads that hold the hits: every hit, each with its thread.
    a.update(Action::ResultsShape);
    let r = a.results.as_ref().expect("results");
    assert_eq!(r.shape, Shape::Threads);
    assert_eq!(a.selected_doc(), chosen);
    let mut hits_shown: Vec<_> = r
        .rows
        .iter()
        .filter(|x| x.hit.is_some())
        .filter_map(|x| x.doc)
        .collect();
    let mut expected = found.clone();
    hits_shown.sort_unstable();
    expected.sort_unstable();
    assert_eq!(hits_shown, expected, "every hit, once");
    assert!(r.rows.len() > r.hits.len(), "context rows");
    for row in r.rows.iter().filter(|x| x.hit.is_none()) {
        let thread = a.ws.tree.nodes[row.node as usize].thread;
        assert!(
            found
                .iter()
                .any(|&d| a.ws.tree.nodes[a.ws.tree.doc_node[d] as usize].thread == thread),
            "a context row outside the hits' threads"
        );
    }
    insta::assert_snapshot!("search_threads", screen(&a));
    // Back to best first, as a list, for the next search too.
    a.update(Action::SearchOrder);
    a.update(Action::ResultsShape);
    let r = a.results.as_ref().expect("results");
    assert_eq!((r.sort, r.shape), (Sort::Best, Shape::List));
    assert_eq!(r.hits, found);
    // The prompt opens with the last query, ready to refine.
    a.update(Action::Search);
    assert_eq!(
        a.mode,
        Mode::Prompt {
            kind: Prompt::Search,
            input: "budget".into()
        }
    );
}

#[test]
fn a_mistake_keeps_the_prompt_open_and_says_where() {
    let data = common::data_dir();
    let mut a = app(data.path());
    a.update(Action::Search);
    type_text(&mut a, "subject:(budget");
    a.update(Action::PromptSubmit);
    assert_eq!(
        a.mode,
        Mode::Prompt {
            kind: Prompt::Search,
            input: "subject:(budget".into()
        }
    );
    let (_, msg) = a.status.clone().expect("an error");
    assert!(msg.contains("at character 8"), "{msg}");
    assert!(a.results.is_none());
    a.update(Action::PromptCancel);
    assert_eq!(a.mode, Mode::Normal);
}

#[test]
fn nothing_found_says_so() {
    let data = common::data_dir();
    let mut a = app(data.path());
    a.update(Action::Search);
    type_text(&mut a, "zzzzqqqq");
    a.update(Action::PromptSubmit);
    assert_eq!(a.results.as_ref().map(|r| r.hits.len()), Some(0));
    assert_eq!(a.selected_doc(), None);
    let shown = screen(&a);
    assert!(shown.contains("Nothing matches"));
    // The key named is the one the keymap binds to search.
    let flat = shown.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("f: search again"), "{shown}");
    a.update(Action::Down); // harmless
    a.update(Action::ClearSearch);
    assert!(a.selected_doc().is_some());
}

/// Wait for the quick filter's answer to what is typed, as the event loop
/// would deliver it.
/// The keys rest: the saved searches are counted on the counter's thread;
/// wait for its answer and apply it as the event loop would.
fn rest_and_count(a: &mut App) {
    a.update(Action::Idle);
    let counts = a
        .counter
        .as_ref()
        .expect("a counter")
        .results
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("counts");
    a.update(Action::SavedCounts(counts));
}

fn settle_quick(a: &mut App) {
    let Mode::Quick(typed) = a.mode.clone() else {
        panic!("not filtering");
    };
    loop {
        let (query, hits) = a
            .quick
            .as_ref()
            .expect("a worker")
            .results
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("an answer");
        let done = query == typed;
        a.update(Action::QuickResults(query, hits));
        if done {
            return;
        }
    }
}

#[test]
fn the_quick_filter_follows_each_key_and_esc_restores_the_tree() {
    let data = common::data_dir();
    let mut a = app(data.path());
    a.update(Action::Down);
    let before = a.selected_doc();
    a.update(Action::QuickFilter);
    type_text(&mut a, "ver");
    settle_quick(&mut a);
    let wide = a.results.as_ref().expect("results").hits.len();
    type_text(&mut a, "d");
    settle_quick(&mut a);
    let r = a.results.as_ref().expect("results");
    assert_eq!(r.query, "/verd");
    assert!(
        !r.hits.is_empty() && r.hits.len() <= wide,
        "{} of {wide}",
        r.hits.len()
    );
    for &d in &r.hits {
        let doc = a.ws.doc(d);
        let text = format!(
            "{} {} {} {}",
            doc.subject(),
            doc.sender(),
            doc.from_addr(),
            doc.recipients()
        )
        .to_lowercase();
        let mut rest = text.chars();
        assert!("verd".chars().all(|c| rest.any(|h| h == c)), "{text}");
    }
    insta::assert_snapshot!("quick_filter", screen(&a));
    // The matched characters are marked (underlined without colour), in
    // the sender or the subject of each row (wide enough to show them).
    a.update(Action::Resize(200, 30));
    let buf = common::render(&a);
    let mut marked_rows = 0;
    for y in 1..buf.area.height - 3 {
        let marked: String = (1..99)
            .map(|x| &buf[(x, y)])
            .filter(|c| c.modifier.contains(ratatui::style::Modifier::UNDERLINED))
            .map(|c| c.symbol().to_lowercase())
            .collect();
        if !marked.is_empty() {
            marked_rows += 1;
            assert!(
                marked == "verd" || marked == "verdverd",
                "row {y} marks {marked:?}"
            );
        }
    }
    assert!(marked_rows > 0, "no marked characters");
    a.update(Action::Resize(80, 24));
    // Esc while typing: back to the threads where they were.
    a.update(Action::PromptCancel);
    assert!(a.results.is_none() && a.quick.is_none());
    assert_eq!(a.selected_doc(), before);
}

#[test]
fn enter_keeps_the_quick_matches_to_move_in() {
    let data = common::data_dir();
    let mut a = app(data.path());
    a.update(Action::QuickFilter);
    type_text(&mut a, "budget");
    settle_quick(&mut a);
    a.update(Action::PromptSubmit);
    assert_eq!(a.mode, Mode::Normal);
    let n = a.results.as_ref().expect("kept").hits.len();
    assert!(n > 1);
    a.update(Action::Down);
    let chosen = a.selected_doc();
    assert_eq!(a.results.as_ref().map(|r| r.cursor), Some(1));
    a.update(Action::ClearSearch);
    assert_eq!(a.selected_doc(), chosen);
}

#[test]
fn a_saved_search_is_listed_counted_run_and_deleted() {
    let data = common::data_dir();
    let mut a = app(data.path());
    // Save "tag:suspect budget" while nothing is tagged: count 0.
    a.update(Action::Search);
    type_text(&mut a, "tag:suspect budget");
    a.update(Action::PromptSubmit);
    a.update(Action::SaveSearch);
    assert_eq!(
        a.mode,
        Mode::Prompt {
            kind: Prompt::SaveSearch,
            input: String::new()
        }
    );
    type_text(&mut a, "suspect budget");
    a.update(Action::PromptSubmit);
    assert_eq!(a.saved.len(), 1);
    // Counted when the keys rest, on another thread.
    assert_eq!(a.saved_counts, [None]);
    rest_and_count(&mut a);
    assert_eq!(a.saved_counts, [Some(0)]);
    a.update(Action::ClearSearch);

    // Tag a budget message suspect: the count follows.
    a.update(Action::Search);
    a.update(Action::PromptClear);
    type_text(&mut a, "budget -filename:csv");
    a.update(Action::PromptSubmit);
    a.update(Action::ToggleTag('2'));
    rest_and_count(&mut a);
    assert_eq!(a.saved_counts, [Some(1)]);
    a.update(Action::ClearSearch);
    // The side panel (4 rows at 80x24) scrolls to the highlighted row.
    a.update(Action::FocusPrev);
    // Past the four suggested tags to the saved search.
    for _ in 0..trawl::project::store::SUGGESTED_TAGS.len() {
        a.update(Action::TagDown);
    }
    let panel = screen(&a);
    assert!(panel.contains("Saved searches"), "{panel}");
    assert!(
        panel
            .lines()
            .any(|l| l.contains("» suspect budget") && l.trim_end_matches('│').ends_with('1')),
        "{panel}"
    );

    // Kept with the project; run from the side panel.
    drop(a);
    let mut a = app(data.path());
    rest_and_count(&mut a);
    assert_eq!(a.saved_counts, [Some(1)]);
    a.update(Action::FocusPrev); // tags
    for _ in 0..trawl::project::store::SUGGESTED_TAGS.len() {
        a.update(Action::TagDown);
    }
    a.update(Action::ToggleSelectedTag);
    let r = a.results.as_ref().expect("ran");
    assert_eq!((r.query.as_str(), r.hits.len()), ("tag:suspect budget", 1));

    // d deletes it.
    a.update(Action::DeleteEntry);
    assert!(a.saved.is_empty());
    drop(a);
    assert!(app(data.path()).saved.is_empty());
}

#[test]
fn saving_needs_a_search_on_screen() {
    let data = common::data_dir();
    let mut a = app(data.path());
    a.update(Action::SaveSearch);
    assert_eq!(a.mode, Mode::Normal);
    assert!(a
        .status
        .as_ref()
        .is_some_and(|(_, m)| m.contains("run a search first")));
}

#[test]
fn the_preview_marks_the_words_of_the_search_and_n_jumps_to_them() {
    let data = common::data_dir();
    let mut a = app(data.path());
    a.update(Action::Search);
    type_text(&mut a, "sound -nowhere");
    a.update(Action::PromptSubmit);
    assert_eq!(a.highlight, ["sound"], "negated words are not marked");
    // Find a hit whose body mentions "sound" below the first screen.
    let mut jumped = false;
    for _ in 0..a.results.as_ref().map_or(0, |r| r.hits.len()) {
        let before = a.preview_scroll;
        a.update(Action::NextHit);
        if a.preview_scroll > before {
            jumped = true;
            break;
        }
        a.update(Action::Down);
    }
    assert!(jumped, "no hit below the first line in any result");
    let first = a.preview_scroll;
    let line = &a.preview_lines[first + 1].text;
    assert!(line.to_lowercase().contains("sound"), "{line}");
    // n again goes further when there is another hit below; N comes back.
    a.update(Action::NextHit);
    if a.preview_scroll > first {
        a.update(Action::PrevHit);
        assert_eq!(a.preview_scroll, first);
    }
    a.update(Action::ScrollTop);

    // The word is drawn marked (no colour: reversed and underlined).
    a.update(Action::NextHit);
    let buffer = common::render(&a);
    let marked: String = (0..buffer.area.height)
        .flat_map(|y| (0..buffer.area.width).map(move |x| (x, y)))
        .filter(|&(x, y)| {
            buffer[(x, y)]
                .modifier
                .contains(ratatui::style::Modifier::UNDERLINED)
        })
        .map(|(x, y)| buffer[(x, y)].symbol().to_string())
        .collect();
    assert!(marked.to_lowercase().contains("sound"), "{marked:?}");

    // Back to the threads: nothing is marked any more.
    a.update(Action::ClearSearch);
    assert!(a.highlight.is_empty());
    a.update(Action::NextHit);
    assert!(a
        .status
        .as_ref()
        .is_some_and(|(_, m)| m.contains("press f")));
}
