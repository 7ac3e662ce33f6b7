//! Keyset cursors for "newest first" lists: the sort date and id of the last item shown.

use chrono::{Datelike, NaiveDate};
use std::fmt;

/// A position in a list sorted by (date, id) descending, written `2022-01-01.123` in URLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateCursor {
    pub date: NaiveDate,
    pub id: i64,
}

/// The years a page position can name: four digits, as the links we write have. PostgreSQL
/// refuses dates far outside this (chrono parses years down to -262143), so they stop here.
pub const CURSOR_YEARS: std::ops::RangeInclusive<i32> = 1..=9999;

impl DateCursor {
    /// The reason names no input: a broken link is reported, not echoed.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let broken = || "this page link is not valid: it is not a page position (like 2022-01-01.42)".to_owned();
        let (date, id) = raw.split_once('.').ok_or_else(broken)?;
        let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| broken())?;
        if !CURSOR_YEARS.contains(&date.year()) {
            return Err(broken());
        }
        let id = id.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(broken)?;
        Ok(Self { date, id })
    }
}

impl fmt::Display for DateCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.date.format("%Y-%m-%d"), self.id)
    }
}

/// A position in a list sorted by (count, id) descending ("most cited first"), written
/// `120.42` in URLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountCursor {
    pub count: i64,
    pub id: i64,
}

impl CountCursor {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let broken = || "this page link is not valid: it is not a page position (like 120.42)".to_owned();
        let (count, id) = raw.split_once('.').ok_or_else(broken)?;
        let count = count.parse::<i64>().ok().filter(|c| (0..=i64::from(i32::MAX)).contains(c)).ok_or_else(broken)?;
        let id = id.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(broken)?;
        Ok(Self { count, id })
    }
}

impl fmt::Display for CountCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.count, self.id)
    }
}

/// How a record's works are listed, and from where: newest first or most cited first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorksAfter {
    Newest(Option<DateCursor>),
    MostCited(Option<CountCursor>),
}

impl WorksAfter {
    /// From the page's `sort` (absent or `newest`, or `cited`) and `after` parameters.
    pub fn parse(sort: Option<&str>, after: Option<&str>) -> Result<Self, (&'static str, String)> {
        let after = after.filter(|a| !a.is_empty());
        match sort.filter(|s| !s.is_empty()) {
            None | Some("newest") => {
                Ok(Self::Newest(after.map(DateCursor::parse).transpose().map_err(|reason| ("after", reason))?))
            }
            Some("cited") => {
                Ok(Self::MostCited(after.map(CountCursor::parse).transpose().map_err(|reason| ("after", reason))?))
            }
            Some(_) => Err(("sort", "works can be sorted by newest or by most cited only".to_owned())),
        }
    }

    pub fn is_first(self) -> bool {
        matches!(self, Self::Newest(None) | Self::MostCited(None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn works_order_and_cursor_come_from_the_query_and_bad_ones_are_refused() {
        assert_eq!(WorksAfter::parse(None, None), Ok(WorksAfter::Newest(None)));
        assert_eq!(
            WorksAfter::parse(Some("cited"), Some("12.7")),
            Ok(WorksAfter::MostCited(Some(CountCursor { count: 12, id: 7 })))
        );
        assert_eq!(CountCursor::parse("12.7").map(|c| c.to_string()), Ok("12.7".to_owned()));
        assert!(WorksAfter::parse(Some("cited"), Some("2022-01-01.4")).is_err(), "a date cursor is no count cursor");
        assert!(WorksAfter::parse(Some("oldest"), None).is_err());
        assert!(CountCursor::parse("-1.4").is_err() && CountCursor::parse("1.0").is_err());
    }

    #[test]
    fn a_cursor_round_trips_through_its_url_form() {
        let cursor = DateCursor::parse("2022-01-01.42");
        assert_eq!(cursor.map(|c| c.to_string()), Ok("2022-01-01.42".to_owned()));
    }

    #[test]
    fn broken_cursors_are_refused_with_a_reason() {
        for raw in ["", "2022-01-01", "2022-13-01.4", "2022-01-01.x", "2022-01-01.-3", "a\0.1"] {
            let err = DateCursor::parse(raw).err();
            assert!(err.is_some_and(|e| e.contains("page position")), "{raw}");
        }
    }

    #[test]
    fn years_outside_four_digits_are_refused_before_they_reach_the_database() {
        for raw in ["-5000-01-01.1", "0000-01-01.1", "+10000-01-01.1", "-262143-01-01.1", "262142-12-31.1"] {
            let err = DateCursor::parse(raw).err();
            assert!(err.is_some_and(|e| e.contains("this page link is not valid")), "{raw}");
        }
        assert!(DateCursor::parse("0001-01-01.1").is_ok());
        assert!(DateCursor::parse("9999-12-31.1").is_ok());
    }
}
