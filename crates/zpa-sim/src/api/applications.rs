//! Application segments, read-only: list, get, and the applications of one
//! type across segments.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use http::StatusCode;

use super::page_response;
use crate::errors::{ApiError, json_response};
use crate::model::application::{AppType, Segment, SegmentApp};
use crate::query::Params;
use crate::search::Filter;
use crate::state::Shared;
use crate::store::now_secs;

const KIND: &str = "Application segment";

pub(crate) async fn list(
    State(state): State<Arc<Shared>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref());
    let (page, size) = params.paging()?;
    let scope = params.scope(false)?;
    let filter = Filter::parse::<Segment>(params.get("search").unwrap_or(""))?;
    let now = now_secs();
    let store = state.read();
    let matching: Vec<&Segment> = store
        .segments
        .values()
        .filter(|s| scope.allows(s.microtenant_id) && filter.matches(*s, now))
        .collect();
    Ok(page_response(&matching, page, size, true, |out, s| {
        out.push_str(&s.full)
    }))
}

pub(crate) async fn get(
    State(state): State<Arc<Shared>>,
    Path((_, id)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let scope = Params::parse(raw.as_deref()).scope(false)?;
    let store = state.read();
    let segment = id
        .parse::<u64>()
        .ok()
        .and_then(|id| store.segments.get(&id))
        .filter(|s| scope.allows(s.microtenant_id))
        .ok_or_else(|| ApiError::not_found(KIND, &id))?;
    Ok(json_response(StatusCode::OK, segment.full.clone()))
}

/// `applicationType` is required; `expandAll` must be `true` or `false`
/// when given. The live answer's `totalCount` was recorded as "0" beside a
/// list of one (TestApplicationSegmentPRA.yaml), so it is left out here.
pub(crate) async fn by_type(
    State(state): State<Arc<Shared>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref());
    let app_type = AppType::parse(params.get("applicationType"))?;
    if let Some(expand) = params.get("expandAll")
        && !matches!(expand, "true" | "false")
    {
        return Err(
            ApiError::bad_request("expandAll must be true or false.").with_param("expandAll")
        );
    }
    let (page, size) = params.paging()?;
    let scope = params.scope(false)?;
    let filter = Filter::parse::<SegmentApp>(params.get("search").unwrap_or(""))?;
    let now = now_secs();
    let store = state.read();
    let matching: Vec<&SegmentApp> = store
        .segments
        .values()
        .flat_map(|s| &s.apps)
        .filter(|a| {
            a.app_type == app_type && scope.allows(a.microtenant_id) && filter.matches(*a, now)
        })
        .collect();
    Ok(page_response(&matching, page, size, false, |out, a| {
        out.push_str(&a.json)
    }))
}
