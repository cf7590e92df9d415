//! The two textual duration forms of the API: `"132d 19h 50m 43s"` in
//! answers and `15d`, `1d 2h` in search values.

use std::fmt::Write;

/// Matches the seeds: `"17h 32m 50s"`, `"01d 11h 57m 54s"`, `"132d 19h 50m 43s"`;
/// every unit is zero-padded to two digits and days are left out when zero.
pub(crate) fn format_into(out: &mut String, seconds: i64) {
    let s = seconds.max(0);
    let (d, h, m, s) = (s / 86400, s % 86400 / 3600, s % 3600 / 60, s % 60);
    if d > 0 {
        let _ = write!(out, "{d:02}d {h:02}h {m:02}m {s:02}s");
    } else {
        let _ = write!(out, "{h:02}h {m:02}m {s:02}s");
    }
}

#[cfg(test)]
pub(crate) fn format(seconds: i64) -> String {
    let mut out = String::new();
    format_into(&mut out, seconds);
    out
}

/// Parses `15d`, `1d 2h`, `2h30m`, `45s` or the answer form; a bare number
/// is refused because the unit would be a guess.
pub(crate) fn parse(text: &str) -> Option<i64> {
    let mut total: i64 = 0;
    let mut number = String::new();
    let mut units = 0;
    for c in text.trim().chars() {
        match c {
            '0'..='9' => number.push(c),
            ' ' if number.is_empty() => {}
            'd' | 'h' | 'm' | 's' if !number.is_empty() => {
                let n: i64 = number.parse().ok()?;
                let factor = match c {
                    'd' => 86400,
                    'h' => 3600,
                    'm' => 60,
                    _ => 1,
                };
                total = total.checked_add(n.checked_mul(factor)?)?;
                number.clear();
                units += 1;
            }
            _ => return None,
        }
    }
    (number.is_empty() && units > 0).then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_the_seeds() {
        assert_eq!(format(17 * 3600 + 32 * 60 + 50), "17h 32m 50s");
        assert_eq!(format(86400 + 11 * 3600 + 57 * 60 + 54), "01d 11h 57m 54s");
        assert_eq!(
            format(60 * 86400 + 13 * 3600 + 7 * 60 + 56),
            "60d 13h 07m 56s"
        );
        assert_eq!(
            format(132 * 86400 + 19 * 3600 + 50 * 60 + 43),
            "132d 19h 50m 43s"
        );
        assert_eq!(format(65), "00h 01m 05s");
        assert_eq!(format(-5), "00h 00m 00s");
    }

    #[test]
    fn parses_search_values() {
        assert_eq!(parse("15d"), Some(15 * 86400));
        assert_eq!(parse("1d 2h"), Some(86400 + 7200));
        assert_eq!(parse("2h30m"), Some(9000));
        assert_eq!(
            parse("01d 11h 57m 54s"),
            Some(86400 + 11 * 3600 + 57 * 60 + 54)
        );
        assert_eq!(parse("15"), None);
        assert_eq!(parse("d"), None);
        assert_eq!(parse("15x"), None);
    }
}
