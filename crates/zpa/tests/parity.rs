//! What users moving from the official SDKs expect: lookups by name and
//! email, and merged duplicate GETs.

mod common;

use std::time::{Duration, Instant};

use futures::StreamExt;
use zpa::{ConnectorUpdate, Error};
use zpa_sim::{Sim, SimConfig};

#[tokio::test]
async fn twenty_identical_concurrent_gets_send_one_request() {
    let sim = common::sim(10).await;
    let zpa = common::client(&sim);
    let id = sim.connector_ids()[3].clone();
    let gets = (0..20).map(|_| {
        let zpa = zpa.clone();
        let id = id.clone();
        tokio::spawn(async move { zpa.connectors().get(&id).await })
    });
    let answers: Vec<_> = futures::future::join_all(gets)
        .await
        .into_iter()
        .map(|r| r.unwrap().unwrap())
        .collect();
    assert!(answers.iter().all(|c| c.id.as_str() == id));
    assert_eq!(common::logged(&sim, "GET", &id).len(), 1);

    // Nothing is kept once the answer is in: the next GET goes to the server.
    zpa.connectors()
        .update(
            &common::writable_connectors(&sim)[0],
            &ConnectorUpdate::new().name("x"),
        )
        .await
        .unwrap();
    zpa.connectors().get(&id).await.unwrap();
    assert_eq!(common::logged(&sim, "GET", &id).len(), 2);
}

/// Sockets open in this process: the simulator's ends and the client's.
fn open_sockets() -> usize {
    std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .filter_map(|entry| std::fs::read_link(entry.ok()?.path()).ok())
        .filter(|target| target.to_string_lossy().starts_with("socket:"))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_dropped_mid_prefetch_leaves_no_request_to_join() {
    let sim = Sim::start(SimConfig {
        connectors: 30,
        latency: Duration::from_millis(200),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    // No idle connections kept: a connection that was still being opened
    // when its request was dropped would otherwise wait in the pool, with
    // its task and two sockets, for a request that may reuse it.
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let zpa = common::builder(&sim)
        .token(sim.static_token())
        .http_client(http)
        .build()
        .unwrap();
    let list = || zpa.connectors().list().page_size(10);
    list().page(1).await.unwrap();
    let metrics = tokio::runtime::Handle::current().metrics();
    let (tasks, sockets) = (metrics.num_alive_tasks(), open_sockets());

    // Page 1 in, page 2 on its way, and the stream dropped: take(n), an
    // early break or a select! do the same.
    for _ in 0..20 {
        let mut items = list().items();
        items.next().await.unwrap().unwrap();
    }
    // By now the server has answered the dropped requests, with the data
    // as it was; then the data changes.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = sim.connector_ids();
    sim.insert_connector_first();
    let after = sim.connector_ids();
    assert_ne!(before[10..20], after[10..20]);
    let page = list().page(2).await.unwrap();
    let ids: Vec<_> = page.items.iter().map(|c| c.id.to_string()).collect();
    assert_eq!(ids, after[10..20], "page 2 as it is now, not as it was");

    let deadline = Instant::now() + Duration::from_secs(10);
    while metrics.num_alive_tasks() > tasks || open_sockets() > sockets {
        assert!(
            Instant::now() < deadline,
            "{} tasks (from {tasks}) and {} sockets (from {sockets}) still open",
            metrics.num_alive_tasks(),
            open_sockets()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_shared_failure_reaches_every_caller() {
    let sim = common::sim(3).await;
    let zpa = common::client(&sim);
    let gets = (0..5).map(|_| {
        let zpa = zpa.clone();
        tokio::spawn(async move { zpa.connectors().get("1").await })
    });
    for result in futures::future::join_all(gets).await {
        assert_eq!(result.unwrap().unwrap_err().status(), Some(404));
    }
    assert_eq!(common::logged(&sim, "GET", "/connector/1").len(), 1);
}

#[tokio::test]
async fn by_name_finds_exact_names_with_any_characters() {
    let sim = common::sim(50).await;
    let zpa = common::client(&sim);
    let ids = common::writable_connectors(&sim);
    let tricky = "Edge \"West\" & Co + Ünïcødé / 東京 7";
    zpa.connectors()
        .update(&ids[0], &ConnectorUpdate::new().name(tricky))
        .await
        .unwrap();
    zpa.connectors()
        .update(
            &ids[1],
            &ConnectorUpdate::new().name("Edge \"West\" & Co + Ünïcødé / 東京 70"),
        )
        .await
        .unwrap();
    sim.clear_log();

    let found = zpa.connectors().by_name(tricky).await.unwrap();
    assert_eq!(found.id.as_str(), ids[0]);
    let query = sim.requests()[0].query.clone().unwrap();
    assert!(
        query.contains("search=name%20EQ%20Edge%20%22West%22%20%26%20Co%20%2B%20%C3%9Cn%C3%AFc%C3%B8d%C3%A9%20%2F%20%E6%9D%B1%E4%BA%AC%207"),
        "{query}"
    );

    let error = zpa
        .connectors()
        .by_name("no such connector")
        .await
        .unwrap_err();
    assert!(matches!(error, Error::NotFound { .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        "no connector named \"no such connector\""
    );

    zpa.connectors()
        .update(&ids[2], &ConnectorUpdate::new().name(tricky))
        .await
        .unwrap();
    let error = zpa.connectors().by_name(tricky).await.unwrap_err();
    match &error {
        Error::Ambiguous { candidates, .. } => {
            let found: Vec<&str> = candidates.iter().map(|c| c.id.as_str()).collect();
            assert_eq!(found, [ids[0].as_str(), ids[2].as_str()]);
            // Writable connectors live in Default, which the error names.
            assert!(candidates.iter().all(|c| c.microtenant_id.is_none()));
            assert!(
                error.to_string().ends_with(
                    "(Default microtenant); name one by id, or scope the client to its microtenant"
                ),
                "{error}"
            );
        }
        other => panic!("expected Ambiguous, got {other:?}"),
    }
}

#[tokio::test]
async fn by_name_falls_back_to_listing_for_names_search_cannot_carry() {
    let sim = common::sim(30).await;
    let zpa = common::client(&sim);
    let id = common::writable_connectors(&sim).remove(0);
    let name = "Rack A AND Rack B";
    zpa.connectors()
        .update(&id, &ConnectorUpdate::new().name(name))
        .await
        .unwrap();
    sim.clear_log();
    assert_eq!(
        zpa.connectors().by_name(name).await.unwrap().id.as_str(),
        id
    );
    assert!(
        sim.requests()
            .iter()
            .all(|r| !r.query.clone().unwrap_or_default().contains("search="))
    );
}

#[tokio::test]
async fn by_email_keeps_exact_matches() {
    let sim = common::sim(1).await;
    let zpa = common::client(&sim);
    let any: Vec<_> = zpa.approvals().list().page(1).await.unwrap().items;
    let email = any[0].email_ids[0].clone();
    let approvals = zpa.approvals().by_email(&email).await.unwrap();
    assert!(!approvals.is_empty());
    assert!(
        approvals
            .iter()
            .all(|a| a.email_ids.iter().any(|e| e.eq_ignore_ascii_case(&email)))
    );
    let error = zpa
        .approvals()
        .by_email("nobody@example.com")
        .await
        .unwrap_err();
    assert_eq!(error.to_string(), "no approval for \"nobody@example.com\"");
}

/// A forward proxy on 127.0.0.1 that relays each connection to the target
/// its first request names, recording that request's head.
async fn forward_proxy() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let heads = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = heads.clone();
    tokio::spawn(async move {
        loop {
            let (mut client, _) = listener.accept().await.unwrap();
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut buffer = vec![0; 64 * 1024];
                let n = client.read(&mut buffer).await.unwrap();
                let head = String::from_utf8_lossy(&buffer[..n]).into_owned();
                let target = head.split_whitespace().nth(1).unwrap().to_owned();
                let authority = target
                    .trim_start_matches("http://")
                    .split('/')
                    .next()
                    .unwrap()
                    .to_owned();
                seen.lock().unwrap().push(head);
                let mut server = tokio::net::TcpStream::connect(authority).await.unwrap();
                server.write_all(&buffer[..n]).await.unwrap();
                let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
            });
        }
    });
    (url, heads)
}

#[tokio::test]
async fn a_listing_goes_through_an_explicit_proxy_with_credentials() {
    let sim = common::sim(40).await;
    let (proxy, heads) = forward_proxy().await;
    let with_credentials = proxy.replace("http://", "http://zpa:proxy-s3cret@");
    let builder = common::builder(&sim)
        .token(sim.static_token())
        .proxy(with_credentials.as_str());
    assert!(!format!("{builder:?}").contains("proxy-s3cret"));
    let zpa = builder.build().unwrap();
    let page = zpa.connectors().list().page_size(10).page(2).await.unwrap();
    assert_eq!(page.items.len(), 10);
    let heads = heads.lock().unwrap().clone();
    assert!(!heads.is_empty(), "the request went through the proxy");
    assert!(
        heads[0].starts_with(&format!(
            "GET {}/mgmtconfig/v1/admin/customers/",
            sim.base_url()
        )),
        "{}",
        heads[0]
    );
    assert!(
        heads[0].contains("proxy-authorization: Basic enBhOnByb3h5LXMzY3JldA=="),
        "{}",
        heads[0]
    );
    assert_eq!(sim.requests().len(), 1);
}

#[tokio::test]
async fn proxy_credentials_never_show_in_errors() {
    let sim = common::sim(1).await;
    let dead = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap();
    let zpa = common::builder(&sim)
        .token(sim.static_token())
        .proxy(format!("http://zpa:proxy-s3cret@{dead}"))
        .build()
        .unwrap();
    let error = zpa.connectors().list().page(1).await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert!(!format!("{error} {error:?}").contains("proxy-s3cret"));
    let bad = common::builder(&sim)
        .token("t")
        .proxy("ftp://zpa:proxy-s3cret@host:21")
        .build()
        .unwrap_err();
    assert_eq!(
        bad.to_string(),
        "invalid proxy: ftp://host:21 is not an http or https proxy"
    );
}

fn key_file(name: &str) -> String {
    format!(
        "{}/../../tests/fixtures/jwt/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

async fn sim_trusting_the_test_key() -> zpa_sim::Sim {
    zpa_sim::Sim::start(zpa_sim::SimConfig {
        connectors: 5,
        assertion_public_key: Some(
            std::fs::read_to_string(key_file("client-key.pub.pem")).unwrap(),
        ),
        ..Default::default()
    })
    .await
    .unwrap()
}

fn key_client(sim: &zpa_sim::Sim, token_url: String, key: &str) -> zpa::Result<zpa::Client> {
    zpa::Client::builder()
        .base_url(format!("{}/zpa", sim.base_url()))
        .token_url(token_url)
        .customer_id(sim.customer_id())
        .private_key(sim.client_id(), key)
        .no_rate_limit()
        .build()
}

#[tokio::test]
async fn private_key_sign_in_sends_a_fresh_assertion_each_time() {
    let sim = sim_trusting_the_test_key().await;
    let token_url = format!("{}/oauth2/v1/token", sim.base_url());
    let pem = std::fs::read_to_string(key_file("client-key.pem")).unwrap();
    // The key as PEM text, as the path of a file, and in PKCS#1 form.
    let pkcs1 = key_file("client-key.pkcs1.pem");
    for key in [pem.as_str(), &key_file("client-key.pem"), &pkcs1] {
        let zpa = key_client(&sim, token_url.clone(), key).unwrap();
        assert_eq!(
            zpa.connectors().list().page(1).await.unwrap().items.len(),
            5
        );
    }
    sim.expire_tokens();
    let zpa = key_client(&sim, token_url, &pem).unwrap();
    zpa.connectors().list().page(1).await.unwrap();
    assert_eq!(
        sim.sign_in_count(),
        4,
        "each sign-in used a new assertion (a repeated jti is refused)"
    );
    let body = &sim
        .requests()
        .into_iter()
        .find(|r| r.path == "/oauth2/v1/token")
        .unwrap()
        .body;
    assert!(
        body.contains(
            "client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
        ),
        "{body}"
    );
    assert!(!body.contains("client_secret"));
}

#[tokio::test]
async fn a_key_the_server_does_not_trust_and_a_wrong_audience_are_clear_errors() {
    let sim = sim_trusting_the_test_key().await;
    let token_url = format!("{}/oauth2/v1/token", sim.base_url());
    let untrusted = key_client(&sim, token_url.clone(), &key_file("other-key.pem")).unwrap();
    let error = untrusted.connectors().list().page(1).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "authentication failed: 401 The client assertion's signature does not verify with the client's public key."
    );
    let elsewhere = token_url.replace("127.0.0.1", "localhost");
    let wrong_audience = key_client(&sim, elsewhere, &key_file("client-key.pem")).unwrap();
    let error = wrong_audience
        .connectors()
        .list()
        .page(1)
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("authentication failed: 401 The client assertion's audience must be {token_url}.")
    );
    let error = key_client(
        &sim,
        token_url.clone(),
        "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----",
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid private key: not an RSA private key in PEM form"
    );
    let error = key_client(&sim, token_url, "/no/such/key.pem").unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("invalid private key: neither PEM text nor a readable file"),
        "{error}"
    );
}

#[tokio::test]
async fn expired_and_replayed_assertions_are_refused() {
    use jsonwebtoken::{Algorithm, EncodingKey, Header};
    let sim = sim_trusting_the_test_key().await;
    let token_url = format!("{}/oauth2/v1/token", sim.base_url());
    let key = EncodingKey::from_rsa_pem(
        std::fs::read(key_file("client-key.pem"))
            .unwrap()
            .as_slice(),
    )
    .unwrap();
    let now = common::now();
    let assertion = |exp: i64, jti: &str| {
        let claims = serde_json::json!({"iss": sim.client_id(), "sub": sim.client_id(), "aud": token_url, "iat": now - 600, "exp": exp, "jti": jti});
        jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims, &key).unwrap()
    };
    let sign_in = |assertion: String| {
        let form = [
            ("grant_type", "client_credentials".to_owned()),
            ("client_id", sim.client_id().to_owned()),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer".to_owned(),
            ),
            ("client_assertion", assertion),
            ("audience", "https://api.zscaler.com".to_owned()),
        ];
        let url = token_url.clone();
        async move {
            let response = reqwest::Client::new()
                .post(url)
                .form(&form)
                .send()
                .await
                .unwrap();
            (
                response.status().as_u16(),
                response.json::<serde_json::Value>().await.unwrap(),
            )
        }
    };
    let (status, body) = sign_in(assertion(now - 1, "a")).await;
    assert_eq!(
        (status, body["error_description"].as_str()),
        (401, Some("The client assertion has expired."))
    );
    assert_eq!(sign_in(assertion(now + 300, "b")).await.0, 200);
    let (status, body) = sign_in(assertion(now + 300, "b")).await;
    assert_eq!(
        (status, body["error_description"].as_str()),
        (
            401,
            Some("The client assertion was already used (its jti repeats).")
        )
    );
}
