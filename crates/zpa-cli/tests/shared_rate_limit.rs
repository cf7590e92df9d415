//! `zpa --rate-limit redis://...` as operators run it: several processes
//! started together share one budget through a real Redis.

use std::process::{Command, Output, Stdio};
use std::time::Duration;

use zpa_sim::{Sim, SimConfig};
use zpa_tests::RedisServer;

fn zpa(sim: &Sim, rate_limit: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_zpa"));
    command
        .args(["--base-url", &sim.base_url()])
        .args([
            "--customer-id",
            sim.customer_id(),
            "--token",
            sim.static_token(),
        ])
        .args([
            "connectors",
            "list",
            "--page-size",
            "20",
            "--output",
            "ndjson",
        ])
        .env_clear()
        .env("ZPA_RATE_LIMIT", rate_limit)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

fn lines(output: &Output) -> usize {
    String::from_utf8_lossy(&output.stdout).lines().count()
}

#[tokio::test(flavor = "multi_thread")]
async fn processes_sharing_redis_get_no_429() {
    let redis = RedisServer::start(&["--requirepass", "ops-password"]);
    let sim = Sim::start(SimConfig {
        connectors: 200,
        rate_limit: Some(zpa_sim::RateLimit::zpa(Duration::from_millis(500))),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let url = redis.url(":ops-password");
    // Each process paces to ZPA's 10 s window. Alone, the four would send
    // their 40 GETs within this simulator's 0.5 s window and 20 would be
    // refused; sharing, 20 go at once and the other 20 ten seconds later.
    let children: Vec<_> = (0..4).map(|_| zpa(&sim, &url).spawn().unwrap()).collect();
    let outputs: Vec<_> = tokio::task::spawn_blocking(move || {
        children
            .into_iter()
            .map(|child| child.wait_with_output().unwrap())
            .collect::<Vec<_>>()
    })
    .await
    .unwrap();
    for output in &outputs {
        assert!(output.status.success(), "{output:?}");
        assert_eq!(lines(output), 200);
        assert!(output.stderr.is_empty(), "{output:?}");
    }
    let statuses: Vec<_> = sim.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses.len(), 40);
    assert!(statuses.iter().all(|&s| s == 200), "{statuses:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_redis_is_one_warning_and_a_bad_url_an_input_error() {
    let sim = Sim::start(SimConfig {
        connectors: 30,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("redis://:ops-password@127.0.0.1:{port}/0");
    let output = zpa(&sim, &url).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(lines(&output), 30);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("WARN") && stderr.contains("Redis is unreachable"),
        "{stderr}"
    );
    assert!(!stderr.contains("ops-password"), "{stderr}");

    let output = zpa(&sim, "rediss://:ops-password@redis.internal:6380")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("error: invalid --rate-limit: "),
        "{stderr}"
    );
    assert!(!stderr.contains("ops-password"), "{stderr}");
    assert!(sim.requests().len() == 2, "nothing sent for the bad URL");
}
