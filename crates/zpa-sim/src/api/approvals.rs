use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use http::StatusCode;

use super::{API_ADMIN, page_response};
use crate::errors::{ApiError, json_response};
use crate::model::DEFAULT_MICROTENANT;
use crate::model::approval::{Answer, Approval, ApprovalInput};
use crate::query::Params;
use crate::search::Filter;
use crate::state::Shared;
use crate::store::{Scope, Store, now_secs};

const KIND: &str = "Privileged approval";

pub(crate) async fn list(
    State(state): State<Arc<Shared>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref());
    let (page, size) = params.paging()?;
    let scope = params.scope(false)?;
    let filter = Filter::parse::<Approval>(params.get("search").unwrap_or(""))?;
    let sort_by = params
        .get("sortBy")
        .filter(|s| !s.is_empty())
        .unwrap_or("id");
    if !Approval::is_sort_field(sort_by) {
        return Err(
            ApiError::bad_request(format!("Cannot sort by {sort_by:?}.")).with_param("sortBy"),
        );
    }
    // ZPA spells descending DSC; DESC is a classic client bug, so refuse it.
    let descending = match params.get("sortdir").unwrap_or("ASC") {
        "ASC" | "" => false,
        "DSC" => true,
        other => {
            return Err(ApiError::bad_request(format!(
                "sortdir must be ASC or DSC, not {other:?}."
            ))
            .with_param("sortdir"));
        }
    };
    let now = now_secs();
    let store = state.read();
    let mut matching: Vec<&Approval> = store
        .approvals
        .iter()
        .filter(|a| scope.allows(a.microtenant_id) && filter.matches(*a, now))
        .collect();
    matching.sort_by(|a, b| {
        let ordering = a.sort_cmp(b, sort_by, now);
        if descending {
            ordering.reverse()
        } else {
            ordering
        }
    });
    Ok(page_response(&matching, page, size, true, |out, a| {
        a.write(out, now, &store.segments, Answer::Stored)
    }))
}

pub(crate) async fn get(
    State(state): State<Arc<Shared>>,
    Path((_, id)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let scope = Params::parse(raw.as_deref()).scope(false)?;
    let store = state.read();
    let index = find(&store, &id, scope)?;
    let mut body = String::new();
    store.approvals[index].write(&mut body, now_secs(), &store.segments, Answer::Stored);
    Ok(json_response(StatusCode::OK, body))
}

pub(crate) async fn create(
    State(state): State<Arc<Shared>>,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    let microtenant_id = Params::parse(raw.as_deref())
        .microtenant()?
        .unwrap_or(DEFAULT_MICROTENANT);
    let input = ApprovalInput::parse(&body)?;
    let mut store = state.write();
    check_references(&store, &input, microtenant_id)?;
    let now = now_secs();
    let microtenant_name = store
        .microtenant_name(microtenant_id)
        .filter(|_| microtenant_id != DEFAULT_MICROTENANT)
        .map(str::to_owned);
    let approval = Approval {
        id: store.next_approval_id(),
        creation_time: now,
        // Live answers to a create carry a modifiedTime equal to the creationTime.
        modified_time: Some(now),
        modified_by: API_ADMIN.to_owned(),
        start_time: input.start_time,
        end_time: input.end_time,
        email_ids: input.email_ids,
        applications: input.applications,
        working_hours: input.working_hours,
        microtenant_id,
        microtenant_name,
        future_fields: state.config.future_fields,
    };
    let mut body = String::new();
    approval.write(&mut body, now, &store.segments, Answer::Created);
    store.approvals.push(approval);
    Ok(json_response(StatusCode::CREATED, body))
}

pub(crate) async fn update(
    State(state): State<Arc<Shared>>,
    Path((_, id)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    let scope = Params::parse(raw.as_deref()).scope(true)?;
    let input = ApprovalInput::parse(&body)?;
    let mut store = state.write();
    let index = find(&store, &id, scope)?;
    check_references(&store, &input, store.approvals[index].microtenant_id)?;
    let approval = &mut store.approvals[index];
    approval.start_time = input.start_time;
    approval.end_time = input.end_time;
    approval.email_ids = input.email_ids;
    approval.applications = input.applications;
    approval.working_hours = input.working_hours;
    approval.modified_time = Some(now_secs());
    approval.modified_by = API_ADMIN.to_owned();
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub(crate) async fn delete(
    State(state): State<Arc<Shared>>,
    Path((_, id)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let scope = Params::parse(raw.as_deref()).scope(true)?;
    let mut store = state.write();
    let index = find(&store, &id, scope)?;
    store.approvals.remove(index);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// 204 when something was deleted, 200 when nothing had expired.
pub(crate) async fn delete_expired(
    State(state): State<Arc<Shared>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let scope = Params::parse(raw.as_deref()).scope(true)?;
    let now = now_secs();
    let mut store = state.write();
    let before = store.approvals.len();
    store
        .approvals
        .retain(|a| !(scope.allows(a.microtenant_id) && a.status(now) == "EXPIRED"));
    Ok(if store.approvals.len() < before {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::OK
    }
    .into_response())
}

fn find(store: &Store, id: &str, scope: Scope) -> Result<usize, ApiError> {
    store
        .approval_index(id)
        .filter(|i| scope.allows(store.approvals[*i].microtenant_id))
        .ok_or_else(|| ApiError::not_found(KIND, id))
}

fn check_references(
    store: &Store,
    input: &ApprovalInput,
    microtenant_id: u64,
) -> Result<(), ApiError> {
    if store.microtenant_name(microtenant_id).is_none() {
        return Err(ApiError::not_found(
            "Microtenant",
            &microtenant_id.to_string(),
        ));
    }
    if let Some(app) = input
        .applications
        .iter()
        .find(|id| !store.segments.contains_key(id))
    {
        return Err(
            ApiError::bad_request(format!("Application segment {app} does not exist."))
                .with_param(app.to_string()),
        );
    }
    Ok(())
}
