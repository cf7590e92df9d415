//! Adaptive pacing: a 429 (or `Resource Access Blocked`) that arrives
//! although this client kept to the limit means that others spend the same
//! budget, since ZPA counts per organisation and source IP. The client then
//! halves its own limit, at most once per window (the answers to requests
//! already in flight say nothing new), holds it for [`HOLD`] windows, then
//! wins it back by one request for every further window without another
//! refusal: additive increase, multiplicative decrease, as TCP shares a
//! link. The budget is usually shared to the last request, so each probe
//! above the fair share costs a refusal; the hold and the small step keep
//! probes rare.

use std::time::Duration;

use crate::runtime::Instant;

/// Windows without a refusal before the limit starts to grow again.
const HOLD: u32 = 3;

pub(super) struct Adaptive {
    full: u32,
    current: u32,
    window: Duration,
    /// From when `current` may grow by one per window.
    grows_from: Instant,
    cut_at: Option<Instant>,
}

impl Adaptive {
    pub(super) fn new(full: u32, window: Duration) -> Self {
        Adaptive {
            full: full.max(1),
            current: full.max(1),
            window,
            grows_from: Instant::now(),
            cut_at: None,
        }
    }

    /// The limit in force at `now`, with the quiet windows won back.
    pub(super) fn limit(&mut self, now: Instant) -> u32 {
        if self.current < self.full && now > self.grows_from && !self.window.is_zero() {
            let windows = (now - self.grows_from).as_nanos() / self.window.as_nanos();
            let windows = u32::try_from(windows).unwrap_or(u32::MAX);
            if windows > 0 {
                self.current = self.current.saturating_add(windows).min(self.full);
                self.grows_from += self.window * windows.min(self.full);
            }
        }
        self.current
    }

    /// Takes a refusal into account; returns the new limit if it was lowered.
    pub(super) fn refused(&mut self, now: Instant) -> Option<u32> {
        if self.cut_at.is_some_and(|at| now - at < self.window) {
            return None;
        }
        let current = self.limit(now);
        self.current = (current / 2).max(1);
        self.grows_from = now + self.window * HOLD;
        self.cut_at = Some(now);
        Some(self.current)
    }
}

#[cfg(test)]
mod tests {
    // The same tests run under wasm-bindgen-test in Node for wasm32.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn halves_once_per_window_holds_then_wins_back_one_per_quiet_window() {
        let window = Duration::from_secs(10);
        let mut pacing = Adaptive::new(20, window);
        let t = pacing.grows_from + Duration::from_secs(100);
        assert_eq!(pacing.limit(t), 20);

        assert_eq!(pacing.refused(t), Some(10));
        // Answers to requests sent before the cut change nothing.
        assert_eq!(pacing.refused(t + Duration::from_secs(3)), None);
        assert_eq!(pacing.refused(t + Duration::from_secs(10)), Some(5));
        let t = t + Duration::from_secs(10);
        assert_eq!(pacing.limit(t + Duration::from_secs(39)), 5, "held");
        assert_eq!(pacing.limit(t + Duration::from_secs(40)), 6);
        assert_eq!(pacing.limit(t + Duration::from_secs(65)), 8);
        assert_eq!(pacing.limit(t + Duration::from_secs(10_000)), 20);

        let mut alone = Adaptive::new(1, window);
        assert_eq!(alone.refused(t), Some(1), "never below one");
    }
}
