//! Request hooks that every generated operation runs through: the fixes the
//! generator's output needs on the wire, made once here instead of per call.

use progenitor_client::{ClientHooks, Error, OperationInfo};

use crate::Client;

impl ClientHooks for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        // The generator tags every request with the spec's version. ZPA ignores
        // it, and in browsers a non-standard header forces a CORS preflight.
        request.headers_mut().remove("api-version");
        percent_encode_spaces(request.url_mut());
        Ok(())
    }
}

/// The query serializer writes spaces as `+`, which ZPA has rejected in search
/// expressions; it wants `%20`. A literal `+` is already escaped as `%2B`, so
/// every `+` left in the query stands for a space.
fn percent_encode_spaces(url: &mut reqwest::Url) {
    if let Some(query) = url.query().filter(|query| query.contains('+')) {
        let query = query.replace('+', "%20");
        url.set_query(Some(&query));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_become_percent_20_and_escaped_plus_stays() {
        let mut url = reqwest::Url::parse("http://h/p?search=name+EQ+a%2Bb+%26+c&page=1").unwrap();
        percent_encode_spaces(&mut url);
        assert_eq!(
            url.as_str(),
            "http://h/p?search=name%20EQ%20a%2Bb%20%26%20c&page=1"
        );
    }
}
