//! The mouse end to end: the real binary in tmux asks for clicks and the
//! wheel only, acts on them, and gives the mouse back when it quits;
//! `--no-mouse` and `TRAWL_NO_MOUSE=1` leave it to the terminal. Skips
//! with a printed reason where tmux is missing, except under CI.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
}

impl Tmux {
    fn available() -> bool {
        let ok = Command::new("tmux")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI is set but tmux is not installed"
            );
            eprintln!("skipped: tmux is not installed");
        }
        ok
    }

    fn new(tag: &str) -> Tmux {
        Tmux {
            socket: format!("trawl-mouse-{tag}-{}", std::process::id()),
        }
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Run `env trawl args dump` in an 80x24 window.
    fn start(&self, env: &str, args: &str, dump: &Path, data: &Path) {
        let cmd = format!(
            "TRAWL_DATA_DIR='{}' {env} '{}' {args} '{}'; echo TRAWL-EXIT=$?; sleep 60",
            data.display(),
            env!("CARGO_BIN_EXE_trawl"),
            dump.display()
        );
        self.tmux(&["new-session", "-d", "-s", "m", "-x", "80", "-y", "24", &cmd]);
    }

    /// What the program in the pane asked of the mouse: clicks (1000),
    /// SGR coordinates (1006), drags (1002), every movement (1003).
    fn mouse_modes(&self) -> String {
        self.tmux(&[
            "display",
            "-p",
            "-t",
            "m",
            "#{mouse_standard_flag}#{mouse_sgr_flag}#{mouse_button_flag}#{mouse_all_flag}",
        ])
        .trim()
        .to_string()
    }

    /// Bytes as a terminal sends them (here: mouse reports).
    fn input(&self, bytes: &str) {
        self.tmux(&["send-keys", "-t", "m", "-l", bytes]);
        std::thread::sleep(Duration::from_millis(60));
    }

    fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", "m"])
    }

    fn wait_for(&self, needle: &str) -> String {
        self.wait_until(needle, |s| s.contains(needle))
    }

    fn wait_until(&self, needle: &str, done: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if done(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "timed out waiting for {needle:?}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.tmux(&["kill-server"]);
    }
}

#[test]
fn clicks_and_the_wheel_work_and_the_mouse_is_given_back_on_quit() {
    if !Tmux::available() {
        return;
    }
    let data = common::data_dir();
    let t = Tmux::new("on");
    t.start("", "", &common::sample_dump(), data.path());
    t.wait_for("1 / 50 messages");
    assert_eq!(t.mouse_modes(), "1100", "clicks and SGR only, no motion");
    // A click on the fifth row of the tree (1-based cell 10,6), press and
    // release, selects it.
    t.input("\x1b[<0;10;6M");
    t.input("\x1b[<0;10;6m");
    let screen = t.wait_for("4 / 50 messages");
    assert!(screen.contains("Date: 2017-03-23 18:02:40"), "{screen}");
    assert!(screen.contains("From: Claire Morel"), "{screen}");
    // The wheel over the preview scrolls it (three lines a notch).
    t.input("\x1b[<65;60;8M");
    t.wait_until("the From line scrolled away", |s| {
        !s.contains("From: Claire Morel")
    });
    t.input("q");
    t.wait_for("TRAWL-EXIT=0");
    assert_eq!(t.mouse_modes(), "0000", "the mouse was not given back");
}

#[test]
fn no_mouse_by_flag_or_environment() {
    if !Tmux::available() {
        return;
    }
    let data = common::data_dir();
    for (tag, env, args) in [("flag", "", "--no-mouse"), ("env", "TRAWL_NO_MOUSE=1", "")] {
        let t = Tmux::new(tag);
        t.start(env, args, &common::sample_dump(), data.path());
        t.wait_for("1 / 50 messages");
        assert_eq!(t.mouse_modes(), "0000", "{tag}");
        t.input("q");
        t.wait_for("TRAWL-EXIT=0");
    }
}
