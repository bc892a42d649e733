//! Dates: the two years the dump spans, the time zones of its people, calendar
//! arithmetic done by hand (days to year/month/day) and the RFC 2822 and
//! asctime formats.

use std::io::Write as _;

/// Offset from UTC in minutes, and the comment some mailers add.
pub(super) const ZONES: [(i32, &str); 13] = [
    (-480, "PST"),
    (-420, "PDT"),
    (-360, "CST"),
    (-300, "CDT"),
    (-300, "EST"),
    (-240, "EDT"),
    (0, "GMT"),
    (0, "UTC"),
    (60, "CET"),
    (120, "CEST"),
    (330, "IST"),
    (540, "JST"),
    (600, "AEST"),
];

pub(super) const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
pub(super) const MONTHS_LONG: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
pub(super) const MONTHS_FR: [&str; 12] = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
    "déc.",
];
pub(super) const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
pub(super) const WEEKDAYS_LONG: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
pub(super) const WEEKDAYS_FR: [&str; 7] = ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."];

/// 2016-01-04 00:00:00 UTC, a Monday: the first day of the dump.
pub(super) const BASE_TIME: i64 = 1_451_865_600;
pub(super) const SPAN_DAYS: u64 = 730;

/// Days since 1970-01-01 → (year, month 1..=12, day 1..=31).
fn civil(days: i64) -> (i64, usize, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as usize;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Broken-down local time.
pub(super) struct Tm {
    pub(super) year: i64,
    pub(super) month: usize, // 1..=12
    pub(super) day: u32,
    pub(super) weekday: usize, // 0 = Sunday
    pub(super) hour: i64,
    pub(super) minute: i64,
    pub(super) second: i64,
}

impl Tm {
    /// The hour on a 12-hour clock and its `AM`/`PM`.
    pub(super) fn hour12(&self) -> (i64, &'static str) {
        (
            (self.hour + 11) % 12 + 1,
            if self.hour < 12 { "AM" } else { "PM" },
        )
    }
}

pub(super) fn tm(utc: i64, offset_minutes: i32) -> Tm {
    let local = utc + i64::from(offset_minutes) * 60;
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    let (year, month, day) = civil(days);
    Tm {
        year,
        month,
        day,
        weekday: (days + 4).rem_euclid(7) as usize,
        hour: secs / 3600,
        minute: secs / 60 % 60,
        second: secs % 60,
    }
}

/// `Tue, 14 Mar 2017 10:02:11 -0700` (optionally ` (PDT)`, or without the
/// weekday).
pub(super) fn write_rfc2822(
    out: &mut Vec<u8>,
    utc: i64,
    zone: usize,
    comment: bool,
    weekday: bool,
) {
    let (offset, name) = ZONES[zone];
    let t = tm(utc, offset);
    if weekday {
        out.extend_from_slice(WEEKDAYS[t.weekday].as_bytes());
        out.extend_from_slice(b", ");
    }
    let sign = if offset < 0 { '-' } else { '+' };
    let off = offset.abs();
    let _ = write!(
        out,
        "{} {} {} {:02}:{:02}:{:02} {sign}{:02}{:02}",
        t.day,
        MONTHS[t.month - 1],
        t.year,
        t.hour,
        t.minute,
        t.second,
        off / 60,
        off % 60
    );
    if comment {
        let _ = write!(out, " ({name})");
    }
}

/// `Tue Mar 14 17:02:11 2017` (UTC), as in an mbox `From ` line.
pub(super) fn write_asctime(out: &mut Vec<u8>, utc: i64) {
    let t = tm(utc, 0);
    let _ = write!(
        out,
        "{} {} {:2} {:02}:{:02}:{:02} {}",
        WEEKDAYS[t.weekday],
        MONTHS[t.month - 1],
        t.day,
        t.hour,
        t.minute,
        t.second,
        t.year
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(BASE_TIME / 86_400), (2016, 1, 4));
        let mut out = Vec::new();
        write_rfc2822(&mut out, 1_489_654_931, 8, true, true);
        assert_eq!(out, b"Thu, 16 Mar 2017 10:02:11 +0100 (CET)");
        out.clear();
        write_asctime(&mut out, 1_489_654_931);
        assert_eq!(out, b"Thu Mar 16 09:02:11 2017");
    }
}
