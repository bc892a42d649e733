//! Counting for the overview panels: how many documents fall on each day,
//! week, month or year (UTC), and who sends and receives the most.
//!
//! It owns no state and knows nothing of the terminal. The browser counts
//! once when the set of documents on screen changes and keeps the result,
//! so drawing never walks the documents. Documents are counted as listed:
//! two copies of a message count twice, like every other count on screen.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use crate::model::{DocId, Document, MAX_RECIPIENTS_BYTES};

const SECONDS_PER_DAY: i64 = 86_400;
/// Chrono's day number (from 0001-01-01, day 1) of 1970-01-01.
const EPOCH_DAYS_FROM_CE: i64 = 719_163;

/// Days since 1970-01-01 (UTC) of a Unix time.
pub fn day_of(ts: i64) -> i64 {
    ts.div_euclid(SECONDS_PER_DAY)
}

fn date_of_day(day: i64) -> Option<NaiveDate> {
    let ce = i32::try_from(day.checked_add(EPOCH_DAYS_FROM_CE)?).ok()?;
    NaiveDate::from_num_days_from_ce_opt(ce)
}

fn day_of_date(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) - EPOCH_DAYS_FROM_CE
}

/// `2017-03-23`, or `None` outside the years a query can name (1–9999).
fn query_date(day: i64) -> Option<String> {
    let d = date_of_day(day).filter(|d| (1..=9999).contains(&d.year()))?;
    Some(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
}

/// How long a bar of the timeline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    Day,
    /// Monday to Sunday.
    Week,
    Month,
    Year,
}

impl Unit {
    /// Finest first.
    pub const ALL: [Unit; 4] = [Unit::Day, Unit::Week, Unit::Month, Unit::Year];

    fn index(self) -> usize {
        self as usize
    }

    pub fn name(self) -> &'static str {
        match self {
            Unit::Day => "day",
            Unit::Week => "week",
            Unit::Month => "month",
            Unit::Year => "year",
        }
    }

    /// The bucket day `day` falls in: the day itself, the week (counted
    /// from the one holding 1970-01-01), `year * 12 + month - 1`, or the
    /// year. `None` for a day outside chrono's calendar.
    pub fn bucket(self, day: i64) -> Option<i64> {
        match self {
            Unit::Day => Some(day),
            // 1970-01-01 was a Thursday: its week began three days before.
            Unit::Week => Some(day.checked_add(3)?.div_euclid(7)),
            Unit::Month => {
                let d = date_of_day(day)?;
                Some(i64::from(d.year()) * 12 + i64::from(d.month0()))
            }
            Unit::Year => Some(i64::from(date_of_day(day)?.year())),
        }
    }

    /// The first day of `bucket`.
    pub fn first_day(self, bucket: i64) -> Option<i64> {
        match self {
            Unit::Day => Some(bucket),
            Unit::Week => bucket.checked_mul(7)?.checked_sub(3),
            Unit::Month => {
                let year = i32::try_from(bucket.div_euclid(12)).ok()?;
                let month = u32::try_from(bucket.rem_euclid(12)).ok()? + 1;
                NaiveDate::from_ymd_opt(year, month, 1).map(day_of_date)
            }
            Unit::Year => {
                NaiveDate::from_ymd_opt(i32::try_from(bucket).ok()?, 1, 1).map(day_of_date)
            }
        }
    }

    /// The last day of `bucket`.
    pub fn last_day(self, bucket: i64) -> Option<i64> {
        match self {
            Unit::Day => Some(bucket),
            Unit::Week => self.first_day(bucket)?.checked_add(6),
            _ => self.first_day(bucket.checked_add(1)?)?.checked_sub(1),
        }
    }

    /// How people name the bucket: `2017-03-23`, `week of 2017-03-20`,
    /// `2017-03`, `2017`.
    pub fn label(self, bucket: i64) -> String {
        let first = self.first_day(bucket).and_then(date_of_day);
        match (self, first) {
            (_, None) => "?".to_string(),
            (Unit::Day, Some(d)) => d.format("%Y-%m-%d").to_string(),
            (Unit::Week, Some(d)) => format!("week of {}", d.format("%Y-%m-%d")),
            (Unit::Month, Some(d)) => d.format("%Y-%m").to_string(),
            (Unit::Year, Some(d)) => d.format("%Y").to_string(),
        }
    }

    /// A label under a bar: the first day of a day or week (`03-20`, or
    /// with `long`, `2017-03-20`), the month (`2017-03`), the year.
    pub fn axis_label(self, bucket: i64, long: bool) -> String {
        let Some(first) = self.first_day(bucket).and_then(date_of_day) else {
            return "?".to_string();
        };
        let format = match self {
            Unit::Day | Unit::Week if long => "%Y-%m-%d",
            Unit::Day | Unit::Week => "%m-%d",
            Unit::Month => "%Y-%m",
            Unit::Year => "%Y",
        };
        first.format(format).to_string()
    }

    /// The search term for the documents of `bucket` (`date:2017-03`),
    /// `None` outside the years a query can name.
    pub fn query(self, bucket: i64) -> Option<String> {
        let first = query_date(self.first_day(bucket)?)?;
        let last = query_date(self.last_day(bucket)?)?;
        Some(match self {
            Unit::Day => format!("date:{first}"),
            Unit::Week => format!("date:{first}..{last}"),
            Unit::Month => format!("date:{}", &first[..7]),
            Unit::Year => format!("date:{}", &first[..4]),
        })
    }
}

/// How many documents fall on each day, week, month and year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timeline {
    /// Documents counted, dated or not.
    pub total: usize,
    /// Those without a date, or with one outside the calendar.
    pub undated: usize,
    /// Dated ones far before or after the others (a file's modification
    /// time, a sender's clock set wrong): counted, but off the chart's
    /// range so that they do not squash it.
    pub earlier: usize,
    pub later: usize,
    /// The days the chart covers, first and last (see [`core_range`]).
    range: Option<(i64, i64)>,
    /// For each [`Unit`], the buckets that hold documents, in order, with
    /// how many each holds.
    per_unit: [Vec<(i64, u32)>; 4],
}

impl Timeline {
    /// Count documents by their dates (Unix seconds, UTC).
    pub fn count(dates: impl IntoIterator<Item = Option<i64>>) -> Timeline {
        let lowest = day_of_date(NaiveDate::MIN);
        let highest = day_of_date(NaiveDate::MAX);
        let mut total = 0;
        let mut days = Vec::new();
        for date in dates {
            total += 1;
            if let Some(day) = date.map(day_of).filter(|d| (lowest..=highest).contains(d)) {
                days.push(day);
            }
        }
        let undated = total - days.len();
        days.sort_unstable();
        let range = core_range(&days);
        let (earlier, later) = range.map_or((0, 0), |(first, last)| {
            let before = days.partition_point(|&d| d < first);
            (before, days.len() - days.partition_point(|&d| d <= last))
        });
        let per_day = runs(days.into_iter().map(|d| (d, 1)));
        let per_unit = Unit::ALL.map(|unit| match unit {
            Unit::Day => per_day.clone(),
            _ => runs(
                per_day
                    .iter()
                    .filter_map(|&(day, n)| Some((unit.bucket(day)?, n))),
            ),
        });
        Timeline {
            total,
            undated,
            earlier,
            later,
            range,
            per_unit,
        }
    }

    /// Documents with a date.
    pub fn dated(&self) -> usize {
        self.total - self.undated
    }

    /// The buckets of `unit` that hold documents, in order.
    pub fn buckets(&self, unit: Unit) -> &[(i64, u32)] {
        &self.per_unit[unit.index()]
    }

    /// How many documents fall in `bucket`.
    pub fn count_in(&self, unit: Unit, bucket: i64) -> u32 {
        let b = self.buckets(unit);
        b.binary_search_by_key(&bucket, |&(k, _)| k)
            .map_or(0, |i| b[i].1)
    }

    /// The first and last bucket of the chart's range.
    pub fn span(&self, unit: Unit) -> Option<(i64, i64)> {
        let (first, last) = self.range?;
        Some((unit.bucket(first)?, unit.bucket(last)?))
    }

    /// The finest unit whose whole span fits in `slots` bars; years when
    /// none does (the chart then scrolls).
    pub fn fit(&self, slots: usize) -> Unit {
        Unit::ALL
            .into_iter()
            .find(|&u| {
                self.span(u)
                    .is_none_or(|(a, b)| u64::try_from(b - a).is_ok_and(|n| n < slots as u64))
            })
            .unwrap_or(Unit::Year)
    }
}

/// The days a chart of `days` (sorted) should cover: the shortest stretch
/// holding nine documents in ten, widened by its own length (at least a
/// year) each way, within the first and last day. What lies beyond is far
/// from everything else: one bogus date must not turn months of mail into
/// a single bar.
fn core_range(days: &[i64]) -> Option<(i64, i64)> {
    let n = days.len();
    let k = (n * 9).div_ceil(10).max(1);
    let (lo, hi) = (0..=n.checked_sub(k)?)
        .map(|i| (days[i], days[i + k - 1]))
        .min_by_key(|(lo, hi)| hi - lo)?;
    let margin = (hi - lo).max(365);
    let (from, to) = (lo.saturating_sub(margin), hi.saturating_add(margin));
    // The first and last days with documents within the margins.
    let first = days[days.partition_point(|&d| d < from)];
    let last = days[days.partition_point(|&d| d <= to) - 1];
    Some((first, last))
}

/// Sum the counts of neighbouring equal keys (the keys come sorted).
fn runs(sorted: impl Iterator<Item = (i64, u32)>) -> Vec<(i64, u32)> {
    let mut out: Vec<(i64, u32)> = Vec::new();
    for (key, n) in sorted {
        match out.last_mut() {
            Some((k, count)) if *k == key => *count = count.saturating_add(n),
            _ => out.push((key, n)),
        }
    }
    out
}

/// Which side of a message someone is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Sender,
    /// In `To` or `Cc`.
    Recipient,
}

/// Someone who sent or received documents in the set counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// Lowercased: a sender's address (else name); a recipient's name,
    /// else address, as the catalog keeps it.
    pub key: String,
    /// As shown: the spelling on the most documents.
    pub name: String,
    /// What a search finds them by: a sender's address (else name), a
    /// recipient's name (else address).
    pub term: String,
    pub count: u32,
}

impl Person {
    /// The search for this person's documents in `role`.
    pub fn query(&self, role: Role) -> String {
        let phrase = format!(
            "\"{}\"",
            self.term.replace('\\', "\\\\").replace('"', "\\\"")
        );
        match role {
            Role::Sender => format!("from:{phrase}"),
            Role::Recipient => format!("(to:{phrase} OR cc:{phrase})"),
        }
    }
}

/// The people with the most documents, each way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Correspondents {
    /// Most documents first (then by key), at most the number asked for.
    pub senders: Vec<Person>,
    pub recipients: Vec<Person>,
    /// How many different senders and recipients there are in all.
    pub sender_total: usize,
    pub recipient_total: usize,
}

/// No one (a document without a sender).
const NOBODY: u32 = u32::MAX;

/// Who sent and received each document of a list, as numbers. The names
/// are hashed once per document list; counting any set of its documents
/// (a search, a filter) is then one pass of array increments, cheap enough
/// to redo at every key of the quick filter on half a million documents.
#[derive(Debug, Clone, Default)]
pub struct PeopleIndex {
    senders: Vec<Who>,
    recipients: Vec<Who>,
    /// By document: its sender's number, or [`NOBODY`].
    sender_of: Vec<u32>,
    /// By document: where its recipients' numbers end in `recipient_ids`
    /// (they start where the previous document's end).
    recipient_end: Vec<u32>,
    recipient_ids: Vec<u32>,
}

/// How a person is keyed, shown and searched (see [`Person`]).
#[derive(Debug, Clone, Default)]
struct Who {
    key: String,
    name: String,
    term: String,
}

impl PeopleIndex {
    /// Number the senders and recipients of the e-mail among `docs`; two
    /// spellings of one address (or name) differing in case are one
    /// person, shown as spelt on the most documents.
    pub fn new(docs: &[Document]) -> PeopleIndex {
        let mut senders = Spellings::default();
        let mut recipients = Spellings::default();
        let mut sender_of = Vec::with_capacity(docs.len());
        let mut recipient_end = Vec::with_capacity(docs.len());
        let mut recipient_ids = Vec::new();
        for doc in docs {
            let mut sender = NOBODY;
            if doc.is_mail() {
                let (name, address) = (doc.from_name().trim(), doc.from_addr().trim());
                if !name.is_empty() || !address.is_empty() {
                    let key = if address.is_empty() { name } else { address };
                    let shown = if name.is_empty() { address } else { name };
                    sender = senders.id((key, shown, key));
                }
                recipient_ids.extend(recipients_of(doc).map(|who| recipients.id((who, who, who))));
            }
            sender_of.push(sender);
            recipient_end.push(u32::try_from(recipient_ids.len()).unwrap_or(u32::MAX));
        }
        let (senders, sender_person) = senders.fold();
        let (recipients, recipient_person) = recipients.fold();
        for id in &mut sender_of {
            if *id != NOBODY {
                *id = sender_person[*id as usize];
            }
        }
        // Spellings to people; one person twice in a message counts once.
        let mut start = 0;
        let mut kept = 0;
        for end in &mut recipient_end {
            let first = kept;
            for i in start..*end as usize {
                let person = recipient_person[recipient_ids[i] as usize];
                if !recipient_ids[first..kept].contains(&person) {
                    recipient_ids[kept] = person;
                    kept += 1;
                }
            }
            start = *end as usize;
            *end = u32::try_from(kept).unwrap_or(u32::MAX);
        }
        recipient_ids.truncate(kept);
        PeopleIndex {
            senders,
            recipients,
            sender_of,
            recipient_end,
            recipient_ids,
        }
    }

    /// How many documents, among `docs` (ids into the list this index was
    /// made from), each person sent and received, keeping the `keep` with
    /// the most each way.
    pub fn count(&self, docs: impl IntoIterator<Item = DocId>, keep: usize) -> Correspondents {
        let mut sent = vec![0u32; self.senders.len()];
        let mut received = vec![0u32; self.recipients.len()];
        for d in docs {
            let Some(&sender) = self.sender_of.get(d) else {
                continue;
            };
            if sender != NOBODY {
                sent[sender as usize] += 1;
            }
            let start = d
                .checked_sub(1)
                .map_or(0, |p| self.recipient_end[p] as usize);
            for &r in &self.recipient_ids[start..self.recipient_end[d] as usize] {
                received[r as usize] += 1;
            }
        }
        let (senders, sender_total) = top(&self.senders, &sent, keep);
        let (recipients, recipient_total) = top(&self.recipients, &received, keep);
        Correspondents {
            senders,
            recipients,
            sender_total,
            recipient_total,
        }
    }
}

/// The `keep` people with the highest `counts` (then by key), and how many
/// have any.
fn top(names: &[Who], counts: &[u32], keep: usize) -> (Vec<Person>, usize) {
    let mut some: Vec<(u32, &Who)> = counts
        .iter()
        .zip(names)
        .filter(|(&n, _)| n > 0)
        .map(|(&n, name)| (n, name))
        .collect();
    let total = some.len();
    some.sort_unstable_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.key.cmp(&b.1.key)));
    let people = some
        .into_iter()
        .take(keep)
        .map(|(count, n)| Person {
            key: n.key.clone(),
            name: n.name.clone(),
            term: n.term.clone(),
            count,
        })
        .collect();
    (people, total)
}

/// Exact spellings `(key, shown, term)` met while numbering, with how many
/// documents each is on.
#[derive(Default)]
struct Spellings<'a> {
    ids: HashMap<(&'a str, &'a str, &'a str), u32>,
    list: Vec<((&'a str, &'a str, &'a str), u32)>,
}

impl<'a> Spellings<'a> {
    fn id(&mut self, spelling: (&'a str, &'a str, &'a str)) -> u32 {
        let next = u32::try_from(self.list.len()).unwrap_or(NOBODY - 1);
        let id = *self.ids.entry(spelling).or_insert(next);
        if id == next {
            self.list.push((spelling, 0));
        }
        self.list[id as usize].1 += 1;
        id
    }

    /// Gather spellings by lowercase key into people, named as the
    /// spelling on the most documents (ties: the first in sort order);
    /// returns them and each spelling's person.
    fn fold(self) -> (Vec<Who>, Vec<u32>) {
        let mut order: Vec<usize> = (0..self.list.len()).collect();
        // Deterministic whatever the order the documents came in.
        order.sort_unstable_by(|&a, &b| {
            let ((_, an, at), ac) = self.list[a];
            let ((_, bn, bt), bc) = self.list[b];
            bc.cmp(&ac).then_with(|| (an, at).cmp(&(bn, bt)))
        });
        let mut people: Vec<Who> = Vec::new();
        let mut by_key: HashMap<String, u32> = HashMap::new();
        let mut person_of = vec![0; self.list.len()];
        for i in order {
            let ((key, name, term), _) = self.list[i];
            let next = u32::try_from(people.len()).unwrap_or(NOBODY - 1);
            let person = *by_key.entry(key.to_lowercase()).or_insert_with_key(|k| {
                people.push(Who {
                    key: k.clone(),
                    name: name.to_string(),
                    term: term.to_string(),
                });
                next
            });
            person_of[i] = person;
        }
        (people, person_of)
    }
}

/// The lowercased key of a document's sender (see [`Person::key`]).
pub fn sender_key(doc: &Document) -> Option<String> {
    if !doc.is_mail() {
        return None;
    }
    let address = doc.from_addr().trim();
    let who = if address.is_empty() {
        doc.from_name().trim()
    } else {
        address
    };
    (!who.is_empty()).then(|| who.to_lowercase())
}

/// A document's recipients as the catalog keeps them: the first few of
/// `To` then `Cc`, each by name, else by address. A last one cut short by
/// the catalog's limit is left out (unless it is the only one). A name
/// that itself holds ", " reads as two people: the catalog keeps no
/// quoting.
pub fn recipients_of(doc: &Document) -> impl Iterator<Item = &str> {
    let all = doc.recipients();
    // The catalog cuts the list at MAX_RECIPIENTS_BYTES, on a character
    // boundary: a list that long may end inside a name.
    let complete = match all.rfind(", ") {
        Some(at) if all.len() + 4 > MAX_RECIPIENTS_BYTES => &all[..at],
        _ => all,
    };
    complete
        .split(", ")
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Container, DocKind, Envelope, Location, PartPath, Sha256};

    /// Unix seconds of a UTC date and time.
    fn at(y: i32, m: u32, d: u32, h: u32) -> i64 {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(h, 0, 0))
            .expect("valid date")
            .and_utc()
            .timestamp()
    }

    fn mail(from: &str, addr: &str, to: &str) -> Document {
        let location = Location {
            path: std::path::Path::new("x").into(),
            container: Container::File,
            offset: 0,
            len: 0,
            part: PartPath::default(),
        };
        let envelope = Envelope {
            from,
            from_addr: addr,
            recipients: to,
            ..Envelope::default()
        };
        Document::new(DocKind::Mail, location, Sha256([0; 32]), &envelope)
    }

    #[test]
    fn days_weeks_months_and_years_in_utc() {
        // 2017-03-19 was a Sunday, 2017-03-20 a Monday.
        let sunday_late = at(2017, 3, 19, 23);
        let monday = at(2017, 3, 20, 0);
        let t = Timeline::count([Some(sunday_late), Some(monday), Some(monday + 3600)]);
        assert_eq!(t.total, 3);
        assert_eq!(t.undated, 0);
        let day = |ts| day_of(ts);
        assert_eq!(t.buckets(Unit::Day).len(), 2);
        assert_eq!(t.count_in(Unit::Day, day(monday)), 2);
        // The week boundary falls between Sunday and Monday.
        let weeks = t.buckets(Unit::Week);
        assert_eq!(weeks.len(), 2, "{weeks:?}");
        assert_eq!(weeks[0].1, 1);
        assert_eq!(weeks[1].1, 2);
        assert_eq!(Unit::Week.label(weeks[1].0), "week of 2017-03-20");
        assert_eq!(Unit::Week.label(weeks[0].0), "week of 2017-03-13");
        assert_eq!(
            Unit::Week.query(weeks[1].0).as_deref(),
            Some("date:2017-03-20..2017-03-26")
        );
        assert_eq!(t.buckets(Unit::Month), [(2017 * 12 + 2, 3)]);
        assert_eq!(Unit::Month.label(2017 * 12 + 2), "2017-03");
        assert_eq!(
            Unit::Month.query(2017 * 12 + 2).as_deref(),
            Some("date:2017-03")
        );
        assert_eq!(t.buckets(Unit::Year), [(2017, 3)]);
        assert_eq!(Unit::Year.query(2017).as_deref(), Some("date:2017"));
        assert_eq!(Unit::Week.axis_label(weeks[1].0, false), "03-20");
        assert_eq!(Unit::Week.axis_label(weeks[1].0, true), "2017-03-20");
        assert_eq!(Unit::Month.axis_label(2017 * 12 + 2, false), "2017-03");
        assert_eq!(
            Unit::Day.query(day(monday)).as_deref(),
            Some("date:2017-03-20")
        );
        // UTC: 23:00 on the 19th is the 19th, whatever the sender's zone.
        assert_eq!(Unit::Day.label(day(sunday_late)), "2017-03-19");
    }

    #[test]
    fn weeks_start_on_monday_across_years_and_before_1970() {
        for (y, m, d) in [(1970, 1, 5), (2018, 1, 1), (1969, 12, 29), (1900, 1, 1)] {
            let monday = day_of(at(y, m, d, 12));
            let week = Unit::Week.bucket(monday).expect("week");
            assert_eq!(Unit::Week.first_day(week), Some(monday), "{y}-{m}-{d}");
            assert_eq!(Unit::Week.bucket(monday - 1), Some(week - 1));
            assert_eq!(Unit::Week.bucket(monday + 6), Some(week));
        }
        // 2016-12-31 (Saturday) and 2017-01-01 (Sunday) share a week.
        let sat = day_of(at(2016, 12, 31, 0));
        assert_eq!(Unit::Week.bucket(sat), Unit::Week.bucket(sat + 1));
        assert_eq!(
            Unit::Week
                .query(Unit::Week.bucket(sat).expect("week"))
                .as_deref(),
            Some("date:2016-12-26..2017-01-01")
        );
        // Months and years at their edges.
        let feb_end = day_of(at(2016, 2, 29, 23));
        let month = Unit::Month.bucket(feb_end).expect("month");
        assert_eq!(Unit::Month.last_day(month), Some(feb_end));
        assert_eq!(Unit::Month.bucket(feb_end + 1), Some(month + 1));
        assert_eq!(Unit::Month.label(month + 10), "2016-12");
        assert_eq!(Unit::Month.label(month + 11), "2017-01");
        let dec = Unit::Month.bucket(day_of(at(1969, 12, 31, 23)));
        assert_eq!(
            dec.map(|b| Unit::Month.label(b)).as_deref(),
            Some("1969-12")
        );
    }

    #[test]
    fn undated_and_impossible_dates_are_counted_apart() {
        let t = Timeline::count([None, Some(i64::MAX), Some(i64::MIN), None]);
        assert_eq!((t.total, t.undated, t.dated()), (4, 4, 0));
        assert!(t.buckets(Unit::Day).is_empty());
        assert_eq!(t.span(Unit::Month), None);
        assert_eq!(t.fit(10), Unit::Day, "nothing to fit: the finest");
        assert_eq!(Timeline::count([]), Timeline::default());
        // A year a query cannot name has no query.
        let far = day_of_date(NaiveDate::from_ymd_opt(12_000, 1, 1).expect("date"));
        assert_eq!(Unit::Day.query(far), None);
        assert_eq!(Unit::Year.query(12_000), None);
        assert_eq!(Unit::Year.label(12_000), "+12000");
    }

    #[test]
    fn far_off_dates_are_counted_apart_from_the_chart() {
        // Four weeks of mail, two file times years later, a zero date: a
        // tenth of the dated documents at most is set apart.
        let mut dates: Vec<Option<i64>> = (1..=28).map(|d| Some(at(2017, 3, d, 10))).collect();
        dates.push(Some(at(2026, 11, 21, 20)));
        dates.push(Some(at(2026, 11, 21, 21)));
        dates.push(Some(0));
        dates.push(None);
        let t = Timeline::count(dates);
        assert_eq!((t.total, t.undated, t.earlier, t.later), (32, 1, 1, 2));
        assert_eq!(t.fit(40), Unit::Day, "the outliers do not widen the chart");
        let march = day_of(at(2017, 3, 1, 0));
        assert_eq!(t.span(Unit::Day), Some((march, march + 27)));
        // Still counted in their buckets, for a search to find.
        assert_eq!(t.count_in(Unit::Year, 2026), 2);
        // Spread evenly, nothing is set apart.
        let years = Timeline::count((2000..2020).map(|y| Some(at(y, 6, 1, 0))));
        assert_eq!((years.earlier, years.later), (0, 0));
        assert_eq!(years.span(Unit::Year), Some((2000, 2019)));
        // A date a few months off stays on the chart.
        let near = Timeline::count([Some(at(2017, 3, 1, 0)), Some(at(2017, 9, 1, 0))]);
        assert_eq!((near.earlier, near.later), (0, 0));
    }

    #[test]
    fn one_document_fits_any_unit() {
        let t = Timeline::count([Some(at(2017, 4, 11, 9))]);
        assert_eq!((t.total, t.undated), (1, 0));
        assert_eq!(t.fit(1), Unit::Day);
        for u in Unit::ALL {
            let (a, b) = t.span(u).expect("span");
            assert_eq!(a, b);
            assert_eq!(t.count_in(u, a), 1);
            assert_eq!(t.count_in(u, a + 1), 0);
        }
    }

    #[test]
    fn the_unit_fits_the_width() {
        // 2017-03-14 to 2017-05-04: 52 days, 8 weeks, 3 months.
        let t = Timeline::count([Some(at(2017, 3, 14, 8)), Some(at(2017, 5, 4, 7))]);
        assert_eq!(t.fit(60), Unit::Day);
        assert_eq!(t.fit(52), Unit::Day);
        assert_eq!(t.fit(51), Unit::Week);
        assert_eq!(t.fit(8), Unit::Week);
        assert_eq!(t.fit(7), Unit::Month);
        assert_eq!(t.fit(3), Unit::Month);
        assert_eq!(t.fit(2), Unit::Year);
        // Even years may not fit: then years (the chart scrolls).
        let wide = Timeline::count([Some(at(1971, 1, 1, 0)), Some(at(2017, 1, 1, 0))]);
        assert_eq!(wide.fit(20), Unit::Year);
    }

    #[test]
    fn senders_and_recipients_by_most_documents() {
        let docs = [
            mail(
                "Claire Morel",
                "claire.morel@x.example",
                "Julien Besson, Nadia",
            ),
            mail("", "Claire.Morel@X.example", "Julien Besson"),
            mail("C. Morel", "claire.morel@x.example", "nadia, Nadia"),
            mail("Julien Besson", "julien@x.example", "Claire Morel"),
            mail("", "", ""),
        ];
        let index = PeopleIndex::new(&docs);
        let c = index.count(0..docs.len(), 10);
        assert_eq!(c.sender_total, 2);
        let claire = &c.senders[0];
        assert_eq!(claire.key, "claire.morel@x.example");
        assert_eq!(claire.count, 3, "addresses compare without case");
        // Ties between spellings go to the first in order.
        assert_eq!(claire.name, "C. Morel");
        assert_eq!(
            claire.query(Role::Sender),
            "from:\"claire.morel@x.example\""
        );
        assert_eq!(
            (c.senders[1].name.as_str(), c.senders[1].count),
            ("Julien Besson", 1)
        );
        // Nadia twice in one message counts once.
        let counts: Vec<(&str, u32)> = c
            .recipients
            .iter()
            .map(|p| (p.name.as_str(), p.count))
            .collect();
        assert_eq!(
            counts,
            [("Julien Besson", 2), ("Nadia", 2), ("Claire Morel", 1)]
        );
        assert_eq!(
            c.recipients[0].query(Role::Recipient),
            "(to:\"Julien Besson\" OR cc:\"Julien Besson\")"
        );
        let top = index.count(0..docs.len(), 1);
        assert_eq!((top.senders.len(), top.sender_total), (1, 2));
        assert_eq!(
            sender_key(&docs[1]).as_deref(),
            Some("claire.morel@x.example")
        );
        assert_eq!(sender_key(&docs[4]), None);
    }

    #[test]
    fn a_recipient_cut_by_the_catalog_is_left_out() {
        // As the catalog keeps it: cut at the limit.
        let full = "Person Zero, Person One, Person Two, Person Three, Person Four, Person Five";
        let long = &full[..MAX_RECIPIENTS_BYTES];
        let d = mail("", "a@x", long);
        let people: Vec<&str> = recipients_of(&d).collect();
        assert_eq!(
            people,
            [
                "Person Zero",
                "Person One",
                "Person Two",
                "Person Three",
                "Person Four"
            ]
        );
        let only = "A".repeat(MAX_RECIPIENTS_BYTES);
        let d = mail("", "a@x", &only);
        assert_eq!(recipients_of(&d).count(), 1);
        let quoted = Person {
            key: String::new(),
            name: String::new(),
            term: "a \"b\" \\c".into(),
            count: 1,
        };
        assert_eq!(quoted.query(Role::Sender), r#"from:"a \"b\" \\c""#);
    }

    #[test]
    fn files_are_not_correspondents() {
        let mut file = mail("Someone", "s@x", "Other");
        file.kind = DocKind::File;
        let c = PeopleIndex::new(&[file]).count([0], 10);
        assert!(c.senders.is_empty() && c.recipients.is_empty());
    }
}
