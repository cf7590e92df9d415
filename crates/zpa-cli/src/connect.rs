//! The client the global options describe, or a simulator's with `--simulate`.

use anyhow::Result;
use zpa::{Client, ClientBuilder, RateLimitSetting, Secret};

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

/// The client, and the simulator it talks to when `--simulate` is given
/// (kept alive as long as the client is used).
pub async fn client(global: &Global) -> Result<(Client, Option<Simulator>)> {
    let (mut builder, sim) = match simulated(global).await? {
        Some((builder, sim)) => (builder, Some(sim)),
        None => (configured(ClientBuilder::default(), global)?, None),
    };
    let mut pacing = api(
        || "reading --rate-limit".into(),
        global.rate_limit.parse::<RateLimitSetting>(),
    )?;
    if let Some(window) = &global.rate_window {
        pacing = api(
            || "reading --rate-window".into(),
            pacing.over_window(window),
        )?;
    }
    builder = match pacing.0 {
        Some(limit) => builder.rate_limit(limit),
        None => builder.no_rate_limit(),
    };
    if let Some(microtenant) = &global.microtenant {
        builder = builder.microtenant(microtenant);
    }
    if let Some(proxy) = &global.proxy {
        builder = builder.proxy(Secret::new(proxy.as_str()));
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

fn configured(mut builder: ClientBuilder, global: &Global) -> Result<ClientBuilder> {
    if let Some(cloud) = &global.cloud {
        builder = builder.cloud(api(|| "reading --cloud".into(), cloud.parse())?);
    }
    if let Some(url) = &global.base_url {
        builder = builder.base_url(url);
    }
    if let Some(id) = &global.customer_id {
        builder = builder.customer_id(id);
    }
    if let Some(token) = &global.token {
        builder = builder.token(Secret::new(token.as_str()));
    }
    match (
        &global.client_id,
        &global.client_secret,
        &global.private_key,
    ) {
        (Some(id), secret, key) if secret.is_some() || key.is_some() => {
            // Both given: the facade refuses the pair with its own message.
            if let Some(secret) = secret {
                builder = builder.client_credentials(id, Secret::new(secret.as_str()));
            }
            if let Some(key) = key {
                builder = builder.private_key(id, Secret::new(key.as_str()));
            }
        }
        (None, None, None) => {}
        _ if global.token.is_none() => {
            return Err(crate::failure::InputError(
                "invalid credentials: --client-id goes with --client-secret or --private-key"
                    .into(),
            )
            .into());
        }
        _ => {}
    }
    if let Some(domain) = &global.vanity_domain {
        builder = builder.one_api(domain);
    }
    if let Some(url) = &global.token_url {
        builder = builder.token_url(url);
    }
    Ok(builder)
}
