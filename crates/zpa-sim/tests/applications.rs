//! Application segments over HTTP: listed, searched by name, scoped to a
//! microtenant, consistent with the approvals that name them, and the
//! applications of one type.

mod common;

use std::collections::BTreeSet;

use common::{ids, start_default};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;

fn search(expression: &str) -> String {
    format!(
        "search={}",
        utf8_percent_encode(expression, NON_ALPHANUMERIC)
    )
}

#[tokio::test]
async fn segments_list_get_and_search_under_both_prefixes() {
    let env = start_default().await;
    let all = env.sim.applications();
    for base in env.bases() {
        let (status, page) = env.get(&format!("{base}/application?pagesize=500")).await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(page["totalCount"], all.len().to_string());
        let listed = ids(&page);
        assert_eq!(
            listed,
            all.iter().map(|(id, ..)| id.clone()).collect::<Vec<_>>()
        );

        // As recorded live: numbers as strings, Default without a
        // microtenantId but with its name, server groups inside.
        let first = &page["list"][0];
        assert_eq!(first["tcpKeepAlive"], "0");
        assert_eq!(first["microtenantName"], "Default");
        assert!(first.get("microtenantId").is_none());
        assert!(first["serverGroups"][0]["id"].is_string());
        assert!(
            first["creationTime"]
                .as_str()
                .unwrap()
                .parse::<i64>()
                .is_ok()
        );

        for (id, name, microtenant) in &all {
            let (status, segment) = env.get(&format!("{base}/application/{id}")).await;
            assert_eq!(status, 200);
            assert_eq!(segment["name"], name.as_str());
            if microtenant != "0" {
                assert_eq!(segment["microtenantId"], microtenant.as_str());
            }
            // Every name, whatever its characters, is found by `name EQ`.
            let query = format!("{}&pagesize=500", search(&format!("name EQ {name}")));
            let (status, found) = env.get(&format!("{base}/application?{query}")).await;
            assert_eq!(status, 200, "{found}");
            assert!(ids(&found).contains(id), "{name:?}: {found}");
        }
    }
}

#[tokio::test]
async fn names_cover_what_lookups_break_on() {
    let env = start_default().await;
    let names: Vec<String> = env.sim.applications().into_iter().map(|a| a.1).collect();
    for wanted in [" / ", " & ", "+", "  ", "ü", "東京"] {
        assert!(
            names.iter().any(|n| n.contains(wanted)),
            "no name with {wanted:?}"
        );
    }
    let twice: Vec<_> = env
        .sim
        .applications()
        .into_iter()
        .filter(|(_, name, _)| name == "Jump Hosts")
        .map(|(_, _, microtenant)| microtenant)
        .collect();
    assert_eq!(twice.len(), 2, "one name in two microtenants");
    assert_ne!(twice[0], twice[1]);
}

#[tokio::test]
async fn a_microtenant_sees_its_own_segments() {
    let env = start_default().await;
    let base = env.sim.api_url();
    let (finance, _) = env.sim.microtenants()[1].clone();
    let (_, page) = env
        .get(&format!(
            "{base}/application?pagesize=500&microtenantId={finance}"
        ))
        .await;
    let expected: Vec<String> = env
        .sim
        .applications()
        .into_iter()
        .filter(|(_, _, m)| *m == finance)
        .map(|(id, ..)| id)
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(ids(&page), expected);
    let outside = env
        .sim
        .applications()
        .into_iter()
        .find(|(_, _, m)| *m != finance)
        .unwrap()
        .0;
    let (status, error) = env
        .get(&format!(
            "{base}/application/{outside}?microtenantId={finance}"
        ))
        .await;
    assert_eq!(status, 404);
    assert_eq!(error["id"], "resource.not.found");
}

#[tokio::test]
async fn approvals_name_segments_that_exist_with_the_same_fields() {
    let env = start_default().await;
    let base = env.sim.api_url();
    let segments: BTreeSet<String> = env.sim.application_ids().into_iter().collect();
    let (_, approvals) = env.get(&format!("{base}/approval?pagesize=500")).await;
    for approval in approvals["list"].as_array().unwrap() {
        for app in approval["applications"].as_array().unwrap() {
            let id = app["id"].as_str().unwrap();
            assert!(segments.contains(id), "approval names unknown segment {id}");
            let (_, segment) = env.get(&format!("{base}/application/{id}")).await;
            for field in ["name", "domainNames", "microtenantId", "tcpPortRange"] {
                assert_eq!(app.get(field), segment.get(field), "{field} of {id}");
            }
        }
    }
}

#[tokio::test]
async fn applications_by_type() {
    let env = start_default().await;
    let base = env.sim.api_url();
    let url = |query: &str| format!("{base}/application/getAppsByType?{query}");
    let (status, pra) = env
        .get(&url(
            "applicationType=SECURE_REMOTE_ACCESS&expandAll=false&pagesize=500",
        ))
        .await;
    assert_eq!(status, 200, "{pra}");
    let items = pra["list"].as_array().unwrap();
    assert!(!items.is_empty());
    for item in items {
        assert!(["SSH", "RDP"].contains(&item["applicationProtocol"].as_str().unwrap()));
        let segment = item["appId"].as_str().unwrap();
        let (status, whole) = env.get(&format!("{base}/application/{segment}")).await;
        assert_eq!(status, 200);
        let inside: Vec<&Value> = whole["praApps"].as_array().unwrap().iter().collect();
        assert_eq!(inside[0]["id"], item["id"]);
    }
    let (_, web) = env
        .get(&url("applicationType=BROWSER_ACCESS&pagesize=500"))
        .await;
    assert!(
        web["list"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["applicationProtocol"] == "HTTPS")
    );
    let (_, inspect) = env.get(&url("applicationType=INSPECT")).await;
    assert!(inspect.get("list").is_none());
    let (_, ssh) = env
        .get(&url(&format!(
            "applicationType=SECURE_REMOTE_ACCESS&{}",
            search("applicationProtocol EQ SSH")
        )))
        .await;
    assert!(ssh["list"].as_array().unwrap().len() < items.len());

    for bad in [
        "",
        "applicationType=SSH",
        "applicationType=SECURE_REMOTE_ACCESS&expandAll=yes",
    ] {
        let (status, error) = env.get(&url(bad)).await;
        assert_eq!(status, 400, "{bad}: {error}");
        assert_eq!(error["id"], "bad.request");
    }
}
