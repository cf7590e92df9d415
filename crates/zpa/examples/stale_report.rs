//! Lists App Connectors disconnected for more than 15 days (or the age given
//! as the first argument, such as `30d`), grouped by connector group, the
//! longest gone first.
//!
//! Uses the tenant in `ZPA_*` variables when `ZPA_CUSTOMER_ID` is set, and
//! otherwise a simulator started in-process:
//! `cargo run -p zpa --example stale_report -- 30d`

use std::collections::BTreeMap;

use futures::TryStreamExt;
use zpa::model::CompactString;
use zpa::{Client, ZpaDuration};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let older_than: ZpaDuration = std::env::args()
        .nth(1)
        .as_deref()
        .unwrap_or("15d")
        .parse()?;
    let (zpa, _sim) = client().await?;

    let mut by_group: BTreeMap<CompactString, Vec<(CompactString, ZpaDuration)>> = BTreeMap::new();
    let mut stale = zpa.connectors().stale(older_than).items();
    while let Some(connector) = stale.try_next().await? {
        // The typed fields alone: the JSON the server sent is not needed here.
        let connector = connector.into_inner();
        let group = connector
            .app_connector_group_name
            .unwrap_or_else(|| "(no group)".into());
        let age = connector
            .last_broker_disconnect_time_duration
            .unwrap_or_default();
        by_group
            .entry(group)
            .or_default()
            .push((connector.name, age));
    }
    let total: usize = by_group.values().map(Vec::len).sum();
    println!("{total} connectors disconnected for more than {older_than}");
    for (group, mut connectors) in by_group {
        connectors.sort_by_key(|(_, age)| std::cmp::Reverse(*age));
        println!("\n{group} ({})", connectors.len());
        for (name, age) in connectors {
            println!("  {name:<50} {age}");
        }
    }
    Ok(())
}

async fn client() -> Result<(Client, Option<zpa_sim::Sim>), Box<dyn std::error::Error>> {
    if std::env::var_os("ZPA_CUSTOMER_ID").is_some() {
        return Ok((Client::from_env()?, None));
    }
    let sim = zpa_sim::Sim::start(zpa_sim::SimConfig::default()).await?;
    let zpa = Client::builder()
        .base_url(sim.base_url())
        .customer_id(sim.customer_id())
        .token(sim.static_token())
        .build()?;
    Ok((zpa, Some(sim)))
}
