//! Eight tasks sharing one client, listing and updating for a bounded time
//! under ZPA's limits (window scaled to 500 ms): no 429 reaches the server's
//! log, no call fails, and the tasks share one sign-in.

mod common;

use std::time::{Duration, Instant};

use zpa::{ConnectorUpdate, RateLimit};
use zpa_sim::{Sim, SimConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eight_tasks_share_one_client_under_zpa_limits() {
    let window = Duration::from_millis(500);
    let sim = Sim::start(SimConfig {
        connectors: 200,
        rate_limit: Some(zpa_sim::RateLimit::zpa(window)),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let zpa = common::builder(&sim)
        .client_credentials(sim.client_id(), sim.client_secret())
        .rate_limit(RateLimit::zpa_with_window(window))
        .build()
        .unwrap();
    let writable = common::writable_connectors(&sim);
    let deadline = Instant::now() + Duration::from_secs(3);
    let tasks = (0..8).map(|task: usize| {
        let zpa = zpa.clone();
        let id = writable[task].clone();
        tokio::spawn(async move {
            let mut calls = 0;
            while Instant::now() < deadline {
                let page = 1 + (calls + task) as u32 % 4;
                zpa.connectors().list().page_size(50).page(page).await?;
                if calls % 2 == 0 {
                    let update =
                        ConnectorUpdate::new().description(format!("task {task}, call {calls}"));
                    zpa.connectors().update(&id, &update).await?;
                }
                calls += 1;
            }
            Ok::<usize, zpa::Error>(calls)
        })
    });
    let mut calls = 0;
    for task in futures::future::join_all(tasks).await {
        calls += task.unwrap().expect("no call fails");
    }
    let log = sim.requests();
    let refused = log.iter().filter(|r| r.status == 429).count();
    let gets = log.iter().filter(|r| r.method == "GET").count();
    assert_eq!(refused, 0, "no 429 in {} requests", log.len());
    assert_eq!(
        sim.sign_in_count(),
        1,
        "one sign-in for the token's lifetime"
    );
    assert!(
        calls >= 8 && gets >= 40,
        "the tasks made progress: {calls} rounds, {gets} GETs"
    );
}
