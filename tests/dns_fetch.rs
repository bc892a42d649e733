//! DKIM keys from DNS, only when asked: `trawl keys fetch` and `F` in the
//! browser ask a DNS server (here a fake one on localhost, named with
//! `TRAWL_DNS_SERVER`) for the signers' keys and keep each with the time
//! it was fetched; a rotated key is kept beside the old one.

mod common;

use std::net::UdpSocket;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use common::signing::{rsa_signer, three_messages};
use mail_auth::hickory_resolver::proto::op::{Message, MessageType, OpCode, ResponseCode};
use mail_auth::hickory_resolver::proto::rr::rdata::TXT;
use mail_auth::hickory_resolver::proto::rr::{RData, Record};

const NAME: &str = "s1._domainkey.campagne.example";

/// A DNS server on localhost that publishes `records` (name → TXT) and
/// counts the questions it is asked.
struct FakeDns {
    addr: String,
    records: Arc<Mutex<Vec<(String, String)>>>,
    asked: Arc<AtomicUsize>,
}

impl FakeDns {
    fn start(records: Vec<(String, String)>) -> FakeDns {
        let socket = UdpSocket::bind("127.0.0.1:0").expect("bind");
        let addr = socket.local_addr().expect("addr").to_string();
        let records = Arc::new(Mutex::new(records));
        let asked = Arc::new(AtomicUsize::new(0));
        let (r, a) = (Arc::clone(&records), Arc::clone(&asked));
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok((n, from)) = socket.recv_from(&mut buf) {
                let Ok(query) = Message::from_vec(&buf[..n]) else {
                    continue;
                };
                a.fetch_add(1, Ordering::SeqCst);
                let reply = answer(&query, &r.lock().expect("lock"));
                let _ = socket.send_to(&reply.to_vec().expect("encode"), from);
            }
        });
        FakeDns {
            addr,
            records,
            asked,
        }
    }

    fn asked(&self) -> usize {
        self.asked.load(Ordering::SeqCst)
    }
}

fn answer(query: &Message, records: &[(String, String)]) -> Message {
    let mut reply = Message::new(query.id(), MessageType::Response, OpCode::Query);
    reply.set_recursion_available(true);
    let Some(q) = query.queries().first() else {
        return reply;
    };
    reply.add_query(q.clone());
    let name = q
        .name()
        .to_ascii()
        .trim_end_matches('.')
        .to_ascii_lowercase();
    let mut found = false;
    for (n, record) in records {
        if *n == name && record == "REFUSED" {
            reply.set_response_code(ResponseCode::Refused);
            return reply;
        }
        if *n == name {
            found = true;
            // Long records travel as several strings of at most 255 bytes.
            let parts = record
                .as_bytes()
                .chunks(200)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect();
            reply.add_answer(Record::from_rdata(
                q.name().clone(),
                300,
                RData::TXT(TXT::new(parts)),
            ));
        }
    }
    if !found {
        reply.set_response_code(ResponseCode::NXDomain);
    }
    reply
}

fn trawl(args: &[&str], data: &Path, dns: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trawl"))
        .args(args)
        .env("TRAWL_DATA_DIR", data)
        .env("TRAWL_DNS_SERVER", dns)
        .env("NO_COLOR", "1")
        .output()
        .expect("run trawl")
}

fn out(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn keys_fetch_asks_only_for_signers_without_a_key_and_keeps_rotations() {
    let s = rsa_signer();
    let (_tmp, root) = three_messages(&s);
    let dump = root.to_str().expect("utf-8");
    let data = common::data_dir();
    let dns = FakeDns::start(vec![(NAME.into(), s.record.clone())]);

    let before = trawl(&["search", dump, "dkim:pass"], data.path(), &dns.addr);
    assert_eq!(
        out(&before).0,
        "",
        "nothing verifies before the key is fetched"
    );
    assert_eq!(dns.asked(), 0, "nothing asks DNS unless told to");

    let first = trawl(&["keys", "fetch", dump], data.path(), &dns.addr);
    let (stdout, stderr) = out(&first);
    assert!(first.status.success(), "{stderr}");
    assert_eq!(stdout, format!("{NAME}\tnew key kept\n"));
    assert!(stderr.contains("1 of 1 name published a key"), "{stderr}");
    assert_eq!(dns.asked(), 1, "one signer, one question");

    let list = out(&trawl(&["keys", "list", dump], data.path(), &dns.addr)).0;
    let row: Vec<&str> = list.lines().next().expect("a key").split('\t').collect();
    assert_eq!((row[0], row[2], row[3]), (NAME, "dns", s.record.as_str()));
    assert!(row[1].ends_with("UTC"), "kept with its time: {}", row[1]);

    let after = out(&trawl(
        &["search", dump, "dkim:pass"],
        data.path(),
        &dns.addr,
    ))
    .0;
    assert!(after.contains("intact"), "{after}");
    assert!(!after.contains("altered"), "{after}");

    // Asked again only with --again; a different key then is kept too.
    let again = out(&trawl(&["keys", "fetch", dump], data.path(), &dns.addr)).1;
    assert!(
        again.contains("the keys of all 1 signer are kept"),
        "{again}"
    );
    assert_eq!(dns.asked(), 1);
    let rotated = rsa_signer();
    *dns.records.lock().expect("lock") = vec![(NAME.into(), rotated.record.clone())];
    let third = out(&trawl(
        &["keys", "fetch", dump, "--again"],
        data.path(),
        &dns.addr,
    ))
    .0;
    assert!(third.contains("both kept"), "{third}");
    let list = out(&trawl(&["keys", "list", dump], data.path(), &dns.addr)).0;
    assert_eq!(
        list.lines().count(),
        2,
        "the old key stays for old mail: {list}"
    );
    let still = out(&trawl(
        &["search", dump, "dkim:pass"],
        data.path(),
        &dns.addr,
    ))
    .0;
    assert!(
        still.contains("intact"),
        "verified with the older key: {still}"
    );
}

#[test]
fn a_key_not_published_and_a_server_that_does_not_answer_are_told_apart() {
    let s = rsa_signer();
    let (_tmp, root) = three_messages(&s);
    let dump = root.to_str().expect("utf-8");
    let data = common::data_dir();
    let dns = FakeDns::start(Vec::new());
    let none = trawl(&["keys", "fetch", dump], data.path(), &dns.addr);
    assert!(none.status.success());
    assert!(
        out(&none).0.contains("no key published"),
        "{}",
        out(&none).0
    );

    // A server that refuses to answer has not said there is no key.
    *dns.records.lock().expect("lock") = vec![(NAME.into(), "REFUSED".into())];
    let refused = trawl(&["keys", "fetch", dump], data.path(), &dns.addr);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        out(&refused)
            .0
            .contains("failed: the DNS server answered Query Refused"),
        "{}",
        out(&refused).0
    );

    // A port nothing listens on: said in one line.
    let closed = UdpSocket::bind("127.0.0.1:0").expect("bind");
    let addr = closed.local_addr().expect("addr").to_string();
    drop(closed);
    let start = std::time::Instant::now();
    let failed = trawl(&["keys", "fetch", dump], data.path(), &addr);
    let (stdout, stderr) = out(&failed);
    assert_eq!(failed.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("failed:"), "{stdout}");
    assert!(stderr.contains("could not be asked"), "{stderr}");
    assert!(start.elapsed().as_secs() < 30);
    let bad = trawl(&["keys", "fetch", dump], data.path(), "not-an-address");
    assert_eq!(bad.status.code(), Some(1));
    assert!(out(&bad).1.contains("is not ip:port"), "{}", out(&bad).1);
}

/// `F` in the browser: the preview and the tree mark change as soon as
/// DNS answers.
#[test]
fn f_fetches_the_selected_messages_key_and_its_verdict_follows() {
    use trawl::tui::action::Action;
    use trawl::tui::app::App;
    use trawl::workspace::Workspace;

    let s = rsa_signer();
    let (_tmp, root) = three_messages(&s);
    let data = common::data_dir();
    let dns = FakeDns::start(vec![(NAME.into(), s.record.clone())]);
    // Only this test of this binary runs the browser in-process.
    std::env::set_var("TRAWL_DNS_SERVER", &dns.addr);
    let ws = Workspace::open_in(&root, data.path()).expect("open");
    let mut app = App::new(
        ws,
        trawl::tui::keymap::Keymap::builtin(),
        trawl::tui::theme::Theme { color: false },
        (100, 30),
    );
    let intact = (0..app.ws.scan.docs.len())
        .find(|&d| app.ws.doc(d).subject() == "intact")
        .expect("intact");
    app.go_to_doc(intact);
    app.update(Action::Idle);
    let screen = || common::text(&common::render(&app));
    assert!(screen().contains("key unknown"), "{}", screen());
    app.update(Action::FetchKeys);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let reports = app.worker_reports();
        let done = reports.iter().any(|a| matches!(a, Action::KeysFetched(..)));
        for a in reports {
            app.update(a);
        }
        if done {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "DNS never answered");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let shown = common::text(&common::render(&app));
    assert!(
        shown.contains("DNS: s1._domainkey.campagne.example: new key kept"),
        "{shown}"
    );
    assert!(shown.contains("DKIM: verified"), "{shown}");
    let row = shown
        .lines()
        .find(|l| l.contains("intact"))
        .expect("intact row")
        .to_string();
    assert!(row.contains('✓'), "{row}");
    assert_eq!(dns.asked(), 1);
}
