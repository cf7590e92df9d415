//! The built `zpa` binary against the simulator over HTTP: every command and
//! output format, confirmations, error lines and exit codes.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use zpa_sim::{Sim, SimConfig, without_durations};

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

impl From<Output> for Run {
    fn from(output: Output) -> Self {
        Run {
            status: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).unwrap(),
            stderr: String::from_utf8(output.stderr).unwrap(),
        }
    }
}

async fn sim(connectors: usize) -> Sim {
    Sim::start(SimConfig {
        connectors,
        ..SimConfig::default()
    })
    .await
    .unwrap()
}

fn zpa(sim: &Sim) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_zpa"));
    command
        .args([
            "--base-url",
            &sim.base_url(),
            "--customer-id",
            sim.customer_id(),
        ])
        .args(["--token", sim.static_token(), "--rate-limit", "off"])
        .env_clear()
        .stdin(Stdio::null());
    command
}

fn run(sim: &Sim, args: &[&str]) -> Run {
    zpa(sim).args(args).output().unwrap().into()
}

/// Runs the binary with `args` only: no environment, no simulator.
fn run_bare(args: &[&str]) -> Run {
    Command::new(env!("CARGO_BIN_EXE_zpa"))
        .args(args)
        .env_clear()
        .output()
        .unwrap()
        .into()
}

/// Runs in a pseudo-terminal (util-linux `script`), typing `input`.
fn run_in_terminal(sim: &Sim, args: &[&str], input: &str) -> Run {
    let program = zpa(sim).get_program().to_str().unwrap().to_owned();
    let all: Vec<String> = zpa(sim)
        .get_args()
        .map(|a| a.to_str().unwrap().to_owned())
        .chain(args.iter().map(|a| a.to_string()))
        .collect();
    let line = std::iter::once(program)
        .chain(all)
        .map(|a| format!("'{a}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let mut child = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap().into()
}

fn deletable(sim: &Sim, n: usize) -> Vec<String> {
    let decoys = sim.deception_connector_ids();
    sim.connector_microtenants()
        .into_iter()
        .filter(|(id, tenant)| tenant == "0" && !decoys.contains(id))
        .map(|(id, _)| id)
        .take(n)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connectors_list_in_every_format() {
    let sim = sim(200).await;
    let table = run(&sim, &["connectors", "list"]);
    assert_eq!(table.status, 0, "{}", table.stderr);
    let lines: Vec<&str> = table.stdout.lines().collect();
    assert_eq!(lines.len(), 201);
    assert_eq!(
        lines[0],
        "ID                  NAME                                  GROUP                       STATUS         VERSION         DISCONNECTED FOR   ENABLED  MICROTENANT"
    );
    assert!(
        lines.iter().any(|line| line.ends_with("  Finance")),
        "where each connector lives, its writes go"
    );
    assert!(
        table.stderr.is_empty(),
        "no progress bar in a pipe: {:?}",
        table.stderr
    );

    let json = run(
        &sim,
        &["connectors", "list", "--output", "json", "--page-size", "7"],
    );
    let array: Vec<serde_json::Value> = serde_json::from_str(&json.stdout).unwrap();
    let ids: Vec<&str> = array
        .iter()
        .map(|c| c["id"].as_str().expect("ids are strings"))
        .collect();
    assert_eq!(ids, sim.connector_ids());
    assert!(
        array[0]["modifiedTime"].is_string(),
        "numbers as the API gives them"
    );

    let ndjson = run(
        &sim,
        &[
            "connectors",
            "list",
            "-o",
            "ndjson",
            "--search",
            "enabled EQ false",
        ],
    );
    let objects: Vec<serde_json::Value> = ndjson
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // Ids, not whole objects: the durations in them move with the clock.
    let disabled: Vec<&serde_json::Value> = array
        .iter()
        .filter(|c| c["enabled"] == false)
        .map(|c| &c["id"])
        .collect();
    assert!(!disabled.is_empty());
    assert_eq!(
        objects.iter().map(|c| &c["id"]).collect::<Vec<_>>(),
        disabled
    );

    let page = run(
        &sim,
        &[
            "connectors",
            "list",
            "--page",
            "2",
            "--page-size",
            "10",
            "-o",
            "ndjson",
        ],
    );
    assert_eq!(page.stdout.lines().count(), 10);
    let eleventh: serde_json::Value =
        serde_json::from_str(page.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(eleventh["id"], array[10]["id"]);

    let empty = run(
        &sim,
        &[
            "connectors",
            "list",
            "-o",
            "json",
            "--search",
            "name EQ nothing by that name",
        ],
    );
    assert_eq!(empty.stdout, "[]\n");
}

/// Against a server that sends fields no model knows (nested objects,
/// arrays, nulls, an integer beyond 2^64, `2.50`), `json` and `ndjson` print
/// each object exactly as it was sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_and_ndjson_print_what_the_server_sent() {
    let sim = Sim::start(SimConfig {
        connectors: 700,
        future_fields: true,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let steady = |lines: &str| -> Vec<String> { lines.lines().map(without_durations).collect() };
    let sent = |objects: Vec<String>| -> Vec<String> {
        objects.iter().map(|o| without_durations(o)).collect()
    };

    let ndjson = run(&sim, &["connectors", "list", "-o", "ndjson"]);
    assert_eq!(ndjson.status, 0, "{}", ndjson.stderr);
    assert_eq!(steady(&ndjson.stdout), sent(sim.connectors_json()));
    assert!(
        ndjson
            .stdout
            .contains(r#""maxTunnels":18446744073709551616"#)
    );
    assert!(ndjson.stdout.contains(r#""weights":[1,2.50,null]"#));

    let json = run(&sim, &["approvals", "list", "-o", "json"]);
    assert_eq!(json.status, 0, "{}", json.stderr);
    let lines: Vec<&str> = json.stdout.lines().collect();
    assert_eq!((lines[0], lines[lines.len() - 1]), ("[", "]"));
    let objects: Vec<String> = lines[1..lines.len() - 1]
        .iter()
        .map(|line| line.trim_end_matches(',').to_owned())
        .collect();
    assert_eq!(objects, sim.approvals_json());

    let id = &sim.connector_ids()[5];
    let one = run(&sim, &["connectors", "get", id, "-o", "json"]);
    assert_eq!(one.status, 0, "{}", one.stderr);
    assert!(one.stdout.starts_with("{\n  \"id\": "), "{}", one.stdout);
    assert!(one.stdout.contains("\"decommissionedAt\": null"));
    assert!(one.stdout.contains("\"maxTunnels\": 18446744073709551616,"));
    let compact: String = one
        .stdout
        .lines()
        .map(|line| line.trim_start().replacen("\": ", "\":", 1))
        .collect();
    assert_eq!(without_durations(&compact), sent(sim.connectors_json())[5]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connectors_get_update_delete() {
    let sim = sim(30).await;
    let id = deletable(&sim, 1).remove(0);
    let shown = run(&sim, &["connectors", "get", &id]);
    assert_eq!(shown.status, 0);
    assert!(
        shown
            .stdout
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["id", id.as_str()]),
        "{}",
        shown.stdout
    );

    let updated = run(
        &sim,
        &[
            "connectors",
            "update",
            &id,
            "--name",
            "edge 7 & co",
            "--enabled",
            "false",
        ],
    );
    assert_eq!(
        (updated.status, updated.stderr.as_str()),
        (0, format!("updated connector {id}\n").as_str())
    );
    let put = sim
        .requests()
        .into_iter()
        .find(|r| r.method == "PUT")
        .unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&put.body).unwrap(),
        serde_json::json!({"name": "edge 7 & co", "enabled": false})
    );
    let json = run(&sim, &["connectors", "get", &id, "-o", "json"]);
    let connector: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(
        (connector["name"].as_str(), connector["enabled"].as_bool()),
        (Some("edge 7 & co"), Some(false))
    );

    let deleted = run(&sim, &["connectors", "delete", &id]);
    assert_eq!(deleted.status, 0);
    assert!(!sim.connector_ids().contains(&id));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lookups_by_name_and_email() {
    let sim = sim(30).await;
    let id = deletable(&sim, 1).remove(0);
    let name = "Edge \"West\" & Co + Ünï 7";
    assert_eq!(
        run(&sim, &["connectors", "update", &id, "--name", name]).status,
        0
    );
    let found = run(&sim, &["connectors", "get", "--name", name, "-o", "json"]);
    assert_eq!(found.status, 0, "{}", found.stderr);
    let connector: serde_json::Value = serde_json::from_str(&found.stdout).unwrap();
    assert_eq!(connector["id"], id.as_str());
    let missing = run(&sim, &["connectors", "get", "--name", "nothing like it"]);
    assert_eq!(
        (missing.status, missing.stderr.as_str()),
        (
            1,
            "error: finding connector \"nothing like it\": no connector named \"nothing like it\"\n"
        )
    );
    let both = run(&sim, &["connectors", "get", &id, "--name", name]);
    assert_eq!(both.status, 2, "an id and a name conflict: {}", both.stderr);

    let listed = run(
        &sim,
        &[
            "approvals",
            "list",
            "-o",
            "ndjson",
            "--page",
            "1",
            "--page-size",
            "1",
        ],
    );
    let approval: serde_json::Value =
        serde_json::from_str(listed.stdout.lines().next().unwrap()).unwrap();
    let email = approval["emailIds"][0].as_str().unwrap();
    let mine = run(
        &sim,
        &["approvals", "get", "--email", email, "-o", "ndjson"],
    );
    assert_eq!(mine.status, 0, "{}", mine.stderr);
    assert!(mine.stdout.lines().count() >= 1);
    assert!(mine.stdout.lines().all(|l| l.contains(email)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_delete_confirms_refuses_and_dry_runs() {
    let sim = sim(30).await;
    let ids = deletable(&sim, 4);
    let (first, second) = (&ids[..2], &ids[2..]);
    let posts = || sim.requests().iter().filter(|r| r.method == "POST").count();

    let mut args = vec!["connectors", "bulk-delete"];
    args.extend(first.iter().map(String::as_str));
    let refused = run(&sim, &args);
    assert_eq!(refused.status, 2);
    assert!(refused.stderr.ends_with(
        "error: refusing to delete 2 connectors without confirmation: no terminal to ask; pass --yes\n"
    ), "{}", refused.stderr);
    assert!(
        refused.stderr.contains(&first[0]),
        "the list is shown first"
    );

    let dry = run(&sim, &[args.as_slice(), &["--dry-run"]].concat());
    assert_eq!(dry.status, 0);
    assert!(dry.stderr.contains("dry run: nothing deleted"));

    let declined = run_in_terminal(&sim, &args, "n\n");
    assert_eq!(declined.status, 0, "{}", declined.stdout);
    assert!(
        declined.stdout.contains("Delete 2 connectors? [y/N]"),
        "{}",
        declined.stdout
    );
    assert_eq!(posts(), 0);

    let accepted = run_in_terminal(&sim, &args, "y\n");
    assert_eq!(accepted.status, 0, "{}", accepted.stdout);
    assert_eq!(posts(), 1);
    assert!(first.iter().all(|id| !sim.connector_ids().contains(id)));

    let mut args = vec!["connectors", "bulk-delete", "--yes"];
    args.extend(second.iter().map(String::as_str));
    assert_eq!(run(&sim, &args).status, 0);
    assert_eq!(posts(), 2);
    assert!(second.iter().all(|id| !sim.connector_ids().contains(id)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stale_lists_and_deletes() {
    let sim = sim(200).await;
    let listed = run(
        &sim,
        &[
            "connectors",
            "stale",
            "--disconnected-for",
            "15d",
            "-o",
            "ndjson",
        ],
    );
    assert_eq!(listed.status, 0, "{}", listed.stderr);
    let stale: Vec<serde_json::Value> = listed
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!stale.is_empty());
    assert!(
        stale
            .iter()
            .all(|c| c["controlChannelStatus"] == "ZPN_STATUS_DISCONNECTED")
    );

    let deleted = run(
        &sim,
        &[
            "connectors",
            "stale",
            "--disconnected-for",
            "15d",
            "--delete",
            "--yes",
            "-o",
            "ndjson",
        ],
    );
    assert_eq!(deleted.status, 0, "{}", deleted.stderr);
    let gone: Vec<String> = deleted
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let left_behind: Vec<String> = sim
        .connector_microtenants()
        .into_iter()
        .filter(|(id, _)| gone.contains(id))
        .map(|(id, _)| id)
        .collect();
    assert_eq!(gone.len(), stale.len());
    // Zscaler Deception's decoys are listed but cannot be deleted.
    let decoys = sim.deception_connector_ids();
    assert!(!left_behind.is_empty());
    assert!(
        left_behind.iter().all(|id| decoys.contains(id)),
        "every other stale connector is gone, in every microtenant: {left_behind:?}"
    );
    assert!(deleted.stderr.contains(&format!(
        "leaving out {} connectors that Zscaler manages\n",
        left_behind.len()
    )));
    let posts = sim
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST")
        .count();
    assert!(posts > 1, "one bulk delete per microtenant, got {posts}");
    assert!(
        deleted.stderr.ends_with(&format!(
            "deleted {} connectors\n",
            gone.len() - left_behind.len()
        )),
        "{}",
        deleted.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approvals_commands() {
    let sim = sim(5).await;
    let app = sim.application_ids()[0].clone();
    let start = (std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 600)
        .to_string();
    let created = run(
        &sim,
        &[
            "approvals",
            "create",
            "--email",
            "oncall@example.com",
            "--app",
            &app,
            "--start",
            &start,
            "--end",
            "2099-01-01T00:00:00Z",
            "--days",
            "MON,TUE",
            "--hours",
            "09:00-17:00",
            "--time-zone",
            "Asia/Kolkata",
            "-o",
            "json",
        ],
    );
    assert_eq!(created.status, 2, "more than 365 days: {}", created.stderr);
    assert_eq!(
        created.stderr,
        "error: invalid --end: must be at most 365 days after the start time\n"
    );

    let end = (start.parse::<u64>().unwrap() + 86_400).to_string();
    let created = run(
        &sim,
        &[
            "approvals",
            "create",
            "--email",
            "oncall@example.com",
            "--app",
            &app,
            "--start",
            &start,
            "--end",
            &end,
            "--days",
            "MON,TUE",
            "--hours",
            "09:00-17:00",
            "--time-zone",
            "Asia/Kolkata",
            "-o",
            "json",
        ],
    );
    assert_eq!(created.status, 0, "{}", created.stderr);
    let approval: serde_json::Value = serde_json::from_str(&created.stdout).unwrap();
    assert_eq!(
        approval["workingHours"]["startTimeCron"],
        "0 30 3 ? * MON,TUE"
    );
    let id = approval["id"].as_str().unwrap().to_owned();

    // Only what is given changes: the end moves, the user, the segments
    // and the working hours stay.
    let later = (end.parse::<u64>().unwrap() + 86_400).to_string();
    let updated = run(&sim, &["approvals", "update", &id, "--end", &later]);
    assert_eq!(updated.status, 0, "{}", updated.stderr);
    let got = run(&sim, &["approvals", "get", &id, "-o", "json"]);
    let approval: serde_json::Value = serde_json::from_str(&got.stdout).unwrap();
    assert_eq!(approval["endTime"], later.as_str());
    assert_eq!(approval["startTime"], start.as_str());
    assert_eq!(approval["emailIds"][0], "oncall@example.com");
    assert_eq!(
        approval["workingHours"]["startTimeCron"],
        "0 30 3 ? * MON,TUE"
    );
    let updated = run(&sim, &["approvals", "update", &id, "--no-hours"]);
    assert_eq!(updated.status, 0, "{}", updated.stderr);
    let got = run(&sim, &["approvals", "get", &id, "-o", "json"]);
    let approval: serde_json::Value = serde_json::from_str(&got.stdout).unwrap();
    assert!(approval.get("workingHours").is_none(), "{approval}");
    assert_eq!(approval["endTime"], later.as_str());
    let nothing = run(&sim, &["approvals", "update", &id]);
    assert_eq!(nothing.status, 2, "{}", nothing.stderr);
    assert_eq!(
        nothing.stderr,
        "error: invalid changes (--email, --app, --start, --end, --days, --hours, --time-zone or --no-hours): nothing to change\n"
    );

    let sorted = run(
        &sim,
        &[
            "approvals",
            "list",
            "--sort-by",
            "endTime",
            "--sort-dir",
            "desc",
            "-o",
            "ndjson",
        ],
    );
    let ends: Vec<i64> = sorted
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["endTime"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    assert!(ends.windows(2).all(|w| w[0] >= w[1]));
    let table = run(&sim, &["approvals", "list"]);
    assert!(
        table.stdout.starts_with("ID        EMAIL"),
        "{}",
        table.stdout
    );

    assert_eq!(
        run(&sim, &["approvals", "delete", &id]).stderr,
        format!("deleted approval {id}\n")
    );
    assert_eq!(
        run(&sim, &["approvals", "delete-expired"]).stderr,
        "deleted the expired approvals\n"
    );
    assert_eq!(
        run(&sim, &["approvals", "delete-expired"]).stderr,
        "no expired approval to delete\n"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_are_one_line_with_an_exit_code() {
    let sim = sim(5).await;
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &["connectors", "get", "1"],
            1,
            "error: getting connector 1: 404 resource.not.found: App Connector with id 1 was not found.\n",
        ),
        (
            &["connectors", "get", "12a"],
            2,
            "error: invalid ID: \"12a\" is not an id (digits only, at most 19)\n",
        ),
        (
            &["connectors", "list", "--page-size", "0"],
            2,
            "error: invalid --page-size: 0 is not between 1 and 500\n",
        ),
        (
            &["connectors", "list", "--search", "name EQUALS x"],
            2,
            "error: invalid --search: at character 5: unknown operator \"EQUALS\"\n",
        ),
        (
            &["connectors", "stale", "--disconnected-for", "15 days"],
            2,
            "error: invalid --disconnected-for: invalid duration \"15 days\" at character 2: expected a unit: d, h, m or s\n",
        ),
        (
            &["approvals", "list", "--sort-by", "color"],
            2,
            "error: invalid --sort-by: \"color\" is not one of id, emailIds, status, startTime, endTime, creationTime, modifiedTime, microtenantId\n",
        ),
        (
            &["connectors", "update", "5"],
            2,
            "error: invalid --name, --description or --enabled: nothing to change: set a name, a description or enabled\n",
        ),
    ];
    for (args, status, stderr) in cases {
        let outcome = run(&sim, args);
        assert_eq!(
            (outcome.status, outcome.stderr.as_str()),
            (*status, *stderr),
            "{args:?}"
        );
        assert!(outcome.stdout.is_empty());
    }
}

/// Tokens the simulator issues at sign-in all start with this.
const ISSUED_TOKEN_PREFIX: &str = "eyJhbGciOiJSUzI1NiJ9.";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_is_ever_printed_even_at_trace_level() {
    let sim = sim(5).await;
    let wrong_secret = "wrong-s3cr3t-never-shown";
    let wrong_token = "wrong-t0ken-never-shown";
    let sign_ins: [(&[&str], i32); 4] = [
        (
            &[
                "--client-id",
                sim.client_id(),
                "--client-secret",
                sim.client_secret(),
            ],
            0,
        ),
        (
            &[
                "--client-id",
                sim.client_id(),
                "--client-secret",
                wrong_secret,
            ],
            1,
        ),
        (&["--token", sim.static_token()], 0),
        (&["--token", wrong_token], 1),
    ];
    let mut everything = String::new();
    for (credentials, status) in sign_ins {
        let base_url = sim.base_url();
        let global = ["--base-url", &base_url, "--customer-id", sim.customer_id()];
        let logged = ["--log", "trace"];
        let listing = ["connectors", "list", "--page-size", "2", "-o", "json"];
        let outcome = run_bare(&[&global[..], &logged, credentials, &listing].concat());
        assert_eq!(
            outcome.status, status,
            "{credentials:?}: {}",
            outcome.stderr
        );
        everything.push_str(&outcome.stdout);
        everything.push_str(&outcome.stderr);
    }
    // The facade's own trace events (pacing) show, as do the HTTP stack's.
    for wanted in [
        "TRACE zpa.request",
        "paced by the rate limiter",
        "hyper_util",
        "signed in",
        "authentication failed: 401",
    ] {
        assert!(
            everything.contains(wanted),
            "{wanted:?} missing from the logs"
        );
    }
    for secret in [
        sim.client_secret(),
        wrong_secret,
        sim.static_token(),
        wrong_token,
        ISSUED_TOKEN_PREFIX,
    ] {
        assert!(!everything.contains(secret), "{secret} leaked");
    }
    assert!(
        !everything.to_lowercase().contains("bearer "),
        "an Authorization header leaked"
    );

    let help: Run = Command::new(env!("CARGO_BIN_EXE_zpa"))
        .arg("--help")
        .env("ZPA_CLIENT_SECRET", wrong_secret)
        .env("ZPA_TOKEN", wrong_token)
        .output()
        .unwrap()
        .into();
    assert!(help.stdout.contains("--client-secret"));
    assert!(
        !help.stdout.contains(wrong_secret) && !help.stdout.contains(wrong_token),
        "--help shows no secret from the environment"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_terminal_gets_a_progress_bar_unless_logs_share_it() {
    let sim = sim(2000).await;
    let listing = ["connectors", "list", "-o", "ndjson", "--page-size", "100"];
    // indicatif clears its line before each redraw.
    let redraw = "\u{1b}[2K";
    let plain = run_in_terminal(&sim, &listing, "");
    assert_eq!(plain.status, 0, "{}", plain.stdout);
    assert!(plain.stdout.contains(redraw) && plain.stdout.contains("/2000"));
    let logged = run_in_terminal(&sim, &[&listing[..], &["--log", "debug"]].concat(), "");
    assert_eq!(logged.status, 0, "{}", logged.stdout);
    assert!(logged.stdout.contains("zpa.request"), "{}", logged.stdout);
    assert!(!logged.stdout.contains(redraw));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_key_signs_in_through_oneapi() {
    let key = |name: &str| {
        format!(
            "{}/../../tests/fixtures/jwt/{name}",
            env!("CARGO_MANIFEST_DIR")
        )
    };
    let sim = Sim::start(SimConfig {
        connectors: 5,
        assertion_public_key: Some(std::fs::read_to_string(key("client-key.pub.pem")).unwrap()),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let base_url = format!("{}/zpa", sim.base_url());
    let token_url = format!("{}/oauth2/v1/token", sim.base_url());
    let private_key = key("client-key.pem");
    let oneapi = [
        "--base-url",
        &base_url,
        "--token-url",
        &token_url,
        "--customer-id",
        sim.customer_id(),
        "--client-id",
        sim.client_id(),
    ];
    let listing = ["connectors", "list", "-o", "json"];
    let outcome = run_bare(&[&oneapi[..], &["--private-key", &private_key], &listing].concat());
    assert_eq!(outcome.status, 0, "{}", outcome.stderr);
    let listed: Vec<serde_json::Value> = serde_json::from_str(&outcome.stdout).unwrap();
    assert_eq!(listed.len(), 5);
    assert_eq!(sim.sign_in_count(), 1);

    let both = run_bare(
        &[
            &oneapi[..],
            &["--private-key", &private_key, "--client-secret", "s"],
            &listing,
        ]
        .concat(),
    );
    assert_eq!(
        (both.status, both.stderr.as_str()),
        (
            2,
            "error: invalid credentials (--token, or --client-id with --client-secret or --private-key): set a client secret or a private key, not both\n"
        )
    );
}

#[test]
fn a_bad_log_filter_is_an_input_error() {
    let outcome = run_bare(&["--simulate", "--log", "zpa=loud", "connectors", "list"]);
    assert_eq!(outcome.status, 2);
    assert!(
        outcome
            .stderr
            .starts_with("error: invalid --log: \"zpa=loud\": "),
        "{}",
        outcome.stderr
    );
    assert!(outcome.stdout.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_to_another_host_is_refused() {
    let outcome = run_bare(&[
        "--base-url",
        "http://zpa.example.com",
        "--customer-id",
        "1",
        "--token",
        "t",
        "connectors",
        "list",
    ]);
    assert_eq!(outcome.status, 2);
    assert_eq!(
        outcome.stderr,
        "error: invalid --base-url: \"http://zpa.example.com\" uses plain http; only https is allowed, except to loopback hosts\n"
    );
}

#[test]
fn simulate_needs_no_credentials() {
    let outcome = run_bare(&[
        "--simulate",
        "connectors",
        "stale",
        "--disconnected-for",
        "15d",
    ]);
    assert_eq!(outcome.status, 0, "{}", outcome.stderr);
    assert!(outcome.stdout.starts_with("ID "));
    assert!(outcome.stdout.lines().count() > 5);
}

#[test]
fn mcp_refuses_an_allow_writes_pattern_that_names_no_tool() {
    let outcome = run_bare(&["--simulate", "mcp", "--allow-writes", "zpa_updte_*"]);
    assert_eq!(outcome.status, 2);
    assert!(
        outcome.stderr.starts_with(
            "error: invalid --allow-writes: \"zpa_updte_*\" names no write tool; they are zpa_update_app_connector, "
        ),
        "{}",
        outcome.stderr
    );
    assert!(outcome.stdout.is_empty(), "stdout is the MCP channel");
}

#[test]
fn mcp_ends_when_its_client_closes_stdin() {
    let outcome = Command::new(env!("CARGO_BIN_EXE_zpa"))
        .args(["--simulate", "mcp"])
        .env_clear()
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(outcome.status.success(), "{outcome:?}");
    assert!(outcome.stdout.is_empty());
}

#[test]
fn completions() {
    let outcome = run_bare(&["completions", "bash"]);
    assert_eq!(outcome.status, 0);
    assert!(outcome.stdout.contains("_zpa()"));
    assert!(outcome.stdout.contains("bulk-delete"));
}

/// Peak resident memory (kB) of `zpa connectors list -o ndjson` over the
/// simulator's fleet, and the number of lines it wrote.
fn ndjson_peak_rss(sim: &Sim) -> (u64, usize) {
    let mut child = zpa(sim)
        .args(["connectors", "list", "-o", "ndjson"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || BufReader::new(stdout).lines().count());
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    while child.try_wait().unwrap().is_none() {
        if let Ok(status) = std::fs::read_to_string(&status_file)
            && let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:"))
        {
            peak = line.split_whitespace().nth(1).unwrap().parse().unwrap();
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    (peak, reader.join().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ndjson_streams_100k_connectors_in_flat_memory() {
    let small = sim(10_000).await;
    let (small_peak, small_lines) = ndjson_peak_rss(&small);
    drop(small);
    let large = sim(100_000).await;
    let (large_peak, large_lines) = ndjson_peak_rss(&large);
    assert_eq!((small_lines, large_lines), (10_000, 100_000));
    eprintln!("peak RSS: {small_peak} kB for 10,000 connectors, {large_peak} kB for 100,000");
    // Holding the listing would cost about a kilobyte per connector: 90 MB more.
    assert!(
        large_peak < small_peak + 10_000,
        "{small_peak} kB then {large_peak} kB"
    );
}
