//! Who writes: the invented people and organisations (all names are made up,
//! all domains reserved), a person's address in the forms mailers use, and
//! which participants of a conversation send and receive each message.

use std::fmt::Write as _;
use std::io::Write as _;

use super::dates::ZONES;
use super::encode::{encoded_words, fold_ascii, WordEnc};
use super::places::{Place, SENT_FOLDERS};
use super::plan::{Entry, Plan, LIST, NONE};
use super::random::{hash, Rng, K_PERSON, K_POOL, K_SLOT};

const FIRST: [&str; 48] = [
    "Alice",
    "Bertrand",
    "Camille",
    "Daniel",
    "Élodie",
    "Frank",
    "Gaëlle",
    "Hugo",
    "Irène",
    "Jonas",
    "Karen",
    "Léa",
    "Marcus",
    "Nadia",
    "Olivier",
    "Priya",
    "Quentin",
    "Rosa",
    "Samuel",
    "Thérèse",
    "Ursula",
    "Victor",
    "Wendy",
    "Xavier",
    "Yasmine",
    "Zoé",
    "Aaron",
    "Brigitte",
    "Cédric",
    "Diane",
    "Edgar",
    "Fiona",
    "Gérald",
    "Hannah",
    "Ivan",
    "Josée",
    "Kevin",
    "Laurent",
    "Maëlle",
    "Nathan",
    "Odile",
    "Patrick",
    "Rachel",
    "Stéphane",
    "Tanya",
    "Valérie",
    "Walter",
    "Hélène",
];

const LAST: [&str; 48] = [
    "Quennel",
    "Varnecki",
    "Brixley",
    "Dumoulard",
    "Hartwin",
    "Pelloquin",
    "Sorensby",
    "Marchetaux",
    "Oddwyn",
    "Trevanne",
    "Castellune",
    "Fairbrook",
    "Lomardine",
    "Achterbeek",
    "Bellacourt",
    "Cravish",
    "Dunmoreau",
    "Esterhill",
    "Fennimoor",
    "Galvaire",
    "Hollisant",
    "Ingleby",
    "Jorvanne",
    "Kestrelle",
    "Lavardin",
    "Morwick",
    "Nettlefield",
    "Orsavin",
    "Plumbridge",
    "Quintavelle",
    "Rastelle",
    "Stonemere",
    "Ulverton",
    "Vauquenne",
    "Wexhollow",
    "Xandrel",
    "Yverdain",
    "Zellwood",
    "Aubrelle",
    "Corvasse",
    "Delmaroy",
    "Fontegris",
    "Gilcreste",
    "Hammerby",
    "Lisandre",
    "Mortaigne",
    "Penhallow",
    "Rivolette",
];

pub(super) struct Org {
    pub(super) domain: &'static str,
    pub(super) company: &'static str,
    zone: usize,
    pub(super) french: bool,
}

/// Index 0 is the leaking organisation: every maildir user works there.
pub(super) const ORGS: [Org; 9] = [
    Org {
        domain: "vantor-energy.example",
        company: "Vantor Energy",
        zone: 2,
        french: false,
    },
    Org {
        domain: "helio-trading.example",
        company: "Helio Trading Ltd",
        zone: 6,
        french: false,
    },
    Org {
        domain: "bellerive.example",
        company: "Bellerive SA",
        zone: 8,
        french: true,
    },
    Org {
        domain: "quillon-partners.example",
        company: "Quillon Partners LLP",
        zone: 4,
        french: false,
    },
    Org {
        domain: "corp.example.com",
        company: "Example Corp",
        zone: 0,
        french: false,
    },
    Org {
        domain: "example.org",
        company: "Example Foundation",
        zone: 5,
        french: false,
    },
    Org {
        domain: "mail.example.net",
        company: "",
        zone: 7,
        french: false,
    },
    Org {
        domain: "globex.example",
        company: "Globex Logistics",
        zone: 11,
        french: false,
    },
    Org {
        domain: "cabinet-roussel.example",
        company: "Cabinet Roussel",
        zone: 9,
        french: true,
    },
];
const ORG_WEIGHTS: [u64; 9] = [40, 10, 10, 8, 8, 6, 10, 4, 4];

pub(super) const TITLES_EN: [&str; 8] = [
    "Senior Analyst",
    "VP, Trading",
    "Head of Procurement",
    "Legal Counsel",
    "Operations Manager",
    "Risk Associate",
    "Executive Assistant",
    "Director, Structured Finance",
];
pub(super) const TITLES_FR: [&str; 6] = [
    "Chargée de mission",
    "Directeur financier",
    "Responsable achats",
    "Juriste",
    "Contrôleur de gestion",
    "Assistante de direction",
];

pub(super) struct Person {
    index: u32,
    pub(super) first: &'static str,
    pub(super) last: &'static str,
    pub(super) org: usize,
    pub(super) zone: usize,
    /// Shape of the address's local part.
    style: u8,
    /// Mail client: 0 Notes/Enron, 1 Outlook, 2 Thunderbird/Gmail.
    pub(super) client: u8,
}

impl Person {
    pub(super) fn write_address(&self, out: &mut Vec<u8>) {
        let mut local = String::with_capacity(32);
        match self.style {
            0 => {
                fold_ascii(&mut local, self.first);
                local.push('.');
                fold_ascii(&mut local, self.last);
            }
            1 => {
                fold_ascii(&mut local, self.first);
                local.truncate(1);
                fold_ascii(&mut local, self.last);
            }
            2 => {
                fold_ascii(&mut local, self.first);
                local.push('_');
                fold_ascii(&mut local, self.last);
            }
            _ => {
                fold_ascii(&mut local, self.first);
                fold_ascii(&mut local, &self.last[..1]);
                let _ = write!(local, "{}", self.index % 97);
            }
        }
        out.extend_from_slice(local.as_bytes());
        out.push(b'@');
        out.extend_from_slice(ORGS[self.org].domain.as_bytes());
    }

    fn non_ascii(&self) -> bool {
        !self.first.is_ascii() || !self.last.is_ascii()
    }

    /// `Name <addr>` in one of the forms mailers use.
    pub(super) fn write_mailbox(&self, out: &mut Vec<u8>, form: u8, rng: &mut Rng) {
        match form {
            0 => self.write_address(out),
            _ if self.non_ascii() && rng.chance(0.12) => {
                let enc = [WordEnc::QUtf8, WordEnc::BUtf8, WordEnc::QLatin1][rng.index(3)];
                let name = format!("{} {}", self.first, self.last);
                encoded_words(out, &name, enc);
                out.extend_from_slice(b" <");
                self.write_address(out);
                out.push(b'>');
            }
            1 => {
                let _ = write!(out, "\"{}, {}\" <", self.last, self.first);
                self.write_address(out);
                out.push(b'>');
            }
            _ => {
                let _ = write!(out, "{} {} <", self.first, self.last);
                self.write_address(out);
                out.push(b'>');
            }
        }
    }
}

impl Plan {
    pub(super) fn person(&self, p: u32) -> Person {
        let h = hash(self.seed, K_PERSON, u64::from(p));
        let n = FIRST.len() as u32;
        let (first, last, org) = if p < self.users {
            // Distinct (first, last) pairs for up to n * n users.
            let org = if h.is_multiple_of(10) {
                1 + (h >> 8) % 8
            } else {
                0
            };
            (p % n, (p / n + p) % n, org as usize)
        } else {
            let total: u64 = ORG_WEIGHTS.iter().sum();
            let mut x = (h >> 26) % total;
            let mut org = 0;
            while x >= ORG_WEIGHTS[org] {
                x -= ORG_WEIGHTS[org];
                org += 1;
            }
            ((h >> 8) as u32 % n, (h >> 20) as u32 % n, org)
        };
        let zone = if (h >> 40).is_multiple_of(5) {
            ((h >> 44) % ZONES.len() as u64) as usize
        } else {
            ORGS[org].zone
        };
        Person {
            index: p,
            first: FIRST[first as usize],
            last: LAST[last as usize],
            org,
            zone,
            style: ((h >> 32) % 4) as u8,
            client: ((h >> 36) % 3) as u8,
        }
    }

    /// Maildir folder name of a user: `lastname-firstname`.
    pub(super) fn login(&self, user: u32) -> String {
        let p = self.person(user);
        let mut s = String::new();
        fold_ascii(&mut s, p.last);
        s.push('-');
        fold_ascii(&mut s, p.first);
        s
    }

    pub(super) fn pool_size(&self, e: &Entry) -> u64 {
        if e.has(LIST) {
            40
        } else {
            2 + hash(self.seed, K_POOL, u64::from(e.conv)) % 5
        }
    }

    pub(super) fn pool_person(&self, conv: u32, k: u64) -> u32 {
        (hash(self.seed, K_POOL, (u64::from(conv) << 8) | (k + 1)) % u64::from(self.people)) as u32
    }

    /// The participant slot of a message: not the same as its parent's.
    fn slot(&self, e: u32) -> u64 {
        let en = &self.entries[e as usize];
        let n = self.pool_size(en);
        let raw = |i: u32| hash(self.seed, K_SLOT, u64::from(i)) % n;
        let k = raw(e);
        if en.parent != NONE && raw(en.parent) == k {
            (k + 1) % n
        } else {
            k
        }
    }

    /// Who sent message `e`: the mailbox owner for a sent folder, else a
    /// participant of the conversation.
    pub(super) fn sender(&self, e: u32) -> u32 {
        if let Some(Place::Maildir { user, folder }) = self.place(e) {
            if SENT_FOLDERS.contains(folder) {
                return *user;
            }
        }
        self.pool_person(self.entries[e as usize].conv, self.slot(e))
    }

    /// Main recipient: the parent's sender, or another participant.
    pub(super) fn primary_recipient(&self, e: u32) -> u32 {
        let en = &self.entries[e as usize];
        if en.parent == NONE {
            let n = self.pool_size(en);
            let mut p = self.pool_person(en.conv, (self.slot(e) + 1) % n);
            if p == self.sender(e) {
                p = (p + 1) % self.people;
            }
            p
        } else {
            self.sender(en.parent)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_have_distinct_logins() {
        let mut plan = Plan::build(100, 3);
        plan.users = 200;
        let logins: std::collections::HashSet<String> =
            (0..plan.users).map(|u| plan.login(u)).collect();
        assert_eq!(logins.len(), plan.users as usize);
    }
}
