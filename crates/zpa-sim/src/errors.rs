//! ZPA-style error answers: `{"id": "...", "reason": "...", "params": [...]}`.

use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};

use crate::json::Obj;

/// The content type of the live API's answers (zscaler-sdk-python
/// tests/integration/zpa/cassettes: every answer of an API route).
pub(crate) const JSON: HeaderValue = HeaderValue::from_static("application/json;charset=utf-8");

#[derive(Debug)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) id: &'static str,
    pub(crate) reason: String,
    pub(crate) params: Vec<String>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, id: &'static str, reason: impl Into<String>) -> Self {
        ApiError {
            status,
            id,
            reason: reason.into(),
            params: Vec::new(),
        }
    }

    pub(crate) fn with_param(mut self, param: impl Into<String>) -> Self {
        self.params.push(param.into());
        self
    }

    pub(crate) fn bad_request(reason: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad.request", reason)
    }

    pub(crate) fn not_found(kind: &str, id: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "resource.not.found",
            format!("{kind} with id {id} was not found."),
        )
        .with_param(id)
    }

    pub(crate) fn invalid_search(reason: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "filtering.input.invalid.operand",
            reason,
        )
    }

    pub(crate) fn unauthorized(reason: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "authentication.failed", reason)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = String::new();
        let mut obj = Obj::new(&mut body);
        obj.str("id", self.id);
        obj.str("reason", &self.reason);
        if !self.params.is_empty() {
            obj.str_list("params", self.params.iter().map(String::as_str));
        }
        obj.end();
        json_response(self.status, body)
    }
}

pub(crate) fn json_response(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, JSON)], body).into_response()
}

/// The exact body ZPA was recorded sending with a 429.
pub(crate) fn too_many_requests(retry_after_secs: u64) -> Response {
    let mut response = json_response(
        StatusCode::TOO_MANY_REQUESTS,
        r#"{"exception":"invalid.toomanyrequests","id":"invalid.toomanyrequests","reason":"Exceeded the number of requests allowed."}"#
            .to_owned(),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("{retry_after_secs}s")) {
        response.headers_mut().insert("retry-after", value);
    }
    response
}
