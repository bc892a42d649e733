//! Rendering one message: the per-thread [`Renderer`] scratch space, the
//! recipients, and the text with its attribution and quoted parent. The MIME
//! body is built in `super::body`, the header block in `super::headers`.

use std::io::Write as _;

use super::dates::{
    tm, write_rfc2822, MONTHS, MONTHS_FR, MONTHS_LONG, WEEKDAYS, WEEKDAYS_FR, WEEKDAYS_LONG, ZONES,
};
use super::places::{Place, SENT_FOLDERS};
use super::plan::{Plan, DUP, LIST, NONE};
use super::random::{hash, Rng, K_MSG, K_PLACE, K_QUOTE};

/// Scratch space to render messages; one per writer thread.
pub(super) struct Renderer<'p> {
    pub(super) plan: &'p Plan,
    pub(super) text: Vec<u8>,
    pub(super) scratch: Vec<u8>,
    pub(super) body: Vec<u8>,
    pub(super) mime: Vec<u8>,
    /// The text entity while it is wrapped into a multipart.
    pub(super) part: Vec<u8>,
    pub(super) part_headers: Vec<u8>,
    pub(super) attachment: Vec<u8>,
    pub(super) subject: String,
    pub(super) to: Vec<u32>,
    pub(super) cc: Vec<u32>,
    pub(super) refs: Vec<u32>,
    /// Envelope sender of the last message rendered.
    pub(super) envelope: Vec<u8>,
}

impl<'p> Renderer<'p> {
    pub(super) fn new(plan: &'p Plan) -> Self {
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
    pub(super) fn render(&mut self, e: u32, out: &mut Vec<u8>) -> usize {
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
            let (hour, half) = t.hour12();
            let _ = writeln!(
                out,
                "Sent: {}, {} {}, {} {hour}:{:02} {half}",
                WEEKDAYS_LONG[t.weekday],
                MONTHS_LONG[t.month - 1],
                t.day,
                t.year,
                t.minute,
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
                t.hour12().0,
                t.minute,
                t.hour12().1,
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::mail::parse_message;
    use crate::model::{Container, Location};
    use crate::synth::plan::{PHANTOM, REUSE};
    use std::path::Path;

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
                part: crate::model::PartPath::default(),
            };
            let doc = parse_message(&buf, loc, false).remove(0);
            assert!(
                doc.message_id().is_some(),
                "{}",
                String::from_utf8_lossy(&buf)
            );
            assert!(doc.date.is_some());
            let in_reply_to = doc.threading.in_reply_to().count();
            assert_eq!(in_reply_to, usize::from(en.parent != NONE));
            assert!(doc.threading.references().count() <= 20);
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
