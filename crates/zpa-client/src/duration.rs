//! Durations as ZPA writes them: `15d`, `1d 2h`, `132d 19h 50m 43s`.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

const UNITS: [(char, u64); 4] = [('d', 86_400), ('h', 3_600), ('m', 60), ('s', 1)];

/// A whole number of seconds, written in days, hours, minutes and seconds.
///
/// Parsing accepts what the API sends (`"01d 11h 57m 54s"`, `"17h 32m 50s"`)
/// and what search values use (`15d`, `2h`); printing gives the shortest
/// form, which parses back to the same value.
///
/// With serde it reads and writes its text form; a connector's
/// `lastBrokerConnectTimeDuration` and `lastBrokerDisconnectTimeDuration`
/// are one.
///
/// ```
/// use zpa_client::wire::ZpaDuration;
/// let age: ZpaDuration = "132d 19h 50m 43s".parse()?;
/// assert_eq!(age.as_secs(), 132 * 86_400 + 19 * 3_600 + 50 * 60 + 43);
/// assert_eq!(ZpaDuration::from_secs(90_000).to_string(), "1d 1h");
/// # Ok::<(), zpa_client::wire::InvalidDuration>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ZpaDuration(u64);

/// Why a text is not a [`ZpaDuration`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidDuration {
    text: String,
    position: usize,
    reason: &'static str,
}

impl fmt::Display for InvalidDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid duration {:?} at character {}: {}",
            self.text, self.position, self.reason
        )
    }
}

impl std::error::Error for InvalidDuration {}

impl InvalidDuration {
    /// Where the problem starts, in characters from 0.
    pub fn position(&self) -> usize {
        self.position
    }
}

impl ZpaDuration {
    /// A duration of `seconds`.
    pub const fn from_secs(seconds: u64) -> Self {
        ZpaDuration(seconds)
    }

    /// A duration of `days` whole days.
    pub const fn days(days: u64) -> Self {
        ZpaDuration(days.saturating_mul(86_400))
    }

    /// A duration of `hours` whole hours.
    pub const fn hours(hours: u64) -> Self {
        ZpaDuration(hours.saturating_mul(3_600))
    }

    /// The length in seconds.
    pub const fn as_secs(self) -> u64 {
        self.0
    }
}

impl From<ZpaDuration> for std::time::Duration {
    fn from(value: ZpaDuration) -> Self {
        std::time::Duration::from_secs(value.0)
    }
}

impl FromStr for ZpaDuration {
    type Err = InvalidDuration;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        // Offsets below are bytes at character boundaries; errors count characters.
        let fail = |byte: usize, reason| InvalidDuration {
            text: text.to_owned(),
            position: text[..byte].chars().count(),
            reason,
        };
        let mut total: u64 = 0;
        let mut next_unit = 0;
        let mut parts = 0;
        let mut rest = text;
        loop {
            let trimmed = rest.trim_start();
            if trimmed.is_empty() {
                break;
            }
            let position = text.len() - trimmed.len();
            if parts > 0 && trimmed.len() == rest.len() {
                return Err(fail(position, "parts must be separated by spaces"));
            }
            let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return Err(fail(position, "expected a number"));
            }
            let unit_char = trimmed[digits..].chars().next();
            let Some(index) = UNITS.iter().position(|(unit, _)| Some(*unit) == unit_char) else {
                return Err(fail(position + digits, "expected a unit: d, h, m or s"));
            };
            if index < next_unit {
                return Err(fail(
                    position + digits,
                    "units must come in the order d, h, m, s, once each",
                ));
            }
            let amount: u64 = trimmed[..digits]
                .parse()
                .map_err(|_| fail(position, "number too large"))?;
            total = amount
                .checked_mul(UNITS[index].1)
                .and_then(|seconds| total.checked_add(seconds))
                .ok_or_else(|| fail(position, "number too large"))?;
            next_unit = index + 1;
            parts += 1;
            rest = &trimmed[digits + 1..];
        }
        if parts == 0 {
            return Err(fail(0, "expected a duration such as 15d or 1d 2h"));
        }
        Ok(ZpaDuration(total))
    }
}

impl fmt::Display for ZpaDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            return f.write_str("0s");
        }
        let mut rest = self.0;
        let mut first = true;
        for (unit, seconds) in UNITS {
            let amount = rest / seconds;
            rest %= seconds;
            if amount > 0 {
                if !first {
                    f.write_str(" ")?;
                }
                write!(f, "{amount}{unit}")?;
                first = false;
            }
        }
        Ok(())
    }
}

impl Serialize for ZpaDuration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ZpaDuration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
        text.parse().map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(text: &str) -> u64 {
        text.parse::<ZpaDuration>().unwrap().as_secs()
    }

    #[test]
    fn parses_what_the_api_and_searches_write() {
        assert_eq!(secs("15d"), 15 * 86_400);
        assert_eq!(secs("1d 2h"), 93_600);
        assert_eq!(secs("132d 19h 50m 43s"), 11_476_243);
        assert_eq!(secs("17h 32m 50s"), 63_170);
        assert_eq!(secs("01d 11h 57m 54s"), 129_474);
        assert_eq!(secs("60d 13h 07m 56s"), 5_231_276);
        assert_eq!(secs("0s"), 0);
        assert_eq!(secs(" 2h "), 7_200);
    }

    #[test]
    fn prints_the_shortest_form() {
        for (seconds, text) in [
            (0, "0s"),
            (15 * 86_400, "15d"),
            (93_600, "1d 2h"),
            (11_476_243, "132d 19h 50m 43s"),
            (61, "1m 1s"),
        ] {
            assert_eq!(ZpaDuration::from_secs(seconds).to_string(), text);
            assert_eq!(secs(text), seconds);
        }
    }

    #[test]
    fn rejects_with_the_position() {
        for (text, message) in [
            (
                "",
                "invalid duration \"\" at character 0: expected a duration such as 15d or 1d 2h",
            ),
            (
                "15",
                "invalid duration \"15\" at character 2: expected a unit: d, h, m or s",
            ),
            (
                "2h 1d",
                "invalid duration \"2h 1d\" at character 4: units must come in the order d, h, m, s, once each",
            ),
            (
                "1d1h",
                "invalid duration \"1d1h\" at character 2: parts must be separated by spaces",
            ),
            (
                "d",
                "invalid duration \"d\" at character 0: expected a number",
            ),
            (
                "1d\u{3000}2x",
                "invalid duration \"1d\\u{3000}2x\" at character 4: expected a unit: d, h, m or s",
            ),
            (
                "3w",
                "invalid duration \"3w\" at character 1: expected a unit: d, h, m or s",
            ),
            (
                "99999999999999999999d",
                "invalid duration \"99999999999999999999d\" at character 0: number too large",
            ),
        ] {
            assert_eq!(
                text.parse::<ZpaDuration>().unwrap_err().to_string(),
                message
            );
        }
    }

    #[test]
    fn serde_reads_the_api_and_writes_the_shortest_form() {
        let read: ZpaDuration = serde_json::from_str("\"01d 11h 57m 54s\"").unwrap();
        assert_eq!(read.as_secs(), 129_474);
        assert_eq!(serde_json::to_string(&read).unwrap(), "\"1d 11h 57m 54s\"");
        assert!(serde_json::from_str::<ZpaDuration>("\"soon\"").is_err());
    }
}
