//! Every operation of the facade against the simulator over HTTP.

mod common;

use futures::TryStreamExt;
use zpa::model::ApprovalStatus;
use zpa::{
    ApprovalField, ApprovalRequest, ConnectorField, ConnectorUpdate, Direction, Error, Filter, Op,
    Weekday, WorkingHours, ZpaDuration,
};

#[tokio::test]
async fn connector_get_update_delete() {
    let sim = common::sim(50).await;
    let zpa = common::client(&sim);
    let id = common::writable_connectors(&sim).remove(0);

    let before = zpa.connectors().get(&id).await.unwrap();
    assert_eq!(before.id.as_str(), id);

    zpa.connectors()
        .update(
            &id,
            &ConnectorUpdate::new()
                .description("moved to rack 7")
                .enabled(false),
        )
        .await
        .unwrap();
    let after = zpa.connectors().get(&id).await.unwrap();
    assert_eq!(after.description.as_deref(), Some("moved to rack 7"));
    assert_eq!(after.enabled, Some(false));
    assert_eq!(after.name, before.name, "fields not given are left alone");

    zpa.connectors().delete(&id).await.unwrap();
    let error = zpa.connectors().get(&id).await.unwrap_err();
    assert_eq!(error.status(), Some(404));
    assert_eq!(error.api_id(), Some("resource.not.found"));
}

#[tokio::test]
async fn deception_connectors_are_refused() {
    let sim = common::sim(200).await;
    let zpa = common::client(&sim);
    let decoy = sim.deception_connector_ids().remove(0);
    let error = zpa
        .connectors()
        .update(&decoy, &ConnectorUpdate::new().name("x"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Api { status: 400, .. }), "{error}");
    assert!(error.to_string().contains("Deception"), "{error}");
    assert!(
        zpa.connectors()
            .delete(&decoy)
            .await
            .unwrap_err()
            .to_string()
            .contains("Deception")
    );
}

#[tokio::test]
async fn bulk_delete_removes_exactly_the_given_ids() {
    let sim = common::sim(30).await;
    let zpa = common::client(&sim);
    let victims: Vec<String> = common::writable_connectors(&sim)
        .into_iter()
        .take(3)
        .collect();
    zpa.connectors().bulk_delete(&victims).await.unwrap();
    let left = sim.connector_ids();
    assert_eq!(left.len(), 27);
    assert!(victims.iter().all(|id| !left.contains(id)));
    let posts = common::logged(&sim, "POST", "/connector/bulkDelete");
    assert_eq!(posts.len(), 1);
    let body: serde_json::Value = serde_json::from_str(&posts[0].body).unwrap();
    assert_eq!(body, serde_json::json!({ "ids": victims }));
}

#[tokio::test]
async fn stale_finds_connectors_disconnected_longer_than_asked() {
    let sim = common::sim(300).await;
    let zpa = common::client(&sim);
    let stale: Vec<_> = zpa
        .connectors()
        .stale(ZpaDuration::days(15))
        .items()
        .try_collect()
        .await
        .unwrap();
    assert!(!stale.is_empty());
    for connector in &stale {
        assert_eq!(
            connector.control_channel_status.as_deref(),
            Some("ZPN_STATUS_DISCONNECTED")
        );
        // The crate's own duration type, read from the server's text.
        let age: ZpaDuration = connector.last_broker_disconnect_time_duration.unwrap();
        assert!(age > ZpaDuration::days(15), "{age}");
    }
    let query = common::logged(&sim, "GET", "/connector")[0]
        .query
        .clone()
        .unwrap();
    assert!(
        query.contains("search=controlChannelStatus%20EQ%20ZPN_STATUS_DISCONNECTED%20AND%20lastBrokerDisconnectTimeDuration%20GT%2015d"),
        "{query}"
    );
}

#[tokio::test]
async fn listed_connectors_are_deleted_in_their_own_microtenants() {
    let sim = common::sim(300).await;
    let zpa = common::client(&sim);
    let stale: Vec<_> = zpa
        .connectors()
        .stale(ZpaDuration::days(15))
        .items()
        .try_collect()
        .await
        .unwrap();
    let tenants: std::collections::HashSet<_> =
        stale.iter().map(|c| c.microtenant_id.clone()).collect();
    assert!(
        tenants.len() > 1,
        "the fleet spreads stale connectors over microtenants"
    );
    let decoys = sim.deception_connector_ids();
    let (managed, deletable): (Vec<_>, Vec<_>) =
        stale.iter().partition(|c| c.zscaler_managed == Some(true));
    assert!(!managed.is_empty(), "a stale decoy is in the fleet");
    assert!(managed.iter().all(|c| decoys.contains(&c.id.to_string())));
    assert_eq!(
        zpa.connectors().delete_listed(&stale).await.unwrap(),
        deletable.len()
    );
    let left = sim.connector_ids();
    assert!(deletable.iter().all(|c| !left.contains(&c.id.to_string())));
    assert!(managed.iter().all(|c| left.contains(&c.id.to_string())));
    assert_eq!(
        common::logged(&sim, "POST", "/bulkDelete").len(),
        tenants.len()
    );
}

#[tokio::test]
async fn search_by_a_name_with_spaces_and_special_characters() {
    let sim = common::sim(400).await;
    let zpa = common::client(&sim);
    let all: Vec<_> = zpa.connectors().list().items().try_collect().await.unwrap();
    let tricky = all
        .iter()
        .find(|c| c.name.contains(' ') && c.name.contains(['&', '/', '+']))
        .expect("the simulator has names with spaces and & / +");
    let found: Vec<_> = zpa
        .connectors()
        .list()
        .filter(Filter::new().and(ConnectorField::Name, Op::Eq, &tricky.name))
        .items()
        .try_collect()
        .await
        .unwrap();
    assert!(
        found.iter().any(|c| c.id == tricky.id),
        "{} not found",
        tricky.name
    );
    assert!(found.iter().all(|c| c.name == tricky.name));
}

#[tokio::test]
async fn approvals_round_trip_with_working_hours() {
    let sim = common::sim(5).await;
    let zpa = common::client(&sim);
    let apps = sim.application_ids();
    let start = common::now() + 3_600;
    let request = ApprovalRequest::new(
        "oncall@example.com",
        [apps[0].clone()],
        start,
        start + 7 * 86_400,
    )
    .working_hours(WorkingHours::new(
        [Weekday::Mon, Weekday::Fri],
        "09:00",
        "17:00",
        "Asia/Kolkata",
    ));

    let created = zpa.approvals().create(&request).await.unwrap();
    assert_eq!(created.email_ids, ["oncall@example.com"]);
    assert_eq!(created.start_time.unwrap().get(), start);
    let hours = created.working_hours.as_ref().unwrap();
    assert_eq!(hours.start_time_cron.as_deref(), Some("0 30 3 ? * MON,FRI"));
    assert_eq!(hours.end_time_cron.as_deref(), Some("0 30 11 ? * MON,FRI"));

    let id = created.id.to_string();
    let fetched = zpa.approvals().get(&id).await.unwrap();
    assert_eq!(fetched.id, created.id);
    assert_eq!(fetched.status, Some(ApprovalStatus::Future));

    let longer = ApprovalRequest {
        end_time: start + 14 * 86_400,
        ..request
    };
    zpa.approvals().update(&id, &longer).await.unwrap();
    assert_eq!(
        zpa.approvals()
            .get(&id)
            .await
            .unwrap()
            .end_time
            .unwrap()
            .get(),
        start + 14 * 86_400
    );

    zpa.approvals().delete(&id).await.unwrap();
    assert_eq!(
        zpa.approvals().get(&id).await.unwrap_err().status(),
        Some(404)
    );
}

#[tokio::test]
async fn approvals_list_sorted_and_searched() {
    let sim = common::sim(5).await;
    let zpa = common::client(&sim);
    let sorted: Vec<_> = zpa
        .approvals()
        .list()
        .sort(ApprovalField::EndTime, Direction::Descending)
        .page_size(7)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(sorted.len(), sim.approval_ids().len());
    let ends: Vec<i64> = sorted.iter().map(|a| a.end_time.unwrap().get()).collect();
    assert!(ends.windows(2).all(|w| w[0] >= w[1]), "{ends:?}");
    let query = common::logged(&sim, "GET", "/approval")[0]
        .query
        .clone()
        .unwrap();
    assert!(query.contains("sortBy=endTime&sortdir=DSC"), "{query}");

    let active: Vec<_> = zpa
        .approvals()
        .list()
        .search("status EQ ACTIVE")
        .items()
        .try_collect()
        .await
        .unwrap();
    assert!(!active.is_empty());
    assert!(
        active
            .iter()
            .all(|a| a.status == Some(ApprovalStatus::Active))
    );
}

#[tokio::test]
async fn delete_expired_reports_whether_anything_was_deleted() {
    let sim = common::sim(5).await;
    let zpa = common::client(&sim);
    let expired = |client: zpa::Client| async move {
        let list = client.approvals().list().search("status EQ EXPIRED");
        list.items().try_collect::<Vec<_>>().await.unwrap()
    };
    let homes: std::collections::BTreeSet<String> = expired(zpa.clone())
        .await
        .iter()
        .map(|a| {
            a.microtenant_id
                .as_ref()
                .map_or("0", |id| id.as_str())
                .to_owned()
        })
        .collect();
    assert!(
        homes.len() > 1,
        "the simulator has expired approvals in several microtenants"
    );
    sim.clear_log();
    assert!(zpa.approvals().delete_expired().await.unwrap());
    // Each microtenant that had some got one delete (a write without a
    // microtenant reaches Default only), after one listing.
    let deletes = common::logged(&sim, "DELETE", "/approval/expired");
    assert_eq!(deletes.len(), homes.len());
    assert!(deletes.iter().all(|r| r.status == 204));
    assert_eq!(common::logged(&sim, "GET", "/approval").len(), 1);
    assert!(
        expired(zpa.clone()).await.is_empty(),
        "none left in any microtenant"
    );

    sim.clear_log();
    assert!(!zpa.approvals().delete_expired().await.unwrap());
    assert!(common::logged(&sim, "DELETE", "/approval/expired").is_empty());

    // Scoped: one request, in that microtenant, 200 when nothing expired.
    let scoped = zpa.microtenant("0").unwrap();
    assert!(!scoped.approvals().delete_expired().await.unwrap());
    let statuses: Vec<u16> = common::logged(&sim, "DELETE", "/approval/expired")
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [200]);
}

#[tokio::test]
async fn microtenant_handle_scopes_every_call() {
    let sim = common::sim(200).await;
    let zpa = common::client(&sim);
    let (tenant, _name) = sim
        .microtenants()
        .into_iter()
        .find(|(id, _)| id != "0")
        .unwrap();
    let scoped = zpa.microtenant(&tenant).unwrap();
    let mine: Vec<_> = scoped
        .connectors()
        .list()
        .items()
        .try_collect()
        .await
        .unwrap();
    let expected = sim
        .connector_microtenants()
        .iter()
        .filter(|(_, m)| *m == tenant)
        .count();
    assert_eq!(mine.len(), expected);
    assert!(
        mine.iter()
            .all(|c| c.microtenant_id.as_ref().map(|m| m.as_str()) == Some(tenant.as_str()))
    );
    let queries: Vec<_> = sim.requests().into_iter().filter_map(|r| r.query).collect();
    assert!(
        queries
            .iter()
            .all(|q| q.contains(&format!("microtenantId={tenant}"))),
        "{queries:?}"
    );

    let other = sim
        .connector_microtenants()
        .into_iter()
        .find(|(_, m)| *m != tenant)
        .unwrap()
        .0;
    assert_eq!(
        scoped.connectors().get(&other).await.unwrap_err().status(),
        Some(404)
    );
}

#[tokio::test]
async fn listed_ids_and_system_times_go_straight_back_in() {
    let sim = common::sim(5).await;
    let zpa = common::client(&sim);
    let listed = common::all_connectors(&zpa, 2).await;
    let first = &listed[0];
    // The `Id` a listing returned is an argument as it is, and compares
    // with text.
    let again = zpa.connectors().get(&first.id).await.unwrap();
    assert!(again.id == first.id.as_str());
    let ids: Vec<zpa::model::Id> = listed.iter().map(|c| c.id.clone()).collect();
    assert!(ids.contains(&again.id));

    let start = std::time::SystemTime::now();
    let request = ApprovalRequest::new(
        "a@example.com",
        [sim.application_ids()[0].clone()],
        start,
        start + std::time::Duration::from_secs(86_400),
    );
    let created = zpa.approvals().create(&request).await.unwrap();
    let back = ApprovalRequest::try_from(&created).unwrap();
    assert_eq!(back, request, "an approval converts back into its request");
}

#[tokio::test]
async fn a_change_touches_only_what_it_sets_and_may_keep_a_past_start() {
    let sim = common::sim(5).await;
    let zpa = common::client(&sim);
    let now = common::now();
    let hours = WorkingHours::new(
        [Weekday::Mon, Weekday::Tue],
        "09:00",
        "17:00",
        "Asia/Kolkata",
    );
    let created = zpa
        .approvals()
        .create(&common::approval(&sim).working_hours(hours.clone()))
        .await
        .unwrap();

    let later = now + 2 * 86_400;
    let written = zpa
        .approvals()
        .change(&created.id, &zpa::ApprovalChange::new().end_time(later))
        .await
        .unwrap();
    let stored = zpa.approvals().get(&created.id).await.unwrap();
    assert_eq!(written, stored, "the change returns the approval as stored");
    assert_eq!(stored.end_time.map(|t| t.get()), Some(later));
    assert_eq!(stored.email_ids, created.email_ids);
    assert_eq!(
        stored.working_hours.as_ref().unwrap().start_time_cron,
        created.working_hours.as_ref().unwrap().start_time_cron,
        "the working hours stay"
    );

    // An approval that began long ago is extended without moving its start,
    // which a new request could not have.
    let old_start = now - 10 * 86_400;
    let running: zpa::Approval = zpa
        .request(zpa::Method::POST, "/approval")
        .unwrap()
        .json(&serde_json::json!({
            "emailIds": ["b@example.com"],
            "applications": [{"id": sim.application_ids()[0]}],
            "startTime": old_start,
            "endTime": now + 3_600,
        }))
        .unwrap()
        .send()
        .await
        .unwrap()
        .json()
        .unwrap();
    let running = running.id.clone();
    let extended = zpa
        .approvals()
        .change(&running, &zpa::ApprovalChange::new().end_time(later))
        .await
        .unwrap();
    assert_eq!(extended.start_time.map(|t| t.get()), Some(old_start));
    let moved = zpa
        .approvals()
        .change(
            &running,
            &zpa::ApprovalChange::new().start_time(old_start - 60),
        )
        .await
        .unwrap_err();
    assert_eq!(moved.input(), Some(zpa::Input::StartTime), "{moved}");
    let nothing = zpa
        .approvals()
        .change(&running, &zpa::ApprovalChange::new())
        .await
        .unwrap_err();
    assert_eq!(nothing.input(), Some(zpa::Input::ApprovalChange));
}
