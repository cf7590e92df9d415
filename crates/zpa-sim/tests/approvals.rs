mod common;

use std::collections::BTreeSet;

use common::{approval_body, ids, json, now, start_default};
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn every_approval_operation_works_under_both_prefixes() {
    let env = start_default().await;
    let app = env.sim.application_ids()[0].clone();
    for base in env.bases() {
        let now = now();
        let response = env
            .send(
                Method::POST,
                &format!("{base}/approval"),
                Some(approval_body(&app, now - 60, now + 86400)),
            )
            .await;
        assert_eq!(response.status().as_u16(), 201);
        assert_eq!(
            response.headers()["content-type"],
            "application/json;charset=utf-8"
        );
        let created = json(response).await;
        let id = created["id"].as_str().unwrap().to_owned();
        assert_eq!(created["startTime"], (now - 60).to_string());
        assert_eq!(created["endTime"], (now + 86400).to_string());
        assert_eq!(created["emailIds"], json!(["new.user@example.com"]));
        assert_eq!(created["applications"][0]["id"], app.as_str());
        assert_eq!(created["applications"][0]["icmpAccessType"], "NONE");
        assert_eq!(created["applications"][0]["tcpKeepAlive"], "0");
        // As recorded live (zscaler-sdk-python's TestPRAApproval.yaml): the
        // answer to a create carries the status and modifiedTime, and each
        // segment's settings without its name, ports or times.
        assert_eq!(created["status"], "ACTIVE");
        assert_eq!(created["modifiedTime"], created["creationTime"]);
        assert_eq!(created["applications"][0]["matchStyle"], "EXCLUSIVE");
        assert_eq!(created["applications"][0].get("name"), None);

        let (status, fetched) = env.get(&format!("{base}/approval/{id}")).await;
        assert_eq!(status, 200);
        assert_eq!(fetched["status"], "ACTIVE");

        let listed = env.get(&format!("{base}/approval?pagesize=500")).await.1;
        assert!(ids(&listed).contains(&id));
        assert_eq!(
            listed["totalCount"],
            env.sim.approval_ids().len().to_string()
        );

        let mut update = approval_body(&app, now + 3600, now + 7200);
        update["startTime"] = json!((now + 3600).to_string());
        let response = env
            .send(Method::PUT, &format!("{base}/approval/{id}"), Some(update))
            .await;
        assert_eq!(response.status().as_u16(), 204);
        assert_eq!(response.text().await.unwrap(), "");
        let (_, fetched) = env.get(&format!("{base}/approval/{id}")).await;
        assert_eq!(fetched["status"], "FUTURE");
        assert_eq!(fetched["startTime"], (now + 3600).to_string());
        assert!(fetched["modifiedTime"].as_str().is_some());

        let response = env
            .send(Method::DELETE, &format!("{base}/approval/{id}"), None)
            .await;
        assert_eq!(response.status().as_u16(), 204);
        let (status, body) = env.get(&format!("{base}/approval/{id}")).await;
        assert_eq!(status, 404);
        assert_eq!(body["id"], "resource.not.found");

        // Delete expired: 204 while there is something to delete, then 200.
        let response = env
            .send(Method::DELETE, &format!("{base}/approval/expired"), None)
            .await;
        let first = response.status().as_u16();
        let response = env
            .send(Method::DELETE, &format!("{base}/approval/expired"), None)
            .await;
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(response.text().await.unwrap(), "");
        if base == env.sim.api_url() {
            assert_eq!(
                first, 204,
                "the generated data has expired approvals in Default"
            );
        }
    }
}

#[tokio::test]
async fn statuses_follow_the_clock() {
    let env = start_default().await;
    let base = env.sim.api_url();
    let listed = env.get(&format!("{base}/approval?pagesize=500")).await.1;
    let now = now();
    let mut seen = BTreeSet::new();
    for a in listed["list"].as_array().unwrap() {
        let start: i64 = a["startTime"].as_str().unwrap().parse().unwrap();
        let end: i64 = a["endTime"].as_str().unwrap().parse().unwrap();
        let expected = if now < start {
            "FUTURE"
        } else if now > end {
            "EXPIRED"
        } else {
            "ACTIVE"
        };
        assert_eq!(a["status"], expected);
        seen.insert(expected);
        assert_eq!(a["emailIds"].as_array().unwrap().len(), 1);
    }
    assert_eq!(seen.len(), 3);
    let items = listed["list"].as_array().unwrap();
    assert!(items.iter().any(|a| a.get("workingHours").is_some()));
    assert!(items.iter().any(|a| a.get("workingHours").is_none()));
    let tenants: BTreeSet<&str> = items
        .iter()
        .map(|a| {
            a.get("microtenantId")
                .and_then(Value::as_str)
                .unwrap_or("0")
        })
        .collect();
    assert_eq!(tenants.len(), 4);

    let active = env
        .get(&format!(
            "{base}/approval?search=status%20EQ%20ACTIVE&pagesize=500"
        ))
        .await
        .1;
    assert!(
        active["list"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["status"] == "ACTIVE")
    );
    assert_eq!(
        active["totalCount"],
        items
            .iter()
            .filter(|a| a["status"] == "ACTIVE")
            .count()
            .to_string()
    );

    // Expired ones go; in Default only, as writes without microtenantId act there.
    let response = env
        .send(Method::DELETE, &format!("{base}/approval/expired"), None)
        .await;
    assert_eq!(response.status().as_u16(), 204);
    let after = env.get(&format!("{base}/approval?pagesize=500")).await.1;
    for a in after["list"].as_array().unwrap() {
        assert!(a["status"] != "EXPIRED" || a.get("microtenantId").is_some());
    }
}

#[tokio::test]
async fn sorts_by_every_field_both_ways() {
    let env = start_default().await;
    let base = env.sim.api_url();
    for field in [
        "id",
        "creationTime",
        "modifiedTime",
        "modifiedBy",
        "startTime",
        "endTime",
        "status",
        "emailIds",
        "microtenantId",
    ] {
        for dir in ["ASC", "DSC"] {
            let (status, body) = env
                .get(&format!(
                    "{base}/approval?sortBy={field}&sortdir={dir}&pagesize=500"
                ))
                .await;
            assert_eq!(status, 200);
            let keys: Vec<Key> = body["list"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| key(a, field))
                .collect();
            assert_eq!(keys.len(), 40);
            for pair in keys.windows(2) {
                if dir == "ASC" {
                    assert!(pair[0] <= pair[1], "{field} {dir}: {pair:?}");
                } else {
                    assert!(pair[0] >= pair[1], "{field} {dir}: {pair:?}");
                }
            }
        }
    }
    for bad in ["sortBy=color", "sortBy=id&sortdir=DESC"] {
        let (status, body) = env.get(&format!("{base}/approval?{bad}")).await;
        assert_eq!(status, 400, "{bad}");
        assert_eq!(body["id"], "bad.request");
    }
}

#[derive(Debug, PartialEq, PartialOrd)]
enum Key {
    Missing,
    Number(i128),
    Text(String),
}

fn key(approval: &Value, field: &str) -> Key {
    let value = match field {
        "emailIds" => approval["emailIds"][0].clone(),
        "microtenantId" => approval.get(field).cloned().unwrap_or(json!("0")),
        _ => approval.get(field).cloned().unwrap_or(Value::Null),
    };
    match value.as_str() {
        None => Key::Missing,
        Some(s) if field == "status" || field == "emailIds" => Key::Text(s.to_owned()),
        Some(s) => Key::Number(s.parse().unwrap()),
    }
}

#[tokio::test]
async fn approval_bodies_are_validated() {
    let env = start_default().await;
    let url = format!("{}/approval", env.sim.api_url());
    let app = env.sim.application_ids()[0].clone();
    let now = now();
    let valid = approval_body(&app, now, now + 3600);
    let mut cases: Vec<(Value, &str)> = Vec::new();
    let mut two = valid.clone();
    two["emailIds"] = json!(["a@example.com", "b@example.com"]);
    cases.push((two, "emailIds"));
    let mut none = valid.clone();
    none["emailIds"] = json!([]);
    cases.push((none, "emailIds"));
    let mut not_email = valid.clone();
    not_email["emailIds"] = json!(["not an email"]);
    cases.push((not_email, "emailIds"));
    let mut backwards = valid.clone();
    backwards["endTime"] = json!(now - 10);
    cases.push((backwards, "startTime"));
    let mut no_apps = valid.clone();
    no_apps["applications"] = json!([]);
    cases.push((no_apps, "applications"));
    let mut bad_day = valid.clone();
    bad_day["workingHours"] =
        json!({"days": ["MOON"], "startTime": "09:00", "endTime": "17:00", "timeZone": "UTC"});
    cases.push((bad_day, "workingHours"));
    let mut bad_time = valid.clone();
    bad_time["workingHours"] =
        json!({"days": ["MON"], "startTime": "9:00", "endTime": "17:00", "timeZone": "UTC"});
    cases.push((bad_time, "workingHours"));
    let mut unknown_app = valid.clone();
    unknown_app["applications"] = json!([{"id": "123"}]);
    cases.push((unknown_app, "123"));

    let before = env.sim.approval_ids().len();
    for (body, param) in cases {
        let response = env.send(Method::POST, &url, Some(body.clone())).await;
        assert_eq!(response.status().as_u16(), 400, "{body}");
        let error = json(response).await;
        assert_eq!(error["id"], "bad.request");
        assert_eq!(error["params"], json!([param]), "{body}");
    }
    let response = env
        .request(Method::POST, &url)
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    assert_eq!(env.sim.approval_ids().len(), before);

    // Numbers as strings and working hours from the seed are accepted.
    let mut seed_like = valid.clone();
    seed_like["startTime"] = json!(now.to_string());
    seed_like["workingHours"] = json!({
        "days": ["MON", "TUE", "WED", "THU", "FRI"], "startTime": "09:00", "endTime": "17:00",
        "timeZone": "America/Vancouver",
        "startTimeCron": "0 0 16 ? * MON,TUE,WED,THU,FRI", "endTimeCron": "0 0 0 ? * TUE,WED,THU,FRI,SAT"
    });
    seed_like["currentTime"] = json!(now);
    let response = env.send(Method::POST, &url, Some(seed_like)).await;
    assert_eq!(response.status().as_u16(), 201);
    let created = json(response).await;
    assert_eq!(created["workingHours"]["timeZone"], "America/Vancouver");
    assert_eq!(
        created["workingHours"]["endTimeCron"],
        "0 0 0 ? * TUE,WED,THU,FRI,SAT"
    );
}

#[tokio::test]
async fn approvals_are_scoped_by_microtenant() {
    let env = start_default().await;
    let base = env.sim.api_url();
    let finance = "145260601092866314";
    let app = env.sim.application_ids()[0].clone();
    let now = now();
    let response = env
        .send(
            Method::POST,
            &format!("{base}/approval?microtenantId={finance}"),
            Some(approval_body(&app, now, now + 600)),
        )
        .await;
    assert_eq!(response.status().as_u16(), 201);
    let created = json(response).await;
    assert_eq!(created["microtenantId"], finance);
    let id = created["id"].as_str().unwrap();

    let only = env
        .get(&format!(
            "{base}/approval?microtenantId={finance}&pagesize=500"
        ))
        .await
        .1;
    assert!(
        only["list"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["microtenantId"] == finance)
    );
    assert!(ids(&only).contains(&id.to_owned()));
    let default = env
        .get(&format!("{base}/approval?microtenantId=0&pagesize=500"))
        .await
        .1;
    assert!(
        default["list"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a.get("microtenantId").is_none())
    );

    let (status, _) = env
        .get(&format!("{base}/approval/{id}?microtenantId=0"))
        .await;
    assert_eq!(status, 404);
    let (status, _) = env.get(&format!("{base}/approval/{id}")).await;
    assert_eq!(
        status, 200,
        "reads without microtenantId see every microtenant"
    );
    let response = env
        .send(Method::DELETE, &format!("{base}/approval/{id}"), None)
        .await;
    assert_eq!(
        response.status().as_u16(),
        404,
        "writes without it act in Default"
    );
    let response = env
        .send(
            Method::DELETE,
            &format!("{base}/approval/{id}?microtenantId={finance}"),
            None,
        )
        .await;
    assert_eq!(response.status().as_u16(), 204);
}
