//! How far a stream of pages reaches ahead of its caller.
//!
//! A link with a long round trip needs several requests in flight to stay
//! busy; on a short one, more requests only compete with decoding for the
//! cores, and every page decoded and waiting costs memory (a page of 500
//! connectors decoded holds about 4 MB, its JSON about 650 KB). So on native
//! targets a stream sizes its window from what it measures: how long a page
//! takes from the moment it is sent to its last byte, against how often the
//! caller takes one (Little's law), from [`DECODED_AHEAD`] to
//! [`MAX_PAGES_IN_FLIGHT`]. Time held by a rate limit does not count, and
//! once a limit has held or refused one of its requests the stream keeps
//! [`ONE_AHEAD`]: the rate, not the link or the cores, then bounds it, and
//! more requests would only queue behind the limit or come back refused
//! (processes sharing a tenant without sharing its budget drew about twice
//! the refusals with two ahead, `bench/notes.md`).
//!
//! An answer, once downloaded, also waits for its turn before it is
//! decoded: at most [`DECODED_AHEAD`] pages past the one the caller holds.
//! The wait sits between the transport, which has read the body, and the
//! generated code, which decodes it; a task-local carries the page's turn
//! from the stream to the transport. On wasm32, where answers are decoded on
//! the one thread as they arrive, the window stays at [`ONE_AHEAD`].

use std::future::Future;
#[cfg(not(target_arch = "wasm32"))]
use std::sync::Arc;
#[cfg(not(target_arch = "wasm32"))]
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
#[cfg(not(target_arch = "wasm32"))]
use std::time::{Duration, Instant};

/// The most requests a stream keeps in flight ahead of the page its caller
/// holds: on a 40 ms, 50 Mbit/s link a page of 500 connectors (about 100 KB
/// gzipped) crosses in 15 ms, so about four cover the round trip
/// (`cargo xtask bench`, section 2). The rate limit still paces each.
pub const MAX_PAGES_IN_FLIGHT: u32 = 6;

/// Pages decoded ahead of the one the caller holds: one decodes on the
/// second core while the caller works through the page before.
#[cfg(not(target_arch = "wasm32"))]
const DECODED_AHEAD: u32 = 2;

/// The least a stream fetches ahead: the next page, while the caller works
/// through the current one.
const ONE_AHEAD: u32 = 1;

/// A stream's side: the last page its caller took, and the times its
/// window is sized from.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) struct Reach {
    taken: tokio::sync::watch::Sender<u32>,
    measured: Arc<Measured>,
    last_taken: Option<Instant>,
    /// Between the caller's last two pages.
    interval: Option<Duration>,
}

#[cfg(not(target_arch = "wasm32"))]
impl Reach {
    pub(crate) fn new() -> Reach {
        Reach {
            taken: tokio::sync::watch::Sender::new(0),
            measured: Arc::default(),
            last_taken: None,
            interval: None,
        }
    }

    /// The caller has page `page`: pages up to `page + DECODED_AHEAD` may decode.
    pub(crate) fn took(&mut self, page: u32) {
        let now = Instant::now();
        self.interval = self.last_taken.map(|last| now - last);
        self.last_taken = Some(now);
        self.taken.send_replace(page);
    }

    /// Requests to keep in flight ahead of the caller's page: a page's
    /// time on the wire over the caller's pace, at least [`DECODED_AHEAD`];
    /// [`ONE_AHEAD`] once a rate limit has held the stream.
    pub(crate) fn window(&self) -> u32 {
        if self.measured.limited.load(Ordering::Relaxed) {
            return ONE_AHEAD;
        }
        let transit = self.measured.transit.load(Ordering::Relaxed) as f64;
        let needed = match self.interval {
            Some(interval) if !interval.is_zero() => {
                (transit / interval.as_micros() as f64).ceil() as u32
            }
            _ => DECODED_AHEAD,
        };
        needed.clamp(DECODED_AHEAD, MAX_PAGES_IN_FLIGHT)
    }

    /// `fetch` of page `page`, whose answers report their time on the wire
    /// and wait for their turn to decode.
    pub(crate) fn scope<F: Future>(
        &self,
        page: u32,
        fetch: F,
    ) -> impl Future<Output = F::Output> + use<F> {
        let turn = Turn {
            page,
            taken: self.taken.subscribe(),
            measured: self.measured.clone(),
        };
        TURN.scope(turn, fetch)
    }
}

#[cfg(not(target_arch = "wasm32"))]
tokio::task_local! {
    static TURN: Turn;
}

/// What a stream's fetches report.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Default)]
struct Measured {
    /// The latest page's time on the wire, in µs.
    transit: AtomicU64,
    /// Whether a rate limit has held or refused one of the stream's requests.
    limited: AtomicBool,
}

/// A page fetch's place in its stream.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone)]
struct Turn {
    page: u32,
    taken: tokio::sync::watch::Receiver<u32>,
    measured: Arc<Measured>,
}

/// Records, in a page fetch, how long its answer took from the moment the
/// request left to its last byte; does nothing anywhere else.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn arrived(on_the_wire: Duration) {
    let micros = u64::try_from(on_the_wire.as_micros()).unwrap_or(u64::MAX);
    let _ = TURN.try_with(|turn| turn.measured.transit.store(micros, Ordering::Relaxed));
}

/// Records, in a page fetch, that a rate limit (the client's or the budget
/// the server advertises) held its request for `wait`: a millisecond or
/// more is a limit at work, less only its bookkeeping.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn held(wait: Duration) {
    if wait >= Duration::from_millis(1) {
        mark_limited();
    }
}

/// Records, in a page fetch, that the server refused its request for its rate.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn refused() {
    mark_limited();
}

#[cfg(not(target_arch = "wasm32"))]
fn mark_limited() {
    let _ = TURN.try_with(|turn| turn.measured.limited.store(true, Ordering::Relaxed));
}

/// Waits, in a page fetch, until its page may be decoded; at once anywhere
/// else. Pages decode in the order the caller takes them, so the page it
/// waits for is never held behind a later one.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) async fn await_turn() {
    let Ok(mut turn) = TURN.try_with(Turn::clone) else {
        return;
    };
    let page = turn.page;
    // An error means the stream is gone, and this fetch with it.
    let _ = turn
        .taken
        .wait_for(|&taken| page <= taken.saturating_add(DECODED_AHEAD))
        .await;
}

/// A stream's side; on wasm32 a fixed window.
#[cfg(target_arch = "wasm32")]
pub(crate) struct Reach;

#[cfg(target_arch = "wasm32")]
impl Reach {
    pub(crate) fn new() -> Reach {
        Reach
    }

    pub(crate) fn took(&mut self, _page: u32) {}

    pub(crate) fn window(&self) -> u32 {
        ONE_AHEAD
    }

    pub(crate) fn scope<F: Future>(&self, _page: u32, fetch: F) -> F {
        fetch
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
        // Outside a page fetch nothing waits or records.
        await_turn().await;
        arrived(Duration::from_secs(1));
        refused();
    }

    #[tokio::test]
    async fn the_window_covers_a_pages_time_on_the_wire_at_the_callers_pace() {
        let mut reach = Reach::new();
        assert_eq!(reach.window(), DECODED_AHEAD);
        let fetch = |reach: &Reach, report: fn()| reach.scope(1, async move { report() });
        fetch(&reach, || arrived(Duration::from_millis(55))).await;
        reach.interval = Some(Duration::from_millis(15));
        assert_eq!(reach.window(), 4);
        reach.interval = Some(Duration::from_millis(3));
        assert_eq!(reach.window(), MAX_PAGES_IN_FLIGHT);
        fetch(&reach, || arrived(Duration::from_millis(2))).await;
        assert_eq!(reach.window(), DECODED_AHEAD);
        fetch(&reach, || arrived(Duration::from_millis(55))).await;
        fetch(&reach, || held(Duration::from_micros(50))).await;
        assert_eq!(reach.window(), MAX_PAGES_IN_FLIGHT, "a limit's bookkeeping");
        fetch(&reach, || held(Duration::from_millis(40))).await;
        assert_eq!(reach.window(), ONE_AHEAD, "held by a limit");
        reach.took(1);
        assert_eq!(reach.interval, None);
    }
}
