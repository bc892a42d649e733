//! Progress of a long command on stderr: one line redrawn in place on a
//! terminal, a plain line every few seconds otherwise (logs, pipes, SSH
//! sessions without a tty).

use std::io::{self, IsTerminal, Write};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use trawl::index::progress::Progress;

const PLAIN_EVERY: Duration = Duration::from_secs(2);
const BAR_WIDTH: usize = 20;

/// Run `work`, giving it a progress callback that draws on stderr.
pub fn run<T>(work: impl FnOnce(&(dyn Fn(&Progress) + Sync)) -> T) -> T {
    let tty = io::stderr().is_terminal();
    let last_plain = Mutex::new(None::<Instant>);
    let report = |p: &Progress| {
        if tty {
            let filled = (p.fraction() * BAR_WIDTH as f64).round() as usize;
            let bar = format!(
                "{}{}",
                "#".repeat(filled),
                "-".repeat(BAR_WIDTH - filled.min(BAR_WIDTH))
            );
            let _ = write!(
                io::stderr(),
                "\r\x1b[K[{bar}] {:>3.0}% {}",
                p.fraction() * 100.0,
                p.summary()
            );
            let _ = io::stderr().flush();
        } else if let Ok(mut last) = last_plain.lock() {
            if last.is_none_or(|t| t.elapsed() >= PLAIN_EVERY) {
                *last = Some(Instant::now());
                eprintln!("trawl: {}", p.summary());
            }
        }
    };
    let result = work(&report);
    if tty {
        let _ = write!(io::stderr(), "\r\x1b[K");
    }
    result
}
