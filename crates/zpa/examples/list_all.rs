//! Lists every App Connector and prints `{"count": N, "pages": P}`: the
//! program `cargo xtask bench` times.
//!
//! Configured like `Client::from_env` (`ZPA_BASE_URL`, `ZPA_CUSTOMER_ID`,
//! `ZPA_TOKEN`, `ZPA_RATE_LIMIT`, `ZPA_RATE_WINDOW`...). With `--raw`, it fetches the same pages of 500 with
//! plain reqwest and reads their bytes without parsing them: the limit a
//! client can approach.

use futures::TryStreamExt;
use zpa::ClientBuilder;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (count, pages) = if std::env::args().any(|arg| arg == "--raw") {
        raw().await?
    } else {
        facade().await?
    };
    println!("{{\"count\": {count}, \"pages\": {pages}}}");
    Ok(())
}

async fn facade() -> Result<(u64, u64), Box<dyn std::error::Error>> {
    let builder = ClientBuilder::from_env()?;
    let page_size = std::env::var("ZPA_PAGE_SIZE").map_or(Ok(500), |size| size.parse())?;
    let zpa = builder.build()?;
    let mut pages = zpa.connectors().list().page_size(page_size).pages();
    let (mut count, mut fetched) = (0, 0);
    while let Some(page) = pages.try_next().await? {
        count += page.items.len() as u64;
        fetched += 1;
    }
    Ok((count, fetched))
}

/// Every page at pagesize=500, bytes read, nothing parsed (the number of
/// pages is read from the first body by a text search).
async fn raw() -> Result<(u64, u64), Box<dyn std::error::Error>> {
    let base = std::env::var("ZPA_BASE_URL")?;
    let customer = std::env::var("ZPA_CUSTOMER_ID")?;
    let token = std::env::var("ZPA_TOKEN")?;
    let http = reqwest::Client::new();
    let url = |page: u64| {
        format!(
            "{base}/mgmtconfig/v1/admin/customers/{customer}/connector?page={page}&pagesize=500"
        )
    };
    let (mut pages, mut bytes, mut page) = (1, 0, 1);
    while page <= pages {
        let body = http
            .get(url(page))
            .bearer_auth(&token)
            .send()
            .await?
            .bytes()
            .await?;
        if page == 1 {
            pages = total_pages(&body).ok_or("no totalPages in the first page")?;
        }
        bytes += body.len() as u64;
        page += 1;
    }
    eprintln!("{bytes} bytes");
    // Counting needs parsing; the harness checks counts with the other clients.
    Ok((0, pages))
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
