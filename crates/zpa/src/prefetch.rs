//! How far a stream of pages reaches ahead of its caller.
//!
//! A link with a long round trip needs several requests in flight to stay
//! busy; on a short one, more requests only compete with decoding for the
//! cores, and every page decoded and waiting costs memory (a page of 500
//! connectors decoded holds about 4 MB, its JSON about 650 KB). So a stream
//! sizes its window from what it measures: how long a page takes from the
//! moment it is sent to its last byte, against how often the caller takes
//! one (Little's law), from [`DECODED_AHEAD`] to
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
//! generated code, which decodes it. The page's turn rides from the stream
//! to the transport in a thread-local set around each poll of its fetch (as
//! tokio's task-locals do, which wasm32 lacks), so that the browser and Node
//! get the same window as native targets.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use crate::runtime::Instant;

/// The most requests a stream keeps in flight ahead of the page its caller
/// holds: on a 40 ms, 50 Mbit/s link a page of 500 connectors (about 100 KB
/// gzipped) crosses in 15 ms, so about four cover the round trip
/// (`cargo xtask bench`, section 2). The rate limit still paces each.
pub const MAX_PAGES_IN_FLIGHT: u32 = 6;

/// Pages decoded ahead of the one the caller holds: natively, one decodes
/// on the second core while the caller works through the page before.
const DECODED_AHEAD: u32 = 2;

/// The least a stream fetches ahead: the next page, while the caller works
/// through the current one.
const ONE_AHEAD: u32 = 1;

/// A stream's side: the last page its caller took, and the times its
/// window is sized from.
pub(crate) struct Reach {
    taken: tokio::sync::watch::Sender<u32>,
    measured: Arc<Measured>,
    last_taken: Option<Instant>,
    /// Between the caller's last two pages.
    interval: Option<Duration>,
}

impl Reach {
    /// For a stream that starts at page `first`: the pages before it count
    /// as taken, so that `first` and those after it may decode.
    pub(crate) fn from_page(first: u32) -> Reach {
        Reach {
            taken: tokio::sync::watch::Sender::new(first.saturating_sub(1)),
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
        Scoped {
            turn: Some(turn),
            fetch: Box::pin(fetch),
        }
    }
}

thread_local! {
    /// The turn of the page fetch being polled on this thread, if any.
    static TURN: RefCell<Option<Turn>> = const { RefCell::new(None) };
}

/// A page fetch with its turn in [`TURN`] while it is polled.
struct Scoped<F> {
    turn: Option<Turn>,
    fetch: Pin<Box<F>>,
}

impl<F: Future> Future for Scoped<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        /// Puts the turn back in its fetch, even if the poll panics.
        struct Restore<'a> {
            turn: &'a mut Option<Turn>,
            outer: Option<Turn>,
        }
        impl Drop for Restore<'_> {
            fn drop(&mut self) {
                *self.turn = TURN.with(|slot| slot.replace(self.outer.take()));
            }
        }
        let this = self.get_mut();
        let outer = TURN.with(|slot| slot.replace(this.turn.take()));
        let _restore = Restore {
            turn: &mut this.turn,
            outer,
        };
        this.fetch.as_mut().poll(cx)
    }
}

/// `f` with the turn of the page fetch being polled; `None` outside one.
fn with_turn<R>(f: impl FnOnce(&Turn) -> R) -> Option<R> {
    TURN.with(|slot| slot.borrow().as_ref().map(f))
}

/// What a stream's fetches report.
#[derive(Default)]
struct Measured {
    /// The latest page's time on the wire, in µs.
    transit: AtomicU64,
    /// Whether a rate limit has held or refused one of the stream's requests.
    limited: AtomicBool,
}

/// A page fetch's place in its stream.
#[derive(Clone)]
struct Turn {
    page: u32,
    taken: tokio::sync::watch::Receiver<u32>,
    measured: Arc<Measured>,
}

/// Records, in a page fetch, how long its answer took from the moment the
/// request left to its last byte; does nothing anywhere else.
pub(crate) fn arrived(on_the_wire: Duration) {
    let micros = u64::try_from(on_the_wire.as_micros()).unwrap_or(u64::MAX);
    with_turn(|turn| turn.measured.transit.store(micros, Ordering::Relaxed));
}

/// Records, in a page fetch, that a rate limit (the client's or the budget
/// the server advertises) held its request for `wait`: a millisecond or
/// more is a limit at work, less only its bookkeeping.
pub(crate) fn held(wait: Duration) {
    if wait >= Duration::from_millis(1) {
        mark_limited();
    }
}

/// Records, in a page fetch, that the server refused its request for its rate.
pub(crate) fn refused() {
    mark_limited();
}

fn mark_limited() {
    with_turn(|turn| turn.measured.limited.store(true, Ordering::Relaxed));
}

/// Waits, in a page fetch, until its page may be decoded; at once anywhere
/// else. Pages decode in the order the caller takes them, so the page it
/// waits for is never held behind a later one.
pub(crate) async fn await_turn() {
    let Some(mut turn) = with_turn(Turn::clone) else {
        return;
    };
    let page = turn.page;
    // An error means the stream is gone, and this fetch with it.
    let _ = turn
        .taken
        .wait_for(|&taken| page <= taken.saturating_add(DECODED_AHEAD))
        .await;
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicU32;

    use futures::FutureExt;

    use super::*;
    use crate::runtime::spawn;

    /// Lets the other tasks run: tokio's yield on native targets; on wasm32,
    /// where tasks are microtasks run in order, one wake behind them.
    async fn yield_now() {
        #[cfg(not(target_arch = "wasm32"))]
        tokio::task::yield_now().await;
        #[cfg(target_arch = "wasm32")]
        {
            let mut yielded = false;
            std::future::poll_fn(|cx| {
                if std::mem::replace(&mut yielded, true) {
                    Poll::Ready(())
                } else {
                    cx.waker().wake_by_ref();
                    Poll::Pending
                }
            })
            .await
        }
    }

    // The same tests run under wasm-bindgen-test in Node for wasm32.
    #[cfg_attr(not(target_arch = "wasm32"), tokio::test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    async fn a_page_decodes_only_within_reach_of_the_caller_and_in_order() {
        let mut reach = Reach::from_page(1);
        let decoded = Arc::new(AtomicU32::new(0));
        let fetch = |page: u32| {
            let decoded = decoded.clone();
            spawn(reach.scope(page, async move {
                await_turn().await;
                decoded.fetch_max(page, Ordering::SeqCst);
            }))
        };
        let (first, second, mut fifth) = (fetch(1), fetch(2), fetch(5));
        first.await;
        second.await;
        yield_now().await;
        assert_eq!(decoded.load(Ordering::SeqCst), 2);
        reach.took(2);
        yield_now().await;
        assert!((&mut fifth).now_or_never().is_none());
        reach.took(3);
        fifth.await;
        assert_eq!(decoded.load(Ordering::SeqCst), 5);
        // Outside a page fetch nothing waits or records.
        await_turn().await;
        arrived(Duration::from_secs(1));
        refused();
    }

    #[cfg_attr(not(target_arch = "wasm32"), tokio::test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    async fn the_window_covers_a_pages_time_on_the_wire_at_the_callers_pace() {
        let mut reach = Reach::from_page(1);
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

    #[cfg_attr(not(target_arch = "wasm32"), tokio::test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    async fn a_fetch_sees_its_own_turn_and_leaves_none_behind() {
        let (one, two) = (Reach::from_page(1), Reach::from_page(1));
        let page = || with_turn(|turn| turn.page);
        let inner = two.scope(7, async move { page() });
        let outer = one.scope(3, async move {
            let before = page();
            let nested = inner.await;
            (before, nested, page())
        });
        assert_eq!(outer.await, (Some(3), Some(7), Some(3)));
        assert_eq!(page(), None);
    }
}
