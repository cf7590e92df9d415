//! `cargo xtask bench [--quick]`: listing every App Connector with this
//! project's clients and with the Python SDKs a ZPA user would pick today, in
//! one run on one machine, against the simulator. The full run writes
//! BENCHMARKS.md; `--quick` is a smoke run of the harness (small sizes, one
//! run each) that writes target/bench/BENCHMARKS-quick.md.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::relay::{Link, Relay};
use crate::shared_budget;
use crate::sim::{Endpoint, SimProcess};
use crate::tools::{cargo, python_venv, target_dir};
use crate::{mcp_servers, wasm};

struct Plan {
    sizes: &'static [usize],
    runs: usize,
    /// Connectors listed 20 per page under ZPA's limits with a 1 s window.
    rate_limited: usize,
    /// Connectors listed through the byte-counting relay.
    metered: usize,
    /// Connectors listed over the shaped link.
    linked: usize,
    /// Processes sharing one tenant's budget.
    shared: shared_budget::Plan,
    report: &'static str,
}

const FULL: Plan = Plan {
    sizes: &[10_000, 100_000],
    runs: 3,
    rate_limited: 2_000,
    metered: 5_000,
    linked: 100_000,
    shared: shared_budget::Plan {
        processes: &[1, 2, 4, 8],
        connectors: 2_000,
    },
    report: "BENCHMARKS.md",
};

const QUICK: Plan = Plan {
    sizes: &[1_000],
    runs: 1,
    rate_limited: 500,
    metered: 1_000,
    linked: 1_000,
    shared: shared_budget::Plan {
        processes: &[2],
        connectors: 400,
    },
    report: "target/bench/BENCHMARKS-quick.md",
};

/// ZPA's 10 s window scaled down, for the simulator and the clients alike.
pub const RATE_WINDOW: &str = "1s";
pub const RATE_WINDOW_SECS: u64 = 1;

/// Hand-made measurements that the report carries along.
const NOTES: &str = "bench/notes.md";

/// What a client prints: one JSON line with `"count": N`, or one line per item.
#[derive(Clone, Copy)]
enum Counted {
    JsonCount,
    Lines,
    Nothing,
}

struct Client {
    name: &'static str,
    counted: Counted,
    command: Box<dyn Fn(&Endpoint) -> Command>,
}

struct Run {
    wall: Duration,
    peak_rss_kb: u64,
    /// The last line the client printed (its JSON report, for some).
    report: String,
}

/// Runs the benchmark plan; expects the JavaScript package in `web/pkg`.
pub fn run(root: &Path, quick: bool) -> Result<()> {
    let started = Instant::now();
    let plan = if quick { &QUICK } else { &FULL };
    cargo(
        root,
        &[
            "build",
            "--release",
            "--package",
            "zpa-sim",
            "--package",
            "zpa-cli",
            "--bins",
        ],
    )?;
    cargo(
        root,
        &[
            "build",
            "--release",
            "--package",
            "zpa",
            "--example",
            "list_all",
        ],
    )?;
    cargo(
        root,
        &[
            "build",
            "--release",
            "--package",
            "zpa-sim",
            "--example",
            "pages_per_second",
        ],
    )?;
    let bench = root.join("bench/python");
    let official = python_venv(
        &root.join("target/bench/venv-official"),
        &[
            "-r",
            bench
                .join("requirements-official.txt")
                .to_str()
                .context("a UTF-8 path")?,
        ],
    )?;
    let pyzscaler = python_venv(
        &root.join("target/bench/venv-pyzscaler"),
        &[
            "-r",
            bench
                .join("requirements-pyzscaler.txt")
                .to_str()
                .context("a UTF-8 path")?,
        ],
    )?;

    let release = target_dir(root).join("release");
    let clients = clients(root, &release, &official, &pyzscaler);
    let mut out = String::new();
    header(root, &mut out, quick)?;

    writeln!(out, "## 1. Listing every connector\n")?;
    writeln!(
        out,
        "Simulator limits off and compression off (on loopback bytes cost nothing, so this measures the clients' own work); \
         the last two rows are the raw limit and the facade against the same simulator compressing as the live API does. \
         The raw limit (which does best so) and Node alone keep two requests in flight, the fewest the package keeps. \
         Each figure is the median of {} run(s) of the whole process, from start to exit. \
         pyzscaler as shipped sleeps a second per page, so it runs at {} connectors and below only.\n",
        plan.runs, SLEEPING_UP_TO
    )?;
    let mut cli_rss = Vec::new();
    let mut targets = Targets::default();
    for &size in plan.sizes {
        let plain = unlimited_sim(&release, size, "off")?;
        let gzip = unlimited_sim(&release, size, "gzip")?;
        writeln!(out, "### {size} connectors\n")?;
        writeln!(
            out,
            "| client | wall time (median) | connectors/s | × raw limit | peak RSS |"
        )?;
        writeln!(out, "|---|---|---|---|---|")?;
        let mut baselines = Baselines::default();
        let compressed = [
            Client {
                name: "raw limit, server compressing (gzip)",
                ..raw_client(&release, 2)
            },
            Client {
                name: "zpa facade, items stream, server compressing (gzip)",
                ..facade_client(&release)
            },
        ];
        let cases = clients
            .iter()
            .filter(|client| client.name != PYZSCALER_SLEEPING || size <= SLEEPING_UP_TO)
            .map(|client| (client, &plain))
            .chain(compressed.iter().map(|client| (client, &gzip)));
        for (client, sim) in cases {
            let runs = (0..plan.runs)
                .map(|_| measure(client, &sim.endpoint, size))
                .collect::<Result<Vec<_>>>()?;
            let wall = median(runs.iter().map(|r| r.wall).collect());
            let rss = runs.iter().map(|r| r.peak_rss_kb).max().unwrap_or(0);
            let compared = baselines.compare(client.name, wall)?;
            if client.name.starts_with("zpa CLI") {
                cli_rss.push((size, rss));
                targets.cli_wall = wall;
            }
            let over_cli = wall.as_secs_f64() / targets.cli_wall.as_secs_f64();
            match client.name {
                NODE => {
                    targets.node_over_cli = over_cli;
                    targets.node_growth_kb = runs
                        .iter()
                        .filter_map(|run| json_number(&run.report, "aboveImportKb"))
                        .max()
                        .unwrap_or(0);
                }
                NODE_FLOOR => targets.node_floor_over_cli = over_cli,
                _ => {}
            }
            targets.facade_over_raw = compared.facade_over_raw.unwrap_or(targets.facade_over_raw);
            targets.official_over_facade = compared
                .official_over_facade
                .unwrap_or(targets.official_over_facade);
            let rss = format!("{:.1} MB", rss as f64 / 1024.0);
            listing_row(
                &mut out,
                &format!("{size} connectors"),
                client.name,
                wall,
                size,
                &compared,
                &rss,
            )?;
        }
        writeln!(out)?;
    }

    over_the_link(
        &mut out,
        root,
        &release,
        &clients,
        plan.linked,
        &mut targets,
    )?;

    writeln!(out, "## 3. Listing under ZPA's rate limit\n")?;
    let pages = plan.rate_limited.div_ceil(20);
    let minimum = Duration::from_secs(RATE_WINDOW_SECS * ((pages as u64 - 1) / 20));
    writeln!(
        out,
        "{} connectors, 20 per page ({pages} GETs), simulator limits on with a {} window (20 GETs per window). \
         Theoretical minimum: {:.1} s (20 requests at once, then 20 per window). Median of {} run(s).\n",
        plan.rate_limited,
        RATE_WINDOW,
        minimum.as_secs_f64(),
        plan.runs
    )?;
    writeln!(
        out,
        "| client | wall time (median) | × minimum | 429 responses received (all runs) |"
    )?;
    writeln!(out, "|---|---|---|---|")?;
    for client in rate_limited_clients(root, &release, &official) {
        let mut walls = Vec::new();
        let mut refused = 0;
        for _ in 0..plan.runs {
            let sim = rate_limited_sim(&release, plan.rate_limited)?;
            walls.push(measure(&client, &sim.endpoint, plan.rate_limited)?.wall);
            refused += refusals(&sim.endpoint)?;
        }
        let wall = median(walls);
        if client.name.starts_with("zpa facade") {
            targets.paced_over_minimum = wall.as_secs_f64() / minimum.as_secs_f64();
            targets.paced_429 = refused;
        }
        writeln!(
            out,
            "| {} | {:.2} s | {:.2} | {refused} |",
            client.name,
            wall.as_secs_f64(),
            wall.as_secs_f64() / minimum.as_secs_f64()
        )?;
    }
    writeln!(out)?;

    targets.shared = shared_budget::run(&mut out, root, &release, &official, &plan.shared)?;

    bytes_on_the_wire(&mut out, &release, &clients, plan.metered)?;

    writeln!(out, "## 6. Peak RSS of the CLI streaming NDJSON\n")?;
    writeln!(out, "| connectors | peak RSS |\n|---|---|")?;
    for (size, rss) in &cli_rss {
        writeln!(out, "| {size} | {:.1} MB |", *rss as f64 / 1024.0)?;
    }
    writeln!(out)?;

    writeln!(out, "## 7. Package size and simulator speed\n")?;
    let wasm_bytes = std::fs::read(crate::wasm::optimized_wasm(root))?;
    targets.wasm_gzipped_kb = wasm::gzip_len(&wasm_bytes)? / 1024;
    targets.cli_rss_kb = cli_rss.iter().map(|(_, kb)| *kb).collect();
    writeln!(
        out,
        "- wasm module: {} KB, {} KB gzipped (`cargo xtask wasm`).",
        wasm_bytes.len() / 1024,
        targets.wasm_gzipped_kb
    )?;
    // What a browser downloads: the ES module entry, the wasm inlined in it.
    let entry = std::fs::read(root.join(wasm::PACKAGE).join("index.js"))?;
    writeln!(
        out,
        "- the package's ES module entry, wasm inlined as base64: {} KB, {} KB gzipped.",
        entry.len() / 1024,
        wasm::gzip_len(&entry)? / 1024
    )?;
    let connectors = plan.sizes.last().copied().unwrap_or(1_000).to_string();
    let speed = Command::new(release.join("examples/pages_per_second"))
        .args([connectors.as_str(), "3", "1"])
        .output()?;
    let speed = String::from_utf8_lossy(&speed.stdout);
    let line = speed
        .lines()
        .find(|l| l.contains("pages/s"))
        .context("pages_per_second printed no figure")?;
    writeln!(
        out,
        "- simulator, one client, {connectors} connectors: {line}.\n"
    )?;

    crate::weight::run(&mut out, root, !quick)?;

    targets.mcp = mcp_servers::run(&mut out, root, &release, plan.runs)?;

    targets.run = started.elapsed();
    targets.write(&mut out)?;
    // Measurements made by hand (comparisons with earlier builds), kept
    // across runs of the harness.
    let notes = root.join(NOTES);
    let notes = std::fs::read_to_string(&notes).with_context(|| format!("reading {NOTES}"))?;
    writeln!(out, "\n{}", notes.trim_end())?;

    let path = root.join(plan.report);
    std::fs::create_dir_all(path.parent().expect("the report has a directory"))?;
    std::fs::write(&path, out)?;
    println!("wrote {}", plan.report);
    Ok(())
}

/// The figures the project's targets are about, from the largest size run.
#[derive(Default)]
struct Targets {
    facade_over_raw: f64,
    official_over_facade: f64,
    linked_facade_over_raw: f64,
    linked_official_over_facade: f64,
    /// How long the whole run took, up to the targets table.
    run: Duration,
    paced_over_minimum: f64,
    paced_429: usize,
    cli_rss_kb: Vec<u64>,
    wasm_gzipped_kb: usize,
    cli_wall: Duration,
    node_over_cli: f64,
    /// How far Node's peak RSS rose above its peak after importing the package.
    node_growth_kb: u64,
    /// Node alone: only its time, as its memory is no floor (see the table).
    node_floor_over_cli: f64,
    shared: shared_budget::Outcome,
    mcp: mcp_servers::Outcome,
}

impl Targets {
    fn write(&self, out: &mut String) -> Result<()> {
        let verdict = |met: bool| if met { "met" } else { "missed" };
        let rss_max = self.cli_rss_kb.iter().copied().max().unwrap_or(0) as f64 / 1024.0;
        let rss_min = self.cli_rss_kb.iter().copied().min().unwrap_or(0) as f64 / 1024.0;
        writeln!(out, "\n## Targets\n")?;
        writeln!(out, "| target | measured | |\n|---|---|---|")?;
        writeln!(
            out,
            "| facade within 1.5× of the raw limit | {:.2}× | {} |",
            self.facade_over_raw,
            verdict(self.facade_over_raw <= 1.5)
        )?;
        writeln!(
            out,
            "| facade at least 20× faster than the official Python SDK (whole process) | {:.1}× | {} |",
            self.official_over_facade,
            verdict(self.official_over_facade >= 20.0)
        )?;
        writeln!(
            out,
            "| over the shaped link, facade within 1.1× of the raw compressed transfer | {:.2}× | {} |",
            self.linked_facade_over_raw,
            verdict(self.linked_facade_over_raw <= 1.1)
        )?;
        writeln!(
            out,
            "| over the shaped link, facade still ahead of the official Python SDK | {:.1}× | {} |",
            self.linked_official_over_facade,
            verdict(self.linked_official_over_facade > 1.0)
        )?;
        writeln!(
            out,
            "| under the rate limit, within 1.05× of the minimum with no 429 | {:.2}×, {} 429 | {} |",
            self.paced_over_minimum,
            self.paced_429,
            verdict(self.paced_over_minimum <= 1.05 && self.paced_429 == 0)
        )?;
        let shared = &self.shared;
        writeln!(
            out,
            "| processes sharing a tenant through Redis: no 429, within 1.1× of the minimum at every N | {} 429, at worst {:.2}× | {} |",
            shared.shared_429,
            shared.shared_worst_over_minimum,
            verdict(
                shared.shared_429 == 0
                    && shared.shared_gave_up == 0
                    && shared.shared_worst_over_minimum <= 1.1
            )
        )?;
        writeln!(
            out,
            "| adaptive pacing gets fewer 429s than in-process pacing (all N) | {} against {} | {} |",
            shared.adaptive_429,
            shared.fixed_429,
            verdict(shared.adaptive_429 < shared.fixed_429)
        )?;
        writeln!(
            out,
            "| CLI peak RSS at most 30 MB and flat across sizes | {rss_min:.1} to {rss_max:.1} MB | {} |",
            verdict(rss_max <= 30.0 && rss_max - rss_min <= 5.0)
        )?;
        // Node's own fetch and JSON.parse, beside: a time no package beats.
        writeln!(
            out,
            "| Node within 2× of the CLI's time | {:.2}× (Node's fetch and JSON.parse alone: {:.2}×) | {} |",
            self.node_over_cli,
            self.node_floor_over_cli,
            verdict(self.node_over_cli <= 2.0)
        )?;
        // Node alone holds whole pages of objects, so its memory is no floor.
        let growth = self.node_growth_kb as f64 / 1024.0;
        writeln!(
            out,
            "| Node at most 40 MB above the bare import | {growth:.1} MB | {} |",
            verdict(growth <= 40.0)
        )?;
        writeln!(
            out,
            "| wasm at most 200 KB gzipped | {} KB | {} |",
            self.wasm_gzipped_kb,
            verdict(self.wasm_gzipped_kb <= 200)
        )?;
        let mcp = &self.mcp;
        writeln!(
            out,
            "| `zpa mcp`: the stale question answered whole, in at most 5% of zscaler-mcp's bytes | {} of {} in {:.1}% | {} |",
            mcp.zpa.named,
            mcp.zpa.expected,
            mcp.bytes_share() * 100.0,
            verdict(mcp.zpa.complete && mcp.bytes_share() <= 0.05)
        )?;
        writeln!(
            out,
            "| `zpa mcp`: start-up to initialized under 100 ms | {:.0} ms | {} |",
            mcp.zpa.startup_ms,
            verdict(mcp.zpa.startup_ms < 100.0)
        )?;
        writeln!(
            out,
            "| `zpa mcp`: peak RSS under 30 MB | {:.1} MB | {} |",
            mcp.zpa.peak_rss_kb as f64 / 1024.0,
            verdict(mcp.zpa.peak_rss_kb < 30 * 1024)
        )?;
        let minutes = self.run.as_secs_f64() / 60.0;
        writeln!(
            out,
            "| the full run of `cargo xtask bench` under 20 minutes (pyzscaler as shipped at {SLEEPING_UP_TO} connectors only) | {minutes:.1} min | {} |",
            verdict(minutes < 20.0)
        )?;
        Ok(())
    }
}

/// The JavaScript package's row.
const NODE: &str = "zpa-wasm package in Node";

/// What Node itself takes, without the package: the floor of the Node row.
const NODE_FLOOR: &str = "Node alone: fetch and JSON.parse, nothing checked (no package)";

/// The raw limit's row, the one every other is compared with.
const RAW: &str = "raw limit (pages of 500, bytes read, nothing parsed)";

/// pyzscaler as published: a second's sleep after every page.
const PYZSCALER_SLEEPING: &str = "pyzscaler, as shipped (sleeps 1 s per page)";

/// The largest listing pyzscaler's sleeping run is timed at: at 100,000
/// connectors it sleeps 200 s per run.
const SLEEPING_UP_TO: usize = 10_000;

/// The facade's row, the one the targets compare.
const FACADE: &str = "zpa facade, items stream (defaults, pacing off)";

fn facade_client(release: &Path) -> Client {
    let list_all = release.join("examples/list_all");
    Client {
        name: FACADE,
        counted: Counted::JsonCount,
        command: Box::new(move |sim| facade_env(Command::new(&list_all), sim)),
    }
}

/// The raw limit with `in_flight` requests at once: on loopback two do best
/// (more only compete with the simulator for the cores), on a link with a
/// round trip as many as the facade may keep.
fn raw_client(release: &Path, in_flight: u32) -> Client {
    let list_all = release.join("examples/list_all");
    Client {
        name: RAW,
        counted: Counted::Nothing,
        command: Box::new(move |sim| {
            in_flight_env(
                facade_env(command(&list_all, &["--raw".as_ref()]), sim),
                in_flight,
            )
        }),
    }
}

/// Node's floor with `in_flight` requests at once, as the raw limit's.
fn node_floor_client(root: &Path, in_flight: u32) -> Client {
    let script = root.join("bench/node/fetch_and_parse.mjs");
    Client {
        name: NODE_FLOOR,
        counted: Counted::JsonCount,
        command: Box::new(move |sim| {
            in_flight_env(
                facade_env(command("node", &[script.as_ref()]), sim),
                in_flight,
            )
        }),
    }
}

/// `command` keeping `in_flight` requests at once (`ZPA_IN_FLIGHT`).
fn in_flight_env(mut command: Command, in_flight: u32) -> Command {
    command.env("ZPA_IN_FLIGHT", in_flight.to_string());
    command
}

fn clients(root: &Path, release: &Path, official: &Path, pyzscaler: &Path) -> Vec<Client> {
    let zpa = release.join("zpa");
    let node_script = root.join("bench/node/list_connectors.mjs");
    let official_script = root.join("bench/python/official_list_connectors.py");
    let pyzscaler_script = root.join("bench/python/pyzscaler_list_connectors.py");
    let python = |venv: &Path| venv.join("bin/python");
    let (official, pyzscaler) = (python(official), python(pyzscaler));
    vec![
        raw_client(release, 2),
        facade_client(release),
        Client {
            name: "zpa CLI, --output ndjson",
            counted: Counted::Lines,
            command: Box::new(move |sim| {
                let mut command = Command::new(&zpa);
                command
                    .args([
                        "--base-url",
                        &sim.url,
                        "--customer-id",
                        &sim.customer_id,
                        "--token",
                        &sim.token,
                    ])
                    .args([
                        "--rate-limit",
                        "off",
                        "connectors",
                        "list",
                        "--output",
                        "ndjson",
                    ]);
                command
            }),
        },
        Client {
            name: NODE,
            counted: Counted::JsonCount,
            command: Box::new(move |sim| facade_env(command("node", &[node_script.as_ref()]), sim)),
        },
        node_floor_client(root, 2),
        Client {
            name: "zscaler-sdk-python (official), pages of 500",
            counted: Counted::JsonCount,
            command: {
                let (python, script) = (official.clone(), official_script.clone());
                Box::new(move |sim| sdk_env(command(&python, &[script.as_ref()]), sim))
            },
        },
        Client {
            name: PYZSCALER_SLEEPING,
            counted: Counted::JsonCount,
            command: {
                let (python, script) = (pyzscaler.clone(), pyzscaler_script.clone());
                Box::new(move |sim| sdk_env(command(&python, &[script.as_ref()]), sim))
            },
        },
        Client {
            name: "pyzscaler, sleep patched out",
            counted: Counted::JsonCount,
            command: Box::new(move |sim| {
                let args = [pyzscaler_script.as_ref(), "--no-sleep".as_ref()];
                sdk_env(command(&pyzscaler, &args), sim)
            }),
        },
    ]
}

fn rate_limited_clients(root: &Path, release: &Path, official: &Path) -> Vec<Client> {
    let list_all = release.join("examples/list_all");
    let python = official.join("bin/python");
    let script = root.join("bench/python/official_list_connectors.py");
    vec![
        Client {
            name: "zpa facade (pacing to the window)",
            counted: Counted::JsonCount,
            command: Box::new(move |sim| {
                let mut command = facade_env(Command::new(&list_all), sim);
                command
                    .env_remove("ZPA_RATE_LIMIT")
                    .env("ZPA_RATE_WINDOW", RATE_WINDOW)
                    .env("ZPA_PAGE_SIZE", "20");
                command
            }),
        },
        Client {
            name: "zscaler-sdk-python (official)",
            counted: Counted::JsonCount,
            command: Box::new(move |sim| {
                let mut command = sdk_env(command(&python, &[script.as_ref()]), sim);
                command.env("ZPA_PAGE_SIZE", "20");
                command
            }),
        },
    ]
}

/// `program` with `args`.
fn command(program: impl AsRef<std::ffi::OsStr>, args: &[&std::ffi::OsStr]) -> Command {
    let mut command = Command::new(program);
    command.args(args);
    command
}

fn facade_env(mut command: Command, sim: &Endpoint) -> Command {
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("ZPA_BASE_URL", &sim.url)
        .env("ZPA_CUSTOMER_ID", &sim.customer_id)
        .env("ZPA_TOKEN", &sim.token)
        .env("ZPA_RATE_LIMIT", "off");
    command
}

pub fn sdk_env(mut command: Command, sim: &Endpoint) -> Command {
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("ZPA_SIM_URL", &sim.url)
        .env("ZPA_CUSTOMER_ID", &sim.customer_id)
        .env("ZPA_CLIENT_ID", &sim.client_id)
        .env("ZPA_CLIENT_SECRET", &sim.client_secret);
    command
}

/// Runs the client once: wall time from start to exit, peak RSS sampled
/// from /proc, and the count it reports, which must be `expected`.
fn measure(client: &Client, sim: &Endpoint, expected: usize) -> Result<Run> {
    let mut command = (client.command)(sim);
    let started = Instant::now();
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {}", client.name))?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let counted = client.counted;
    let reader = std::thread::spawn(move || {
        let (mut lines, mut last) = (0u64, String::new());
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            lines += 1;
            last = line;
        }
        let count = match counted {
            Counted::Lines => Some(lines),
            Counted::JsonCount => json_count(&last),
            Counted::Nothing => None,
        };
        (count, last)
    });
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if let Some(kb) = std::fs::read_to_string(&status_file)
            .ok()
            .and_then(|s| vm_hwm_kb(&s))
        {
            peak = peak.max(kb);
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let wall = started.elapsed();
    let (count, report) = reader.join().expect("the reader thread");
    let errors = errors.join().expect("the stderr thread");
    if !status.success() {
        bail!("{} failed ({status}): {}", client.name, errors.trim());
    }
    if let Some(count) = count.filter(|&c| c != expected as u64) {
        bail!("{} listed {count} connectors, not {expected}", client.name);
    }
    Ok(Run {
        wall,
        peak_rss_kb: peak,
        report,
    })
}

pub fn json_count(line: &str) -> Option<u64> {
    json_number(line, "count")
}

/// The whole number under `key` in a one-line JSON report.
fn json_number(line: &str, key: &str) -> Option<u64> {
    let quoted = format!("\"{key}\"");
    let rest = &line[line.find(&quoted)? + quoted.len()..];
    let digits: String = rest
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

fn vm_hwm_kb(status: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

/// The walls a listing table compares its rows with: its first row (the raw
/// limit) and the facade's.
#[derive(Default)]
struct Baselines {
    raw: Option<Duration>,
    facade: Option<Duration>,
}

/// A row of a listing table against the table's [`Baselines`].
struct Compared {
    over_raw: f64,
    /// On the facade's row.
    facade_over_raw: Option<f64>,
    /// On the official SDK's row.
    official_over_facade: Option<f64>,
}

impl Baselines {
    fn compare(&mut self, client: &str, wall: Duration) -> Result<Compared> {
        let raw = *self.raw.get_or_insert(wall);
        let over = |base: Duration| wall.as_secs_f64() / base.as_secs_f64();
        if client == FACADE {
            self.facade = Some(wall);
        }
        let official_over_facade = if client.starts_with("zscaler-sdk-python") {
            Some(over(
                self.facade
                    .context("the facade runs before the official SDK")?,
            ))
        } else {
            None
        };
        Ok(Compared {
            over_raw: over(raw),
            facade_over_raw: (client == FACADE).then(|| over(raw)),
            official_over_facade,
        })
    }
}

/// One row of a listing table (`last` is its last column), and a line of
/// progress on the terminal.
fn listing_row(
    out: &mut String,
    table: &str,
    client: &str,
    wall: Duration,
    connectors: usize,
    compared: &Compared,
    last: &str,
) -> Result<()> {
    writeln!(
        out,
        "| {client} | {:.2} s | {:.0} | {:.2} | {last} |",
        wall.as_secs_f64(),
        connectors as f64 / wall.as_secs_f64(),
        compared.over_raw,
    )?;
    println!("{table}, {client}: {:.2} s", wall.as_secs_f64());
    Ok(())
}

/// What section 2 puts between the clients and the simulator: ZPA's API is
/// reached over the internet (the round trip from a European office to its
/// US cloud, a modest office uplink).
const LINK: Link = Link {
    round_trip: Duration::from_millis(40),
    bits_per_second: 50_000_000,
};

/// Runs of the raw limit and the facade over the link: one run of either
/// moved by up to 8% between full runs of the same build.
const LINKED_RUNS: usize = 3;

/// Section 2: every client lists `connectors` through a relay shaped as
/// [`LINK`], from a simulator that compresses when asked; the raw limit
/// also from one that never does.
fn over_the_link(
    out: &mut String,
    root: &Path,
    release: &Path,
    clients: &[Client],
    connectors: usize,
    targets: &mut Targets,
) -> Result<()> {
    writeln!(out, "## 2. Listing over a link like the live API's\n")?;
    writeln!(
        out,
        "{connectors} connectors through a relay that gives loopback a {} ms round trip and {} Mbit/s each way, \
         shared by all of a client's connections (a new connection waits a round trip; TCP's slow start and TLS are not modelled). \
         Every client asks for compression, and the simulator gzips at zlib's default level, except in the row that says it does not. \
         The raw limit and Node alone keep {} requests in flight, the most the facade keeps. \
         One run per client, except the median of {LINKED_RUNS} for the raw limit and the facade, whose ratio is a target; \
         pyzscaler as shipped is left out (it would sleep {} s).\n",
        LINK.round_trip.as_millis(),
        LINK.bits_per_second / 1_000_000,
        zpa::MAX_PAGES_IN_FLIGHT,
        connectors.div_ceil(500)
    )?;
    writeln!(
        out,
        "| client | wall time | connectors/s | × raw limit, compressed | received |"
    )?;
    writeln!(out, "|---|---|---|---|---|")?;
    let gzip = unlimited_sim(release, connectors, "gzip")?;
    let plain = unlimited_sim(release, connectors, "off")?;
    let (gzip_link, plain_link) = (
        Relay::shaped(&gzip.endpoint.url, LINK)?,
        Relay::shaped(&plain.endpoint.url, LINK)?,
    );
    let raw = raw_client(release, zpa::MAX_PAGES_IN_FLIGHT);
    let uncompressed = Client {
        name: "raw limit, server not compressing",
        ..raw_client(release, zpa::MAX_PAGES_IN_FLIGHT)
    };
    // The two rows that set how many requests are in flight get the link's.
    let node_floor = node_floor_client(root, zpa::MAX_PAGES_IN_FLIGHT);
    let cases = [&raw]
        .into_iter()
        .chain(
            clients
                .iter()
                .filter(|client| client.name != PYZSCALER_SLEEPING && client.name != RAW)
                .map(|client| match client.name {
                    NODE_FLOOR => &node_floor,
                    _ => client,
                }),
        )
        .map(|client| (client, &gzip.endpoint, &gzip_link))
        .chain([(&uncompressed, &plain.endpoint, &plain_link)]);
    let mut baselines = Baselines::default();
    for (client, sim, link) in cases {
        let runs = match client.name {
            RAW | FACADE => LINKED_RUNS,
            _ => 1,
        };
        let mut walls = Vec::new();
        let mut carried = 0;
        for _ in 0..runs {
            link.take();
            walls.push(measure(client, &sim.via(&link.url), connectors)?.wall);
            carried = link.take().down;
        }
        let wall = median(walls);
        let received = format!("{:.1} MB", carried as f64 / 1_048_576.0);
        let compared = baselines.compare(client.name, wall)?;
        targets.linked_facade_over_raw = compared
            .facade_over_raw
            .unwrap_or(targets.linked_facade_over_raw);
        targets.linked_official_over_facade = compared
            .official_over_facade
            .unwrap_or(targets.linked_official_over_facade);
        listing_row(
            out,
            "over the link",
            client.name,
            wall,
            connectors,
            &compared,
            &received,
        )?;
    }
    writeln!(out)?;
    Ok(())
}

/// Section 5: every client lists `connectors` through a [`Relay`], once
/// against a simulator that compresses when asked (as the live API does)
/// and once against one that never does.
fn bytes_on_the_wire(
    out: &mut String,
    release: &Path,
    clients: &[Client],
    connectors: usize,
) -> Result<()> {
    writeln!(out, "## 5. Bytes on the wire\n")?;
    writeln!(
        out,
        "{connectors} connectors listed through a relay that counts the bytes each way (headers included), \
         one run per client; figures per 1,000 connectors. The simulator gzips at zlib's default level when asked; \
         the live API's level is not known. \"Asks for\" is the request's `Accept-Encoding`.\n"
    )?;
    writeln!(
        out,
        "| client | asks for | received, server compressing | received, server not compressing | saved | sent |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|")?;
    let mut rows: Vec<(String, Vec<(u64, u64)>)> = Vec::new();
    let mut asked: Vec<String> = Vec::new();
    for compression in ["gzip", "off"] {
        let sim = unlimited_sim(release, connectors, compression)?;
        let relay = Relay::start(&sim.endpoint.url)?;
        let through = sim.endpoint.via(&relay.url);
        for (i, client) in clients.iter().enumerate() {
            relay.take();
            http_delete(&format!("{}/_sim/requests", sim.endpoint.url))?;
            measure(client, &through, connectors)?;
            let carried = relay.take();
            let per_thousand = |bytes: u64| bytes * 1_000 / connectors as u64;
            if rows.len() <= i {
                rows.push((client.name.to_owned(), Vec::new()));
                asked.push(accept_encoding(&sim.endpoint.url)?);
            }
            rows[i]
                .1
                .push((per_thousand(carried.down), per_thousand(carried.up)));
        }
    }
    let kb = |bytes: u64| format!("{:.1} KB", bytes as f64 / 1024.0);
    for ((name, runs), asked) in rows.iter().zip(&asked) {
        let [(compressed, sent), (plain, _)] = runs[..] else {
            bail!("{name} was not measured both ways");
        };
        writeln!(
            out,
            "| {name} | {asked} | {} | {} | {:.0}% | {} |",
            kb(compressed),
            kb(plain),
            100.0 - compressed as f64 * 100.0 / plain.max(1) as f64,
            kb(sent)
        )?;
    }
    writeln!(out)?;
    Ok(())
}

/// The release simulator with `connectors`, limits off, and `compression`
/// (`gzip` or `off`).
/// A simulator with ZPA's limits on the scaled window.
pub fn rate_limited_sim(release: &Path, connectors: usize) -> Result<SimProcess> {
    let connectors = connectors.to_string();
    SimProcess::start(
        &release.join("zpa-sim"),
        &[
            "--connectors",
            &connectors,
            "--rate-limit",
            "zpa",
            "--rate-window",
            RATE_WINDOW,
        ],
    )
}

/// How many 429s the simulator has answered.
pub fn refusals(sim: &Endpoint) -> Result<usize> {
    Ok(http_get(&format!("{}/_sim/requests", sim.url))?
        .matches("\"status\":429")
        .count())
}

fn unlimited_sim(release: &Path, connectors: usize, compression: &str) -> Result<SimProcess> {
    SimProcess::start(
        &release.join("zpa-sim"),
        &[
            "--connectors",
            &connectors.to_string(),
            "--rate-limit",
            "off",
            "--compression",
            compression,
        ],
    )
}

/// The `Accept-Encoding` of the first connector listing in the simulator's log.
fn accept_encoding(sim_url: &str) -> Result<String> {
    let log: serde_json::Value =
        serde_json::from_str(&http_get(&format!("{sim_url}/_sim/requests"))?)
            .context("the simulator's request log is JSON")?;
    let first = log
        .as_array()
        .and_then(|requests| {
            requests.iter().find(|r| {
                r["method"] == "GET"
                    && r["path"]
                        .as_str()
                        .is_some_and(|p| p.ends_with("/connector"))
            })
        })
        .context("no connector listing in the simulator's log")?;
    Ok(match first["accept_encoding"].as_str() {
        Some(value) => format!("`{value}`"),
        None => "nothing".to_owned(),
    })
}

/// A plain HTTP/1.1 GET to the simulator on loopback; the body as text.
fn http_get(url: &str) -> Result<String> {
    http_plain("GET", url)
}

fn http_delete(url: &str) -> Result<String> {
    http_plain("DELETE", url)
}

/// One HTTP/1.1 request without a body, the answer read to its end. Only
/// for the simulator's own endpoints, which answer with a Content-Length.
fn http_plain(method: &str, url: &str) -> Result<String> {
    let rest = url.strip_prefix("http://").context("an http:// URL")?;
    let (host, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_owned()), |(h, p)| (h, format!("/{p}")));
    let mut stream = TcpStream::connect(host)?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default())
}

fn header(root: &Path, out: &mut String, quick: bool) -> Result<()> {
    let command_output = |program: &str, args: &[&str]| -> String {
        Command::new(program)
            .args(args)
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_else(|_| "unknown".into())
    };
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_else(|| "unknown".into());
    let memory_kb: f64 = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines().find_map(|l| {
                l.strip_prefix("MemTotal:")?
                    .trim()
                    .strip_suffix(" kB")?
                    .parse()
                    .ok()
            })
        })
        .unwrap_or(0.0);
    let memory = format!("{:.1} GiB", memory_kb / 1024.0 / 1024.0);
    let pins = |file: &str| -> String {
        std::fs::read_to_string(root.join("bench/python").join(file))
            .unwrap_or_default()
            .lines()
            .filter(|l| l.starts_with("zscaler-sdk-python==") || l.starts_with("pyzscaler=="))
            .collect::<Vec<_>>()
            .join(", ")
    };
    writeln!(out, "# Benchmarks\n")?;
    if quick {
        writeln!(
            out,
            "A smoke run of the harness (`cargo xtask bench --quick`): sizes are small and each figure is one run.\n"
        )?;
    }
    writeln!(
        out,
        "Produced by `cargo xtask bench` on {} (UTC). Every client runs against the same simulator (`zpa-sim`, release build) on this machine, one after the other.\n",
        command_output("date", &["-u", "+%Y-%m-%d %H:%M"])
    )?;
    writeln!(
        out,
        "- Machine: {} cores ({cpu}), {memory} of memory",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    )?;
    writeln!(
        out,
        "- {}; {}; Node {}; {}",
        command_output("rustc", &["--version"]),
        command_output(env!("CARGO"), &["--version"]),
        command_output("node", &["--version"]),
        command_output("python3", &["--version"])
    )?;
    writeln!(
        out,
        "- Python SDKs, each in its own virtualenv: {}; {}",
        pins("requirements-official.txt"),
        pins("requirements-pyzscaler.txt")
    )?;
    writeln!(
        out,
        "- How each SDK is pointed at the simulator: see `bench/python/README.md` (the official SDK gets the simulator's URL added to its table of cloud URLs at run time; pyzscaler through its `override_url` option).\n"
    )?;
    Ok(())
}
