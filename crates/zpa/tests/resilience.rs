//! Retries, rate limits and token renewal, driven by the simulator's faults.

mod common;

use std::time::{Duration, Instant};

use futures::TryStreamExt;
use http::Method;
use zpa::Error;
use zpa_sim::Fault;

#[tokio::test]
async fn a_429_is_waited_out_for_as_long_as_it_asks() {
    let sim = common::sim(5).await;
    let zpa = common::client(&sim);
    let id = sim.connector_ids()[0].clone();
    sim.inject(Fault::status(Method::GET, format!("/connector/{id}"), 429).retry_after("1s"));
    let started = Instant::now();
    zpa.connectors().get(&id).await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1));
    let statuses: Vec<u16> = sim.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [429, 200]);
}

#[tokio::test]
async fn a_bare_number_retry_after_is_read_too() {
    let sim = common::sim(5).await;
    let zpa = common::client(&sim);
    sim.inject(Fault::status(Method::POST, "/approval", 429).retry_after("1"));
    let started = Instant::now();
    zpa.approvals()
        .create(&common::approval(&sim))
        .await
        .unwrap();
    // Without the header read, the fast test backoff would resend in milliseconds.
    assert!(started.elapsed() >= Duration::from_secs(1));
    let statuses: Vec<u16> = common::logged(&sim, "POST", "/approval")
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(
        statuses,
        [429, 201],
        "a 429 is safe to resend, even for a create"
    );
}

#[tokio::test]
async fn an_unreasonable_wait_fails_at_once_with_a_typed_error() {
    let sim = common::sim(5).await;
    let zpa = common::client(&sim);
    sim.inject(Fault::status(Method::GET, "/connector", 429).retry_after("3600s"));
    let error = zpa.connectors().list().page(1).await.unwrap_err();
    match &error {
        Error::RateLimited {
            retry_after,
            attempts,
        } => {
            assert_eq!(*retry_after, Some(Duration::from_secs(3600)));
            assert_eq!(*attempts, 1);
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert_eq!(
        error.to_string(),
        "429 invalid.toomanyrequests: rate limited; the API asked to wait 3600s"
    );
}

#[tokio::test]
async fn a_503_on_a_get_is_retried() {
    let sim = common::sim(5).await;
    let zpa = common::client(&sim);
    sim.inject(Fault::status(Method::GET, "/connector", 503).times(2));
    let page = zpa.connectors().list().page(1).await.unwrap();
    assert_eq!(page.items.len(), 5);
    let statuses: Vec<u16> = sim.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [503, 503, 200]);
}

#[tokio::test]
async fn persistent_5xx_is_the_same_api_error_after_every_attempt() {
    let sim = common::sim(5).await;
    let zpa = common::client(&sim);
    let id = sim.connector_ids()[0].clone();
    sim.inject(Fault::status(Method::DELETE, format!("/connector/{id}"), 502).times(10));
    let error = zpa.connectors().delete(&id).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Api {
                status: 502,
                attempts: 4,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.is_retryable());
    assert_eq!(sim.requests().len(), 4);
}

#[tokio::test]
async fn a_500_on_a_create_is_not_retried() {
    let sim = common::sim(5).await;
    let zpa = common::client(&sim);
    sim.inject(Fault::status(Method::POST, "/approval", 500).applied());
    let before = sim.approval_ids().len();
    let error = zpa
        .approvals()
        .create(&common::approval(&sim))
        .await
        .unwrap_err();
    // The same variant as a GET's 500 after its retries: one attempt, as
    // a create is never replayed.
    assert!(
        matches!(
            error,
            Error::Api {
                status: 500,
                attempts: 1,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        common::logged(&sim, "POST", "/approval").len(),
        1,
        "the create was sent once"
    );
    assert_eq!(
        sim.approval_ids().len(),
        before + 1,
        "the server did apply it"
    );
}

#[tokio::test]
async fn a_dropped_connection_is_retried_for_a_get_but_not_a_bulk_delete() {
    let sim = common::sim(20).await;
    let zpa = common::client(&sim);
    let id = sim.connector_ids()[0].clone();
    sim.inject(Fault::drop_connection(
        Method::GET,
        format!("/connector/{id}"),
    ));
    zpa.connectors().get(&id).await.unwrap();

    let victims = common::writable_connectors(&sim)[..2].to_vec();
    sim.inject(Fault::drop_connection(Method::POST, "/connector/bulkDelete").applied());
    let error = zpa.connectors().bulk_delete(&victims).await.unwrap_err();
    assert!(
        matches!(error, Error::Transport { attempts: 1, .. }),
        "{error:?}"
    );
    assert_eq!(common::logged(&sim, "POST", "/bulkDelete").len(), 1);
}

#[tokio::test]
async fn a_truncated_body_on_a_get_is_retried() {
    let sim = common::sim(30).await;
    let zpa = common::client(&sim);
    sim.inject(Fault::truncated_body(Method::GET, "/connector"));
    let page = zpa.connectors().list().page(1).await.unwrap();
    assert_eq!(page.items.len(), 30);
    assert_eq!(common::logged(&sim, "GET", "/connector").len(), 2);
}

#[tokio::test]
async fn an_expired_token_is_renewed_mid_listing() {
    let sim = common::sim(100).await;
    let zpa = common::signing_in_client(&sim);
    let mut items = zpa.connectors().list().page_size(10).items();
    let mut count = 0;
    while let Some(_connector) = items.try_next().await.unwrap() {
        count += 1;
        if count == 45 {
            sim.expire_tokens();
        }
    }
    assert_eq!(count, 100);
    assert_eq!(sim.sign_in_count(), 2);
    let refused = sim.requests().iter().filter(|r| r.status == 401).count();
    assert!(
        refused <= 1,
        "at most the one in flight was refused, got {refused}"
    );
}

#[tokio::test]
async fn concurrent_callers_share_one_sign_in() {
    let sim = common::sim(10).await;
    let zpa = common::signing_in_client(&sim);
    let ids = sim.connector_ids();
    let calls = ids.iter().map(|id| {
        let zpa = zpa.clone();
        let id = id.clone();
        tokio::spawn(async move { zpa.connectors().get(&id).await })
    });
    for call in futures::future::join_all(calls).await {
        call.unwrap().unwrap();
    }
    assert_eq!(sim.sign_in_count(), 1);
}

#[tokio::test]
async fn a_refused_sign_in_is_an_auth_error_without_the_secret() {
    let sim = common::sim(1).await;
    let zpa = common::builder(&sim)
        .client_credentials(sim.client_id(), "wrong-secret-value")
        .build()
        .unwrap();
    let error = zpa.connectors().list().page(1).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Auth {
                status: Some(401),
                ..
            }
        ),
        "{error:?}"
    );
    assert!(!format!("{error} {error:?}").contains("wrong-secret-value"));
}

#[tokio::test]
async fn oneapi_client_credentials_sign_in() {
    let sim = common::sim(3).await;
    let zpa = zpa::Client::builder()
        .base_url(format!("{}/zpa", sim.base_url()))
        .token_url(format!("{}/oauth2/v1/token", sim.base_url()))
        .customer_id(sim.customer_id())
        .client_credentials(sim.client_id(), sim.client_secret())
        .no_rate_limit()
        .build()
        .unwrap();
    let page = zpa.connectors().list().page(1).await.unwrap();
    assert_eq!(page.items.len(), 3);
    let paths: Vec<String> = sim.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths[0], "/oauth2/v1/token");
    assert!(
        paths[1].starts_with("/zpa/mgmtconfig/v1/admin/customers/"),
        "{paths:?}"
    );
    let token_request = &sim.requests()[0];
    assert!(token_request.body.contains("grant_type=client_credentials"));
    assert!(
        token_request
            .body
            .contains("audience=https%3A%2F%2Fapi.zscaler.com")
    );
}

#[tokio::test]
async fn a_static_token_that_is_refused_is_an_auth_error() {
    let sim = common::sim(1).await;
    let zpa = common::builder(&sim).token("not-a-token").build().unwrap();
    let error = zpa.connectors().list().page(1).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Auth {
                status: Some(401),
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(sim.requests().len(), 1, "a static token cannot be renewed");
}

#[test]
fn a_call_outside_a_tokio_runtime_is_an_error_not_a_panic() {
    let zpa = zpa::Client::builder()
        .base_url("http://127.0.0.1:9")
        .customer_id("1")
        .token("t")
        .build()
        .unwrap();
    let error = futures::executor::block_on(zpa.connectors().list().page(1)).unwrap_err();
    assert!(matches!(error, Error::NoRuntime), "{error:?}");
    let mut items = zpa.connectors().list().items();
    let first = futures::executor::block_on(items.try_next());
    assert!(matches!(first, Err(Error::NoRuntime)), "{first:?}");
}

#[tokio::test]
async fn a_refused_connection_is_reachable_as_an_io_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let zpa = zpa::Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .customer_id("1")
        .token("t")
        .retry(zpa::RetryPolicy::none())
        .build()
        .unwrap();
    let error = zpa.connectors().list().page(1).await.unwrap_err();
    assert!(error.is_retryable(), "{error:?}");
    let mut cause = std::error::Error::source(&error);
    let mut refused = false;
    while let Some(current) = cause {
        refused |= current
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::ConnectionRefused);
        cause = current.source();
    }
    assert!(refused, "no io::Error in the chain of {error:?}");
}
