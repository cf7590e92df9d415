//! The `zpa` binary as a process: application segments, approvals made from
//! a segment's name, and connectors written where they live.

use std::process::{Command, Stdio};

use zpa_sim::{Sim, SimConfig};

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

async fn sim() -> Sim {
    Sim::start(SimConfig {
        connectors: 300,
        ..SimConfig::default()
    })
    .await
    .unwrap()
}

fn run(sim: &Sim, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_zpa"))
        .args([
            "--base-url",
            &sim.base_url(),
            "--customer-id",
            sim.customer_id(),
        ])
        .args(["--token", sim.static_token(), "--rate-limit", "off"])
        .args(args)
        .env_clear()
        .stdin(Stdio::null())
        .output()
        .unwrap();
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn applications_list_and_get_by_id_or_name() {
    let sim = sim().await;
    let all = sim.applications();
    let table = run(&sim, &["applications", "list"]);
    assert_eq!(table.status, 0, "{}", table.stderr);
    let lines: Vec<&str> = table.stdout.lines().collect();
    assert_eq!(lines.len(), all.len() + 1, "{}", table.stdout);
    assert!(
        lines[0].starts_with("ID                  NAME"),
        "{}",
        lines[0]
    );
    assert!(table.stdout.contains("Zürich Ops – Jump Hosts"));
    assert!(table.stdout.contains("Engineering & R/D"));

    let json = run(&sim, &["applications", "list", "-o", "json"]);
    let listed: Vec<serde_json::Value> = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(listed.len(), all.len());

    let pra = run(
        &sim,
        &[
            "applications",
            "list",
            "--type",
            "SECURE_REMOTE_ACCESS",
            "-o",
            "ndjson",
        ],
    );
    assert_eq!(pra.status, 0, "{}", pra.stderr);
    for line in pra.stdout.lines() {
        let app: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(all.iter().any(|(id, ..)| app["appId"] == id.as_str()));
    }
    let wrong = run(&sim, &["applications", "list", "--type", "SSH"]);
    assert_eq!(wrong.status, 2);
    assert!(
        wrong.stderr.contains("SECURE_REMOTE_ACCESS"),
        "{}",
        wrong.stderr
    );

    let (id, name, _) = all
        .iter()
        .find(|(_, n, _)| n == "SSH Jump / Bastion")
        .unwrap();
    for key in [id.as_str(), name.as_str()] {
        let got = run(&sim, &["applications", "get", key, "-o", "json"]);
        assert_eq!(got.status, 0, "{}", got.stderr);
        let segment: serde_json::Value = serde_json::from_str(&got.stdout).unwrap();
        assert_eq!(segment["id"], id.as_str());
    }
    let missed = run(&sim, &["applications", "get", "ssh jump / bastion"]);
    assert_eq!(missed.status, 1);
    assert_eq!(
        missed.stderr,
        "error: finding application segment \"ssh jump / bastion\": no application segment named \"ssh jump / bastion\" (names match case; there is \"SSH Jump / Bastion\")\n"
    );
    let ambiguous = run(&sim, &["applications", "get", "Jump Hosts"]);
    assert_eq!(ambiguous.status, 1);
    assert!(
        ambiguous.stderr.contains("(microtenant Finance)"),
        "{}",
        ambiguous.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_approval_is_created_from_a_segment_name() {
    let sim = sim().await;
    let (id, ..) = sim
        .applications()
        .into_iter()
        .find(|(_, n, _)| n == "SSH Jump / Bastion")
        .unwrap();
    let start = (now() + 600).to_string();
    let end = (now() + 600 + 7 * 86_400).to_string();
    let args = |app: &'static str| {
        vec![
            "approvals",
            "create",
            "--email",
            "oncall@example.com",
            "--app",
            app,
            "--start",
        ]
    };
    let mut create = args("SSH Jump / Bastion");
    create.extend([start.as_str(), "--end", &end, "-o", "json"]);
    let created = run(&sim, &create);
    assert_eq!(created.status, 0, "{}", created.stderr);
    let approval: serde_json::Value = serde_json::from_str(&created.stdout).unwrap();
    assert_eq!(approval["applications"][0]["id"], id.as_str());

    // Bad names are refused before any request, named as the option.
    sim.clear_log();
    let long = "x".repeat(10_000);
    for (app, reason) in [
        ("", "a name cannot be empty"),
        ("SSH\u{1b}[2J", "holds a control character"),
        (
            long.as_str(),
            "a name of 10000 characters is longer than the 512 a lookup takes",
        ),
    ] {
        let mut bad = vec![
            "approvals",
            "create",
            "--email",
            "a@example.com",
            "--app",
            app,
        ];
        bad.extend(["--start", start.as_str(), "--end", &end]);
        let refused = run(&sim, &bad);
        assert_eq!(refused.status, 2, "{}", refused.stderr);
        assert!(
            refused.stderr.starts_with("error: invalid --app: "),
            "{}",
            refused.stderr
        );
        assert!(refused.stderr.contains(reason), "{}", refused.stderr);
    }
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connector_in_a_microtenant_is_updated_and_deleted_by_id() {
    let sim = sim().await;
    let finance = sim.microtenants()[1].0.clone();
    let decoys = sim.deception_connector_ids();
    let id = sim
        .connector_microtenants()
        .into_iter()
        .find(|(id, t)| *t == finance && !decoys.contains(id))
        .unwrap()
        .0;
    let updated = run(
        &sim,
        &["connectors", "update", &id, "--description", "hello"],
    );
    assert_eq!(updated.status, 0, "{}", updated.stderr);
    let got = run(&sim, &["connectors", "get", &id, "-o", "json"]);
    let connector: serde_json::Value = serde_json::from_str(&got.stdout).unwrap();
    assert_eq!(connector["description"], "hello");
    assert_eq!(connector["microtenantId"], finance.as_str());

    let deleted = run(&sim, &["connectors", "delete", &id]);
    assert_eq!(deleted.status, 0, "{}", deleted.stderr);
    let again = run(&sim, &["connectors", "delete", &id]);
    assert_eq!(again.status, 1);
    assert_eq!(
        again.stderr,
        format!(
            "error: deleting connector {id}: no connector {id} in the Default microtenant, nor in any other these credentials can read\n"
        )
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_absurd_age_is_the_options_error() {
    let sim = sim().await;
    let stale = run(
        &sim,
        &["connectors", "stale", "--disconnected-for", "99999999d"],
    );
    assert_eq!(stale.status, 2, "{}", stale.stderr);
    assert!(
        stale
            .stderr
            .starts_with("error: invalid --disconnected-for: "),
        "{}",
        stale.stderr
    );
    assert!(sim.requests().is_empty());
}
