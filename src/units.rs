//! Sizes and durations as users write them (`64M`, `1GiB`, `100ms`, `2m`), one parser each
//! for every door that takes them: `mount mem SIZE`, `spawn -m/-t`, Rhai's `spawn`. [`size`]
//! and [`duration`] only say whether the text is one; [`parse_size`] and [`parse_duration`]
//! add the typed error that says what one looks like. Nothing here knows the shell.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use thiserror::Error;

/// Text that is not the size or duration asked for; the message shows what one looks like.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum UnitError {
    #[error("not a duration: '{0}' (say 100ms, 2s, 1m)")]
    Duration(String),
    #[error("not a size: '{0}' (say 65536, 64k, 64M, 1G)")]
    Size(String),
}

/// A duration (see [`duration`]), or the error saying what one is.
pub fn parse_duration(text: &str) -> Result<Duration, UnitError> {
    duration(text).ok_or_else(|| UnitError::Duration(text.to_string()))
}

/// A size in bytes that fits memory (see [`size`]), or the error saying what one is.
pub fn parse_size(text: &str) -> Result<usize, UnitError> {
    size(text)
        .and_then(|bytes| usize::try_from(bytes).ok())
        .ok_or_else(|| UnitError::Size(text.to_string()))
}

/// A size in bytes: a whole number with an optional `K`, `M` or `G` (either case; powers of
/// 1024), which may be followed by `iB` or `B`: `65536`, `64k`, `64M`, `1GiB`.
pub fn size(text: &str) -> Option<u64> {
    let (number, unit) = split_unit(text);
    let value: u64 = number.parse().ok()?;
    let unit = unit.trim_end_matches("iB").trim_end_matches('B');
    let scale: u64 = match unit {
        "" => 1,
        "k" | "K" => 1 << 10,
        "m" | "M" => 1 << 20,
        "g" | "G" => 1 << 30,
        _ => return None,
    };
    value.checked_mul(scale)
}

/// A duration: a number with `ms`, `s` (the default) or `m`: `100ms`, `1.5`, `2m`.
pub fn duration(text: &str) -> Option<Duration> {
    let (number, unit) = split_unit(text);
    let value: f64 = number.parse().ok()?;
    let seconds = match unit {
        "ms" => value / 1000.0,
        "" | "s" => value,
        "m" => value * 60.0,
        _ => return None,
    };
    Duration::try_from_secs_f64(seconds).ok()
}

/// The leading number (digits and dots) and the unit after it.
fn split_unit(text: &str) -> (&str, &str) {
    let at = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    text.split_at(at)
}

/// `at` as RFC 3339 UTC with milliseconds. A time before 1970 is written as the epoch.
pub fn rfc3339_millis(at: SystemTime) -> String {
    let since = at.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    let (days, in_day) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        in_day / 3600,
        in_day / 60 % 60,
        in_day % 60,
        since.subsec_millis()
    )
}

/// The proleptic Gregorian (year, month, day) `days` after 1970-01-01: Howard Hinnant's
/// `civil_from_days`, for non-negative day counts.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        for (text, bytes) in [
            ("4096", 4096),
            ("64k", 64 << 10),
            ("3m", 3 << 20),
            ("64M", 64 << 20),
            ("1GiB", 1 << 30),
            ("2G", 2 << 30),
        ] {
            assert_eq!(size(text), Some(bytes), "{text}");
        }
        for bad in [
            "",
            "K",
            "1.5G",
            "-1",
            "12T",
            "99999999999999999999G",
            "lots",
        ] {
            assert_eq!(size(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn durations() {
        assert_eq!(duration("100ms"), Some(Duration::from_millis(100)));
        assert_eq!(duration("1.5"), Some(Duration::from_millis(1500)));
        assert_eq!(duration("2m"), Some(Duration::from_secs(120)));
        for bad in ["", "soon", "1h", "-1s"] {
            assert_eq!(duration(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn typed_parsers_say_what_a_unit_looks_like() {
        assert_eq!(parse_duration("1.5"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_size("1GiB"), Ok(1 << 30));
        assert_eq!(
            parse_duration("1h").map_err(|e| e.to_string()),
            Err("not a duration: '1h' (say 100ms, 2s, 1m)".into())
        );
        assert_eq!(parse_size("-1"), Err(UnitError::Size("-1".into())));
        assert!(parse_duration("1e400").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
    }
}
