//! The one error type of the crate.

use std::fmt;
use std::time::Duration;

/// Everything that can go wrong in a call.
///
/// `Display` gives one line without secrets: for API errors
/// `<status> <zpa error id>: <reason>`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error status and a ZPA error body.
    #[error("{status} {}: {}", id.as_deref().unwrap_or("-"), reason.as_deref().unwrap_or("no reason given"))]
    Api {
        /// HTTP status.
        status: u16,
        /// ZPA error id, such as `resource.not.found`.
        id: Option<String>,
        /// Human-readable explanation from the API.
        reason: Option<String>,
        /// Extra parameters of the error, if any.
        params: Vec<String>,
    },
    /// The API kept answering 429, or asked for a wait longer than the retry budget allows.
    #[error("429 invalid.toomanyrequests: rate limited after {attempts} attempt(s){}", RetryAfter(*retry_after))]
    RateLimited {
        /// The wait the last answer asked for.
        retry_after: Option<Duration>,
        /// Requests sent, including the first.
        attempts: u32,
    },
    /// Signing in failed, or the API refused the credentials.
    #[error("authentication failed: {}{reason}", status.map(|s| format!("{s} ")).unwrap_or_default())]
    Auth {
        /// HTTP status of the refusal, when there was one.
        status: Option<u16>,
        /// What went wrong.
        reason: String,
    },
    /// The request did not complete: connection refused or reset, timeout, broken body.
    #[error("transport error after {attempts} attempt(s): {message}")]
    Transport {
        /// What the HTTP stack reported.
        message: String,
        /// Whether the request timed out.
        timed_out: bool,
        /// Requests sent, including the first.
        attempts: u32,
    },
    /// The response could not be decoded.
    #[error("could not decode the {status} response: {message}; body starts {excerpt:?}")]
    Decode {
        /// HTTP status of the response.
        status: u16,
        /// What the decoder reported.
        message: String,
        /// The first bytes of the body, as text.
        excerpt: String,
    },
    /// An argument was rejected before any request was sent.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// Which argument or field.
        field: String,
        /// Why it was rejected.
        reason: String,
    },
    /// A lookup by name or email found nothing.
    #[error("no {what}")]
    NotFound {
        /// What was looked for, such as `connector named "edge-1"`.
        what: String,
    },
    /// A lookup by name found several objects where one was expected.
    #[error("{} objects match {what}: {}", ids.len(), ids.join(", "))]
    Ambiguous {
        /// What was looked for.
        what: String,
        /// The ids of every match.
        ids: Vec<String>,
    },
    /// Retryable failures continued past the retry policy's attempts or total wait.
    #[error("gave up after {attempts} attempts over {}.{}s: {last}", waited.as_secs(), waited.subsec_millis() / 100)]
    RetriesExhausted {
        /// Requests sent, including the first.
        attempts: u32,
        /// Time spent waiting between attempts.
        waited: Duration,
        /// The last failure.
        last: Box<Error>,
    },
}

impl Error {
    /// The HTTP status behind this error, if a response was received.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } | Error::Decode { status, .. } => Some(*status),
            Error::RateLimited { .. } => Some(429),
            Error::Auth { status, .. } => *status,
            Error::RetriesExhausted { last, .. } => last.status(),
            Error::Transport { .. }
            | Error::InvalidInput { .. }
            | Error::NotFound { .. }
            | Error::Ambiguous { .. } => None,
        }
    }

    /// The ZPA error id (`resource.not.found`, `invalid.toomanyrequests`...), if any.
    pub fn api_id(&self) -> Option<&str> {
        match self {
            Error::Api { id, .. } => id.as_deref(),
            Error::RateLimited { .. } => Some("invalid.toomanyrequests"),
            Error::RetriesExhausted { last, .. } => last.api_id(),
            _ => None,
        }
    }

    /// The explanation: the API's reason, what refused the credentials, or
    /// why an input was rejected.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Error::Api { reason, .. } => reason.as_deref(),
            Error::Auth { reason, .. } | Error::InvalidInput { reason, .. } => Some(reason),
            Error::RetriesExhausted { last, .. } => last.reason(),
            _ => None,
        }
    }

    pub(crate) fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Error {
        Error::InvalidInput {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

struct RetryAfter(Option<Duration>);

impl fmt::Display for RetryAfter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(wait) => write!(f, "; the API asked to wait {}s", wait.as_secs()),
            None => Ok(()),
        }
    }
}

/// The one item of `matches`, or the error that says there was none or more.
pub(crate) fn exactly_one<T>(
    mut matches: Vec<T>,
    what: impl FnOnce() -> String,
    id: impl Fn(&T) -> String,
) -> Result<T> {
    match matches.len() {
        1 => Ok(matches.remove(0)),
        0 => Err(Error::NotFound { what: what() }),
        _ => Err(Error::Ambiguous {
            what: what(),
            ids: matches.iter().map(id).collect(),
        }),
    }
}

/// At most this many bytes of a body go into an error, cut at a character boundary.
pub(crate) fn excerpt(body: &[u8]) -> String {
    const LIMIT: usize = 200;
    let text = String::from_utf8_lossy(&body[..body.len().min(LIMIT)]);
    text.trim_end_matches('\u{fffd}').to_owned()
}

/// A reqwest error with its causes: its own message rarely says what broke
/// ("error sending request"), the sources do ("connection refused").
pub(crate) fn describe(error: &reqwest::Error) -> String {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

#[cfg(test)]
mod tests {
    // The same tests run under wasm-bindgen-test in Node for wasm32.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn api_errors_read_status_id_reason() {
        let error = Error::Api {
            status: 404,
            id: Some("resource.not.found".into()),
            reason: Some("Resource Not Found".into()),
            params: vec![],
        };
        assert_eq!(
            error.to_string(),
            "404 resource.not.found: Resource Not Found"
        );
        assert_eq!(error.status(), Some(404));
        assert_eq!(error.api_id(), Some("resource.not.found"));
    }

    #[test]
    fn exhausted_retries_say_what_happened() {
        let error = Error::RetriesExhausted {
            attempts: 4,
            waited: Duration::from_millis(2500),
            last: Box::new(Error::Api {
                status: 503,
                id: None,
                reason: None,
                params: vec![],
            }),
        };
        assert_eq!(
            error.to_string(),
            "gave up after 4 attempts over 2.5s: 503 -: no reason given"
        );
        assert_eq!(error.status(), Some(503));
    }

    #[test]
    fn excerpts_are_short_and_valid_text() {
        let body = "é".repeat(150);
        let cut = excerpt(body.as_bytes());
        assert_eq!(cut, "é".repeat(100));
        assert_eq!(excerpt(b"<html>oops</html>"), "<html>oops</html>");
    }
}
