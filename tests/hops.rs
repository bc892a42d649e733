//! Header forensics on crafted headers: the Received chain read as hops
//! in travel order, and each anomaly flagged — time travel, a Date far
//! from the first hop, a Message-ID from another domain, missing headers,
//! no Received field at all.

mod common;

use std::fmt::Write as _;

use trawl::auth::hops::analyse;

/// A message with `received` as its Received fields (top first, as
/// servers add them) and the other headers given.
fn message(received: &[&str], date: &str, id: &str, extra: &str) -> Vec<u8> {
    let mut m = String::new();
    for r in received {
        let _ = write!(m, "Received: {r}\r\n");
    }
    m.push_str("From: Jean Moulinier <jean@campagne.example>\r\nTo: t@campagne.example\r\n");
    if !date.is_empty() {
        let _ = write!(m, "Date: {date}\r\n");
    }
    if !id.is_empty() {
        let _ = write!(m, "Message-ID: {id}\r\n");
    }
    m.push_str(extra);
    m.push_str("Subject: Virement\r\n\r\nbody\r\n");
    m.into_bytes()
}

const CHAIN: [&str; 3] = [
    "from relay.example (relay.example [192.0.2.7]) by mx.presse.example with ESMTPS; Thu, 16 Mar 2017 10:02:15 +0100",
    "from mail.campagne.example (mail.campagne.example [198.51.100.2]) by relay.example with ESMTP; Thu, 16 Mar 2017 09:02:13 +0000",
    "from [10.0.0.5] (laptop [10.0.0.5]) by mail.campagne.example with ESMTPSA; Thu, 16 Mar 2017 10:02:12 +0100",
];

#[test]
fn an_ordinary_chain_reads_in_travel_order_with_nothing_flagged() {
    let raw = message(
        &CHAIN,
        "Thu, 16 Mar 2017 10:02:11 +0100",
        "<v1@campagne.example>",
        "MIME-Version: 1.0\r\n",
    );
    let f = analyse(&raw).expect("mail");
    let by: Vec<&str> = f.hops.iter().map(|h| h.by.as_str()).collect();
    assert_eq!(
        by,
        [
            "mail.campagne.example",
            "relay.example",
            "mx.presse.example"
        ]
    );
    assert_eq!(f.hops[1].from, "mail.campagne.example [198.51.100.2]");
    assert_eq!(f.hops[0].at_text, "2017-03-16 10:02:12 +0100");
    assert!(f.hops.windows(2).all(|w| w[0].at <= w[1].at));
    assert!(f.findings.is_empty(), "{:?}", f.findings);
}

#[test]
fn a_hop_stamped_before_the_one_before_it_is_time_travel() {
    let mut chain = CHAIN;
    chain[1] =
        "from mail.campagne.example by relay.example with ESMTP; Thu, 16 Mar 2017 07:02:13 +0000";
    let raw = message(
        &chain,
        "Thu, 16 Mar 2017 10:02:11 +0100",
        "<v1@campagne.example>",
        "MIME-Version: 1.0\r\n",
    );
    let f = analyse(&raw).expect("mail");
    assert_eq!(
        f.findings,
        ["hop 2 (relay.example) is 1 h 59 min earlier than the hop before it"]
    );
    assert!(f.hops[1].time_travel.is_some());
    assert!(f.hops[0].time_travel.is_none() && f.hops[2].time_travel.is_none());
}

#[test]
fn a_date_days_from_the_first_hop_a_foreign_message_id_and_missing_headers_are_flagged() {
    let raw = message(
        &CHAIN,
        "Mon, 13 Mar 2017 10:02:11 +0100",
        "<CAF=x@mail.gmail.com>",
        "",
    );
    let f = analyse(&raw).expect("mail");
    assert_eq!(
        f.findings,
        [
            "Date: is 3 days before the first hop",
            "Message-ID was made at mail.gmail.com, not at the sender's domain campagne.example",
            "missing MIME-Version, which mail clients always write",
        ]
    );
}

#[test]
fn a_message_that_never_met_a_server_says_so() {
    let raw = message(&[], "", "", "");
    let f = analyse(&raw).expect("mail");
    assert!(f.hops.is_empty());
    assert_eq!(
        f.findings,
        [
            "missing Date, Message-ID, MIME-Version, which mail clients always write",
            "no Received: field: it never went through a mail server",
        ]
    );
}

#[test]
fn hostile_headers_do_not_hang_or_flood() {
    // Thousands of Received fields: the first 100 hops are listed.
    let many: Vec<String> = (0..5000)
        .map(|i| {
            format!(
                "from h{i}.example by h{}.example; Thu, 16 Mar 2017 10:02:11 +0100",
                i + 1
            )
        })
        .collect();
    let refs: Vec<&str> = many.iter().map(String::as_str).collect();
    let f = analyse(&message(&refs, "", "", "")).expect("mail");
    assert_eq!(f.hops.len(), 100);
    assert_eq!(
        f.hops[0].by, "h5000.example",
        "the bottom field is the first hop"
    );
    assert!(f
        .findings
        .iter()
        .any(|l| l.starts_with("5000 Received: fields")));
    assert!(analyse(b"").is_none_or(|f| f.hops.is_empty()));
}

/// `H` in the browser: the findings, then the hops with their times, at
/// 100x30; `H` again goes back to the preview.
#[test]
fn the_hops_view_in_the_browser() {
    use trawl::tui::action::Action;
    use trawl::tui::app::App;
    use trawl::tui::keymap::Keymap;
    use trawl::tui::theme::Theme;
    use trawl::workspace::Workspace;

    let mut chain = CHAIN;
    chain[1] =
        "from mail.campagne.example by relay.example with ESMTP; Thu, 16 Mar 2017 07:02:13 +0000";
    let raw = message(
        &chain,
        "Thu, 16 Mar 2017 10:02:11 +0100",
        "<CAF=x@mail.gmail.com>",
        "MIME-Version: 1.0\r\n",
    );
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("dump");
    std::fs::create_dir(&root).expect("dump");
    std::fs::write(root.join("m.eml"), raw).expect("write");
    let data = common::data_dir();
    let ws = Workspace::open_in(&root, data.path()).expect("open");
    let mut app = App::new(ws, Keymap::builtin(), Theme { color: false }, (100, 30));
    while app.selected_doc().is_none() {
        app.update(Action::Down);
    }
    app.update(Action::HeaderHops);
    let screen = common::text(&common::render(&app));
    let pane: Vec<String> = screen
        .lines()
        .take(14)
        .map(|l| l.chars().skip(50).collect())
        .collect();
    let pane = pane.join("\n");
    insta::assert_snapshot!("hops_view_100x30", pane);
    assert!(pane.contains("relay.example"), "{pane}");
    app.update(Action::HeaderHops);
    assert!(common::text(&common::render(&app)).contains("Subject: Virement"));
}
