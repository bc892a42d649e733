//! Header blocks in the order and shape of four mail clients (Lotus Notes as
//! exported from Enron, Outlook, Thunderbird, Mailman), threading headers and
//! Message-IDs.

use std::io::Write as _;

use super::dates::{tm, write_rfc2822, MONTHS};
use super::encode::{base64, encoded_words, fold_ascii, WordEnc};
use super::people::{Person, ORGS};
use super::places::{Place, FOLDERS, LISTS, LIST_DOMAIN};
use super::plan::{Plan, NONE};
use super::random::{hash, Rng, K_ID};
use super::render::Renderer;

pub(super) const HOSTS: [&str; 6] = ["mx1", "thyme", "kiwi", "mail-gw2", "orchid", "smtp-out3"];

impl Renderer<'_> {
    /// The header block (without the `Content-*` headers) in the order
    /// and shape of the sender's mail client.
    pub(super) fn headers(
        &mut self,
        e: u32,
        client: u8,
        sender: &Person,
        rng: &mut Rng,
        out: &mut Vec<u8>,
    ) {
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
        let utc = plan.utc(e);
        let id_of = plan.id_owner(e);
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
        let id_of = plan.id_owner(e);
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
        let utc = plan.utc(e);
        let id_of = plan.id_owner(e);
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
        let id_of = plan.id_owner(e);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scramble48_is_injective() {
        let mut seen = std::collections::HashSet::new();
        for e in (0..300_000).chain(u32::MAX - 1000..=u32::MAX) {
            assert!(seen.insert(scramble48(e)), "{e}");
        }
    }
}
