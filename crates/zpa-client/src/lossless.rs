//! Objects that keep the JSON they arrived as: the API grows fields faster
//! than any model, and a field whose type changed must not fail a listing.

use std::borrow::Borrow;
use std::collections::BTreeSet;
use std::fmt;
use std::ops::Deref;
use std::sync::Mutex;

use serde::de::{self, DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;
use serde_json::value::RawValue;

/// An object as the API sent it: its typed fields through `Deref`, and the
/// JSON itself, byte for byte, through [`Lossless::json`].
///
/// Fields the model does not know are in the typed value too, in the
/// `extra` map of the object (nested objects have their own). A field whose
/// value does not have the type the model gives it (a shape the API changed)
/// reads as absent (`None`, or an empty list), is logged once as a warning,
/// and is still in [`Lossless::json`]: a listing never fails because one
/// field changed.
///
/// `Serialize` writes the typed value (unknown fields included, numbers the
/// way the model writes them); `Deserialize` reads JSON, with `serde_json`.
#[derive(Clone)]
pub struct Lossless<T> {
    /// Boxed: a connector's fields take 2.6 KB, and a listing moves each
    /// object from the decoder through the page and the stream to the caller.
    value: Box<T>,
    /// Checked JSON: from serde's `RawValue`, or a span the decoder read.
    json: Box<str>,
}

impl<T> Lossless<T> {
    /// The object exactly as the server sent it.
    pub fn json(&self) -> &str {
        &self.json
    }

    /// `value` with the JSON it was decoded from (or encodes as).
    pub(crate) fn new(value: T, json: impl Into<Box<str>>) -> Self {
        Lossless {
            value: Box::new(value),
            json: json.into(),
        }
    }

    /// The typed value, without the JSON.
    pub fn into_inner(self) -> T {
        *self.value
    }
}

impl<T: Serialize> From<T> for Lossless<T> {
    /// An object made here rather than received: its JSON is the typed
    /// value's.
    fn from(value: T) -> Self {
        let json = serde_json::value::to_raw_value(&value)
            .expect("the model's types have string keys and always encode as JSON");
        Lossless::new(value, json)
    }
}

impl<T> Deref for Lossless<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> AsRef<T> for Lossless<T> {
    fn as_ref(&self) -> &T {
        &self.value
    }
}

/// Equality, ordering and hashing are the typed value's, as `Borrow` needs.
impl<T> Borrow<T> for Lossless<T> {
    fn borrow(&self) -> &T {
        &self.value
    }
}

impl<T: fmt::Debug> fmt::Debug for Lossless<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

/// Compares the typed values.
impl<T: PartialEq> PartialEq for Lossless<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T: Serialize> Serialize for Lossless<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Lossless<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let json: Box<str> = Box::<RawValue>::deserialize(deserializer)?.into();
        let value = decode(&json).map_err(de::Error::custom)?;
        Ok(Lossless::new(value, json))
    }
}

impl<T: DeserializeOwned> Lossless<T> {
    /// The object in `json`, as `Deserialize` reads it once it has the text.
    pub(crate) fn from_json(json: &str) -> serde_json::Result<Self> {
        Ok(Lossless::new(decode(json)?, json))
    }
}

/// Decodes `json`, taking out one by one the fields whose values do not
/// have the model's type. Fails as the first attempt did when that does not
/// help: the text is not JSON, or a required field of the object is missing.
///
/// The field is found from where the decoder stopped, so that the one
/// `from_str` the happy path needs serves every attempt (a second decoder,
/// such as one that tracks paths, would double the model's code in wasm).
fn decode<T: DeserializeOwned>(json: &str) -> serde_json::Result<T> {
    let first = match serde_json::from_str(json) {
        Ok(value) => return Ok(value),
        Err(error) if error.is_data() => error,
        Err(error) => return Err(error),
    };
    let mut text = json.to_owned();
    let mut error = first;
    loop {
        let at = byte_offset(&text, error.line(), error.column());
        let path = path_at(text.as_bytes(), at);
        let mut value: Value = serde_json::from_str(&text)?;
        let Some(shown) = remove_field(&mut value, &path) else {
            return Err(error);
        };
        warn_once(&shown, &error);
        text = value.to_string();
        match serde_json::from_str(&text) {
            Ok(value) => return Ok(value),
            Err(next) => error = next,
        }
    }
}

/// Where the value at fault starts or ends, from serde_json's position: it
/// counts lines from 1 and columns from 1, in bytes, and the column is that
/// of the last byte it read. A value of the wrong kind that opens with `{`
/// or `[` (or any value it only peeked at) is not read at all: the position
/// is then the `:`, `,` or space before it, and the value is the next token.
fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let at = (line_start + column).saturating_sub(1);
    match text.as_bytes().get(at) {
        Some(b':' | b',' | b'[' | b' ' | b'\t' | b'\n' | b'\r') => text.as_bytes()[at + 1..]
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .map_or(at, |skipped| at + 1 + skipped),
        _ => at,
    }
}

/// A step from a JSON value into one it holds.
#[derive(Clone, Debug, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// The steps to the innermost value of `json` whose text spans byte `at`.
fn path_at(json: &[u8], at: usize) -> Vec<Step> {
    let mut scan = Scan {
        json,
        at,
        path: Vec::new(),
        found: Vec::new(),
    };
    scan.value(0);
    scan.found
}

struct Scan<'a> {
    json: &'a [u8],
    at: usize,
    path: Vec<Step>,
    found: Vec<Step>,
}

impl Scan<'_> {
    fn skip_space(&self, mut i: usize) -> usize {
        while self.json.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        i
    }

    /// Reads the value at `i` and returns the index after it; `None` when
    /// the text ends first. Values are not checked: the decoder did that.
    fn value(&mut self, i: usize) -> Option<usize> {
        let start = self.skip_space(i);
        let end = match *self.json.get(start)? {
            b'{' => self.members(start + 1, b'}', |scan, i| {
                let key_end = scan.string(i)?;
                let key = serde_json::from_slice(&scan.json[i..key_end]).ok()?;
                let colon = scan.skip_space(key_end);
                Some((Step::Key(key), colon + 1))
            })?,
            b'[' => {
                let mut index = 0;
                self.members(start + 1, b']', |_, i| {
                    index += 1;
                    Some((Step::Index(index - 1), i))
                })?
            }
            b'"' => self.string(start)?,
            _ => {
                let length = self.json[start..]
                    .iter()
                    .position(|b| matches!(b, b',' | b'}' | b']') || b.is_ascii_whitespace())
                    .unwrap_or(self.json.len() - start);
                start + length
            }
        };
        if (start..end).contains(&self.at) && self.path.len() >= self.found.len() {
            self.found.clone_from(&self.path);
        }
        Some(end)
    }

    /// The members of an object or array up to `close`: `step` reads what
    /// comes before each value (a key and its colon) and names the value.
    fn members(
        &mut self,
        mut i: usize,
        close: u8,
        mut step: impl FnMut(&mut Self, usize) -> Option<(Step, usize)>,
    ) -> Option<usize> {
        loop {
            i = self.skip_space(i);
            match *self.json.get(i)? {
                byte if byte == close => return Some(i + 1),
                b',' => i += 1,
                _ => {
                    let (name, value_at) = step(self, i)?;
                    self.path.push(name);
                    i = self.value(value_at)?;
                    self.path.pop();
                }
            }
        }
    }

    /// The index after the string that opens at `i`.
    fn string(&self, i: usize) -> Option<usize> {
        let mut j = i + 1;
        loop {
            match *self.json.get(j)? {
                b'"' => return Some(j + 1),
                b'\\' => j += 2,
                _ => j += 1,
            }
        }
    }
}

/// Removes the object field that `path` ends in, or that holds the array
/// element it ends in, and returns the path as text; `None` when the path
/// names no object field (the whole object is at fault).
fn remove_field(value: &mut Value, path: &[Step]) -> Option<String> {
    let last_key = path.iter().rposition(|step| matches!(step, Step::Key(_)))?;
    let mut node = value;
    for step in &path[..last_key] {
        node = match step {
            Step::Key(key) => node.get_mut(key.as_str())?,
            Step::Index(index) => node.get_mut(*index)?,
        };
    }
    let Step::Key(key) = &path[last_key] else {
        return None;
    };
    node.as_object_mut()?.remove(key)?;
    let mut shown = String::new();
    for step in &path[..=last_key] {
        match step {
            Step::Key(key) if shown.is_empty() => shown.push_str(key),
            Step::Key(key) => {
                shown.push('.');
                shown.push_str(key);
            }
            Step::Index(index) => shown.push_str(&format!("[{index}]")),
        }
    }
    Some(shown)
}

/// One warning per field path for the life of the process: a changed field
/// would otherwise be reported for every object of every page.
fn warn_once(path: &str, error: &serde_json::Error) {
    static WARNED: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());
    let mut warned = WARNED.lock().unwrap_or_else(|poison| poison.into_inner());
    if warned.len() < 256 && warned.insert(path.to_owned()) {
        tracing::warn!(
            field = path,
            %error,
            "a field does not have the type the model gives it; it reads as None and stays in json()"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Connector, ConnectorList};
    use crate::wire::Id;

    const SENT: &str = r#"{"id":"217246660303024865","name":"edge 1","description":null,"modifiedTime":1617841545,"enrollmentCert":{"id":"117","issuer":{"cn":"R&D"}},"tunnelPolicy":{"weights":[1,2.50,null],"max":18446744073709551616},"zpnSubModuleUpgradeList":[{"id":"1","role":"x","futureFlag":true}]}"#;

    #[test]
    fn unknown_numbers_keep_their_value_through_a_round_trip() {
        // Found by the wire_json fuzz target: a 93-digit integer in a field
        // no model knows read as one float, and read back from its own
        // encoding as the next one, unless floats are parsed exactly.
        let sent = format!(r#"{{"future":{{"id":{}0}}}}"#, "2".repeat(92));
        let decoded: crate::types::ErrorBody = serde_json::from_str(&sent).unwrap();
        let again: crate::types::ErrorBody =
            serde_json::from_str(&serde_json::to_string(&decoded).unwrap()).unwrap();
        assert_eq!(again, decoded);
    }

    #[test]
    fn lossless_keeps_the_json_byte_for_byte_and_unknown_fields_in_extra() {
        let page: ConnectorList =
            serde_json::from_str(&format!(r#"{{"totalPages":"1","list":[{SENT}]}}"#)).unwrap();
        let connector = &page.list[0];
        assert_eq!(connector.json(), SENT);
        assert_eq!(connector.name, "edge 1");
        assert_eq!(connector.description, None);
        assert_eq!(connector.modified_time.unwrap().get(), 1_617_841_545);
        assert_eq!(connector.extra["tunnelPolicy"]["weights"][1], 2.5);
        assert!(
            connector
                .enrollment_cert
                .as_ref()
                .unwrap()
                .extra
                .contains_key("issuer")
        );
        assert_eq!(
            connector.zpn_sub_module_upgrade_list[0].extra["futureFlag"],
            true
        );
        // The typed value writes every key it holds; the null it read as None is the one left out.
        let written = serde_json::to_value(connector).unwrap();
        let sent: serde_json::Value = serde_json::from_str(SENT).unwrap();
        for (key, value) in sent.as_object().unwrap() {
            match key.as_str() {
                "description" => assert!(written.get(key).is_none()),
                "modifiedTime" => assert_eq!(written[key], "1617841545"),
                _ => assert_eq!(&written[key], value, "{key}"),
            }
        }
    }

    #[test]
    fn a_field_of_another_type_reads_as_none_and_stays_in_the_json() {
        let sent = r#"{"id":"1","name":"n","enabled":"yes","assistantVersion":{"loneWarrior":1,"currentVersion":"24.1"},"ipAcl":["10.0.0.0/8"],"upgradeAttempt":"2"}"#;
        let connector: Connector = serde_json::from_str(sent).unwrap();
        assert_eq!(connector.json(), sent);
        assert_eq!(connector.enabled, None);
        let version = connector.assistant_version.as_ref().unwrap();
        assert_eq!(version.lone_warrior, None);
        assert_eq!(version.current_version.as_deref(), Some("24.1"));
        assert_eq!(connector.upgrade_attempt.unwrap().get(), 2);
        assert_eq!(
            connector.ip_acl,
            Some(crate::types::IpAcl::Array(vec!["10.0.0.0/8".into()]))
        );
        let other_shape: Connector =
            serde_json::from_str(r#"{"id":"1","name":"n","ipAcl":"10.0.0.0/8"}"#).unwrap();
        assert_eq!(
            other_shape.ip_acl,
            Some(crate::types::IpAcl::String("10.0.0.0/8".into()))
        );
    }

    #[test]
    fn a_missing_required_field_still_fails() {
        let error = serde_json::from_str::<Connector>(r#"{"id":"1","enabled":true}"#).unwrap_err();
        assert!(error.to_string().contains("name"), "{error}");
        assert!(serde_json::from_str::<Connector>("[1]").is_err());
    }

    #[test]
    fn an_object_made_here_has_its_typed_json() {
        let fields: crate::types::ConnectorFields = crate::types::ConnectorFields::builder()
            .id(Id::from(7u64))
            .name("made")
            .try_into()
            .unwrap();
        let made = Connector::from(fields);
        assert_eq!(made.json(), r#"{"id":"7","name":"made"}"#);
        let read: Connector = serde_json::from_str(made.json()).unwrap();
        assert_eq!(read, made);
    }

    #[test]
    fn the_field_at_fault_is_found_from_where_the_decoder_stopped() {
        let json = r#"{"a":"Zürich","b":[{"c":1},{"d":{"e":[true, "x"]}}],"f":{}}"#;
        let at = |token: &str| json.find(token).unwrap() + token.len() - 1;
        let key = |k: &str| Step::Key(k.to_owned());
        assert_eq!(
            path_at(json.as_bytes(), at("true")),
            [key("b"), Step::Index(1), key("d"), key("e"), Step::Index(0)]
        );
        assert_eq!(
            path_at(json.as_bytes(), at("\"x\"")),
            [key("b"), Step::Index(1), key("d"), key("e"), Step::Index(1)]
        );
        assert_eq!(path_at(json.as_bytes(), at("\"Zürich\"")), [key("a")]);
        assert_eq!(path_at(json.as_bytes(), at("{}")), [key("f")]);
        assert_eq!(path_at(json.as_bytes(), json.len() - 1), []);
        let mut value: Value = serde_json::from_str(json).unwrap();
        let path = path_at(json.as_bytes(), at("true"));
        assert_eq!(remove_field(&mut value, &path).as_deref(), Some("b[1].d.e"));
        assert_eq!(value["b"][1]["d"], serde_json::json!({}));
        assert_eq!(remove_field(&mut value, &[]), None);
    }

    #[test]
    fn a_field_that_became_an_object_or_a_list_is_found_too() {
        for sent in [
            r#"{"id":"1","name":"n","enabled":{"x":1},"platform":"el9"}"#,
            r#"{"id":"1","name":"n","enabled": [true],"platform":"el9"}"#,
            r#"{"id":"1","name":"n","domain":1,"assistantVersion":{"loneWarrior":{},"platform":"el8"},"platform":"el9"}"#,
            r#"{"id":"1","name":"n","zpnSubModuleUpgradeList":[{"role":"a"},{"role":["b"]}],"platform":"el9"}"#,
            r#"{"id":"1","name":"n","ipAcl":[1, {"a":2}],"platform":"el9"}"#,
        ] {
            let connector: Connector = serde_json::from_str(sent).unwrap();
            assert_eq!(connector.platform.as_deref(), Some("el9"), "{sent}");
            assert_eq!(connector.enabled, None);
            if let Some(version) = &connector.assistant_version {
                assert_eq!(
                    (version.lone_warrior, version.platform.as_deref()),
                    (None, Some("el8"))
                );
            }
            if let [first, second] = &connector.zpn_sub_module_upgrade_list[..] {
                assert_eq!(
                    (first.role.as_deref(), second.role.as_deref()),
                    (Some("a"), None)
                );
            }
        }
    }

    #[test]
    fn a_changed_field_in_a_spread_out_object_is_found_too() {
        let sent = "{\n  \"id\": \"1\",\n  \"name\": \"Zürich\",\n  \"enabled\": \"yes\"\n}";
        let connector: Connector = serde_json::from_str(sent).unwrap();
        assert_eq!(connector.json(), sent);
        assert_eq!(
            (connector.name.as_str(), connector.enabled),
            ("Zürich", None)
        );
    }
}
