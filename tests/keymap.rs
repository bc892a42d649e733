//! The user's keymap file: how it changes the built-in keys (replace,
//! unbind, move a key, add), and how a file with a mistake is refused —
//! naming the file and the line — while the built-in keys stay in force,
//! in the browser (help, hints, status line) and for `trawl keymap`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use trawl::tui::action::Action;
use trawl::tui::app::App;
use trawl::tui::keymap::{Keymap, Origin, Section};
use trawl::tui::theme::Theme;
use trawl::workspace::Workspace;

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn named(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// The action's name as `Debug` prints it, to compare without `PartialEq`.
fn lookup(km: &Keymap, section: Section, k: &KeyEvent) -> String {
    format!("{:?}", km.lookup(section, k))
}

/// A config folder holding `text` as `keymap.toml`.
fn config_with(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("config dir");
    let path = dir.path().join("keymap.toml");
    std::fs::write(&path, text).expect("write keymap");
    (dir, path)
}

fn binding_desc(km: &Keymap, section: Section, action: &str) -> Option<String> {
    km.section(section)
        .iter()
        .find(|b| b.action == action)
        .map(|b| b.desc.clone())
}

#[test]
fn the_builtin_keymap_parses_and_binds_what_the_help_says() {
    let km = Keymap::builtin();
    assert_eq!(km.origin, Origin::Builtin);
    assert_eq!(lookup(&km, Section::Tree, &key('j')), "Some(Down)");
    assert_eq!(
        lookup(&km, Section::Tree, &key(':')),
        "Some(CommandPalette)"
    );
    assert_eq!(lookup(&km, Section::Tags, &key('C')), "Some(RecolourTag)");
    assert_eq!(lookup(&km, Section::Tags, &key('b')), "Some(RebindTag)");
    assert_eq!(
        lookup(&km, Section::Palette, &named(KeyCode::Down)),
        "Some(Down)"
    );
    assert_eq!(
        lookup(&km, Section::Palette, &key('j')),
        "None",
        "typed, not a key"
    );
    let rows = km.help_rows();
    assert!(rows
        .iter()
        .any(|(k, d)| k == ":" && d.starts_with("Command palette")));
}

#[test]
fn a_user_entry_replaces_the_keys_of_its_action_in_its_section_only() {
    let (_dir, path) =
        config_with("# my keys\n[[tree]]\nkeys = [\"x\", \"Down\"]\naction = \"down\"\n");
    let km = Keymap::load(&path);
    assert_eq!(km.origin, Origin::User(path.clone()));
    assert_eq!(lookup(&km, Section::Tree, &key('x')), "Some(Down)");
    assert_eq!(
        lookup(&km, Section::Tree, &named(KeyCode::Down)),
        "Some(Down)"
    );
    assert_eq!(lookup(&km, Section::Tree, &key('j')), "None", "j replaced");
    // Other sections keep their own j.
    assert_eq!(lookup(&km, Section::List, &key('j')), "Some(Down)");
    assert_eq!(lookup(&km, Section::Preview, &key('j')), "Some(ScrollDown)");
    // The description stays the built-in one; the help shows the new keys.
    assert_eq!(
        binding_desc(&km, Section::Tree, "down").as_deref(),
        Some("Next row")
    );
    assert!(km
        .help_rows()
        .iter()
        .any(|(k, d)| k == "x, Down" && d == "Next row"));
    assert!(km.hints().iter().any(|(k, h)| k == "x" && h == "move"));
}

#[test]
fn empty_keys_unbind_and_the_help_and_hints_leave_it_out() {
    let (_dir, path) = config_with("[[global]]\nkeys = []\naction = \"quit\"\n");
    let km = Keymap::load(&path);
    assert_eq!(lookup(&km, Section::Tree, &key('q')), "None");
    assert!(!km.hints().iter().any(|(_, h)| h == "quit"));
    assert!(!km.help_rows().iter().any(|(_, d)| d.starts_with("Quit")));
    // Still in the keymap (the palette runs it), without keys.
    let quit = km
        .section(Section::Global)
        .iter()
        .find(|b| b.action == "quit")
        .expect("kept");
    assert!(quit.labels.is_empty());
    // The help lists the list's own q still.
    assert_eq!(lookup(&km, Section::List, &key('q')), "Some(Gaps)");
}

#[test]
fn a_key_bound_by_the_user_is_taken_from_the_builtin_action_that_had_it() {
    let (_dir, path) = config_with(
        "[[tree]]\nkeys = [\"j\"]\naction = \"bottom\"\ndesc = \"Jump to the end\"\nhint = \"end\"\n\n\
         [[global]]\nkeys = [\"x\"]\naction = \"help\"\nhint = \"\"\n",
    );
    let km = Keymap::load(&path);
    assert_eq!(lookup(&km, Section::Tree, &key('j')), "Some(Bottom)");
    // `down` keeps its other key; `bottom` lost G and End (replaced).
    let down = &km.section(Section::Tree)[0];
    assert_eq!(down.labels, ["Down"]);
    assert_eq!(lookup(&km, Section::Tree, &key('G')), "None");
    assert_eq!(
        binding_desc(&km, Section::Tree, "bottom").as_deref(),
        Some("Jump to the end")
    );
    // The hint moved with it, and `hint = ""` took help's away.
    let hints = km.hints();
    assert!(
        hints.iter().any(|(k, h)| k == "j" && h == "end"),
        "{hints:?}"
    );
    assert!(hints.iter().any(|(k, h)| k == "Down" && h == "move"));
    assert!(!hints.iter().any(|(_, h)| h == "help"));
    assert_eq!(lookup(&km, Section::Tree, &key('x')), "Some(Help)");
    assert_eq!(
        lookup(&km, Section::Tree, &key('?')),
        "None",
        "? replaced by x"
    );
}

#[test]
fn an_action_new_to_a_section_is_added_with_its_description_from_another() {
    let (_dir, path) = config_with(
        "[[tags]]\nkeys = [\"x\"]\naction = \"raw_source\"\n\n[[tree]]\nkeys = [\"C-d\"]\naction = \"page_down\"\n",
    );
    let km = Keymap::load(&path);
    assert_eq!(lookup(&km, Section::Tags, &key('x')), "Some(RawSource)");
    let desc = binding_desc(&km, Section::Tags, "raw_source").expect("added");
    assert!(desc.starts_with("Raw source"), "{desc}");
    let ctrl_d = KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL);
    assert_eq!(lookup(&km, Section::Tree, &ctrl_d), "Some(PageDown)");
    // The global d (none) and the tag panel's d are untouched.
    assert_eq!(lookup(&km, Section::Tags, &key('d')), "Some(DeleteEntry)");
}

/// The help's rows after those about the file: the keys.
fn after_origin(km: &Keymap) -> Vec<(String, String)> {
    let rows = km.help_rows();
    let marks = rows
        .iter()
        .position(|(k, d)| k.is_empty() && d == "Marks in the thread tree")
        .expect("marks");
    rows[marks..].to_vec()
}

/// Each mistake: the file's text, the line it is on, and words the
/// message must hold.
const MISTAKES: &[(&str, usize, &str)] = &[
    (
        "# fine so far\n[[tree]]\nkeys = [\"x\"]\naction = \"qiut\"\n",
        4,
        "unknown action \"qiut\"; did you mean \"quit\"?",
    ),
    (
        "[[global]]\nkeys = [\"q\"]\naction = \"quit\"\n\n[[treee]]\nkeys = [\"x\"]\naction = \"quit\"\n",
        5,
        "unknown section [[treee]]",
    ),
    (
        "[[tree]]\nkeys = [\"j\",\n  \"Hyper\"]\naction = \"down\"\n",
        3,
        "unknown key \"Hyper\"",
    ),
    ("[[tree]]\nkeys = [\"x\"\naction = \"up\"\n", 3, "expected"),
    ("[tree]\nkeys = [\"x\"]\naction = \"up\"\n", 1, "[[section]]"),
    (
        "[[tree]]\nkey = [\"x\"]\naction = \"up\"\n",
        2,
        "unknown field `key`",
    ),
    (
        "[[global]]\nkeys = [\"5\", \"x\"]\naction = \"toggle_tag\"\n",
        2,
        "toggle_tag takes the digits 1-9",
    ),
    (
        "[[tree]]\nkeys = [\"x\"]\naction = \"up\"\n\n[[tree]]\nkeys = [\"x\"]\naction = \"down\"\n",
        6,
        "key \"x\" is bound twice in [[tree]] (also on line 2)",
    ),
];

#[test]
fn a_bad_file_is_refused_with_its_name_and_line_and_the_builtin_keys_stay() {
    let builtin = Keymap::builtin();
    for (text, line, words) in MISTAKES {
        let (_dir, path) = config_with(text);
        let km = Keymap::load(&path);
        let Origin::Refused(e) = &km.origin else {
            panic!("accepted: {text}");
        };
        assert_eq!(e.file.as_deref(), Some(path.as_path()));
        assert_eq!(e.line, Some(*line), "{e} for {text:?}");
        assert!(e.problem.contains(words), "{e} for {text:?}");
        let shown = e.to_string();
        assert!(
            shown.starts_with(&format!("{} line {line}: ", path.display())),
            "{shown}"
        );
        // The built-in keys, every one.
        assert_eq!(after_origin(&km), after_origin(&builtin));
        assert_eq!(lookup(&km, Section::Tree, &key('q')), "Some(Quit)");
        let problem = km.problem().expect("a problem to show");
        assert!(
            problem.starts_with(&format!("keymap.toml line {line}: ")),
            "{problem}"
        );
    }
}

#[test]
fn a_missing_file_is_no_mistake_and_an_unreadable_one_is() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("keymap.toml");
    let km = Keymap::load(&path);
    assert_eq!(km.origin, Origin::NoUserFile(path.clone()));
    assert!(km.problem().is_none());
    std::fs::create_dir(&path).expect("a folder in its place");
    let km = Keymap::load(&path);
    assert!(
        matches!(&km.origin, Origin::Refused(e) if e.line.is_none() && e.problem == "not a file"),
        "{:?}",
        km.origin
    );
    std::fs::remove_dir(&path).expect("rmdir");
    std::fs::write(&path, b"[[tree]]\nkeys = [\"\xff\"]\n").expect("write");
    let km = Keymap::load(&path);
    assert!(matches!(&km.origin, Origin::Refused(e) if e.problem == "not UTF-8 text"));
}

fn app_with(keymap: Keymap, data: &Path) -> App {
    let ws = Workspace::open_in(&common::sample_dump(), data).expect("open");
    App::new(ws, keymap, Theme { color: false }, (100, 30))
}

#[test]
fn the_browser_shows_a_refused_file_in_the_status_line_and_the_help() {
    let (_dir, path) = config_with("[[tree]]\nkeys = [\"x\"]\naction = \"explode\"\n");
    let data = common::data_dir();
    let mut a = app_with(Keymap::load(&path), data.path());
    let screen = common::text(&common::render(&a));
    let status = screen.lines().nth(28).expect("status line");
    assert!(
        status.contains("keymap.toml line 3: unknown action \"explode\""),
        "{status}"
    );
    // The built-in keys work.
    let q = a.action_for_key(&key('j')).expect("j");
    a.update(q);
    a.update(Action::Help);
    // Columns are as wide as the longest keys: compare with single spaces.
    let help = common::text(&common::render(&a));
    let help = help
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(help.contains("Your keys"), "{help}");
    assert!(
        help.contains(&format!("file {}", path.display())) || help.contains("file ~/"),
        "{help}"
    );
    assert!(
        help.contains("refused line 3: unknown action \"explode\""),
        "{help}"
    );
    assert!(
        help.contains("the built-in keys below are in use"),
        "{help}"
    );
}

/// An index report that arrives after a key does not hide the refused
/// file (the report is news; the file stays wrong until it is fixed); what
/// a key says still comes first.
#[test]
fn background_news_does_not_hide_a_refused_file() {
    use trawl::tui::action::TextIndexed;
    let (_dir, path) = config_with("[[tree]]\nkeys = [\"x\"]\naction = \"explode\"\n");
    let data = common::data_dir();
    let mut a = app_with(Keymap::load(&path), data.path());
    let status = |a: &App| {
        let screen = common::text(&common::render(a));
        screen.lines().nth(28).expect("status line").to_string()
    };
    let j = a.action_for_key(&key('j')).expect("j");
    a.update(j);
    a.update(Action::TextIndexDone(TextIndexed::Added(7)));
    let line = status(&a);
    assert!(
        line.contains("line 3: unknown action \"explode\""),
        "{line}"
    );
    // A key's own message is shown over it.
    a.update(Action::NextHit);
    let line = status(&a);
    assert!(line.contains("n and N jump"), "{line}");
}

#[test]
fn the_browser_uses_the_users_keys_and_its_help_and_hints_say_so() {
    let (_dir, path) =
        config_with("[[global]]\nkeys = [\"x\"]\naction = \"quit\"\nhint = \"leave\"\n");
    let data = common::data_dir();
    let mut a = app_with(Keymap::load(&path), data.path());
    let screen = common::text(&common::render(&a));
    let hints = screen.lines().nth(29).expect("hint line");
    assert!(hints.contains(" x leave "), "{hints}");
    assert!(!hints.contains("q quit"), "{hints}");
    a.update(Action::Help);
    let help = common::text(&common::render(&a));
    assert!(
        help.contains("read: the keys below include its changes"),
        "{help}"
    );
    a.update(Action::Help);
    assert!(a.action_for_key(&key('q')).is_none());
    let x = a.action_for_key(&key('x')).expect("x");
    a.update(x);
    assert!(a.quit);
}

/// `trawl keymap` with `TRAWL_CONFIG_DIR`: where, whether valid, the keys.
#[test]
fn trawl_keymap_names_the_file_and_line_on_stderr() {
    let run = |config: &Path| {
        Command::new(env!("CARGO_BIN_EXE_trawl"))
            .arg("keymap")
            .env("TRAWL_CONFIG_DIR", config)
            .output()
            .expect("run trawl keymap")
    };
    let (dir, path) = config_with("[[tree]]\nkeys = [\"x\"]\naction = \"down\"\n");
    let out = run(dir.path());
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("tree\tx\tdown\tNext row\n"), "{stdout}");
    assert!(stdout.contains("global\t:\tcommand_palette\t"), "{stdout}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("is valid"));

    std::fs::write(&path, "\n\n[[tree]]\nkeys = [\"x\"]\naction = \"dwon\"\n").expect("write");
    let out = run(dir.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "{} line 5: unknown action \"dwon\"; did you mean \"down\"?",
            path.display()
        )),
        "{stderr}"
    );
    // The built-in keys are listed, as in use.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("tree\tj Down\tdown\tNext row\n"),
        "{stdout}"
    );

    let out = Command::new(env!("CARGO_BIN_EXE_trawl"))
        .args(["keymap", "--default"])
        .output()
        .expect("run");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        trawl::tui::keymap::DEFAULT_KEYMAP
    );
}
