//! ZPA's per-client limits: N GETs and M writes in any sliding window; and
//! the budget OneAPI advertises in its `x-ratelimit-*` headers.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::{HeaderName, HeaderValue, Method};

use crate::config::{AdvertisedLimit, RateLimit};
use crate::errors::too_many_requests;
use crate::state::{Shared, lock};

#[derive(Debug)]
pub(crate) struct RateLimiter {
    limit: Option<RateLimit>,
    clients: HashMap<String, Windows>,
}

#[derive(Debug, Default)]
struct Windows {
    reads: VecDeque<Instant>,
    writes: VecDeque<Instant>,
}

impl RateLimiter {
    pub(crate) fn new(limit: Option<RateLimit>) -> Self {
        RateLimiter {
            limit,
            clients: HashMap::new(),
        }
    }

    /// Counts the request, or says how long until the window frees a slot.
    /// Refused requests are not counted, as with ZPA.
    pub(crate) fn check(
        &mut self,
        client: &str,
        method: &Method,
        now: Instant,
    ) -> Result<(), Duration> {
        let Some(limit) = self.limit else {
            return Ok(());
        };
        let windows = self.clients.entry(client.to_owned()).or_default();
        let is_read = matches!(*method, Method::GET | Method::HEAD);
        let (stamps, allowed) = if is_read {
            (&mut windows.reads, limit.get)
        } else {
            (&mut windows.writes, limit.write)
        };
        while stamps
            .front()
            .is_some_and(|t| now.duration_since(*t) >= limit.window)
        {
            stamps.pop_front();
        }
        if stamps.len() < allowed {
            stamps.push_back(now);
            return Ok(());
        }
        let oldest = stamps[stamps.len() - allowed];
        Err(limit.window.saturating_sub(now.duration_since(oldest)))
    }
}

/// The budget of [`SimConfig::advertised_limit`](crate::SimConfig): a fixed
/// window over every API request, advertised on every answer the way live
/// OneAPI answers do (`x-ratelimit-limit: 5000, 5000;w=60`,
/// `x-ratelimit-remaining: 4983`, `x-ratelimit-reset: 17`).
#[derive(Debug)]
pub(crate) struct Advertised {
    limit: AdvertisedLimit,
    started: Instant,
    used: u32,
}

impl Advertised {
    pub(crate) fn new(limit: AdvertisedLimit) -> Self {
        Advertised {
            limit,
            started: Instant::now(),
            used: 0,
        }
    }

    /// Counts a request if the window has room, and says whether it had,
    /// with the headers that describe the budget afterwards.
    fn take(&mut self, now: Instant) -> (bool, [(HeaderName, HeaderValue); 3]) {
        let window = self.limit.window;
        while now.duration_since(self.started) >= window {
            self.started += window;
            self.used = 0;
        }
        let allowed = self.used < self.limit.requests;
        if allowed {
            self.used += 1;
        }
        let requests = self.limit.requests;
        let reset = retry_after_secs(window - now.duration_since(self.started));
        let header = |text: String| HeaderValue::try_from(text).expect("digits and separators");
        let headers = [
            (
                HeaderName::from_static("x-ratelimit-limit"),
                header(format!(
                    "{requests}, {requests};w={}",
                    retry_after_secs(window)
                )),
            ),
            (
                HeaderName::from_static("x-ratelimit-remaining"),
                header((requests - self.used).to_string()),
            ),
            (
                HeaderName::from_static("x-ratelimit-reset"),
                header(reset.to_string()),
            ),
        ];
        (allowed, headers)
    }
}

/// In front of the API routes: the advertised budget. Under the OneAPI
/// prefix (`oneapi`) there always is one, as on every live OneAPI answer;
/// under the legacy prefix only when one is set. A request past it gets a
/// 429 that waits for the reset.
pub(crate) async fn advertise(
    State((state, oneapi)): State<(Arc<Shared>, bool)>,
    request: Request,
    next: Next,
) -> Response {
    let budget = match (&state.advertised, oneapi) {
        (Some(budget), _) => budget,
        (None, true) => &state.oneapi_budget,
        (None, false) => return next.run(request).await,
    };
    let (allowed, headers) = lock(budget).take(Instant::now());
    let mut response = if allowed {
        next.run(request).await
    } else {
        let reset = headers[2].1.to_str().ok().and_then(|s| s.parse().ok());
        too_many_requests(reset.unwrap_or(1))
    };
    response.headers_mut().extend(headers);
    response
}

/// Whole seconds, rounded up and at least one, as the header carries them.
pub(crate) fn retry_after_secs(wait: Duration) -> u64 {
    wait.as_secs_f64().ceil().max(1.0) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_advertised_budget_counts_down_and_resets_with_its_window() {
        let mut budget = Advertised::new(AdvertisedLimit {
            requests: 2,
            window: Duration::from_secs(60),
        });
        let start = budget.started;
        let value = |headers: &[(HeaderName, HeaderValue); 3], i: usize| {
            headers[i].1.to_str().unwrap().to_owned()
        };
        let (allowed, headers) = budget.take(start + Duration::from_millis(43_500));
        assert!(allowed);
        assert_eq!(value(&headers, 0), "2, 2;w=60");
        assert_eq!(value(&headers, 1), "1");
        assert_eq!(value(&headers, 2), "17");
        assert!(budget.take(start + Duration::from_secs(44)).0);
        let (allowed, headers) = budget.take(start + Duration::from_secs(45));
        assert!(!allowed);
        assert_eq!(value(&headers, 1), "0");
        let (allowed, headers) = budget.take(start + Duration::from_secs(61));
        assert!(allowed);
        assert_eq!(
            (value(&headers, 1), value(&headers, 2)),
            ("1".into(), "59".into())
        );
    }

    #[test]
    fn twenty_reads_and_ten_writes_per_window() {
        let mut limiter = RateLimiter::new(Some(RateLimit::zpa(Duration::from_secs(10))));
        let start = Instant::now();
        for _ in 0..20 {
            assert!(limiter.check("a", &Method::GET, start).is_ok());
        }
        for _ in 0..10 {
            assert!(limiter.check("a", &Method::POST, start).is_ok());
        }
        assert!(
            limiter.check("b", &Method::GET, start).is_ok(),
            "per client"
        );
        let later = start + Duration::from_millis(2500);
        let wait = limiter.check("a", &Method::GET, later).unwrap_err();
        assert_eq!(wait, Duration::from_millis(7500));
        assert_eq!(retry_after_secs(wait), 8);
        assert!(limiter.check("a", &Method::DELETE, later).is_err());
        assert!(
            limiter
                .check("a", &Method::GET, start + Duration::from_secs(10))
                .is_ok()
        );
    }

    #[test]
    fn off_means_unlimited() {
        let mut limiter = RateLimiter::new(None);
        for _ in 0..1000 {
            assert!(limiter.check("a", &Method::GET, Instant::now()).is_ok());
        }
    }
}
