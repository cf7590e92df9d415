//! Bench section 9: `zpa mcp` beside Zscaler's own MCP server
//! (zscaler-mcp), both asked the stale question by the official Python MCP
//! client against one simulator of 2,000 connectors.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::sim::{Endpoint, SimProcess};
use crate::tools::python_venv;

/// The simulator's size, as the issue's measurement of zscaler-mcp had it.
const CONNECTORS: usize = 2_000;

/// One server's answer to the question, as `bench/python/mcp_stale.py`
/// reports it.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Answer {
    /// The protocol revision the session negotiated.
    pub protocol: String,
    pub tools: usize,
    pub tools_bytes: usize,
    pub startup_ms: f64,
    pub calls: usize,
    pub bytes: usize,
    pub seconds: f64,
    pub named: usize,
    pub expected: usize,
    pub complete: bool,
    pub peak_rss_kb: u64,
}

/// Both servers' answers, for the targets.
#[derive(Default)]
pub struct Outcome {
    pub zpa: Answer,
    pub peer: Answer,
}

impl Outcome {
    /// The stale answer's bytes against the peer's.
    pub fn bytes_share(&self) -> f64 {
        self.zpa.bytes as f64 / self.peer.bytes.max(1) as f64
    }
}

pub fn run(out: &mut String, root: &Path, release: &Path, runs: usize) -> Result<Outcome> {
    let bench = root.join("bench/python");
    let requirements = |file: &str| -> Result<String> {
        Ok(bench
            .join(file)
            .to_str()
            .context("a UTF-8 path")?
            .to_owned())
    };
    let client = python_venv(
        &root.join("target/bench/venv-mcp-client"),
        &["-r", &requirements("requirements-mcp-client.txt")?],
    )?;
    let peer = python_venv(
        &root.join("target/bench/venv-zscaler-mcp"),
        &["-r", &requirements("requirements-zscaler-mcp.txt")?],
    )?;
    let sim = SimProcess::start(
        &release.join("zpa-sim"),
        &[
            "--connectors",
            &CONNECTORS.to_string(),
            "--rate-limit",
            "off",
        ],
    )?;
    let sim = &sim.endpoint;
    // Both sign in through OneAPI with the simulator's client secret.
    let zpa = Server {
        name: "zpa",
        command: vec![release.join("zpa").into(), "mcp".into()],
        env: vec![
            ("ZPA_BASE_URL", format!("{}/zpa", sim.url)),
            ("ZSCALER_TOKEN_URL", format!("{}/oauth2/v1/token", sim.url)),
            ("ZPA_CLIENT_ID", sim.client_id.clone()),
            ("ZPA_CLIENT_SECRET", sim.client_secret.clone()),
            ("ZPA_RATE_LIMIT", "off".into()),
        ],
    };
    let zscaler_mcp = Server {
        name: "zscaler-mcp",
        command: vec![
            peer.join("bin/python").into(),
            bench.join("zscaler_mcp_on_sim.py").into(),
        ],
        env: vec![
            ("ZSCALER_CLIENT_ID", sim.client_id.clone()),
            ("ZSCALER_CLIENT_SECRET", sim.client_secret.clone()),
            ("ZSCALER_VANITY_DOMAIN", "bench-sim".into()),
            ("ZSCALER_CUSTOMER_ID", sim.customer_id.clone()),
        ],
    };
    let outcome = Outcome {
        zpa: best_of(runs, || ask(&client, &bench, sim, &zpa))?,
        peer: best_of(runs, || ask(&client, &bench, sim, &zscaler_mcp))?,
    };
    write(out, &outcome, runs)?;
    Ok(outcome)
}

/// The run with the median wall time of `runs` runs.
fn best_of(runs: usize, mut ask: impl FnMut() -> Result<Answer>) -> Result<Answer> {
    let mut answers = (0..runs).map(|_| ask()).collect::<Result<Vec<_>>>()?;
    answers.sort_by(|a, b| a.seconds.total_cmp(&b.seconds));
    Ok(answers.swap_remove(answers.len() / 2))
}

/// A server: how to start it, and the settings it reads from its
/// environment (each its own: both read `ZSCALER_*` variables).
struct Server {
    name: &'static str,
    command: Vec<std::ffi::OsString>,
    env: Vec<(&'static str, String)>,
}

/// One session with `server`, run under `peak_rss.py` so that its peak RSS
/// is its own.
fn ask(client: &Path, bench: &Path, sim: &Endpoint, server: &Server) -> Result<Answer> {
    let name = server.name;
    let rss = tempfile_path(name);
    let output = Command::new(client.join("bin/python"))
        .arg(bench.join("mcp_stale.py"))
        .arg(name)
        .arg(client.join("bin/python"))
        .arg(bench.join("peak_rss.py"))
        .args(&server.command)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PEAK_RSS_FILE", &rss)
        .env("ZPA_SIM_URL", &sim.url)
        .env("ZPA_SIM_TOKEN", &sim.token)
        .env("ZPA_CUSTOMER_ID", &sim.customer_id)
        .env("ZPA_CONNECTORS", CONNECTORS.to_string())
        .envs(server.env.iter().map(|(key, value)| (key, value)))
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .with_context(|| format!("asking {name}"))?;
    let _ = std::fs::remove_file(&rss);
    if !output.status.success() {
        let errors = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = errors.lines().rev().take(15).collect();
        bail!(
            "asking {name} failed: {}",
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        );
    }
    let line = String::from_utf8(output.stdout).context("the driver's report is UTF-8")?;
    let answer: Answer = serde_json::from_str(line.trim()).context("the driver's report")?;
    if !answer.complete {
        bail!(
            "{name} named {} connectors, {} are stale",
            answer.named,
            answer.expected
        );
    }
    Ok(answer)
}

fn tempfile_path(server: &str) -> PathBuf {
    std::env::temp_dir().join(format!("zpa-bench-rss-{server}-{}", std::process::id()))
}

fn write(out: &mut String, outcome: &Outcome, runs: usize) -> Result<()> {
    writeln!(out, "## 9. MCP servers: the stale question\n")?;
    writeln!(
        out,
        "One simulator of {CONNECTORS} connectors; the official Python MCP client (`mcp` 2.3.0) starts each \
         server over stdio, lists its tools and asks which connectors have been disconnected for more than 30 days \
         (`bench/python/mcp_stale.py`; median of {runs} by the question's wall time). `zpa mcp` answers with one call \
         (`disconnectedFor: \"30d\"`). zscaler-mcp 0.15.4, as shipped (its SDK pointed at the simulator: \
         `bench/python/zscaler_mcp_on_sim.py`), has no such search, so the driver pages through every connector, 500 \
         at a time, with a JMESPath filter and the cutoff it computes. Both answers are checked against the \
         simulator's own search; bytes are the text of the tool results, what the agent reads.\n"
    )?;
    writeln!(
        out,
        "| server | tools | `tools/list` | calls | stale answer | answer time | start-up to initialized | peak RSS |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|---|")?;
    for (name, answer) in [
        ("zpa mcp", &outcome.zpa),
        ("zscaler-mcp 0.15.4", &outcome.peer),
    ] {
        writeln!(
            out,
            "| {name} | {} | {:.1} KB | {} | {} of {} stale, {:.1} KB | {:.2} s | {:.0} ms | {:.1} MB |",
            answer.tools,
            answer.tools_bytes as f64 / 1024.0,
            answer.calls,
            answer.named,
            answer.expected,
            answer.bytes as f64 / 1024.0,
            answer.seconds,
            answer.startup_ms,
            answer.peak_rss_kb as f64 / 1024.0,
        )?;
    }
    let revisions = if outcome.zpa.protocol == outcome.peer.protocol {
        format!("both speak MCP {} with this client", outcome.zpa.protocol)
    } else {
        format!(
            "speak MCP {} (`zpa mcp`) and {} (zscaler-mcp) with this client",
            outcome.zpa.protocol, outcome.peer.protocol
        )
    };
    writeln!(
        out,
        "\n`zpa mcp` offers its five read-only tools unless `--allow-writes` names others (twelve with all: about 15 KB). \
         The servers {revisions}; start-up includes the client's `server/discover` round trip.\n"
    )?;
    Ok(())
}
