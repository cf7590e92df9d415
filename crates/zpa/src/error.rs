//! The one error type of the crate.

use std::fmt;
use std::time::Duration;

use crate::input::Input;

/// The cause behind an error, reachable through [`std::error::Error::source`].
type Cause = Box<dyn std::error::Error + Send + Sync>;

/// Everything that can go wrong in a call.
///
/// The same failure is the same variant whatever the method: a 503 is
/// [`Error::Api`] after one attempt (a `POST` is never replayed) or after
/// five (a `GET` is retried), and `attempts` says which. Ask the error
/// rather than matching on it where you can: [`Error::is_not_found`],
/// [`Error::is_retryable`], [`Error::retry_after`], [`Error::status`].
/// `Display` gives one line without secrets: for API errors
/// `<status> <zpa error id>: <reason>`.
///
/// ```no_run
/// # async fn run(zpa: zpa::Client) -> zpa::Result<()> {
/// match zpa.connectors().get("72057594037930043").await {
///     Ok(connector) => println!("{}", connector.name),
///     Err(error) if error.is_not_found() => println!("already gone"),
///     Err(error) if error.is_retryable() => {
///         let wait = error.retry_after().unwrap_or(std::time::Duration::from_secs(30));
///         println!("try again in {}s: {error}", wait.as_secs());
///     }
///     Err(error) => return Err(error),
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error status and a ZPA error body.
    #[error("{status} {}: {}{}", id.as_deref().unwrap_or("-"), reason.as_deref().unwrap_or("no reason given"), Attempts(*attempts))]
    Api {
        /// HTTP status.
        status: u16,
        /// ZPA error id, such as `resource.not.found`.
        id: Option<String>,
        /// Human-readable explanation from the API.
        reason: Option<String>,
        /// Extra parameters of the error, if any.
        params: Vec<String>,
        /// Requests sent, including the first.
        attempts: u32,
    },
    /// The API kept answering 429, or asked for a wait longer than the retry budget allows.
    #[error("429 invalid.toomanyrequests: rate limited{}{}", RetryAfter(*retry_after), Attempts(*attempts))]
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
        /// The transport or decoding failure behind it, if any.
        #[source]
        source: Option<Cause>,
    },
    /// The request did not complete: connection refused or reset, timeout,
    /// broken body. [`std::error::Error::source`] leads to the HTTP stack's
    /// error and its causes (an `io::Error` for a refused connection).
    #[error("transport error{}: {message}", Attempts(*attempts))]
    Transport {
        /// What the HTTP stack reported, causes included.
        message: String,
        /// Whether the request timed out.
        timed_out: bool,
        /// Requests sent, including the first.
        attempts: u32,
        /// The HTTP stack's error.
        #[source]
        source: Cause,
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
        /// The decoder's error.
        #[source]
        source: Cause,
    },
    /// An argument or setting was rejected before any request was sent.
    #[error("invalid {input}: {reason}")]
    InvalidInput {
        /// Which argument or setting.
        input: Input,
        /// Why it was rejected.
        reason: String,
    },
    /// A lookup by name or email found nothing. (An id the API does not
    /// know is [`Error::Api`] with status 404; [`Error::is_not_found`] is
    /// true for both.)
    #[error("no {what}")]
    NotFound {
        /// What was looked for, such as `connector named "edge-1"`.
        what: String,
    },
    /// A lookup by name found several objects where one was expected.
    #[error("{} objects match {what}: {}; name one by id, or scope the client to its microtenant", candidates.len(), Candidates(candidates))]
    Ambiguous {
        /// What was looked for.
        what: String,
        /// Every match, with where it lives.
        candidates: Vec<Candidate>,
    },
    /// A delete of several objects (one request per microtenant) that
    /// failed part-way: the ids in `deleted` are gone, the others are not.
    /// Asked for its status, id, reason or retryability, it answers for
    /// `error`.
    #[error("{error} (after deleting {}: {})", deleted.len(), deleted.join(", "))]
    PartlyDeleted {
        /// The ids deleted before the failure.
        deleted: Vec<String>,
        /// What stopped the rest.
        error: Box<Error>,
    },
    /// A native call was polled outside a tokio runtime, which its timers
    /// and connections need.
    #[error(
        "no tokio runtime: the zpa client's calls must run inside one (#[tokio::main], or Runtime::block_on)"
    )]
    NoRuntime,
}

impl Error {
    /// The HTTP status behind this error, if a response was received.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::PartlyDeleted { error, .. } => error.status(),
            Error::Api { status, .. } | Error::Decode { status, .. } => Some(*status),
            Error::RateLimited { .. } => Some(429),
            Error::Auth { status, .. } => *status,
            Error::Transport { .. }
            | Error::InvalidInput { .. }
            | Error::NotFound { .. }
            | Error::Ambiguous { .. }
            | Error::NoRuntime => None,
        }
    }

    /// The ZPA error id (`resource.not.found`, `invalid.toomanyrequests`...), if any.
    pub fn api_id(&self) -> Option<&str> {
        match self {
            Error::PartlyDeleted { error, .. } => error.api_id(),
            Error::Api { id, .. } => id.as_deref(),
            Error::RateLimited { .. } => Some("invalid.toomanyrequests"),
            _ => None,
        }
    }

    /// The explanation: the API's reason, what refused the credentials, or
    /// why an input was rejected.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Error::PartlyDeleted { error, .. } => error.reason(),
            Error::Api { reason, .. } => reason.as_deref(),
            Error::Auth { reason, .. } | Error::InvalidInput { reason, .. } => Some(reason),
            _ => None,
        }
    }

    /// Whether the object is not there: an id the API answered 404 for (or
    /// 400 `resource.not.found`, as it sometimes does), or a lookup by name
    /// or email that found nothing.
    pub fn is_not_found(&self) -> bool {
        match self {
            Error::NotFound { .. } | Error::Api { status: 404, .. } => true,
            Error::Api { id, .. } => id.as_deref() == Some("resource.not.found"),
            Error::PartlyDeleted { error, .. } => error.is_not_found(),
            _ => false,
        }
    }

    /// Whether the same call may succeed later, unchanged: a rate limit, a
    /// server error, or a request that did not complete. (The client has
    /// already retried what its [`RetryPolicy`](crate::RetryPolicy) allows.)
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::PartlyDeleted { error, .. } => error.is_retryable(),
            Error::RateLimited { .. } | Error::Transport { .. } => true,
            Error::Api { status, .. } => *status >= 500,
            _ => false,
        }
    }

    /// How long the API asked to wait before trying again, if it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::PartlyDeleted { error, .. } => error.retry_after(),
            Error::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Requests sent before the client gave up, if any were.
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Error::PartlyDeleted { error, .. } => error.attempts(),
            Error::Api { attempts, .. }
            | Error::RateLimited { attempts, .. }
            | Error::Transport { attempts, .. } => Some(*attempts),
            _ => None,
        }
    }

    /// The input that was rejected, for an [`Error::InvalidInput`].
    pub fn input(&self) -> Option<Input> {
        match self {
            Error::InvalidInput { input, .. } => Some(*input),
            _ => None,
        }
    }

    /// The error for `text`, which names none of `names`.
    pub(crate) fn not_one_of<'a>(
        input: impl Into<Input>,
        text: &str,
        names: impl IntoIterator<Item = &'a str>,
    ) -> Error {
        let names: Vec<_> = names.into_iter().collect();
        Error::invalid(
            input,
            format!("{text:?} is not one of {}", names.join(", ")),
        )
    }

    pub(crate) fn invalid(input: impl Into<Input>, reason: impl Into<String>) -> Error {
        Error::InvalidInput {
            input: input.into(),
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

/// ` (after 5 attempts)` when the client tried more than once.
struct Attempts(u32);

impl fmt::Display for Attempts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            0 | 1 => Ok(()),
            n => write!(f, " (after {n} attempts)"),
        }
    }
}

/// One of the objects an ambiguous lookup found: its id and its microtenant.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Candidate {
    /// The object's id.
    pub id: String,
    /// Its microtenant's id; `None` for the Default microtenant (the API
    /// leaves `microtenantId` out there).
    pub microtenant_id: Option<String>,
    /// Its microtenant's name, when the API gave it.
    pub microtenant_name: Option<String>,
}

impl Candidate {
    pub(crate) fn new(id: &str, microtenant_id: Option<&str>, name: Option<&str>) -> Self {
        Candidate {
            id: id.to_owned(),
            microtenant_id: microtenant_id.filter(|m| *m != "0").map(str::to_owned),
            microtenant_name: name.map(str::to_owned),
        }
    }
}

/// `289370814522851907 (microtenant Finance)`, or `... (Default microtenant)`.
impl fmt::Display for Candidate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.microtenant_id, &self.microtenant_name) {
            (None, _) => write!(f, "{} (Default microtenant)", self.id),
            (Some(_), Some(name)) => write!(f, "{} (microtenant {name})", self.id),
            (Some(id), None) => write!(f, "{} (microtenant {id})", self.id),
        }
    }
}

struct Candidates<'a>(&'a [Candidate]);

impl fmt::Display for Candidates<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, candidate) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            candidate.fmt(f)?;
        }
        Ok(())
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
            attempts: 1,
        };
        assert_eq!(
            error.to_string(),
            "404 resource.not.found: Resource Not Found"
        );
        assert_eq!(error.status(), Some(404));
        assert_eq!(error.api_id(), Some("resource.not.found"));
        assert!(error.is_not_found());
        assert!(!error.is_retryable());
    }

    #[test]
    fn repeated_attempts_are_counted_in_the_same_variant() {
        let error = Error::Api {
            status: 503,
            id: None,
            reason: None,
            params: vec![],
            attempts: 4,
        };
        assert_eq!(
            error.to_string(),
            "503 -: no reason given (after 4 attempts)"
        );
        assert_eq!(error.status(), Some(503));
        assert_eq!(error.attempts(), Some(4));
        assert!(error.is_retryable());
        let limited = Error::RateLimited {
            retry_after: Some(Duration::from_secs(13)),
            attempts: 1,
        };
        assert_eq!(limited.retry_after(), Some(Duration::from_secs(13)));
        assert!(limited.is_retryable());
        assert!(!Error::NotFound { what: "x".into() }.is_retryable());
    }

    #[test]
    fn excerpts_are_short_and_valid_text() {
        let body = "é".repeat(150);
        let cut = excerpt(body.as_bytes());
        assert_eq!(cut, "é".repeat(100));
        assert_eq!(excerpt(b"<html>oops</html>"), "<html>oops</html>");
    }
}
