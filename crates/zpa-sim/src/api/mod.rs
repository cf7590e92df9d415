//! The fourteen operations, mounted under both the legacy and the OneAPI prefix.

mod applications;
mod approvals;
mod connectors;

use std::sync::Arc;

use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use http::StatusCode;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::compression::{CompressionLayer, CompressionLevel};

use crate::errors::{ApiError, json_response};
use crate::json::Obj;
use crate::state::Shared;
use crate::{auth, cors, faults, log, rate_limit};

pub(crate) const LEGACY_PREFIX: &str = "/mgmtconfig/v1/admin/customers";
pub(crate) const ONEAPI_PREFIX: &str = "/zpa/mgmtconfig/v1/admin/customers";
/// The admin that writes made through the API are attributed to.
const API_ADMIN: &str = "72057594038624153";

pub(crate) fn router(state: Arc<Shared>) -> Router {
    let api = |oneapi: bool| {
        Router::new()
            .route("/connector", get(connectors::list))
            .route("/connector/bulkDelete", post(connectors::bulk_delete))
            .route(
                "/connector/{id}",
                get(connectors::get)
                    .put(connectors::update)
                    .delete(connectors::delete),
            )
            .route("/approval", get(approvals::list).post(approvals::create))
            .route("/approval/expired", delete(approvals::delete_expired))
            .route(
                "/approval/{id}",
                get(approvals::get)
                    .put(approvals::update)
                    .delete(approvals::delete),
            )
            .route("/application", get(applications::list))
            .route("/application/getAppsByType", get(applications::by_type))
            .route("/application/{id}", get(applications::get))
            .route_layer(from_fn_with_state(state.clone(), auth::require_auth))
            .route_layer(from_fn_with_state(
                (state.clone(), oneapi),
                rate_limit::advertise,
            ))
    };
    Router::new()
        .nest(&format!("{LEGACY_PREFIX}/{{customerId}}"), api(false))
        .nest(&format!("{ONEAPI_PREFIX}/{{customerId}}"), api(true))
        .route("/signin", post(auth::signin))
        .route("/oauth2/v1/token", post(auth::oauth_token))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        // Before routing, as OneAPI's gateway authenticates before it
        // knows the path.
        .layer(from_fn_with_state(state.clone(), auth::oneapi_gate))
        .layer(from_fn_with_state(state.clone(), faults::inject))
        // Outside the faults: a test reading the log is not the client the
        // latency and failures are for.
        .route(log::LOG_PATH, get(log::serve).delete(log::clear))
        // Inside the log, which records what encoding went out.
        .layer(compression(state.config.compression))
        .layer(from_fn_with_state(state.clone(), log::record))
        .layer(cors::layer())
        .with_state(state)
}

/// gzip when the client asks and `enabled`, as the live API answers
/// (`content-encoding: gzip`, `vary: Accept-Encoding`), at zlib's default
/// level; what the live servers use is not known.
fn compression(enabled: bool) -> CompressionLayer<impl Predicate> {
    let enabled =
        move |_: StatusCode, _: http::Version, _: &http::HeaderMap, _: &http::Extensions| enabled;
    CompressionLayer::new()
        .quality(CompressionLevel::Default)
        .compress_when(DefaultPredicate::new().and(enabled))
}

async fn not_found() -> Response {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "resource.not.found",
        "No such API path.",
    )
    .into_response()
}

async fn method_not_allowed() -> Response {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method.not.allowed",
        "This method is not supported on this path.",
    )
    .into_response()
}

/// One page of a list in ZPA's shape. Numbers are strings, `totalCount` only
/// where the seeds show it, and `list` is left out of an empty page.
fn page_response<T>(
    items: &[T],
    page: usize,
    size: usize,
    with_count: bool,
    mut write: impl FnMut(&mut String, &T),
) -> Response {
    let total = items.len();
    let start = (page - 1).saturating_mul(size).min(total);
    let shown = &items[start..(start + size).min(total)];
    let mut body = String::with_capacity(64 + shown.len() * 1600);
    let mut o = Obj::new(&mut body);
    o.num("totalPages", total.div_ceil(size));
    if with_count {
        o.num("totalCount", total);
    }
    if !shown.is_empty() {
        let list = o.key("list");
        list.push('[');
        for (i, item) in shown.iter().enumerate() {
            if i > 0 {
                list.push(',');
            }
            write(list, item);
        }
        list.push(']');
    }
    o.end();
    json_response(StatusCode::OK, body)
}

/// Reads a JSON object body, answering ZPA's 400 when it is not one.
fn json_object(body: &[u8]) -> Result<serde_json::Map<String, serde_json::Value>, ApiError> {
    match serde_json::from_slice(body) {
        Ok(serde_json::Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::bad_request("Request body must be a JSON object.")),
        Err(e) => Err(ApiError::bad_request(format!(
            "Request body is not valid JSON: {e}"
        ))),
    }
}
