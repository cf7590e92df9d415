//! When and how long to wait before sending a request again, and which
//! refusals are worth another attempt.
//!
//! `transport.rs` applies them: a 429 and the [`refused`] answers always
//! (the API turned the request away before acting on it, so even a POST is
//! safe to send again), 5xx answers and transport errors only for GET, PUT
//! and DELETE, or when the connection was never made.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::runtime::{SystemTime, UNIX_EPOCH};

/// How hard to try before giving up; the error then says how many attempts were made ([`Error::attempts`](crate::Error::attempts)).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Requests sent at most, the first included. `1` turns retries off.
    pub max_attempts: u32,
    /// Total time spent waiting between attempts at most. A 429 asking for a
    /// longer wait than what is left fails at once.
    pub max_wait: Duration,
    /// The first backoff; each later one doubles, with random jitter.
    pub base_delay: Duration,
    /// The longest single backoff.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            max_wait: Duration::from_secs(60),
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(8),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Whether attempt `attempt + 1` may follow, after `waited` so far and
    /// `wait` more. A server's `retry-after` may be as large as it likes.
    pub(crate) fn allows(&self, attempt: u32, waited: Duration, wait: Duration) -> bool {
        attempt < self.max_attempts && waited.saturating_add(wait) <= self.max_wait
    }

    /// The wait before attempt `attempt + 1` after a failure without a
    /// `retry-after`: exponential, with jitter between half and all of it so
    /// that clients failing together do not retry together.
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let exponential = self
            .base_delay
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16))
            .min(self.max_delay);
        let half = exponential / 2;
        half + half.mul_f64(random_unit())
    }
}

/// Whether an error answer says the API refused the request without acting
/// on it, for a reason that passes: another change in progress, or a burst of
/// requests. These are the cases the official Go SDK learned from the live
/// API (zscaler-sdk-go `zscaler/errorx/errors.go`: `IsEditLockError`,
/// `IsSessionInvalidError`; `zscaler/zpa/v2_client.go`: `checkRetry`):
///
/// - 409 and 412: an edit lock or a concurrent change (`EDIT_LOCK_NOT_AVAILABLE`,
///   `api.concurrent.access.error`, "Failed during enter Org barrier");
/// - 400 with the id `api.concurrent.access.error` or `db.simultaneous.request`;
/// - 401 whose body says `Resource Access Blocked`, which ZPA sends instead
///   of a 429 under heavy concurrency (a token renewal would not help).
///
/// `mentions` tells whether the body contains a text, wherever it is.
pub(crate) fn refused(status: u16, id: Option<&str>, mentions: impl Fn(&str) -> bool) -> bool {
    match status {
        409 | 412 => true,
        400 => matches!(
            id,
            Some("api.concurrent.access.error" | "db.simultaneous.request")
        ),
        401 => throttled(status, mentions),
        _ => false,
    }
}

/// Whether a refusal is about the rate rather than the resource: ZPA answers
/// `Resource Access Blocked` instead of 429 under heavy concurrency
/// (zscaler-sdk-go's `zscaler/zpa/v2_client.go`, `checkRetry`).
pub(crate) fn throttled(status: u16, mentions: impl Fn(&str) -> bool) -> bool {
    status == 429 || (status == 401 && mentions("Resource Access Blocked"))
}

/// Reads a `retry-after` header value: seconds, with or without an `s`
/// (`13s`, `13`, `1.5s`). Returns `None` for anything else.
///
/// ```
/// use std::time::Duration;
/// assert_eq!(zpa::parse_retry_after("13s"), Some(Duration::from_secs(13)));
/// assert_eq!(zpa::parse_retry_after("13"), Some(Duration::from_secs(13)));
/// assert_eq!(zpa::parse_retry_after("soon"), None);
/// ```
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let text = value.trim();
    let number = text.strip_suffix('s').unwrap_or(text).trim_end();
    let valid = !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && number.bytes().filter(|&b| b == b'.').count() <= 1
        && !number.starts_with('.')
        && !number.ends_with('.');
    if !valid {
        return None;
    }
    let seconds: f64 = number.parse().ok()?;
    Duration::try_from_secs_f64(seconds).ok()
}

/// A number in [0, 1) from a SplitMix64 sequence seeded by the clock; jitter
/// needs spread, not unpredictability, and this runs on wasm32 unchanged.
fn random_unit() -> f64 {
    static STATE: AtomicU64 = AtomicU64::new(0);
    let seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0x9E37_79B9_7F4A_7C15);
    let _ = STATE.compare_exchange(0, seed | 1, Ordering::Relaxed, Ordering::Relaxed);
    let mut z = STATE
        .fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed)
        .wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    // The same tests run under wasm-bindgen-test in Node for wasm32.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn the_budget_counts_attempts_and_total_wait() {
        let policy = RetryPolicy {
            max_wait: Duration::MAX,
            ..RetryPolicy::default()
        };
        let hour = Duration::from_secs(3_600);
        assert!(policy.allows(1, hour, hour));
        assert!(!policy.allows(5, Duration::ZERO, Duration::ZERO));
        assert!(policy.allows(1, hour, Duration::MAX));
        let default = RetryPolicy::default();
        assert!(default.allows(1, Duration::from_secs(59), Duration::from_secs(1)));
        assert!(!default.allows(1, Duration::from_secs(59), Duration::from_millis(1_001)));
        assert!(!default.allows(1, hour, Duration::MAX));
    }

    #[test]
    fn refusals_the_live_api_sends() {
        let nothing = |_: &str| false;
        assert!(refused(409, Some("api.concurrent.access.error"), nothing));
        assert!(refused(412, None, nothing));
        assert!(refused(400, Some("db.simultaneous.request"), nothing));
        assert!(refused(400, Some("api.concurrent.access.error"), nothing));
        assert!(!refused(400, Some("bad.request"), nothing));
        assert!(refused(401, None, |text| text == "Resource Access Blocked"));
        assert!(!refused(401, Some("authentication.failed"), nothing));
        assert!(!refused(404, Some("resource.not.found"), nothing));
        assert!(!refused(503, None, nothing));
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("13s"), Some(Duration::from_secs(13)));
        assert_eq!(parse_retry_after(" 13 "), Some(Duration::from_secs(13)));
        assert_eq!(parse_retry_after("0"), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("1.5s"), Some(Duration::from_millis(1500)));
        for bad in [
            "",
            "s",
            "-1",
            "1e3",
            "13ms",
            ".5",
            "5.",
            "1.2.3",
            "Wed, 21 Oct 2015 07:28:00 GMT",
            "NaN",
            "inf",
        ] {
            assert_eq!(parse_retry_after(bad), None, "{bad}");
        }
    }

    #[test]
    fn backoff_doubles_within_jitter_and_is_capped() {
        let policy = RetryPolicy::default();
        for attempt in 1..=10 {
            let full =
                Duration::from_millis(250 * (1 << (attempt - 1))).min(Duration::from_secs(8));
            for _ in 0..50 {
                let wait = policy.backoff(attempt);
                assert!(
                    wait >= full / 2 && wait <= full,
                    "attempt {attempt}: {wait:?}"
                );
            }
        }
    }
}
