#![forbid(unsafe_code)]

use std::io::Write;
use std::time::{Duration, Instant};

use clap::{Parser, ValueEnum};
use zpa_sim::{RateLimit, Sim, SimConfig, parse_duration};

/// A local Zscaler Private Access management API for development and tests.
#[derive(Debug, Parser)]
#[command(name = "zpa-sim", version)]
struct Args {
    /// Port on 127.0.0.1; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,
    #[arg(long, default_value_t = 200)]
    connectors: usize,
    #[arg(long, default_value_t = 40)]
    approvals: usize,
    #[arg(long, default_value_t = 42)]
    seed: u64,
    #[arg(long, value_enum, default_value_t = RateLimitMode::Zpa)]
    rate_limit: RateLimitMode,
    /// Rate-limit window (ZPA uses 10s).
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    rate_window: Duration,
    #[arg(long, default_value = "1h", value_parser = parse_duration)]
    token_ttl: Duration,
    /// Mean latency added to each request.
    #[arg(long, default_value = "0ms", value_parser = parse_duration)]
    latency: Duration,
    /// Share of requests (0.0 to 1.0) that fail with a 503.
    #[arg(long, default_value_t = 0.0)]
    fail_rate: f64,
    /// PEM file of the RSA public key that OneAPI client assertions
    /// (private-key sign-in) must verify against.
    #[arg(long)]
    assertion_public_key: Option<std::path::PathBuf>,
    /// Serve fields that no SDK models yet (nested objects, arrays, nulls,
    /// big and decimal numbers), as a newer API would.
    #[arg(long)]
    future_fields: bool,
    /// Compress answers when asked, as the live API does (gzip), or never.
    #[arg(long, value_enum, default_value_t = Compression::Gzip)]
    compression: Compression,
    /// The budget the x-ratelimit-* headers advertise and enforce, such as
    /// 100/60s; OneAPI answers advertise 5000/60s without it, legacy ones
    /// nothing.
    #[arg(long)]
    advertise_limit: Option<zpa_sim::AdvertisedLimit>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Compression {
    Gzip,
    Off,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum RateLimitMode {
    Zpa,
    Off,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    if !(0.0..=1.0).contains(&args.fail_rate) {
        eprintln!("error: --fail-rate must be between 0.0 and 1.0");
        std::process::exit(2);
    }
    let assertion_public_key = match &args.assertion_public_key {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(pem) => Some(pem),
            Err(error) => {
                eprintln!("error: --assertion-public-key {}: {error}", path.display());
                std::process::exit(2);
            }
        },
        None => None,
    };
    let config = SimConfig {
        connectors: args.connectors,
        approvals: args.approvals,
        seed: args.seed,
        rate_limit: match args.rate_limit {
            RateLimitMode::Zpa => Some(RateLimit::zpa(args.rate_window)),
            RateLimitMode::Off => None,
        },
        token_ttl: args.token_ttl,
        latency: args.latency,
        fail_rate: args.fail_rate,
        assertion_public_key,
        future_fields: args.future_fields,
        compression: matches!(args.compression, Compression::Gzip),
        advertised_limit: args.advertise_limit,
        ..SimConfig::default()
    };
    let started = Instant::now();
    let sim = Sim::start_on(config, args.port).await?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "listening on {}", sim.base_url())?;
    writeln!(out, "customer id: {}", sim.customer_id())?;
    writeln!(out, "client id: {}", sim.client_id())?;
    writeln!(out, "client secret: {}", sim.client_secret())?;
    writeln!(out, "static token: {}", sim.static_token())?;
    // Scripts read these lines through a pipe, where stdout is block-buffered.
    out.flush()?;
    drop(out);
    eprintln!(
        "zpa-sim: {} connectors, {} approvals, ready in {:.2?}; Ctrl-C stops",
        args.connectors,
        args.approvals,
        started.elapsed()
    );
    tokio::signal::ctrl_c().await?;
    sim.shutdown().await;
    Ok(())
}
