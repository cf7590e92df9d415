//! `cargo xtask test`: installs what the tests need, then runs every test the project has.

use std::ffi::OsStr;
use std::fmt;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::sim::{self, SimProcess};
use crate::tools::{self, cargo, exec, python_venv};
use crate::{fuzz, generate, publish, supply_chain, wasm};

const PYTHON_TOOLS: &[&str] = &["openapi-spec-validator==0.9.0", "schemathesis==4.32.5"];
/// The official Python MCP client, which the tests of `zpa mcp` drive.
pub const MCP_CLIENT: &[&str] = &["mcp==2.3.0", "pytest==9.2.0"];

pub fn run(root: &Path) -> Result<()> {
    step("generated client is up to date with the spec");
    generate::check(root)?;

    step("formatting");
    cargo(root, &["fmt", "--all", "--check"])?;
    cargo(
        root,
        &["fmt", "--manifest-path", "fuzz/Cargo.toml", "--check"],
    )?;

    step("spec/zpa.yaml against an independent OpenAPI validator");
    let venv = python_venv(&root.join("target/xtask/venv"), PYTHON_TOOLS)?;
    exec(Command::new(venv.join("bin/openapi-spec-validator")).arg(root.join(generate::SPEC)))?;

    step("Rust tests (unit, integration, doc); a real Redis for the shared rate limit");
    tools::ensure_debian_packages("redis-server", &["redis-server"])?;
    let mut tally = Tally::default();
    tally.cargo_test(root, &["test", "--workspace"])?;
    // The private key's assertion signed by ring, as the rustls-ring build
    // does (the workspace's tests run on aws-lc-rs).
    for tests in [&["--lib", "assertion"][..], &["--test", "parity", "key"]] {
        let mut args = vec![
            "test",
            "-p",
            "zpa",
            "--no-default-features",
            "--features",
            "rustls-ring,private-key,tracing",
        ];
        args.extend_from_slice(tests);
        tally.cargo_test(root, &args)?;
    }

    step("supply chain: cargo-deny's licenses, bans and sources; advisories with a local database");
    supply_chain::check(root)?;
    tally.passed += 1;

    step("contract: schemathesis runs the simulator against spec/zpa.yaml");
    let sim_binary = sim::build_debug(root)?;
    contract(root, &venv, &sim_binary)?;
    tally.passed += 1;

    step("zpa mcp with the official Python MCP client and the MCP Inspector's CLI mode");
    tally.mcp_test(root, &sim_binary)?;

    step(
        "publishable: slim feature sets, rust-version of every dependency, cargo publish --dry-run, \
         the JavaScript package (web/pkg) and every bill of materials",
    );
    publish::check(root)?;
    tally.passed += 1;

    step("the facade and the bindings under wasm-bindgen-test in Node");
    let runner = wasm::ensure_wasm_bindgen(&wasm::pinned_wasm_bindgen(root)?)?
        .with_file_name("wasm-bindgen-test-runner");
    for package in [
        ["--package", "zpa", "--lib"].as_slice(),
        &["--package", "zpa-wasm"],
    ] {
        let mut args = vec!["test", "--target", wasm::TARGET];
        args.extend_from_slice(package);
        tally.cargo_test_with(
            root,
            &args,
            &[(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                runner.as_os_str(),
            )],
        )?;
    }

    step(
        "node:test suites against the simulator: the package, its tarball in a fresh app under \
         every bundler, Node and tsc, random inputs, the console in Chromium",
    );
    tools::ensure_debian_packages("chromium", &["chromium", "chromium-driver"])?;
    tally.node_test(root, &sim_binary)?;

    step("fuzz targets: 50,000 inputs each from a fixed seed (cargo xtask fuzz runs longer)");
    tally.passed += fuzz::run(root, fuzz::Budget::Runs(50_000), &fuzz::TARGETS)?.len() as u64;

    step("benchmark harness smoke run (cargo xtask bench --quick; no timing asserted)");
    crate::bench::run(root, true)?;
    tally.passed += 1;

    step("summary");
    println!("{tally}");
    Ok(())
}

/// Test counts summed over every runner, printed as the run's closing line.
#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
    skipped: u64,
}

impl Tally {
    /// Runs `cargo test`, echoing its output and adding up its `test result:` lines.
    fn cargo_test(&mut self, root: &Path, args: &[&str]) -> Result<()> {
        self.cargo_test_with(root, args, &[])
    }

    fn cargo_test_with(
        &mut self,
        root: &Path,
        args: &[&str],
        env: &[(&str, &OsStr)],
    ) -> Result<()> {
        let mut command = Command::new(env!("CARGO"));
        command
            .args(args)
            .current_dir(root)
            .envs(env.iter().copied());
        self.run_counted(&mut command, Self::add_cargo_summary)
    }

    /// Runs every `web/test/*.test.mjs` with Node's test runner (TAP output).
    fn node_test(&mut self, root: &Path, sim_binary: &Path) -> Result<()> {
        let mut command = Command::new("node");
        command
            .args(["--test", "--test-reporter=tap"])
            .env("ZPA_SIM_BIN", sim_binary)
            .current_dir(root.join("web"));
        for entry in std::fs::read_dir(root.join("web/test"))? {
            let path = entry?.path();
            if path.to_string_lossy().ends_with(".test.mjs") {
                command.arg(path);
            }
        }
        self.run_counted(&mut command, Self::add_tap_summary)
    }

    /// Runs the pytest suite of `tests/mcp` against the debug `zpa` binary.
    fn mcp_test(&mut self, root: &Path, sim_binary: &Path) -> Result<()> {
        let venv = python_venv(&root.join("target/xtask/mcp-venv"), MCP_CLIENT)?;
        let inspector = root.join("tests/mcp/inspector");
        tools::npm_install(&inspector)?;
        cargo(
            root,
            &["build", "--quiet", "--package", "zpa-cli", "--bin", "zpa"],
        )?;
        let mut command = Command::new(venv.join("bin/python"));
        command
            .args(["-m", "pytest", "-p", "no:cacheprovider", "-v"])
            .arg(root.join("tests/mcp"))
            .env("ZPA_BIN", tools::target_dir(root).join("debug/zpa"))
            .env("ZPA_SIM_BIN", sim_binary)
            .env(
                "ZPA_INSPECTOR",
                inspector.join("node_modules/.bin/mcp-inspector"),
            )
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .current_dir(root);
        self.run_counted(&mut command, Self::add_pytest_summary)
    }

    /// Runs `command`, echoing its output and counting with `summarize`.
    fn run_counted(&mut self, command: &mut Command, summarize: fn(&mut Self, &str)) -> Result<()> {
        let shown = format!("{command:?}");
        let mut child = command
            .stdout(Stdio::piped())
            .spawn()
            .with_context(|| format!("could not start {shown}"))?;
        let stdout = child.stdout.take().expect("stdout is piped");
        for line in BufReader::new(stdout).lines() {
            let line = line.context("reading test output")?;
            println!("{line}");
            summarize(self, &line);
        }
        let status = child.wait()?;
        if !status.success() {
            bail!("{shown} failed ({status})");
        }
        Ok(())
    }

    /// Node's TAP reporter closes with `# pass N`, `# fail N`, `# skipped N`.
    fn add_tap_summary(&mut self, line: &str) {
        let mut words = line.split_whitespace();
        let (Some("#"), Some(label), Some(number), None) =
            (words.next(), words.next(), words.next(), words.next())
        else {
            return;
        };
        let Ok(number) = number.parse::<u64>() else {
            return;
        };
        match label {
            "pass" => self.passed += number,
            "fail" => self.failed += number,
            "skipped" | "todo" => self.skipped += number,
            _ => {}
        }
    }

    /// pytest closes with `== 12 passed, 1 skipped in 3.1s ==`.
    fn add_pytest_summary(&mut self, line: &str) {
        let line = line.trim_matches(|c: char| c == '=' || c.is_whitespace());
        let Some((counts, _)) = line.rsplit_once(" in ") else {
            return;
        };
        for part in counts.split(", ") {
            let mut words = part.split_whitespace();
            let (Some(number), Some(label), None) = (words.next(), words.next(), words.next())
            else {
                return;
            };
            let Ok(number) = number.parse::<u64>() else {
                return;
            };
            match label {
                "passed" => self.passed += number,
                "failed" | "error" | "errors" => self.failed += number,
                "skipped" => self.skipped += number,
                _ => {}
            }
        }
    }

    fn add_cargo_summary(&mut self, line: &str) {
        let Some(counts) = line.strip_prefix("test result: ") else {
            return;
        };
        for part in counts.split(';') {
            let mut words = part.split_whitespace().rev();
            let (Some(label), Some(number)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(number) = number.parse::<u64>() else {
                continue;
            };
            match label {
                "passed" => self.passed += number,
                "failed" => self.failed += number,
                "ignored" => self.skipped += number,
                _ => {}
            }
        }
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "tests: {} passed, {} failed, {} skipped",
            self.passed, self.failed, self.skipped
        )
    }
}

/// Starts the simulator's binary on a free port and points schemathesis at it,
/// configured by `spec/schemathesis.toml`.
fn contract(root: &Path, venv: &Path, sim_binary: &Path) -> Result<()> {
    let sim = SimProcess::start(sim_binary, &["--rate-limit", "off"])?;
    exec(
        Command::new(venv.join("bin/schemathesis"))
            .arg("--config-file")
            .arg(root.join("spec/schemathesis.toml"))
            .arg("run")
            .arg(root.join(generate::SPEC))
            .env("ZPA_SIM_URL", &sim.endpoint.url)
            .env("ZPA_SIM_CUSTOMER", &sim.endpoint.customer_id)
            .env("ZPA_SIM_TOKEN", &sim.endpoint.token)
            .current_dir(root),
    )
}

fn step(title: &str) {
    println!("\n==> {title}");
}

#[cfg(test)]
mod tests {
    use super::Tally;

    #[test]
    fn tally_adds_up_cargo_summaries() {
        let mut tally = Tally::default();
        tally.add_cargo_summary("test result: ok. 5 passed; 0 failed; 2 ignored; 0 measured; 0 filtered out; finished in 0.01s");
        tally.add_cargo_summary(
            "test result: FAILED. 1 passed; 3 failed; 0 ignored; 0 measured; 1 filtered out",
        );
        tally.add_cargo_summary("running 4 tests");
        tally.add_tap_summary("# pass 10");
        tally.add_tap_summary("# skipped 1");
        tally.add_tap_summary("# Subtest: pass 3");
        tally.add_pytest_summary("======= 12 passed, 1 skipped in 3.10s =======");
        tally.add_pytest_summary("PASSED tests/mcp/test_zpa_mcp.py::test_one in 2 parts");
        assert_eq!(tally.to_string(), "tests: 28 passed, 3 failed, 4 skipped");
    }
}
