//! ZPA's per-client limits: N GETs and M writes in any sliding window.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use http::Method;

use crate::config::RateLimit;

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

/// Whole seconds, rounded up and at least one, as the header carries them.
pub(crate) fn retry_after_secs(wait: Duration) -> u64 {
    wait.as_secs_f64().ceil().max(1.0) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

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
