//! Synthetic e-mail dumps, for tests and benchmarks.
//!
//! This module owns trawl's generator of fake leaks: [`generate`] writes a
//! deterministic tree of maildirs, mbox files and loose `.eml` files that
//! looks like a real leaked corpus at scale (Enron-like message sizes,
//! conversations with branching and a few huge flame wars, missing parents,
//! duplicates, re-used Message-IDs, RFC 2047 headers, quoted-printable and
//! HTML bodies, base64 attachments). No real corpus can ship with the
//! repository and scale tests need hundreds of thousands of messages, hence
//! a generator; it lives in the library so the `synth_dump` example, the
//! tests and the benchmarks share one implementation.
//!
//! # Determinism and memory
//! Everything derives from `(messages, seed)` through `SplitMix64` streams
//! keyed per message and per purpose, using only IEEE basic arithmetic (no
//! platform `exp`/`ln`), so the same arguments give a byte-identical tree on
//! every platform. Generation has two phases:
//! 1. *Plan*: the conversations are laid out in a compact table of
//!    [`Entry`] (24 bytes per message: parent, date, container, flags).
//! 2. *Write*: every message is rendered on the fly from that table, one at a
//!    time per writer thread (a reply's quote is its parent's regenerated
//!    first lines), and written straight to its file. Besides the table, a
//!    writer holds one message (at most a few hundred KB) and a 1 MB mbox
//!    buffer.
//!
//! # What the [`Summary`] guarantees
//! Only reserved names are used (`*.example`, `example.com/org/net`, the
//! documentation IP ranges, 555-01xx phone numbers). Every file is a mail
//! file. Replies carry `In-Reply-To` and `References` (their true ancestors,
//! oldest first; at most 20 ids: the root and the 19 nearest). Because each
//! reply names its whole ancestry and no conversation whose first message is
//! missing shares its normalised subject with another thread, a JWZ threader
//! such as [`crate::thread`] finds exactly `threads + root_copies` top-level
//! threads: one per conversation (a missing first message becomes a
//! placeholder root, so it still counts once), plus one per duplicate or
//! re-used Message-ID whose original has no parent (the copy becomes a
//! sibling of the original, i.e. another root). Each message that is
//! referenced but never written (`missing_messages`) becomes exactly one
//! placeholder node, and `missing_parents` written messages have such a
//! parent. The number of distinct Message-IDs is
//! `messages - duplicates - reused_ids`.

use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// What [`generate`] wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Mail documents written (copies included).
    pub messages: usize,
    /// Files written (maildir entries, `.eml` files, mbox files).
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
    /// Conversations, singletons included; one whose first message is
    /// missing counts once.
    pub threads: usize,
    /// Written messages whose parent (`In-Reply-To`) is not in the dump.
    pub missing_parents: usize,
    /// Distinct messages referenced as a parent but never written.
    pub missing_messages: usize,
    /// Byte-identical extra copies, written to another user's maildir.
    pub duplicates: usize,
    /// Different messages that reuse an existing Message-ID.
    pub reused_ids: usize,
    /// Duplicates and re-used ids whose original has no parent: each is one
    /// more top-level thread.
    pub root_copies: usize,
    /// Attachment parts, over all written messages.
    pub attachments: usize,
    /// Written messages with at least one attachment.
    pub with_attachments: usize,
    pub maildir_messages: usize,
    pub mbox_messages: usize,
    pub eml_messages: usize,
    pub mbox_files: usize,
    /// Messages (written or missing) of the largest conversation.
    pub largest_thread: usize,
    /// Deepest reply depth (a root is at depth 0).
    pub max_depth: usize,
}

impl Summary {
    /// One line of JSON, keys in declaration order.
    pub fn to_json(&self) -> String {
        let fields: [(&str, u64); 17] = [
            ("messages", self.messages as u64),
            ("files", self.files as u64),
            ("bytes", self.bytes),
            ("threads", self.threads as u64),
            ("missing_parents", self.missing_parents as u64),
            ("missing_messages", self.missing_messages as u64),
            ("duplicates", self.duplicates as u64),
            ("reused_ids", self.reused_ids as u64),
            ("root_copies", self.root_copies as u64),
            ("attachments", self.attachments as u64),
            ("with_attachments", self.with_attachments as u64),
            ("maildir_messages", self.maildir_messages as u64),
            ("mbox_messages", self.mbox_messages as u64),
            ("eml_messages", self.eml_messages as u64),
            ("mbox_files", self.mbox_files as u64),
            ("largest_thread", self.largest_thread as u64),
            ("max_depth", self.max_depth as u64),
        ];
        let mut out = String::from("{");
        for (i, (k, v)) in fields.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "\"{k}\":{v}");
        }
        out.push('}');
        out
    }
}

/// Most messages one call can write (the plan indexes them with `u32`).
pub const MAX_MESSAGES: usize = 100_000_000;

/// Write a dump of exactly `messages` mail messages under `out` (created;
/// an existing `out` must be an empty directory). Same arguments, same
/// bytes.
pub fn generate(out: &Path, messages: usize, seed: u64) -> io::Result<Summary> {
    if messages > MAX_MESSAGES {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("at most {MAX_MESSAGES} messages"),
        ));
    }
    prepare_output(out)?;
    let plan = Plan::build(messages, seed);
    let mut summary = plan.summary();
    let written = write_all(&plan, out)?;
    summary.files = written.files;
    summary.bytes = written.bytes;
    summary.attachments = written.attachments;
    summary.with_attachments = written.with_attachments;
    summary.maildir_messages = written.maildir;
    summary.mbox_messages = written.mbox;
    summary.eml_messages = written.eml;
    summary.mbox_files = written.mbox_files;
    debug_assert_eq!(written.maildir + written.mbox + written.eml, messages);
    Ok(summary)
}

fn prepare_output(out: &Path) -> io::Result<()> {
    match fs::metadata(out) {
        Ok(meta) if !meta.is_dir() => Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{}: exists and is not a directory", out.display()),
        )),
        Ok(_) => {
            if fs::read_dir(out)?.next().is_some() {
                Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!("{}: exists and is not empty", out.display()),
                ))
            } else {
                Ok(())
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => fs::create_dir_all(out),
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------------------
// Deterministic randomness

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// `SplitMix64`'s finaliser: a bijection on `u64` with good avalanche.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A well-mixed value for `(seed, purpose, a)`.
fn hash(seed: u64, purpose: u64, a: u64) -> u64 {
    mix(mix(seed.wrapping_add(purpose.wrapping_mul(GOLDEN)))
        ^ a.wrapping_mul(0xD1B5_4A32_D192_ED03))
}

// Purposes of the keyed streams.
const K_PLAN: u64 = 1;
const K_ASSIGN: u64 = 2;
const K_TEXT: u64 = 3;
const K_MSG: u64 = 4;
const K_POOL: u64 = 5;
const K_SLOT: u64 = 6;
const K_PERSON: u64 = 7;
const K_CONV: u64 = 8;
const K_ID: u64 = 9;
const K_PLACE: u64 = 10;
const K_ATTACH: u64 = 11;
const K_QUOTE: u64 = 12;

/// `SplitMix64`.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn keyed(seed: u64, purpose: u64, a: u64) -> Rng {
        Rng(hash(seed, purpose, a))
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN);
        mix(self.0)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// Uniform in the open interval (0, 1).
    fn unit(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) * (1.0 / 9_007_199_254_740_992.0)
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.index(items.len())]
    }

    /// Approximately standard normal (Irwin–Hall, 12 terms).
    fn normal(&mut self) -> f64 {
        let mut s = 0.0;
        for _ in 0..12 {
            s += self.unit();
        }
        s - 6.0
    }

    fn lognormal(&mut self, median: f64, sigma: f64) -> f64 {
        median * exp(sigma * self.normal())
    }
}

/// `e^x` with basic arithmetic only (same bits on every platform).
fn exp(x: f64) -> f64 {
    let x = x.clamp(-700.0, 700.0);
    let k = (x * std::f64::consts::LOG2_E + 0.5).floor();
    let r = x - k * std::f64::consts::LN_2;
    let mut term = 1.0;
    let mut sum = 1.0;
    for n in 1..=18 {
        term *= r / f64::from(n);
        sum += term;
    }
    sum * f64::from_bits(((k as i64 + 1023) as u64) << 52)
}

/// Natural logarithm of a positive normal `x`, basic arithmetic only.
fn ln(x: f64) -> f64 {
    let bits = x.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000);
    if m > std::f64::consts::SQRT_2 {
        m *= 0.5;
        e += 1;
    }
    let t = (m - 1.0) / (m + 1.0);
    let t2 = t * t;
    let mut term = t;
    let mut sum = 0.0;
    for k in 0..20 {
        sum += term / f64::from(2 * k + 1);
        term *= t2;
    }
    2.0 * sum + e as f64 * std::f64::consts::LN_2
}

/// Picks an index with probability proportional to its weight.
struct Weighted {
    cum: Vec<u64>,
}

impl Weighted {
    fn new(weights: impl IntoIterator<Item = u64>) -> Weighted {
        let mut total = 0;
        let cum = weights
            .into_iter()
            .map(|w| {
                total += w;
                total
            })
            .collect();
        Weighted { cum }
    }

    fn sample(&self, rng: &mut Rng) -> usize {
        let total = self.cum.last().copied().unwrap_or(0);
        let x = rng.below(total);
        self.cum
            .partition_point(|&c| c <= x)
            .min(self.cum.len().saturating_sub(1))
    }
}

// ---------------------------------------------------------------------------
// Vocabulary (all invented; no real people)

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

struct Org {
    domain: &'static str,
    company: &'static str,
    zone: usize,
    french: bool,
}

/// Index 0 is the leaking organisation: every maildir user works there.
const ORGS: [Org; 9] = [
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

/// Offset from UTC in minutes, and the comment some mailers add.
const ZONES: [(i32, &str); 13] = [
    (-480, "PST"),
    (-420, "PDT"),
    (-360, "CST"),
    (-300, "CDT"),
    (-300, "EST"),
    (-240, "EDT"),
    (0, "GMT"),
    (0, "UTC"),
    (60, "CET"),
    (120, "CEST"),
    (330, "IST"),
    (540, "JST"),
    (600, "AEST"),
];

const TITLES_EN: [&str; 8] = [
    "Senior Analyst",
    "VP, Trading",
    "Head of Procurement",
    "Legal Counsel",
    "Operations Manager",
    "Risk Associate",
    "Executive Assistant",
    "Director, Structured Finance",
];
const TITLES_FR: [&str; 6] = [
    "Chargée de mission",
    "Directeur financier",
    "Responsable achats",
    "Juriste",
    "Contrôleur de gestion",
    "Assistante de direction",
];

/// Maildir folders (Enron-style names) and how often mail lands in each.
const FOLDERS: [&str; 10] = [
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
const SENT_FOLDERS: [usize; 2] = [1, 2];
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
const LISTS: [(&str, &str, bool); 4] = [
    ("dev-list", "Development discussion", false),
    ("general", "All staff", false),
    ("energy-desk", "Energy desk chatter", false),
    ("comite-direction", "Comité de direction", true),
];
const LIST_DOMAIN: &str = "lists.example.org";

const TOPICS_EN: [&str; 36] = [
    "Q3 budget",
    "Contract renewal",
    "Pipeline capacity",
    "Board meeting",
    "Trading limits",
    "Offsite agenda",
    "Draft memo",
    "Legal review of the supply agreement",
    "Press release",
    "Org chart",
    "Expense report",
    "Gas storage",
    "Credit exposure",
    "Site visit",
    "Weekly report",
    "Hiring plan",
    "Audit findings",
    "Deal sheet",
    "Vendor onboarding",
    "Office move",
    "Year-end numbers",
    "Revised forecast",
    "Your access request",
    "Holiday schedule",
    "Meeting tomorrow",
    "Quick question",
    "Follow-up",
    "Comments on the draft",
    "Risk committee",
    "Price curve",
    "Transport contract",
    "IT outage",
    "New desk procedures",
    "Lunch",
    "Conference call",
    "Invoice",
];
const TOPICS_FR: [&str; 18] = [
    "Réunion budget",
    "Compte rendu",
    "Ordre du jour",
    "Facture n°",
    "Dossier fournisseur",
    "Planning équipe",
    "Note de synthèse",
    "Contrat de prestation",
    "Révision des tarifs",
    "Point hebdo",
    "Déplacement",
    "Validation du devis",
    "Clôture annuelle",
    "Demande d'accès",
    "Question rapide",
    "Suivi du projet",
    "Relance paiement",
    "Présentation au comité",
];
const SUFFIXES_EN: [&str; 10] = [
    " - urgent",
    " for Monday",
    " (draft)",
    " v2",
    " update",
    " follow-up",
    " - please review",
    " - FYI",
    " (revised)",
    " next steps",
];
const SUFFIXES_FR: [&str; 6] = [
    " - urgent",
    " (projet)",
    " v2",
    " - à valider",
    " - relance",
    " suite",
];
const HUGE_TOPICS: [&str; 7] = [
    "Tabs versus spaces, once and for all",
    "Proposal: mandatory code review for all desks",
    "The new parking policy",
    "Why the billing system must be rewritten",
    "Coffee machine budget",
    "Open-plan office move",
    "Reply-all etiquette (please read)",
];

const DET_EN: [&str; 10] = [
    "the", "a", "our", "this", "that", "their", "every", "each", "some", "the",
];
const ADJ_EN: [&str; 24] = [
    "new",
    "final",
    "revised",
    "quarterly",
    "pending",
    "updated",
    "internal",
    "external",
    "key",
    "current",
    "previous",
    "open",
    "signed",
    "draft",
    "large",
    "small",
    "annual",
    "weekly",
    "regional",
    "preliminary",
    "whole",
    "urgent",
    "proposed",
    "latest",
];
const NOUN_EN: [&str; 48] = [
    "budget",
    "contract",
    "meeting",
    "report",
    "forecast",
    "invoice",
    "schedule",
    "proposal",
    "agreement",
    "team",
    "deal",
    "deadline",
    "pipeline",
    "memo",
    "review",
    "analysis",
    "position",
    "exposure",
    "margin",
    "account",
    "client",
    "vendor",
    "board",
    "committee",
    "figure",
    "estimate",
    "spreadsheet",
    "presentation",
    "call",
    "plan",
    "request",
    "change",
    "issue",
    "risk",
    "payment",
    "transfer",
    "audit",
    "office",
    "project",
    "offer",
    "price",
    "volume",
    "capacity",
    "trade",
    "desk",
    "policy",
    "summary",
    "decision",
];
const VERB_EN: [&str; 20] = [
    "needs",
    "covers",
    "includes",
    "reflects",
    "changes",
    "requires",
    "shows",
    "affects",
    "supports",
    "delays",
    "moved",
    "approved",
    "reviewed",
    "replaced",
    "missed",
    "updated",
    "flagged",
    "confirmed",
    "postponed",
    "doubled",
];
const BASE_EN: [&str; 14] = [
    "review", "sign", "send", "move", "approve", "check", "discuss", "finalize", "update",
    "confirm", "cancel", "share", "revisit", "escalate",
];
const PREP_EN: [&str; 10] = [
    "for",
    "with",
    "about",
    "on",
    "after",
    "before",
    "under",
    "into",
    "against",
    "regarding",
];
const ADV_EN: [&str; 10] = [
    "probably",
    "already",
    "still",
    "again",
    "quickly",
    "soon",
    "clearly",
    "certainly",
    "actually",
    "finally",
];
const START_EN: [&str; 12] = [
    "I think",
    "As discussed,",
    "Please note that",
    "FYI,",
    "Just to confirm,",
    "Honestly,",
    "In any case,",
    "As far as I know,",
    "To be clear,",
    "Unfortunately,",
    "Good news:",
    "For the record,",
];
const FROM_EN: [&str; 5] = [
    "From what I understand,",
    "From our side,",
    "From the numbers I have,",
    "From now on,",
    "From a legal standpoint,",
];
const DAYS_EN: [&str; 5] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

const DET_FR: [&str; 9] = [
    "le", "la", "les", "un", "une", "ce", "notre", "votre", "leur",
];
const ADJ_FR: [&str; 18] = [
    "nouveau",
    "final",
    "révisé",
    "trimestriel",
    "interne",
    "externe",
    "actuel",
    "précédent",
    "signé",
    "provisoire",
    "annuel",
    "hebdomadaire",
    "régional",
    "préliminaire",
    "complet",
    "urgent",
    "prioritaire",
    "détaillé",
];
const NOUN_FR: [&str; 40] = [
    "budget",
    "contrat",
    "réunion",
    "rapport",
    "prévision",
    "facture",
    "calendrier",
    "proposition",
    "accord",
    "équipe",
    "dossier",
    "échéance",
    "note",
    "révision",
    "analyse",
    "position",
    "marge",
    "compte",
    "client",
    "fournisseur",
    "conseil",
    "comité",
    "chiffre",
    "estimation",
    "tableau",
    "présentation",
    "appel",
    "demande",
    "changement",
    "problème",
    "risque",
    "paiement",
    "virement",
    "bureau",
    "projet",
    "offre",
    "prix",
    "trésorerie",
    "délai",
    "synthèse",
];
const VERB_FR: [&str; 14] = [
    "concerne",
    "couvre",
    "inclut",
    "reflète",
    "change",
    "nécessite",
    "montre",
    "affecte",
    "retarde",
    "reste",
    "dépasse",
    "précède",
    "remplace",
    "modifie",
];
const PART_FR: [&str; 10] = [
    "relu",
    "envoyé",
    "signé",
    "validé",
    "transmis",
    "corrigé",
    "reçu",
    "vérifié",
    "décalé",
    "préparé",
];
const INF_FR: [&str; 10] = [
    "relire",
    "signer",
    "envoyer",
    "valider",
    "vérifier",
    "confirmer",
    "annuler",
    "partager",
    "préparer",
    "corriger",
];
const PREP_FR: [&str; 9] = [
    "pour",
    "avec",
    "sur",
    "après",
    "avant",
    "dans",
    "contre",
    "sans",
    "concernant",
];
const ADV_FR: [&str; 9] = [
    "probablement",
    "déjà",
    "encore",
    "rapidement",
    "bientôt",
    "clairement",
    "certainement",
    "finalement",
    "vraiment",
];
const START_FR: [&str; 8] = [
    "Je pense que",
    "Comme convenu,",
    "Pour info,",
    "Merci de noter que",
    "Juste pour confirmer,",
    "En tout cas,",
    "A priori,",
    "Sauf erreur de ma part,",
];
const DAYS_FR: [&str; 5] = ["lundi", "mardi", "mercredi", "jeudi", "vendredi"];

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const MONTHS_LONG: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_FR: [&str; 12] = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
    "déc.",
];
const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const WEEKDAYS_LONG: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const WEEKDAYS_FR: [&str; 7] = ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."];
const HOSTS: [&str; 6] = ["mx1", "thyme", "kiwi", "mail-gw2", "orchid", "smtp-out3"];

// ---------------------------------------------------------------------------
// Dates

/// 2016-01-04 00:00:00 UTC, a Monday: the first day of the dump.
const BASE_TIME: i64 = 1_451_865_600;
const SPAN_DAYS: u64 = 730;

/// Days since 1970-01-01 → (year, month 1..=12, day 1..=31).
fn civil(days: i64) -> (i64, usize, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as usize;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Broken-down local time.
struct Tm {
    year: i64,
    month: usize, // 1..=12
    day: u32,
    weekday: usize, // 0 = Sunday
    hour: i64,
    minute: i64,
    second: i64,
}

fn tm(utc: i64, offset_minutes: i32) -> Tm {
    let local = utc + i64::from(offset_minutes) * 60;
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    let (year, month, day) = civil(days);
    Tm {
        year,
        month,
        day,
        weekday: (days + 4).rem_euclid(7) as usize,
        hour: secs / 3600,
        minute: secs / 60 % 60,
        second: secs % 60,
    }
}

/// `Tue, 14 Mar 2017 10:02:11 -0700` (optionally ` (PDT)`, or without the
/// weekday).
fn write_rfc2822(out: &mut Vec<u8>, utc: i64, zone: usize, comment: bool, weekday: bool) {
    let (offset, name) = ZONES[zone];
    let t = tm(utc, offset);
    if weekday {
        out.extend_from_slice(WEEKDAYS[t.weekday].as_bytes());
        out.extend_from_slice(b", ");
    }
    let sign = if offset < 0 { '-' } else { '+' };
    let off = offset.abs();
    let _ = write!(
        out,
        "{} {} {} {:02}:{:02}:{:02} {sign}{:02}{:02}",
        t.day,
        MONTHS[t.month - 1],
        t.year,
        t.hour,
        t.minute,
        t.second,
        off / 60,
        off % 60
    );
    if comment {
        let _ = write!(out, " ({name})");
    }
}

/// `Tue Mar 14 17:02:11 2017` (UTC), as in an mbox `From ` line.
fn write_asctime(out: &mut Vec<u8>, utc: i64) {
    let t = tm(utc, 0);
    let _ = write!(
        out,
        "{} {} {:2} {:02}:{:02}:{:02} {}",
        WEEKDAYS[t.weekday],
        MONTHS[t.month - 1],
        t.day,
        t.hour,
        t.minute,
        t.second,
        t.year
    );
}

// ---------------------------------------------------------------------------
// Encoders

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding, no line breaks.
fn base64(out: &mut Vec<u8>, data: &[u8]) {
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(B64[(n >> 18) as usize & 63]);
        out.push(B64[(n >> 12) as usize & 63]);
        out.push(if chunk.len() > 1 {
            B64[(n >> 6) as usize & 63]
        } else {
            b'='
        });
        out.push(if chunk.len() > 2 {
            B64[n as usize & 63]
        } else {
            b'='
        });
    }
}

/// Base64 in 76-character lines, each ended by `\n`.
fn base64_lines(out: &mut Vec<u8>, data: &[u8]) {
    for line in data.chunks(57) {
        base64(out, line);
        out.push(b'\n');
    }
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Quoted-printable body (RFC 2045) of `data`, lines ended by `\n`.
fn quoted_printable(out: &mut Vec<u8>, data: &[u8]) {
    let mut lines = data.split(|&b| b == b'\n').peekable();
    while let Some(line) = lines.next() {
        if lines.peek().is_none() && line.is_empty() {
            break; // the text ended with a newline
        }
        let mut col = 0;
        for (i, &b) in line.iter().enumerate() {
            let last = i + 1 == line.len();
            let encode = b == b'='
                || b >= 0x7f
                || (b < 0x20 && b != b'\t')
                || (last && (b == b' ' || b == b'\t'));
            let width = if encode { 3 } else { 1 };
            if col + width > 75 {
                out.extend_from_slice(b"=\n");
                col = 0;
            }
            if encode {
                out.extend_from_slice(&[b'=', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
            } else {
                out.push(b);
            }
            col += width;
        }
        out.push(b'\n');
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum WordEnc {
    QUtf8,
    BUtf8,
    QLatin1,
}

/// `s` as RFC 2047 encoded words, folded (`\n `) between words so no line
/// gets too long. Latin-1 falls back to UTF-8 when `s` does not fit it.
fn encoded_words(out: &mut Vec<u8>, s: &str, enc: WordEnc) {
    let enc = if enc == WordEnc::QLatin1 && s.chars().any(|c| u32::from(c) > 0xff) {
        WordEnc::QUtf8
    } else {
        enc
    };
    let (prefix, limit) = match enc {
        WordEnc::QUtf8 => ("=?UTF-8?Q?", 45),
        WordEnc::BUtf8 => ("=?UTF-8?B?", 36),
        WordEnc::QLatin1 => ("=?ISO-8859-1?Q?", 45),
    };
    let mut chunk: Vec<u8> = Vec::with_capacity(64);
    let mut first = true;
    let mut buf = [0u8; 4];
    for c in s.chars() {
        let start = chunk.len();
        match enc {
            WordEnc::BUtf8 => chunk.extend_from_slice(c.encode_utf8(&mut buf).as_bytes()),
            WordEnc::QUtf8 | WordEnc::QLatin1 => {
                let bytes: &[u8] = if enc == WordEnc::QLatin1 {
                    buf[0] = u32::from(c) as u8;
                    &buf[..1]
                } else {
                    c.encode_utf8(&mut buf).as_bytes()
                };
                for &b in bytes {
                    if b == b' ' {
                        chunk.push(b'_');
                    } else if b.is_ascii_alphanumeric() || b"!*+-/".contains(&b) {
                        chunk.push(b);
                    } else {
                        chunk.extend_from_slice(&[
                            b'=',
                            HEX[usize::from(b >> 4)],
                            HEX[usize::from(b & 15)],
                        ]);
                    }
                }
            }
        }
        if chunk.len() > limit && start > 0 {
            let tail = chunk.split_off(start);
            flush_word(out, &mut chunk, prefix, enc, &mut first);
            chunk = tail;
        }
    }
    if !chunk.is_empty() || first {
        flush_word(out, &mut chunk, prefix, enc, &mut first);
    }
}

/// One encoded word made of `chunk` (already Q-encoded, or raw for B).
fn flush_word(
    out: &mut Vec<u8>,
    chunk: &mut Vec<u8>,
    prefix: &str,
    enc: WordEnc,
    first: &mut bool,
) {
    if !*first {
        out.extend_from_slice(b"\n ");
    }
    *first = false;
    out.extend_from_slice(prefix.as_bytes());
    if enc == WordEnc::BUtf8 {
        base64(out, chunk);
    } else {
        out.extend_from_slice(chunk);
    }
    out.extend_from_slice(b"?=");
    chunk.clear();
}

/// Lower-case ASCII form of a name, for addresses and folder names.
fn fold_ascii(out: &mut String, s: &str) {
    for c in s.chars() {
        let m = match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c if c.is_ascii_alphanumeric() || c == '-' => c.to_ascii_lowercase(),
            _ => continue,
        };
        out.push(m);
    }
}

// ---------------------------------------------------------------------------
// The plan

const NONE: u32 = u32::MAX;

// Entry flags.
/// Referenced by replies, never written.
const PHANTOM: u8 = 1;
/// A byte-identical copy of `link`.
const DUP: u8 = 2;
/// A different message reusing `link`'s Message-ID.
const REUSE: u8 = 4;
/// The conversation's first message is missing: its subject carries a
/// unique reference so subject threading cannot merge it with another.
const TOKEN: u8 = 8;
/// A mailing-list conversation.
const LIST: u8 = 16;
/// A huge (flame war) conversation.
const HUGE: u8 = 32;
/// Flags every message of a conversation shares.
const CONV_FLAGS: u8 = TOKEN | LIST | HUGE;

/// Deepest reply written (a root is at depth 0).
const MAX_DEPTH: u8 = 30;

/// One message of the plan (written, missing, or a copy).
#[derive(Debug, Clone, Copy)]
struct Entry {
    parent: u32,
    /// For copies: the original.
    link: u32,
    conv: u32,
    /// Seconds since [`BASE_TIME`].
    date: u32,
    container: u32,
    depth: u8,
    flags: u8,
}

impl Entry {
    fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}

/// Where messages are written.
#[derive(Debug, Clone)]
enum Place {
    Maildir { user: u32, folder: usize },
    Mbox(String),
    Eml(String),
}

struct Plan {
    seed: u64,
    entries: Vec<Entry>,
    places: Vec<Place>,
    /// Maildir owners are people `0..users`.
    users: u32,
    people: u32,
    /// Indices into [`LISTS`] of the lists in use.
    lists: Vec<usize>,
    /// Original (non-copy) entries are `0..originals`.
    originals: usize,
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
    fn build(messages: usize, seed: u64) -> Plan {
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

    fn list_of(&self, conv: u32) -> usize {
        usize::from(self.lists.len() > 1 && hash(self.seed, K_CONV, u64::from(conv)) % 100 >= 55)
    }

    /// Containers for every written message, then the copies.
    fn assign(&mut self, written: usize, dups: usize, reuses: usize) {
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

    fn summary(&self) -> Summary {
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

    // --- people -----------------------------------------------------------

    fn person(&self, p: u32) -> Person {
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
    fn login(&self, user: u32) -> String {
        let p = self.person(user);
        let mut s = String::new();
        fold_ascii(&mut s, p.last);
        s.push('-');
        fold_ascii(&mut s, p.first);
        s
    }

    fn place(&self, e: u32) -> Option<&Place> {
        self.places.get(self.entries[e as usize].container as usize)
    }

    fn pool_size(&self, e: &Entry) -> u64 {
        if e.has(LIST) {
            40
        } else {
            2 + hash(self.seed, K_POOL, u64::from(e.conv)) % 5
        }
    }

    fn pool_person(&self, conv: u32, k: u64) -> u32 {
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
    fn sender(&self, e: u32) -> u32 {
        if let Some(Place::Maildir { user, folder }) = self.place(e) {
            if SENT_FOLDERS.contains(folder) {
                return *user;
            }
        }
        self.pool_person(self.entries[e as usize].conv, self.slot(e))
    }

    /// Main recipient: the parent's sender, or another participant.
    fn primary_recipient(&self, e: u32) -> u32 {
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

    fn french(&self, e: u32) -> bool {
        let en = &self.entries[e as usize];
        if en.has(LIST) {
            return LISTS[self.lists[self.list_of(en.conv)]].2;
        }
        hash(self.seed, K_CONV, u64::from(en.conv) ^ 0xF00D) % 100 < 28
    }

    fn utc(&self, e: u32) -> i64 {
        BASE_TIME + i64::from(self.entries[e as usize].date)
    }

    /// The conversation's subject without reply prefixes.
    fn base_subject(&self, e: u32, out: &mut String) {
        let en = &self.entries[e as usize];
        let mut rng = Rng::keyed(self.seed, K_CONV, u64::from(en.conv));
        let empty = rng.chance(0.01) && !en.has(TOKEN);
        if en.has(HUGE) {
            out.push_str(HUGE_TOPICS[en.conv as usize % HUGE_TOPICS.len()]);
        } else if self.french(e) {
            out.push_str(rng.pick(&TOPICS_FR));
            if out.ends_with('°') {
                let _ = write!(out, "{}", rng.between(1000, 99_999));
            } else if rng.chance(0.3) {
                out.push_str(rng.pick(&SUFFIXES_FR));
            } else if rng.chance(0.15) {
                let _ = write!(out, " {}", rng.pick(&DAYS_FR));
            }
        } else if empty {
            // (no subject)
        } else {
            out.push_str(rng.pick(&TOPICS_EN));
            match rng.below(10) {
                0..=2 => out.push_str(rng.pick(&SUFFIXES_EN)),
                3 => {
                    let _ = write!(out, " {}", rng.between(1000, 99_999));
                }
                4 => {
                    let _ = write!(out, " on {}", rng.pick(&DAYS_EN));
                }
                5 => {
                    let _ = write!(out, " {}/{}", rng.between(1, 12), rng.between(1, 28));
                }
                _ => {}
            }
        }
        if en.has(TOKEN) {
            // Unique per conversation: see the module documentation.
            let _ = write!(out, " (ref. {})", base36(u64::from(en.conv) * 7 + 100_000));
        }
    }

    /// The decoded subject of message `e`.
    fn subject(&self, e: u32, out: &mut String) {
        let en = self.entries[e as usize];
        let mut rng = Rng::keyed(self.seed, K_CONV, u64::from(e) << 1);
        let list = if en.has(LIST) {
            Some(LISTS[self.lists[self.list_of(en.conv)]].0)
        } else {
            None
        };
        let prefix = if en.parent == NONE {
            ""
        } else if self.french(e) {
            ["Re: ", "RE: ", "TR: ", "Re: ", "RE : "][rng.index(5)]
        } else {
            ["Re: ", "RE: ", "Re: ", "Fwd: ", "Re: ", "AW: ", "RE: "][rng.index(7)]
        };
        match list {
            Some(name) if rng.chance(0.5) => {
                let _ = write!(out, "{prefix}[{name}] ");
            }
            Some(name) => {
                let _ = write!(out, "[{name}] {prefix}");
            }
            None => out.push_str(prefix),
        }
        self.base_subject(e, out);
    }

    // --- text -------------------------------------------------------------

    /// The message's own text (greeting, paragraphs, signature), at most
    /// `max_lines` lines. Pure: the first lines do not depend on
    /// `max_lines`, so a reply can quote them.
    fn write_text(&self, e: u32, max_lines: usize, out: &mut Vec<u8>) {
        let en = self.entries[e as usize];
        let mut rng = Rng::keyed(self.seed, K_TEXT, u64::from(e));
        let fr = self.french(e);
        let target = if en.has(HUGE) {
            rng.lognormal(450.0, 0.8)
        } else if en.parent == NONE {
            rng.lognormal(800.0, 1.0)
        } else {
            rng.lognormal(480.0, 1.0)
        }
        .clamp(60.0, 48_000.0) as usize;
        let start = out.len();
        let mut w = Wrap {
            out,
            col: 0,
            lines: 0,
            max_lines,
            cap: false,
        };
        self.greeting(e, fr, &mut rng, &mut w);
        let from_para = rng.chance(0.05).then(|| rng.between(0, 3));
        let pasted_para = rng.chance(0.006).then(|| rng.between(0, 2));
        let quoted_from = rng.chance(0.004);
        let mut para = 0;
        while w.out.len() - start < target && !w.full() {
            if pasted_para == Some(para) {
                let mut line = Vec::with_capacity(64);
                line.extend_from_slice(b"From ");
                let who = self.person(rng.below(u64::from(self.people)) as u32);
                who.write_address(&mut line);
                line.push(b' ');
                write_asctime(&mut line, BASE_TIME + rng.below(SPAN_DAYS * 86_400) as i64);
                w.line(&String::from_utf8_lossy(&line));
                w.newline();
            }
            if quoted_from && para == 1 {
                w.word(">From");
                w.words(if fr {
                    "le compte rendu:"
                } else {
                    "the minutes:"
                });
            }
            let sentences = rng.between(1, 5);
            for s in 0..sentences {
                let lead = (s == 0 && from_para == Some(para)).then(|| rng.pick(&FROM_EN));
                sentence(&mut rng, fr, lead, &mut w);
            }
            w.end_paragraph();
            para += 1;
        }
        if w.full() {
            return;
        }
        self.signature(e, fr, &mut rng, &mut w);
    }

    fn greeting(&self, e: u32, fr: bool, rng: &mut Rng, w: &mut Wrap<'_>) {
        let to = self.person(self.primary_recipient(e));
        let greeting = rng.below(8) as usize;
        match (fr, greeting) {
            (_, 0) => return,
            (false, 1) => w.line("Hi all,"),
            (false, 2) => w.line("Team,"),
            (true, 1) => w.line("Bonjour à tous,"),
            (true, 2) => w.line("Bonjour,"),
            (_, g) => {
                w.word(if fr {
                    ["Bonjour", "Salut", "Bonjour", "Bonsoir", "Bonjour"][g - 3]
                } else {
                    ["Hi", "Hello", "Dear", "Hi", "Hey"][g - 3]
                });
                w.word(to.first);
                w.punct(",");
                w.newline();
            }
        }
        w.newline();
    }

    fn signature(&self, e: u32, fr: bool, rng: &mut Rng, w: &mut Wrap<'_>) {
        let me = self.person(self.sender(e));
        w.line(if fr {
            [
                "Merci,",
                "Cordialement,",
                "Bien à vous,",
                "A+",
                "Bonne journée,",
            ][rng.index(5)]
        } else {
            [
                "Thanks,",
                "Best,",
                "Regards,",
                "Cheers,",
                "Thanks again,",
                "-",
            ][rng.index(6)]
        });
        if rng.chance(0.6) {
            w.line(me.first);
            return;
        }
        if rng.chance(0.3) {
            w.line("-- ");
        }
        w.word(me.first);
        w.word(me.last);
        w.newline();
        let org = &ORGS[me.org];
        w.line(if fr {
            rng.pick(&TITLES_FR)
        } else {
            rng.pick(&TITLES_EN)
        });
        if !org.company.is_empty() {
            w.line(org.company);
        }
        let phone = if org.french {
            format!("+33 1 99 00 {:02} {:02}", rng.below(100), rng.below(100))
        } else {
            format!("+1 713 555 01{:02}", rng.below(100))
        };
        w.line(&phone);
    }
}

fn base36(mut n: u64) -> String {
    let mut digits = Vec::new();
    loop {
        digits.push(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    digits.reverse();
    String::from_utf8_lossy(&digits).into_owned()
}

/// One sentence of business prose.
fn sentence(rng: &mut Rng, fr: bool, lead: Option<&str>, w: &mut Wrap<'_>) {
    w.cap = true;
    if let Some(lead) = lead {
        w.words(lead);
    } else if rng.chance(0.2) {
        w.words(if fr {
            rng.pick(&START_FR)
        } else {
            rng.pick(&START_EN)
        });
    }
    if fr {
        french_sentence(rng, w);
    } else {
        english_sentence(rng, w);
    }
}

fn english_sentence(rng: &mut Rng, w: &mut Wrap<'_>) {
    match rng.below(6) {
        0 => {
            w.words("can we");
            w.word(rng.pick(&BASE_EN));
            w.word(rng.pick(&DET_EN));
            w.word(rng.pick(&NOUN_EN));
            w.word(rng.pick(&PREP_EN));
            w.word(rng.pick(&DAYS_EN));
            w.punct("?");
        }
        1 => {
            w.word("I");
            w.word(["reviewed", "sent", "checked", "updated", "signed"][rng.index(5)]);
            w.word(rng.pick(&DET_EN));
            w.word(rng.pick(&ADJ_EN));
            w.word(rng.pick(&NOUN_EN));
            if rng.chance(0.5) {
                w.word(rng.pick(&ADV_EN));
            }
            w.punct(".");
        }
        2 => {
            w.word("please");
            w.word(rng.pick(&BASE_EN));
            w.word(rng.pick(&DET_EN));
            w.word(rng.pick(&NOUN_EN));
            w.words("before");
            w.word(rng.pick(&DAYS_EN));
            w.punct(".");
        }
        3 => {
            w.word(rng.pick(&DET_EN));
            w.word(rng.pick(&NOUN_EN));
            w.word("is");
            w.word(rng.pick(&ADV_EN));
            w.word(rng.pick(&ADJ_EN));
            w.punct(".");
        }
        _ => {
            w.word(rng.pick(&DET_EN));
            if rng.chance(0.5) {
                w.word(rng.pick(&ADJ_EN));
            }
            w.word(rng.pick(&NOUN_EN));
            w.word(rng.pick(&VERB_EN));
            w.word(rng.pick(&DET_EN));
            if rng.chance(0.4) {
                w.word(rng.pick(&ADJ_EN));
            }
            w.word(rng.pick(&NOUN_EN));
            match rng.below(4) {
                0 => {
                    w.word(rng.pick(&PREP_EN));
                    w.word(rng.pick(&DET_EN));
                    w.word(rng.pick(&NOUN_EN));
                }
                1 => {
                    let n = rng.between(2, 95);
                    w.word("by");
                    w.word(&format!("{n}%"));
                }
                2 => {
                    let n = rng.between(1, 999);
                    w.word("at");
                    w.word(&format!("${n},{:03}", rng.below(1000)));
                }
                _ => {}
            }
            w.punct(".");
        }
    }
}

fn french_sentence(rng: &mut Rng, w: &mut Wrap<'_>) {
    match rng.below(6) {
        0 => {
            w.word(["pouvez-vous", "peux-tu"][rng.index(2)]);
            w.word(rng.pick(&INF_FR));
            w.word(rng.pick(&DET_FR));
            w.word(rng.pick(&NOUN_FR));
            w.word("avant");
            w.word(rng.pick(&DAYS_FR));
            w.punct(" ?");
        }
        1 => {
            w.words("j'ai");
            w.word(rng.pick(&PART_FR));
            w.word(rng.pick(&DET_FR));
            w.word(rng.pick(&NOUN_FR));
            w.word(rng.pick(&ADJ_FR));
            if rng.chance(0.5) {
                w.word(rng.pick(&ADV_FR));
            }
            w.punct(".");
        }
        2 => {
            w.words("merci de");
            w.word(rng.pick(&INF_FR));
            w.word(rng.pick(&DET_FR));
            w.word(rng.pick(&NOUN_FR));
            w.word(rng.pick(&PREP_FR));
            w.word(rng.pick(&DAYS_FR));
            w.punct(".");
        }
        3 => {
            w.word(rng.pick(&DET_FR));
            w.word(rng.pick(&NOUN_FR));
            w.word("est");
            w.word(rng.pick(&ADV_FR));
            w.word(rng.pick(&ADJ_FR));
            w.punct(".");
        }
        _ => {
            w.word(rng.pick(&DET_FR));
            w.word(rng.pick(&NOUN_FR));
            if rng.chance(0.5) {
                w.word(rng.pick(&ADJ_FR));
            }
            w.word(rng.pick(&VERB_FR));
            w.word(rng.pick(&DET_FR));
            w.word(rng.pick(&NOUN_FR));
            match rng.below(3) {
                0 => {
                    w.word(rng.pick(&PREP_FR));
                    w.word(rng.pick(&DET_FR));
                    w.word(rng.pick(&NOUN_FR));
                }
                1 => {
                    let n = rng.between(2, 95);
                    w.word("de");
                    w.word(&format!("{n} %"));
                }
                _ => {}
            }
            w.punct(".");
        }
    }
}

/// Word wrapper at 72 columns that stops after `max_lines` lines.
struct Wrap<'o> {
    out: &'o mut Vec<u8>,
    col: usize,
    lines: usize,
    max_lines: usize,
    /// Capitalise the next word.
    cap: bool,
}

const WIDTH: usize = 72;

impl Wrap<'_> {
    fn full(&self) -> bool {
        self.lines >= self.max_lines
    }

    fn newline(&mut self) {
        if !self.full() {
            self.out.push(b'\n');
            self.lines += 1;
            self.col = 0;
        }
    }

    fn word(&mut self, word: &str) {
        if self.full() {
            return;
        }
        if self.col > 0 {
            if self.col + 1 + word.len() > WIDTH {
                self.newline();
                if self.full() {
                    return;
                }
            } else {
                self.out.push(b' ');
                self.col += 1;
            }
        }
        if std::mem::take(&mut self.cap) {
            let mut chars = word.chars();
            if let Some(c) = chars.next() {
                let mut buf = [0u8; 4];
                for u in c.to_uppercase() {
                    self.out
                        .extend_from_slice(u.encode_utf8(&mut buf).as_bytes());
                }
                self.out.extend_from_slice(chars.as_str().as_bytes());
            }
        } else {
            self.out.extend_from_slice(word.as_bytes());
        }
        self.col += word.len();
    }

    /// Several space-separated words.
    fn words(&mut self, words: &str) {
        for word in words.split(' ') {
            self.word(word);
        }
    }

    fn punct(&mut self, p: &str) {
        if !self.full() {
            self.out.extend_from_slice(p.as_bytes());
            self.col += p.len();
        }
    }

    /// A whole line of its own.
    fn line(&mut self, text: &str) {
        if self.col > 0 {
            self.newline();
        }
        if !self.full() {
            self.out.extend_from_slice(text.as_bytes());
            self.col = text.len();
            self.newline();
        }
    }

    /// Ends the paragraph and leaves a blank line.
    fn end_paragraph(&mut self) {
        if self.col > 0 {
            self.newline();
        }
        self.newline();
    }
}

// ---------------------------------------------------------------------------
// People

struct Person {
    index: u32,
    first: &'static str,
    last: &'static str,
    org: usize,
    zone: usize,
    /// Shape of the address's local part.
    style: u8,
    /// Mail client: 0 Notes/Enron, 1 Outlook, 2 Thunderbird/Gmail.
    client: u8,
}

impl Person {
    fn write_address(&self, out: &mut Vec<u8>) {
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
    fn write_mailbox(&self, out: &mut Vec<u8>, form: u8, rng: &mut Rng) {
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

// ---------------------------------------------------------------------------
// Rendering one message

/// Scratch space to render messages; one per writer thread.
struct Renderer<'p> {
    plan: &'p Plan,
    text: Vec<u8>,
    scratch: Vec<u8>,
    body: Vec<u8>,
    mime: Vec<u8>,
    /// The text entity while it is wrapped into a multipart.
    part: Vec<u8>,
    part_headers: Vec<u8>,
    attachment: Vec<u8>,
    subject: String,
    to: Vec<u32>,
    cc: Vec<u32>,
    refs: Vec<u32>,
    /// Envelope sender of the last message rendered.
    envelope: Vec<u8>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum TextKind {
    /// `us-ascii` or `utf-8`, 7bit/8bit.
    Plain,
    QpLatin1,
    QpUtf8,
    Html,
    Alternative,
}

impl<'p> Renderer<'p> {
    fn new(plan: &'p Plan) -> Self {
        Renderer {
            plan,
            text: Vec::with_capacity(64 * 1024),
            scratch: Vec::with_capacity(64 * 1024),
            body: Vec::with_capacity(256 * 1024),
            mime: Vec::with_capacity(1024),
            part: Vec::with_capacity(64 * 1024),
            part_headers: Vec::with_capacity(1024),
            attachment: Vec::with_capacity(256 * 1024),
            subject: String::new(),
            to: Vec::new(),
            cc: Vec::new(),
            refs: Vec::new(),
            envelope: Vec::new(),
        }
    }

    /// Render entry `e` (for a duplicate: its original) into `out`;
    /// returns its number of attachments.
    fn render(&mut self, e: u32, out: &mut Vec<u8>) -> usize {
        let plan = self.plan;
        let en = plan.entries[e as usize];
        let e = if en.has(DUP) { en.link } else { e };
        let en = plan.entries[e as usize];
        let mut rng = Rng::keyed(plan.seed, K_MSG, u64::from(e));
        let sender = plan.person(plan.sender(e));
        self.envelope.clear();
        sender.write_address(&mut self.envelope);
        self.recipients(e, &mut rng);
        self.subject.clear();
        plan.subject(e, &mut self.subject);
        self.compose_text(e);
        let attachments = self.compose_body(e, &mut rng);
        let client = if en.has(LIST) { 3 } else { sender.client };
        out.clear();
        self.headers(e, client, &sender, &mut rng, out);
        out.extend_from_slice(&self.mime);
        out.push(b'\n');
        out.extend_from_slice(&self.body);
        let crlf = matches!(plan.place(e), Some(Place::Eml(_)))
            && hash(plan.seed, K_PLACE, u64::from(e)) % 10 < 3;
        if crlf {
            self.scratch.clear();
            for &b in out.iter() {
                if b == b'\n' {
                    self.scratch.push(b'\r');
                }
                self.scratch.push(b);
            }
            std::mem::swap(out, &mut self.scratch);
        }
        attachments
    }

    fn recipients(&mut self, e: u32, rng: &mut Rng) {
        let plan = self.plan;
        let en = plan.entries[e as usize];
        self.to.clear();
        self.cc.clear();
        let sender = plan.sender(e);
        let add = |list: &mut Vec<u32>, p: u32| {
            if p != sender && !list.contains(&p) {
                list.push(p);
            }
        };
        if en.has(LIST) {
            // To: the list (written by `headers`); Cc: sometimes the parent.
            if en.parent != NONE && rng.chance(0.3) {
                add(&mut self.cc, plan.primary_recipient(e));
            }
        } else {
            add(&mut self.to, plan.primary_recipient(e));
            let n = plan.pool_size(&en);
            let extra = if en.parent == NONE {
                rng.below(5)
            } else {
                rng.below(3) * u64::from(rng.chance(0.4))
            };
            for _ in 0..extra {
                let p = plan.pool_person(en.conv, rng.below(n));
                add(&mut self.to, p);
            }
            if en.parent == NONE && rng.chance(0.02) {
                // An all-staff announcement.
                for _ in 0..rng.between(50, 150) {
                    let p = rng.below(u64::from(plan.people)) as u32;
                    add(&mut self.to, p);
                }
            }
            if rng.chance(0.25) {
                for _ in 0..rng.between(1, 3) {
                    let p = plan.pool_person(en.conv, rng.below(n));
                    if !self.to.contains(&p) {
                        add(&mut self.cc, p);
                    }
                }
            }
        }
        if let Some(Place::Maildir { user, folder }) = plan.place(e) {
            if !SENT_FOLDERS.contains(folder) && !self.to.contains(user) {
                add(&mut self.cc, *user);
            }
        }
    }

    /// Own text, then (for a reply) an attribution and the parent's first
    /// lines quoted with `> `.
    fn compose_text(&mut self, e: u32) {
        let plan = self.plan;
        let en = plan.entries[e as usize];
        self.text.clear();
        plan.write_text(e, usize::MAX, &mut self.text);
        if en.parent == NONE {
            return;
        }
        let parent = en.parent;
        let fr = plan.french(e);
        let who = plan.person(plan.sender(parent));
        let utc = plan.utc(parent);
        let t = tm(utc, ZONES[who.zone].0);
        let mut addr = Vec::new();
        who.write_address(&mut addr);
        let addr = String::from_utf8_lossy(&addr);
        let forward = self.subject.starts_with("Fwd:") || self.subject.starts_with("TR:");
        let out = &mut self.text;
        out.push(b'\n');
        if forward {
            let _ = writeln!(out, "---------- Forwarded message ---------");
            let _ = writeln!(out, "From: {} {} <{addr}>", who.first, who.last);
            out.extend_from_slice(b"Date: ");
            write_rfc2822(out, utc, who.zone, false, true);
            let _ = writeln!(out);
            let _ = writeln!(out, "Subject: (see below)\n");
        } else if who.client == 1 && !fr {
            let _ = writeln!(out, "-----Original Message-----");
            let _ = writeln!(out, "From: {}, {}", who.last, who.first);
            let _ = writeln!(
                out,
                "Sent: {}, {} {}, {} {}:{:02} {}",
                WEEKDAYS_LONG[t.weekday],
                MONTHS_LONG[t.month - 1],
                t.day,
                t.year,
                (t.hour + 11) % 12 + 1,
                t.minute,
                if t.hour < 12 { "AM" } else { "PM" }
            );
            let _ = writeln!(out, "Subject: {}\n", self.subject);
        } else if fr {
            let _ = writeln!(
                out,
                "Le {} {} {} {} à {:02}:{:02}, {} {} <{addr}> a écrit :",
                WEEKDAYS_FR[t.weekday],
                t.day,
                MONTHS_FR[t.month - 1],
                t.year,
                t.hour,
                t.minute,
                who.first,
                who.last
            );
        } else {
            let _ = writeln!(
                out,
                "On {}, {} {}, {} at {}:{:02} {}, {} {} <{addr}> wrote:",
                WEEKDAYS[t.weekday],
                MONTHS[t.month - 1],
                t.day,
                t.year,
                (t.hour + 11) % 12 + 1,
                t.minute,
                if t.hour < 12 { "AM" } else { "PM" },
                who.first,
                who.last
            );
        }
        let lines = Rng::keyed(plan.seed, K_QUOTE, u64::from(e)).between(3, 12) as usize;
        self.scratch.clear();
        plan.write_text(parent, lines, &mut self.scratch);
        let quoted = self.scratch.strip_suffix(b"\n").unwrap_or(&self.scratch);
        for line in quoted.split(|&b| b == b'\n') {
            if line.is_empty() {
                self.text.extend_from_slice(b">\n");
            } else {
                self.text.extend_from_slice(b"> ");
                self.text.extend_from_slice(line);
                self.text.push(b'\n');
            }
        }
    }

    /// Body and its `Content-*` headers (into `self.body`, `self.mime`).
    /// Returns the number of attachments.
    fn compose_body(&mut self, e: u32, rng: &mut Rng) -> usize {
        let fr = self.plan.french(e);
        let kind = match rng.below(100) {
            0..=4 => TextKind::Html,
            5..=14 => TextKind::Alternative,
            15..=44 if fr => TextKind::QpLatin1,
            45..=54 if fr => TextKind::QpUtf8,
            15..=17 => TextKind::QpUtf8,
            _ => TextKind::Plain,
        };
        let attachments = if rng.chance(0.1) {
            [1, 1, 1, 1, 1, 1, 1, 2, 2, 3][rng.index(10)]
        } else {
            0
        };
        self.body.clear();
        self.mime.clear();
        self.text_entity(kind, rng);
        if attachments == 0 {
            return 0;
        }
        // Wrap the text entity into a multipart/mixed with the attachments.
        std::mem::swap(&mut self.body, &mut self.part);
        std::mem::swap(&mut self.mime, &mut self.part_headers);
        self.body.clear();
        self.mime.clear();
        let boundary = boundary(rng);
        let _ = writeln!(
            self.mime,
            "Content-Type: multipart/mixed;\n\tboundary=\"{boundary}\""
        );
        let mut body = std::mem::take(&mut self.body);
        body.extend_from_slice(b"This is a multi-part message in MIME format.\n\n");
        let _ = writeln!(body, "--{boundary}");
        body.extend_from_slice(&self.part_headers);
        body.push(b'\n');
        body.extend_from_slice(&self.part);
        for k in 0..attachments {
            let _ = writeln!(body, "--{boundary}");
            self.attachment_part(e, k, &mut body);
        }
        let _ = writeln!(body, "--{boundary}--");
        self.body = body;
        attachments
    }

    /// A text entity of `kind` built from `self.text`: its `Content-*`
    /// headers into `self.mime`, its body appended to `self.body`.
    fn text_entity(&mut self, kind: TextKind, rng: &mut Rng) {
        let ascii = self.text.is_ascii();
        let charset = if ascii { "us-ascii" } else { "utf-8" };
        match kind {
            TextKind::Plain => {
                let _ = writeln!(
                    self.mime,
                    "Content-Type: text/plain; charset=\"{charset}\"\nContent-Transfer-Encoding: {}",
                    if ascii { "7bit" } else { "8bit" }
                );
                self.body.extend_from_slice(&self.text);
            }
            TextKind::QpLatin1 => {
                self.mime.extend_from_slice(
                    b"Content-Type: text/plain; charset=\"iso-8859-1\"\nContent-Transfer-Encoding: quoted-printable\n",
                );
                self.scratch.clear();
                for c in String::from_utf8_lossy(&self.text).chars() {
                    self.scratch
                        .push(u8::try_from(u32::from(c)).unwrap_or(b'?'));
                }
                quoted_printable(&mut self.body, &self.scratch);
            }
            TextKind::QpUtf8 => {
                self.mime.extend_from_slice(
                    b"Content-Type: text/plain; charset=\"utf-8\"\nContent-Transfer-Encoding: quoted-printable\n",
                );
                quoted_printable(&mut self.body, &self.text);
            }
            TextKind::Html => {
                self.mime.extend_from_slice(
                    b"Content-Type: text/html; charset=\"utf-8\"\nContent-Transfer-Encoding: 8bit\n",
                );
                html(&mut self.body, &self.text);
            }
            TextKind::Alternative => {
                let b = boundary(rng);
                let _ = writeln!(
                    self.mime,
                    "Content-Type: multipart/alternative;\n\tboundary=\"{b}\""
                );
                let _ = writeln!(self.body, "--{b}");
                let _ = writeln!(
                    self.body,
                    "Content-Type: text/plain; charset=\"{charset}\"\nContent-Transfer-Encoding: {}\n",
                    if ascii { "7bit" } else { "8bit" }
                );
                self.body.extend_from_slice(&self.text);
                let _ = writeln!(self.body, "--{b}");
                let _ = writeln!(
                    self.body,
                    "Content-Type: text/html; charset=\"utf-8\"\nContent-Transfer-Encoding: quoted-printable\n"
                );
                self.scratch.clear();
                html(&mut self.scratch, &self.text);
                quoted_printable(&mut self.body, &self.scratch);
                let _ = writeln!(self.body, "--{b}--");
            }
        }
    }

    /// One base64 attachment part (headers, blank line, body) into `out`.
    fn attachment_part(&mut self, e: u32, k: usize, out: &mut Vec<u8>) {
        let mut arng = Rng::keyed(self.plan.seed, K_ATTACH, (u64::from(e) << 3) | k as u64);
        let size = arng.lognormal(3_000.0, 1.2).clamp(1_024.0, 200_000.0) as usize;
        let n = arng.between(1, 999);
        let (name, mime): (String, &str) = match arng.below(12) {
            0..=2 => (format!("report_{n}.pdf"), "application/pdf"),
            3 => (format!("scan_{n:04}.pdf"), "application/pdf"),
            4 | 5 => (
                ["budget.xlsx", "forecast_Q3.xlsx", "positions.xlsx"][arng.index(3)].to_string(),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            6 | 7 => (
                [
                    "notes.docx",
                    "memo.docx",
                    format!("draft_v{}.docx", n % 9).as_str(),
                ][arng.index(3)]
                .to_string(),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
            8 | 9 => (
                ["export.csv", format!("positions_{n}.csv").as_str()][arng.index(2)].to_string(),
                "text/csv",
            ),
            10 => (format!("IMG_{:04}.jpg", n * 7), "image/jpeg"),
            _ => (
                "budget_prévisionnel.xlsx".to_string(),
                "application/vnd.ms-excel",
            ),
        };
        self.attachment.clear();
        let magic: &[u8] = match name.rsplit('.').next() {
            Some("pdf") => b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
            Some("xlsx" | "docx") => b"PK\x03\x04\x14\x00\x06\x00",
            Some("jpg") => b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
            _ => b"",
        };
        self.attachment.extend_from_slice(magic);
        if mime == "text/csv" {
            self.attachment
                .extend_from_slice(b"date;account;amount;desk\n");
            while self.attachment.len() < size {
                let _ = writeln!(
                    self.attachment,
                    "2016-{:02}-{:02};{};{}.{:02};{}",
                    arng.between(1, 12),
                    arng.between(1, 28),
                    arng.between(10_000, 99_999),
                    arng.below(1_000_000),
                    arng.below(100),
                    arng.pick(&NOUN_EN)
                );
            }
        } else {
            while self.attachment.len() < size {
                self.attachment
                    .extend_from_slice(&arng.next_u64().to_le_bytes());
            }
            self.attachment.truncate(size);
        }
        let _ = writeln!(out, "Content-Type: {mime};");
        if name.is_ascii() {
            let _ = writeln!(out, "\tname=\"{name}\"");
            let _ = writeln!(out, "Content-Transfer-Encoding: base64");
            let _ = writeln!(
                out,
                "Content-Disposition: attachment;\n\tfilename=\"{name}\""
            );
        } else {
            out.extend_from_slice(b"\tname=\"");
            encoded_words(out, &name, WordEnc::QUtf8);
            out.extend_from_slice(b"\"\n");
            let _ = writeln!(out, "Content-Transfer-Encoding: base64");
            out.extend_from_slice(b"Content-Disposition: attachment;\n\tfilename*=UTF-8''");
            for b in name.bytes() {
                if b.is_ascii_alphanumeric() || b"._-".contains(&b) {
                    out.push(b);
                } else {
                    let _ = write!(out, "%{b:02X}");
                }
            }
            out.push(b'\n');
        }
        out.push(b'\n');
        base64_lines(out, &self.attachment);
    }

    /// The header block (without the `Content-*` headers) in the order
    /// and shape of the sender's mail client.
    fn headers(&mut self, e: u32, client: u8, sender: &Person, rng: &mut Rng, out: &mut Vec<u8>) {
        match client {
            0 => self.headers_notes(e, sender, rng, out),
            1 => self.headers_outlook(e, sender, rng, out),
            2 => self.headers_thunderbird(e, sender, rng, out),
            _ => self.headers_mailman(e, sender, rng, out),
        }
        if rng.chance(0.15) {
            let _ = writeln!(out, "X-Priority: {}", rng.pick(&[1, 3, 3, 5]));
        }
        if rng.chance(0.1) {
            let _ = writeln!(out, "X-Spam-Score: {}.{}", rng.below(4), rng.below(10));
        }
    }

    fn headers_notes(&mut self, e: u32, sender: &Person, rng: &mut Rng, out: &mut Vec<u8>) {
        let plan = self.plan;
        let en = plan.entries[e as usize];
        let utc = plan.utc(e);
        let id_of = if en.has(REUSE) { en.link } else { e };
        // Enron / Lotus Notes export.
        out.extend_from_slice(b"Message-ID: ");
        self.write_id(id_of, out);
        out.extend_from_slice(b"\nDate: ");
        write_rfc2822(out, utc, sender.zone, true, true);
        out.extend_from_slice(b"\nFrom: ");
        sender.write_mailbox(out, 0, rng);
        self.address_headers(0, rng, out);
        self.subject_header(rng, out);
        self.thread_headers(e, out);
        out.extend_from_slice(b"Mime-Version: 1.0\n");
        let _ = writeln!(out, "X-From: {} {}", sender.first, sender.last);
        out.extend_from_slice(b"X-To: ");
        self.names(&self.to, out);
        out.extend_from_slice(b"\nX-cc: ");
        self.names(&self.cc, out);
        out.extend_from_slice(b"\nX-bcc: \n");
        let folder = match plan.place(e) {
            Some(Place::Maildir { folder, .. }) => FOLDERS[*folder],
            _ => "Notes inbox",
        };
        let t = tm(utc, 0);
        let _ = writeln!(
            out,
            "X-Folder: \\{}_{}_{}{}\\Notes Folders\\{folder}",
            sender.first,
            sender.last,
            MONTHS[t.month - 1],
            t.year
        );
        let mut login = String::new();
        fold_ascii(&mut login, sender.last);
        let _ = writeln!(out, "X-Origin: {}", login.to_ascii_uppercase());
        let _ = writeln!(out, "X-FileName: {login}.nsf");
    }

    fn headers_outlook(&mut self, e: u32, sender: &Person, rng: &mut Rng, out: &mut Vec<u8>) {
        let plan = self.plan;
        let en = plan.entries[e as usize];
        let utc = plan.utc(e);
        let id_of = if en.has(REUSE) { en.link } else { e };
        // Outlook / Exchange.
        Self::received(utc, rng, out);
        out.extend_from_slice(b"From: ");
        sender.write_mailbox(out, 1, rng);
        self.address_headers(1, rng, out);
        self.subject_header(rng, out);
        out.extend_from_slice(b"Thread-Topic: ");
        out.extend_from_slice(self.subject.as_bytes());
        out.extend_from_slice(b"\nThread-Index: ");
        let mut ti = [0u8; 22];
        for (i, b) in ti.iter_mut().enumerate() {
            *b = (hash(plan.seed, K_ID, (u64::from(en.conv) << 5) | i as u64) & 0xff) as u8;
        }
        base64(out, &ti);
        out.extend_from_slice(b"\nDate: ");
        write_rfc2822(out, utc, sender.zone, false, true);
        out.extend_from_slice(b"\nMessage-ID: ");
        self.write_id(id_of, out);
        out.push(b'\n');
        self.thread_headers(e, out);
        out.extend_from_slice(b"Accept-Language: en-US\nContent-Language: en-US\n");
        let _ = writeln!(
            out,
            "X-MS-Has-Attach: {}",
            if self.body.starts_with(b"This is a multi") {
                "yes"
            } else {
                ""
            }
        );
        let _ = writeln!(
            out,
            "X-Originating-IP: [198.51.100.{}]",
            rng.between(1, 254)
        );
        out.extend_from_slice(b"MIME-Version: 1.0\n");
    }

    fn headers_thunderbird(&mut self, e: u32, sender: &Person, rng: &mut Rng, out: &mut Vec<u8>) {
        let plan = self.plan;
        let en = plan.entries[e as usize];
        let utc = plan.utc(e);
        let id_of = if en.has(REUSE) { en.link } else { e };
        // Thunderbird / Gmail.
        out.extend_from_slice(b"Return-Path: <");
        out.extend_from_slice(&self.envelope);
        out.extend_from_slice(b">\n");
        Self::received(utc, rng, out);
        out.extend_from_slice(b"MIME-Version: 1.0\nDate: ");
        write_rfc2822(out, utc, sender.zone, false, rng.chance(0.9));
        out.extend_from_slice(b"\nMessage-ID: ");
        self.write_id(id_of, out);
        out.push(b'\n');
        self.thread_headers(e, out);
        self.subject_header(rng, out);
        out.extend_from_slice(b"From: ");
        sender.write_mailbox(out, 2, rng);
        self.address_headers(2, rng, out);
        let agent = [
            "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:45.0) Gecko/20100101 Thunderbird/45.8.0",
            "X-Mailer: Apple Mail (2.3273)",
            "X-Mailer: iPhone Mail (14D27)",
            "X-Mailer: Synthmail 2.1",
        ][rng.index(4)];
        let _ = writeln!(out, "{agent}");
    }

    fn headers_mailman(&mut self, e: u32, sender: &Person, rng: &mut Rng, out: &mut Vec<u8>) {
        let plan = self.plan;
        let en = plan.entries[e as usize];
        let utc = plan.utc(e);
        let id_of = if en.has(REUSE) { en.link } else { e };
        // Mailman list traffic.
        let (name, desc, _) = LISTS[plan.lists[plan.list_of(en.conv)]];
        let _ = writeln!(out, "Return-Path: <{name}-bounces@{LIST_DOMAIN}>");
        Self::received(utc, rng, out);
        out.extend_from_slice(b"From: ");
        sender.write_mailbox(out, 2, rng);
        let _ = write!(out, "\nTo: {name}@{LIST_DOMAIN}");
        if !self.cc.is_empty() {
            out.extend_from_slice(b"\nCc: ");
            self.address_list(&self.cc, 2, rng, out);
        }
        out.push(b'\n');
        self.subject_header(rng, out);
        out.extend_from_slice(b"Date: ");
        write_rfc2822(out, utc, sender.zone, false, true);
        out.extend_from_slice(b"\nMessage-ID: ");
        self.write_id(id_of, out);
        out.push(b'\n');
        self.thread_headers(e, out);
        out.extend_from_slice(b"MIME-Version: 1.0\n");
        let _ = writeln!(out, "X-BeenThere: {name}@{LIST_DOMAIN}");
        out.extend_from_slice(b"X-Mailman-Version: 2.1.29\nPrecedence: list\n");
        let _ = writeln!(out, "List-Id: {desc} <{name}.{LIST_DOMAIN}>");
        let _ = writeln!(
            out,
            "List-Unsubscribe: <https://{LIST_DOMAIN}/mailman/options/{name}>,\n <mailto:{name}-request@{LIST_DOMAIN}?subject=unsubscribe>"
        );
        let _ = writeln!(out, "List-Post: <mailto:{name}@{LIST_DOMAIN}>");
        let _ = writeln!(out, "Errors-To: {name}-bounces@{LIST_DOMAIN}");
        let _ = writeln!(out, "Sender: \"{name}\" <{name}-bounces@{LIST_DOMAIN}>");
    }

    fn received(utc: i64, rng: &mut Rng, out: &mut Vec<u8>) {
        for hop in 0..rng.between(1, 2) {
            let _ = write!(
                out,
                "Received: from {}.{} ([192.0.2.{}])\n\tby {}.{} ({}) with ESMTP id {:08X};\n\t",
                rng.pick(&HOSTS),
                ORGS[rng.index(ORGS.len())].domain,
                rng.between(1, 254),
                rng.pick(&HOSTS),
                ORGS[0].domain,
                ["Postfix", "Microsoft SMTP Server", "Exim 4.89"][rng.index(3)],
                rng.next_u64() as u32
            );
            write_rfc2822(out, utc + 2 + hop as i64 * 3, 6, false, true);
            out.push(b'\n');
        }
    }

    fn address_headers(&self, form: u8, rng: &mut Rng, out: &mut Vec<u8>) {
        out.extend_from_slice(b"\nTo: ");
        self.address_list(&self.to, form, rng, out);
        if !self.cc.is_empty() {
            out.extend_from_slice(b"\nCc: ");
            self.address_list(&self.cc, form, rng, out);
        }
        out.push(b'\n');
    }

    fn address_list(&self, people: &[u32], form: u8, rng: &mut Rng, out: &mut Vec<u8>) {
        let mut line_start = out.len().saturating_sub(4);
        for (i, &p) in people.iter().enumerate() {
            let person = self.plan.person(p);
            if i > 0 {
                out.push(b',');
                if out.len() - line_start > 60 {
                    out.extend_from_slice(b"\n\t");
                    line_start = out.len() - 1;
                } else {
                    out.push(b' ');
                }
            }
            person.write_mailbox(out, form, rng);
        }
    }

    fn names(&self, people: &[u32], out: &mut Vec<u8>) {
        for (i, &p) in people.iter().enumerate().take(20) {
            let person = self.plan.person(p);
            if i > 0 {
                out.extend_from_slice(b", ");
            }
            let _ = write!(out, "{} {}", person.first, person.last);
        }
        if people.len() > 20 {
            out.extend_from_slice(b", ...");
        }
    }

    fn subject_header(&self, rng: &mut Rng, out: &mut Vec<u8>) {
        out.extend_from_slice(b"Subject: ");
        let s = &self.subject;
        let encode = if s.is_ascii() {
            rng.chance(0.02)
        } else {
            rng.chance(0.35)
        };
        if encode {
            let enc = match rng.below(10) {
                0..=3 => WordEnc::QUtf8,
                4..=6 => WordEnc::BUtf8,
                _ => WordEnc::QLatin1,
            };
            encoded_words(out, s, enc);
        } else {
            out.extend_from_slice(s.as_bytes());
        }
        out.push(b'\n');
    }

    /// `In-Reply-To` and `References` (root and the 19 nearest ancestors).
    fn thread_headers(&mut self, e: u32, out: &mut Vec<u8>) {
        let plan = self.plan;
        let en = plan.entries[e as usize];
        if en.parent == NONE {
            return;
        }
        self.refs.clear();
        let mut p = en.parent;
        while p != NONE {
            self.refs.push(p);
            p = plan.entries[p as usize].parent;
        }
        self.refs.reverse();
        if self.refs.len() > 20 {
            let cut = self.refs.len() - 19;
            self.refs.drain(1..cut);
        }
        out.extend_from_slice(b"In-Reply-To: ");
        Self::id(plan, en.parent, out);
        out.extend_from_slice(b"\nReferences:");
        for &r in &self.refs {
            out.push(b' ');
            Self::id(plan, r, out);
            out.push(b'\n');
            out.push(b'\t');
        }
        out.pop();
    }

    fn write_id(&self, e: u32, out: &mut Vec<u8>) {
        Self::id(self.plan, e, out);
    }

    /// The Message-ID of entry `e`, in one of several mailer styles; unique
    /// per entry (each style embeds `e` in a fixed-format field).
    fn id(plan: &Plan, e: u32, out: &mut Vec<u8>) {
        let h = hash(plan.seed, K_ID, u64::from(e));
        let host = HOSTS[(h >> 40) as usize % HOSTS.len()];
        let domain = ORGS[(h >> 44) as usize % ORGS.len()].domain;
        let _ = match h % 5 {
            0 => write!(
                out,
                "<{}.{}.JavaMail.notes@{host}>",
                u64::from(e) + 1_000_003,
                (h >> 8) % 10_000_000_000_000
            ),
            1 => write!(
                out,
                "<{:016X}{:012X}@{host}.{domain}>",
                h >> 3,
                scramble48(e)
            ),
            2 => {
                let mut raw = [0u8; 12];
                raw[..8].copy_from_slice(&(h >> 5).to_be_bytes());
                raw[8..].copy_from_slice(&e.to_be_bytes());
                out.extend_from_slice(b"<CA");
                let start = out.len();
                base64(out, &raw);
                for b in &mut out[start..] {
                    if *b == b'/' {
                        *b = b'_';
                    }
                }
                write!(out, "@mail.example.com>")
            }
            3 => write!(
                out,
                "<{:08x}-{:04x}-{:04x}-{:04x}-{:012x}@{domain}>",
                (h >> 32) as u32,
                (h >> 16) as u16,
                (h as u16 & 0x0fff) | 0x4000,
                ((h >> 48) as u16 & 0x3fff) | 0x8000,
                scramble48(e)
            ),
            _ => {
                let t = tm(plan.utc(e), 0);
                write!(
                    out,
                    "<{}{:02}{:02}{:02}{:02}{:02}.{:x}.{:x}@{host}.{domain}>",
                    t.year,
                    t.month,
                    t.day,
                    t.hour,
                    t.minute,
                    t.second,
                    scramble48(e),
                    h >> 36
                )
            }
        };
    }
}

/// A bijection on 48-bit values (so ids built from it stay unique) that
/// hides the sequence of entry numbers.
fn scramble48(e: u32) -> u64 {
    const MASK: u64 = (1 << 48) - 1;
    let mut x = (u64::from(e).wrapping_mul(0x9E37_79B9_7F4B)) & MASK;
    x ^= x >> 24;
    x.wrapping_mul(0xC2B2_AE3D_27D5) & MASK
}

/// A MIME boundary in one of the common styles.
fn boundary(rng: &mut Rng) -> String {
    let h = rng.next_u64();
    match h % 3 {
        0 => format!("----=_Part_{}_{}.{}", h >> 44, (h >> 20) & 0xfffff, h >> 50),
        1 => format!(
            "----=_NextPart_000_{:04X}_{:08X}",
            (h >> 48) as u16,
            (h >> 8) as u32
        ),
        _ => format!("000000000000{:012x}", h >> 16),
    }
}

/// Minimal HTML rendering of plain text (Outlook-like `<div>` lines).
fn html(out: &mut Vec<u8>, text: &[u8]) {
    out.extend_from_slice(
        b"<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\n</head>\n<body>\n",
    );
    for line in text.split(|&b| b == b'\n') {
        if line.is_empty() {
            out.extend_from_slice(b"<div><br></div>\n");
            continue;
        }
        out.extend_from_slice(b"<div>");
        for &b in line {
            match b {
                b'<' => out.extend_from_slice(b"&lt;"),
                b'>' => out.extend_from_slice(b"&gt;"),
                b'&' => out.extend_from_slice(b"&amp;"),
                _ => out.push(b),
            }
        }
        out.extend_from_slice(b"</div>\n");
    }
    out.extend_from_slice(b"</body>\n</html>\n");
}

// ---------------------------------------------------------------------------
// Writing

#[derive(Debug, Default)]
struct Written {
    files: usize,
    bytes: u64,
    attachments: usize,
    with_attachments: usize,
    maildir: usize,
    mbox: usize,
    eml: usize,
    mbox_files: usize,
}

impl Written {
    fn add(&mut self, o: &Written) {
        self.files += o.files;
        self.bytes += o.bytes;
        self.attachments += o.attachments;
        self.with_attachments += o.with_attachments;
        self.maildir += o.maildir;
        self.mbox += o.mbox;
        self.eml += o.eml;
        self.mbox_files += o.mbox_files;
    }
}

/// Writes every container, split over a few threads (output does not
/// depend on how: each message is a pure function of the plan).
fn write_all(plan: &Plan, out: &Path) -> io::Result<Written> {
    let mut order: Vec<u32> = (0..plan.entries.len() as u32)
        .filter(|&e| !plan.entries[e as usize].has(PHANTOM))
        .collect();
    order.sort_unstable_by_key(|&e| {
        let en = &plan.entries[e as usize];
        (en.container, en.date, e)
    });
    // (container, messages) runs, biggest first, dealt to the least loaded.
    let mut jobs: Vec<&[u32]> = order
        .chunk_by(|a, b| plan.entries[*a as usize].container == plan.entries[*b as usize].container)
        .collect();
    jobs.sort_by_key(|j| std::cmp::Reverse(j.len()));
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .clamp(1, 4);
    let mut shares: Vec<Vec<&[u32]>> = vec![Vec::new(); threads];
    let mut load = vec![0usize; threads];
    for job in jobs {
        let k = (0..threads).min_by_key(|&k| load[k]).unwrap_or(0);
        load[k] += job.len();
        shares[k].push(job);
    }
    let results: Vec<io::Result<Written>> = std::thread::scope(|s| {
        let handles: Vec<_> = shares
            .iter()
            .map(|share| {
                s.spawn(move || {
                    let mut w = Writer::new(plan, out);
                    for job in share {
                        w.container(job)?;
                    }
                    Ok(w.stats)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(io::Error::other("writer thread panicked")))
            })
            .collect()
    });
    let mut total = Written::default();
    for r in results {
        total.add(&r?);
    }
    Ok(total)
}

struct Writer<'p> {
    plan: &'p Plan,
    root: &'p Path,
    renderer: Renderer<'p>,
    buf: Vec<u8>,
    stats: Written,
}

impl<'p> Writer<'p> {
    fn new(plan: &'p Plan, root: &'p Path) -> Self {
        Writer {
            plan,
            root,
            renderer: Renderer::new(plan),
            buf: Vec::with_capacity(512 * 1024),
            stats: Written::default(),
        }
    }

    fn render(&mut self, e: u32) {
        let attachments = self.renderer.render(e, &mut self.buf);
        self.stats.attachments += attachments;
        self.stats.with_attachments += usize::from(attachments > 0);
    }

    fn container(&mut self, entries: &[u32]) -> io::Result<()> {
        let plan = self.plan;
        let Some(&first) = entries.first() else {
            return Ok(());
        };
        let place = plan.entries[first as usize].container;
        match &plan.places[place as usize] {
            Place::Maildir { user, folder } => {
                let dir = self
                    .root
                    .join("mail")
                    .join(plan.login(*user))
                    .join(FOLDERS[*folder]);
                for sub in ["cur", "new", "tmp"] {
                    fs::create_dir_all(dir.join(sub))?;
                }
                for &e in entries {
                    self.render(e);
                    let name = maildir_name(plan, e, *folder);
                    self.write_file(&dir.join(name))?;
                    self.stats.maildir += 1;
                }
            }
            Place::Eml(rel) => {
                let dir = self.root.join(rel);
                fs::create_dir_all(&dir)?;
                for (n, &e) in entries.iter().enumerate() {
                    self.render(e);
                    self.write_file(&dir.join(format!("{}.eml", n + 1)))?;
                    self.stats.eml += 1;
                }
            }
            Place::Mbox(rel) => {
                let path = self.root.join(rel);
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent)?;
                }
                let mut file = BufWriter::with_capacity(1 << 20, File::create(&path)?);
                let mut line = Vec::with_capacity(128);
                for &e in entries {
                    self.render(e);
                    line.clear();
                    line.extend_from_slice(b"From ");
                    line.extend_from_slice(&self.renderer.envelope);
                    line.push(b' ');
                    write_asctime(&mut line, plan.utc(e) + 1 + i64::from(e % 40));
                    line.push(b'\n');
                    file.write_all(&line)?;
                    self.stats.bytes += line.len() as u64;
                    self.stats.bytes += write_mboxrd(&mut file, &self.buf)?;
                    file.write_all(b"\n")?;
                    self.stats.bytes += 1;
                    self.stats.mbox += 1;
                }
                file.flush()?;
                self.stats.files += 1;
                self.stats.mbox_files += 1;
            }
        }
        Ok(())
    }

    fn write_file(&mut self, path: &Path) -> io::Result<()> {
        fs::write(path, &self.buf)?;
        self.stats.files += 1;
        self.stats.bytes += self.buf.len() as u64;
        Ok(())
    }
}

/// A unique maildir file name: in `cur/` with `:2,S`, or (recent inbox
/// mail) in `new/` without flags.
fn maildir_name(plan: &Plan, e: u32, folder: usize) -> PathBuf {
    let h = hash(plan.seed, K_PLACE, u64::from(e) ^ 0xABCD_0000_0000);
    let new = folder == 0 && h.is_multiple_of(10);
    let name = format!(
        "{}.M{}P{}Q{e}.{}",
        plan.utc(e),
        (h >> 8) % 1_000_000,
        1_000 + (h >> 28) % 30_000,
        HOSTS[(h >> 50) as usize % HOSTS.len()]
    );
    if new {
        Path::new("new").join(name)
    } else {
        Path::new("cur").join(format!("{name}:2,S"))
    }
}

/// Writes `msg` mboxrd-quoted (`>*From ` lines get one more `>`), making
/// sure it ends with a newline. Returns the bytes written.
fn write_mboxrd(out: &mut impl Write, msg: &[u8]) -> io::Result<u64> {
    let mut n = 0u64;
    for line in msg.split_inclusive(|&b| b == b'\n') {
        let quotes = line.iter().take_while(|&&b| b == b'>').count();
        if line[quotes..].starts_with(b"From ") {
            out.write_all(b">")?;
            n += 1;
        }
        out.write_all(line)?;
        n += line.len() as u64;
    }
    if !msg.ends_with(b"\n") {
        out.write_all(b"\n")?;
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::mail::parse_message;
    use crate::model::{Container, Location};

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (input, want) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            let mut out = Vec::new();
            base64(&mut out, input.as_bytes());
            assert_eq!(out, want.as_bytes(), "{input}");
        }
    }

    #[test]
    fn quoted_printable_escapes_and_wraps() {
        let mut out = Vec::new();
        quoted_printable(&mut out, b"caf\xe9 = ok \nFrom x\n");
        assert_eq!(out, b"caf=E9 =3D ok=20\nFrom x\n");
        let mut out = Vec::new();
        quoted_printable(&mut out, &[b'a'; 100]);
        assert!(out.split(|&b| b == b'\n').all(|l| l.len() <= 76));
    }

    #[test]
    fn exp_and_ln_are_accurate() {
        for x in [-5.0, -1.0, -0.1, 0.0, 0.5, 1.0, 3.0, 10.0] {
            let got: f64 = exp(x);
            let want = x.exp();
            assert!((got - want).abs() <= want * 1e-12, "exp({x})");
        }
        for x in [1e-9, 0.1, 0.5, 1.0, 2.0, 10.0, 12345.0] {
            let got: f64 = ln(x);
            assert!((got - x.ln()).abs() < 1e-12, "ln({x})");
        }
    }

    #[test]
    fn scramble48_is_injective() {
        let mut seen = std::collections::HashSet::new();
        for e in (0..300_000).chain(u32::MAX - 1000..=u32::MAX) {
            assert!(seen.insert(scramble48(e)), "{e}");
        }
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(BASE_TIME / 86_400), (2016, 1, 4));
        let mut out = Vec::new();
        write_rfc2822(&mut out, 1_489_654_931, 8, true, true);
        assert_eq!(out, b"Thu, 16 Mar 2017 10:02:11 +0100 (CET)");
        out.clear();
        write_asctime(&mut out, 1_489_654_931);
        assert_eq!(out, b"Thu Mar 16 09:02:11 2017");
    }

    #[test]
    fn users_have_distinct_logins() {
        let mut plan = Plan::build(100, 3);
        plan.users = 200;
        let logins: std::collections::HashSet<String> =
            (0..plan.users).map(|u| plan.login(u)).collect();
        assert_eq!(logins.len(), plan.users as usize);
    }

    #[test]
    fn encoded_words_decode_back() {
        for enc in [WordEnc::QUtf8, WordEnc::BUtf8, WordEnc::QLatin1] {
            let subject = "Re: Révision des tarifs trimestriels - à valider avant le comité";
            let mut raw = b"Subject: ".to_vec();
            encoded_words(&mut raw, subject, enc);
            raw.extend_from_slice(b"\nFrom: a@b.example\n\nx\n");
            let loc = Location {
                path: Path::new("x").into(),
                container: Container::File,
                offset: 0,
                len: 0,
            };
            let doc = parse_message(&raw, loc, 0, false);
            assert_eq!(doc.subject, subject);
        }
    }

    #[test]
    fn rendered_messages_parse_with_their_threading_headers() {
        let plan = Plan::build(3_000, 11);
        let mut r = Renderer::new(&plan);
        let mut buf = Vec::new();
        for e in 0..plan.entries.len() as u32 {
            let en = plan.entries[e as usize];
            if en.has(PHANTOM) {
                continue;
            }
            r.render(e, &mut buf);
            let loc = Location {
                path: Path::new("x").into(),
                container: Container::File,
                offset: 0,
                len: 0,
            };
            let doc = parse_message(&buf, loc, 0, false);
            assert!(
                doc.message_id.is_some(),
                "{}",
                String::from_utf8_lossy(&buf)
            );
            assert!(doc.date.is_some());
            assert_eq!(doc.in_reply_to.len(), usize::from(en.parent != NONE));
            assert!(doc.references.len() <= 20);
        }
    }

    #[test]
    fn reply_text_quotes_the_parent() {
        let plan = Plan::build(1_000, 5);
        let e = (0..plan.entries.len() as u32)
            .find(|&e| {
                let en = plan.entries[e as usize];
                en.parent != NONE && !en.has(PHANTOM | DUP | REUSE)
            })
            .expect("a reply");
        let mut parent = Vec::new();
        plan.write_text(plan.entries[e as usize].parent, usize::MAX, &mut parent);
        let mut r = Renderer::new(&plan);
        r.subject.clear();
        r.compose_text(e);
        let first = parent.split(|&b| b == b'\n').next().expect("line");
        let mut quoted = b"> ".to_vec();
        quoted.extend_from_slice(first);
        assert!(
            r.text.windows(quoted.len()).any(|w| w == quoted.as_slice()),
            "{}",
            String::from_utf8_lossy(&r.text)
        );
    }
}
