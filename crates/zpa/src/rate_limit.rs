//! Client-side pacing to ZPA's limits, so that a steady workload sees no 429.
//!
//! ZPA counts requests per organisation and source IP over a window: 20 GETs
//! and 10 writes (POST, PUT, DELETE) per 10 seconds. The limiter keeps the
//! send times of the last `limit` requests of each class and lets a request
//! go once the oldest of them is a full window (plus a small margin for
//! network jitter) in the past. That is the server's own rule, so a burst of
//! `limit` goes at once and the pace never exceeds it; a token bucket (GCRA)
//! either bursts past the window's count or paces slower than it allows.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use crate::runtime::{Instant, sleep};

/// Request limits per window, for GETs and for writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// GET requests allowed per window.
    pub reads: u32,
    /// POST, PUT and DELETE requests allowed per window.
    pub writes: u32,
    /// The window.
    pub window: Duration,
}

impl RateLimit {
    /// ZPA's documented limits: 20 GETs and 10 writes per 10 seconds.
    pub const ZPA: RateLimit = RateLimit {
        reads: 20,
        writes: 10,
        window: Duration::from_secs(10),
    };

    /// ZPA's counts over another window, for simulators with a scaled clock.
    pub fn zpa_with_window(window: Duration) -> RateLimit {
        RateLimit {
            window,
            ..RateLimit::ZPA
        }
    }
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit::ZPA
    }
}

pub(crate) struct RateLimiter {
    window: Duration,
    reads: Mutex<History>,
    writes: Mutex<History>,
}

struct History {
    limit: usize,
    sent: VecDeque<Instant>,
}

impl RateLimiter {
    pub(crate) fn new(limit: RateLimit) -> Self {
        let history = |limit: u32| {
            Mutex::new(History {
                limit: limit.max(1) as usize,
                sent: VecDeque::new(),
            })
        };
        RateLimiter {
            // Requests sent back to back can arrive closer together than they
            // left; 2% of the window (at least 20 ms) absorbs that jitter.
            window: limit.window + (limit.window / 50).max(Duration::from_millis(20)),
            reads: history(limit.reads),
            writes: history(limit.writes),
        }
    }

    /// Waits until a request of the given class may go, records it, and
    /// returns how long it waited.
    pub(crate) async fn acquire(&self, write: bool) -> Duration {
        let history = if write { &self.writes } else { &self.reads };
        let started = Instant::now();
        loop {
            let wait = {
                let mut history = history.lock().unwrap_or_else(|poison| poison.into_inner());
                let now = Instant::now();
                match history.wait_before_next(now, self.window) {
                    None => {
                        history.record(now);
                        return now - started;
                    }
                    Some(wait) => wait,
                }
            };
            sleep(wait).await;
        }
    }
}

impl History {
    fn wait_before_next(&self, now: Instant, window: Duration) -> Option<Duration> {
        if self.sent.len() < self.limit {
            return None;
        }
        let oldest = self.sent[self.sent.len() - self.limit];
        let free_at = oldest + window;
        (free_at > now).then(|| free_at - now)
    }

    fn record(&mut self, now: Instant) {
        self.sent.push_back(now);
        while self.sent.len() > self.limit {
            self.sent.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    // The same tests run under wasm-bindgen-test in Node for wasm32.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn a_full_window_blocks_until_the_oldest_request_ages_out() {
        let window = Duration::from_secs(10);
        let start = Instant::now();
        let mut history = History {
            limit: 3,
            sent: VecDeque::new(),
        };
        for i in 0..3 {
            assert_eq!(history.wait_before_next(start, window), None);
            history.record(start + Duration::from_secs(i));
        }
        let now = start + Duration::from_secs(4);
        assert_eq!(
            history.wait_before_next(now, window),
            Some(Duration::from_secs(6))
        );
        let later = start + Duration::from_secs(10);
        assert_eq!(history.wait_before_next(later, window), None);
        history.record(later);
        assert_eq!(history.sent.len(), 3);
        assert_eq!(
            history.wait_before_next(later, window),
            Some(Duration::from_secs(1))
        );
    }
}
