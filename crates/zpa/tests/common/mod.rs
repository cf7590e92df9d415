//! A simulator per test, and clients pointed at it.
#![allow(dead_code)]

use std::time::Duration;

use zpa::{ApprovalRequest, Client, ClientBuilder, Connector, RetryPolicy};
use zpa_sim::{Sim, SimConfig};

/// Seconds since the epoch, as approvals and assertions count time.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A day's approval for `a@example.com` to the simulator's first application.
pub fn approval(sim: &Sim) -> ApprovalRequest {
    let now = now();
    ApprovalRequest::new(
        "a@example.com",
        [sim.application_ids()[0].clone()],
        now,
        now + 86_400,
    )
}

/// Every connector, `page_size` at a time.
pub async fn all_connectors(zpa: &Client, page_size: u32) -> Vec<Connector> {
    use futures::TryStreamExt;
    zpa.connectors()
        .list()
        .page_size(page_size)
        .items()
        .try_collect()
        .await
        .expect("the listing succeeds")
}

pub async fn sim(connectors: usize) -> Sim {
    Sim::start(SimConfig {
        connectors,
        ..SimConfig::default()
    })
    .await
    .expect("the simulator starts")
}

/// Quick retries, so that tests of retry behaviour stay short.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        max_wait: Duration::from_secs(10),
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
    }
}

pub fn builder(sim: &Sim) -> ClientBuilder {
    Client::builder()
        .base_url(sim.base_url())
        .customer_id(sim.customer_id())
        .no_rate_limit()
        .retry(fast_retries())
}

/// A client with the simulator's static token.
pub fn client(sim: &Sim) -> Client {
    builder(sim).token(sim.static_token()).build().unwrap()
}

/// A client that signs in with the simulator's client id and secret.
pub fn signing_in_client(sim: &Sim) -> Client {
    builder(sim)
        .client_credentials(sim.client_id(), sim.client_secret())
        .build()
        .unwrap()
}

/// Requests the simulator logged with this method whose path ends with `suffix`.
pub fn logged(sim: &Sim, method: &str, suffix: &str) -> Vec<zpa_sim::LoggedRequest> {
    sim.requests()
        .into_iter()
        .filter(|r| r.method == method && r.path.ends_with(suffix))
        .collect()
}

/// Connectors in the Default microtenant that Deception does not manage:
/// the ones a write without `microtenantId` may change.
pub fn writable_connectors(sim: &Sim) -> Vec<String> {
    let decoys = sim.deception_connector_ids();
    sim.connector_microtenants()
        .into_iter()
        .filter(|(id, tenant)| tenant == "0" && !decoys.contains(id))
        .map(|(id, _)| id)
        .collect()
}
