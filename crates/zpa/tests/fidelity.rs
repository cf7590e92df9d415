//! Nothing the server sends is lost: the model covers every field the
//! simulator serves (those of the live answers and the official SDKs), and a
//! server that sends fields no model knows gets them through whole.

mod common;

use futures::TryStreamExt;
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;
use zpa::model::ApprovalStatus;
use zpa::{Approval, ApprovalRequest, Connector};
use zpa_sim::{Sim, SimConfig, without_durations};

async fn sim(future_fields: bool) -> Sim {
    Sim::start(SimConfig {
        connectors: 600,
        future_fields,
        ..SimConfig::default()
    })
    .await
    .unwrap()
}

/// Every object of a listing exactly as the server sends it, read with a
/// plain HTTP client.
async fn sent(sim: &Sim, what: &str) -> Vec<String> {
    #[derive(Deserialize)]
    struct Page {
        #[serde(rename = "totalPages")]
        total_pages: String,
        #[serde(default)]
        list: Vec<Box<RawValue>>,
    }
    let http = reqwest::Client::new();
    let mut objects = Vec::new();
    let mut page = 1;
    loop {
        let body = http
            .get(format!("{}/{what}?page={page}&pagesize=500", sim.api_url()))
            .bearer_auth(sim.static_token())
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let answer: Page = serde_json::from_str(&body).unwrap();
        objects.extend(answer.list.iter().map(|o| without_durations(o.get())));
        if page >= answer.total_pages.parse::<u32>().unwrap() {
            return objects;
        }
        page += 1;
    }
}

fn json_of(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

#[tokio::test]
async fn listed_objects_are_what_the_server_sent_byte_for_byte() {
    let sim = sim(true).await;
    let zpa = common::client(&sim);
    let connectors: Vec<Connector> = zpa.connectors().list().items().try_collect().await.unwrap();
    let sent_connectors = sent(&sim, "connector").await;
    assert_eq!((connectors.len(), sent_connectors.len()), (600, 600));
    for (connector, sent) in connectors.iter().zip(&sent_connectors) {
        assert_eq!(&without_durations(connector.json()), sent);
    }
    let approvals: Vec<Approval> = zpa.approvals().list().items().try_collect().await.unwrap();
    assert_eq!(
        approvals
            .iter()
            .map(|a| a.json().to_owned())
            .collect::<Vec<_>>(),
        sent(&sim, "approval").await
    );
}

#[tokio::test]
async fn fields_no_model_knows_are_in_extra_at_every_depth() {
    let sim = sim(true).await;
    let zpa = common::client(&sim);
    let connectors: Vec<Connector> = zpa.connectors().list().items().try_collect().await.unwrap();
    let mut nested = 0;
    for connector in &connectors {
        let sent = json_of(connector.json());
        assert_eq!(connector.extra["tunnelPolicy"], sent["tunnelPolicy"]);
        assert!(connector.extra["decommissionedAt"].is_null());
        let tunnel = &connector.extra["tunnelPolicy"];
        assert_eq!(tunnel["weights"], serde_json::json!([1, 2.5, null]));
        assert_eq!(tunnel["labels"][1], "Zürich \"east\"");
        assert_eq!(
            tunnel["limits"]["epochNanos"],
            1_773_370_063_123_456_789_u64
        );
        if let Some(version) = &connector.assistant_version {
            assert_eq!(version.extra["healthScore"]["history"][2], Value::Null);
            nested += 1;
        }
        // Serializing the typed value writes the unknown fields too.
        let written = serde_json::to_value(connector).unwrap();
        assert_eq!(written["tunnelPolicy"], sent["tunnelPolicy"]);
    }
    assert!(nested > 60, "{nested} connectors with an assistantVersion");

    let app = sim.application_ids()[0].clone();
    let now = common::now();
    let request = ApprovalRequest::new("new.user@example.com", [app], now, now + 3_600);
    let created = zpa.approvals().create(&request).await.unwrap();
    for approval in
        std::iter::once(&created).chain(&zpa.approvals().list().page(1).await.unwrap().items)
    {
        assert_eq!(approval.extra["reviewChain"][1]["approvedAt"], Value::Null);
    }
    let fetched = zpa.approvals().get(created.id.as_str()).await.unwrap();
    assert_eq!(
        fetched.applications[0].extra["segmentFlags"]["limits"]["burst"],
        Value::Null
    );
    assert!(
        fetched
            .json()
            .contains(r#""maxTunnels":18446744073709551616"#),
        "{}",
        fetched.json()
    );
}

/// The model covers every field the simulator serves, at every depth: no
/// object of a default fleet has anything in `extra`, and the fields beyond
/// the seed articles are there at the simulator's rates.
#[tokio::test]
async fn the_model_knows_every_field_the_simulator_serves() {
    let sim = sim(false).await;
    let zpa = common::client(&sim);
    let connectors: Vec<Connector> = zpa.connectors().list().items().try_collect().await.unwrap();
    let share = |has: &dyn Fn(&Connector) -> bool| {
        connectors.iter().filter(|c| has(c)).count() * 100 / connectors.len()
    };
    for connector in &connectors {
        assert!(connector.extra.is_empty(), "{:?}", connector.extra);
        if let Some(version) = &connector.assistant_version {
            assert!(version.extra.is_empty(), "{:?}", version.extra);
            assert!(
                version.last_broker_connect_time.unwrap().get() > 1 << 50,
                "microseconds"
            );
        }
        for module in &connector.zpn_sub_module_upgrade_list {
            assert!(module.extra.is_empty(), "{:?}", module.extra);
        }
        if let Some(cert) = &connector.enrollment_cert {
            assert!(cert.extra.is_empty(), "{:?}", cert.extra);
        }
    }
    let reporting = share(&|c| c.assistant_version.is_some());
    assert!((12..=30).contains(&reporting), "{reporting}%");
    assert_eq!(share(&|c| c.runtime_os.is_some()), reporting);
    assert!((1..=12).contains(&share(&|c| !c.zpn_sub_module_upgrade_list.is_empty())));
    assert!(share(&|c| c.expected_upgrade_time.is_some()) > 0);
    assert!(connectors.iter().any(|c| c.zscaler_managed == Some(true)));

    let approvals: Vec<Approval> = zpa.approvals().list().items().try_collect().await.unwrap();
    for approval in &approvals {
        assert!(approval.extra.is_empty(), "{:?}", approval.extra);
        assert!(approval.status.is_some());
        assert_eq!(
            approval.microtenant_name.is_some(),
            approval.microtenant_id.is_some()
        );
        if let Some(hours) = &approval.working_hours {
            assert!(hours.extra.is_empty(), "{:?}", hours.extra);
        }
        for app in &approval.applications {
            assert!(app.extra.is_empty(), "{:?}", app.extra);
            assert_eq!(app.match_style.as_deref().map(|s| s.len() > 5), Some(true));
            assert_eq!(app.fqdn_dns_check, Some(false));
            assert!(
                app.tcp_port_range
                    .iter()
                    .all(|range| range.extra.is_empty())
            );
        }
    }
    let statuses: std::collections::BTreeSet<ApprovalStatus> =
        approvals.iter().filter_map(|a| a.status).collect();
    assert_eq!(
        statuses.len(),
        3,
        "active, future and expired: {statuses:?}"
    );
}
