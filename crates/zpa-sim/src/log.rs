//! The request log tests read: what arrived and what was answered, never
//! the Authorization header and never a client secret.

use std::collections::VecDeque;
use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::errors::ApiError;
use crate::state::{Shared, lock};

/// Past this many entries the oldest are dropped, so a long-running
/// simulator does not grow without bound.
const CAPACITY: usize = 100_000;
const MAX_BODY: usize = 4 << 20;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct LoggedRequest {
    pub method: String,
    pub path: String,
    /// The raw query string, undecoded, as the client sent it.
    pub query: Option<String>,
    /// The request body; `client_secret` form values read `REDACTED`.
    pub body: String,
    /// The `accept-encoding` the client sent.
    pub accept_encoding: Option<String>,
    /// The status answered; 0 when the connection was dropped unanswered.
    pub status: u16,
    /// The `content-encoding` of the answer, such as `gzip`.
    pub content_encoding: Option<String>,
}

#[derive(Debug, Default)]
pub(crate) struct RequestLog {
    entries: VecDeque<LoggedRequest>,
    /// Sequence number of `entries[0]`, so late statuses find their entry.
    first: u64,
}

impl RequestLog {
    fn push(&mut self, entry: LoggedRequest) -> u64 {
        if self.entries.len() == CAPACITY {
            self.entries.pop_front();
            self.first += 1;
        }
        self.entries.push_back(entry);
        self.first + self.entries.len() as u64 - 1
    }

    fn set_answer(&mut self, seq: u64, status: u16, content_encoding: Option<String>) {
        if let Some(entry) = seq
            .checked_sub(self.first)
            .and_then(|i| self.entries.get_mut(i as usize))
        {
            entry.status = status;
            entry.content_encoding = content_encoding;
        }
    }

    pub(crate) fn snapshot(&self) -> Vec<LoggedRequest> {
        self.entries.iter().cloned().collect()
    }

    pub(crate) fn clear(&mut self) {
        self.first += self.entries.len() as u64;
        self.entries.clear();
    }
}

/// Where the log itself is served; requests there are not logged.
pub(crate) const LOG_PATH: &str = "/_sim/requests";

/// `GET /_sim/requests`: the log as JSON, for tests and benchmarks that run
/// the simulator in another process. `DELETE` clears it.
pub(crate) async fn serve(State(state): State<Arc<Shared>>) -> Response {
    axum::Json(lock(&state.log).snapshot()).into_response()
}

pub(crate) async fn clear(State(state): State<Arc<Shared>>) -> http::StatusCode {
    lock(&state.log).clear();
    http::StatusCode::NO_CONTENT
}

pub(crate) async fn record(
    State(state): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    if request.uri().path() == LOG_PATH {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return ApiError::bad_request("Request body too large or unreadable.").into_response();
    };
    // Logged before the answer exists, so a dropped connection still shows.
    let header = |headers: &http::HeaderMap, name| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let seq = lock(&state.log).push(LoggedRequest {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        body: redact(&String::from_utf8_lossy(&bytes)),
        accept_encoding: header(&parts.headers, http::header::ACCEPT_ENCODING),
        status: 0,
        content_encoding: None,
    });
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let encoding = header(response.headers(), http::header::CONTENT_ENCODING);
    lock(&state.log).set_answer(seq, response.status().as_u16(), encoding);
    response
}

fn redact(body: &str) -> String {
    if !body.contains("client_secret=") {
        return body.to_owned();
    }
    body.split('&')
        .map(|pair| {
            if pair.starts_with("client_secret=") {
                "client_secret=REDACTED"
            } else {
                pair
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted() {
        assert_eq!(
            redact("client_id=a&client_secret=s3cr%3Dt&audience=x"),
            "client_id=a&client_secret=REDACTED&audience=x"
        );
        assert_eq!(redact(r#"{"name":"x"}"#), r#"{"name":"x"}"#);
    }

    #[test]
    fn statuses_find_their_entry_after_clear() {
        let mut log = RequestLog::default();
        let entry = |path: &str| LoggedRequest {
            method: "GET".into(),
            path: path.into(),
            query: None,
            body: String::new(),
            accept_encoding: None,
            status: 0,
            content_encoding: None,
        };
        let a = log.push(entry("/a"));
        log.clear();
        let b = log.push(entry("/b"));
        log.set_answer(a, 500, None);
        log.set_answer(b, 200, Some("gzip".into()));
        assert_eq!(log.snapshot().len(), 1);
        assert_eq!(log.snapshot()[0].status, 200);
        assert_eq!(log.snapshot()[0].content_encoding.as_deref(), Some("gzip"));
    }
}
