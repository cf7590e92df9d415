//! The requests the generated client puts on the wire for each write operation
//! (and a search), captured by a local HTTP server and snapshotted.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use serde::Serialize;
use serde_json::{Value, json};
use zpa_client::types::{ApprovalBody, BulkDelete, ConnectorUpdate, SortDirection};
use zpa_client::{Client, Hooks};

const CUSTOMER: &str = "217246660302995456";

#[derive(Debug, Serialize)]
struct Captured {
    method: String,
    path: String,
    query: Option<String>,
    content_type: Option<String>,
    body: Value,
}

struct Capture {
    base_url: String,
    requests: Arc<Mutex<Vec<Captured>>>,
    headers: Arc<Mutex<Vec<HeaderMap>>>,
}

impl Capture {
    async fn start() -> Capture {
        let requests = Arc::new(Mutex::new(Vec::new()));
        let headers = Arc::new(Mutex::new(Vec::new()));
        let (log, header_log) = (requests.clone(), headers.clone());
        let app = Router::new().fallback(
            move |method: Method, uri: Uri, map: HeaderMap, body: Bytes| {
                let (log, header_log) = (log.clone(), header_log.clone());
                async move {
                    let created = method == Method::POST && uri.path().ends_with("/approval");
                    log.lock().unwrap().push(Captured {
                        method: method.to_string(),
                        path: uri.path().to_owned(),
                        query: uri.query().map(str::to_owned),
                        content_type: map
                            .get("content-type")
                            .map(|v| v.to_str().unwrap().to_owned()),
                        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
                    });
                    header_log.lock().unwrap().push(map);
                    if created {
                        (StatusCode::CREATED, r#"{"id":"137629"}"#)
                    } else if method == Method::POST || method == Method::GET {
                        (StatusCode::OK, "{}")
                    } else {
                        (StatusCode::NO_CONTENT, "")
                    }
                }
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Capture {
            base_url,
            requests,
            headers,
        }
    }

    fn take(&self) -> Captured {
        let mut requests = self.requests.lock().unwrap();
        assert_eq!(requests.len(), 1, "expected exactly one request");
        requests.pop().unwrap()
    }
}

fn approval_body() -> ApprovalBody {
    serde_json::from_value(json!({
        "emailIds": ["email@safemarch.com"],
        "applications": [{"id": "145256180497776992"}],
        "startTime": 1684409727,
        "endTime": 1685619327,
        "workingHours": {
            "days": ["MON", "TUE", "WED", "THU", "FRI"],
            "startTime": "09:00",
            "endTime": "17:00",
            "timeZone": "Asia/Calcutta",
            "startTimeCron": "0 30 3 ? * MON,TUE,WED,THU,FRI",
            "endTimeCron": "0 30 11 ? * MON,TUE,WED,THU,FRI"
        }
    }))
    .unwrap()
}

#[tokio::test]
async fn write_operations_on_the_wire() {
    let server = Capture::start().await;
    let client = Client::new(&server.base_url, Hooks::default());

    client
        .update_connector()
        .customer_id(CUSTOMER)
        .connector_id("217246660303024871")
        .body(
            ConnectorUpdate::builder()
                .name(Some("Test_Connector".parse().unwrap()))
                .enabled(Some(false)),
        )
        .send()
        .await
        .unwrap();
    insta::assert_yaml_snapshot!("update_connector", server.take());

    client
        .delete_connector()
        .customer_id(CUSTOMER)
        .connector_id("217246660303024871")
        .microtenant_id("0")
        .send()
        .await
        .unwrap();
    insta::assert_yaml_snapshot!("delete_connector", server.take());

    client
        .bulk_delete_connectors()
        .customer_id(CUSTOMER)
        .body(BulkDelete::builder().ids(vec![
            "217246660303024723".parse().unwrap(),
            "217246660303024725".parse().unwrap(),
        ]))
        .send()
        .await
        .unwrap();
    insta::assert_yaml_snapshot!("bulk_delete_connectors", server.take());

    let created = client
        .create_approval()
        .customer_id(CUSTOMER)
        .microtenant_id("145260601092866314")
        .body(approval_body())
        .send()
        .await
        .unwrap();
    assert_eq!(created.status().as_u16(), 201);
    assert_eq!(created.id.as_str(), "137629");
    insta::assert_yaml_snapshot!("create_approval", server.take());

    client
        .update_approval()
        .customer_id(CUSTOMER)
        .id("50")
        .body(approval_body())
        .send()
        .await
        .unwrap();
    insta::assert_yaml_snapshot!("update_approval", server.take());

    client
        .delete_approval()
        .customer_id(CUSTOMER)
        .id("50")
        .send()
        .await
        .unwrap();
    insta::assert_yaml_snapshot!("delete_approval", server.take());

    let expired = client
        .delete_expired_approvals()
        .customer_id(CUSTOMER)
        .send()
        .await
        .unwrap();
    assert_eq!(expired.status().as_u16(), 204);
    insta::assert_yaml_snapshot!("delete_expired_approvals", server.take());

    for headers in server.headers.lock().unwrap().iter() {
        assert!(headers.get("api-version").is_none(), "{headers:?}");
    }
}

#[tokio::test]
async fn search_values_are_percent_encoded() {
    let server = Capture::start().await;
    let client = Client::new(&server.base_url, Hooks::default());
    client
        .list_approvals()
        .customer_id(CUSTOMER)
        .search("emailIds EQ a+b&c@example.com AND name EQ Ünïcode / x")
        .sort_by("status")
        .sortdir(SortDirection::Dsc)
        .page(2)
        .pagesize(500)
        .send()
        .await
        .unwrap();
    let request = server.take();
    assert_eq!(
        request.query.as_deref(),
        Some(
            "page=2&pagesize=500&search=emailIds%20EQ%20a%2Bb%26c%40example.com%20AND%20name%20EQ%20%C3%9Cn%C3%AFcode%20%2F%20x&sortBy=status&sortdir=DSC"
        )
    );
}
