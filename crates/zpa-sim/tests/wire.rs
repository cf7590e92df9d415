//! What the live API does on the wire besides its JSON: compression when
//! asked, the budget OneAPI advertises in its headers, and the refusals the
//! simulator can inject.

mod common;

use std::time::Duration;

use common::{start, start_default};
use reqwest::Method;
use zpa_sim::{AdvertisedLimit, Fault, SimConfig};

#[tokio::test]
async fn answers_are_gzipped_when_asked_as_live() {
    let env = start_default().await;
    let url = format!("{}/connector?pagesize=100", env.sim.api_url());
    let asked = env
        .request(Method::GET, &url)
        .header("accept-encoding", "gzip, deflate")
        .send()
        .await
        .unwrap();
    assert_eq!(asked.headers()["content-encoding"], "gzip");
    assert!(
        asked.headers()["vary"]
            .to_str()
            .unwrap()
            .contains("accept-encoding")
    );
    let compressed = asked.bytes().await.unwrap();
    assert_eq!(&compressed[..2], [0x1f, 0x8b], "a gzip stream");

    let plain = env.request(Method::GET, &url).send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    let json = plain.bytes().await.unwrap();
    assert!(
        compressed.len() * 4 < json.len(),
        "{} bytes gzipped, {} plain",
        compressed.len(),
        json.len()
    );
    let logged = env.sim.requests();
    assert_eq!(logged[0].accept_encoding.as_deref(), Some("gzip, deflate"));
    assert_eq!(logged[0].content_encoding.as_deref(), Some("gzip"));
    assert_eq!(logged[1].content_encoding, None);
}

#[tokio::test]
async fn compression_can_be_turned_off() {
    let env = start(SimConfig {
        compression: false,
        ..SimConfig::default()
    })
    .await;
    let url = format!("{}/connector", env.sim.api_url());
    let response = env
        .request(Method::GET, &url)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert!(response.headers().get("content-encoding").is_none());
}

#[tokio::test]
async fn the_advertised_budget_is_announced_and_enforced() {
    let env = start(SimConfig {
        advertised_limit: Some(AdvertisedLimit {
            requests: 3,
            window: Duration::from_secs(60),
        }),
        ..SimConfig::default()
    })
    .await;
    let url = format!(
        "{}/connector/{}",
        env.sim.api_url(),
        env.sim.connector_ids()[0]
    );
    for remaining in ["2", "1", "0"] {
        let response = env.send(Method::GET, &url, None).await;
        assert_eq!(response.status().as_u16(), 200);
        let header = |name: &str| response.headers()[name].to_str().unwrap().to_owned();
        assert_eq!(header("x-ratelimit-limit"), "3, 3;w=60");
        assert_eq!(header("x-ratelimit-remaining"), remaining);
        let reset: u64 = header("x-ratelimit-reset").parse().unwrap();
        assert!((59..=60).contains(&reset), "{reset}");
    }
    let refused = env.send(Method::GET, &url, None).await;
    assert_eq!(refused.status().as_u16(), 429);
    assert_eq!(refused.headers()["x-ratelimit-remaining"], "0");
    let wait = refused.headers()["retry-after"].to_str().unwrap();
    assert!(["59s", "60s"].contains(&wait), "{wait}");
}

#[tokio::test]
async fn refusals_answer_what_the_live_api_sends() {
    let env = start_default().await;
    let path = "/approval";
    type Refusal = fn(Method, &'static str) -> Fault;
    let cases: [(Refusal, u16, &str); 4] = [
        (Fault::concurrent_change, 409, "api.concurrent.access.error"),
        (Fault::edit_lock, 412, "Failed during enter Org barrier"),
        (Fault::simultaneous_request, 400, "db.simultaneous.request"),
        (Fault::access_blocked, 401, "Resource Access Blocked"),
    ];
    for (fault, status, text) in cases {
        env.sim.inject(fault(Method::GET, path));
        let response = env
            .send(Method::GET, &format!("{}{path}", env.sim.api_url()), None)
            .await;
        assert_eq!(response.status().as_u16(), status);
        assert!(response.text().await.unwrap().contains(text));
    }
}
