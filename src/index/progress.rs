//! What a long index run reports while it works.

use std::fmt::Write as _;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Walking the dump and comparing files with the catalog.
    Listing,
    /// Parsing new and changed files.
    Reading,
    /// Rebuilding conversations.
    Threading,
    /// Writing the catalog.
    Saving,
    /// Adding documents' text to the full-text index (`files_*` count
    /// documents).
    Searching,
}

impl Phase {
    pub fn label(self) -> &'static str {
        match self {
            Phase::Listing => "listing files",
            Phase::Reading => "reading",
            Phase::Threading => "threading",
            Phase::Saving => "saving catalog",
            Phase::Searching => "indexing text",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub phase: Phase,
    /// Files that must be read (new or changed), and how many are done.
    pub files_total: usize,
    pub files_done: usize,
    /// Bytes of those files, and how many are read.
    pub bytes_total: u64,
    pub bytes_done: u64,
    /// Messages parsed so far in this run.
    pub messages: usize,
    pub elapsed: Duration,
}

impl Progress {
    pub fn new(phase: Phase) -> Progress {
        Progress {
            phase,
            files_total: 0,
            files_done: 0,
            bytes_total: 0,
            bytes_done: 0,
            messages: 0,
            elapsed: Duration::ZERO,
        }
    }

    /// Adding documents' text to the full-text index: `done` of `total`.
    pub fn text_indexing(done: usize, total: usize, elapsed: Duration) -> Progress {
        Progress {
            files_done: done,
            files_total: total,
            elapsed,
            ..Progress::new(Phase::Searching)
        }
    }

    pub fn mb_per_sec(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs <= 0.0 {
            return 0.0;
        }
        self.bytes_done as f64 / 1e6 / secs
    }

    pub fn fraction(&self) -> f64 {
        if self.phase == Phase::Searching {
            return if self.files_total == 0 {
                0.0
            } else {
                (self.files_done as f64 / self.files_total as f64).min(1.0)
            };
        }
        if self.bytes_total == 0 {
            return 0.0;
        }
        (self.bytes_done as f64 / self.bytes_total as f64).min(1.0)
    }

    /// Time left at the current rate, once there is a rate to go by.
    pub fn eta(&self) -> Option<Duration> {
        let done = self.fraction();
        if done <= 0.01 || self.elapsed < Duration::from_millis(300) {
            return None;
        }
        Some(self.elapsed.mul_f64((1.0 - done) / done))
    }

    /// `reading 12,345/30,000 files · 45,000 messages · 38 MB/s · 0:12 left`
    pub fn summary(&self) -> String {
        match self.phase {
            Phase::Listing => return "listing files…".to_string(),
            Phase::Threading => return format!("threading {} messages…", thousands(self.messages)),
            Phase::Saving => return "saving the catalog…".to_string(),
            Phase::Searching => {
                let mut s = format!(
                    "search index: {}/{} documents",
                    thousands(self.files_done),
                    thousands(self.files_total)
                );
                if let Some(eta) = self.eta() {
                    let secs = eta.as_secs();
                    let _ = write!(s, " · {}:{:02} left", secs / 60, secs % 60);
                }
                return s;
            }
            Phase::Reading => {}
        }
        let mut s = format!(
            "{} {}/{} files · {} messages · {:.0} MB/s",
            self.phase.label(),
            thousands(self.files_done),
            thousands(self.files_total),
            thousands(self.messages),
            self.mb_per_sec()
        );
        if let (Phase::Reading, Some(eta)) = (self.phase, self.eta()) {
            let secs = eta.as_secs();
            let _ = write!(s, " · {}:{:02} left", secs / 60, secs % 60);
        }
        s
    }
}

/// `20155` → `20,155`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eta_and_rate_follow_the_bytes() {
        let mut p = Progress::new(Phase::Reading);
        p.bytes_total = 100_000_000;
        p.bytes_done = 25_000_000;
        p.files_total = 4;
        p.files_done = 1;
        p.messages = 1234;
        p.elapsed = Duration::from_secs(5);
        assert_eq!(p.eta(), Some(Duration::from_secs(15)));
        assert!((p.mb_per_sec() - 5.0).abs() < 1e-9);
        assert_eq!(
            p.summary(),
            "reading 1/4 files · 1,234 messages · 5 MB/s · 0:15 left"
        );
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn text_indexing_counts_documents() {
        let mut p = Progress::new(Phase::Searching);
        p.files_total = 40_000;
        p.files_done = 10_000;
        p.elapsed = Duration::from_secs(4);
        assert!((p.fraction() - 0.25).abs() < 1e-9);
        assert_eq!(
            p.summary(),
            "search index: 10,000/40,000 documents · 0:12 left"
        );
        p.files_total = 0;
        assert!(p.fraction().abs() < 1e-9);
    }
}
