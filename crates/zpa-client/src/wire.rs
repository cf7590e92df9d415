//! Wire types the generator cannot derive from the spec: they replace the
//! spec's `Id`, `Int64String` and `ZpaDuration` schemas, and wrap the objects the API
//! answers with (see `xtask/src/generate.rs`).
//!
//! The API sends integers as JSON strings and ids beyond 2^53, so both types
//! decode from a string or a number, and encode the way the API does: as a
//! string. Its objects grow fields faster than any model, so each one keeps
//! the JSON it arrived as ([`Lossless`]).

use std::fmt;
use std::str::FromStr;

use compact_str::ToCompactString;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

pub use crate::duration::{InvalidDuration, ZpaDuration};
pub use crate::lossless::Lossless;
/// The model's strings: most are short (states, versions, names), and up
/// to 24 bytes one is held inline, so a listing allocates a fraction as
/// often. It derefs to `str` and converts to and from `String`.
pub use compact_str::CompactString;

/// A 64-bit identifier, kept as the decimal text the API sent.
///
/// Ids exceed 2^53, so they are never held in a floating-point number.
/// [`Id::from_str`] accepts only an optional `-` followed by 1 to 19 digits;
/// decoding accepts whatever string the server sends, and integer numbers.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id(CompactString);

/// An integer the API sends as a JSON string (`"totalPages": "168"`).
///
/// It serializes back as a string, as the API wrote it, except inside
/// [`integers_as_numbers`].
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Int64String(pub i64);

/// Why a text is not a valid [`Id`] or [`Int64String`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidNumber {
    what: &'static str,
    text: String,
}

impl fmt::Display for InvalidNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not {}", self.text, self.what)
    }
}

impl std::error::Error for InvalidNumber {}

impl Id {
    /// The id as the decimal text the API uses.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Id {
    type Err = InvalidNumber;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let digits = text.strip_prefix('-').unwrap_or(text);
        if (1..=19).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Id(text.into()))
        } else {
            Err(InvalidNumber {
                what: "an id (digits only, at most 19)",
                text: text.to_owned(),
            })
        }
    }
}

impl TryFrom<&str> for Id {
    type Error = InvalidNumber;
    fn try_from(text: &str) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl TryFrom<String> for Id {
    type Error = InvalidNumber;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl TryFrom<&String> for Id {
    type Error = InvalidNumber;
    fn try_from(text: &String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<u64> for Id {
    fn from(value: u64) -> Self {
        Id(value.to_compact_string())
    }
}

/// An id reads as its digits wherever text is taken (`get(&id)`).
impl AsRef<str> for Id {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Id {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Id {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<String> for Id {
    fn eq(&self, other: &String) -> bool {
        self.0 == *other
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IdVisitor;

        impl Visitor<'_> for IdVisitor {
            type Value = Id;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an id as a string or an integer")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Id, E> {
                Ok(Id(text.into()))
            }

            fn visit_string<E: de::Error>(self, text: String) -> Result<Id, E> {
                Ok(Id(text.into()))
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Id, E> {
                Ok(Id(value.to_compact_string()))
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Id, E> {
                Ok(Id(value.to_compact_string()))
            }
        }

        deserializer.deserialize_any(IdVisitor)
    }
}

impl Int64String {
    /// The integer value.
    pub fn get(self) -> i64 {
        self.0
    }
}

impl From<i64> for Int64String {
    fn from(value: i64) -> Self {
        Int64String(value)
    }
}

impl From<Int64String> for i64 {
    fn from(value: Int64String) -> Self {
        value.0
    }
}

impl FromStr for Int64String {
    type Err = InvalidNumber;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        text.parse().map(Int64String).map_err(|_| InvalidNumber {
            what: "a 64-bit integer",
            text: text.to_owned(),
        })
    }
}

impl fmt::Display for Int64String {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for Int64String {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

thread_local! {
    static AS_NUMBERS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with every [`Int64String`] serializing as a number instead of a
/// string: for JavaScript callers, who expect counts and epoch times as
/// numbers. (serde gives serializers no way to ask for this: the flag is
/// scoped to the call and to this thread.)
pub fn integers_as_numbers<R>(f: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            AS_NUMBERS.with(|flag| flag.set(self.0));
        }
    }
    let _restore = Restore(AS_NUMBERS.with(|flag| flag.replace(true)));
    f()
}

impl Serialize for Int64String {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if AS_NUMBERS.with(|flag| flag.get()) {
            serializer.serialize_i64(self.0)
        } else {
            serializer.collect_str(&self.0)
        }
    }
}

impl<'de> Deserialize<'de> for Int64String {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IntVisitor;

        impl Visitor<'_> for IntVisitor {
            type Value = Int64String;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer, as a number or a string of digits")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Int64String, E> {
                text.parse().map_err(E::custom)
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Int64String, E> {
                Ok(Int64String(value))
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Int64String, E> {
                i64::try_from(value)
                    .map(Int64String)
                    .map_err(|_| E::custom(format!("{value} does not fit in 64 signed bits")))
            }
        }

        deserializer.deserialize_any(IntVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_decode_from_strings_and_numbers_without_losing_digits() {
        let ids: Vec<Id> =
            serde_json::from_str(r#"["217246660303024871", 217246660303024871, "-2"]"#).unwrap();
        assert_eq!(ids[0].as_str(), "217246660303024871");
        assert_eq!(ids[1].as_str(), "217246660303024871");
        assert_eq!(ids[2].as_str(), "-2");
        assert_eq!(
            serde_json::to_string(&ids).unwrap(),
            r#"["217246660303024871","217246660303024871","-2"]"#
        );
    }

    #[test]
    fn id_text_must_be_digits() {
        assert_eq!("0".parse::<Id>().unwrap().as_str(), "0");
        for bad in ["", "-", "12a", " 1", "12345678901234567890", "1.0"] {
            let error = bad.parse::<Id>().unwrap_err();
            assert_eq!(
                error.to_string(),
                format!("{bad:?} is not an id (digits only, at most 19)")
            );
        }
    }

    #[test]
    fn integers_decode_from_strings_and_numbers_and_encode_as_strings() {
        let values: Vec<Int64String> =
            serde_json::from_str(r#"["168", 168, "-5", 9223372036854775807]"#).unwrap();
        assert_eq!(
            values.iter().map(|v| v.get()).collect::<Vec<_>>(),
            [168, 168, -5, i64::MAX]
        );
        assert_eq!(
            serde_json::to_string(&values).unwrap(),
            r#"["168","168","-5","9223372036854775807"]"#
        );
    }

    #[test]
    fn integers_as_numbers_only_inside_the_scope() {
        let value = Int64String(1_684_409_727);
        let inside = integers_as_numbers(|| serde_json::to_string(&value).unwrap());
        assert_eq!(inside, "1684409727");
        assert_eq!(serde_json::to_string(&value).unwrap(), r#""1684409727""#);
    }

    #[test]
    fn integers_reject_what_is_not_one() {
        for bad in [r#""""#, r#""12a""#, "1.5", "true", "18446744073709551615"] {
            let error = serde_json::from_str::<Int64String>(bad).unwrap_err();
            assert!(!error.to_string().is_empty(), "{bad}");
        }
    }
}
