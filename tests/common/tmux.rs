//! The real binary in a real terminal: a tmux server of its own per test,
//! one 80x24 session, keys in, screen out. Tests skip with a printed
//! reason where tmux is missing, except under CI.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// The session every test drives.
pub const SESSION: &str = "e2e";

pub struct Tmux {
    socket: String,
}

impl Tmux {
    pub fn available() -> bool {
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

    pub fn new(tag: &str) -> Tmux {
        Tmux {
            socket: format!("trawl-test-{tag}-{}", std::process::id()),
        }
    }

    pub fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Run trawl on `dump` in an 80x24 window, its data and config in
    /// `data`; the shell line after it reports the exit code once trawl
    /// has left the alternate screen.
    pub fn start(&self, dump: &Path, data: &Path) {
        self.start_with("", "", dump, data);
    }

    /// [`Self::start`] with `env` (`NAME='value' …`) before the program
    /// and `args` before the dump.
    pub fn start_with(&self, env: &str, args: &str, dump: &Path, data: &Path) {
        let cmd = format!(
            "TRAWL_DATA_DIR='{0}' TRAWL_CONFIG_DIR='{0}' {env} '{1}' {args} '{2}'; echo TRAWL-EXIT=$?; sleep 60",
            data.display(),
            env!("CARGO_BIN_EXE_trawl"),
            dump.display()
        );
        self.tmux(&[
            "new-session",
            "-d",
            "-s",
            SESSION,
            "-x",
            "80",
            "-y",
            "24",
            &cmd,
        ]);
    }

    /// Keys by tmux's names (`Enter`, `Escape`, `j`), one after another.
    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.tmux(&["send-keys", "-t", SESSION, k]);
            std::thread::sleep(Duration::from_millis(60));
        }
    }

    /// Text (or bytes as a terminal sends them) typed as it is.
    pub fn input(&self, text: &str) {
        self.tmux(&["send-keys", "-t", SESSION, "-l", text]);
        std::thread::sleep(Duration::from_millis(60));
    }

    pub fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", SESSION])
    }

    pub fn wait_for(&self, needle: &str) -> String {
        self.wait_until(needle, |s| s.contains(needle))
    }

    /// The screen once `done` holds for it (20 s at most).
    pub fn wait_until(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if done(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "timed out waiting for {what:?}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn kill_session(&self) {
        self.tmux(&["kill-session", "-t", SESSION]);
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.tmux(&["kill-server"]);
    }
}
