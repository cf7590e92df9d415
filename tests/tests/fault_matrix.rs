//! Every fault the simulator can inject, against every kind of call, over
//! real HTTP: what the client did (succeeded after retrying, or a typed
//! error) and how many times the request was sent, as the simulator's log
//! saw it. The table is RELIABILITY.md's; this test checks both agree.

use std::time::Duration;

use http::Method;
use zpa::{ApprovalRequest, Client, ConnectorUpdate, Error, RetryPolicy};
use zpa_sim::{Fault, FaultAction, Sim, SimConfig};

#[derive(Clone, Copy, PartialEq)]
enum Call {
    List,
    Get,
    Update,
    Delete,
    CreateApproval,
    BulkDelete,
    DeleteExpired,
}

const CALLS: [Call; 7] = [
    Call::List,
    Call::Get,
    Call::Update,
    Call::Delete,
    Call::CreateApproval,
    Call::BulkDelete,
    Call::DeleteExpired,
];

impl Call {
    fn title(self) -> &'static str {
        match self {
            Call::List => "list",
            Call::Get => "get",
            Call::Update => "update",
            Call::Delete => "delete",
            Call::CreateApproval => "create approval",
            Call::BulkDelete => "bulk delete",
            Call::DeleteExpired => "delete expired",
        }
    }

    fn method(self) -> Method {
        match self {
            Call::List | Call::Get => Method::GET,
            Call::Update => Method::PUT,
            Call::Delete | Call::DeleteExpired => Method::DELETE,
            Call::CreateApproval | Call::BulkDelete => Method::POST,
        }
    }

    /// A success answer with the wrong content type, for the content-type row.
    fn plain_success(self) -> (u16, &'static str) {
        match self {
            Call::List => (200, r#"{"totalPages":"1","list":[{"id":"1","name":"x"}]}"#),
            Call::Get => (200, r#"{"id":"1","name":"x"}"#),
            Call::CreateApproval => (201, r#"{"id":"9"}"#),
            Call::BulkDelete => (200, ""),
            Call::Update | Call::Delete | Call::DeleteExpired => (204, ""),
        }
    }
}

#[derive(Clone, Copy)]
enum Kind {
    RetryAfterSeconds,
    RetryAfterNumber,
    Status(u16),
    Reset,
    Stall,
    Truncated,
    InvalidJson,
    HtmlPage,
    ExpiredToken,
    WrongContentType,
    ConcurrentChange,
    EditLock,
    SimultaneousRequest,
    AccessBlocked,
}

const FAULTS: [(Kind, &str); 17] = [
    (Kind::RetryAfterSeconds, "429, `retry-after: 1s`"),
    (Kind::RetryAfterNumber, "429, `retry-after: 1`"),
    (Kind::Status(500), "500"),
    (Kind::Status(502), "502"),
    (Kind::Status(503), "503"),
    (Kind::Status(504), "504"),
    (Kind::Reset, "connection reset"),
    (Kind::Stall, "stall past the timeout"),
    (Kind::Truncated, "truncated body"),
    (Kind::InvalidJson, "invalid JSON, 200"),
    (Kind::HtmlPage, "HTML error page, 200"),
    (Kind::ExpiredToken, "401, expired token"),
    (Kind::WrongContentType, "wrong content type"),
    (Kind::ConcurrentChange, "409 `api.concurrent.access.error`"),
    (Kind::EditLock, "412 edit lock"),
    (Kind::SimultaneousRequest, "400 `db.simultaneous.request`"),
    (Kind::AccessBlocked, "401 `Resource Access Blocked`"),
];

struct Target {
    sim: Sim,
    connector: String,
    others: Vec<String>,
    app: String,
}

impl Target {
    async fn start() -> Target {
        let sim = Sim::start(SimConfig {
            connectors: 30,
            ..SimConfig::default()
        })
        .await
        .unwrap();
        let decoys = sim.deception_connector_ids();
        let mut writable: Vec<String> = sim
            .connector_microtenants()
            .into_iter()
            .filter(|(id, tenant)| tenant == "0" && !decoys.contains(id))
            .map(|(id, _)| id)
            .collect();
        let connector = writable.remove(0);
        let app = sim.application_ids()[0].clone();
        Target {
            sim,
            connector,
            others: writable[..2].to_vec(),
            app,
        }
    }

    fn path(&self, call: Call) -> String {
        match call {
            Call::List => "/connector".into(),
            Call::Get | Call::Update | Call::Delete => format!("/connector/{}", self.connector),
            Call::CreateApproval => "/approval".into(),
            Call::BulkDelete => "/connector/bulkDelete".into(),
            Call::DeleteExpired => "/approval/expired".into(),
        }
    }

    fn client(&self, signing_in: bool) -> Client {
        let builder = Client::builder()
            .base_url(self.sim.base_url())
            .customer_id(self.sim.customer_id())
            .no_rate_limit()
            .timeout(Duration::from_millis(700))
            .retry(RetryPolicy {
                max_attempts: 3,
                max_wait: Duration::from_secs(10),
                base_delay: Duration::from_millis(10),
                max_delay: Duration::from_millis(20),
            });
        let builder = if signing_in {
            builder.client_credentials(self.sim.client_id(), self.sim.client_secret())
        } else {
            builder.token(self.sim.static_token())
        };
        builder.build().unwrap()
    }

    async fn call(&self, zpa: &Client, call: Call) -> Result<(), Error> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        match call {
            Call::List => zpa.connectors().list().page(1).await.map(drop),
            Call::Get => zpa.connectors().get(&self.connector).await.map(drop),
            Call::Update => {
                zpa.connectors()
                    .update(&self.connector, &ConnectorUpdate::new().enabled(false))
                    .await
            }
            Call::Delete => zpa.connectors().delete(&self.connector).await,
            Call::CreateApproval => {
                let request = ApprovalRequest::new(
                    "a@example.com",
                    [self.app.clone()],
                    now + 60,
                    now + 3_600,
                );
                zpa.approvals().create(&request).await.map(drop)
            }
            Call::BulkDelete => zpa.connectors().bulk_delete(&self.others).await,
            // One request, in one microtenant: an unscoped client's fan-out
            // over the microtenants is the operations tests' concern.
            Call::DeleteExpired => {
                let default = zpa.microtenant("0")?;
                default.approvals().delete_expired().await.map(drop)
            }
        }
    }
}

fn fault(kind: Kind, call: Call, path: String) -> Option<Fault> {
    let method = call.method();
    let status = |code: u16| Fault::status(method.clone(), path.clone(), code);
    // A POST's fault comes after the server applied it: the log then proves
    // the client did not send it again.
    let posted = |fault: Fault| {
        if method == Method::POST {
            fault.applied()
        } else {
            fault
        }
    };
    Some(match kind {
        Kind::RetryAfterSeconds => status(429).retry_after("1s"),
        Kind::RetryAfterNumber => status(429).retry_after("1"),
        Kind::Status(code) => posted(status(code)),
        Kind::Reset => posted(Fault::drop_connection(method.clone(), path)),
        Kind::Stall => Fault::delay(method.clone(), path, Duration::from_millis(1_500)),
        Kind::Truncated => Fault::truncated_body(method.clone(), path),
        Kind::InvalidJson => status(200)
            .body("{\"list\": [{\"id\": ")
            .content_type("application/json"),
        Kind::HtmlPage => status(200)
            .body("<html><body><h1>502 Bad Gateway</h1></body></html>")
            .content_type("text/html"),
        Kind::ExpiredToken => return None,
        Kind::ConcurrentChange => Fault::concurrent_change(method.clone(), path),
        Kind::EditLock => Fault::edit_lock(method.clone(), path),
        Kind::SimultaneousRequest => Fault::simultaneous_request(method.clone(), path),
        Kind::AccessBlocked => Fault::access_blocked(method.clone(), path),
        Kind::WrongContentType => {
            let (code, body) = call.plain_success();
            Fault::new(
                method.clone(),
                path,
                FaultAction::Status {
                    status: code,
                    body: Some(body.to_owned()),
                    content_type: Some("text/plain".to_owned()),
                    retry_after: None,
                    headers: Vec::new(),
                },
            )
        }
    })
}

fn describe(error: &Error) -> String {
    match error {
        Error::Api { status, .. } => format!("Api {status}"),
        Error::RateLimited { .. } => "RateLimited".to_owned(),
        Error::Auth { .. } => "Auth".to_owned(),
        Error::Transport {
            timed_out: true, ..
        } => "Transport (timed out)".to_owned(),
        Error::Transport { .. } => "Transport".to_owned(),
        Error::Decode { status, .. } => format!("Decode {status}"),
        Error::NotFound { .. } => "NotFound".to_owned(),
        other => format!("{other:?}"),
    }
}

async fn cell(kind: Kind, call: Call) -> String {
    let target = Target::start().await;
    let signing_in = matches!(kind, Kind::ExpiredToken);
    let zpa = target.client(signing_in);
    let path = target.path(call);
    if signing_in {
        zpa.connectors().list().page(1).await.unwrap();
        target.sim.expire_tokens();
    }
    target.sim.clear_log();
    if let Some(fault) = fault(kind, call, path.clone()) {
        target.sim.inject(fault);
    }
    let outcome = target.call(&zpa, call).await;
    // A stalled request may still be answered after the client gave up.
    tokio::time::sleep(Duration::from_millis(if matches!(kind, Kind::Stall) {
        1_000
    } else {
        0
    }))
    .await;
    let sent = target
        .sim
        .requests()
        .iter()
        .filter(|r| {
            let without_query = r.path.split('?').next().unwrap_or_default();
            r.method == call.method().as_str() && without_query.ends_with(&path)
        })
        .count();
    match outcome {
        Ok(()) => format!("ok, sent {sent}"),
        Err(error) => format!("{}, sent {sent}", describe(&error)),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_against_every_call() {
    let mut table = String::from("| fault |");
    for call in CALLS {
        table.push_str(&format!(" {} |", call.title()));
    }
    table.push_str("\n|---|");
    table.push_str(&"---|".repeat(CALLS.len()));
    table.push('\n');
    for (kind, title) in FAULTS {
        table.push_str(&format!("| {title} |"));
        let cells = futures::future::join_all(CALLS.map(|call| cell(kind, call))).await;
        for outcome in cells {
            table.push_str(&format!(" {outcome} |"));
        }
        table.push('\n');
    }
    let reliability =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../RELIABILITY.md"))
            .unwrap_or_default();
    assert!(
        reliability.contains(&table),
        "RELIABILITY.md does not hold the fault matrix as it stands; the matrix now reads:\n{table}"
    );
}
