//! Header forensics: the `Received:` chain as hops, oldest first, and what
//! in a message's headers does not add up — a hop stamped earlier than the
//! one before it, a `Date:` far from the first hop, a Message-ID minted
//! under another domain than the sender's, headers every real mail client
//! writes that are missing. mail-parser reads the `Received:` fields;
//! the checks are glue.

use mail_parser::{Address, HeaderValue, Host, MessageParser};

use super::{domain_of, within};

/// A hop earlier than the one before it by more than this is flagged
/// (clocks of mail servers drift a little).
const CLOCK_SLACK: i64 = 5 * 60;
/// `Date:` further than this from the first hop is flagged.
const DATE_SLACK: i64 = 60 * 60;
/// Most hops listed (a loop or a stuffed header stops here).
const MAX_HOPS: usize = 100;

/// One `Received:` field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    /// The sending host as it named itself or was seen (`from`), and the
    /// receiving host (`by`); empty when not given.
    pub from: String,
    pub by: String,
    /// When the receiving host stamped it (seconds since 1970, UTC).
    pub at: Option<i64>,
    /// That time as written (with its zone), for display.
    pub at_text: String,
    /// Set when this hop is earlier than the one before it.
    pub time_travel: Option<String>,
}

/// What the headers of one message show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Forensics {
    /// The hops in the order the message travelled: the bottom
    /// `Received:` field (the first server) first.
    pub hops: Vec<Hop>,
    /// One line per thing that does not add up, most telling first.
    pub findings: Vec<String>,
}

/// Read the headers of a raw message; `None` when it is not mail.
pub fn analyse(raw: &[u8]) -> Option<Forensics> {
    let msg = MessageParser::default().parse_headers(raw)?;
    let all: Vec<Hop> = msg
        .header_values("Received")
        .filter_map(|v| match v {
            HeaderValue::Received(r) => Some(hop(r)),
            _ => None,
        })
        .collect();
    let total = all.len();
    // Each server adds its field on top: the bottom one is the first hop.
    let mut hops: Vec<Hop> = all.into_iter().rev().take(MAX_HOPS).collect();
    let mut findings = Vec::new();
    let mut last: Option<i64> = None;
    for (i, h) in hops.iter_mut().enumerate() {
        if let (Some(before), Some(at)) = (last, h.at) {
            if at + CLOCK_SLACK < before {
                let why = format!("{} earlier than the hop before it", span(before - at));
                findings.push(format!("hop {} ({}) is {why}", i + 1, host_or(&h.by)));
                h.time_travel = Some(why);
            }
        }
        last = h.at.or(last);
    }
    let date = msg.date().map(mail_parser::DateTime::to_timestamp);
    match (date, hops.iter().find_map(|h| h.at)) {
        (Some(date), Some(first)) if (date - first).abs() > DATE_SLACK => {
            let side = if date < first { "before" } else { "after" };
            findings.push(format!(
                "Date: is {} {side} the first hop",
                span((date - first).abs())
            ));
        }
        _ => {}
    }
    let from_domain = first_address(msg.from()).and_then(|a| domain_of(&a));
    let id_domain = msg.message_id().and_then(domain_of);
    if let (Some(from), Some(id)) = (&from_domain, &id_domain) {
        if !related(from, id) {
            findings.push(format!(
                "Message-ID was made at {id}, not at the sender's domain {from}"
            ));
        }
    }
    let missing: Vec<&str> = ["From", "Date", "Message-ID", "MIME-Version"]
        .into_iter()
        .filter(|h| msg.header(*h).is_none())
        .collect();
    if !missing.is_empty() {
        findings.push(format!(
            "missing {}, which mail clients always write",
            missing.join(", ")
        ));
    }
    if hops.is_empty() {
        findings.push("no Received: field: it never went through a mail server".into());
    }
    if total > MAX_HOPS {
        findings.push(format!(
            "{total} Received: fields (a loop, or stuffed); the first {MAX_HOPS} hops are listed"
        ));
    }
    Some(Forensics { hops, findings })
}

fn hop(r: &mail_parser::Received<'_>) -> Hop {
    let host = |h: &Option<Host<'_>>| match h {
        Some(Host::Name(n)) => n.to_string(),
        Some(Host::IpAddr(ip)) => ip.to_string(),
        None => String::new(),
    };
    let mut from = host(&r.from);
    if let Some(ip) = r.from_ip {
        if from.is_empty() {
            from = ip.to_string();
        } else if from != ip.to_string() {
            from = format!("{from} [{ip}]");
        }
    }
    Hop {
        from,
        by: host(&r.by),
        at: r.date.as_ref().map(mail_parser::DateTime::to_timestamp),
        at_text: r
            .date
            .as_ref()
            .map(crate::preview::format_date)
            .unwrap_or_default(),
        time_travel: None,
    }
}

fn host_or(s: &str) -> &str {
    if s.is_empty() {
        "unnamed host"
    } else {
        s
    }
}

fn first_address(a: Option<&Address<'_>>) -> Option<String> {
    a?.first()?.address().map(str::to_string)
}

/// The same domain, or one below the other (`mail.example.org` and
/// `example.org`).
fn related(a: &str, b: &str) -> bool {
    within(a, b) || within(b, a)
}

/// A duration as people say it: `42 s`, `7 min`, `3 h 5 min`, `2 days`.
fn span(secs: i64) -> String {
    match secs {
        s if s < 60 => format!("{s} s"),
        s if s < 3600 => format!("{} min", s / 60),
        s if s < 2 * 86_400 => format!("{} h {} min", s / 3600, s % 3600 / 60),
        s => format!("{} days", s / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(span(42), "42 s");
        assert_eq!(span(7 * 60 + 5), "7 min");
        assert_eq!(span(3 * 3600 + 5 * 60), "3 h 5 min");
        assert_eq!(span(3 * 86_400), "3 days");
        assert!(related("campagne.example", "mail.campagne.example"));
        assert!(!related("campagne.example", "gmail.com"));
        assert!(!related("ample.com", "example.com"));
    }
}
