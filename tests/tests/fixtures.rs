//! Every JSON example of the two seed articles, saved in `tests/fixtures/`,
//! decodes into the generated wire types, and re-encoding keeps every value.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use zpa_client::page::Page;
use zpa_client::types::{
    Approval, ApprovalBody, ApprovalList, BulkDelete, Connector, ConnectorList, ConnectorUpdate,
};

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn read(name: &str) -> String {
    let path = fixtures_dir().join(format!("{name}.json"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Numbers and numeric strings are the same value on this API's wire: the API
/// answers `"1617841545"` where a request sends `1617841545`. Durations are
/// the same value however padded: `"60d 13h 07m 56s"` reads as the crate's
/// `ZpaDuration`, which writes `"60d 13h 7m 56s"`.
fn normalize(value: Value) -> Value {
    match value {
        Value::Number(n) => Value::String(n.to_string()),
        Value::Array(items) => Value::Array(items.into_iter().map(normalize).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| match (k.ends_with("TimeDuration"), &v) {
                    (true, Value::String(text)) => {
                        let duration: zpa_client::wire::ZpaDuration = text.parse().unwrap();
                        (k, Value::String(duration.to_string()))
                    }
                    _ => (k, normalize(v)),
                })
                .collect(),
        ),
        other => other,
    }
}

fn round_trip<T: DeserializeOwned + Serialize>(name: &str) -> T {
    let text = read(name);
    let decoded: T =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name} does not decode: {e}"));
    let original: Value = serde_json::from_str(&text).unwrap();
    let encoded = serde_json::to_value(&decoded).unwrap();
    assert_eq!(
        normalize(encoded),
        normalize(original),
        "{name} lost or changed a value"
    );
    decoded
}

/// A listing page round-trips, and reads the same through the one-pass
/// decoder the listing operations use: the same values, and the same JSON
/// for each object.
fn listing_page<T: Page + Serialize + PartialEq + std::fmt::Debug>(name: &str) -> T {
    let decoded = round_trip::<T>(name);
    let one_pass = zpa_client::page::decode::<T>(read(name).as_bytes())
        .unwrap_or_else(|| panic!("{name} is not read in one pass"));
    assert_eq!(one_pass, decoded, "{name}");
    let texts = |page: &T| {
        let objects = page.objects().iter();
        objects.map(|o| o.json().to_owned()).collect::<Vec<_>>()
    };
    assert_eq!(texts(&one_pass), texts(&decoded), "{name}");
    decoded
}

/// Decodes the named fixture into its wire type and checks the round trip.
type Check = fn(&str);

const FIXTURES: &[(&str, Check)] = &[
    ("connector-get", |n| drop(round_trip::<Connector>(n))),
    ("connector-list", |n| drop(listing_page::<ConnectorList>(n))),
    ("connector-list-disconnected-1", |n| {
        drop(listing_page::<ConnectorList>(n))
    }),
    ("connector-list-disconnected-2", |n| {
        drop(listing_page::<ConnectorList>(n))
    }),
    ("connector-list-page", |n| {
        drop(listing_page::<ConnectorList>(n))
    }),
    ("connector-list-search-enabled", |n| {
        drop(listing_page::<ConnectorList>(n))
    }),
    ("connector-update-request", |n| {
        drop(round_trip::<ConnectorUpdate>(n))
    }),
    ("connector-bulk-delete-request", |n| {
        drop(round_trip::<BulkDelete>(n))
    }),
    ("connector-bulk-delete-request-template", |n| {
        drop(round_trip::<BulkDelete>(n))
    }),
    ("approval-body-template", |n| {
        drop(round_trip::<ApprovalBody>(n))
    }),
    ("approval-create-request", |n| {
        drop(round_trip::<ApprovalBody>(n))
    }),
    ("approval-create-request-microtenant", |n| {
        drop(round_trip::<ApprovalBody>(n))
    }),
    ("approval-create-response", |n| {
        drop(round_trip::<Approval>(n))
    }),
    ("approval-create-response-microtenant", |n| {
        drop(round_trip::<Approval>(n))
    }),
    ("approval-list", |n| drop(listing_page::<ApprovalList>(n))),
    ("approval-list-sorted", |n| {
        drop(listing_page::<ApprovalList>(n))
    }),
    ("approval-list-microtenant", |n| {
        drop(listing_page::<ApprovalList>(n))
    }),
    ("approval-get", |n| drop(round_trip::<Approval>(n))),
    ("approval-get-microtenant", |n| {
        drop(round_trip::<Approval>(n))
    }),
    ("approval-update-request", |n| {
        drop(round_trip::<ApprovalBody>(n))
    }),
    ("approval-update-request-microtenant", |n| {
        drop(round_trip::<ApprovalBody>(n))
    }),
];

#[test]
fn every_seed_example_round_trips() {
    for (name, check) in FIXTURES {
        check(name);
    }
}

#[test]
fn every_fixture_file_is_checked() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .filter_map(|entry| {
            let name = entry.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".json").map(str::to_owned)
        })
        .collect();
    let listed: BTreeSet<String> = FIXTURES.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(on_disk, listed);
}

#[test]
fn decoded_values_are_typed() {
    let page = listing_page::<ConnectorList>("connector-list");
    assert_eq!(page.total_pages.unwrap().get(), 168);
    assert_eq!(page.total_count, None);
    let first = &page.list[0];
    assert_eq!(first.id.as_str(), "217246660303024865");
    assert_eq!(first.last_broker_connect_time.unwrap().get(), 1_617_750_694);
    assert_eq!(
        first.enrollment_cert.as_ref().unwrap().name.as_deref(),
        Some("Mock Company Root Certificate")
    );

    let approvals = listing_page::<ApprovalList>("approval-list-sorted");
    assert_eq!(approvals.total_count.unwrap().get(), 2);
    let berlin = approvals.list[0].working_hours.as_ref().unwrap();
    assert_eq!(berlin.start_time_cron.as_deref(), Some("0 0 7 ? * MON,TUE"));
    let app = &approvals.list[0].applications[0];
    assert_eq!(app.tcp_port_range[1].from.unwrap().get(), 443);
    assert_eq!(app.tcp_keep_alive.unwrap().get(), 0);
}

#[test]
fn unknown_fields_and_missing_lists_decode() {
    let page: ConnectorList =
        serde_json::from_str(r#"{"totalPages":"0","brandNewField":{"x":[1]}}"#).unwrap();
    assert!(page.list.is_empty());
    let connector: Connector = serde_json::from_str(
        r#"{"id":"1","name":"n","modifiedTime":1617841545,"futureFlag":true}"#,
    )
    .unwrap();
    assert_eq!(connector.modified_time.unwrap().get(), 1_617_841_545);
}

#[test]
fn request_bodies_send_epoch_times_as_numbers_and_ids_as_strings() {
    let body: ApprovalBody = serde_json::from_str(&read("approval-create-request")).unwrap();
    let encoded = serde_json::to_value(&body).unwrap();
    assert_eq!(encoded["startTime"], serde_json::json!(1_684_409_727));
    assert_eq!(encoded["endTime"], serde_json::json!(1_685_619_327));
    assert_eq!(
        encoded["applications"][0]["id"],
        serde_json::json!("145256180497776992")
    );
}
