//! The client the global options describe, or a simulator's with `--simulate`.

use anyhow::Result;
use zpa::{Client, ClientBuilder, Setting};

use crate::cli::Global;
use crate::failure::api;

/// The in-process simulator behind `--simulate`; a build without the
/// `simulator` feature has none.
#[cfg(feature = "simulator")]
pub type Simulator = zpa_sim::Sim;
/// The in-process simulator behind `--simulate`; a build without the
/// `simulator` feature has none.
#[cfg(not(feature = "simulator"))]
pub type Simulator = std::convert::Infallible;

/// What `--simulate` keeps of the connection options: the simulator stands
/// in for the tenant and its credentials, not for how to reach it.
const KEPT_BY_THE_SIMULATOR: [Setting; 4] = [
    Setting::Microtenant,
    Setting::Proxy,
    Setting::RateLimit,
    Setting::RateWindow,
];

/// The client, and the simulator it talks to when `--simulate` is given
/// (kept alive as long as the client is used).
pub async fn client(global: &Global) -> Result<(Client, Option<Simulator>)> {
    let (mut builder, sim) = match simulated(global).await? {
        Some((builder, sim)) => (builder, Some(sim)),
        None => (ClientBuilder::default(), None),
    };
    for (setting, value) in &global.connection.0 {
        if sim.is_none() || KEPT_BY_THE_SIMULATOR.contains(setting) {
            builder = api(
                || "configuring the client".into(),
                builder.set(*setting, value),
            )?;
        }
    }
    let client = api(|| "configuring the client".into(), builder.build())?;
    Ok((client, sim))
}

#[cfg(feature = "simulator")]
async fn simulated(global: &Global) -> Result<Option<(ClientBuilder, Simulator)>> {
    if !global.simulate {
        return Ok(None);
    }
    let sim = zpa_sim::Sim::start(zpa_sim::SimConfig::default()).await?;
    let builder = ClientBuilder::default()
        .base_url(sim.base_url())
        .customer_id(sim.customer_id())
        .token(sim.static_token());
    Ok(Some((builder, sim)))
}

#[cfg(not(feature = "simulator"))]
async fn simulated(_global: &Global) -> Result<Option<(ClientBuilder, Simulator)>> {
    Ok(None)
}
