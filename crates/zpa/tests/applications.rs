//! Application segments through the facade against the simulator: listed,
//! found by exact name, and named by name in approvals with as few requests
//! as the API allows.

mod common;

use futures::TryStreamExt;
use zpa::{ApplicationRef, ApplicationType, ApprovalChange, ApprovalRequest, Error};
use zpa_sim::Sim;

/// `(method, path ending, query)` of every request the simulator logged.
fn requests(sim: &Sim) -> Vec<(String, String, String)> {
    sim.requests()
        .into_iter()
        .map(|r| {
            let tail = r.path.rsplit("/customers/").next().unwrap_or_default();
            let tail = tail.split_once('/').map_or("", |(_, rest)| rest).to_owned();
            (r.method, tail, r.query.unwrap_or_default())
        })
        .collect()
}

fn id_of(sim: &Sim, name: &str) -> String {
    sim.applications()
        .into_iter()
        .find(|(_, n, _)| n == name)
        .unwrap()
        .0
}

#[tokio::test]
async fn segments_list_get_and_every_name_is_found_in_one_request() {
    let sim = common::sim(1).await;
    let zpa = common::client(&sim);
    let listed: Vec<_> = zpa
        .applications()
        .list()
        .items()
        .try_collect()
        .await
        .unwrap();
    let expected = sim.applications();
    assert_eq!(listed.len(), expected.len());
    let first = zpa.applications().get(&listed[0].id).await.unwrap();
    assert_eq!(first, listed[0]);
    assert!(first.json().contains("\"serverGroups\""));
    assert!(!first.server_groups.is_empty());

    for (id, name, _) in expected.iter().filter(|(_, n, _)| n != "Jump Hosts") {
        sim.clear_log();
        let found = zpa.applications().by_name(name).await.unwrap();
        assert_eq!(found.id.as_str(), id, "{name:?}");
        assert_eq!(requests(&sim).len(), 1, "{name:?}: one search");
    }
}

#[tokio::test]
async fn names_are_case_sensitive_and_one_name_in_two_microtenants_is_ambiguous() {
    let sim = common::sim(1).await;
    let zpa = common::client(&sim);
    let missed = zpa
        .applications()
        .by_name("ssh jump / bastion")
        .await
        .unwrap_err();
    assert!(missed.is_not_found());
    assert_eq!(
        missed.to_string(),
        "no application segment named \"ssh jump / bastion\" (names match case; there is \"SSH Jump / Bastion\")"
    );

    let ambiguous = zpa.applications().by_name("Jump Hosts").await.unwrap_err();
    let Error::Ambiguous { candidates, .. } = &ambiguous else {
        panic!("{ambiguous:?}");
    };
    let names: Vec<_> = candidates
        .iter()
        .map(|c| c.microtenant_name.as_deref().unwrap())
        .collect();
    assert_eq!(names, ["Finance", "Engineering & R/D"]);
    assert!(
        ambiguous
            .to_string()
            .starts_with("2 objects match application segment named \"Jump Hosts\": "),
        "{ambiguous}"
    );
    assert!(ambiguous.to_string().contains("(microtenant Finance)"));

    // Scoped to one microtenant, the name is one segment.
    let finance = &sim.microtenants()[1].0;
    let found = zpa
        .microtenant(finance)
        .unwrap()
        .applications()
        .by_name("Jump Hosts")
        .await
        .unwrap();
    assert_eq!(found.microtenant_id.as_ref().unwrap().as_str(), finance);
}

#[tokio::test]
async fn applications_of_a_type_name_their_segment() {
    let sim = common::sim(1).await;
    let zpa = common::client(&sim);
    let pra: Vec<_> = zpa
        .applications()
        .of_type(ApplicationType::SecureRemoteAccess)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert!(!pra.is_empty());
    let query = sim.requests()[0].query.clone().unwrap();
    assert!(
        query.contains("applicationType=SECURE_REMOTE_ACCESS"),
        "{query}"
    );
    for app in &pra {
        let segment = zpa
            .applications()
            .get(app.app_id.as_ref().unwrap())
            .await
            .unwrap();
        assert!(segment.pra_apps.iter().any(|inside| inside.id == app.id));
    }
    let rdp = zpa
        .applications()
        .of_type(ApplicationType::SecureRemoteAccess)
        .search("applicationProtocol EQ RDP")
        .page(1)
        .await
        .unwrap();
    assert!(
        rdp.items
            .iter()
            .all(|a| a.application_protocol.as_deref() == Some("RDP"))
    );
    assert!(rdp.items.len() < pra.len());
}

#[tokio::test]
async fn an_approval_from_names_costs_one_lookup() {
    let sim = common::sim(1).await;
    let zpa = common::client(&sim);
    let now = common::now();
    let bastion = id_of(&sim, "SSH Jump / Bastion");

    // One name: one search, then the create.
    sim.clear_log();
    let request = ApprovalRequest::new(
        "oncall@example.com",
        ["SSH Jump / Bastion"],
        now,
        now + 3_600,
    );
    let created = zpa.approvals().create(&request).await.unwrap();
    assert_eq!(created.applications[0].id.as_str(), bastion);
    let sent = requests(&sim);
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert_eq!(sent[0].1, "application");
    assert!(
        sent[0]
            .2
            .contains("search=name%20EQ%20SSH%20Jump%20%2F%20Bastion")
    );
    assert_eq!(
        (sent[1].0.as_str(), sent[1].1.as_str()),
        ("POST", "approval")
    );

    // Several names and an id: the listing's one page serves every name.
    sim.clear_log();
    let grafana = id_of(&sim, "Grafana+Prometheus");
    let request = ApprovalRequest::new(
        "oncall@example.com",
        [
            ApplicationRef::name("RDP Jump & Hosts"),
            ApplicationRef::id(grafana.as_str()),
            ApplicationRef::name("Zürich Ops – Jump Hosts"),
            ApplicationRef::name("Lab  Servers"),
        ],
        now,
        now + 3_600,
    );
    let created = zpa.approvals().create(&request).await.unwrap();
    let ids: Vec<&str> = created.applications.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            id_of(&sim, "RDP Jump & Hosts").as_str(),
            grafana.as_str(),
            id_of(&sim, "Zürich Ops – Jump Hosts").as_str(),
            id_of(&sim, "Lab  Servers").as_str(),
        ]
    );
    let sent = requests(&sim);
    assert_eq!(
        sent.len(),
        2,
        "one page of segments, then the create: {sent:?}"
    );
    assert!(sent[0].2.contains("page=1&pagesize=500"), "{sent:?}");

    // A name and its own id are one segment twice: refused before the create.
    sim.clear_log();
    let twice = ApprovalRequest::new(
        "oncall@example.com",
        [bastion.clone(), "SSH Jump / Bastion".to_owned()],
        now,
        now + 3_600,
    );
    let error = zpa.approvals().create(&twice).await.unwrap_err();
    assert_eq!(error.input(), Some(zpa::Input::Applications), "{error}");
    assert!(requests(&sim).iter().all(|r| r.0 == "GET"));

    // A name that is nowhere, or in two microtenants: no approval is made.
    for (name, not_found) in [("No Such Segment", true), ("Jump Hosts", false)] {
        let request = ApprovalRequest::new("oncall@example.com", [name], now, now + 3_600);
        let error = zpa.approvals().create(&request).await.unwrap_err();
        assert_eq!(error.is_not_found(), not_found, "{error}");
    }
    assert!(requests(&sim).iter().all(|r| r.0 == "GET"));
}

#[tokio::test]
async fn several_names_cost_the_fewer_of_the_listing_and_one_search_each() {
    let sim = zpa_sim::Sim::start(zpa_sim::SimConfig {
        connectors: 1,
        segments: 1_200,
        ..zpa_sim::SimConfig::default()
    })
    .await
    .unwrap();
    let zpa = common::client(&sim);
    let now = common::now();
    let gets = |sim: &Sim| -> Vec<String> {
        requests(sim)
            .into_iter()
            .filter(|(method, ..)| method == "GET")
            .map(|(_, _, query)| query)
            .collect()
    };
    // Three pages of segments, two names: the first page, then one search
    // for each.
    let two = ["Segment 1200", "SSH Jump / Bastion"];
    sim.clear_log();
    let created = zpa
        .approvals()
        .create(&ApprovalRequest::new(
            "a@example.com",
            two,
            now,
            now + 3_600,
        ))
        .await
        .unwrap();
    let sent = gets(&sim);
    assert_eq!(sent.len(), 3, "{sent:?}");
    assert!(sent[0].contains("page=1&pagesize=500") && !sent[0].contains("search"));
    assert!(
        sent[1..].iter().all(|q| q.contains("search=name%20EQ%20")),
        "{sent:?}"
    );
    let ids: Vec<&str> = created.applications.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            id_of(&sim, "Segment 1200"),
            id_of(&sim, "SSH Jump / Bastion")
        ]
    );

    // Three names: the whole listing is as cheap, three pages.
    let three = ["Segment 1200", "Segment 600", "ammo4"];
    sim.clear_log();
    let created = zpa
        .approvals()
        .create(&ApprovalRequest::new(
            "a@example.com",
            three,
            now,
            now + 3_600,
        ))
        .await
        .unwrap();
    let sent = gets(&sim);
    assert_eq!(sent.len(), 3, "{sent:?}");
    assert!(sent.iter().all(|q| !q.contains("search")), "{sent:?}");
    assert_eq!(created.applications.len(), 3);
}

#[tokio::test]
async fn a_change_takes_segment_names_too() {
    let sim = common::sim(1).await;
    let zpa = common::client(&sim);
    let created = zpa
        .approvals()
        .create(&common::approval(&sim))
        .await
        .unwrap();
    let changed = zpa
        .approvals()
        .change(
            &created.id,
            &ApprovalChange::new().applications(["Intranet Wiki", "ammo4"]),
        )
        .await
        .unwrap();
    let ids: Vec<&str> = changed.applications.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            id_of(&sim, "Intranet Wiki").as_str(),
            id_of(&sim, "ammo4").as_str()
        ]
    );
}

#[tokio::test]
async fn requests_serialize_for_logs_and_forwarding() {
    let now = 1_800_000_000;
    let request = ApprovalRequest::new(
        "oncall@example.com",
        [
            ApplicationRef::id("145256180497776992"),
            ApplicationRef::name("2024"),
        ],
        now,
        now + 3_600,
    )
    .working_hours(zpa::WorkingHours::new(
        [zpa::Weekday::Mon],
        "09:00",
        "17:00",
        "America/Vancouver",
    ));
    let json = serde_json::to_value(&request).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "email": "oncall@example.com",
            "applications": [{"id": "145256180497776992"}, {"name": "2024"}],
            "startTime": now,
            "endTime": now + 3_600,
            "workingHours": {"days": ["MON"], "startTime": "09:00", "endTime": "17:00", "timeZone": "America/Vancouver"},
        })
    );
    let back: ApprovalRequest = serde_json::from_value(json).unwrap();
    assert_eq!(back, request);
}

#[tokio::test]
async fn requests_read_the_shapes_javascript_writes() {
    // JSON.stringify of a Date is RFC 3339 text; segments may be plain text.
    let request: ApprovalRequest = serde_json::from_value(serde_json::json!({
        "email": "oncall@example.com",
        "applications": ["SSH Jump / Bastion", "145256180497776992", {"name": "2024"}],
        "startTime": "2027-01-15T08:00:00.000Z",
        "endTime": 1_800_003_600,
    }))
    .unwrap();
    assert_eq!(request.start_time, 1_800_000_000);
    assert_eq!(
        request.applications,
        [
            ApplicationRef::name("SSH Jump / Bastion"),
            ApplicationRef::id("145256180497776992"),
            ApplicationRef::name("2024"),
        ]
    );
    let bad = serde_json::from_value::<ApprovalRequest>(serde_json::json!({
        "email": "a@example.com", "applications": ["x"], "startTime": "tomorrow", "endTime": 1,
    }));
    assert!(
        bad.unwrap_err()
            .to_string()
            .contains("neither epoch seconds nor RFC 3339")
    );

    // A change: fields left out stay, `null` working hours are removed.
    let change: ApprovalChange = serde_json::from_value(serde_json::json!({
        "endTime": "2027-01-16T08:00:00Z", "workingHours": null,
    }))
    .unwrap();
    assert_eq!(
        change,
        ApprovalChange::new()
            .end_time(1_800_086_400)
            .no_working_hours()
    );
    assert_eq!(
        serde_json::to_value(&change).unwrap(),
        serde_json::json!({"endTime": 1_800_086_400, "workingHours": null})
    );
    let nothing: ApprovalChange = serde_json::from_value(serde_json::json!({})).unwrap();
    assert_eq!(nothing, ApprovalChange::new());
}

#[tokio::test]
async fn milliseconds_given_as_seconds_are_refused_before_any_request() {
    let sim = common::sim(10).await;
    let zpa = common::client(&sim);
    let now_ms = 1_800_000_000_000i64;
    let request = ApprovalRequest::new("a@example.com", ["ammo4"], now_ms, now_ms + 3_600_000);
    let error = zpa.approvals().create(&request).await.unwrap_err();
    assert!(
        matches!(&error, zpa::Error::InvalidInput { input: zpa::Input::StartTime, reason }
            if reason.contains("milliseconds")),
        "{error}"
    );
    assert!(sim.requests().is_empty());
}
