//! Keyset cursors for "oldest first" lists sorted by a timestamp and id (the moderation queue).

use chrono::{DateTime, Utc};
use std::fmt;

/// The last microsecond of the year 9999: no stored timestamp lies beyond it.
const MAX_MICROS: i64 = 253_402_300_799_999_999;

/// A position in a list sorted by (time, id) ascending, written `<unix microseconds>.<id>` in
/// URLs: exact to the microsecond, as PostgreSQL stores it, so no row is skipped or repeated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeCursor {
    at: DateTime<Utc>,
    id: i64,
}

impl TimeCursor {
    pub fn new(at: DateTime<Utc>, id: i64) -> Self {
        Self { at, id }
    }

    pub fn at(&self) -> DateTime<Utc> {
        self.at
    }

    pub fn id(&self) -> i64 {
        self.id
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        let broken = || "that is not a page position (like 1767225600000000.42)".to_owned();
        let (micros, id) = raw.split_once('.').ok_or_else(broken)?;
        let micros = micros.parse::<i64>().ok().filter(|m| (0..=MAX_MICROS).contains(m)).ok_or_else(broken)?;
        let id = id.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(broken)?;
        let at = DateTime::from_timestamp_micros(micros).ok_or_else(broken)?;
        Ok(Self { at, id })
    }
}

impl fmt::Display for TimeCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.at.timestamp_micros(), self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_round_trips_through_its_url_form_to_the_microsecond() {
        let cursor = TimeCursor::parse("1767225600123456.42").expect("a cursor");
        assert_eq!(cursor.at().timestamp_subsec_micros(), 123_456);
        assert_eq!(cursor.id(), 42);
        assert_eq!(cursor.to_string(), "1767225600123456.42");
    }

    #[test]
    fn broken_or_out_of_range_cursors_are_refused_with_a_reason() {
        for raw in ["", "17", "x.1", "1.x", "1.0", "1.-3", "-5.1", "253402300800000000.1", "1.1.1", "1 .1"] {
            let err = TimeCursor::parse(raw).err();
            assert!(err.is_some_and(|e| e.contains("page position")), "{raw}");
        }
    }
}
