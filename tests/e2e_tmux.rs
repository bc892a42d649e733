//! End to end: the real binary in a real terminal (tmux), driven by keys.
//! Skips with a printed reason where tmux is missing, except under CI.

mod common;

use std::time::Duration;

use common::tmux::Tmux;

#[test]
fn tag_quit_reopen_and_find_it_again() {
    if !Tmux::available() {
        return;
    }
    let data = common::data_dir();
    let dump = common::sample_dump();
    let t = Tmux::new("tag");

    t.start(&dump, data.path());
    let first = t.wait_for("/ 50 messages");
    assert!(first.contains("Threads (18)"), "{first}");
    assert!(first.contains("[ ] 1 verified"), "{first}");
    assert!(first.contains("1 / 50 messages"), "{first}");

    // Down three rows (past the "not in dump" placeholder), tag, quit.
    t.keys(&["j", "j", "j"]);
    t.wait_for("3 / 50 messages");
    t.keys(&["1"]);
    let tagged = t.wait_for("tagged verified");
    assert!(tagged.contains("[x] 1 verified"), "{tagged}");
    t.keys(&["q"]);
    let after = t.wait_for("TRAWL-EXIT=");
    assert!(after.contains("TRAWL-EXIT=0"), "{after}");
    assert!(
        !after.contains("Threads ("),
        "the alternate screen was left: {after}"
    );
    t.kill_session();

    // Reopen: same position, the tag is there, and counted.
    t.start(&dump, data.path());
    let again = t.wait_for("/ 50 messages");
    assert!(again.contains("3 / 50 messages"), "{again}");
    let tag_line = again
        .lines()
        .find(|l| l.contains("1 verified"))
        .expect("tag panel");
    assert!(tag_line.contains("[x] 1 verified"), "{tag_line}");
    assert!(
        tag_line.trim_end_matches('│').trim_end().ends_with('1'),
        "count 1: {tag_line}"
    );

    // Help lists the keys; Esc closes it; q quits cleanly.
    t.keys(&["?"]);
    let help = t.wait_for("Keys");
    assert!(help.contains("Fold or unfold"), "{help}");
    t.keys(&["Escape", "q"]);
    assert!(t.wait_for("TRAWL-EXIT=").contains("TRAWL-EXIT=0"));
}

#[test]
fn new_tag_from_the_prompt_gets_the_next_hotkey() {
    if !Tmux::available() {
        return;
    }
    let data = common::data_dir();
    let t = Tmux::new("newtag");
    t.start(&common::sample_dump(), data.path());
    t.wait_for("/ 50 messages");
    t.keys(&["t"]);
    t.wait_for("New tag name");
    t.keys(&["d", "o", "n", "o", "r", "s", "Enter"]);
    let s = t.wait_for("created tag donors on key 5");
    assert!(s.contains("5 donors"), "{s}");
    t.keys(&["5"]);
    let s = t.wait_for("tagged donors");
    assert!(s.contains("[x] 5 donors"), "{s}");
    t.keys(&["q"]);
    assert!(t.wait_for("TRAWL-EXIT=").contains("TRAWL-EXIT=0"));
}

#[test]
fn search_open_a_hit_tag_it_and_find_it_by_its_tag() {
    if !Tmux::available() {
        return;
    }
    let data = common::data_dir();
    let dump = common::sample_dump();
    let t = Tmux::new("search");
    t.start(&dump, data.path());
    // The browser builds the full-text index in the background.
    t.wait_for("search index up to date");
    t.keys(&["f"]);
    t.wait_for("Search — Enter to search");
    t.input("from:claire date:2017-03");
    t.keys(&["Enter"]);
    let found = t.wait_for("6 found");
    assert!(found.contains("6 of 59 documents match"), "{found}");
    // Open the second hit, tag it suspect, back to the threads.
    t.keys(&["j"]);
    let hit = t.screen();
    t.keys(&["2"]);
    t.wait_for("tagged suspect");
    t.keys(&["Escape"]);
    let back = t.wait_for("Threads (18)");
    // The preview still shows the message that was opened.
    let header = |s: &str| {
        s.lines()
            .flat_map(|l| l.split('│'))
            .find(|part| part.contains("Date: "))
            .map(|part| part.trim().to_string())
    };
    assert!(header(&hit).is_some_and(|h| h.contains("2017-03")), "{hit}");
    assert_eq!(header(&back), header(&hit), "{back}");
    t.keys(&["f"]);
    t.wait_for("Search — Enter to search");
    t.keys(&["C-u"]);
    t.input("tag:suspect");
    t.keys(&["Enter"]);
    let tagged = t.wait_for("1 found");
    assert!(tagged.contains("Claire Mor"), "{tagged}");
    t.keys(&["q"]);
    assert!(t.wait_for("TRAWL-EXIT=").contains("TRAWL-EXIT=0"));
}

/// The number in "marked N of the thread" on the status line.
fn marked_count(screen: &str) -> usize {
    let at = screen.find("marked ").expect("marked") + "marked ".len();
    screen[at..]
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a count")
}

#[test]
fn a_triage_session_filter_unread_tag_a_thread_write_a_note_export_the_csv() {
    if !Tmux::available() {
        return;
    }
    let data = common::data_dir();
    let dump = common::sample_dump();
    let t = Tmux::new("triage");
    t.start_with("TRAWL_AUTHOR=claire", "", &dump, data.path());
    t.wait_for("/ 50 messages");

    // Only what is not read yet, then its threads; down to a reply.
    t.keys(&["i"]);
    t.wait_for("is:unread");
    t.keys(&["T"]);
    t.keys(&["j", "j", "j", "j", "j"]);
    t.wait_for("From:");

    // The whole thread, tagged follow-up in one key.
    t.keys(&["w"]);
    let marked = marked_count(&t.wait_for("of the thread"));
    assert!(marked >= 2, "a thread of one? marked {marked}");
    t.keys(&["4"]);
    t.wait_for("put follow-up on");
    t.keys(&["X"]);
    t.wait_for("marks taken off");

    // A note on the selected message.
    t.keys(&["e"]);
    t.wait_for("Note on");
    t.keys(&["Appeler le trésorier", "Enter", "avant vendredi", "Escape"]);
    let screen = t.wait_for("note saved");
    assert!(screen.contains("Note by claire"), "{screen}");
    // The next key clears the message: the progress line is back.
    // (A background message may take its place once: a key again.)
    let progress = format!("reviewed, {marked} tagged");
    let shown = (0..20).any(|_| {
        t.keys(&["K"]);
        std::thread::sleep(Duration::from_millis(200));
        t.screen().contains(&progress)
    });
    assert!(shown, "{progress:?} not on:\n{}", t.screen());
    t.keys(&["q"]);
    assert!(t.wait_for("TRAWL-EXIT=").contains("TRAWL-EXIT=0"));

    // The export says the same.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_trawl"))
        .env("TRAWL_DATA_DIR", data.path())
        .args(["export", "--format", "csv"])
        .arg(&dump)
        .output()
        .expect("export");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = reader.headers().expect("headers").clone();
    let col = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (tags_col, notes_col, read_col) = (col("tags"), col("notes"), col("read"));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 59, "one row per document");
    let followed = rows
        .iter()
        .filter(|r| r[tags_col].split(';').any(|t| t == "follow-up"));
    assert_eq!(
        followed.count(),
        marked,
        "the thread's messages, and only they"
    );
    let noted: Vec<&csv::StringRecord> = rows.iter().filter(|r| !r[notes_col].is_empty()).collect();
    assert_eq!(noted.len(), 1, "one note");
    let note: serde_json::Value =
        serde_json::from_str(&noted[0][notes_col]).expect("notes are JSON");
    assert_eq!(note[0]["author"], "claire");
    assert_eq!(note[0]["text"], "Appeler le trésorier\navant vendredi");
    assert_eq!(&noted[0][read_col], "true");
    assert!(
        noted[0][tags_col].split(';').any(|t| t == "follow-up"),
        "the noted message is in the tagged thread"
    );
}

#[test]
fn a_broken_keymap_is_named_with_its_line_and_the_palette_still_runs_commands() {
    if !Tmux::available() {
        return;
    }
    let data = common::data_dir();
    std::fs::write(
        data.path().join("keymap.toml"),
        "[[global]]\nkeys = [\"x\"]\naction = \"quitt\"\n",
    )
    .expect("keymap");
    let t = Tmux::new("keymap");
    t.start(&common::sample_dump(), data.path());
    t.wait_for("/ 50 messages");
    // Shown at start, and whenever the status line has nothing else to
    // say (a first index's report may cover it until the next key).
    t.keys(&["j"]);
    t.wait_for("keymap.toml line 3: unknown action \"quitt\"");
    // The built-in keys work; the palette finds and runs quit.
    t.keys(&[":"]);
    t.wait_for("Commands");
    t.input("quit");
    let listed = t.wait_for("Quit (everything is already saved)");
    assert!(listed.contains("› quit"), "{listed}");
    t.keys(&["Enter"]);
    let after = t.wait_for("TRAWL-EXIT=");
    assert!(after.contains("TRAWL-EXIT=0"), "{after}");
    // Said again on the terminal once the full screen is gone.
    let unwrapped = after.replace('\n', " ");
    assert!(
        unwrapped.contains("keymap.toml line 3: unknown action \"quitt\"; did you mean \"quit\"?"),
        "{after}"
    );
}
