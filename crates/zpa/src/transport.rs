//! The one layer every request goes through: pacing, the bearer token,
//! retries, and turning what happened into a typed [`Error`].
//!
//! The generated client builds each request and decodes the final response;
//! in between it hands the request to a [`Call`] (its `Exchange`), which may
//! send it several times. A `Call` lives for one operation and keeps a report
//! of its attempts, so the error for the caller can say what was tried.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use progenitor_client::{Error as WireError, ResponseValue};
use reqwest::header::{AUTHORIZATION, HeaderValue};
use reqwest::{Method, StatusCode};
use zpa_client::types::ErrorBody;
use zpa_client::wire::Id;
use zpa_client::{BoxFuture, Exchange, Hooks};

use crate::auth::Auth;
use crate::error::{Error, Result, describe, excerpt};
use crate::input::Input;
use crate::rate_limit::{RateLimiter, Sent, ServerBudget};
use crate::retry::{self, RetryPolicy, parse_retry_after};
use crate::runtime::{Instant, sleep};
use crate::secret::Secret;

/// What the generated client returns for an operation.
pub(crate) type WireResult<T> = std::result::Result<ResponseValue<T>, WireError<ErrorBody>>;

/// Everything the calls of one client share.
pub(crate) struct Shared {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    pub(crate) customer_id: Id,
    pub(crate) auth: Auth,
    pub(crate) limiter: Option<RateLimiter>,
    pub(crate) budget: ServerBudget,
    pub(crate) retry: RetryPolicy,
    /// Limit on each attempt (native targets; browsers time out fetch).
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) attempt_timeout: Duration,
    /// Limit on each call as a whole.
    pub(crate) deadline: Option<Duration>,
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) in_flight: crate::merge::InFlight,
}

/// One operation in flight.
pub(crate) struct Call {
    /// Itself, for work that must own the call (a shared GET).
    #[cfg(not(target_arch = "wasm32"))]
    me: std::sync::Weak<Call>,
    shared: Arc<Shared>,
    token: Mutex<Secret>,
    report: Mutex<Report>,
}

#[derive(Default)]
struct Report {
    attempts: u32,
    waited: Duration,
    last_status: Option<u16>,
    /// The pacing's record of the last request sent, to give back if the
    /// server refuses it for its rate.
    last_sent: Option<Sent>,
    /// A failure the response alone does not tell, such as a failed renewal.
    failure: Option<Error>,
    /// The transport error of a shared GET this call led, for its own caller.
    #[cfg(not(target_arch = "wasm32"))]
    led_and_failed: Option<reqwest::Error>,
}

impl Shared {
    /// Runs one generated operation through a [`Call`], again when its error
    /// answer says so: a refusal that passes ([`retry::refused`]), or a 401
    /// that a renewed token may cure. The generated code has decoded the
    /// error body by then, on every target.
    pub(crate) async fn send<T>(
        self: &Arc<Self>,
        operation: impl for<'a> Fn(&'a zpa_client::Client) -> BoxFuture<'a, WireResult<T>>,
    ) -> Result<ResponseValue<T>> {
        crate::runtime::available()?;
        let call = Arc::new_cyclic(|_me| Call {
            #[cfg(not(target_arch = "wasm32"))]
            me: _me.clone(),
            shared: self.clone(),
            token: Mutex::new(Secret::new(String::new())),
            report: Mutex::new(Report::default()),
        });
        let work = async {
            *call.token.lock().unwrap_or_else(|p| p.into_inner()) = self.auth.token().await?;
            let wire = zpa_client::Client::new_with_client(
                &self.base_url,
                self.http.clone(),
                Hooks::with_exchange(call.clone()),
            );
            let mut renewed = false;
            loop {
                let result = operation(&wire).await;
                if !call.again(&result, &mut renewed).await {
                    return call.finish(result);
                }
            }
        };
        let Some(limit) = self.deadline else {
            return work.await;
        };
        let timer = sleep(limit);
        futures::pin_mut!(work, timer);
        match futures::future::select(work, timer).await {
            futures::future::Either::Left((result, _)) => result,
            futures::future::Either::Right(((), _)) => {
                let message = format!(
                    "no answer within the call's deadline of {:.1}s",
                    limit.as_secs_f64()
                );
                Err(Error::Transport {
                    source: message.clone().into(),
                    message,
                    timed_out: true,
                    attempts: call.report(|r| r.attempts),
                })
            }
        }
    }
}

impl Exchange for Call {
    fn exchange(
        &self,
        request: reqwest::Request,
        operation_id: &'static str,
    ) -> BoxFuture<'_, reqwest::Result<reqwest::Response>> {
        #[cfg(feature = "tracing")]
        {
            use tracing::Instrument;
            let span = tracing::debug_span!(
                "zpa.request",
                operation = operation_id,
                method = %request.method(),
                path = request.url().path(),
                status = tracing::field::Empty,
                attempts = tracing::field::Empty,
            );
            Box::pin(self.answered(request).instrument(span))
        }
        #[cfg(not(feature = "tracing"))]
        {
            let _ = operation_id;
            Box::pin(self.answered(request))
        }
    }
}

impl Call {
    fn report<R>(&self, f: impl FnOnce(&mut Report) -> R) -> R {
        f(&mut self
            .report
            .lock()
            .unwrap_or_else(|poison| poison.into_inner()))
    }

    fn token(&self) -> Secret {
        self.token.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Whether another attempt fits the policy after waiting `wait`.
    fn may_retry(&self, attempt: u32, wait: Duration) -> bool {
        let waited = self.report(|r| r.waited);
        self.shared.retry.allows(attempt, waited, wait)
    }

    // What it says is only for the diagnostics.
    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    async fn wait(&self, wait: Duration, why: &str) {
        event!(debug, wait_ms = wait.as_millis() as u64, why, "retrying");
        sleep(wait).await;
        self.report(|r| r.waited += wait);
    }

    /// The answer to `request`, read whole, once it may be decoded: a page a
    /// stream prefetched waits for its turn (see `prefetch`).
    async fn answered(&self, request: reqwest::Request) -> reqwest::Result<reqwest::Response> {
        let answer = self.merged(request).await;
        crate::prefetch::await_turn().await;
        answer
    }

    /// GETs go through the client's flights, so that concurrent identical
    /// ones share one request. (On wasm32 a response cannot be rebuilt from
    /// bytes, so each GET goes on its own there.)
    async fn merged(&self, request: reqwest::Request) -> reqwest::Result<reqwest::Response> {
        #[cfg(not(target_arch = "wasm32"))]
        if request.method() == Method::GET
            && let (Some(me), Some(leader)) = (self.me.upgrade(), request.try_clone())
        {
            let send = async move {
                match me.run(leader).await {
                    Ok(response) => crate::merge::Answer::read(response).await.ok(),
                    Err(error) => {
                        me.report(|r| r.led_and_failed = Some(error));
                        None
                    }
                }
            };
            let url = request.url().to_string();
            match self.shared.in_flight.join(url, send).await {
                (Some(answer), _) => {
                    self.report(|r| r.last_status = Some(answer.status().as_u16()));
                    return Ok(answer.into_response());
                }
                (None, true) => {
                    if let Some(error) = self.report(|r| r.led_and_failed.take()) {
                        return Err(error);
                    }
                }
                (None, false) => {}
            }
        }
        self.run(request).await
    }

    async fn run(&self, request: reqwest::Request) -> reqwest::Result<reqwest::Response> {
        let method = request.method().clone();
        // A POST that may have reached the server is never sent again: the
        // API has no idempotency keys, and a replayed create makes a duplicate.
        let idempotent = method != Method::POST;
        let write = method != Method::GET;
        loop {
            let attempt = self.report(|r| {
                r.attempts += 1;
                r.attempts
            });
            record!("attempts", attempt);
            // The server's budget first: ZPA's window records the moment the
            // request leaves, which must be as late as it can be.
            let (permit, held) = self.shared.budget.acquire(self.shared.retry.max_wait).await;
            crate::prefetch::held(held);
            if !held.is_zero() {
                event!(
                    debug,
                    held_ms = held.as_millis() as u64,
                    "held by the budget the server advertises"
                );
            }
            if let Some(limiter) = &self.shared.limiter {
                let (paced, sent) = limiter.acquire(write).await;
                crate::prefetch::held(paced);
                if !paced.is_zero() {
                    event!(
                        trace,
                        paced_ms = paced.as_millis() as u64,
                        "paced by the rate limiter"
                    );
                }
                self.report(|r| r.last_sent = Some(sent));
            }
            let token = self.token();
            let mut attempt_request = request
                .try_clone()
                .expect("generated requests have in-memory bodies");
            attempt_request
                .headers_mut()
                .insert(AUTHORIZATION, bearer(&token));
            #[cfg(not(target_arch = "wasm32"))]
            {
                *attempt_request.timeout_mut() = Some(self.shared.attempt_timeout);
            }
            let sending = Instant::now();
            let outcome = match self.shared.http.execute(attempt_request).await {
                Ok(response) => buffered(response).await,
                Err(error) => Err(error),
            };
            // Timed from after the limits held it: a stream sizes its window
            // from this.
            if outcome.is_ok() {
                crate::prefetch::arrived(sending.elapsed());
            }
            let response = match outcome {
                Ok(response) => response,
                Err(error) => {
                    let safe = (idempotent || never_sent(&error)) && !lasting(&error);
                    let wait = self.shared.retry.backoff(attempt);
                    if safe && self.may_retry(attempt, wait) {
                        event!(debug, error = %describe(&error), "transport error");
                        self.wait(wait, "transport error").await;
                        continue;
                    }
                    return Err(error);
                }
            };
            self.shared.budget.update(&permit, response.headers());
            let status = response.status();
            record!("status", status.as_u16());
            self.report(|r| r.last_status = Some(status.as_u16()));

            let wait = if status == StatusCode::TOO_MANY_REQUESTS {
                crate::prefetch::refused();
                self.refused_for_rate().await;
                Some(
                    retry_after(response.headers())
                        .unwrap_or_else(|| self.shared.retry.backoff(attempt)),
                )
            } else if status.is_server_error() && idempotent {
                Some(self.shared.retry.backoff(attempt))
            } else {
                None
            };
            match wait {
                Some(wait) if self.may_retry(attempt, wait) => {
                    self.wait(wait, status.as_str()).await;
                }
                Some(_) => {
                    return Ok(response);
                }
                None => return Ok(response),
            }
        }
    }

    /// Whether to run the operation again after `result`, having waited or
    /// renewed the token as it calls for.
    async fn again<T>(&self, result: &WireResult<T>, renewed: &mut bool) -> bool {
        let (status, id, headers, body) = match result {
            Err(WireError::ErrorResponse(answer)) => (
                answer.status().as_u16(),
                answer.id.as_deref(),
                Some(answer.headers()),
                serde_json::to_string(answer.as_ref()).unwrap_or_default(),
            ),
            Err(WireError::InvalidResponsePayload(body, _)) => {
                match self.report(|r| r.last_status) {
                    Some(status) if status >= 400 => (
                        status,
                        None,
                        None,
                        String::from_utf8_lossy(body).into_owned(),
                    ),
                    _ => return false,
                }
            }
            _ => return false,
        };
        if retry::refused(status, id, |text| body.contains(text)) {
            let attempt = self.report(|r| r.attempts);
            if retry::throttled(status, |text| body.contains(text)) {
                self.refused_for_rate().await;
            }
            let wait = headers
                .and_then(retry_after)
                .unwrap_or_else(|| self.shared.retry.backoff(attempt));
            if self.may_retry(attempt, wait) {
                self.wait(wait, "refused").await;
                return true;
            }
            return false;
        }
        // An expired or revoked token: renewed once (a 401 was not acted on).
        if status != 401 || std::mem::replace(renewed, true) {
            return false;
        }
        match self.shared.auth.renew(&self.token()).await {
            Some(Ok(fresh)) => {
                *self.token.lock().unwrap_or_else(|p| p.into_inner()) = fresh;
                true
            }
            Some(Err(failure)) => {
                self.report(|r| r.failure = Some(failure));
                false
            }
            None => false,
        }
    }

    /// Tells the pacing that the server refused the last request for its rate.
    async fn refused_for_rate(&self) {
        let sent = self.report(|r| r.last_sent.take());
        if let (Some(limiter), Some(sent)) = (&self.shared.limiter, sent) {
            limiter.refused(sent).await;
        }
    }

    fn finish<T>(&self, result: WireResult<T>) -> Result<ResponseValue<T>> {
        let report = std::mem::take(&mut *self.report.lock().unwrap_or_else(|p| p.into_inner()));
        if let Some(failure) = report.failure {
            return Err(failure);
        }
        let error = match result {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        let status = report.last_status.unwrap_or_default();
        let attempts = report.attempts;
        Err(match error {
            WireError::ErrorResponse(answer) => {
                let retry_after = retry_after(answer.headers());
                let status = answer.status().as_u16();
                let body = answer.into_inner();
                match status {
                    429 => Error::RateLimited {
                        retry_after,
                        attempts,
                    },
                    401 => Error::Auth {
                        status: Some(401),
                        reason: body
                            .reason
                            .map_or_else(|| "the token was refused".into(), String::from),
                        source: None,
                    },
                    _ => Error::Api {
                        status,
                        id: body.id.map(String::from),
                        reason: body.reason.map(String::from),
                        params: body.params.into_iter().map(String::from).collect(),
                        attempts,
                    },
                }
            }
            WireError::InvalidResponsePayload(body, _) if status >= 400 => Error::Api {
                status,
                id: None,
                reason: Some(if body.is_empty() {
                    "no error body".to_owned()
                } else {
                    excerpt(&body)
                }),
                params: Vec::new(),
                attempts,
            },
            WireError::InvalidResponsePayload(body, error) => Error::Decode {
                status,
                message: error.to_string(),
                excerpt: excerpt(&body),
                source: Box::new(error),
            },
            WireError::CommunicationError(error) | WireError::ResponseBodyError(error) => {
                Error::Transport {
                    message: describe(&error),
                    timed_out: error.is_timeout(),
                    attempts,
                    source: Box::new(error),
                }
            }
            WireError::UnexpectedResponse(response) => Error::Api {
                status: response.status().as_u16(),
                id: None,
                reason: Some("a status the API does not document".to_owned()),
                params: Vec::new(),
                attempts,
            },
            WireError::InvalidRequest(reason) => Error::invalid(Input::Request, reason),
            // The rest carry a response, which is not `Send` on wasm32.
            other => Error::Transport {
                message: other.to_string(),
                timed_out: false,
                attempts,
                source: other.to_string().into(),
            },
        })
    }
}

fn bearer(token: &Secret) -> HeaderValue {
    let mut value =
        crate::auth::bearer_header(token).expect("tokens are checked when they are stored");
    value.set_sensitive(true);
    value
}

fn retry_after(headers: &http::HeaderMap) -> Option<Duration> {
    headers
        .get("retry-after")
        .and_then(|value| value.to_str().ok())
        .and_then(parse_retry_after)
}

/// Whether the request surely never reached the server (the connection was
/// refused), so that even a POST may be sent again. Browsers' `fetch` does not
/// tell, so on wasm32 no failure counts as never sent.
fn never_sent(error: &reqwest::Error) -> bool {
    #[cfg(not(target_arch = "wasm32"))]
    return error.is_connect();
    #[cfg(target_arch = "wasm32")]
    return {
        let _ = error;
        false
    };
}

/// Whether a failure would only come again: a TLS handshake the client
/// refused (a certificate it cannot verify, a protocol it does not speak),
/// which rustls reports as an `io::Error` of invalid data while connecting
/// (hyper wraps it in one of its own, its `get_ref`, not its `source`).
/// Browsers' `fetch` does not tell.
fn lasting(error: &reqwest::Error) -> bool {
    #[cfg(not(target_arch = "wasm32"))]
    return error.is_connect() && {
        let invalid_data = |mut io: &std::io::Error| loop {
            if io.kind() == std::io::ErrorKind::InvalidData {
                return true;
            }
            match io.get_ref().and_then(|inner| inner.downcast_ref()) {
                Some(inner) => io = inner,
                None => return false,
            }
        };
        let mut cause = std::error::Error::source(error);
        let mut refused = false;
        while let Some(inner) = cause {
            refused |= inner.downcast_ref().is_some_and(invalid_data);
            cause = inner.source();
        }
        refused
    };
    #[cfg(target_arch = "wasm32")]
    return {
        let _ = error;
        false
    };
}

/// Reads the whole body now, so that a body cut short counts as a failed
/// attempt (and is retried like one) rather than surfacing after the fact.
/// On wasm32 a response cannot be rebuilt from bytes: the body is read later
/// and a cut surfaces as a transport error without a retry.
#[cfg(target_arch = "wasm32")]
async fn buffered(response: reqwest::Response) -> reqwest::Result<reqwest::Response> {
    Ok(response)
}

#[cfg(not(target_arch = "wasm32"))]
async fn buffered(response: reqwest::Response) -> reqwest::Result<reqwest::Response> {
    crate::merge::Answer::read(response)
        .await
        .map(crate::merge::Answer::into_response)
}
