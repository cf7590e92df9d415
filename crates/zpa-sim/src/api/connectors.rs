use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use serde_json::Value;

use super::{API_ADMIN, json_object, page_response};
use crate::errors::{ApiError, json_response};
use crate::model::connector::Connector;
use crate::query::Params;
use crate::search::Filter;
use crate::state::Shared;
use crate::store::{ConnectorRecord, Scope, Store, now_secs};

const KIND: &str = "App Connector";

pub(crate) async fn list(
    State(state): State<Arc<Shared>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref());
    let (page, size) = params.paging()?;
    let scope = params.scope(false)?;
    let search = params.get("search");
    let filter = Filter::parse::<Connector>(search.unwrap_or(""))?;
    let now = now_secs();
    let store = state.read();
    // The seeds show totalCount only on searched lists.
    let with_count = search.is_some();
    if filter.is_empty() && scope == Scope::All {
        return Ok(page_response(
            &store.connectors,
            page,
            size,
            with_count,
            |out, r| r.rendered.write(out, now),
        ));
    }
    let matching: Vec<&ConnectorRecord> = store
        .connectors
        .iter()
        .filter(|r| scope.allows(r.connector.microtenant_id) && filter.matches(&r.connector, now))
        .collect();
    Ok(page_response(
        &matching,
        page,
        size,
        with_count,
        |out, r| r.rendered.write(out, now),
    ))
}

pub(crate) async fn get(
    State(state): State<Arc<Shared>>,
    Path((_, id)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let scope = Params::parse(raw.as_deref()).scope(false)?;
    let store = state.read();
    let index = find(&store, &id, scope)?;
    let mut body = String::with_capacity(1600);
    store.connectors[index]
        .rendered
        .write(&mut body, now_secs());
    Ok(json_response(StatusCode::OK, body))
}

pub(crate) async fn update(
    State(state): State<Arc<Shared>>,
    Path((_, id)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    let scope = Params::parse(raw.as_deref()).scope(true)?;
    let changes = Changes::parse(&body)?;
    let mut store = state.write();
    let index = find(&store, &id, scope)?;
    refuse_deception(&store.connectors[index].connector)?;
    let mut connector = store.connectors[index].connector.clone();
    if let Some(name) = changes.name {
        connector.name = name;
    }
    if let Some(description) = changes.description {
        connector.description = description;
    }
    if let Some(enabled) = changes.enabled {
        connector.enabled = enabled;
    }
    connector.modified_time = now_secs();
    connector.modified_by = API_ADMIN.to_owned();
    store.connectors[index] = ConnectorRecord::new(connector);
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
    refuse_deception(&store.connectors[index].connector)?;
    store.connectors.remove(index);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// All or nothing: an unknown id (404) or a Deception connector (400)
/// refuses the whole request and deletes nothing.
pub(crate) async fn bulk_delete(
    State(state): State<Arc<Shared>>,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, ApiError> {
    let scope = Params::parse(raw.as_deref()).scope(true)?;
    let object = json_object(&body)?;
    let ids: Vec<String> = object
        .get("ids")
        .and_then(Value::as_array)
        .filter(|ids| !ids.is_empty())
        .and_then(|ids| {
            ids.iter()
                .map(|id| match id {
                    Value::String(s) => Some(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .collect()
        })
        .ok_or_else(|| {
            ApiError::bad_request("ids must be a non-empty list of ids.").with_param("ids")
        })?;
    let mut store = state.write();
    let mut indices = Vec::with_capacity(ids.len());
    let mut missing = Vec::new();
    for id in &ids {
        match find(&store, id, scope) {
            Ok(index) => indices.push(index),
            Err(_) => missing.push(id.clone()),
        }
    }
    if !missing.is_empty() {
        let mut error = ApiError::new(
            StatusCode::NOT_FOUND,
            "resource.not.found",
            format!("{KIND}s not found: {}.", missing.join(", ")),
        );
        error.params = missing;
        return Err(error);
    }
    for index in &indices {
        refuse_deception(&store.connectors[*index].connector)?;
    }
    indices.sort_unstable();
    indices.dedup();
    for index in indices.into_iter().rev() {
        store.connectors.remove(index);
    }
    Ok(StatusCode::OK.into_response())
}

/// Objects outside the request's microtenant are as good as absent.
fn find(store: &Store, id: &str, scope: Scope) -> Result<usize, ApiError> {
    store
        .connector_index(id)
        .filter(|i| scope.allows(store.connectors[*i].connector.microtenant_id))
        .ok_or_else(|| ApiError::not_found(KIND, id))
}

fn refuse_deception(connector: &Connector) -> Result<(), ApiError> {
    if connector.deception {
        return Err(ApiError::bad_request(format!(
            "App Connector {} is managed by Zscaler Deception; it cannot be updated or deleted.",
            connector.id
        ))
        .with_param(connector.id.to_string()));
    }
    Ok(())
}

/// A PUT changes only the fields it names; SDKs often send the whole
/// object back, so other fields are ignored.
struct Changes {
    name: Option<String>,
    description: Option<Option<String>>,
    enabled: Option<bool>,
}

impl Changes {
    fn parse(body: &[u8]) -> Result<Self, ApiError> {
        let object = json_object(body)?;
        let wrong = |field: &str, what: &str| {
            ApiError::bad_request(format!("{field} must be {what}.")).with_param(field)
        };
        let name = match object.get("name") {
            None => None,
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            Some(_) => return Err(wrong("name", "a non-empty string")),
        };
        let description = match object.get("description") {
            None => None,
            Some(Value::Null) => Some(None),
            Some(Value::String(s)) => Some(Some(s.clone())),
            Some(_) => return Err(wrong("description", "a string")),
        };
        let enabled = match object.get("enabled") {
            None => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => return Err(wrong("enabled", "true or false")),
        };
        Ok(Changes {
            name,
            description,
            enabled,
        })
    }
}
