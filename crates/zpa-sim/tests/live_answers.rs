//! What the live API was recorded answering (zscaler-sdk-python's
//! cassettes, tests/integration/zpa/cassettes), answered the same way:
//! the SDK's `name+EQ+value` search, OneAPI's gateway 401 before routing,
//! the JSON content type, and OneAPI's rate-limit headers on every answer.

mod common;

use common::{json, start_default};
use reqwest::Method;

#[tokio::test]
async fn the_python_sdks_plus_search_finds_the_exact_matches() {
    let env = start_default().await;
    for base in env.bases() {
        for (path, name) in [
            ("application", "Grafana+Prometheus"),
            ("application", "SSH Jump / Bastion"),
            ("connector", "Azure Connector-2"),
        ] {
            // What `requests` sends for the SDK's `name+EQ+<name>`: the pluses
            // it wrote as %2B, the value's spaces as `+`.
            let value: String = name
                .replace('+', "%2B")
                .replace('/', "%2F")
                .replace(' ', "+");
            let (status, body) = env
                .get(&format!("{base}/{path}?search=name%2BEQ%2B{value}"))
                .await;
            assert_eq!(status, 200, "{path} {name}: {body}");
            let names: Vec<&str> = body["list"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["name"].as_str().unwrap())
                .collect();
            assert_eq!(names, [name], "{path}");
        }
    }
    // Written as documented, a plus sign stays the value's own.
    let (_, body) = env
        .get(&format!(
            "{}/application?search=name%20EQ%20Grafana%2BPrometheus",
            env.sim.api_url()
        ))
        .await;
    assert_eq!(body["list"][0]["name"], "Grafana+Prometheus");
}

#[tokio::test]
async fn oneapi_refuses_a_request_without_a_token_before_routing_it() {
    let env = start_default().await;
    let recorded = "{\n \"detail\": \"unauthorized\",\n \"type\": \"\",\n \"title\": \"\",\n \"status\": \"\"\n}";
    for path in ["/connector", "/no/such/path"] {
        let url = format!("{}{path}", env.sim.oneapi_url());
        for token in [None, Some("not-a-token")] {
            let mut request = env.http.get(&url);
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            let response = request.send().await.unwrap();
            assert_eq!(response.status().as_u16(), 401, "{path}");
            assert_eq!(response.headers()["content-type"], "application/json");
            assert!(response.headers().get("x-ratelimit-limit").is_none());
            assert_eq!(response.text().await.unwrap(), recorded);
        }
    }
    // The legacy API keeps its own refusal, and routes first.
    let response = env
        .http
        .get(format!("{}/connector", env.sim.api_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(json(response).await["id"], "authentication.failed");
}

#[tokio::test]
async fn oneapi_answers_carry_the_advertised_budget_and_json_with_its_charset() {
    let env = start_default().await;
    let oneapi = env
        .send(
            Method::GET,
            &format!("{}/connector", env.sim.oneapi_url()),
            None,
        )
        .await;
    assert_eq!(
        oneapi.headers()["content-type"],
        "application/json;charset=utf-8"
    );
    assert_eq!(oneapi.headers()["x-ratelimit-limit"], "5000, 5000;w=60");
    assert_eq!(oneapi.headers()["x-ratelimit-remaining"], "4999");
    let legacy = env
        .send(
            Method::GET,
            &format!("{}/connector", env.sim.api_url()),
            None,
        )
        .await;
    assert_eq!(
        legacy.headers()["content-type"],
        "application/json;charset=utf-8"
    );
    assert!(legacy.headers().get("x-ratelimit-limit").is_none());
}
