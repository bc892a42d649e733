//! Words the document generators of the examples write with (shared by
//! `office_fixtures` and `office_dump`; not an example of its own).

pub const WORDS: &[&str] = &[
    "campaign",
    "invoice",
    "transfer",
    "meeting",
    "donation",
    "budget",
    "rally",
    "contract",
    "payment",
    "venue",
    "printing",
    "security",
    "transport",
    "treasurer",
    "account",
    "receipt",
];
