//! Fault injection: scripted faults that tests queue up, and the random
//! latency and failures of the command line.

use std::collections::VecDeque;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use http::{HeaderValue, Method, StatusCode, header};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::errors::{ApiError, JSON, too_many_requests};
use crate::server::ConnectionControl;
use crate::state::{Shared, lock};

/// A scripted fault: the next `times` requests whose method matches and
/// whose path ends with `path` get `action` instead of (or, when
/// `apply_first` is set, after) the real operation.
#[derive(Clone, Debug)]
pub struct Fault {
    /// `None` matches every method.
    pub method: Option<Method>,
    /// An exact path or a path suffix such as `/connector` or `/approval/expired`.
    pub path: String,
    pub times: usize,
    pub action: FaultAction,
    /// Run the real operation, then send the fault: shows whether a client
    /// replays a write the server really applied.
    pub apply_first: bool,
}

#[derive(Clone, Debug)]
pub enum FaultAction {
    /// Answer with this status. Without a body, a 429 carries the recorded
    /// ZPA body and other statuses a ZPA-style error naming the fault.
    Status {
        status: u16,
        body: Option<String>,
        content_type: Option<String>,
        retry_after: Option<String>,
        /// More headers, sent verbatim.
        headers: Vec<(String, String)>,
    },
    /// Stall, then answer normally.
    Delay(Duration),
    /// Run the operation, then send half of its body under a Content-Length
    /// for all of it and close the connection.
    TruncatedBody,
    /// Close the connection without any answer.
    DropConnection,
}

impl Fault {
    pub fn new(method: Method, path: impl Into<String>, action: FaultAction) -> Self {
        Fault {
            method: Some(method),
            path: path.into(),
            times: 1,
            action,
            apply_first: false,
        }
    }

    pub fn status(method: Method, path: impl Into<String>, status: u16) -> Self {
        let action = FaultAction::Status {
            status,
            body: None,
            content_type: None,
            retry_after: None,
            headers: Vec::new(),
        };
        Self::new(method, path, action)
    }

    /// 409 `api.concurrent.access.error`, with the body Zscaler documents for
    /// concurrent changes ("Understanding Response Codes and Error Messages",
    /// OneAPI): the request was refused, not applied.
    pub fn concurrent_change(method: Method, path: impl Into<String>) -> Self {
        Self::status(method, path, 409).body(
            r#"{"params":["com.zscaler.zpn.model.Assistant"],"id":"api.concurrent.access.error","reason":"Unable to modify the resource due to concurrent change requests. Try again"}"#,
        )
    }

    /// 412 "Failed during enter Org barrier", an edit lock as
    /// zscaler-sdk-go's `errorx.IsEditLockError` matches it (the body's shape
    /// is not recorded; the SDK looks for the text).
    pub fn edit_lock(method: Method, path: impl Into<String>) -> Self {
        Self::status(method, path, 412)
            .body(r#"{"id":"edit.lock.not.available","reason":"Failed during enter Org barrier"}"#)
    }

    /// 400 `db.simultaneous.request`, which zscaler-sdk-go's ZPA client
    /// retries (`v2_client.go`, `checkRetry`).
    pub fn simultaneous_request(method: Method, path: impl Into<String>) -> Self {
        Self::status(method, path, 400).body(
            r#"{"id":"db.simultaneous.request","reason":"Another request is changing this data. Try again"}"#,
        )
    }

    /// 401 "Resource Access Blocked": ZPA's answer instead of a 429 under
    /// heavy concurrency (zscaler-sdk-go `errorx.IsSessionInvalidError`).
    pub fn access_blocked(method: Method, path: impl Into<String>) -> Self {
        Self::status(method, path, 401)
            .body(r#"{"id":"authentication.failed","reason":"Resource Access Blocked"}"#)
    }

    pub fn delay(method: Method, path: impl Into<String>, delay: Duration) -> Self {
        Self::new(method, path, FaultAction::Delay(delay))
    }

    pub fn truncated_body(method: Method, path: impl Into<String>) -> Self {
        Self::new(method, path, FaultAction::TruncatedBody)
    }

    pub fn drop_connection(method: Method, path: impl Into<String>) -> Self {
        Self::new(method, path, FaultAction::DropConnection)
    }

    pub fn any_method(mut self) -> Self {
        self.method = None;
        self
    }

    pub fn times(mut self, times: usize) -> Self {
        self.times = times;
        self
    }

    pub fn applied(mut self) -> Self {
        self.apply_first = true;
        self
    }

    /// For `Status` faults; ignored by the other kinds.
    pub fn body(mut self, text: impl Into<String>) -> Self {
        if let FaultAction::Status { body, .. } = &mut self.action {
            *body = Some(text.into());
        }
        self
    }

    /// For `Status` faults; ignored by the other kinds.
    pub fn content_type(mut self, value: impl Into<String>) -> Self {
        if let FaultAction::Status { content_type, .. } = &mut self.action {
            *content_type = Some(value.into());
        }
        self
    }

    /// For `Status` faults; ignored by the other kinds. Sent verbatim, e.g. `"3s"`.
    pub fn retry_after(mut self, value: impl Into<String>) -> Self {
        if let FaultAction::Status { retry_after, .. } = &mut self.action {
            *retry_after = Some(value.into());
        }
        self
    }

    /// For `Status` faults; ignored by the other kinds. Sent verbatim.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        if let FaultAction::Status { headers, .. } = &mut self.action {
            headers.push((name.into(), value.into()));
        }
        self
    }

    fn matches(&self, method: &Method, path: &str) -> bool {
        self.method.as_ref().is_none_or(|m| m == method) && path.ends_with(&self.path)
    }
}

#[derive(Debug)]
pub(crate) struct Faults {
    scripted: VecDeque<Fault>,
    rng: ChaCha8Rng,
    latency: Duration,
    fail_rate: f64,
}

impl Faults {
    pub(crate) fn new(seed: u64, latency: Duration, fail_rate: f64) -> Self {
        Faults {
            scripted: VecDeque::new(),
            rng: ChaCha8Rng::seed_from_u64(seed.rotate_left(17) ^ 0x5eed),
            latency,
            fail_rate: fail_rate.clamp(0.0, 1.0),
        }
    }

    pub(crate) fn push(&mut self, fault: Fault) {
        if fault.times > 0 {
            self.scripted.push_back(fault);
        }
    }

    fn take(&mut self, method: &Method, path: &str) -> Option<(FaultAction, bool)> {
        let index = self.scripted.iter().position(|f| f.matches(method, path))?;
        let fault = &mut self.scripted[index];
        fault.times -= 1;
        let taken = (fault.action.clone(), fault.apply_first);
        if fault.times == 0 {
            self.scripted.remove(index);
        }
        Some(taken)
    }

    fn random(&mut self) -> (Duration, bool) {
        let delay = if self.latency.is_zero() {
            Duration::ZERO
        } else {
            self.latency.mul_f64(self.rng.random_range(0.5..1.5))
        };
        let fail = self.fail_rate > 0.0 && self.rng.random_bool(self.fail_rate);
        (delay, fail)
    }
}

pub(crate) async fn inject(
    State(state): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let (delay, fail) = lock(&state.faults).random();
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    if fail {
        return ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "service.unavailable",
            "Simulated failure (--fail-rate).",
        )
        .into_response();
    }
    let scripted = lock(&state.faults).take(request.method(), request.uri().path());
    let Some((action, apply_first)) = scripted else {
        return next.run(request).await;
    };
    let control = request.extensions().get::<ConnectionControl>().cloned();
    match action {
        FaultAction::Status {
            status,
            body,
            content_type,
            retry_after,
            headers,
        } => {
            if apply_first {
                next.run(request).await;
            }
            let mut response = status_response(status, body, content_type, retry_after);
            for (name, value) in headers {
                if let (Ok(name), Ok(value)) = (
                    http::HeaderName::try_from(name),
                    HeaderValue::try_from(value),
                ) {
                    response.headers_mut().append(name, value);
                }
            }
            response
        }
        FaultAction::Delay(delay) => {
            if apply_first {
                let response = next.run(request).await;
                tokio::time::sleep(delay).await;
                response
            } else {
                tokio::time::sleep(delay).await;
                next.run(request).await
            }
        }
        FaultAction::TruncatedBody => truncate(next.run(request).await).await,
        FaultAction::DropConnection => {
            if apply_first {
                next.run(request).await;
            }
            if let Some(control) = control {
                control.drop_connection();
            }
            // The connection task drops this future together with the socket.
            std::future::pending().await
        }
    }
}

fn status_response(
    status: u16,
    body: Option<String>,
    content_type: Option<String>,
    retry_after: Option<String>,
) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = match body {
        None if status == StatusCode::TOO_MANY_REQUESTS => too_many_requests(1),
        None if status.is_success() => status.into_response(),
        None => ApiError::new(
            status,
            "simulated.fault",
            format!("Injected fault: HTTP {}.", status.as_u16()),
        )
        .into_response(),
        Some(body) => {
            let mut response = (status, body).into_response();
            response.headers_mut().insert(header::CONTENT_TYPE, JSON);
            response
        }
    };
    let headers = response.headers_mut();
    if let Some(value) = content_type.and_then(|v| HeaderValue::from_str(&v).ok()) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    if let Some(value) = retry_after.and_then(|v| HeaderValue::from_str(&v).ok()) {
        headers.insert("retry-after", value);
    }
    response
}

async fn truncate(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let mut full = to_bytes(body, usize::MAX).await.unwrap_or_default();
    if full.is_empty() {
        // An empty answer (a 204) cannot be cut; send a body that can.
        parts.status = StatusCode::OK;
        parts.headers.insert(header::CONTENT_TYPE, JSON);
        full = Bytes::from_static(br#"{"id":"truncated","reason":"This body is cut short."}"#);
    }
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(full.len()));
    let half = full.slice(..full.len() / 2);
    // The pause makes hyper flush the headers and the first half before the
    // error, which makes it close the connection.
    let chunks =
        futures::stream::iter([Ok::<_, io::Error>(half)]).chain(futures::stream::once(async {
            tokio::time::sleep(Duration::from_millis(20)).await;
            Err(io::Error::other("truncated by fault injection"))
        }));
    Response::from_parts(parts, Body::from_stream(chunks))
}
