//! Concurrent identical GETs through one client share one request and one
//! answer, as the official Go SDK does. The table of requests in flight
//! holds them weakly: once every caller waiting on one has gone (a stream
//! dropped mid-prefetch, a `select!` that chose another branch), the request
//! is dropped with its connection, and a later caller sends a fresh one.
//! Nothing is kept once the answer is in, so no caller gets a stale copy.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures::FutureExt;
use futures::future::{BoxFuture, Shared, WeakShared};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// A whole answer, which every caller waiting on it gets a copy of.
#[derive(Clone)]
pub(crate) struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Answer {
    pub(crate) async fn read(response: reqwest::Response) -> reqwest::Result<Answer> {
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await?;
        Ok(Answer {
            status,
            headers,
            body,
        })
    }

    pub(crate) fn status(&self) -> StatusCode {
        self.status
    }

    pub(crate) fn into_response(self) -> reqwest::Response {
        let mut response = http::Response::new(self.body);
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers;
        reqwest::Response::from(response)
    }
}

/// `None` when the request failed without an answer: each waiting caller
/// then sends its own.
type Flight = BoxFuture<'static, Option<Answer>>;

type Table = Arc<Mutex<HashMap<String, Entry>>>;

struct Entry {
    id: u64,
    flight: WeakShared<Flight>,
}

/// The GETs in flight, by URL.
#[derive(Default)]
pub(crate) struct InFlight {
    gets: Table,
    next_id: AtomicU64,
}

/// Takes a flight's entry out of the table when the flight ends, answered
/// or dropped, unless a newer flight has taken its place.
struct Leave {
    gets: Table,
    url: String,
    id: u64,
}

impl Drop for Leave {
    fn drop(&mut self) {
        let mut gets = self.gets.lock().unwrap_or_else(|p| p.into_inner());
        if gets.get(&self.url).is_some_and(|entry| entry.id == self.id) {
            gets.remove(&self.url);
        }
    }
}

impl InFlight {
    /// The answer for `url`: from `send`, or from an identical request
    /// already in flight. The flag says whether `send` ran.
    pub(crate) async fn join(
        &self,
        url: String,
        send: impl Future<Output = Option<Answer>> + Send + 'static,
    ) -> (Option<Answer>, bool) {
        let (flight, leading) = {
            let mut gets = self.gets.lock().unwrap_or_else(|p| p.into_inner());
            match gets.get(&url).and_then(|entry| entry.flight.upgrade()) {
                Some(flight) => (flight, false),
                None => {
                    let leave = Leave {
                        gets: self.gets.clone(),
                        url: url.clone(),
                        id: self.next_id.fetch_add(1, Ordering::Relaxed),
                    };
                    let id = leave.id;
                    let flight: Shared<Flight> = async move {
                        let _leave = leave;
                        send.await
                    }
                    .boxed()
                    .shared();
                    let weak = flight.downgrade().expect("a new flight has not finished");
                    gets.insert(url, Entry { id, flight: weak });
                    (flight, true)
                }
            }
        };
        (flight.await, leading)
    }

    /// How many requests are in flight, for tests.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.gets.lock().unwrap().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(body: &'static str) -> Option<Answer> {
        Some(Answer {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::from_static(body.as_bytes()),
        })
    }

    #[tokio::test]
    async fn a_flight_every_caller_left_is_gone_and_never_joined() {
        let flights = InFlight::default();
        let url = || "https://zpa.example/connector?page=2".to_owned();
        // A caller starts a request that never finishes, then goes away.
        let stalled = flights.join(url(), futures::future::pending());
        assert!(futures::poll!(Box::pin(stalled)).is_pending());
        assert_eq!(flights.len(), 0, "dropped with its only caller");
        // The next identical request is sent afresh.
        let (fresh, leading) = flights.join(url(), async { answer("fresh") }).await;
        assert!(leading);
        assert_eq!(fresh.unwrap().body, "fresh");
        assert_eq!(flights.len(), 0, "nothing kept after the answer");
    }

    #[tokio::test]
    async fn callers_at_the_same_time_share_one_request() {
        let flights = InFlight::default();
        let url = || "https://zpa.example/connector?page=1".to_owned();
        let (release, wait) = futures::channel::oneshot::channel::<()>();
        let first = flights.join(url(), async move {
            let _ = wait.await;
            answer("one")
        });
        let second = flights.join(url(), async { answer("two") });
        let both = futures::future::join(first, second);
        let mut both = Box::pin(both);
        assert!(futures::poll!(&mut both).is_pending());
        release.send(()).unwrap();
        let ((a, led_a), (b, led_b)) = both.await;
        assert_eq!((led_a, led_b), (true, false));
        assert_eq!(
            (a.unwrap().body, b.unwrap().body),
            ("one".into(), "one".into())
        );
        assert_eq!(flights.len(), 0);
    }
}
