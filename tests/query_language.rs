//! The search language: every field, precedence, dates, errors with their
//! positions, limits, and garbage that must not panic.

use trawl::search::query::*;

/// Compact rendering, so expected trees fit in a table.
fn show(q: &Query) -> String {
    let list = |op, v: &[Query]| v.iter().fold(format!("({op}"), |s, q| s + " " + &show(q)) + ")";
    let num = |x: &Option<i64>| x.map_or(String::new(), |v| v.to_string());
    match q {
        Query::All => "ALL".into(),
        Query::Text {
            field,
            text,
            phrase,
        } => {
            let prefix = (*field != Field::Any).then(|| format!("{field:?}:"));
            prefix.unwrap_or_default()
                + &if *phrase {
                    format!("{text:?}")
                } else {
                    text.clone()
                }
        }
        Query::Tag(t) => format!("tag:{t:?}"),
        Query::Unread(u) => format!("unread:{u}"),
        Query::Tagged(t) => format!("tagged:{t}"),
        Query::Note(n) => format!("note:{n:?}"),
        Query::HasAttachment => "attachment".into(),
        Query::Date { start, end } => format!("date:{}..{}", num(start), num(end)),
        Query::And(v) => list("and", v),
        Query::Or(v) => list("or", v),
        Query::Not(q) => format!("(not {})", show(q)),
    }
}

fn check(cases: &[(&str, &str)]) {
    for &(input, want) in cases {
        let got = parse(input).map_or_else(|e| panic!("{input:?}: {e}"), |q| show(&q));
        assert_eq!(got, want, "{input:?}");
    }
}

#[test]
fn words_phrases_fields() {
    check(&[
        ("", "ALL"),
        (" \t\n ", "ALL"),
        ("enron", "enron"),
        ("  \" a  phrase \" ", r#""a  phrase""#),
        (r#""say \"hi\"""#, r#""say \"hi\"""#),
        (r#""a\\" "a\b""#, r#"(and "a\\" "a\\b")"#),
        ("a and b or not c", "(and a and b or not c)"),
        (
            "e-mail naïve 日本 x\u{301}",
            "(and e-mail naïve 日本 x\u{301})",
        ),
        (
            "12:30 http://x.org/a :x café:x a1:b",
            "(and 12:30 http://x.org/a :x café:x a1:b)",
        ),
        (r#""mailto:x" "AND""#, r#"(and "mailto:x" "AND")"#),
        (
            "from:bob to:al cc:x@y.org",
            "(and From:bob To:al Cc:x@y.org)",
        ),
        (
            "subject:hi body:cash filename:report.pdf",
            "(and Subject:hi Body:cash Filename:report.pdf)",
        ),
        (
            r#"FROM:"Bob S" Subject:"q3""#,
            r#"(and From:"Bob S" Subject:"q3")"#,
        ),
        ("from:a:b from:\"a\"b", r#"(and From:a:b From:"a" b)"#),
        (
            r#"tag:urgent Tag:"follow up""#,
            r#"(and tag:"urgent" tag:"follow up")"#,
        ),
        (
            "is:unread IS:Read has:attachment",
            "(and unread:true unread:false attachment)",
        ),
        (
            r#"is:tagged is:Untagged note:Rappeler note:"Appel Marc" has:note"#,
            r#"(and tagged:true tagged:false note:"rappeler" note:"appel marc" note:"")"#,
        ),
    ]);
    let want = Query::Text {
        field: Field::Subject,
        text: "a \"b\"".into(),
        phrase: true,
    };
    assert_eq!(parse(r#"subject:"a \"b\"""#), Ok(want));
}

#[test]
fn precedence_and_flattening() {
    check(&[
        ("a b OR c", "(or (and a b) c)"),
        ("a AND b OR c", "(or (and a b) c)"),
        ("-a b", "(and (not a) b)"),
        ("NOT a OR b", "(or (not a) b)"),
        ("a NOT b", "(and a (not b))"),
        ("a OR b c", "(or a (and b c))"),
        ("a AND b OR c d", "(or (and a b) (and c d))"),
        ("-(a OR b)", "(not (or a b))"),
        ("NOT(a OR b)", "(not (or a b))"),
        ("(a OR b) (c OR d)", "(and (or a b) (or c d))"),
        ("a (b c) AND d", "(and a b c d)"),
        ("a OR (b OR c) OR ((d))", "(or a b c d)"),
        ("((a))", "a"),
        ("--a", "(not (not a))"),
        ("NOT NOT a", "(not (not a))"),
        ("-from:bob", "(not From:bob)"),
        ("-\"a b\" x-y", r#"(and (not "a b") x-y)"#),
    ]);
}

#[test]
fn dates() {
    // Expected values computed independently with `date -u -d DAY +%s`.
    check(&[
        ("date:2017-04-01..2017-05-06", "date:1491004800..1494115200"),
        ("date:2017-04-01..", "date:1491004800.."),
        ("date:..2017-05-06", "date:..1494115200"),
        ("date:2017", "date:1483228800..1514764800"),
        ("date:2017..2017", "date:1483228800..1514764800"),
        ("date:\"2017\"", "date:1483228800..1514764800"),
        ("date:2017-03..2017", "date:1488326400..1514764800"),
        ("date:2016-02", "date:1454284800..1456790400"),
        ("date:2016-02-29", "date:1456704000..1456790400"),
        ("date:2017-02", "date:1485907200..1488326400"),
        ("date:2017-12", "date:1512086400..1514764800"),
        ("date:2000-02", "date:949363200..951868800"),
        ("date:1900-02", "date:-2206310400..-2203891200"),
        ("date:1969-12-31", "date:-86400..0"),
        ("date:9999-12-31", "date:253402214400..253402300800"),
        ("before:2017-04-01", "date:..1491004800"),
        ("before:2017", "date:..1483228800"),
        ("after:2017-05-06", "date:1494115200.."),
        ("AFTER:2017-12", "date:1514764800.."),
        ("after:2017", "date:1514764800.."),
    ]);
}

#[test]
fn errors_with_positions() {
    let cases: &[(&str, usize, &str)] = &[
        (
            "form:bob",
            0,
            "unknown field \"form\" (known: from, to, cc, subject,",
        ),
        ("a form:bob", 2, "unknown field"),
        ("é form:bob", 2, "unknown field"),
        ("日本語 mailto:x", 4, "unknown field \"mailto\""),
        ("is:maybe", 3, "unknown value \"maybe\" for is:"),
        ("has:nothing", 4, "for has:"),
        ("date:2017-13", 5, "bad date \"2017-13\""),
        ("date:2017-02-30", 5, "bad date"),
        ("date:2017-2", 5, "bad date"),
        ("date:17", 5, "bad date"),
        ("ü date:2017..20x8", 13, "bad date \"20x8\""),
        ("date:2018..2017", 5, "ends before it starts"),
        ("date:2017-05..2017-04", 5, "ends before it starts"),
        ("date:..", 5, "needs a start or an end"),
        ("before:", 7, "missing value after before:"),
        ("after:x", 6, "bad date"),
        ("from:", 5, "missing value after from:"),
        ("from: bob", 5, "missing value"),
        ("FROM:\"\"", 6, "missing value after from:"),
        ("tag:\" \"", 5, "missing value after tag:"),
        ("(a", 0, "unclosed '('"),
        ("a (", 2, "unclosed '('"),
        ("a ((b) c", 2, "unclosed '('"),
        ("a)", 1, "unmatched ')'"),
        (") a", 0, "unmatched ')'"),
        ("()", 0, "empty parentheses"),
        ("\"abc", 0, "unclosed quote"),
        ("ü \"b", 2, "unclosed quote"),
        ("\"a\\\"", 0, "unclosed quote"),
        ("\"\"", 0, "empty phrase"),
        ("a AND", 2, "AND needs a term after it"),
        ("a AND OR b", 2, "AND needs a term after it"),
        ("a OR OR b", 2, "OR needs a term after it"),
        ("OR b", 0, "OR needs a term before it"),
        ("AND b", 0, "AND needs a term before it"),
        ("(OR b)", 1, "OR needs a term before it"),
        ("NOT", 0, "NOT needs a term after it"),
        ("a NOT )", 2, "NOT needs a term after it"),
        ("(a AND)", 3, "AND needs a term after it"),
        ("- a", 0, "'-' must come directly before a term"),
        ("a -", 2, "'-' must"),
        ("-)", 0, "'-' must"),
        ("-AND", 0, "- needs a term after it"),
        ("a) from:", 1, "unmatched ')'"),
    ];
    for &(input, position, message) in cases {
        let e = parse(input).expect_err(input);
        assert_eq!(e.position, position, "{input:?}: {e}");
        assert!(e.message.contains(message), "{input:?}: {e}");
    }
    let e = parse("a form:bob").expect_err("form");
    assert!(e
        .to_string()
        .starts_with("at character 2: unknown field \"form\" (known: from,"));
}

#[test]
fn limits() {
    let many = Query::And(vec![parse("a").expect("a"); 2048]);
    assert_eq!(parse(&"a ".repeat(2048)), Ok(many));
    let e = parse(&"é".repeat(MAX_CHARS + 1)).expect_err("long");
    assert!(e.position == MAX_CHARS && e.message.contains("too long"));
    let deep = |n| format!("{}a{}", "(".repeat(n), ")".repeat(n));
    assert!(parse(&deep(MAX_DEPTH)).is_ok());
    let e = parse(&deep(MAX_DEPTH + 1)).expect_err("deep");
    assert_eq!(
        e.to_string(),
        "at character 64: too deeply nested (more than 64 levels)"
    );
    let e = parse(&format!("{}a", "NOT ".repeat(MAX_DEPTH + 1))).expect_err("not");
    assert_eq!(e.position, 4 * MAX_DEPTH);
    assert!(parse(&format!("{}a", "-".repeat(MAX_DEPTH))).is_ok());
    let e = parse(&format!("{}a", "-(".repeat(40))).expect_err("mixed");
    assert_eq!(e.position, 64);
}

#[test]
fn caret_line_and_user_state() {
    let e = parse("a form:x").expect_err("form");
    assert_eq!(e.caret_line("a form:x"), "  ^");
    let input = "日本\te\u{301} form:x";
    let e = parse(input).expect_err("form");
    assert_eq!((e.position, e.caret_line(input).as_str()), (6, "    \t  ^"));
    let uses = |s| parse(s).expect(s).uses_user_state();
    assert!(uses("a (b OR -tag:x)") && uses("NOT is:read"));
    assert!(!uses("a OR from:b date:2017 has:attachment") && !uses(""));
}

#[test]
fn garbage_never_panics() {
    let bits =
        "( ) \" \\ - : .. AND OR NOT from: date: tag: is: 2017 -04 é 日 \u{301} \0 \t x \u{1F600}";
    let bits: Vec<&str> = bits.split(' ').chain([" "]).collect();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        usize::try_from(state % 0x11_0000).unwrap_or(0)
    };
    for round in 0..10_000 {
        let mut input = String::new();
        for _ in 0..next() % 16 {
            let r = next();
            if round % 4 == 0 {
                input.extend(u32::try_from(r).ok().and_then(char::from_u32));
            } else {
                input.push_str(bits[r % bits.len()]);
            }
        }
        match parse(&input) {
            Ok(q) => assert!(!q.uses_user_state() || input.contains(':')),
            Err(e) => {
                assert!(e.position <= input.chars().count(), "{input:?}: {e}");
                assert!(e.caret_line(&input).ends_with('^'));
            }
        }
    }
}
