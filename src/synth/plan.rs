//! The plan: every message of the dump laid out in a compact table of
//! [`Entry`] (parent, date, container, flags), the conversations first, then
//! the copies (duplicates and re-used Message-IDs). Everything written later is
//! a pure function of this table and the seed.

use super::dates::{BASE_TIME, SPAN_DAYS};
use super::places::{Place, LISTS};
use super::random::{exp, ln, Rng, K_PLAN};
use super::Summary;

pub(super) const NONE: u32 = u32::MAX;

// Entry flags.
/// Referenced by replies, never written.
pub(super) const PHANTOM: u8 = 1;
/// A byte-identical copy of `link`.
pub(super) const DUP: u8 = 2;
/// A different message reusing `link`'s Message-ID.
pub(super) const REUSE: u8 = 4;
/// The conversation's first message is missing: its subject carries a
/// unique reference so subject threading cannot merge it with another.
pub(super) const TOKEN: u8 = 8;
/// A mailing-list conversation.
pub(super) const LIST: u8 = 16;
/// A huge (flame war) conversation.
pub(super) const HUGE: u8 = 32;
/// Flags every message of a conversation shares.
pub(super) const CONV_FLAGS: u8 = TOKEN | LIST | HUGE;

/// Deepest reply written (a root is at depth 0).
const MAX_DEPTH: u8 = 30;

/// One message of the plan (written, missing, or a copy).
#[derive(Debug, Clone, Copy)]
pub(super) struct Entry {
    pub(super) parent: u32,
    /// For copies: the original.
    pub(super) link: u32,
    pub(super) conv: u32,
    /// Seconds since [`BASE_TIME`].
    pub(super) date: u32,
    pub(super) container: u32,
    pub(super) depth: u8,
    pub(super) flags: u8,
}

impl Entry {
    pub(super) fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}

pub(super) struct Plan {
    pub(super) seed: u64,
    pub(super) entries: Vec<Entry>,
    pub(super) places: Vec<Place>,
    /// Maildir owners are people `0..users`.
    pub(super) users: u32,
    pub(super) people: u32,
    /// Indices into [`LISTS`] of the lists in use.
    pub(super) lists: Vec<usize>,
    /// Original (non-copy) entries are `0..originals`.
    pub(super) originals: usize,
    threads: usize,
    largest_thread: usize,
}

struct Planner {
    rng: Rng,
    entries: Vec<Entry>,
    threads: usize,
    written: usize,
    singletons: usize,
    largest: usize,
}

impl Planner {
    fn push(&mut self, parent: u32, conv: u32, date: u32, flags: u8) -> u32 {
        let depth = if parent == NONE {
            0
        } else {
            self.entries[parent as usize].depth + 1
        };
        self.entries.push(Entry {
            parent,
            link: NONE,
            conv,
            date,
            container: NONE,
            depth,
            flags,
        });
        (self.entries.len() - 1) as u32
    }

    fn start_date(&mut self) -> u32 {
        let mut day = self.rng.below(SPAN_DAYS);
        // Mostly office days and office hours.
        if (day % 7 >= 5) && self.rng.chance(0.8) {
            day -= self.rng.between(1, 2);
        }
        let hour = if self.rng.chance(0.85) {
            self.rng.between(7, 18)
        } else {
            self.rng.below(24)
        };
        (day * 86_400 + hour * 3600 + self.rng.below(3600)) as u32
    }

    fn delay(&mut self, huge: bool) -> u32 {
        let (median, sigma, lo, hi) = if huge {
            (1_200.0, 1.2, 20.0, 3.0 * 86_400.0)
        } else {
            (5_400.0, 1.5, 45.0, 20.0 * 86_400.0)
        };
        self.rng.lognormal(median, sigma).clamp(lo, hi) as u32
    }

    /// A conversation of `size` written messages (plus any missing ones).
    fn conversation(&mut self, size: usize, mut flags: u8) {
        let conv = self.threads as u32;
        self.threads += 1;
        let start = self.entries.len();
        let huge = flags & HUGE != 0;
        if size == 1 {
            self.singletons += 1;
        }
        let phantom_root = size >= 2 && !huge && self.rng.chance(0.06);
        if phantom_root {
            flags |= TOKEN;
        }
        let t0 = self.start_date();
        let root_flags = if phantom_root { flags | PHANTOM } else { flags };
        self.push(NONE, conv, t0, root_flags);
        let mut made = usize::from(!phantom_root);
        while made < size {
            let mut parent = self.choose_parent(start, huge);
            if self.rng.chance(0.014) {
                let date = self.entries[parent as usize]
                    .date
                    .saturating_add(self.delay(huge));
                parent = self.push(parent, conv, date, flags | PHANTOM);
            }
            let date = self.entries[parent as usize]
                .date
                .saturating_add(self.delay(huge));
            self.push(parent, conv, date, flags);
            made += 1;
        }
        self.written += size;
        self.largest = self.largest.max(self.entries.len() - start);
    }

    /// A parent for the next reply among the conversation's messages: the
    /// latest one, a recent one or any one; never a missing message other
    /// than the root, never one at [`MAX_DEPTH`].
    fn choose_parent(&mut self, start: usize, huge: bool) -> u32 {
        let end = self.entries.len();
        let n = end - start;
        let mut k = if self.rng.chance(0.55) {
            end - 1
        } else if huge {
            end - 1 - self.rng.index(n.min(40))
        } else {
            start + self.rng.index(n)
        };
        loop {
            let e = self.entries[k];
            if k == start || (!e.has(PHANTOM) && e.depth < MAX_DEPTH) {
                return k as u32;
            }
            if e.has(PHANTOM) && k + 1 < end && self.entries[k + 1].depth < MAX_DEPTH {
                return (k + 1) as u32; // the missing message's only child
            }
            k = e.parent as usize;
        }
    }
}

impl Plan {
    pub(super) fn build(messages: usize, seed: u64) -> Plan {
        let mut dups = (messages + 100) / 200;
        let mut reuses = (messages + 1000) / 2000;
        if dups + reuses >= messages {
            dups = 0;
            reuses = 0;
        }
        let written = messages - dups - reuses;
        let users = (messages / 2500).clamp(50, 200) as u32;
        let people = (users * 4).max((messages / 40) as u32);
        let mut p = Planner {
            rng: Rng::keyed(seed, K_PLAN, 0),
            entries: Vec::with_capacity(messages + messages / 40 + 16),
            threads: 0,
            written: 0,
            singletons: 0,
            largest: 0,
        };
        let (mut huge_left, huge_min, huge_max) = if written >= 20_000 {
            (2 + written / 150_000, 1_000, 4_000)
        } else if written >= 200 {
            (1, written / 20, written / 20)
        } else {
            (0, 0, 0)
        };
        while p.written < written {
            let remaining = written - p.written;
            if huge_left > 0 {
                huge_left -= 1;
                let size = p.rng.between(huge_min as u64, huge_max as u64) as usize;
                p.conversation(size.min(remaining), HUGE | LIST);
            } else if p.singletons * 2 <= p.written {
                let flags = if p.rng.chance(0.04) { LIST } else { 0 };
                p.conversation(1, flags);
            } else {
                let size = (2.0 * exp(-ln(p.rng.unit()) / 1.3)).min(50.0) as usize;
                let flags = if p.rng.chance(0.25) { LIST } else { 0 };
                p.conversation(size.clamp(2, 50).min(remaining), flags);
            }
        }
        let n_lists = if messages >= 20_000 { 2 } else { 1 };
        let first_list = (seed % LISTS.len() as u64) as usize;
        let mut plan = Plan {
            seed,
            originals: p.entries.len(),
            entries: p.entries,
            places: Vec::new(),
            users,
            people,
            lists: (0..n_lists)
                .map(|k| (first_list + k) % LISTS.len())
                .collect(),
            threads: p.threads,
            largest_thread: p.largest,
        };
        plan.assign(written, dups, reuses);
        plan
    }

    pub(super) fn summary(&self) -> Summary {
        let mut s = Summary {
            threads: self.threads,
            largest_thread: self.largest_thread,
            ..Summary::default()
        };
        for e in &self.entries {
            if e.has(PHANTOM) {
                s.missing_messages += 1;
                continue;
            }
            s.messages += 1;
            s.max_depth = s.max_depth.max(usize::from(e.depth));
            if e.parent != NONE && self.entries[e.parent as usize].has(PHANTOM) {
                s.missing_parents += 1;
            }
            if e.has(DUP) {
                s.duplicates += 1;
            }
            if e.has(REUSE) {
                s.reused_ids += 1;
            }
            if e.has(DUP | REUSE) && e.parent == NONE {
                s.root_copies += 1;
            }
        }
        s
    }

    pub(super) fn utc(&self, e: u32) -> i64 {
        BASE_TIME + i64::from(self.entries[e as usize].date)
    }

    /// The message whose Message-ID message `e` carries: itself, or the
    /// original it re-uses the id of.
    pub(super) fn id_owner(&self, e: u32) -> u32 {
        let en = self.entries[e as usize];
        if en.has(REUSE) {
            en.link
        } else {
            e
        }
    }
}
