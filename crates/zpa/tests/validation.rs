//! Bad input is rejected with an error naming it, before any request.

mod common;

use zpa::{ApplicationRef, ApprovalRequest, ConnectorUpdate, Weekday, WorkingHours};

#[tokio::test]
async fn every_approval_rule() {
    let sim = common::sim(1).await;
    let zpa = common::client(&sim);
    let app = sim.application_ids()[0].clone();
    let start = common::now() + 60;
    let valid = ApprovalRequest::new("user@example.com", [app.clone()], start, start + 3_600);
    let hours = WorkingHours::new([Weekday::Mon], "09:00", "17:00", "Europe/Berlin");
    let listed_twice = format!("invalid application segments: {app} is listed twice");
    let long_name = "x".repeat(10_000);
    let cases: Vec<(ApprovalRequest, &str)> = vec![
        (
            ApprovalRequest {
                email: "".into(),
                ..valid.clone()
            },
            "invalid email: \"\" is not an email address",
        ),
        (
            ApprovalRequest {
                email: "user.example.com".into(),
                ..valid.clone()
            },
            "invalid email: \"user.example.com\" is not an email address",
        ),
        (
            ApprovalRequest {
                email: "a@example.com,b@example.com".into(),
                ..valid.clone()
            },
            "invalid email: \"a@example.com,b@example.com\" holds more than one address; an approval is for exactly one user",
        ),
        (
            ApprovalRequest {
                email: "user@localhost".into(),
                ..valid.clone()
            },
            "invalid email: \"user@localhost\" is not an email address",
        ),
        (
            ApprovalRequest {
                applications: vec![],
                ..valid.clone()
            },
            "invalid application segments: at least one application segment is needed",
        ),
        (
            ApprovalRequest {
                applications: vec!["12345678901234567890".into()],
                ..valid.clone()
            },
            "invalid application segments: \"12345678901234567890\" is not an id (digits only, at most 19)",
        ),
        (
            ApprovalRequest {
                applications: vec![app.clone().into(), app.clone().into()],
                ..valid.clone()
            },
            &listed_twice,
        ),
        (
            ApprovalRequest {
                applications: vec![ApplicationRef::name("SSH"), ApplicationRef::name("SSH")],
                ..valid.clone()
            },
            "invalid application segments: \"SSH\" is listed twice",
        ),
        (
            ApprovalRequest {
                applications: vec![ApplicationRef::name(" ")],
                ..valid.clone()
            },
            "invalid application segments: a name cannot be empty",
        ),
        (
            ApprovalRequest {
                applications: vec![ApplicationRef::name(long_name.as_str())],
                ..valid.clone()
            },
            "invalid application segments: a name of 10000 characters is longer than the 512 a lookup takes",
        ),
        (
            ApprovalRequest {
                applications: vec!["SSH\u{7}Bastion".into()],
                ..valid.clone()
            },
            "invalid application segments: \"SSH\\u{7}Bastion\" holds a control character",
        ),
        (
            ApprovalRequest {
                end_time: start,
                ..valid.clone()
            },
            "invalid end time: must be after the start time",
        ),
        (
            ApprovalRequest {
                start_time: common::now() - 7_200,
                end_time: common::now(),
                ..valid.clone()
            },
            "invalid start time: must be no earlier than one hour ago",
        ),
        (
            ApprovalRequest {
                end_time: start + 366 * 86_400,
                ..valid.clone()
            },
            "invalid end time: must be at most 365 days after the start time",
        ),
        (
            valid.clone().working_hours(WorkingHours {
                time_zone: "Europe/Berlinn".into(),
                ..hours.clone()
            }),
            "invalid time zone: \"Europe/Berlinn\" is not an IANA time zone name",
        ),
        (
            valid.clone().working_hours(WorkingHours {
                start: "9am".into(),
                ..hours.clone()
            }),
            "invalid working hours start time: \"9am\" is not a time HH:MM (00:00 to 23:59)",
        ),
        (
            valid.clone().working_hours(WorkingHours {
                days: vec![],
                ..hours.clone()
            }),
            "invalid working hours days: at least one day is needed",
        ),
    ];
    for (request, message) in cases {
        assert_eq!(
            zpa.approvals()
                .create(&request)
                .await
                .unwrap_err()
                .to_string(),
            message
        );
        assert_eq!(
            zpa.approvals()
                .update("5", &request)
                .await
                .unwrap_err()
                .to_string(),
            message
        );
    }
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());
    // An hour of grace: a start a little in the past is fine.
    let recent = ApprovalRequest {
        start_time: common::now() - 3_000,
        ..valid.clone()
    };
    zpa.approvals()
        .create(&recent.working_hours(hours))
        .await
        .unwrap();
    // America/Vancouver is a valid zone (one other client rejected it).
    let vancouver = WorkingHours::new([Weekday::Tue], "08:30", "16:30", "America/Vancouver");
    zpa.approvals()
        .create(&valid.working_hours(vancouver))
        .await
        .unwrap();
}

#[tokio::test]
async fn ids_and_other_arguments() {
    let sim = common::sim(1).await;
    let zpa = common::client(&sim);
    let cases = [
        (
            zpa.connectors().get("abc").await.map(drop),
            "invalid connector id: \"abc\" is not an id (digits only, at most 19)",
        ),
        (
            zpa.connectors().get("-1").await.map(drop),
            "invalid connector id: \"-1\" is not an id (digits only, at most 19)",
        ),
        (
            zpa.connectors().get("12345678901234567890").await.map(drop),
            "invalid connector id: \"12345678901234567890\" is not an id (digits only, at most 19)",
        ),
        (
            zpa.connectors().delete("1 OR 1=1").await,
            "invalid connector id: \"1 OR 1=1\" is not an id (digits only, at most 19)",
        ),
        (
            zpa.connectors().update("1", &ConnectorUpdate::new()).await,
            "invalid update: nothing to change: set a name, a description or enabled",
        ),
        (
            zpa.connectors()
                .update("1", &ConnectorUpdate::new().name(" "))
                .await,
            "invalid name: cannot be empty",
        ),
        (
            zpa.connectors().bulk_delete(Vec::<String>::new()).await,
            "invalid ids: no connector to delete",
        ),
        (
            zpa.connectors().bulk_delete(&["1", "x"]).await,
            "invalid connector id: \"x\" is not an id (digits only, at most 19)",
        ),
        (
            zpa.approvals().get("../1").await.map(drop),
            "invalid approval id: \"../1\" is not an id (digits only, at most 19)",
        ),
        (
            zpa.applications().get("segment").await.map(drop),
            "invalid application segment id: \"segment\" is not an id (digits only, at most 19)",
        ),
        (
            zpa.applications().by_name("").await.map(drop),
            "invalid name: a name cannot be empty",
        ),
        (
            zpa.connectors().by_name("edge\n1").await.map(drop),
            "invalid name: \"edge\\n1\" holds a control character",
        ),
        (
            zpa.applications()
                .by_name(&"名".repeat(10_000))
                .await
                .map(drop),
            "invalid name: a name of 10000 characters is longer than the 512 a lookup takes",
        ),
        (
            zpa.connectors()
                .stale(zpa::ZpaDuration::days(u64::MAX))
                .page(1)
                .await
                .map(drop),
            "invalid search: at character 88: 213503982334601d 7h 15s is longer than 36500d (100 years), the most a search compares",
        ),
        (
            zpa.microtenant("abc").map(drop),
            "invalid microtenant id: \"abc\" is not an id (digits only, at most 19)",
        ),
    ];
    for (result, message) in cases {
        assert_eq!(result.unwrap_err().to_string(), message);
    }
    assert!(sim.requests().is_empty());
}
