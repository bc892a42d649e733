//! The search language, as users of notmuch, mutt and Datashare know it.
//!
//! ```text
//! query    := or_expr                     (empty or blank input = everything)
//! or_expr  := and_expr ("OR" and_expr)*
//! and_expr := unary (["AND"] unary)*      (juxtaposition means AND)
//! unary    := "NOT" unary | "-" unary | "(" or_expr ")" | term
//! term     := word | "quoted phrase" | field ":" (word | "quoted phrase")
//! ```
//!
//! - `NOT`/`-` bind tightest, then `AND` (explicit or implicit), then `OR`.
//!   Operators are uppercase only: `and`, `or`, `not` are ordinary words.
//!   `-` negates only directly before a term (`-bob`, `-"a b"`, `-(a OR b)`);
//!   inside a word (`e-mail`) it is part of the word; alone it is an error.
//! - In a phrase `\"` is a literal quote and `\\` a backslash. Phrases and
//!   quoted values are trimmed and must not be empty.
//! - Fields (names case-insensitive): `from:` `to:` `cc:` `subject:` `body:`
//!   `filename:` (text), `tag:NAME`, `is:unread`, `is:read`, `is:tagged`,
//!   `is:untagged`, `note:TEXT` (anyone's note contains it), `has:note`,
//!   `has:attachment`, `date:A..B`, `date:A..`, `date:..B`, `date:A`,
//!   `before:A`, `after:A`.
//! - A word `name:rest` where `name` is all ASCII letters and `rest` does not
//!   start with `/` is a field and must be a known one (`form:bob` is an
//!   error). Other words with a `:` (`12:30`, `http://x`, `:x`) are plain
//!   words; quote a word (`"mailto:x"`) to search for it literally.
//! - A date `YYYY`, `YYYY-MM` or `YYYY-MM-DD` names a whole period (year,
//!   month, day) in UTC. `date:A..B` runs from the start of A to the end of B,
//!   `date:A` is all of A, `before:A` is strictly before the start of A and
//!   `after:A` strictly after the end of A (from the start of the next period
//!   on). Dates become half-open ranges of unix seconds.
//! - Input is limited to [`MAX_CHARS`] characters and nesting of parentheses
//!   and `NOT`/`-` to [`MAX_DEPTH`] levels. Errors give character positions.
use std::fmt;

type Res<T> = Result<T, ParseError>;

/// Longest accepted query, in characters.
pub const MAX_CHARS: usize = 4096;
/// Deepest accepted nesting of parentheses and `NOT`/`-`.
pub const MAX_DEPTH: usize = 64;

const KNOWN: &str =
    "from, to, cc, subject, body, filename, author, tag, is, has, note, dkim, date, before, after";

/// Which part of a message a text search looks in (`Any`: a bare word).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Any,
    From,
    To,
    Cc,
    Subject,
    Body,
    Filename,
    /// A document's people by its metadata: creator, last modified by,
    /// author, company, manager.
    Author,
    /// An e-mail's DKIM summary: `pass`, `fail`, `unknown` or `none`.
    Dkim,
}

/// A parsed query. `And`/`Or` hold at least two items and never directly
/// contain an `And`/`Or` of the same kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    /// Every message (empty query).
    All,
    /// `phrase` is true when the text was quoted.
    Text {
        field: Field,
        text: String,
        phrase: bool,
    },
    /// `tag:NAME`, as typed.
    Tag(String),
    /// `is:unread` is `Unread(true)`, `is:read` is `Unread(false)`.
    Unread(bool),
    /// `is:tagged` is `Tagged(true)`, `is:untagged` is `Tagged(false)`.
    Tagged(bool),
    /// `note:TEXT`: a note on the document contains the text (any case);
    /// `has:note` is `Note("")`.
    Note(String),
    HasAttachment,
    /// Dated in `[start, end)`, unix seconds; `None` is unbounded.
    Date {
        start: Option<i64>,
        end: Option<i64>,
    },
    And(Vec<Query>),
    Or(Vec<Query>),
    Not(Box<Query>),
}

impl Query {
    /// The words a hit is expected to contain (from text terms that are
    /// not negated), lower-cased: what a preview highlights.
    #[must_use]
    pub fn highlight_words(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.collect_words(&mut out);
        out.sort();
        out.dedup();
        out
    }

    fn collect_words(&self, out: &mut Vec<String>) {
        match self {
            Query::Text { text, .. } => out.extend(
                text.split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .map(str::to_lowercase),
            ),
            Query::And(v) | Query::Or(v) => v.iter().for_each(|q| q.collect_words(out)),
            _ => {}
        }
    }

    /// True if the query looks at per-user state (tags or read status).
    #[must_use]
    pub fn uses_user_state(&self) -> bool {
        match self {
            Query::Tag(_) | Query::Unread(_) | Query::Tagged(_) | Query::Note(_) => true,
            Query::And(v) | Query::Or(v) => v.iter().any(Query::uses_user_state),
            Query::Not(q) => q.uses_user_state(),
            Query::All | Query::Text { .. } | Query::HasAttachment | Query::Date { .. } => false,
        }
    }
}

fn date(start: Option<i64>, end: Option<i64>) -> Query {
    Query::Date { start, end }
}

/// A syntax error; `position` is a 0-based character (not byte) index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub position: usize,
    pub message: String,
}

impl ParseError {
    fn new(position: usize, message: impl Into<String>) -> Self {
        let message = message.into();
        ParseError { position, message }
    }

    /// A line with a `^` under the error position, to print below `input`.
    /// Tabs are kept; wide (CJK, emoji) characters take two columns and
    /// combining marks and control characters none (approximately).
    #[must_use]
    pub fn caret_line(&self, input: &str) -> String {
        let mut line = String::new();
        for c in input.chars().take(self.position) {
            let width = if c == '\t' { 0 } else { columns(c) };
            line.extend(std::iter::repeat_n(' ', width));
            if c == '\t' {
                line.push('\t');
            }
        }
        line.push('^');
        line
    }
}

/// Approximate terminal width of a character.
fn columns(c: char) -> usize {
    match c {
        '\u{300}'..='\u{36F}'
        | '\u{200B}'..='\u{200F}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE00}'..='\u{FE0F}' => 0,
        '\u{1100}'..='\u{115F}'
        | '\u{2E80}'..='\u{A4CF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FF60}'
        | '\u{1F300}'..='\u{1FAFF}'
        | '\u{20000}'..='\u{3FFFD}' => 2,
        c if c.is_control() => 0,
        _ => 1,
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at character {}: {}", self.position, self.message)
    }
}

impl std::error::Error for ParseError {}

/// Parses a query. Empty or whitespace-only input gives [`Query::All`].
///
/// # Errors
/// The first (leftmost) syntax error.
pub fn parse(input: &str) -> Result<Query, ParseError> {
    if input.chars().nth(MAX_CHARS).is_some() {
        let msg = format!("query too long (more than {MAX_CHARS} characters)");
        return Err(ParseError::new(MAX_CHARS, msg));
    }
    let chars: Vec<char> = input.chars().collect();
    if chars.iter().all(|c| c.is_whitespace()) {
        return Ok(Query::All);
    }
    let (toks, err) = lex(&chars);
    let (i, depth, end) = (0, 0, chars.len());
    let mut p = Parser {
        toks,
        err,
        i,
        depth,
        end,
    };
    let query = p.parse_or()?;
    match p.peek()? {
        (Tok::End, _) => Ok(query),
        (_, pos) => Err(ParseError::new(pos, "unmatched ')'")),
    }
}

#[derive(Debug, Clone)]
enum Tok {
    Term(Query),
    And,
    Or,
    Not,
    Minus,
    Open,
    Close,
    End,
}

/// Tokens with their positions, up to the end or the first lexical error.
fn lex(chars: &[char]) -> (Vec<(Tok, usize)>, Option<ParseError>) {
    let mut toks = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        match lex_one(chars, i) {
            Ok((tok, next)) => toks.push((tok, std::mem::replace(&mut i, next))),
            Err(e) => return (toks, Some(e)),
        }
    }
    (toks, None)
}

/// The token starting at `chars[i]` and the index after it.
fn lex_one(chars: &[char], i: usize) -> Res<(Tok, usize)> {
    match chars.get(i) {
        Some('(') => Ok((Tok::Open, i + 1)),
        Some(')') => Ok((Tok::Close, i + 1)),
        Some('-') => match chars.get(i + 1) {
            Some(&n) if !n.is_whitespace() && n != ')' => Ok((Tok::Minus, i + 1)),
            _ => Err(ParseError::new(i, "'-' must come directly before a term")),
        },
        Some('"') => {
            let (text, next) = quoted(chars, i)?;
            Ok((text_term(Field::Any, &text, true, i)?, next))
        }
        _ => lex_word(chars, i),
    }
}

/// The unescaped text of the string quoted at `chars[start]`, and the index
/// after its closing quote.
fn quoted(chars: &[char], start: usize) -> Res<(String, usize)> {
    let mut text = String::new();
    let mut j = start + 1;
    loop {
        match (chars.get(j), chars.get(j + 1)) {
            (None, _) => return Err(ParseError::new(start, "unclosed quote")),
            (Some('"'), _) => return Ok((text, j + 1)),
            (Some('\\'), Some(&c @ ('"' | '\\'))) => (text.push(c), j += 2),
            (Some(&c), _) => (text.push(c), j += 1),
        };
    }
}

fn lex_word(chars: &[char], i: usize) -> Res<(Tok, usize)> {
    let stop = |c: &&char| c.is_whitespace() || matches!(c, '(' | ')' | '"');
    let word: String = chars.iter().skip(i).take_while(|c| !stop(c)).collect();
    let end = i + word.chars().count();
    let field = word.split_once(':').filter(|(name, value)| {
        !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphabetic()) && !value.starts_with('/')
    });
    match (word.as_str(), field) {
        ("AND", _) => Ok((Tok::And, end)),
        ("OR", _) => Ok((Tok::Or, end)),
        ("NOT", _) => Ok((Tok::Not, end)),
        (_, None) => Ok((text_term(Field::Any, &word, false, i)?, end)),
        (_, Some((name, value))) => {
            // `name` is ASCII: its length in bytes is its length in chars.
            if value.is_empty() && chars.get(end) == Some(&'"') {
                let (value, next) = quoted(chars, end)?;
                Ok((field_term(name, i, &value, end + 1, true)?, next))
            } else {
                Ok((field_term(name, i, value, i + name.len() + 1, false)?, end))
            }
        }
    }
}

fn text_term(field: Field, text: &str, phrase: bool, pos: usize) -> Res<Tok> {
    let text = text.trim().to_string();
    if text.is_empty() {
        return Err(ParseError::new(pos, "empty phrase"));
    }
    Ok(Tok::Term(Query::Text {
        field,
        text,
        phrase,
    }))
}

/// The term `name:value`, where the name starts at `at` and the value at
/// `pos`.
fn field_term(name: &str, at: usize, value: &str, pos: usize, quoted: bool) -> Res<Tok> {
    let lower = name.to_ascii_lowercase();
    let field = match lower.as_str() {
        "from" => Field::From,
        "to" => Field::To,
        "cc" => Field::Cc,
        "subject" => Field::Subject,
        "body" => Field::Body,
        "filename" => Field::Filename,
        "author" => Field::Author,
        "dkim" => Field::Dkim,
        "tag" | "is" | "has" | "date" | "before" | "after" | "note" => Field::Any,
        _ => {
            let msg = format!("unknown field \"{name}\" (known: {KNOWN}); put it in quotes to search for it as text");
            return Err(ParseError::new(at, msg));
        }
    };
    let value = value.trim();
    if value.is_empty() {
        let msg = format!("missing value after {lower}:");
        return Err(ParseError::new(pos, msg));
    }
    let bad = |expected: &str| {
        let msg = format!("unknown value \"{value}\" for {lower}: (expected {expected})");
        Err(ParseError::new(pos, msg))
    };
    let query = match (lower.as_str(), value.to_ascii_lowercase().as_str()) {
        ("tag", _) => Query::Tag(value.to_string()),
        ("is", "unread") => Query::Unread(true),
        ("is", "read") => Query::Unread(false),
        ("is", "tagged") => Query::Tagged(true),
        ("is", "untagged") => Query::Tagged(false),
        ("is", _) => return bad("unread, read, tagged or untagged"),
        ("has", "attachment") => Query::HasAttachment,
        ("has", "note") => Query::Note(String::new()),
        ("has", _) => return bad("attachment or note"),
        ("note", _) => Query::Note(value.to_lowercase()),
        ("dkim", v @ ("pass" | "fail" | "unknown" | "none")) => Query::Text {
            field: Field::Dkim,
            text: v.to_string(),
            phrase: false,
        },
        ("dkim", _) => return bad("pass, fail, unknown or none"),
        ("date", _) => date_range(value, pos)?,
        ("before", _) => date(None, Some(period(value, pos)?.0)),
        ("after", _) => date(Some(period(value, pos)?.1), None),
        _ => return text_term(field, value, quoted, pos),
    };
    Ok(Tok::Term(query))
}

fn date_range(value: &str, pos: usize) -> Res<Query> {
    let Some((a, b)) = value.split_once("..") else {
        let (start, end) = period(value, pos)?;
        return Ok(date(Some(start), Some(end)));
    };
    if a.is_empty() && b.is_empty() {
        let msg = "a date range needs a start or an end, as in 2017..2018";
        return Err(ParseError::new(pos, msg));
    }
    let bound = |s: &str, pos| (!s.is_empty()).then(|| period(s, pos)).transpose();
    let start = bound(a, pos)?.map(|(start, _)| start);
    let end = bound(b, pos + a.chars().count() + 2)?.map(|(_, end)| end);
    if start.zip(end).is_some_and(|(s, e)| e <= s) {
        let msg = format!("date range \"{value}\" ends before it starts");
        return Err(ParseError::new(pos, msg));
    }
    Ok(date(start, end))
}

/// The period a date names, as `[start, end)` unix seconds.
fn period(s: &str, pos: usize) -> Res<(i64, i64)> {
    period_opt(s).ok_or_else(|| {
        let msg = format!("bad date \"{s}\" (expected YYYY, YYYY-MM or YYYY-MM-DD)");
        ParseError::new(pos, msg)
    })
}

fn period_opt(s: &str) -> Option<(i64, i64)> {
    use chrono::{Months, NaiveDate};
    let num = |p: &&str, len| -> Option<u32> {
        let digits = p.len() == len && p.bytes().all(|b| b.is_ascii_digit());
        digits.then(|| p.parse().ok()).flatten()
    };
    let ymd = |y: &&str, m, d| NaiveDate::from_ymd_opt(i32::try_from(num(y, 4)?).ok()?, m?, d?);
    let (start, months) = match s.split('-').collect::<Vec<_>>().as_slice() {
        [y] => (ymd(y, Some(1), Some(1))?, 12),
        [y, m] => (ymd(y, num(m, 2), Some(1))?, 1),
        [y, m, d] => (ymd(y, num(m, 2), num(d, 2))?, 0),
        _ => return None,
    };
    let end = match months {
        0 => start.succ_opt()?,
        n => start.checked_add_months(Months::new(n))?,
    };
    let secs = |d: NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp());
    Some((secs(start)?, secs(end)?))
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    err: Option<ParseError>,
    i: usize,
    depth: usize,
    end: usize,
}

impl Parser {
    /// The next token and its position, or the lexical error reached.
    fn peek(&self) -> Res<(Tok, usize)> {
        match (self.toks.get(self.i), &self.err) {
            (Some(t), _) => Ok(t.clone()),
            (None, Some(e)) => Err(e.clone()),
            (None, None) => Ok((Tok::End, self.end)),
        }
    }

    fn parse_or(&mut self) -> Res<Query> {
        let mut items = vec![self.parse_and(None)?];
        while let (Tok::Or, pos) = self.peek()? {
            self.i += 1;
            items.push(self.parse_and(Some(("OR", pos)))?);
        }
        Ok(combine(items, true))
    }

    /// `after` is the operator (and its position) that needs this operand.
    fn parse_and(&mut self, after: Option<(&str, usize)>) -> Res<Query> {
        let mut items = vec![self.parse_unary(after)?];
        loop {
            match self.peek()? {
                (Tok::Or | Tok::Close | Tok::End, _) => break,
                (Tok::And, pos) => {
                    self.i += 1;
                    items.push(self.parse_unary(Some(("AND", pos)))?);
                }
                _ => items.push(self.parse_unary(None)?),
            }
        }
        Ok(combine(items, false))
    }

    fn parse_unary(&mut self, after: Option<(&str, usize)>) -> Res<Query> {
        let (tok, pos) = self.peek()?;
        self.i += 1;
        if matches!(tok, Tok::Not | Tok::Minus | Tok::Open) {
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                let msg = format!("too deeply nested (more than {MAX_DEPTH} levels)");
                return Err(ParseError::new(pos, msg));
            }
        }
        let query = match (tok, after) {
            (Tok::Term(q), _) => return Ok(q),
            (Tok::Not, _) => Query::Not(Box::new(self.parse_unary(Some(("NOT", pos)))?)),
            (Tok::Minus, _) => Query::Not(Box::new(self.parse_unary(Some(("-", pos)))?)),
            (Tok::Open, _) => {
                match self.peek()? {
                    (Tok::Close, _) => return Err(ParseError::new(pos, "empty parentheses")),
                    (Tok::End, _) => return Err(ParseError::new(pos, "unclosed '('")),
                    _ => {}
                }
                let inner = self.parse_or()?;
                if !matches!(self.peek()?, (Tok::Close, _)) {
                    return Err(ParseError::new(pos, "unclosed '('"));
                }
                self.i += 1;
                inner
            }
            (_, Some((op, at))) => {
                return Err(ParseError::new(at, format!("{op} needs a term after it")))
            }
            (Tok::Close, None) => return Err(ParseError::new(pos, "unmatched ')'")),
            (Tok::And, None) => return Err(ParseError::new(pos, "AND needs a term before it")),
            (Tok::Or, None) => return Err(ParseError::new(pos, "OR needs a term before it")),
            (Tok::End, None) => return Err(ParseError::new(pos, "expected a search term")),
        };
        self.depth -= 1;
        Ok(query)
    }
}

/// Joins items into an `Or` (or an `And`), flattening nested ones of the same
/// kind; a single item is returned as is.
fn combine(items: Vec<Query>, or: bool) -> Query {
    let mut out = Vec::with_capacity(items.len());
    for q in items {
        match q {
            Query::Or(v) if or => out.extend(v),
            Query::And(v) if !or => out.extend(v),
            q => out.push(q),
        }
    }
    match (out.pop(), out.is_empty(), or) {
        (Some(q), true, _) => q,
        (last, _, true) => Query::Or(out.into_iter().chain(last).collect()),
        (last, _, false) => Query::And(out.into_iter().chain(last).collect()),
    }
}
