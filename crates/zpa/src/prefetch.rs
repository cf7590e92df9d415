//! How far a stream of pages reaches ahead of its caller.
//!
//! A link with a long round trip needs several requests in flight to stay
//! busy; on a short one, more requests only compete with decoding for the
//! cores, and every page decoded and waiting costs memory (a page of 500
//! connectors decoded holds about 4 MB, its JSON about 650 KB). So a stream
//! sizes its window from what it measures: how long a page takes to arrive
//! against how often the caller takes one (Little's law), from
//! [`DECODED_AHEAD`] to [`MAX_PAGES_IN_FLIGHT`].
//!
//! On native targets an answer, once downloaded, also waits for its turn
//! before it is decoded: at most [`DECODED_AHEAD`] pages past the one the
//! caller holds. The wait sits between the transport, which has read the
//! body, and the generated code, which decodes it; a task-local carries the
//! page's turn from the stream to the transport. On wasm32 the body is read
//! as it is decoded, so a page's arrival is timed at the end of its fetch.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::runtime::Instant;

/// The most requests a stream keeps in flight ahead of the page its caller
/// holds: on a 40 ms, 50 Mbit/s link a page of 500 connectors (about 100 KB
/// gzipped) crosses in 15 ms, so about four cover the round trip
/// (`cargo xtask bench`, section 2). The rate limit still paces each.
pub const MAX_PAGES_IN_FLIGHT: u32 = 6;

/// Pages decoded ahead of the one the caller holds: one decodes on the
/// second core while the caller works through the page before.
const DECODED_AHEAD: u32 = 2;

/// A stream's side: the last page its caller took, and the times its
/// window is sized from.
pub(crate) struct Reach {
    #[cfg(not(target_arch = "wasm32"))]
    taken: tokio::sync::watch::Sender<u32>,
    /// The latest page's time from its request to its body, in µs.
    transit: Arc<AtomicU64>,
    last_taken: Option<Instant>,
    /// Between the caller's last two pages.
    interval: Option<Duration>,
}

impl Reach {
    pub(crate) fn new() -> Reach {
        Reach {
            #[cfg(not(target_arch = "wasm32"))]
            taken: tokio::sync::watch::Sender::new(0),
            transit: Arc::new(AtomicU64::new(0)),
            last_taken: None,
            interval: None,
        }
    }

    /// The caller has page `page`; on native targets pages up to
    /// `page + DECODED_AHEAD` may decode.
    pub(crate) fn took(&mut self, page: u32) {
        let now = Instant::now();
        self.interval = self.last_taken.map(|last| now - last);
        self.last_taken = Some(now);
        #[cfg(not(target_arch = "wasm32"))]
        self.taken.send_replace(page);
        #[cfg(target_arch = "wasm32")]
        let _ = page;
    }

    /// Requests to keep in flight ahead of the caller's page: a page's
    /// transit over the caller's pace, at least [`DECODED_AHEAD`].
    pub(crate) fn window(&self) -> u32 {
        let transit = self.transit.load(Ordering::Relaxed) as f64;
        let needed = match self.interval {
            Some(interval) if !interval.is_zero() => {
                (transit / interval.as_micros() as f64).ceil() as u32
            }
            _ => DECODED_AHEAD,
        };
        needed.clamp(DECODED_AHEAD, MAX_PAGES_IN_FLIGHT)
    }

    /// `fetch` of page `page`, timed; on native targets its answers wait
    /// for their turn to decode.
    pub(crate) fn scope<F: Future>(
        &self,
        page: u32,
        fetch: F,
    ) -> impl Future<Output = F::Output> + use<F> {
        let arrival = Arrival {
            sent: Instant::now(),
            transit: self.transit.clone(),
        };
        #[cfg(not(target_arch = "wasm32"))]
        {
            let turn = native::Turn {
                page,
                taken: self.taken.subscribe(),
                arrival,
            };
            native::TURN.scope(turn, fetch)
        }
        #[cfg(target_arch = "wasm32")]
        {
            let _ = page;
            async move {
                let output = fetch.await;
                arrival.arrived();
                output
            }
        }
    }
}

/// When a page was requested, and where to record its transit.
#[derive(Clone)]
struct Arrival {
    sent: Instant,
    transit: Arc<AtomicU64>,
}

impl Arrival {
    fn arrived(&self) {
        let transit = u64::try_from(self.sent.elapsed().as_micros()).unwrap_or(u64::MAX);
        self.transit.store(transit, Ordering::Relaxed);
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub(crate) use native::await_turn;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use tokio::sync::watch;

    use super::{Arrival, DECODED_AHEAD};

    tokio::task_local! {
        pub(super) static TURN: Turn;
    }

    /// A page fetch's place in its stream.
    #[derive(Clone)]
    pub(super) struct Turn {
        pub(super) page: u32,
        pub(super) taken: watch::Receiver<u32>,
        pub(super) arrival: Arrival,
    }

    /// Records, in a page fetch, that its answer has arrived, and waits until
    /// its page may be decoded; does nothing anywhere else. Pages decode in
    /// the order the caller takes them, so the page it waits for is never
    /// held behind a later one.
    pub(crate) async fn await_turn() {
        let Ok(mut turn) = TURN.try_with(Turn::clone) else {
            return;
        };
        turn.arrival.arrived();
        let page = turn.page;
        // An error means the stream is gone, and this fetch with it.
        let _ = turn
            .taken
            .wait_for(|&taken| page <= taken.saturating_add(DECODED_AHEAD))
            .await;
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use std::sync::atomic::AtomicU32;

    use super::*;

    #[tokio::test]
    async fn a_page_decodes_only_within_reach_of_the_caller_and_in_order() {
        let mut reach = Reach::new();
        let decoded = Arc::new(AtomicU32::new(0));
        let fetch = |page: u32| {
            let decoded = decoded.clone();
            tokio::spawn(reach.scope(page, async move {
                await_turn().await;
                decoded.fetch_max(page, Ordering::SeqCst);
            }))
        };
        let (first, second, fifth) = (fetch(1), fetch(2), fetch(5));
        first.await.unwrap();
        second.await.unwrap();
        tokio::task::yield_now().await;
        assert_eq!(decoded.load(Ordering::SeqCst), 2);
        reach.took(2);
        tokio::task::yield_now().await;
        assert!(!fifth.is_finished());
        reach.took(3);
        fifth.await.unwrap();
        assert_eq!(decoded.load(Ordering::SeqCst), 5);
        // Outside a page fetch nothing waits.
        await_turn().await;
    }

    #[test]
    fn the_window_covers_a_pages_transit_at_the_callers_pace() {
        let mut reach = Reach::new();
        assert_eq!(reach.window(), DECODED_AHEAD);
        let transit = |ms: u64| reach.transit.store(ms * 1_000, Ordering::Relaxed);
        transit(55);
        reach.interval = Some(Duration::from_millis(15));
        assert_eq!(reach.window(), 4);
        reach.interval = Some(Duration::from_millis(3));
        assert_eq!(reach.window(), MAX_PAGES_IN_FLIGHT);
        transit(2);
        assert_eq!(reach.window(), DECODED_AHEAD);
        reach.took(1);
        assert_eq!(reach.interval, None);
    }
}
