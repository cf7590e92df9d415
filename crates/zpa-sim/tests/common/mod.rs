#![allow(dead_code)] // each test file uses its own share of these helpers

use reqwest::{Method, Response};
use serde_json::Value;
use zpa_sim::{Sim, SimConfig};

pub struct Env {
    pub sim: Sim,
    pub http: reqwest::Client,
}

pub async fn start(config: SimConfig) -> Env {
    let sim = Sim::start(config).await.expect("simulator starts");
    // The wire as it is: no answer decompressed or Accept-Encoding added,
    // whatever reqwest features other crates of the workspace turn on.
    let http = reqwest::Client::builder()
        .no_gzip()
        .no_deflate()
        .no_brotli()
        .no_zstd()
        .build()
        .expect("a plain HTTP client");
    Env { sim, http }
}

pub async fn start_default() -> Env {
    start(SimConfig::default()).await
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

impl Env {
    /// Both API prefixes: legacy and OneAPI.
    pub fn bases(&self) -> [String; 2] {
        [self.sim.api_url(), self.sim.oneapi_url()]
    }

    pub fn request(&self, method: Method, url: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, url)
            .bearer_auth(self.sim.static_token())
    }

    pub async fn send(&self, method: Method, url: &str, body: Option<Value>) -> Response {
        let mut request = self.request(method, url);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("request is answered")
    }

    /// GET with the static token; returns the status and the JSON body.
    pub async fn get(&self, url: &str) -> (u16, Value) {
        let response = self.send(Method::GET, url, None).await;
        let status = response.status().as_u16();
        (status, json(response).await)
    }

    pub async fn list(&self, base: &str, query: &str) -> Value {
        let (status, body) = self.get(&format!("{base}/connector?{query}")).await;
        assert_eq!(status, 200, "{body}");
        body
    }

    /// Every connector, read 500 at a time.
    pub async fn all_connectors(&self) -> Vec<Value> {
        let mut all = Vec::new();
        for page in 1.. {
            let body = self
                .list(&self.sim.api_url(), &format!("page={page}&pagesize=500"))
                .await;
            match body.get("list").and_then(Value::as_array) {
                Some(list) => all.extend(list.iter().cloned()),
                None => break,
            }
        }
        all
    }

    pub async fn sign_in(&self) -> String {
        let response = self
            .http
            .post(format!("{}/signin", self.sim.base_url()))
            .form(&[
                ("client_id", self.sim.client_id()),
                ("client_secret", self.sim.client_secret()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        let body = json(response).await;
        body["access_token"].as_str().unwrap().to_owned()
    }
}

pub async fn json(response: Response) -> Value {
    let text = response.text().await.expect("body is read");
    if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
    }
}

pub fn ids(list: &Value) -> Vec<String> {
    list["list"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| i["id"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// A valid approval body in the request form: numbers as numbers.
pub fn approval_body(app: &str, start: i64, end: i64) -> Value {
    serde_json::json!({
        "emailIds": ["new.user@example.com"],
        "applications": [{"id": app}],
        "startTime": start,
        "endTime": end,
    })
}
