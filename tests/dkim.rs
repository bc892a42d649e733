//! DKIM checks on messages this test signs itself with keys it generates:
//! a message as signed verifies; one byte of body changed is "body
//! altered"; a signed header changed is "signature invalid"; text appended
//! after an `l=` signature still verifies and is reported as unsigned; an
//! unknown key still gets its body hash checked. And a real signed message
//! from the corpus, whose key is not at hand.

mod common;

use common::signing::{
    ed25519_signer, rsa_signer, signed, signed_as, three_messages, Signer, MESSAGE,
};
use trawl::auth::dkim::{check, summary, SignatureCheck, Summary, Verdict};

fn keys(s: &Signer) -> impl Fn(&str) -> Vec<String> + '_ {
    move |name| {
        if name == "s1._domainkey.campagne.example" {
            vec![s.record.clone()]
        } else {
            Vec::new()
        }
    }
}

#[test]
fn a_message_as_signed_verifies() {
    let s = rsa_signer();
    let raw = signed(&s, MESSAGE, false);
    let got = check(raw.as_bytes(), &keys(&s));
    assert_eq!(got.len(), 1);
    let c = &got[0];
    assert_eq!(c.verdict(), Verdict::Verified);
    assert_eq!(
        (c.domain.as_str(), c.selector.as_str(), c.aligned),
        ("campagne.example", "s1", true)
    );
    let mut signed_headers = c.headers.clone();
    signed_headers.sort();
    assert_eq!(signed_headers, ["date", "from", "subject", "to"]);
    assert_eq!(c.length, None);
    assert_eq!(summary(&got), Summary::Pass);
}

#[test]
fn a_signed_message_stored_with_unix_line_ends_still_verifies() {
    let s = rsa_signer();
    let raw = signed(&s, MESSAGE, false).replace("\r\n", "\n");
    assert_eq!(
        check(raw.as_bytes(), &keys(&s))[0].verdict(),
        Verdict::Verified
    );
}

#[test]
fn one_byte_of_body_changed_is_body_altered() {
    let s = rsa_signer();
    let raw = signed(&s, MESSAGE, false).replace("48 000", "88 000");
    let got = check(raw.as_bytes(), &keys(&s));
    assert_eq!(got[0].verdict(), Verdict::BodyAltered);
    // The headers, bh= included, are still as signed.
    assert_eq!(got[0].signature, SignatureCheck::Verified);
    assert_eq!(summary(&got), Summary::Fail);
}

#[test]
fn a_signed_header_changed_is_signature_invalid() {
    let s = rsa_signer();
    let raw = signed(&s, MESSAGE, false)
        .replace("Subject: Virement Verdanne", "Subject: Virement Kessler");
    let got = check(raw.as_bytes(), &keys(&s));
    assert!(got[0].body_ok);
    assert_eq!(got[0].verdict(), Verdict::SignatureInvalid);
    assert_eq!(summary(&got), Summary::Fail);
}

#[test]
fn text_appended_after_a_length_limited_signature_is_reported_unsigned() {
    let s = rsa_signer();
    let raw = signed(&s, MESSAGE, true) + "PS: annulez tout.\r\n";
    let got = check(raw.as_bytes(), &keys(&s));
    assert_eq!(got[0].verdict(), Verdict::Verified);
    let (signed_len, unsigned) = got[0].length.expect("l= is set");
    assert!(signed_len > 0);
    assert_eq!(unsigned, "PS: annulez tout.\r\n".len() as u64);
    let lines = trawl::auth::dkim::describe(&got);
    assert!(
        lines[2]
            .1
            .ends_with("; l= leaves the last 19 body bytes unsigned"),
        "{lines:?}"
    );
}

#[test]
fn without_the_key_the_body_hash_is_still_checked() {
    let s = rsa_signer();
    let none = |_: &str| Vec::new();
    let raw = signed(&s, MESSAGE, false);
    let got = check(raw.as_bytes(), &none);
    assert_eq!(got[0].verdict(), Verdict::KeyUnknown);
    assert!(got[0].body_ok);
    assert_eq!(summary(&got), Summary::Unknown);
    let altered = raw.replace("demain", "lundi");
    let got = check(altered.as_bytes(), &none);
    assert_eq!(
        (got[0].verdict(), &got[0].signature),
        (Verdict::BodyAltered, &SignatureCheck::KeyUnknown)
    );
    // Another key than the signer's: invalid, not verified.
    let other = rsa_signer();
    let got = check(raw.as_bytes(), &keys(&other));
    assert_eq!(got[0].verdict(), Verdict::SignatureInvalid);
    // The key rotated: the newer one fails, the older one still verifies.
    let both = |_: &str| vec![other.record.clone(), s.record.clone()];
    assert_eq!(check(raw.as_bytes(), &both)[0].verdict(), Verdict::Verified);
}

#[test]
fn a_signature_that_cannot_be_read_is_reported_not_hidden() {
    let raw = format!("DKIM-Signature: v=1; a=rsa-sha256; this is not a signature\r\n{MESSAGE}");
    let got = check(raw.as_bytes(), &|_| Vec::new());
    assert_eq!(got.len(), 1, "a broken signature is not 'unsigned'");
    assert_eq!(got[0].verdict(), Verdict::Unreadable);
    assert_eq!(summary(&got), Summary::Unknown);
    let lines = trawl::auth::dkim::describe(&got);
    assert_eq!(lines.len(), 1);
    assert!(
        lines[0].1.starts_with("unreadable signature: "),
        "{lines:?}"
    );
}

#[test]
fn unsigned_mail_has_no_signatures() {
    assert!(check(MESSAGE.as_bytes(), &|_| Vec::new()).is_empty());
    assert_eq!(summary(&[]), Summary::None);
}

#[test]
fn ed25519_signatures_verify_too() {
    let s = ed25519_signer();
    let raw = signed(&s, MESSAGE, false);
    assert_eq!(
        check(raw.as_bytes(), &keys(&s))[0].verdict(),
        Verdict::Verified
    );
    let forged = raw.replace("From: Jean Moulinier", "From: Jean Mouliner");
    assert_eq!(
        check(forged.as_bytes(), &keys(&s))[0].verdict(),
        Verdict::SignatureInvalid
    );
}

#[test]
fn a_signature_for_another_domain_is_not_aligned() {
    let s = rsa_signer();
    let raw = signed(
        &s,
        &MESSAGE.replace("jean@campagne.example", "jean@elsewhere.example"),
        false,
    );
    let got = check(raw.as_bytes(), &keys(&s));
    assert_eq!(got[0].verdict(), Verdict::Verified);
    assert!(!got[0].aligned);
    assert_eq!(
        summary(&got),
        Summary::Unknown,
        "verified, but not for the From domain"
    );
    let sub = signed(
        &s,
        &MESSAGE.replace("jean@campagne.example", "jean@paris.campagne.example"),
        false,
    );
    assert!(
        check(sub.as_bytes(), &keys(&s))[0].aligned,
        "a subdomain aligns"
    );
}

/// Real signed mail from the corpus (a mailing-list archive): no key is
/// at hand, so every signature says "key unknown", and each body hash is
/// still recomputed. (The list added its footer to every body after the
/// senders signed them, so each shows as changed since signing.)
#[test]
fn real_signed_mail_without_its_key_still_gets_its_body_hash_checked() {
    let Some(dir) = common::corpus("usrp-users-mbox") else {
        return;
    };
    let mbox = std::fs::read(dir.join("usrp-users-2019-04.mbox")).expect("mbox");
    let text = String::from_utf8_lossy(&mbox);
    let (mut messages, mut signatures, mut intact) = (0, 0, 0);
    for message in text
        .split("\nFrom ")
        .filter(|m| m.contains("\nDKIM-Signature:"))
    {
        // Drop the mbox "From " line.
        let raw = message.split_once('\n').map_or("", |(_, rest)| rest);
        let got = check(raw.as_bytes(), &|_| Vec::new());
        messages += 1;
        signatures += got.len();
        intact += got.iter().filter(|c| c.body_ok).count();
        for c in &got {
            assert_eq!(c.signature, SignatureCheck::KeyUnknown);
            assert!(!c.domain.is_empty() && !c.selector.is_empty());
            assert!(
                c.headers.iter().any(|h| h == "from"),
                "From is always signed"
            );
        }
    }
    println!(
        "usrp-users-2019-04.mbox: {messages} signed messages, {signatures} signatures, \
         {intact} bodies as signed, {} changed since signing; no key at hand for any",
        signatures - intact
    );
    assert!(messages >= 10, "{messages} signed messages");
    assert!(signatures >= messages);
}

/// The authenticity lines of the preview, in the browser at 80x24, for a
/// verified message, one whose body was changed, one signed with a key
/// the project does not have, and one not signed at all. The key is
/// imported into the project as `trawl keys import` does.
#[test]
fn the_preview_shows_each_verdict() {
    use trawl::tui::action::Action;
    use trawl::tui::app::App;
    use trawl::tui::keymap::Keymap;
    use trawl::tui::theme::Theme;
    use trawl::workspace::Workspace;

    let s = rsa_signer();
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("dump");
    std::fs::create_dir(&root).expect("dump");
    let message = |subject: &str, day: u32| {
        MESSAGE
            .replace("Virement Verdanne", subject)
            .replace("16 Mar", &format!("{day} Mar"))
            .replace("<v1@", &format!("<v{day}@"))
    };
    let files = [
        (
            "verified.eml",
            signed(&s, &message("Signed and intact", 16), false),
        ),
        (
            "altered.eml",
            signed(&s, &message("Body changed after signing", 17), false)
                .replace("48 000", "88 000"),
        ),
        (
            "nokey.eml",
            signed_as(&s, &message("Signed with another key", 18), false, "s9"),
        ),
        ("plain.eml", message("Not signed", 19)),
    ];
    for (name, text) in &files {
        std::fs::write(root.join(name), text).expect("write");
    }
    let data = common::data_dir();
    let ws = Workspace::open_in(&root, data.path()).expect("open");
    ws.project
        .store
        .add_dkim_key("s1._domainkey.campagne.example", &s.record, "test")
        .expect("key");
    let mut app = App::new(ws, Keymap::builtin(), Theme { color: false }, (80, 24));
    let mut screens = Vec::new();
    for subject in [
        "Signed and intact",
        "Body changed after signing",
        "Signed with another key",
        "Not signed",
    ] {
        app.update(Action::Top);
        for _ in 0..10 {
            let here = app
                .selected_doc()
                .map(|d| app.ws.doc(d).subject().to_string());
            if here.as_deref() == Some(subject) {
                break;
            }
            app.update(Action::Down);
        }
        let screen = common::text(&common::render(&app));
        // The preview pane: the right half of the screen's top rows.
        let pane: Vec<String> = screen
            .lines()
            .take(14)
            .map(|l| l.chars().skip(40).collect())
            .collect();
        screens.push(format!("{subject}:\n{}", pane.join("\n")));
    }
    let all = screens.join("\n\n");
    for expected in [
        "DKIM: verified",
        "DKIM: body altered, headers ok",
        "DKIM: key unknown, body intact",
        "Signer: campagne.example (From)",
        "Signed: s=s9: date, subject",
        "DKIM: unsigned",
    ] {
        assert!(
            all.lines().any(|l| l
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .contains(expected)),
            "{expected:?} not shown:\n{all}"
        );
    }
    insta::assert_snapshot!("dkim_verdicts_80x24", all);
}

/// `dkim:` in search: the verdict of each message, and again after a key
/// is imported (the signed messages are indexed again; the rest are not).
#[test]
fn dkim_search_follows_the_keys() {
    use trawl::search::eval::{self, HashIndex, Order};
    use trawl::search::fulltext::FullText;
    use trawl::search::query;
    use trawl::workspace::Workspace;

    let s = rsa_signer();
    let (_tmp, root) = three_messages(&s);
    let data = common::data_dir();
    let ws = Workspace::open_in(&root, data.path()).expect("open");
    let hashes = HashIndex::new(&ws.scan.docs);
    let find = |ft: &FullText, q: &str| -> Vec<String> {
        let q = query::parse(q).expect("query");
        let mut found: Vec<String> = eval::run(&q, &ws, ft, &hashes, Order::Relevance)
            .expect("run")
            .into_iter()
            .map(|d| ws.doc(d).subject().to_string())
            .collect();
        found.sort();
        found
    };
    let ft = FullText::open(&ws.project.dir).expect("index");
    ft.sync(&ws.scan.root, &ws.scan.docs, &|_, _| {})
        .expect("sync");
    assert_eq!(find(&ft, "dkim:unknown"), ["intact"]);
    assert_eq!(find(&ft, "dkim:fail"), ["altered"]);
    assert_eq!(find(&ft, "dkim:none"), ["plain"]);
    assert!(find(&ft, "dkim:pass").is_empty());
    assert!(query::parse("dkim:maybe").is_err());

    ws.project
        .store
        .add_dkim_key("s1._domainkey.campagne.example", &s.record, "test")
        .expect("key");
    let ft = FullText::open(&ws.project.dir).expect("index");
    let stats = ft
        .sync(&ws.scan.root, &ws.scan.docs, &|_, _| {})
        .expect("sync");
    assert_eq!(
        stats.added, 2,
        "only the two signed messages are indexed again"
    );
    assert_eq!(find(&ft, "dkim:pass"), ["intact"]);
    assert_eq!(find(&ft, "dkim:fail"), ["altered"]);
    assert!(find(&ft, "dkim:unknown").is_empty());
    assert_eq!(find(&ft, "dkim:pass OR dkim:none"), ["intact", "plain"]);
    let again = ft
        .sync(&ws.scan.root, &ws.scan.docs, &|_, _| {})
        .expect("sync");
    assert_eq!(again.added, 0, "unchanged keys: nothing indexed again");
}

/// The tree marks each signed message with its verdict (as the browser
/// does once its search index is up to date), and `V` asks before tagging
/// the DKIM-verified ones "verified": "n" tags nothing, "y" tags the one
/// that verified and nothing else.
#[test]
fn the_tree_marks_verdicts_and_v_tags_the_verified() {
    use trawl::search::fulltext::FullText;
    use trawl::tui::action::Action;
    use trawl::tui::app::{App, Mode};
    use trawl::tui::prompt::Prompt;
    use trawl::workspace::Workspace;

    let s = rsa_signer();
    let (_tmp, root) = three_messages(&s);
    let data = common::data_dir();
    let ws = Workspace::open_in(&root, data.path()).expect("open");
    ws.project
        .store
        .add_dkim_key("s1._domainkey.campagne.example", &s.record, "test")
        .expect("key");
    let ft = FullText::open(&ws.project.dir).expect("index");
    ft.sync(&ws.scan.root, &ws.scan.docs, &|_, _| {})
        .expect("sync");
    let marks = ft.dkim_summaries().expect("marks");
    let mut app = App::new(
        ws,
        trawl::tui::keymap::Keymap::builtin(),
        trawl::tui::theme::Theme { color: false },
        (100, 20),
    );
    app.update(Action::DkimMarks(marks));
    let screen = common::text(&common::render(&app));
    let row = |subject: &str| -> String {
        screen
            .lines()
            .find(|l| l.contains(subject))
            .unwrap_or_else(|| panic!("{subject} row:\n{screen}"))
            .chars()
            .take(50)
            .collect::<String>()
            .trim_end_matches(['│', ' '])
            .to_string()
    };
    assert!(row("intact").ends_with("intact ✓"), "{}", row("intact"));
    assert!(row("altered").ends_with("altered ✗"), "{}", row("altered"));
    assert!(row("plain").ends_with("plain"), "{}", row("plain"));

    let verified = app
        .ws
        .tags
        .iter()
        .find(|t| t.name == "verified")
        .expect("suggested tag")
        .id;
    let tagged = |app: &App| -> Vec<String> {
        (0..app.ws.scan.docs.len())
            .filter(|&d| app.ws.has_tag(d, verified))
            .map(|d| app.ws.doc(d).subject().to_string())
            .collect()
    };
    app.update(Action::TagVerified);
    assert!(matches!(
        app.mode,
        Mode::Prompt {
            kind: Prompt::TagVerified { count: 1 },
            ..
        }
    ));
    let asked = common::text(&common::render(&app));
    assert!(
        asked.contains("Tag 1 DKIM-verified as \"verified\"?"),
        "{asked}"
    );
    app.update(Action::PromptInput('n'));
    app.update(Action::PromptSubmit);
    assert!(tagged(&app).is_empty());
    app.update(Action::TagVerified);
    app.update(Action::PromptInput('y'));
    app.update(Action::PromptSubmit);
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(tagged(&app), ["intact"]);

    // Deleted (or renamed) by the user, the tag is made again when asked.
    app.ws.delete_tag(verified).expect("delete");
    app.update(Action::TagVerified);
    app.update(Action::PromptInput('y'));
    app.update(Action::PromptSubmit);
    let again = app
        .ws
        .tags
        .iter()
        .find(|t| t.name == "verified")
        .expect("made again");
    assert_ne!(again.id, verified);
    let again = again.id;
    let tagged: Vec<_> = (0..app.ws.scan.docs.len())
        .filter(|&d| app.ws.has_tag(d, again))
        .map(|d| app.ws.doc(d).subject().to_string())
        .collect();
    assert_eq!(tagged, ["intact"]);
}
