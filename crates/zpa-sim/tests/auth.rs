mod common;

use std::time::Duration;

use common::{json, start, start_default};
use reqwest::Method;
use serde_json::{Value, json};
use zpa_sim::{RateLimit, SimConfig};

const TOO_MANY: &str = r#"{"exception":"invalid.toomanyrequests","id":"invalid.toomanyrequests","reason":"Exceeded the number of requests allowed."}"#;

#[tokio::test]
async fn both_sign_ins_issue_working_tokens() {
    let env = start_default().await;
    let base = env.sim.base_url();
    let response = env
        .http
        .post(format!("{base}/signin"))
        .form(&[
            ("client_id", env.sim.client_id()),
            ("client_secret", env.sim.client_secret()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let legacy = json(response).await;
    assert_eq!(legacy["token_type"], "Bearer");
    assert_eq!(legacy["expires_in"], "3600", "a string on /signin");

    let response = env
        .http
        .post(format!("{base}/oauth2/v1/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", env.sim.client_id()),
            ("client_secret", env.sim.client_secret()),
            ("audience", "https://api.zscaler.com"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let oneapi = json(response).await;
    assert_eq!(oneapi["expires_in"], 3600, "a number on OneAPI");
    assert_ne!(legacy["access_token"], oneapi["access_token"]);
    assert_eq!(env.sim.sign_in_count(), 2);

    for (token, base) in [
        (&legacy, env.sim.api_url()),
        (&oneapi, env.sim.oneapi_url()),
    ] {
        let response = env
            .http
            .get(format!("{base}/connector"))
            .bearer_auth(token["access_token"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
    }
}

#[tokio::test]
async fn wrong_credentials_and_tokens_are_refused() {
    let env = start_default().await;
    let base = env.sim.base_url();
    let response = env
        .http
        .post(format!("{base}/signin"))
        .form(&[
            ("client_id", env.sim.client_id()),
            ("client_secret", "wrong"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);
    assert_eq!(json(response).await["id"], "authentication.failed");

    let response = env
        .http
        .post(format!("{base}/oauth2/v1/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "someone"),
            ("client_secret", "else"),
            ("audience", "https://api.zscaler.com"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);
    assert_eq!(json(response).await["error"], "invalid_client");
    assert_eq!(env.sim.sign_in_count(), 0);

    let url = format!("{}/connector", env.sim.api_url());
    let response = env.http.get(&url).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 401);
    assert_eq!(
        response.headers()["content-type"],
        "application/json;charset=utf-8"
    );
    assert_eq!(json(response).await["id"], "authentication.failed");
    let response = env
        .http
        .get(&url)
        .bearer_auth("made-up")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);
    assert_eq!(json(response).await["reason"], "Invalid access token.");

    let (status, body) = env
        .get(&format!(
            "{base}/mgmtconfig/v1/admin/customers/123456789012345678/connector"
        ))
        .await;
    assert_eq!(status, 403);
    assert_eq!(body["id"], "customer.mismatch");
}

#[tokio::test]
async fn tokens_expire_and_a_new_sign_in_renews_them() {
    let env = start(SimConfig {
        token_ttl: Duration::from_secs(1),
        ..SimConfig::default()
    })
    .await;
    let url = format!(
        "{}/connector/{}",
        env.sim.api_url(),
        env.sim.connector_ids()[0]
    );
    let get = |token: String| {
        let request = env.http.get(&url).bearer_auth(token);
        async move { request.send().await.unwrap() }
    };

    let token = env.sign_in().await;
    assert_eq!(get(token.clone()).await.status().as_u16(), 200);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let response = get(token).await;
    assert_eq!(response.status().as_u16(), 401);
    let body = json(response).await;
    assert_eq!(
        body,
        json!({"id": "authentication.failed", "reason": "The access token has expired."})
    );

    let renewed = env.sign_in().await;
    assert_eq!(get(renewed.clone()).await.status().as_u16(), 200);
    env.sim.expire_tokens();
    assert_eq!(get(renewed).await.status().as_u16(), 401);
    assert_eq!(
        get(env.sim.static_token().to_owned())
            .await
            .status()
            .as_u16(),
        200,
        "the static token never expires"
    );
    assert_eq!(env.sim.sign_in_count(), 2);
}

#[tokio::test]
async fn rate_limits_answer_429_with_a_lowercase_retry_after() {
    let env = start(SimConfig {
        rate_limit: Some(RateLimit::zpa(Duration::from_secs(2))),
        ..SimConfig::default()
    })
    .await;
    let url = format!("{}/connector?pagesize=1", env.sim.api_url());
    for _ in 0..20 {
        assert_eq!(env.get(&url).await.0, 200);
    }
    let response = env.send(Method::GET, &url, None).await;
    assert_eq!(response.status().as_u16(), 429);
    let retry_after = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(retry_after == "1s" || retry_after == "2s", "{retry_after}");
    assert_eq!(
        response.headers()["content-type"],
        "application/json;charset=utf-8"
    );
    assert_eq!(response.text().await.unwrap(), TOO_MANY);

    // Another client has its own budget.
    let token = env.sign_in().await;
    let response = env.http.get(&url).bearer_auth(&token).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);

    // Writes have a separate budget of ten.
    let approval = format!("{}/approval/1", env.sim.api_url());
    for _ in 0..10 {
        assert_eq!(
            env.send(Method::DELETE, &approval, None)
                .await
                .status()
                .as_u16(),
            404
        );
    }
    let response = env.send(Method::DELETE, &approval, None).await;
    assert_eq!(response.status().as_u16(), 429);

    let wait: u64 = retry_after.trim_end_matches('s').parse().unwrap();
    tokio::time::sleep(Duration::from_secs(wait)).await;
    assert_eq!(env.get(&url).await.0, 200);
}

#[tokio::test]
async fn cors_lets_local_pages_call() {
    let env = start_default().await;
    let url = format!("{}/connector", env.sim.api_url());
    let response = env
        .http
        .request(Method::OPTIONS, &url)
        .header("origin", "http://localhost:5173")
        .header("access-control-request-method", "PUT")
        .header(
            "access-control-request-headers",
            "authorization,content-type",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let headers = response.headers();
    assert_eq!(
        headers["access-control-allow-origin"],
        "http://localhost:5173"
    );
    let methods = headers["access-control-allow-methods"].to_str().unwrap();
    for method in ["GET", "POST", "PUT", "DELETE", "OPTIONS"] {
        assert!(methods.contains(method), "{methods}");
    }
    let allowed = headers["access-control-allow-headers"].to_str().unwrap();
    assert!(allowed.contains("authorization") && allowed.contains("content-type"));

    let response = env
        .request(Method::GET, &url)
        .header("origin", "http://127.0.0.1:8080")
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        "http://127.0.0.1:8080"
    );
    assert_eq!(
        response.headers()["access-control-expose-headers"],
        "retry-after,x-ratelimit-limit,x-ratelimit-remaining,x-ratelimit-reset"
    );

    let response = env
        .request(Method::GET, &url)
        .header("origin", "https://evil.example.com")
        .send()
        .await
        .unwrap();
    assert!(
        response
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
}

#[tokio::test]
async fn unknown_paths_and_methods_get_zpa_errors() {
    let env = start_default().await;
    let (status, body) = env
        .get(&format!("{}/nothing/here", env.sim.base_url()))
        .await;
    assert_eq!(status, 404);
    assert_eq!(body["id"], "resource.not.found");
    let response = env
        .send(
            Method::PATCH,
            &format!("{}/connector", env.sim.api_url()),
            Some(Value::Null),
        )
        .await;
    assert_eq!(response.status().as_u16(), 405);
    assert_eq!(json(response).await["id"], "method.not.allowed");
}
