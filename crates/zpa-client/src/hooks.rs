//! Request hooks that every generated operation runs through: the fixes the
//! generator's output needs on the wire, made once here instead of per call,
//! and the seam where a higher layer takes over sending requests.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};

use crate::Client;

/// A boxed future that is `Send` where the platform can send it (not on wasm32).
#[cfg(not(target_arch = "wasm32"))]
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
/// A boxed future that is `Send` where the platform can send it (not on wasm32).
#[cfg(target_arch = "wasm32")]
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// Sends the requests of a [`Client`] in place of a plain `reqwest` call:
/// the place for authentication, pacing and retries.
#[cfg(not(target_arch = "wasm32"))]
pub trait Exchange: Send + Sync {
    /// Sends `request`, made by the operation `operation_id`, and returns the
    /// response whose body the generated code will decode.
    fn exchange(
        &self,
        request: reqwest::Request,
        operation_id: &'static str,
    ) -> BoxFuture<'_, reqwest::Result<reqwest::Response>>;
}

/// Sends the requests of a [`Client`] in place of a plain `reqwest` call:
/// the place for authentication, pacing and retries.
#[cfg(target_arch = "wasm32")]
pub trait Exchange {
    /// Sends `request`, made by the operation `operation_id`, and returns the
    /// response whose body the generated code will decode.
    fn exchange(
        &self,
        request: reqwest::Request,
        operation_id: &'static str,
    ) -> BoxFuture<'_, reqwest::Result<reqwest::Response>>;
}

/// The inner value of every [`Client`]: how its requests are sent.
#[derive(Clone, Default)]
pub struct Hooks {
    exchange: Option<Arc<dyn Exchange>>,
}

impl Hooks {
    /// Requests go through `exchange` instead of straight to `reqwest`.
    pub fn with_exchange(exchange: Arc<dyn Exchange>) -> Self {
        Hooks {
            exchange: Some(exchange),
        }
    }
}

impl std::fmt::Debug for Hooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hooks")
            .field("exchange", &self.exchange.is_some())
            .finish()
    }
}

impl ClientHooks<Hooks> for Client {
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

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        match &self.inner().exchange {
            Some(exchange) => exchange.exchange(request, info.operation_id).await,
            None => self.client().execute(request).await,
        }
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
