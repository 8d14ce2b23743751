//! Cell values: weights and timestamps from text.

use chrono::{DateTime, NaiveDate, NaiveDateTime};

use crate::error::RowProblem;

/// Text of a cell, which must be UTF-8 (ids become JavaScript strings).
pub fn text(cell: &[u8]) -> Result<&str, RowProblem> {
    std::str::from_utf8(cell).map_err(|_| RowProblem::BadUtf8)
}

/// A weight: any decimal number that fits `f32` and is finite (surrounding spaces allowed).
pub fn weight(cell: &[u8]) -> Result<f32, RowProblem> {
    let s = text(cell)?.trim();
    let w: f32 = s.parse().map_err(|_| RowProblem::NotANumber {
        what: "the weight",
        text: s.to_string(),
    })?;
    finite(w, || s.to_string())
}

/// `w`, or the error for a non-finite weight read as `shown()` (only written out then).
pub fn finite(w: f32, shown: impl FnOnce() -> String) -> Result<f32, RowProblem> {
    if w.is_finite() {
        Ok(w)
    } else {
        Err(RowProblem::NotFinite { text: shown() })
    }
}

/// A timestamp as whole seconds since 1970-01-01 UTC: integer seconds as they are, or an
/// ISO-8601 date-time (RFC 3339 with an offset or `Z`; without one it is taken as UTC; `T`
/// or a space between date and time; fractions of a second dropped) or date (midnight UTC).
pub fn timestamp(cell: &[u8]) -> Result<i64, RowProblem> {
    let s = text(cell)?.trim();
    if let Ok(n) = s.parse::<i64>() {
        return Ok(n);
    }
    iso_seconds(s).ok_or_else(|| RowProblem::BadTimestamp {
        text: s.to_string(),
    })
}

fn iso_seconds(s: &str) -> Option<i64> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp());
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, format) {
            return Some(t.and_utc().timestamp());
        }
    }
    if let Ok(t) = DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f%:z") {
        return Some(t.timestamp());
    }
    let day = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    Some(day.and_hms_opt(0, 0, 0)?.and_utc().timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights() {
        assert_eq!(weight(b" 4.5 "), Ok(4.5));
        assert_eq!(weight(b"-1e3"), Ok(-1000.0));
        assert!(matches!(weight(b"x"), Err(RowProblem::NotANumber { .. })));
        assert!(matches!(weight(b""), Err(RowProblem::NotANumber { .. })));
        assert!(matches!(weight(b"NaN"), Err(RowProblem::NotFinite { .. })));
        assert!(matches!(weight(b"inf"), Err(RowProblem::NotFinite { .. })));
        assert!(matches!(weight(b"1e39"), Err(RowProblem::NotFinite { .. })));
        assert_eq!(weight(&[0xff]), Err(RowProblem::BadUtf8));
    }

    #[test]
    fn timestamps() {
        assert_eq!(timestamp(b"881250949"), Ok(881_250_949));
        assert_eq!(timestamp(b"1970-01-02"), Ok(86_400));
        assert_eq!(timestamp(b"1970-01-01T00:01:00Z"), Ok(60));
        assert_eq!(timestamp(b"1970-01-01T01:00:00+01:00"), Ok(0));
        assert_eq!(timestamp(b"1970-01-01 00:00:10.75"), Ok(10));
        assert_eq!(timestamp(b"1970-01-01T00:00:10"), Ok(10));
        assert!(matches!(
            timestamp(b"yesterday"),
            Err(RowProblem::BadTimestamp { .. })
        ));
    }
}
