//! What a message says: its language, its subject line and its own text
//! (greeting, paragraphs, signature). Pure functions of the plan, so a reply
//! can regenerate its parent's first lines to quote them.

use std::fmt::Write as _;

use super::dates::{write_asctime, BASE_TIME, SPAN_DAYS};
use super::people::{ORGS, TITLES_EN, TITLES_FR};
use super::places::LISTS;
use super::plan::{Plan, HUGE, LIST, NONE, TOKEN};
use super::prose::{sentence, Wrap};
use super::random::{hash, Rng, K_CONV, K_TEXT};
use super::words::{
    DAYS_EN, DAYS_FR, FROM_EN, HUGE_TOPICS, SUFFIXES_EN, SUFFIXES_FR, TOPICS_EN, TOPICS_FR,
};

impl Plan {
    pub(super) fn french(&self, e: u32) -> bool {
        let en = &self.entries[e as usize];
        if en.has(LIST) {
            return LISTS[self.lists[self.list_of(en.conv)]].2;
        }
        hash(self.seed, K_CONV, u64::from(en.conv) ^ 0xF00D) % 100 < 28
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
    pub(super) fn subject(&self, e: u32, out: &mut String) {
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

    /// The message's own text (greeting, paragraphs, signature), at most
    /// `max_lines` lines. Pure: the first lines do not depend on
    /// `max_lines`, so a reply can quote them.
    pub(super) fn write_text(&self, e: u32, max_lines: usize, out: &mut Vec<u8>) {
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
