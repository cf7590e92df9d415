//! Approval times: seconds since the Unix epoch, from the types a caller
//! has ([`EpochSeconds`]) and from JSON, where they are a number or, on
//! native targets, RFC 3339 text (what `JSON.stringify` makes of a `Date`).

use serde::{Deserialize, Deserializer};

use crate::runtime::{SystemTime, UNIX_EPOCH};

/// The first second no approval time can be: 5138-11-16. A time from here
/// on is most likely milliseconds given as seconds (`Date.now()`).
pub(crate) const MILLISECONDS_FROM: i64 = 100_000_000_000;

/// A point in time as the API takes it, in seconds since the Unix epoch:
/// integers as they are, `SystemTime` and (native) `jiff::Timestamp`
/// converted. A time out of range saturates, and a request's checks refuse it.
pub trait EpochSeconds {
    /// Seconds since 1970-01-01T00:00:00Z.
    fn epoch_seconds(&self) -> i64;
}

impl EpochSeconds for i64 {
    fn epoch_seconds(&self) -> i64 {
        *self
    }
}

impl EpochSeconds for i32 {
    fn epoch_seconds(&self) -> i64 {
        i64::from(*self)
    }
}

impl EpochSeconds for u32 {
    fn epoch_seconds(&self) -> i64 {
        i64::from(*self)
    }
}

impl EpochSeconds for u64 {
    fn epoch_seconds(&self) -> i64 {
        i64::try_from(*self).unwrap_or(i64::MAX)
    }
}

/// `std::time::SystemTime` on native targets; on wasm32, whose `std` clock
/// cannot be read, the browser clock's `web_time::SystemTime`.
impl EpochSeconds for SystemTime {
    fn epoch_seconds(&self) -> i64 {
        match self.duration_since(UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
            Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |s| -s),
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl EpochSeconds for jiff::Timestamp {
    fn epoch_seconds(&self) -> i64 {
        self.as_second()
    }
}

impl<T: EpochSeconds + ?Sized> EpochSeconds for &T {
    fn epoch_seconds(&self) -> i64 {
        (**self).epoch_seconds()
    }
}

/// A time in JSON: epoch seconds, or RFC 3339 text.
#[derive(Deserialize)]
#[serde(untagged)]
enum TimeJson {
    Seconds(i64),
    Text(String),
}

impl TimeJson {
    fn seconds<E: serde::de::Error>(self) -> Result<i64, E> {
        match self {
            TimeJson::Seconds(seconds) => Ok(seconds),
            TimeJson::Text(text) => parse_text(&text).map_err(E::custom),
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn parse_text(text: &str) -> Result<i64, String> {
    text.parse::<jiff::Timestamp>()
        .map(|time| time.as_second())
        .map_err(|_| {
            format!("{text:?} is neither epoch seconds nor RFC 3339 (2026-11-24T09:00:00Z)")
        })
}

// jiff is not in the wasm build, whose JavaScript callers pass a `Date`.
#[cfg(target_arch = "wasm32")]
fn parse_text(text: &str) -> Result<i64, String> {
    Err(format!(
        "{text:?}: this build reads times as epoch seconds only"
    ))
}

/// Reads a required time.
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    TimeJson::deserialize(deserializer)?.seconds()
}

/// Reads a time that may be absent.
pub(crate) fn deserialize_option<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<i64>, D::Error> {
    Option::<TimeJson>::deserialize(deserializer)?
        .map(TimeJson::seconds)
        .transpose()
}

/// The schema of a time as [`deserialize`] reads it.
#[cfg(feature = "schemars")]
pub(crate) fn schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "description": "Epoch seconds (not milliseconds), or RFC 3339 text such as 2026-11-24T09:00:00Z.",
        "anyOf": [
            { "type": "integer" },
            { "type": "string", "format": "date-time" }
        ]
    })
}
