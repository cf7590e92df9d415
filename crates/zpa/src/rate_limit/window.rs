//! One request class's sliding window in this process: the send times of
//! the last requests, and the rule that a request goes once the one `limit`
//! sends back is a full window in the past. That is the server's own rule,
//! so a burst of `limit` goes at once and the pace never exceeds it; a token
//! bucket (GCRA) either bursts past the window's count or paces slower than
//! it allows.

use std::collections::VecDeque;
use std::time::Duration;

use crate::runtime::Instant;

pub(super) struct Window {
    /// At most this many sends are kept: the largest limit ever asked for.
    capacity: usize,
    sent: VecDeque<Instant>,
}

impl Window {
    pub(super) fn new(capacity: u32) -> Self {
        Window {
            capacity: capacity.max(1) as usize,
            sent: VecDeque::new(),
        }
    }

    /// How long until a request may go with `limit` per `window`, if it
    /// may not go now.
    pub(super) fn wait_before_next(
        &self,
        now: Instant,
        limit: u32,
        window: Duration,
    ) -> Option<Duration> {
        let limit = (limit.max(1) as usize).min(self.capacity);
        if self.sent.len() < limit {
            return None;
        }
        let free_at = self.sent[self.sent.len() - limit] + window;
        (free_at > now).then(|| free_at - now)
    }

    /// Takes back the send made at `at`, if it is still kept.
    pub(super) fn forget(&mut self, at: Instant) {
        if let Some(index) = self.sent.iter().rposition(|sent| *sent == at) {
            self.sent.remove(index);
        }
    }

    pub(super) fn record(&mut self, now: Instant) {
        self.sent.push_back(now);
        while self.sent.len() > self.capacity {
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
        let mut sends = Window::new(3);
        for i in 0..3 {
            assert_eq!(sends.wait_before_next(start, 3, window), None);
            sends.record(start + Duration::from_secs(i));
        }
        let now = start + Duration::from_secs(4);
        assert_eq!(
            sends.wait_before_next(now, 3, window),
            Some(Duration::from_secs(6))
        );
        let later = start + Duration::from_secs(10);
        assert_eq!(sends.wait_before_next(later, 3, window), None);
        sends.record(later);
        assert_eq!(sends.sent.len(), 3);
        assert_eq!(
            sends.wait_before_next(later, 3, window),
            Some(Duration::from_secs(1))
        );
    }

    #[test]
    fn a_lowered_limit_counts_fewer_of_the_same_sends() {
        let window = Duration::from_secs(10);
        let start = Instant::now();
        let mut sends = Window::new(4);
        for i in 0..4 {
            sends.record(start + Duration::from_secs(i));
        }
        let now = start + Duration::from_secs(5);
        // Two per window: the second-latest send (at 2 s) must age out.
        assert_eq!(
            sends.wait_before_next(now, 2, window),
            Some(Duration::from_secs(7))
        );
        // A limit above what is kept counts as the largest kept.
        assert_eq!(
            sends.wait_before_next(now, 9, window),
            Some(Duration::from_secs(5))
        );
        // A send the server refused does not count.
        sends.forget(start + Duration::from_secs(2));
        assert_eq!(
            sends.wait_before_next(now, 2, window),
            Some(Duration::from_secs(6))
        );
    }
}
