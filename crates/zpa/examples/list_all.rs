//! Lists every App Connector and prints `{"count": N, "enabled": E}`: the
//! program `cargo xtask bench` times.
//!
//! Configured like `Client::from_env` (`ZPA_BASE_URL`, `ZPA_CUSTOMER_ID`,
//! `ZPA_TOKEN`, `ZPA_RATE_LIMIT`, `ZPA_RATE_WINDOW`...). With `--raw`, it fetches the same pages of 500 with
//! plain reqwest and reads their bytes without parsing them: the limit a
//! client can approach.

use futures::{StreamExt, TryStreamExt, stream};
use zpa::ClientBuilder;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    if std::env::args().any(|arg| arg == "--raw") {
        let (pages, bytes) = raw().await?;
        // Counting needs parsing; the harness checks counts with the other clients.
        println!("{{\"pages\": {pages}, \"bytes\": {bytes}}}");
    } else {
        let (count, enabled) = facade().await?;
        println!("{{\"count\": {count}, \"enabled\": {enabled}}}");
    }
    Ok(())
}

async fn facade() -> Result<(u64, u64), Box<dyn std::error::Error>> {
    let builder = ClientBuilder::from_env()?;
    let page_size = std::env::var("ZPA_PAGE_SIZE").map_or(Ok(500), |size| size.parse())?;
    let zpa = builder.build()?;
    let mut items = zpa.connectors().list().page_size(page_size).items();
    // A field of each connector is read, as a caller would.
    let (mut count, mut enabled) = (0, 0);
    while let Some(connector) = items.try_next().await? {
        count += 1;
        enabled += u64::from(connector.enabled == Some(true));
    }
    Ok((count, enabled))
}

/// Every page at pagesize=500, bytes read, nothing parsed (the number of
/// pages is read from the first body by a text search). After the first,
/// `ZPA_IN_FLIGHT` pages are in flight (2 unless set): the harness sets what
/// suits the link best.
async fn raw() -> Result<(u64, usize), Box<dyn std::error::Error>> {
    let base = std::env::var("ZPA_BASE_URL")?;
    let customer = std::env::var("ZPA_CUSTOMER_ID")?;
    let token = std::env::var("ZPA_TOKEN")?;
    let http = reqwest::Client::new();
    let fetch = |page: u64| {
        let request = http
            .get(format!(
                "{base}/mgmtconfig/v1/admin/customers/{customer}/connector?page={page}&pagesize=500"
            ))
            .bearer_auth(&token);
        async move { request.send().await?.error_for_status()?.bytes().await }
    };
    let first = fetch(1).await?;
    let pages = total_pages(&first).ok_or("no totalPages in the first page")?;
    let in_flight = std::env::var("ZPA_IN_FLIGHT").map_or(Ok(2), |n| n.parse())?;
    let bytes = stream::iter(2..=pages)
        .map(fetch)
        .buffered(in_flight)
        .try_fold(
            first.len(),
            |bytes, body| async move { Ok(bytes + body.len()) },
        )
        .await?;
    Ok((pages, bytes))
}

fn total_pages(body: &[u8]) -> Option<u64> {
    let key = b"\"totalPages\":\"";
    let start = body.windows(key.len()).position(|w| w == key)? + key.len();
    let digits = body[start..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    std::str::from_utf8(&body[start..start + digits])
        .ok()?
        .parse()
        .ok()
}
