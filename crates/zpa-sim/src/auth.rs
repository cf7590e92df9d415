//! Sign-in (legacy `/signin` and OneAPI `/oauth2/v1/token`), bearer tokens,
//! and the gate in front of every API route: token, rate limit, customer.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::{RawPathParams, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{StatusCode, header};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::errors::{ApiError, json_response, too_many_requests};
use crate::json::Obj;
use crate::query::Params;
use crate::rate_limit::retry_after_secs;
use crate::state::{Shared, lock};

/// The rate-limit key of requests made with the static token.
const STATIC_CLIENT: &str = "static-token";
pub(crate) const ONEAPI_AUDIENCE: &str = "https://api.zscaler.com";

#[derive(Debug)]
pub(crate) struct Tokens {
    issued: HashMap<String, Issued>,
    rng: ChaCha8Rng,
}

#[derive(Debug)]
struct Issued {
    client_id: String,
    expires: Instant,
}

impl Tokens {
    pub(crate) fn new(seed: u64) -> Self {
        // Tokens differ between runs even with the same data seed.
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        Tokens {
            issued: HashMap::new(),
            rng: ChaCha8Rng::seed_from_u64(seed ^ nanos),
        }
    }

    fn issue(&mut self, client_id: &str, ttl: Duration) -> String {
        const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut token = String::from("eyJhbGciOiJSUzI1NiJ9.");
        for i in 0..96 {
            if i == 64 {
                token.push('.');
            }
            token.push(CHARS[self.rng.random_range(0..CHARS.len())] as char);
        }
        self.issued.insert(
            token.clone(),
            Issued {
                client_id: client_id.to_owned(),
                expires: Instant::now() + ttl,
            },
        );
        token
    }

    fn client_of(&self, token: &str, now: Instant) -> Result<&str, &'static str> {
        match self.issued.get(token) {
            None => Err("Invalid access token."),
            Some(issued) if now >= issued.expires => Err("The access token has expired."),
            Some(issued) => Ok(&issued.client_id),
        }
    }

    pub(crate) fn expire_all(&mut self) {
        let now = Instant::now();
        for issued in self.issued.values_mut() {
            issued.expires = now;
        }
    }
}

fn credentials_ok(state: &Shared, form: &Params) -> bool {
    form.get("client_id") == Some(state.config.client_id.as_str())
        && form.get("client_secret") == Some(state.config.client_secret.as_str())
}

fn issue(state: &Shared) -> (String, u64) {
    let ttl = state.config.token_ttl;
    state.sign_ins.fetch_add(1, Ordering::Relaxed);
    let token = lock(&state.tokens).issue(&state.config.client_id, ttl);
    (token, ttl.as_secs_f64().ceil() as u64)
}

fn token_body(token: &str, expires_in: impl FnOnce(&mut Obj<'_>)) -> String {
    let mut body = String::new();
    let mut o = Obj::new(&mut body);
    o.str("token_type", "Bearer");
    o.str("access_token", token);
    expires_in(&mut o);
    o.end();
    body
}

/// Legacy sign-in: `expires_in` is a string.
pub(crate) async fn signin(State(state): State<Arc<Shared>>, body: Bytes) -> Response {
    let form = Params::parse(Some(&String::from_utf8_lossy(&body)));
    if !credentials_ok(&state, &form) {
        return ApiError::unauthorized("Invalid client_id or client_secret.").into_response();
    }
    let (token, ttl) = issue(&state);
    json_response(
        StatusCode::OK,
        token_body(&token, |o| o.num("expires_in", ttl)),
    )
}

/// OneAPI token endpoint: OAuth 2.0 client credentials, `expires_in` a number,
/// errors in OAuth's own shape.
pub(crate) async fn oauth_token(State(state): State<Arc<Shared>>, body: Bytes) -> Response {
    let form = Params::parse(Some(&String::from_utf8_lossy(&body)));
    let oauth_error = |status: StatusCode, error: &str, description: &str| {
        let mut body = String::new();
        let mut o = Obj::new(&mut body);
        o.str("error", error);
        o.str("error_description", description);
        o.end();
        json_response(status, body)
    };
    if form.get("grant_type") != Some("client_credentials") {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "grant_type must be client_credentials.",
        );
    }
    if form.get("audience") != Some(ONEAPI_AUDIENCE) {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "audience must be https://api.zscaler.com.",
        );
    }
    let authenticated = match (
        form.get("client_assertion_type"),
        form.get("client_assertion"),
    ) {
        (Some(kind), Some(assertion)) if kind == crate::assertion::ASSERTION_TYPE => {
            if form.get("client_id") != Some(state.config.client_id.as_str()) {
                Err("Unknown client_id.".to_owned())
            } else {
                crate::assertion::verify(&state, &state.config.client_id, assertion)
            }
        }
        _ if credentials_ok(&state, &form) => Ok(()),
        _ => Err("Client authentication failed.".to_owned()),
    };
    if let Err(description) = authenticated {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", &description);
    }
    let (token, ttl) = issue(&state);
    json_response(
        StatusCode::OK,
        token_body(&token, |o| {
            o.key("expires_in").push_str(&ttl.to_string());
        }),
    )
}

/// The bearer token of `request`, if it has one.
fn bearer(request: &Request) -> Option<&str> {
    request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, token) = v.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        })
}

/// The client `token` was issued to, or why it is no good.
fn client_of(state: &Shared, token: &str, now: Instant) -> Result<String, &'static str> {
    if token == state.config.static_token {
        return Ok(STATIC_CLIENT.to_owned());
    }
    lock(&state.tokens).client_of(token, now).map(str::to_owned)
}

/// What live OneAPI answers a request without a valid token, whatever its
/// path: 401, this body as sent, `content-type: application/json` and no
/// rate-limit headers (zscaler-sdk-python
/// tests/integration/zpa/cassettes/TestAppConnectorGroup.yaml, the first
/// `POST .../appConnectorGroup`).
const ONEAPI_UNAUTHORIZED: &str =
    "{\n \"detail\": \"unauthorized\",\n \"type\": \"\",\n \"title\": \"\",\n \"status\": \"\"\n}";

/// In front of everything under `/zpa/`: OneAPI's gateway, which refuses a
/// request without a valid token before it routes it (an unknown path gets
/// the 401, not a 404).
pub(crate) async fn oneapi_gate(
    State(state): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let let_through = !request.uri().path().starts_with("/zpa/")
        || bearer(&request).is_some_and(|t| client_of(&state, t, Instant::now()).is_ok());
    if let_through {
        return next.run(request).await;
    }
    (
        StatusCode::UNAUTHORIZED,
        [(header::CONTENT_TYPE, "application/json")],
        ONEAPI_UNAUTHORIZED,
    )
        .into_response()
}

pub(crate) async fn require_auth(
    State(state): State<Arc<Shared>>,
    params: RawPathParams,
    request: Request,
    next: Next,
) -> Response {
    let Some(token) = bearer(&request) else {
        return ApiError::unauthorized("A bearer token is required.").into_response();
    };
    let now = Instant::now();
    let client = match client_of(&state, token, now) {
        Ok(client) => client,
        Err(reason) => return ApiError::unauthorized(reason).into_response(),
    };
    if let Err(wait) = lock(&state.limiter).check(&client, request.method(), now) {
        return too_many_requests(retry_after_secs(wait));
    }
    let customer = params
        .iter()
        .find(|(name, _)| *name == "customerId")
        .map_or("", |(_, value)| value);
    if customer != state.config.customer_id {
        return ApiError::new(
            StatusCode::FORBIDDEN,
            "customer.mismatch",
            format!("Customer {customer} is not the customer of this API client."),
        )
        .with_param(customer)
        .into_response();
    }
    next.run(request).await
}
