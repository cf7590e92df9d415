mod common;

use std::time::Duration;

use common::{approval_body, json, now, start, start_default};
use reqwest::Method;
use zpa_sim::{Fault, SimConfig};

#[tokio::test]
async fn status_faults_answer_then_step_aside() {
    let env = start_default().await;
    let url = format!("{}/connector", env.sim.api_url());
    env.sim.inject(
        Fault::status(Method::GET, "/connector", 503)
            .times(2)
            .retry_after("3s"),
    );
    for _ in 0..2 {
        let response = env.send(Method::GET, &url, None).await;
        assert_eq!(response.status().as_u16(), 503);
        assert_eq!(response.headers()["retry-after"], "3s");
        assert_eq!(json(response).await["id"], "simulated.fault");
    }
    assert_eq!(env.get(&url).await.0, 200);

    env.sim.inject(
        Fault::status(Method::GET, "/connector", 502)
            .body("<html>Bad Gateway</html>")
            .content_type("text/html"),
    );
    let response = env.send(Method::GET, &url, None).await;
    assert_eq!(response.status().as_u16(), 502);
    assert_eq!(response.headers()["content-type"], "text/html");
    assert_eq!(response.text().await.unwrap(), "<html>Bad Gateway</html>");

    env.sim
        .inject(Fault::status(Method::GET, "/connector", 429));
    let response = env.send(Method::GET, &url, None).await;
    assert_eq!(response.status().as_u16(), 429);
    assert_eq!(response.headers()["retry-after"], "1s");
    assert_eq!(json(response).await["id"], "invalid.toomanyrequests");

    // A fault on one path leaves the others alone.
    env.sim.inject(Fault::status(Method::GET, "/approval", 500));
    assert_eq!(env.get(&url).await.0, 200);
}

#[tokio::test]
async fn delay_faults_stall_then_answer() {
    let env = start_default().await;
    let url = format!("{}/connector", env.sim.api_url());
    env.sim.inject(Fault::delay(
        Method::GET,
        "/connector",
        Duration::from_millis(400),
    ));
    let error = env
        .request(Method::GET, &url)
        .timeout(Duration::from_millis(100))
        .send()
        .await
        .unwrap_err();
    assert!(error.is_timeout());
    env.sim.inject(Fault::delay(
        Method::GET,
        "/connector",
        Duration::from_millis(50),
    ));
    assert_eq!(env.get(&url).await.0, 200);
}

#[tokio::test]
async fn truncated_bodies_break_mid_json() {
    let env = start_default().await;
    let url = format!("{}/connector?pagesize=50", env.sim.api_url());
    env.sim
        .inject(Fault::truncated_body(Method::GET, "/connector"));
    let response = env.send(Method::GET, &url, None).await;
    assert_eq!(response.status().as_u16(), 200);
    let declared: usize = response.headers()["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(declared > 1000);
    assert!(response.bytes().await.is_err(), "the body ends early");
    assert_eq!(env.get(&url).await.0, 200, "the next request is whole");
}

#[tokio::test]
async fn dropped_connections_get_no_answer() {
    let env = start_default().await;
    let url = format!("{}/connector", env.sim.api_url());
    env.sim
        .inject(Fault::drop_connection(Method::GET, "/connector"));
    let error = env.send_err(&url).await;
    assert!(!error.is_timeout() && !error.is_status(), "{error:?}");
    assert_eq!(env.get(&url).await.0, 200);
    let log = env.sim.requests();
    assert_eq!(log.len(), 2);
    assert_eq!(
        log[0].status, 0,
        "dropped requests are logged without a status"
    );
    assert_eq!(log[1].status, 200);
}

trait SendErr {
    async fn send_err(&self, url: &str) -> reqwest::Error;
}

impl SendErr for common::Env {
    async fn send_err(&self, url: &str) -> reqwest::Error {
        self.request(Method::GET, url).send().await.unwrap_err()
    }
}

#[tokio::test]
async fn applied_faults_show_whether_a_write_happened() {
    let env = start_default().await;
    let url = format!("{}/approval", env.sim.api_url());
    let app = env.sim.application_ids()[0].clone();
    let now = now();
    let before = env.sim.approval_ids().len();

    env.sim
        .inject(Fault::status(Method::POST, "/approval", 500).applied());
    let response = env
        .send(Method::POST, &url, Some(approval_body(&app, now, now + 60)))
        .await;
    assert_eq!(response.status().as_u16(), 500);
    assert_eq!(
        env.sim.approval_ids().len(),
        before + 1,
        "the create happened"
    );

    env.sim
        .inject(Fault::drop_connection(Method::POST, "/approval").applied());
    let result = env
        .request(Method::POST, &url)
        .json(&approval_body(&app, now, now + 60))
        .send()
        .await;
    assert!(result.is_err());
    assert_eq!(env.sim.approval_ids().len(), before + 2);

    env.sim
        .inject(Fault::drop_connection(Method::POST, "/approval"));
    let result = env
        .request(Method::POST, &url)
        .json(&approval_body(&app, now, now + 60))
        .send()
        .await;
    assert!(result.is_err());
    assert_eq!(env.sim.approval_ids().len(), before + 2, "not applied");
}

#[tokio::test]
async fn the_request_log_never_holds_tokens_or_secrets() {
    let env = start_default().await;
    let token = env.sign_in().await;
    let url = format!(
        "{}/connector?search=name%20EQ%20a+b&page=2",
        env.sim.oneapi_url()
    );
    let response = env.http.get(&url).bearer_auth(&token).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let id = env.sim.connector_ids()[0].clone();
    env.send(
        Method::PUT,
        &format!("{}/connector/{id}", env.sim.api_url()),
        Some(serde_json::json!({"enabled": true})),
    )
    .await;

    let log = env.sim.requests();
    assert_eq!(log.len(), 3);
    assert_eq!(log[0].method, "POST");
    assert_eq!(log[0].path, "/signin");
    assert_eq!(
        log[0].body,
        "client_id=zpa-sim-client&client_secret=REDACTED"
    );
    assert_eq!(log[0].status, 200);
    assert_eq!(log[1].method, "GET");
    assert_eq!(
        log[1].path,
        format!(
            "/zpa/mgmtconfig/v1/admin/customers/{}/connector",
            env.sim.customer_id()
        )
    );
    assert_eq!(
        log[1].query.as_deref(),
        Some("search=name%20EQ%20a+b&page=2")
    );
    assert_eq!(log[1].body, "");
    assert_eq!(log[2].method, "PUT");
    assert_eq!(log[2].body, r#"{"enabled":true}"#);
    assert_eq!(log[2].query, None);
    let everything = format!("{log:?}");
    assert!(!everything.contains(&token));
    assert!(!everything.contains(env.sim.static_token()));
    assert!(!everything.contains(env.sim.client_secret()));

    env.sim.clear_log();
    assert!(env.sim.requests().is_empty());
}

#[tokio::test]
async fn command_line_failure_rate_and_latency() {
    let env = start(SimConfig {
        fail_rate: 1.0,
        latency: Duration::from_millis(10),
        ..SimConfig::default()
    })
    .await;
    let (status, body) = env.get(&format!("{}/connector", env.sim.api_url())).await;
    assert_eq!(status, 503);
    assert_eq!(body["id"], "service.unavailable");

    let env = start(SimConfig {
        fail_rate: 0.0,
        latency: Duration::from_millis(10),
        ..SimConfig::default()
    })
    .await;
    assert_eq!(
        env.get(&format!("{}/connector", env.sim.api_url())).await.0,
        200
    );
}

#[tokio::test]
async fn the_log_is_served_over_http_without_itself() {
    let sim = zpa_sim::Sim::start(zpa_sim::SimConfig {
        connectors: 3,
        ..Default::default()
    })
    .await
    .unwrap();
    let http = reqwest::Client::new();
    let url = format!("{}/connector", sim.api_url());
    http.get(&url)
        .bearer_auth(sim.static_token())
        .send()
        .await
        .unwrap();
    let log: serde_json::Value = http
        .get(format!("{}/_sim/requests", sim.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let entries = log.as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["method"], "GET");
    assert_eq!(entries[0]["status"], 200);
    assert!(entries[0]["path"].as_str().unwrap().ends_with("/connector"));
    let cleared = http
        .delete(format!("{}/_sim/requests", sim.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(cleared.status(), 204);
    assert!(sim.requests().is_empty());
}
