//! A local Zscaler Private Access management API: App Connectors,
//! Privileged Approvals and (read-only) the application segments approvals
//! name, over real HTTP, with ZPA's tokens, rate limits, wire quirks and
//! errors, plus fault injection for tests.
//!
//! As the live API was recorded answering (zscaler-sdk-python's cassettes):
//! - Under the OneAPI prefix (`/zpa/...`), a request without a valid token
//!   is a 401 `{"detail": "unauthorized", ...}` before any routing, and every
//!   API answer carries `x-ratelimit-*` (5000 per 60 s unless
//!   `SimConfig::advertised_limit` says otherwise).
//! - API answers are `application/json;charset=utf-8`.
//! - A search in the official Python SDK's form, `name+EQ+value` (its
//!   pluses sent as `%2B`), selects what `name EQ value` does.
//!
//! Choices where the real API is not documented:
//! - Under the legacy prefix, 401 for a missing, unknown or expired token:
//!   `{"id":"authentication.failed"}`; a path customer id other than the
//!   simulator's: 403 `customer.mismatch`.
//!   `/oauth2/v1/token` answers errors in OAuth's shape (`invalid_client`, ...).
//! - Paging outside the documented bounds (`page` from 1, `pagesize` 1 to
//!   500) is a 400 `bad.request`, and so is an empty `microtenantId`. A page
//!   past the end has no `list`.
//!   Connector lists carry `totalCount` only when searched (as in the seed);
//!   approval lists always do.
//! - Unknown search fields, operators or malformed values: 400
//!   `filtering.input.invalid.operand`. Unknown `sortBy`, or a `sortdir` other
//!   than `ASC`/`DSC` (such as `DESC`): 400 `bad.request`.
//! - Objects outside the request's microtenant are 404 `resource.not.found`.
//! - Deception-managed connectors carry `"zscalerManaged": true`; update and
//!   delete answer 400 `bad.request` naming Zscaler Deception.
//! - Bulk delete is all or nothing: an unknown id is a 404 listing the
//!   unknown ids in `params`; a Deception connector is a 400.
//! - Approvals referring to an unknown application segment are a 400.
//! - Fourteen application segments, the same for every seed (and more,
//!   `Segment 15` onwards, with `SimConfig::segments`): names with
//!   spaces (two in a row), `/`, `&`, `+` and non-ASCII letters, some in
//!   microtenants, and one name (`Jump Hosts`) in two microtenants. Those
//!   serving SSH or RDP list under `getAppsByType` as `SECURE_REMOTE_ACCESS`,
//!   the web ones as `BROWSER_ACCESS`; none as `INSPECT`. Without a
//!   `microtenantId` the listing by type covers every microtenant, as other
//!   reads do; an `applicationType` missing or unknown is a 400.
//! - Answers are gzipped when the client asks (`SimConfig::compression`), at
//!   zlib's default level; the level of the live servers is not known.
//! - The fields beyond the seed articles (those of the live answers and the
//!   official SDKs) appear at rates of the simulator's choosing: about one
//!   connector in five reports its runtime (`assistantVersion`, `runtimeOS`,
//!   and for a quarter of those `zpnSubModuleUpgradeList`).
//! - `SimConfig::advertised_limit` sets the budget of the `x-ratelimit-*`
//!   headers (a fixed window shared by every client) and adds them under the
//!   legacy prefix too, and `SimConfig::future_fields` fields that no SDK
//!   models yet.
//!
//! Besides the API, `GET /_sim/requests` serves the request log as JSON (and
//! `DELETE` clears it), for tests and benchmarks in other processes.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let sim = zpa_sim::Sim::start(zpa_sim::SimConfig::default()).await?;
//! println!("{} {}", sim.base_url(), sim.customer_id());
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]

mod api;
mod assertion;
mod auth;
mod config;
mod cors;
mod data;
mod duration;
mod errors;
mod faults;
mod json;
mod log;
mod model;
mod query;
mod rate_limit;
mod search;
mod server;
mod state;
mod store;

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use config::{AdvertisedLimit, RateLimit, SimConfig, parse_duration};
pub use faults::{Fault, FaultAction};
pub use log::LoggedRequest;

use state::{Shared, lock};

/// A running simulator. Dropping it (or calling [`Sim::shutdown`]) stops it.
#[derive(Debug)]
pub struct Sim {
    shared: Arc<Shared>,
    addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl Sim {
    /// Binds 127.0.0.1 on an ephemeral port and serves on the current runtime.
    pub async fn start(config: SimConfig) -> io::Result<Sim> {
        Self::start_on(config, 0).await
    }

    pub async fn start_on(config: SimConfig, port: u16) -> io::Result<Sim> {
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        // Generating a large fleet takes a moment; keep it off the async workers.
        let token_url = format!("http://{addr}/oauth2/v1/token");
        let shared = tokio::task::spawn_blocking(move || Shared::new(config, token_url))
            .await
            .map_err(io::Error::other)?;
        let shared = Arc::new(shared);
        let (shutdown, watch) = watch::channel(false);
        let router = api::router(shared.clone());
        let task = tokio::spawn(server::serve(listener, router, watch));
        Ok(Sim {
            shared,
            addr,
            shutdown,
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The legacy API base for this customer: `{base_url}/mgmtconfig/v1/admin/customers/{id}`.
    pub fn api_url(&self) -> String {
        format!(
            "{}{}/{}",
            self.base_url(),
            api::LEGACY_PREFIX,
            self.customer_id()
        )
    }

    /// The OneAPI base for this customer: `{base_url}/zpa/mgmtconfig/v1/admin/customers/{id}`.
    pub fn oneapi_url(&self) -> String {
        format!(
            "{}{}/{}",
            self.base_url(),
            api::ONEAPI_PREFIX,
            self.customer_id()
        )
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn customer_id(&self) -> &str {
        &self.shared.config.customer_id
    }

    pub fn client_id(&self) -> &str {
        &self.shared.config.client_id
    }

    pub fn client_secret(&self) -> &str {
        &self.shared.config.client_secret
    }

    pub fn static_token(&self) -> &str {
        &self.shared.config.static_token
    }

    pub fn config(&self) -> &SimConfig {
        &self.shared.config
    }

    /// Every request so far (up to the last 100,000), oldest first.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        lock(&self.shared.log).snapshot()
    }

    pub fn clear_log(&self) {
        lock(&self.shared.log).clear();
    }

    /// Queues a scripted fault; faults are matched in the order queued.
    pub fn inject(&self, fault: Fault) {
        lock(&self.shared.faults).push(fault);
    }

    /// Successful sign-ins on either token endpoint.
    pub fn sign_in_count(&self) -> u64 {
        self.shared.sign_ins.load(Ordering::Relaxed)
    }

    /// Makes every issued token expired now; the static token is unaffected.
    pub fn expire_tokens(&self) {
        lock(&self.shared.tokens).expire_all();
    }

    /// Connector ids in listing order.
    pub fn connector_ids(&self) -> Vec<String> {
        let store = self.shared.read();
        store
            .connectors
            .iter()
            .map(|r| r.connector.id.to_string())
            .collect()
    }

    /// Ids of the connectors managed by Zscaler Deception.
    pub fn deception_connector_ids(&self) -> Vec<String> {
        let store = self.shared.read();
        store
            .connectors
            .iter()
            .filter(|r| r.connector.deception)
            .map(|r| r.connector.id.to_string())
            .collect()
    }

    /// `(connector id, microtenant id)`, `"0"` for Default.
    pub fn connector_microtenants(&self) -> Vec<(String, String)> {
        let store = self.shared.read();
        store
            .connectors
            .iter()
            .map(|r| {
                (
                    r.connector.id.to_string(),
                    r.connector.microtenant_id.to_string(),
                )
            })
            .collect()
    }

    /// Adds a connector behind all others, as if one enrolled mid-listing.
    pub fn insert_connector(&self) -> String {
        self.shared.write().insert_connector().to_string()
    }

    /// Adds a connector that lists before all others, as if someone else
    /// created it: every connector after it moves one place later.
    pub fn insert_connector_first(&self) -> String {
        self.shared.write().insert_connector_first().to_string()
    }

    /// Removes a connector as if someone else deleted it; false if unknown.
    pub fn remove_connector(&self, id: &str) -> bool {
        let mut store = self.shared.write();
        match store.connector_index(id) {
            Some(index) => {
                store.connectors.remove(index);
                true
            }
            None => false,
        }
    }

    /// Every connector as the API answers with it now, in listing order.
    pub fn connectors_json(&self) -> Vec<String> {
        let now = store::now_secs();
        let store = self.shared.read();
        store
            .connectors
            .iter()
            .map(|record| {
                let mut json = String::new();
                record.rendered.write(&mut json, now);
                json
            })
            .collect()
    }

    /// Every approval as a get or a list answers with it now, in id order.
    pub fn approvals_json(&self) -> Vec<String> {
        let now = store::now_secs();
        let store = self.shared.read();
        store
            .approvals
            .iter()
            .map(|approval| {
                let mut json = String::new();
                approval.write(
                    &mut json,
                    now,
                    &store.segments,
                    model::approval::Answer::Stored,
                );
                json
            })
            .collect()
    }

    /// Approval ids in id order.
    pub fn approval_ids(&self) -> Vec<String> {
        let store = self.shared.read();
        store.approvals.iter().map(|a| a.id.to_string()).collect()
    }

    /// Application segment ids that approvals may refer to, in id order.
    pub fn application_ids(&self) -> Vec<String> {
        let store = self.shared.read();
        store.segments.keys().map(u64::to_string).collect()
    }

    /// `(id, name, microtenant id)` of every application segment, in id
    /// order; `"0"` is Default.
    pub fn applications(&self) -> Vec<(String, String, String)> {
        let store = self.shared.read();
        store
            .segments
            .values()
            .map(|s| {
                (
                    s.id.to_string(),
                    s.name.clone(),
                    s.microtenant_id.to_string(),
                )
            })
            .collect()
    }

    /// `(id, name)` of every microtenant, Default (`"0"`) first.
    pub fn microtenants(&self) -> Vec<(String, String)> {
        let store = self.shared.read();
        store
            .microtenants
            .iter()
            .map(|m| (m.id.to_string(), m.name.clone()))
            .collect()
    }

    /// Stops accepting, closes open connections and waits for the server loop.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

/// `json` with the values the simulator computes from the clock as it
/// answers (`lastBrokerConnectTimeDuration`, `lastBrokerDisconnectTimeDuration`)
/// emptied: two answers for the same connectors compare equal with it even
/// when a second passed between them.
pub fn without_durations(json: &str) -> String {
    let mut out = json.to_owned();
    for key in [
        "\"lastBrokerConnectTimeDuration\":\"",
        "\"lastBrokerDisconnectTimeDuration\":\"",
    ] {
        let mut from = 0;
        while let Some(found) = out[from..].find(key) {
            let start = from + found + key.len();
            let end = start + out[start..].find('"').unwrap_or(0);
            out.replace_range(start..end, "");
            from = start;
        }
    }
    out
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}
