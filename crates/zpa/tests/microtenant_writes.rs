//! Writes by id reach the object in whichever microtenant it lives, with
//! the requests each costs counted on the simulator's log.

mod common;

use zpa::{ApprovalChange, ApprovalRequest, ConnectorUpdate, Error};
use zpa_sim::Sim;

/// `METHOD path-tail?microtenantId=...` of every request, in order.
fn sent(sim: &Sim) -> Vec<String> {
    sim.requests()
        .into_iter()
        .map(|r| {
            let tail = r.path.rsplit("/customers/").next().unwrap_or_default();
            let tail = tail.split_once('/').map_or("", |(_, rest)| rest);
            let tenant = r
                .query
                .unwrap_or_default()
                .split('&')
                .find(|p| p.starts_with("microtenantId="))
                .map(|p| format!("?{p}"))
                .unwrap_or_default();
            format!("{} {}{tenant}", r.method, tail.split('/').next().unwrap())
        })
        .collect()
}

/// Deletable connectors (not Deception's) of the microtenant `tenant`.
fn connectors_in(sim: &Sim, tenant: &str) -> Vec<String> {
    let decoys = sim.deception_connector_ids();
    sim.connector_microtenants()
        .into_iter()
        .filter(|(id, t)| t == tenant && !decoys.contains(id))
        .map(|(id, _)| id)
        .collect()
}

#[tokio::test]
async fn a_connector_in_a_microtenant_is_updated_and_deleted_by_id() {
    let sim = common::sim(300).await;
    let zpa = common::client(&sim);
    let finance = sim.microtenants()[1].0.clone();
    let ids = connectors_in(&sim, &finance);
    let tenant = format!("?microtenantId={finance}");

    // In Default: one request, as before.
    let default = connectors_in(&sim, "0")[0].clone();
    sim.clear_log();
    let update = ConnectorUpdate::new().description("hello");
    zpa.connectors().update(&default, &update).await.unwrap();
    assert_eq!(sent(&sim), ["PUT connector"]);

    // By id: Default first, then one GET to find it, then its microtenant.
    sim.clear_log();
    zpa.connectors().update(&ids[0], &update).await.unwrap();
    assert_eq!(
        sent(&sim),
        [
            "PUT connector".to_owned(),
            "GET connector".to_owned(),
            format!("PUT connector{tenant}"),
        ]
    );
    let read = zpa.connectors().get(&ids[0]).await.unwrap();
    assert_eq!(read.description.as_deref(), Some("hello"));

    // The connector itself says where it lives: one request.
    sim.clear_log();
    zpa.connectors()
        .update(&read, &ConnectorUpdate::new().enabled(false))
        .await
        .unwrap();
    assert_eq!(sent(&sim), [format!("PUT connector{tenant}")]);

    sim.clear_log();
    zpa.connectors().delete(&ids[0]).await.unwrap();
    assert_eq!(sent(&sim).len(), 3);
    assert!(
        zpa.connectors()
            .get(&ids[0])
            .await
            .unwrap_err()
            .is_not_found()
    );

    // Gone everywhere: not found, naming where the client looked; two requests.
    sim.clear_log();
    let error = zpa.connectors().delete(&ids[0]).await.unwrap_err();
    assert!(error.is_not_found());
    assert_eq!(
        error.to_string(),
        format!(
            "no connector {} in the Default microtenant, nor in any other these credentials can read",
            ids[0]
        )
    );
    assert_eq!(sent(&sim), ["DELETE connector", "GET connector"]);

    // An explicit microtenant is never overridden.
    sim.clear_log();
    let in_default = zpa.microtenant("0").unwrap();
    let error = in_default
        .connectors()
        .update(&ids[1], &update)
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("no connector {} in the Default microtenant", ids[1])
    );
    assert_eq!(sent(&sim), ["PUT connector?microtenantId=0"]);
}

#[tokio::test]
async fn bulk_deletes_by_id_go_out_once_per_microtenant() {
    let sim = common::sim(300).await;
    let zpa = common::client(&sim);
    let (finance, engineering) = (
        sim.microtenants()[1].0.clone(),
        sim.microtenants()[2].0.clone(),
    );
    let default = connectors_in(&sim, "0");
    let (f, e) = (
        connectors_in(&sim, &finance),
        connectors_in(&sim, &engineering),
    );
    let ids = [&default[0], &f[0], &default[1], &e[0], &f[1]];

    // One that exists nowhere: not found before anything is deleted.
    sim.clear_log();
    let error = zpa
        .connectors()
        .bulk_delete([ids[0].as_str(), ids[1].as_str(), "1234"])
        .await
        .unwrap_err();
    assert!(error.is_not_found());
    assert!(
        error.to_string().contains("connectors 1234 in the Default"),
        "{error}"
    );
    assert!(sent(&sim).iter().filter(|r| r.starts_with("POST")).count() == 1);

    sim.clear_log();
    zpa.connectors().bulk_delete(ids).await.unwrap();
    // The refused one, a GET for each connector it named, then Default,
    // Finance and Engineering.
    assert_eq!(
        sent(&sim),
        [
            "POST connector".to_owned(),
            "GET connector".to_owned(),
            "GET connector".to_owned(),
            "GET connector".to_owned(),
            "POST connector".to_owned(),
            format!("POST connector?microtenantId={finance}"),
            format!("POST connector?microtenantId={engineering}"),
        ]
    );
    for id in ids {
        assert!(zpa.connectors().get(id).await.unwrap_err().is_not_found());
    }
}

#[tokio::test]
async fn a_bulk_delete_that_fails_part_way_names_what_it_deleted() {
    let sim = common::sim(300).await;
    let zpa = common::client(&sim);
    let finance = sim.microtenants()[1].0.clone();
    let listed = common::all_connectors(&zpa, 500).await;
    let home = |c: &zpa::Connector| c.microtenant_id.as_ref().map(|m| m.to_string());
    let deletable = listed.iter().filter(|c| zpa::Connectors::deletable(c));
    let in_default: Vec<_> = deletable
        .clone()
        .filter(|c| home(c).is_none())
        .take(3)
        .cloned()
        .collect();
    let in_finance: Vec<_> = deletable
        .filter(|c| home(c) == Some(finance.clone()))
        .take(2)
        .cloned()
        .collect();
    // Someone else deletes one of Finance's between the listing and the delete.
    assert!(sim.remove_connector(in_finance[1].id.as_str()));
    let targets: Vec<_> = in_default.iter().chain(&in_finance).cloned().collect();
    let error = zpa.connectors().delete_listed(&targets).await.unwrap_err();
    let Error::PartlyDeleted {
        deleted,
        error: cause,
    } = &error
    else {
        panic!("{error:?}");
    };
    let expected: Vec<String> = in_default.iter().map(|c| c.id.to_string()).collect();
    assert_eq!(deleted, &expected);
    assert!(cause.is_not_found() && error.is_not_found());
    assert_eq!(error.status(), Some(404));
    assert!(
        error
            .to_string()
            .ends_with(&format!("(after deleting 3: {})", expected.join(", "))),
        "{error}"
    );
    // Finance's other connector is still there: that request deleted nothing.
    zpa.connectors().get(&in_finance[0].id).await.unwrap();
}

#[tokio::test]
async fn approvals_in_a_microtenant_are_changed_and_deleted_by_id() {
    let sim = common::sim(1).await;
    let zpa = common::client(&sim);
    let finance = sim.microtenants()[1].0.clone();
    let tenant = format!("?microtenantId={finance}");
    let now = common::now();
    let created = zpa
        .microtenant(&finance)
        .unwrap()
        .approvals()
        .create(&ApprovalRequest::new(
            "a@example.com",
            ["Payroll DB"],
            now,
            now + 3_600,
        ))
        .await
        .unwrap();

    // Extending it: the read says where it lives; the write goes there.
    sim.clear_log();
    let later = now + 7 * 86_400;
    let changed = zpa
        .approvals()
        .change(&created.id, &ApprovalChange::new().end_time(later))
        .await
        .unwrap();
    assert_eq!(changed.end_time.map(|t| t.get()), Some(later));
    assert_eq!(
        sent(&sim),
        [
            "GET approval".to_owned(),
            format!("PUT approval{tenant}"),
            format!("GET approval{tenant}"),
        ]
    );

    sim.clear_log();
    zpa.approvals().delete(&created.id).await.unwrap();
    assert_eq!(
        sent(&sim),
        [
            "DELETE approval".to_owned(),
            "GET approval".to_owned(),
            format!("DELETE approval{tenant}"),
        ]
    );
    assert!(
        zpa.approvals()
            .get(&created.id)
            .await
            .unwrap_err()
            .is_not_found()
    );
}
