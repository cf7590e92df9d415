//! A service-style job: a client built once with its own HTTP client and
//! deadlines, errors told apart by what they mean, and work cancelled by
//! dropping it. Runs against a simulator started in-process, which is made
//! to fail now and then: `cargo run -p zpa --example service`

use std::time::Duration;

use futures::TryStreamExt;
use zpa::{Client, Error, RetryPolicy};
use zpa_sim::{Fault, Sim, SimConfig};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sim = Sim::start(SimConfig::default()).await?;
    // Two failures the client absorbs: a 503 on the listing (retried), and
    // a 429 with a `retry-after` (waited out).
    sim.inject(Fault::status(http::Method::GET, "/connector", 503).times(1));
    sim.inject(
        Fault::status(http::Method::GET, "/connector", 429)
            .retry_after("1s")
            .times(1),
    );

    // One client for the whole process: clones share its token, pacing and
    // the connection pool of the reqwest client it was given.
    let http = reqwest::Client::builder()
        .pool_idle_timeout(Duration::from_secs(30))
        .build()?;
    let zpa = Client::builder()
        .base_url(sim.base_url())
        .customer_id(sim.customer_id())
        .token(sim.static_token())
        .http_client(http)
        .timeout(Duration::from_secs(10))
        .deadline(Duration::from_secs(30))
        .retry(RetryPolicy::default())
        .build()?;

    // Errors by meaning, not by variant.
    match zpa.connectors().get("72057594037927936").await {
        Ok(connector) => println!("found {}", connector.name),
        Err(error) if error.is_not_found() => println!("no such connector: fine, nothing to do"),
        Err(error) if error.is_retryable() => {
            let wait = error.retry_after().unwrap_or(Duration::from_secs(60));
            println!("try again in {}s: {error}", wait.as_secs());
        }
        Err(Error::InvalidInput { input, reason }) => println!("a bug of ours: {input}: {reason}"),
        Err(error) => return Err(error.into()),
    }

    // Cancellation: the job stops at its own deadline by dropping the
    // stream; what it prefetched is dropped with it, and nothing stale is
    // left for a later call to join.
    let mut seen = 0;
    let job = async {
        let mut connectors = zpa.connectors().list().page_size(100).items();
        while let Some(connector) = connectors.try_next().await? {
            seen += 1;
            if connector.enabled == Some(false) {
                println!("disabled: {}", connector.name);
            }
        }
        Ok::<_, Error>(())
    };
    match tokio::time::timeout(Duration::from_secs(20), job).await {
        Ok(result) => result?,
        Err(_) => println!("stopped after 20 s"),
    }
    println!("{seen} connectors looked at");

    // An endpoint the crate does not wrap, with the same token and retries.
    let page: serde_json::Value = zpa
        .request(zpa::Method::GET, "/connector")?
        .query("pagesize", 1)
        .send()
        .await?
        .json()?;
    println!("{} pages of one connector", page["totalPages"]);
    Ok(())
}
