//! Listing pages, decoded in one pass over the body.
//!
//! serde shows a `Deserialize` impl no positions in the input, so an object
//! that keeps its JSON ([`Lossless`]) read through serde first scans its
//! text to find where it ends, then decodes that text: two passes over every
//! object of a page. This decoder has the whole body: it decodes each object
//! of `list` where it lies and takes the text from where it started to where
//! the decoder stopped. The generated listing operations call
//! [`from_response`] (`xtask/src/generate.rs` sees to it).
//!
//! Anything this decoder does not expect (a body that is not UTF-8, an
//! envelope with a key twice, text after it) goes to serde instead, so the
//! results and the errors are serde's.

use std::collections::BTreeSet;

use progenitor_client::{Error, ResponseValue};
use serde::Deserialize;
use serde::de::{self, DeserializeOwned, IgnoredAny};
use serde_json::value::RawValue;

use crate::lossless::Lossless;
use crate::types::{
    ApplicationSegmentFields, ApplicationSegmentList, ApprovalFields, ApprovalList,
    ConnectorFields, ConnectorList, SegmentAppFields, SegmentAppList,
};
use crate::wire::Int64String;

/// A page of a listing: the objects in `list`, and the totals.
pub trait Page: DeserializeOwned {
    /// The typed fields of each object in `list`.
    type Fields: DeserializeOwned;

    /// The page from its parts.
    fn assemble(parts: Parts<Self::Fields>) -> Self;

    /// The objects on the page.
    fn objects(&self) -> &[Lossless<Self::Fields>];

    /// The page's parts, to hand on.
    fn into_parts(self) -> Parts<Self::Fields>;
}

/// What a page envelope holds.
pub struct Parts<F> {
    pub list: Vec<Lossless<F>>,
    pub total_pages: Option<Int64String>,
    pub total_count: Option<Int64String>,
}

/// The generated page types, whose fields are the same.
macro_rules! pages {
    ($($page:ty => $fields:ty),*) => {$(
        impl Page for $page {
            type Fields = $fields;

            fn assemble(parts: Parts<$fields>) -> Self {
                Self {
                    list: parts.list,
                    total_pages: parts.total_pages,
                    total_count: parts.total_count,
                }
            }

            fn objects(&self) -> &[Lossless<$fields>] {
                &self.list
            }

            fn into_parts(self) -> Parts<$fields> {
                Parts {
                    list: self.list,
                    total_pages: self.total_pages,
                    total_count: self.total_count,
                }
            }
        }
    )*};
}

pages!(
    ConnectorList => ConnectorFields,
    ApprovalList => ApprovalFields,
    ApplicationSegmentList => ApplicationSegmentFields,
    SegmentAppList => SegmentAppFields
);

/// The page a successful listing response holds; what progenitor's
/// `ResponseValue::from_response` does, in one pass.
pub async fn from_response<T: Page, E>(
    response: reqwest::Response,
) -> Result<ResponseValue<T>, Error<E>> {
    let status = response.status();
    let headers = response.headers().clone();
    let full = response.bytes().await.map_err(Error::ResponseBodyError)?;
    let inner = match decode(&full) {
        Some(page) => page,
        None => {
            serde_json::from_slice(&full).map_err(|e| Error::InvalidResponsePayload(full, e))?
        }
    };
    Ok(ResponseValue::new(inner, status, headers))
}

/// The page in `body`, or `None` when serde must decide.
pub fn decode<T: Page>(body: &[u8]) -> Option<T> {
    let text = std::str::from_utf8(body).ok()?;
    Reader { text, at: 0 }.page().ok().map(T::assemble)
}

/// A position in a body being read.
struct Reader<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Reader<'a> {
    /// `{ "list": [...], "totalPages": ..., "totalCount": ... }`, with other
    /// keys skipped as serde skips them, and nothing but space after.
    fn page<F: DeserializeOwned>(mut self) -> serde_json::Result<Parts<F>> {
        let mut parts = Parts {
            list: Vec::new(),
            total_pages: None,
            total_count: None,
        };
        let mut keys = BTreeSet::new();
        self.expect(b'{')?;
        if !self.eat(b'}') {
            loop {
                let key: String = self.value()?;
                self.expect(b':')?;
                match key.as_str() {
                    "list" => parts.list = self.list()?,
                    "totalPages" => parts.total_pages = self.value()?,
                    "totalCount" => parts.total_count = self.value()?,
                    _ => {
                        self.value::<IgnoredAny>()?;
                    }
                }
                if !keys.insert(key) {
                    return Err(unexpected());
                }
                if self.eat(b'}') {
                    break;
                }
                self.expect(b',')?;
            }
        }
        self.skip_space();
        match self.at == self.text.len() {
            true => Ok(parts),
            false => Err(unexpected()),
        }
    }

    /// `[ object, ... ]`, each object decoded where it lies.
    fn list<F: DeserializeOwned>(&mut self) -> serde_json::Result<Vec<Lossless<F>>> {
        let mut list = Vec::new();
        self.expect(b'[')?;
        if self.eat(b']') {
            return Ok(list);
        }
        loop {
            self.skip_space();
            let start = self.at;
            let object = match self.value::<F>() {
                Ok(value) => Lossless::new(value, &self.text[start..self.at]),
                // A field of another type than the model's: the tolerant
                // decoder, from the object's text, as serde would call it.
                Err(error) if error.is_data() => {
                    self.at = start;
                    let text: &RawValue = self.value()?;
                    Lossless::from_json(text.get())?
                }
                Err(error) => return Err(error),
            };
            list.push(object);
            if self.eat(b']') {
                return Ok(list);
            }
            self.expect(b',')?;
        }
    }

    /// The JSON value at the position, as `T`; the position moves past it.
    fn value<T: Deserialize<'a>>(&mut self) -> serde_json::Result<T> {
        self.skip_space();
        let mut values = serde_json::Deserializer::from_str(&self.text[self.at..]).into_iter::<T>();
        let value = values.next().unwrap_or_else(|| Err(unexpected()))?;
        self.at += values.byte_offset();
        Ok(value)
    }

    /// Moves past JSON's space: ' ', tab, LF and CR (not form feed).
    fn skip_space(&mut self) {
        let rest = &self.text.as_bytes()[self.at..];
        self.at += rest
            .iter()
            .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
            .unwrap_or(rest.len());
    }

    /// Whether `byte` comes next (after space); if so, moves past it.
    fn eat(&mut self, byte: u8) -> bool {
        self.skip_space();
        let found = self.text.as_bytes().get(self.at) == Some(&byte);
        if found {
            self.at += 1;
        }
        found
    }

    fn expect(&mut self, byte: u8) -> serde_json::Result<()> {
        match self.eat(byte) {
            true => Ok(()),
            false => Err(unexpected()),
        }
    }
}

/// What sends a body to serde, which then says what is wrong with it.
fn unexpected() -> serde_json::Error {
    de::Error::custom("not a page this decoder reads")
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = r#"{"id":"217246660303024865","name":"edge 1","description":null,"modifiedTime":"1617841545","enabled":true,"assistantVersion":{"id":"1","loneWarrior":false,"futureFlag":[1,{"a":null}]},"newField":"x"}"#;
    const TWO: &str = r#"{"id":"2","name":"Zürich \"2\"","enabled":"yes","upgradeAttempt":3}"#;

    /// What serde reads from `body`, and what the page decoder reads: the
    /// same page with the same JSON per object, or `None` (serde decides).
    fn both(body: &str) -> (serde_json::Result<ConnectorList>, Option<ConnectorList>) {
        let serde = serde_json::from_str::<ConnectorList>(body);
        let decoded = decode::<ConnectorList>(body.as_bytes());
        if let Some(page) = &decoded {
            let serde = serde
                .as_ref()
                .expect("the decoder read a page serde refuses");
            assert_eq!(page, serde, "{body}");
            let texts = |page: &ConnectorList| {
                let objects = page.objects().iter();
                objects.map(|c| c.json().to_owned()).collect::<Vec<_>>()
            };
            assert_eq!(texts(page), texts(serde), "{body}");
        }
        (serde, decoded)
    }

    #[test]
    fn pages_read_in_one_pass_as_serde_reads_them() {
        for body in [
            format!(r#"{{"totalPages":"1","list":[{ONE},{TWO}]}}"#),
            format!(
                " \n{{ \"list\" :\t[ {ONE} ,\r\n{TWO} ] , \"totalCount\" : 2, \"totalPages\": null }}\n "
            ),
            format!(r#"{{"li\u0073t":[{TWO}],"other":{{"nested":[1,"}}"]}},"totalPages":7}}"#),
            r#"{"totalPages":"0"}"#.to_owned(),
            r#"{"list":[]}"#.to_owned(),
            "{}".to_owned(),
        ] {
            let (_, decoded) = both(&body);
            assert!(decoded.is_some(), "{body}");
        }
        let (_, decoded) = both(&format!(r#"{{"list":[{TWO}]}}"#));
        let two = &decoded.unwrap().list[0];
        assert_eq!((two.enabled, two.json()), (None, TWO), "read tolerantly");
    }

    #[test]
    fn what_the_decoder_does_not_expect_goes_to_serde() {
        for body in [
            format!(r#"{{"list":[{ONE}],"list":[]}}"#),
            format!(r#"{{"list":[{ONE}]}} x"#),
            format!("{{\"list\":\x0c[{ONE}]}}"),
            r#"{"list":null}"#.to_owned(),
            r#"{"list":[{"id":"1"}]}"#.to_owned(),
            r#"{"list":[{"id":"1","name":"n"},]}"#.to_owned(),
            r#"{"list":[{"id":"1","name":"n"}"#.to_owned(),
            r#"[]"#.to_owned(),
            r#"{"totalPages":"1",}"#.to_owned(),
            String::new(),
        ] {
            let (serde, decoded) = both(&body);
            assert!(decoded.is_none() && serde.is_err(), "{body}");
        }
        assert!(decode::<ConnectorList>(b"{\"list\":[\xff]}").is_none());
    }
}
