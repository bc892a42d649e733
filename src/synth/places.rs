//! Where messages go: the containers (users' maildir folders, mbox files,
//! folders of loose `.eml` files, mailing-list archives), how many messages
//! each gets, and the container of every message of the plan.

use std::fmt::Write as _;

use super::plan::{Entry, Plan, CONV_FLAGS, DUP, LIST, PHANTOM, REUSE};
use super::random::{hash, Rng, Weighted, K_ASSIGN, K_CONV};

/// Maildir folders (Enron-style names) and how often mail lands in each.
pub(super) const FOLDERS: [&str; 10] = [
    "inbox",
    "sent_items",
    "sent",
    "deleted_items",
    "all_documents",
    "discussion_threads",
    "notes_inbox",
    "archive",
    "projects",
    "calendar",
];
const FOLDER_WEIGHTS: [u64; 10] = [35, 15, 5, 10, 10, 8, 5, 7, 4, 1];
pub(super) const SENT_FOLDERS: [usize; 2] = [1, 2];
const MBOX_FOLDERS: [&str; 6] = [
    "Inbox",
    "Sent",
    "Archives-2016.mbox",
    "Archives-2017.mbox",
    "Projects.mbox",
    "Saved",
];
const EML_TOP: [&str; 6] = [
    "custodian_export",
    "outlook_export",
    "usb_stick",
    "case_files",
    "pst_extract",
    "forwarded",
];
const EML_SUB: [&str; 8] = [
    "inbox",
    "2016",
    "2017",
    "misc",
    "from_laptop",
    "vol_001",
    "drafts",
    "reviewed",
];

/// Mailing lists (name, description, French?) carrying list conversations.
pub(super) const LISTS: [(&str, &str, bool); 4] = [
    ("dev-list", "Development discussion", false),
    ("general", "All staff", false),
    ("energy-desk", "Energy desk chatter", false),
    ("comite-direction", "Comité de direction", true),
];
pub(super) const LIST_DOMAIN: &str = "lists.example.org";

/// Where messages are written.
#[derive(Debug, Clone)]
pub(super) enum Place {
    Maildir { user: u32, folder: usize },
    Mbox(String),
    Eml(String),
}

/// Chooses containers with the shares [`Plan::make_places`] computed.
struct Picker {
    maildir_base: u32,
    users: Weighted,
    folders: Weighted,
    mbox_base: u32,
    mboxes: Weighted,
    eml_base: u32,
    eml_dirs: usize,
    p_maildir: f64,
    p_mbox: f64,
}

impl Picker {
    fn maildir(&self, rng: &mut Rng) -> u32 {
        let user = self.users.sample(rng) as u32;
        self.maildir_base + user * FOLDERS.len() as u32 + self.folders.sample(rng) as u32
    }

    fn user_of(&self, maildir: u32) -> u32 {
        (maildir - self.maildir_base) / FOLDERS.len() as u32
    }

    fn any(&self, rng: &mut Rng) -> u32 {
        let r = rng.unit();
        if r < self.p_maildir {
            self.maildir(rng)
        } else if r < self.p_maildir + self.p_mbox && !self.mboxes.cum.is_empty() {
            self.mbox_base + self.mboxes.sample(rng) as u32
        } else {
            self.eml_base + rng.index(self.eml_dirs) as u32
        }
    }
}

impl Plan {
    pub(super) fn list_of(&self, conv: u32) -> usize {
        usize::from(self.lists.len() > 1 && hash(self.seed, K_CONV, u64::from(conv)) % 100 >= 55)
    }

    /// Containers for every written message, then the copies.
    pub(super) fn assign(&mut self, written: usize, dups: usize, reuses: usize) {
        let mut rng = Rng::keyed(self.seed, K_ASSIGN, 0);
        let pick = self.make_places(written, &mut rng);
        for i in 0..self.originals {
            let e = self.entries[i];
            if e.has(PHANTOM) {
                continue;
            }
            self.entries[i].container = if e.has(LIST) && rng.chance(0.8) {
                self.list_of(e.conv) as u32
            } else {
                pick.any(&mut rng)
            };
        }
        for k in 0..dups + reuses {
            let src = loop {
                let i = rng.index(self.originals);
                if !self.entries[i].has(PHANTOM) {
                    break i;
                }
            };
            let s = self.entries[src];
            let mut copy = Entry {
                link: src as u32,
                flags: s.flags & CONV_FLAGS,
                ..s
            };
            if k < dups {
                copy.flags |= DUP;
                let src_user = match &self.places[s.container as usize] {
                    Place::Maildir { user, .. } => Some(*user),
                    _ => None,
                };
                copy.container = loop {
                    let c = pick.maildir(&mut rng);
                    if Some(pick.user_of(c)) != src_user {
                        break c;
                    }
                };
            } else {
                copy.flags |= REUSE;
                copy.date = s.date.saturating_add(rng.between(5, 900) as u32);
                copy.container = pick.any(&mut rng);
            }
            self.entries.push(copy);
        }
    }

    /// Lays out the containers: one big mbox per mailing list, the users'
    /// maildir folders, mboxes of 500-5,000 messages and `.eml` folders of
    /// about 150 files, sized so that about 40% of the messages land in
    /// maildirs, 40% in mboxes and 20% in `.eml` files.
    fn make_places(&mut self, written: usize, rng: &mut Rng) -> Picker {
        for &l in &self.lists {
            self.places
                .push(Place::Mbox(format!("lists/{}.mbox", LISTS[l].0)));
        }
        let maildir_base = self.places.len() as u32;
        for user in 0..self.users {
            for folder in 0..FOLDERS.len() {
                self.places.push(Place::Maildir { user, folder });
            }
        }
        let list_written = self.entries[..self.originals]
            .iter()
            .filter(|e| e.has(LIST) && !e.has(PHANTOM))
            .count();
        let to_lists = list_written as f64 * 0.8;
        let w = written as f64;
        let rest = (w - to_lists).max(1.0);
        let small_mbox = (0.4 * w - to_lists).max(0.0);
        let p_maildir = (0.4 * w / rest).min(1.0);
        let p_mbox = (small_mbox / rest).min(1.0 - p_maildir);
        let mbox_base = self.places.len() as u32;
        let mut caps = Vec::new();
        let mut left = small_mbox as u64;
        while left > 0 {
            let size = rng.between(500, 5_000).min(left);
            left -= size;
            match caps.last_mut() {
                Some(last) if size < 250 => *last += size,
                _ => caps.push(size),
            }
        }
        for k in 0..caps.len() {
            let owner = self.login((k % self.users as usize) as u32);
            let round = k / self.users as usize;
            let mut folder = MBOX_FOLDERS[(k + round) % MBOX_FOLDERS.len()].to_string();
            if round >= MBOX_FOLDERS.len() {
                let _ = write!(folder, "-{round}");
            }
            self.places
                .push(Place::Mbox(format!("mbox/{owner}/{folder}")));
        }
        let eml_base = self.places.len() as u32;
        let eml_expected = rest * (1.0 - p_maildir - p_mbox);
        let eml_dirs = ((eml_expected / 150.0).ceil() as usize).max(1);
        for k in 0..eml_dirs {
            let (a, b) = (k / EML_SUB.len(), k % EML_SUB.len());
            let top = EML_TOP[a % EML_TOP.len()];
            self.places
                .push(Place::Eml(format!("loose/{top}_{a:02}/{}", EML_SUB[b])));
        }
        Picker {
            maildir_base,
            users: Weighted::new((0..self.users).map(|u| 10_000 / (u64::from(u) + 8))),
            folders: Weighted::new(FOLDER_WEIGHTS),
            mbox_base,
            mboxes: Weighted::new(caps),
            eml_base,
            eml_dirs,
            p_maildir,
            p_mbox,
        }
    }

    pub(super) fn place(&self, e: u32) -> Option<&Place> {
        self.places.get(self.entries[e as usize].container as usize)
    }
}
