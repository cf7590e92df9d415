//! The wire as the live API speaks it, against the simulator over HTTP:
//! compressed answers, the budget OneAPI advertises in its rate-limit
//! headers, and the refusals the official Go SDK learned to wait out.

mod common;

use std::time::{Duration, Instant};

use http::Method;
use zpa::{Error, RateLimit};
use zpa_sim::{AdvertisedLimit, Fault, Sim, SimConfig};

async fn sim(config: SimConfig) -> Sim {
    Sim::start(config).await.unwrap()
}

#[tokio::test]
async fn answers_are_asked_for_and_read_compressed() {
    let sim = sim(SimConfig {
        connectors: 1_200,
        ..SimConfig::default()
    })
    .await;
    let zpa = common::client(&sim);
    let all = common::all_connectors(&zpa, 500).await;
    assert_eq!(all.len(), 1_200);
    let gets = common::logged(&sim, "GET", "/connector");
    assert_eq!(gets.len(), 3);
    for get in gets {
        let asked = get.accept_encoding.unwrap_or_default();
        assert!(
            asked.contains("gzip") && asked.contains("deflate"),
            "{asked}"
        );
        assert_eq!(get.content_encoding.as_deref(), Some("gzip"));
    }
    // The objects are the uncompressed JSON, whole.
    assert!(all.iter().all(|c| c.json().starts_with("{\"id\":")));
}

#[tokio::test]
async fn an_answer_the_server_did_not_compress_is_read_as_is() {
    let sim = sim(SimConfig {
        connectors: 30,
        compression: false,
        ..SimConfig::default()
    })
    .await;
    let page = common::client(&sim)
        .connectors()
        .list()
        .page(1)
        .await
        .unwrap();
    assert_eq!(page.items.len(), 30);
    assert_eq!(sim.requests()[0].content_encoding, None);
}

/// A server advertising 8 requests per 2 s window: 20 GETs, with ZPA's own
/// pacing off, take three windows and meet no 429.
#[tokio::test]
async fn no_more_is_sent_than_the_server_says_remains() {
    let sim = sim(SimConfig {
        connectors: 200,
        advertised_limit: Some(AdvertisedLimit {
            requests: 8,
            window: Duration::from_secs(2),
        }),
        ..SimConfig::default()
    })
    .await;
    let zpa = common::client(&sim);
    let started = Instant::now();
    assert_eq!(common::all_connectors(&zpa, 10).await.len(), 200);
    let statuses: Vec<u16> = sim.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [200; 20], "no 429");
    assert!(
        started.elapsed() >= Duration::from_secs(4),
        "20 requests at 8 per window span three windows: {:?}",
        started.elapsed()
    );
}

/// ZPA's documented limits and the advertised budget together: whichever is
/// stricter at the moment holds the requests back.
#[tokio::test]
async fn the_stricter_of_both_limits_wins() {
    let window = Duration::from_secs(1);
    let run = |advertised: u32| async move {
        let sim = sim(SimConfig {
            connectors: 300,
            advertised_limit: Some(AdvertisedLimit {
                requests: advertised,
                window,
            }),
            ..SimConfig::default()
        })
        .await;
        let zpa = common::builder(&sim)
            .token(sim.static_token())
            .rate_limit(RateLimit {
                reads: 10,
                writes: 5,
                window,
                ..RateLimit::ZPA
            })
            .build()
            .unwrap();
        let started = Instant::now();
        assert_eq!(common::all_connectors(&zpa, 10).await.len(), 300);
        assert!(sim.requests().iter().all(|r| r.status == 200), "no 429");
        started.elapsed()
    };
    // 30 GETs: ZPA's 10 per window is the stricter (three windows)...
    let zpa_bound = run(1_000).await;
    assert!(zpa_bound >= 2 * window, "{zpa_bound:?}");
    // ...and a server advertising 6 per window is stricter still (five windows).
    let server_bound = run(6).await;
    assert!(server_bound >= 4 * window, "{server_bound:?}");
}

#[tokio::test]
async fn malformed_rate_limit_headers_are_ignored() {
    let sim = sim(SimConfig {
        connectors: 5,
        ..SimConfig::default()
    })
    .await;
    let zpa = common::client(&sim);
    // Each would hold the next request for 30 s or more if it were believed.
    for (remaining, reset) in [
        ("soon", "30"),
        ("0", "-30"),
        ("", ""),
        ("0", "1e999"),
        ("0", "30 s"),
        ("0", "7200"),
    ] {
        sim.inject(
            Fault::status(Method::GET, "/connector", 200)
                .body(r#"{"totalPages":"1","list":[{"id":"1","name":"n"}]}"#)
                .header("x-ratelimit-remaining", remaining)
                .header("x-ratelimit-reset", reset)
                .header("x-ratelimit-limit", "x;w=y"),
        );
        let started = Instant::now();
        assert_eq!(
            zpa.connectors().list().page(1).await.unwrap().items.len(),
            1
        );
        zpa.connectors().list().page(1).await.unwrap();
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{remaining} {reset}"
        );
    }
}

/// Each refusal the live API sends when another change is in progress, on a
/// create (a POST, never sent twice when it may have been applied): the
/// refusal says it was not, so it is waited out and sent again.
#[tokio::test]
async fn refusals_are_waited_out_even_for_a_create() {
    let sim = sim(SimConfig::default()).await;
    let zpa = common::client(&sim);
    let refusals: [fn(Method, &'static str) -> Fault; 4] = [
        Fault::concurrent_change,
        Fault::edit_lock,
        Fault::simultaneous_request,
        Fault::access_blocked,
    ];
    for refusal in refusals {
        sim.clear_log();
        sim.inject(refusal(Method::POST, "/approval").times(2));
        zpa.approvals()
            .create(&common::approval(&sim))
            .await
            .unwrap();
        let statuses: Vec<u16> = common::logged(&sim, "POST", "/approval")
            .iter()
            .map(|r| r.status)
            .collect();
        assert_eq!(statuses.len(), 3, "{statuses:?}");
        assert_eq!(statuses[2], 201);
    }
}

#[tokio::test]
async fn a_blocked_401_is_waited_out_without_signing_in_again() {
    let sim = sim(SimConfig::default()).await;
    let zpa = common::signing_in_client(&sim);
    zpa.connectors().list().page(1).await.unwrap();
    assert_eq!(sim.sign_in_count(), 1);
    sim.inject(Fault::access_blocked(Method::GET, "/connector").times(2));
    zpa.connectors().list().page(1).await.unwrap();
    assert_eq!(
        sim.sign_in_count(),
        1,
        "a blocked 401 is not an expired session"
    );
    // The text counts wherever the body has it: in a field ZPA's errors do
    // not document, or as plain text.
    for body in [
        r#"{"message":"Resource Access Blocked"}"#,
        "Resource Access Blocked",
    ] {
        sim.inject(Fault::status(Method::GET, "/connector", 401).body(body));
        zpa.connectors().list().page(1).await.unwrap();
    }
    assert_eq!(sim.sign_in_count(), 1);
    // An expired session still renews the token, once.
    sim.expire_tokens();
    zpa.connectors().list().page(1).await.unwrap();
    assert_eq!(sim.sign_in_count(), 2);
}

#[tokio::test]
async fn a_refusal_that_persists_is_its_api_error_after_every_attempt() {
    let sim = sim(SimConfig {
        connectors: 5,
        ..SimConfig::default()
    })
    .await;
    let zpa = common::client(&sim);
    let id = sim.connector_ids()[0].clone();
    sim.inject(Fault::concurrent_change(Method::DELETE, format!("/connector/{id}")).times(10));
    let error = zpa.connectors().delete(&id).await.unwrap_err();
    assert_eq!(error.attempts(), Some(4), "the policy's attempts");
    assert_eq!(error.api_id(), Some("api.concurrent.access.error"));
    assert!(matches!(error, Error::Api { .. }), "{error:?}");
    assert_eq!(common::logged(&sim, "DELETE", &id).len(), 4);
}
