//! Business prose: random English and French sentences from the vocabulary in
//! `super::words`, and the word wrapper that lays them out at 72 columns.

use super::random::Rng;
use super::words::{
    ADJ_EN, ADJ_FR, ADV_EN, ADV_FR, BASE_EN, DAYS_EN, DAYS_FR, DET_EN, DET_FR, INF_FR, NOUN_EN,
    NOUN_FR, PART_FR, PREP_EN, PREP_FR, START_EN, START_FR, VERB_EN, VERB_FR,
};

/// One sentence of business prose.
pub(super) fn sentence(rng: &mut Rng, fr: bool, lead: Option<&str>, w: &mut Wrap<'_>) {
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
pub(super) struct Wrap<'o> {
    pub(super) out: &'o mut Vec<u8>,
    pub(super) col: usize,
    pub(super) lines: usize,
    pub(super) max_lines: usize,
    /// Capitalise the next word.
    pub(super) cap: bool,
}

const WIDTH: usize = 72;

impl Wrap<'_> {
    pub(super) fn full(&self) -> bool {
        self.lines >= self.max_lines
    }

    pub(super) fn newline(&mut self) {
        if !self.full() {
            self.out.push(b'\n');
            self.lines += 1;
            self.col = 0;
        }
    }

    pub(super) fn word(&mut self, word: &str) {
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
    pub(super) fn words(&mut self, words: &str) {
        for word in words.split(' ') {
            self.word(word);
        }
    }

    pub(super) fn punct(&mut self, p: &str) {
        if !self.full() {
            self.out.extend_from_slice(p.as_bytes());
            self.col += p.len();
        }
    }

    /// A whole line of its own.
    pub(super) fn line(&mut self, text: &str) {
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
    pub(super) fn end_paragraph(&mut self) {
        if self.col > 0 {
            self.newline();
        }
        self.newline();
    }
}
