//! Sizes, durations and dates as people write and read them.

/// A byte count: plain bytes (`1048576`), decimal units (`5MB`, `1.5GB`, `10kB`) or
/// binary ones (`512KiB`, `8MiB`). Case and a space before the unit are ignored.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let unit = unit.trim().to_ascii_lowercase();
    let factor: u64 = match unit.as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "m" | "mb" => 1_000_000,
        "g" | "gb" => 1_000_000_000,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        _ => {
            return Err(format!(
                "`{text}` is not a size: use bytes (1048576), decimal units (5MB) or \
                 binary units (512KiB, 8MiB)"
            ))
        }
    };
    let bad = || format!("`{text}` is not a size: the number part `{number}` is not a number");
    if number.is_empty() {
        return Err(bad());
    }
    let bytes = if number.contains('.') {
        let value: f64 = number.parse().map_err(|_| bad())?;
        let bytes = (value * factor as f64).round();
        if !bytes.is_finite() || bytes >= u64::MAX as f64 {
            return Err(format!("`{text}` is too large"));
        }
        bytes as u64
    } else {
        let value: u64 = number.parse().map_err(|_| bad())?;
        value
            .checked_mul(factor)
            .ok_or_else(|| format!("`{text}` is too large"))?
    };
    Ok(bytes)
}

/// A number of seconds: plain (`3600`, `-60`) or with one unit (`90s`, `30m`, `12h`,
/// `7d`).
pub fn parse_seconds(text: &str) -> Result<i64, String> {
    let t = text.trim();
    let (number, factor) = match t.char_indices().last() {
        Some((i, 's')) => (&t[..i], 1),
        Some((i, 'm')) => (&t[..i], 60),
        Some((i, 'h')) => (&t[..i], 3_600),
        Some((i, 'd')) => (&t[..i], 86_400),
        _ => (t, 1),
    };
    let value: i64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds (e.g. 3600, 90m, 12h, 7d)"))?;
    value
        .checked_mul(factor)
        .ok_or_else(|| format!("`{text}` is too large"))
}

/// A byte count for people: `1.5 MiB`, `512 B`.
pub fn format_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// A span of seconds for people: `2d 3h`, `5m 10s`, `42s`. The two largest units.
pub fn format_span(seconds: u64) -> String {
    let parts = [
        (seconds / 86_400, "d"),
        (seconds % 86_400 / 3_600, "h"),
        (seconds % 3_600 / 60, "m"),
        (seconds % 60, "s"),
    ];
    let first = parts.iter().position(|(n, _)| *n > 0).unwrap_or(3);
    parts[first..]
        .iter()
        .take(2)
        .filter(|(n, _)| *n > 0 || first == 3)
        .map(|(n, u)| format!("{n}{u}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A unix time as an RFC 3339 date in UTC (`2033-05-18T03:33:20Z`); `None` for times
/// before 1970 or after the year 9999, which no expiry or `...At` field holds
/// (callers print the number instead).
pub fn rfc3339(unix: i64) -> Option<String> {
    // The first second of the year 10000; humantime formats the range below it.
    const YEAR_10000: u64 = 253_402_300_800;
    let secs = u64::try_from(unix).ok().filter(|s| *s < YEAR_10000)?;
    let time = std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs);
    Some(humantime::format_rfc3339_seconds(time).to_string())
}

/// The current time, unix seconds: KS expiries, session ages, token expiries.
pub fn now() -> i64 {
    kaltura_ks::unix_now()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1048576"), Ok(1_048_576));
        assert_eq!(parse_size("5MB"), Ok(5_000_000));
        assert_eq!(parse_size("512KiB"), Ok(524_288));
        assert_eq!(parse_size("8 mib"), Ok(8 << 20));
        assert_eq!(parse_size("1.5GB"), Ok(1_500_000_000));
        assert_eq!(parse_size("10b"), Ok(10));
        for bad in [
            "",
            "MB",
            "5XB",
            "1.2.3MB",
            "-5",
            "99999999999999999999GB",
            "1e3",
        ] {
            assert!(parse_size(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn seconds() {
        assert_eq!(parse_seconds("3600"), Ok(3600));
        assert_eq!(parse_seconds("-60"), Ok(-60));
        assert_eq!(parse_seconds("90m"), Ok(5400));
        assert_eq!(parse_seconds("7d"), Ok(604_800));
        assert_eq!(parse_seconds("12h"), Ok(43_200));
        for bad in ["", "h", "1.5h", "1w", "9999999999999999999d"] {
            assert!(parse_seconds(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn dates() {
        assert_eq!(rfc3339(0).as_deref(), Some("1970-01-01T00:00:00Z"));
        assert_eq!(
            rfc3339(2_000_000_000).as_deref(),
            Some("2033-05-18T03:33:20Z")
        );
        assert_eq!(
            rfc3339(951_782_400).as_deref(),
            Some("2000-02-29T00:00:00Z")
        );
        assert_eq!(
            rfc3339(253_402_300_799).as_deref(),
            Some("9999-12-31T23:59:59Z")
        );
        assert_eq!(rfc3339(253_402_300_800), None);
        assert_eq!(rfc3339(-1), None);
        assert_eq!(rfc3339(i64::MAX), None);
        assert_eq!(rfc3339(i64::MIN), None);
    }

    #[test]
    fn spans_and_bytes() {
        assert_eq!(format_span(0), "0s");
        assert_eq!(format_span(42), "42s");
        assert_eq!(format_span(3_600), "1h");
        assert_eq!(format_span(86_399), "23h 59m");
        assert_eq!(format_span(90_061), "1d 1h");
        assert_eq!(format_span(310), "5m 10s");
        assert_eq!(format_bytes(512), "512 B");
        assert_eq!(format_bytes(1536), "1.5 KiB");
        assert_eq!(format_bytes(u64::MAX), "16384.0 PiB");
    }
}
