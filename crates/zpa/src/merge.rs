//! Concurrent identical GETs through one client share one request and one
//! answer, as the official Go SDK does; nothing is kept once the answer is
//! in, so no caller ever gets a stale copy.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures::FutureExt;
use futures::future::{BoxFuture, Shared};
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
type Flight = Shared<BoxFuture<'static, Option<Answer>>>;

/// The GETs in flight, by URL.
#[derive(Default)]
pub(crate) struct InFlight {
    gets: Arc<Mutex<HashMap<String, Flight>>>,
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
            match gets.get(&url) {
                Some(flight) => (flight.clone(), false),
                None => {
                    let gets_done = self.gets.clone();
                    let key = url.clone();
                    let flight = async move {
                        let answer = send.await;
                        gets_done
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .remove(&key);
                        answer
                    }
                    .boxed()
                    .shared();
                    gets.insert(url, flight.clone());
                    (flight, true)
                }
            }
        };
        (flight.await, leading)
    }
}
