//! A proleptic Gregorian calendar for the simulation: a start date plus virtual time gives
//! "today", which card-expiry checks compare against (never the wall clock).
//!
//! Day arithmetic is Howard Hinnant's integer algorithms (`days_from_civil`,
//! `civil_from_days`, from "chrono-Compatible Low-Level Date Algorithms"): exact, no floats,
//! identical on every platform.

use serde::{Deserialize, Serialize};
use std::fmt;

pub const MICROS_PER_DAY: u64 = 86_400_000_000;

/// Field order is year, month, day, so the derived `Ord` is chronological.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CalendarDate {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

pub fn is_leap_year(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// 0 for a month outside 1..=12.
pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl CalendarDate {
    pub const MIN: CalendarDate = CalendarDate {
        year: 0,
        month: 1,
        day: 1,
    };
    pub const MAX: CalendarDate = CalendarDate {
        year: u16::MAX,
        month: 12,
        day: 31,
    };
    /// 1970-01-01, day 0.
    pub const UNIX_EPOCH: CalendarDate = CalendarDate {
        year: 1970,
        month: 1,
        day: 1,
    };

    /// `None` unless the day exists (e.g. 2023-02-29 does not).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        (day >= 1 && day <= days_in_month(year, month)).then_some(Self { year, month, day })
    }

    /// Days since 1970-01-01 (negative before it). Hinnant's `days_from_civil`.
    pub fn days_since_epoch(self) -> i64 {
        let (m, d) = (self.month as i64, self.day as i64);
        let y = self.year as i64 - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400; // [0, 399]
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1; // [0, 365]
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01; `None` outside years 0..=65535. Hinnant's
    /// `civil_from_days`.
    pub fn from_days_since_epoch(days: i64) -> Option<Self> {
        if days < Self::MIN.days_since_epoch() || days > Self::MAX.days_since_epoch() {
            return None;
        }
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097; // [0, 146096]
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
        let mp = (5 * doy + 2) / 153; // [0, 11]
        let day = doy - (153 * mp + 2) / 5 + 1; // [1, 31]
        let month = if mp < 10 { mp + 3 } else { mp - 9 }; // [1, 12]
        let year = yoe + era * 400 + i64::from(month <= 2);
        // The range check above keeps year in 0..=65535.
        Some(Self {
            year: u16::try_from(year).ok()?,
            month: month as u8,
            day: day as u8,
        })
    }

    /// The date `micros` of virtual time after `self` (whole days only; the time of day is
    /// dropped). Saturates at `MAX`, which u64 microseconds (584 000 years) can reach.
    pub fn add_micros(self, micros: u64) -> Self {
        let days = (micros / MICROS_PER_DAY) as i64; // at most 213 503 982: no overflow
        Self::from_days_since_epoch(self.days_since_epoch() + days).unwrap_or(Self::MAX)
    }

    /// Strict `YYYY-MM-DD` (four-digit year, two-digit month and day).
    pub fn parse(text: &str) -> Result<Self, String> {
        let bytes = text.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape_ok {
            return Err(format!(
                "expected a date as YYYY-MM-DD, got {}",
                super::field_error::excerpt(text)
            ));
        }
        let number = |range: std::ops::Range<usize>| {
            bytes[range]
                .iter()
                .fold(0u16, |acc, b| acc * 10 + (b - b'0') as u16)
        };
        let (year, month, day) = (number(0..4), number(5..7) as u8, number(8..10) as u8);
        Self::new(year, month, day).ok_or_else(|| format!("{text} is not a calendar date"))
    }
}

impl fmt::Display for CalendarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> CalendarDate {
        CalendarDate::parse(text).expect("valid test date")
    }

    #[test]
    fn day_zero_is_the_unix_epoch_and_known_days_match() {
        assert_eq!(
            CalendarDate::from_days_since_epoch(0),
            Some(CalendarDate::UNIX_EPOCH)
        );
        // 2000-03-01 is day 11017; 1969-12-31 is day -1 (reference values from `date -d`).
        assert_eq!(date("2000-03-01").days_since_epoch(), 11_017);
        assert_eq!(
            CalendarDate::from_days_since_epoch(-1),
            Some(date("1969-12-31"))
        );
        assert_eq!(date("2024-02-29").days_since_epoch(), 19_782);
    }

    /// Every day of 1900–2200 (the dates a simulation uses), then a prime stride across the
    /// whole supported range; each must round-trip, be a real date, and follow the previous one.
    #[test]
    fn days_round_trip_across_the_supported_range() {
        let check_run = |from: i64, to: i64, step: i64| {
            let mut previous: Option<CalendarDate> = None;
            let mut d = from;
            while d <= to {
                let c = CalendarDate::from_days_since_epoch(d).expect("in range");
                assert_eq!(c.days_since_epoch(), d);
                assert!(CalendarDate::new(c.year, c.month, c.day).is_some(), "{c}");
                if let Some(p) = previous {
                    assert!(p < c, "{p} then {c}");
                    if step == 1 {
                        let next_day = CalendarDate::new(p.year, p.month, p.day + 1);
                        let next_month = CalendarDate::new(p.year, p.month + 1, 1);
                        let next_year = CalendarDate::new(p.year + 1, 1, 1);
                        assert_eq!(Some(c), next_day.or(next_month).or(next_year), "after {p}");
                    }
                }
                previous = Some(c);
                d += step;
            }
        };
        check_run(
            date("1900-01-01").days_since_epoch(),
            date("2200-12-31").days_since_epoch(),
            1,
        );
        check_run(
            CalendarDate::MIN.days_since_epoch(),
            CalendarDate::MAX.days_since_epoch(),
            97,
        );
        assert_eq!(
            CalendarDate::from_days_since_epoch(CalendarDate::MAX.days_since_epoch()),
            Some(CalendarDate::MAX)
        );
        assert_eq!(
            CalendarDate::from_days_since_epoch(CalendarDate::MIN.days_since_epoch()),
            Some(CalendarDate::MIN)
        );
    }

    #[test]
    fn dates_outside_years_0_to_65535_are_refused() {
        assert_eq!(CalendarDate::from_days_since_epoch(i64::MIN), None);
        assert_eq!(CalendarDate::from_days_since_epoch(i64::MAX), None);
        assert_eq!(
            CalendarDate::from_days_since_epoch(CalendarDate::MAX.days_since_epoch() + 1),
            None
        );
        assert_eq!(
            CalendarDate::from_days_since_epoch(CalendarDate::MIN.days_since_epoch() - 1),
            None
        );
    }

    #[test]
    fn virtual_time_advances_the_date_by_whole_days() {
        let start = date("2025-12-31");
        assert_eq!(start.add_micros(0), start);
        assert_eq!(start.add_micros(MICROS_PER_DAY - 1), start);
        assert_eq!(start.add_micros(MICROS_PER_DAY), date("2026-01-01"));
        assert_eq!(
            date("2024-02-28").add_micros(MICROS_PER_DAY),
            date("2024-02-29")
        );
        assert_eq!(
            CalendarDate::add_micros(date("2023-02-28"), MICROS_PER_DAY),
            date("2023-03-01")
        );
    }

    #[test]
    fn the_largest_virtual_time_saturates_instead_of_overflowing() {
        assert_eq!(date("2025-01-01").add_micros(u64::MAX), CalendarDate::MAX);
    }

    #[test]
    fn leap_years_follow_the_gregorian_rule() {
        assert!(is_leap_year(2024) && is_leap_year(2000) && is_leap_year(0));
        assert!(!is_leap_year(1900) && !is_leap_year(2023));
        assert_eq!(days_in_month(2023, 2), 28);
        assert_eq!(days_in_month(2023, 13), 0);
    }

    #[test]
    fn parse_accepts_real_dates_and_explains_bad_ones() {
        assert_eq!(
            date("2025-06-01"),
            CalendarDate {
                year: 2025,
                month: 6,
                day: 1
            }
        );
        assert_eq!(date("2025-06-01").to_string(), "2025-06-01");
        for bad in ["2023-02-29", "2025-13-01", "2025-00-10", "2025-04-31"] {
            let e = CalendarDate::parse(bad).expect_err(bad);
            assert!(e.contains("is not a calendar date"), "{e}");
        }
        for bad in [
            "",
            "2025-6-1",
            "25-06-01",
            "2025/06/01",
            "２０２５-06-01",
            "2025-06-01x",
        ] {
            let e = CalendarDate::parse(bad).expect_err(bad);
            assert!(e.contains("YYYY-MM-DD"), "{e}");
        }
    }
}
