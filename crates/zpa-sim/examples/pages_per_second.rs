//! How fast the simulator serves 500-item connector pages.
//!
//! `cargo run --release -p zpa-sim --example pages_per_second -- [CONNECTORS] [SECONDS] [CLIENTS]`

use std::time::{Duration, Instant};

use zpa_sim::{Sim, SimConfig};

#[tokio::main]
async fn main() {
    let mut args = std::env::args()
        .skip(1)
        .map(|a| a.parse::<u64>().expect("a number"));
    let connectors = args.next().unwrap_or(100_000) as usize;
    let seconds = args.next().unwrap_or(5);
    let clients = args.next().unwrap_or(4);

    let started = Instant::now();
    let sim = Sim::start(SimConfig {
        connectors,
        ..SimConfig::default()
    })
    .await
    .expect("simulator starts");
    println!("{connectors} connectors ready in {:.2?}", started.elapsed());

    let pages = connectors.div_ceil(500).max(1);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let began = Instant::now();
    let mut tasks = Vec::new();
    for client in 0..clients {
        let http = reqwest::Client::new();
        let base = sim.api_url();
        let token = sim.static_token().to_owned();
        tasks.push(tokio::spawn(async move {
            let (mut served, mut bytes) = (0u64, 0u64);
            let mut page = client as usize % pages + 1;
            while Instant::now() < deadline {
                let body = http
                    .get(format!("{base}/connector?page={page}&pagesize=500"))
                    .bearer_auth(&token)
                    .send()
                    .await
                    .expect("answered")
                    .bytes()
                    .await
                    .expect("whole body");
                served += 1;
                bytes += body.len() as u64;
                page = page % pages + 1;
            }
            (served, bytes)
        }));
    }
    let (mut served, mut bytes) = (0, 0);
    for task in tasks {
        let (s, b) = task.await.expect("client task");
        served += s;
        bytes += b;
    }
    let elapsed = began.elapsed().as_secs_f64();
    println!(
        "{:.0} pages/s at pagesize=500 ({clients} clients, {:.0} MB/s, {served} pages in {elapsed:.1}s)",
        served as f64 / elapsed,
        bytes as f64 / elapsed / 1e6,
    );
    sim.shutdown().await;
}
