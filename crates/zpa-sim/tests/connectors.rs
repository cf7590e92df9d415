mod common;

use std::collections::{BTreeSet, HashMap};

use common::{ids, json, now, start, start_default};
use reqwest::Method;
use serde_json::{Value, json};
use zpa_sim::SimConfig;

fn with_connectors(connectors: usize) -> SimConfig {
    SimConfig {
        connectors,
        ..SimConfig::default()
    }
}

#[tokio::test]
async fn every_connector_operation_works_under_both_prefixes() {
    let env = start_default().await;
    for base in env.bases() {
        let ids = env.sim.connector_ids();
        let deception = env.sim.deception_connector_ids();
        let defaults: Vec<String> = env
            .sim
            .connector_microtenants()
            .into_iter()
            .filter(|(id, m)| m == "0" && !deception.contains(id))
            .map(|(id, _)| id)
            .collect();

        let listed = env.list(&base, "").await;
        assert_eq!(listed["totalPages"], (ids.len().div_ceil(20)).to_string());
        assert_eq!(common::ids(&listed), ids[..20]);

        let (status, one) = env.get(&format!("{base}/connector/{}", ids[0])).await;
        assert_eq!(status, 200);
        assert_eq!(one["id"], ids[0].as_str());

        let target = &defaults[0];
        let response = env
            .send(
                Method::PUT,
                &format!("{base}/connector/{target}"),
                Some(json!({"name": "Renamed & moved / A+B", "enabled": false})),
            )
            .await;
        assert_eq!(response.status().as_u16(), 204);
        assert_eq!(response.headers().get("content-type"), None);
        assert_eq!(response.text().await.unwrap(), "");
        let (_, updated) = env.get(&format!("{base}/connector/{target}")).await;
        assert_eq!(updated["name"], "Renamed & moved / A+B");
        assert_eq!(updated["enabled"], false);

        let response = env
            .send(Method::DELETE, &format!("{base}/connector/{target}"), None)
            .await;
        assert_eq!(response.status().as_u16(), 204);
        let (status, gone) = env.get(&format!("{base}/connector/{target}")).await;
        assert_eq!(status, 404);
        assert_eq!(gone["id"], "resource.not.found");

        let pair = [defaults[1].clone(), defaults[2].clone()];
        let response = env
            .send(
                Method::POST,
                &format!("{base}/connector/bulkDelete"),
                Some(json!({"ids": pair})),
            )
            .await;
        assert_eq!(response.status().as_u16(), 200);
        let remaining = env.sim.connector_ids();
        assert_eq!(remaining.len(), ids.len() - 3);
        assert!(!remaining.contains(&pair[0]) && !remaining.contains(&pair[1]));
    }
}

#[tokio::test]
async fn update_changes_only_the_fields_it_names() {
    let env = start_default().await;
    let base = env.sim.api_url();
    let deception = env.sim.deception_connector_ids();
    let (id, _) = env
        .sim
        .connector_microtenants()
        .into_iter()
        .find(|(id, m)| m == "0" && !deception.contains(id))
        .unwrap();
    let (_, before) = env.get(&format!("{base}/connector/{id}")).await;
    let response = env
        .send(
            Method::PUT,
            &format!("{base}/connector/{id}"),
            Some(json!({"description": "only this"})),
        )
        .await;
    assert_eq!(response.status().as_u16(), 204);
    let (_, after) = env.get(&format!("{base}/connector/{id}")).await;
    assert_eq!(after["description"], "only this");
    assert_eq!(after["name"], before["name"]);
    assert_eq!(after["enabled"], before["enabled"]);
    assert_eq!(after["creationTime"], before["creationTime"]);

    for bad in [json!({"enabled": "yes"}), json!({"name": ""}), json!([1])] {
        let response = env
            .send(Method::PUT, &format!("{base}/connector/{id}"), Some(bad))
            .await;
        assert_eq!(response.status().as_u16(), 400);
        assert_eq!(json(response).await["id"], "bad.request");
    }
}

#[tokio::test]
async fn connectors_look_like_the_seed() {
    let env = start(with_connectors(300)).await;
    let all = env.all_connectors().await;
    assert_eq!(all.len(), 300);
    let now = now();
    let mut missing_optional = 0;
    let mut extra_fields = 0;
    for c in &all {
        let id = c["id"].as_str().unwrap();
        assert_eq!(id.len(), 18);
        assert!(id.parse::<u64>().unwrap() > 1 << 53);
        for field in [
            "modifiedTime",
            "creationTime",
            "upgradeAttempt",
            "appConnectorGroupId",
        ] {
            assert!(
                c[field].as_str().unwrap().parse::<i64>().is_ok(),
                "{field} is a numeric string"
            );
        }
        for (time, duration) in [
            ("lastBrokerConnectTime", "lastBrokerConnectTimeDuration"),
            (
                "lastBrokerDisconnectTime",
                "lastBrokerDisconnectTimeDuration",
            ),
        ] {
            if let Some(t) = c.get(time) {
                let elapsed = now - t.as_str().unwrap().parse::<i64>().unwrap();
                let text = c[duration].as_str().unwrap();
                let seconds = parse_duration(text);
                assert!((seconds - elapsed).abs() <= 2, "{text} vs {elapsed}s");
            }
        }
        if c.get("description").is_none() || c.get("privateIp").is_none() {
            missing_optional += 1;
        }
        if c.get("runtimeOS").is_some() || c.get("zpnSubModuleUpgradeList").is_some() {
            extra_fields += 1;
        }
    }
    assert!(missing_optional > 0 && extra_fields > 0);
    let names: Vec<&str> = all.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert!(names.iter().any(|n| n.contains(' ')));
    assert!(names.iter().any(|n| n.contains('&')));
    assert!(names.iter().any(|n| n.contains('/')));
    assert!(names.iter().any(|n| n.contains('+')));
    assert!(names.iter().any(|n| !n.is_ascii()));
    let statuses: BTreeSet<&str> = all
        .iter()
        .filter_map(|c| c["controlChannelStatus"].as_str())
        .collect();
    assert_eq!(
        statuses,
        BTreeSet::from(["ZPN_STATUS_AUTHENTICATED", "ZPN_STATUS_DISCONNECTED"])
    );
    let microtenants: BTreeSet<&str> = all
        .iter()
        .map(|c| {
            c.get("microtenantId")
                .and_then(Value::as_str)
                .unwrap_or("0")
        })
        .collect();
    assert_eq!(microtenants.len(), 4);
    assert!(all.iter().any(|c| c["zscalerManaged"] == true));

    let again = start(with_connectors(300)).await;
    assert_eq!(
        again.sim.connector_ids(),
        env.sim.connector_ids(),
        "same seed, same fleet"
    );
}

/// `"01d 11h 57m 54s"` or `"17h 32m 50s"` in seconds.
fn parse_duration(text: &str) -> i64 {
    text.split(' ')
        .map(|part| {
            let (n, unit) = part.split_at(part.len() - 1);
            let n: i64 = n.parse().unwrap();
            n * match unit {
                "d" => 86400,
                "h" => 3600,
                "m" => 60,
                _ => 1,
            }
        })
        .sum()
}

#[tokio::test]
async fn pagination_edges() {
    let env = start(with_connectors(45)).await;
    let base = env.sim.api_url();
    let all = env.sim.connector_ids();

    let first = env.list(&base, "").await;
    assert_eq!(first["totalPages"], "3");
    assert_eq!(
        first.get("totalCount"),
        None,
        "unsearched lists carry no totalCount, as in the seed"
    );
    assert_eq!(ids(&first), all[..20]);

    let last = env.list(&base, "page=3").await;
    assert_eq!(ids(&last), all[40..]);

    let past = env.list(&base, "page=4&pagesize=20").await;
    assert_eq!(
        past,
        json!({"totalPages": "3"}),
        "an empty page has no list"
    );

    for bad in [
        "page=two",
        "page=0",
        "pagesize=0",
        "pagesize=501",
        "microtenantId=",
    ] {
        let (status, error) = env.get(&format!("{base}/connector?{bad}")).await;
        assert_eq!(
            (status, error["id"].as_str()),
            (400, Some("bad.request")),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn pages_of_500_cover_everything() {
    let env = start(with_connectors(1200)).await;
    let base = env.sim.api_url();
    let all = env.sim.connector_ids();
    let big = env.list(&base, "pagesize=500").await;
    assert_eq!(big["totalPages"], "3");
    assert_eq!(ids(&big), all[..500]);
    let exact = env.list(&base, "page=3&pagesize=500").await;
    assert_eq!(ids(&exact), all[1000..]);
    let everything = env.all_connectors().await;
    assert_eq!(everything.len(), 1200);
}

#[tokio::test]
async fn search_reads_plus_and_percent_20_as_spaces() {
    let env = start_default().await;
    let base = env.sim.api_url();
    let all = env.all_connectors().await;
    let target = all
        .iter()
        .find(|c| c["name"].as_str().unwrap().contains(" + "))
        .expect("a name with a plus");
    let name = target["name"].as_str().unwrap();
    let plus_form = name.replace('+', "%2B").replace(' ', "+");
    let pct_form = name.replace('+', "%2B").replace(' ', "%20");
    for query in [
        format!("search=name+EQ+{plus_form}"),
        format!("search=name%20EQ%20{pct_form}"),
    ] {
        let found = env.list(&base, &query).await;
        assert_eq!(ids(&found), [target["id"].as_str().unwrap()], "{query}");
        assert_eq!(found["totalCount"], "1");
        assert_eq!(found["totalPages"], "1");
    }

    let ampersand = all
        .iter()
        .find(|c| c["name"].as_str().unwrap().contains('&'))
        .unwrap();
    let encoded = ampersand["name"]
        .as_str()
        .unwrap()
        .replace('&', "%26")
        .replace('/', "%2F")
        .replace(' ', "%20");
    let found = env
        .list(&base, &format!("search=name%20EQ%20{encoded}"))
        .await;
    assert_eq!(ids(&found), [ampersand["id"].as_str().unwrap()]);

    let enabled = env
        .list(&base, "search=enabled%20EQ%20true&pagesize=500")
        .await;
    let expected: Vec<&str> = all
        .iter()
        .filter(|c| c["enabled"] == true)
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids(&enabled), expected);
    assert_eq!(enabled["totalCount"], expected.len().to_string());
}

#[tokio::test]
async fn search_compares_durations_versions_and_text() {
    let env = start(with_connectors(400)).await;
    let base = env.sim.api_url();
    let all = env.all_connectors().await;
    let now = now();
    let fifteen_days = 15 * 86400;

    let found = env
        .list(
            &base,
            "search=controlChannelStatus%20EQ%20ZPN_STATUS_DISCONNECTED%20AND%20lastBrokerDisconnectTimeDuration%20GT%2015d&pagesize=500",
        )
        .await;
    let expected: Vec<&str> = all
        .iter()
        .filter(|c| c["controlChannelStatus"] == "ZPN_STATUS_DISCONNECTED")
        .filter(|c| {
            c.get("lastBrokerDisconnectTime")
                .is_some_and(|t| now - t.as_str().unwrap().parse::<i64>().unwrap() > fifteen_days)
        })
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(ids(&found), expected);

    let recent = env
        .list(
            &base,
            "search=lastBrokerConnectTimeDuration+LT+1d+2h&pagesize=500",
        )
        .await;
    let expected: Vec<&str> = all
        .iter()
        .filter(|c| {
            c.get("lastBrokerConnectTime")
                .is_some_and(|t| now - t.as_str().unwrap().parse::<i64>().unwrap() < 86400 + 7200)
        })
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids(&recent), expected);

    let current = env
        .list(&base, "search=currentVersion+EQ+24.302.2&pagesize=500")
        .await;
    let expected: Vec<&str> = all
        .iter()
        .filter(|c| c["currentVersion"] == "24.302.2")
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids(&current), expected);

    let contains = env
        .list(&base, "search=name+CONTAINS+connector&pagesize=500")
        .await;
    let expected: Vec<&str> = all
        .iter()
        .filter(|c| {
            c["name"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("connector")
        })
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids(&contains), expected);

    let none = env.list(&base, "search=name+EQ+no+such+connector").await;
    assert_eq!(none, json!({"totalPages": "0", "totalCount": "0"}));
}

#[tokio::test]
async fn invalid_search_is_a_400() {
    let env = start_default().await;
    let base = env.sim.api_url();
    for search in [
        "nosuchfield%20EQ%201",
        "name%20EQUALS%20x",
        "name%20EQ",
        "lastBrokerConnectTimeDuration%20GT%20fifteen",
        "enabled%20GT%20true",
        "name",
    ] {
        let (status, body) = env.get(&format!("{base}/connector?search={search}")).await;
        assert_eq!(status, 400, "{search}");
        assert_eq!(body["id"], "filtering.input.invalid.operand", "{search}");
        assert!(
            body["reason"]
                .as_str()
                .unwrap()
                .starts_with("Invalid search expression")
        );
    }
}

#[tokio::test]
async fn microtenant_scoping() {
    let env = start_default().await;
    let base = env.sim.api_url();
    let mut per_tenant: HashMap<String, Vec<String>> = HashMap::new();
    for (id, m) in env.sim.connector_microtenants() {
        per_tenant.entry(m).or_default().push(id);
    }
    for (tenant, members) in &per_tenant {
        let listed = env
            .list(&base, &format!("microtenantId={tenant}&pagesize=500"))
            .await;
        assert_eq!(&ids(&listed), members, "microtenant {tenant}");
    }
    let all = env.list(&base, "pagesize=500").await;
    assert_eq!(ids(&all).len(), 200);

    let finance = "145260601092866314";
    let member = &per_tenant[finance][0];
    let (status, _) = env
        .get(&format!("{base}/connector/{member}?microtenantId=0"))
        .await;
    assert_eq!(status, 404);
    let (status, body) = env
        .get(&format!(
            "{base}/connector/{member}?microtenantId={finance}"
        ))
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["microtenantId"], finance);
    assert_eq!(body["microtenantName"], "Finance");

    // Writes without microtenantId act in Default.
    let url = format!("{base}/connector/{member}");
    let response = env
        .send(Method::PUT, &url, Some(json!({"enabled": true})))
        .await;
    assert_eq!(response.status().as_u16(), 404);
    let response = env
        .send(
            Method::PUT,
            &format!("{url}?microtenantId={finance}"),
            Some(json!({"enabled": true})),
        )
        .await;
    assert_eq!(response.status().as_u16(), 204);

    let (status, body) = env
        .get(&format!("{base}/connector?microtenantId=abc"))
        .await;
    assert_eq!(status, 400);
    assert_eq!(body["id"], "bad.request");
}

#[tokio::test]
async fn deception_connectors_refuse_update_and_delete() {
    let env = start_default().await;
    let base = env.sim.api_url();
    let decoys = env.sim.deception_connector_ids();
    assert!(!decoys.is_empty());
    let decoy = &decoys[0];
    let url = format!("{base}/connector/{decoy}");
    let (_, before) = env.get(&url).await;
    assert_eq!(before["zscalerManaged"], true);

    let response = env
        .send(Method::PUT, &url, Some(json!({"name": "mine now"})))
        .await;
    assert_eq!(response.status().as_u16(), 400);
    let body = json(response).await;
    assert_eq!(body["id"], "bad.request");
    assert!(
        body["reason"]
            .as_str()
            .unwrap()
            .contains("managed by Zscaler Deception")
    );

    let response = env.send(Method::DELETE, &url, None).await;
    assert_eq!(response.status().as_u16(), 400);

    let other = env
        .sim
        .connector_microtenants()
        .into_iter()
        .find(|(id, m)| m == "0" && !decoys.contains(id))
        .unwrap()
        .0;
    let response = env
        .send(
            Method::POST,
            &format!("{base}/connector/bulkDelete"),
            Some(json!({"ids": [other, decoy]})),
        )
        .await;
    assert_eq!(response.status().as_u16(), 400);
    assert_eq!(env.sim.connector_ids().len(), 200, "nothing was deleted");
    let (_, after) = env.get(&url).await;
    assert_eq!(after["name"], before["name"]);
}

#[tokio::test]
async fn bulk_delete_with_unknown_ids_deletes_nothing() {
    let env = start_default().await;
    let base = env.sim.api_url();
    let decoys = env.sim.deception_connector_ids();
    let (first, _) = env
        .sim
        .connector_microtenants()
        .into_iter()
        .find(|(id, m)| m == "0" && !decoys.contains(id))
        .unwrap();
    let response = env
        .send(
            Method::POST,
            &format!("{base}/connector/bulkDelete"),
            Some(json!({"ids": [first, "999999999999999999"]})),
        )
        .await;
    assert_eq!(response.status().as_u16(), 404);
    let body = json(response).await;
    assert_eq!(body["id"], "resource.not.found");
    assert_eq!(body["params"], json!(["999999999999999999"]));
    assert_eq!(env.sim.connector_ids().len(), 200);

    let response = env
        .send(
            Method::POST,
            &format!("{base}/connector/bulkDelete"),
            Some(json!({"ids": []})),
        )
        .await;
    assert_eq!(response.status().as_u16(), 400);
}

#[tokio::test]
async fn data_can_change_between_pages() {
    let env = start(with_connectors(30)).await;
    let base = env.sim.api_url();
    let added = env.sim.insert_connector();
    let ids_now = env.sim.connector_ids();
    assert_eq!(ids_now.last(), Some(&added));
    let (status, body) = env.get(&format!("{base}/connector/{added}")).await;
    assert_eq!(status, 200);
    assert_eq!(body["id"], added.as_str());

    assert!(env.sim.remove_connector(&ids_now[0]));
    assert!(!env.sim.remove_connector(&ids_now[0]));
    let page = env.list(&base, "pagesize=10").await;
    assert_eq!(ids(&page), ids_now[1..11]);
}
