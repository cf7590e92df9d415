//! Benchmark section: N processes started together against one tenant, each
//! listing its connectors 20 per page under ZPA's limits, for each way of
//! pacing: alone at the full limit, adaptive, shared through a real Redis,
//! and the official Python SDK. ZPA counts per organisation and source IP,
//! so the processes share one budget whether they know it or not.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use zpa_tests::RedisServer;

use crate::bench::{RATE_WINDOW, RATE_WINDOW_SECS, rate_limited_sim, refusals, sdk_env};
use crate::sim::Endpoint;
use crate::tools::ensure_debian_packages;

pub struct Plan {
    pub processes: &'static [usize],
    /// Connectors each process lists.
    pub connectors: usize,
}

/// What the targets table needs from this section.
#[derive(Default)]
pub struct Outcome {
    /// The largest wall time over the minimum with shared pacing, at any N.
    pub shared_worst_over_minimum: f64,
    pub shared_429: usize,
    pub shared_gave_up: usize,
    pub adaptive_429: usize,
    pub fixed_429: usize,
}

#[derive(Clone, Copy, PartialEq)]
enum Pacer {
    Fixed,
    Adaptive,
    Redis,
    OfficialSdk,
}

struct Way {
    name: &'static str,
    pacer: Pacer,
}

const WAYS: [Way; 4] = [
    Way {
        name: "zpa CLI, in-process pacing (--rate-limit fixed)",
        pacer: Pacer::Fixed,
    },
    Way {
        name: "zpa CLI, adaptive pacing (--rate-limit zpa, the default)",
        pacer: Pacer::Adaptive,
    },
    Way {
        name: "zpa CLI, shared through Redis (--rate-limit redis://...)",
        pacer: Pacer::Redis,
    },
    Way {
        name: "zscaler-sdk-python (official)",
        pacer: Pacer::OfficialSdk,
    },
];

pub fn run(
    out: &mut String,
    root: &Path,
    release: &Path,
    official: &Path,
    plan: &Plan,
) -> Result<Outcome> {
    ensure_debian_packages("redis-server", &["redis-server"])?;
    let redis = RedisServer::start(&[]);
    let pages = plan.connectors.div_ceil(20);
    writeln!(out, "## 4. Several processes, one tenant\n")?;
    writeln!(
        out,
        "N processes started together, each listing {} connectors 20 per page ({pages} GETs), against the simulator's ZPA limits \
         on a {RATE_WINDOW} window (20 GETs per window for all of them together, as ZPA counts per organisation and source IP). \
         Wall time from the first start to the last exit, one run each; the minimum is 20 GETs at once, then 20 per window. \
         429s are counted by the simulator; a process gives up when a request is still refused after its retries \
         (the CLI's default: 5 attempts, 60 s of waiting).\n",
        plan.connectors
    )?;
    writeln!(
        out,
        "| N | pacing | wall time | × minimum | 429 responses | processes that gave up |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|")?;
    let mut outcome = Outcome::default();
    for &n in plan.processes {
        let requests = (n * pages) as u64;
        let minimum = Duration::from_secs(RATE_WINDOW_SECS * ((requests - 1) / 20));
        for way in &WAYS {
            redis.command(&["FLUSHALL"]);
            let sim = rate_limited_sim(release, plan.connectors)?;
            let command = |sim: &Endpoint| match way.pacer {
                Pacer::Fixed => cli(release, sim, "fixed"),
                Pacer::Adaptive => cli(release, sim, "zpa"),
                Pacer::Redis => cli(release, sim, &redis.url("")),
                Pacer::OfficialSdk => {
                    let mut command = Command::new(official.join("bin/python"));
                    command.arg(root.join("bench/python/official_list_connectors.py"));
                    let mut command = sdk_env(command, sim);
                    command.env("ZPA_PAGE_SIZE", "20");
                    command
                }
            };
            let lines = way.pacer != Pacer::OfficialSdk;
            let (wall, gave_up) = together(n, || command(&sim.endpoint), lines, plan.connectors)
                .with_context(|| format!("{n} × {}", way.name))?;
            let refused = refusals(&sim.endpoint)?;
            let over = wall.as_secs_f64() / minimum.as_secs_f64().max(f64::EPSILON);
            match way.pacer {
                Pacer::Fixed => outcome.fixed_429 += refused,
                Pacer::Adaptive => outcome.adaptive_429 += refused,
                Pacer::Redis => {
                    outcome.shared_429 += refused;
                    outcome.shared_gave_up += gave_up;
                    outcome.shared_worst_over_minimum = outcome.shared_worst_over_minimum.max(over);
                }
                Pacer::OfficialSdk => {}
            }
            writeln!(
                out,
                "| {n} | {} | {:.2} s | {over:.2} | {refused} | {gave_up} |",
                way.name,
                wall.as_secs_f64()
            )?;
            println!(
                "{n} processes, {}: {:.2} s, {refused} × 429, {gave_up} gave up",
                way.name,
                wall.as_secs_f64()
            );
        }
    }
    writeln!(out)?;
    Ok(outcome)
}

fn cli(release: &Path, sim: &Endpoint, pacing: &str) -> Command {
    let mut command = Command::new(release.join("zpa"));
    command
        .env_clear()
        .args(["--base-url", &sim.url, "--customer-id", &sim.customer_id])
        .args(["--token", &sim.token])
        .args(["--rate-limit", pacing, "--rate-window", RATE_WINDOW])
        .args([
            "connectors",
            "list",
            "--page-size",
            "20",
            "--output",
            "ndjson",
        ]);
    command
}

/// Starts `n` copies of a command at once and waits for the last; returns
/// the wall time and how many gave up (exited with an error, such as retries
/// exhausted). Each that succeeds must list `expected` connectors (as lines,
/// or as `"count": N`).
fn together(
    n: usize,
    command: impl Fn() -> Command,
    lines: bool,
    expected: usize,
) -> Result<(Duration, usize)> {
    let started = Instant::now();
    let children = (0..n)
        .map(|_| {
            command()
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .context("starting a process")
        })
        .collect::<Result<Vec<_>>>()?;
    let readers: Vec<_> = children
        .into_iter()
        .map(|mut child| {
            let stdout = child.stdout.take().expect("stdout is piped");
            std::thread::spawn(move || {
                let mut count = 0;
                let mut last = String::new();
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    count += 1;
                    last = line;
                }
                let output = child.wait_with_output();
                (count, last, output)
            })
        })
        .collect();
    let mut gave_up = 0;
    for reader in readers {
        let (count, last, output) = reader.join().expect("the reader thread");
        if !output?.status.success() {
            gave_up += 1;
            continue;
        }
        let listed = if lines {
            count
        } else {
            crate::bench::json_count(&last).unwrap_or(0) as usize
        };
        if listed != expected {
            bail!("a process listed {listed} connectors, not {expected}");
        }
    }
    Ok((started.elapsed(), gave_up))
}
