//! What a service injects: its own HTTP client, its own token source,
//! deadlines, and requests to endpoints the crate does not wrap.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use zpa::{AccessToken, BoxFuture, Error, Method, TokenProvider};

#[tokio::test]
async fn requests_go_through_the_injected_http_client() {
    let sim = common::sim(5).await;
    // gzip off: the simulator's log shows whose client sent the request.
    let http = reqwest::Client::builder().no_gzip().build().unwrap();
    let zpa = common::builder(&sim)
        .token(sim.static_token())
        .http_client(http)
        .build()
        .unwrap();
    zpa.connectors().list().page(1).await.unwrap();
    let sent = sim.requests();
    let gzip =
        |r: &zpa_sim::LoggedRequest| r.accept_encoding.as_deref().unwrap_or("").contains("gzip");
    assert!(!sent.iter().any(gzip), "{sent:?}");

    let ours = common::client(&sim);
    ours.connectors().list().page(1).await.unwrap();
    assert!(gzip(sim.requests().last().unwrap()));

    let beside = common::builder(&sim)
        .token(sim.static_token())
        .http_client(reqwest::Client::new())
        .connect_timeout(Duration::from_secs(1))
        .build()
        .unwrap_err();
    assert_eq!(beside.input(), Some(zpa::Input::HttpClient), "{beside}");
}

/// Hands out a wrong token first, then the simulator's: as a vault would
/// after a rotation.
struct Rotating {
    tokens: [String; 2],
    asked: Arc<AtomicU32>,
}

impl TokenProvider for Rotating {
    fn token(&self) -> BoxFuture<'_, zpa::Result<AccessToken>> {
        Box::pin(async move {
            let n = self.asked.fetch_add(1, Ordering::SeqCst) as usize;
            Ok(AccessToken::new(self.tokens[n.min(1)].clone())
                .expires_in(Duration::from_secs(3600)))
        })
    }
}

#[tokio::test]
async fn a_token_provider_is_asked_again_after_a_401_and_shared_by_calls() {
    let sim = common::sim(5).await;
    let asked = Arc::new(AtomicU32::new(0));
    let zpa = common::builder(&sim)
        .token_provider(Rotating {
            tokens: ["revoked".to_owned(), sim.static_token().to_owned()],
            asked: asked.clone(),
        })
        .build()
        .unwrap();
    let (a, b) = tokio::join!(async { zpa.connectors().list().page(1).await }, async {
        zpa.approvals().list().page(1).await
    });
    a.unwrap();
    b.unwrap();
    zpa.connectors().list().page(1).await.unwrap();
    assert_eq!(
        asked.load(Ordering::SeqCst),
        2,
        "once, then once after the 401"
    );

    let both = common::builder(&sim)
        .token("t")
        .token_provider(Rotating {
            tokens: ["a".into(), "b".into()],
            asked,
        })
        .build()
        .unwrap_err();
    assert_eq!(both.input(), Some(zpa::Input::Credentials), "{both}");
}

#[tokio::test]
async fn a_deadline_bounds_the_whole_call_against_a_silent_server() {
    // Accepts connections and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let zpa = zpa::Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .customer_id("1")
        .token("t")
        .timeout(Duration::from_millis(400))
        .deadline(Duration::from_secs(1))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = zpa.connectors().list().page(1).await.unwrap_err();
    let took = started.elapsed();
    assert!(
        matches!(
            error,
            Error::Transport {
                timed_out: true,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.attempts().unwrap() >= 2, "{error:?}");
    assert!(took < Duration::from_millis(1500), "took {took:?}");
    silent.abort();
}

#[tokio::test]
async fn the_escape_hatch_sends_like_every_call() {
    let sim = common::sim(5).await;
    let zpa = common::client(&sim);
    let page: serde_json::Value = zpa
        .request(Method::GET, "/connector")
        .unwrap()
        .query("page", 1)
        .query("pagesize", 2)
        .send()
        .await
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(page["list"].as_array().unwrap().len(), 2);

    // A 404 is the same error as from a wrapped call.
    let missing = zpa
        .request(Method::GET, "/connector/1")
        .unwrap()
        .send()
        .await
        .unwrap_err();
    assert!(missing.is_not_found(), "{missing:?}");

    for bad in ["connector", "/connector?page=1", "/../x"] {
        let error = zpa.request(Method::GET, bad).unwrap_err();
        assert_eq!(error.input(), Some(zpa::Input::Request), "{bad}: {error}");
    }
}
