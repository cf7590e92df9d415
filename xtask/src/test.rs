//! `cargo xtask test`: installs what the tests need, then runs every test the project has.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::generate;

const PYTHON_TOOLS: &[&str] = &["openapi-spec-validator==0.9.0"];

pub fn run(root: &Path) -> Result<()> {
    step("generated client is up to date with the spec");
    generate::check(root)?;

    step("formatting");
    cargo(root, &["fmt", "--all", "--check"])?;

    step("spec/zpa.yaml against an independent OpenAPI validator");
    let venv = python_venv(root)?;
    exec(Command::new(venv.join("bin/openapi-spec-validator")).arg(root.join(generate::SPEC)))?;

    step("Rust tests (unit, integration, doc)");
    cargo(root, &["test", "--workspace"])?;

    step("all tests passed");
    Ok(())
}

fn step(title: &str) {
    println!("\n==> {title}");
}

/// A virtualenv under target/ holding the pinned Python tools the tests use.
fn python_venv(root: &Path) -> Result<PathBuf> {
    let venv = root.join("target/xtask/venv");
    let marker = venv.join("installed.txt");
    let wanted = PYTHON_TOOLS.join("\n");
    if std::fs::read_to_string(&marker).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(venv);
    }
    exec(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    exec(
        Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .args(PYTHON_TOOLS),
    )?;
    std::fs::write(&marker, wanted).context("recording the installed Python tools")?;
    Ok(venv)
}

fn cargo(root: &Path, args: &[&str]) -> Result<()> {
    exec(Command::new(env!("CARGO")).args(args).current_dir(root))
}

fn exec(command: &mut Command) -> Result<()> {
    let shown = format!("{command:?}");
    let status = command
        .status()
        .with_context(|| format!("could not start {shown}"))?;
    if !status.success() {
        bail!("{shown} failed ({status})");
    }
    Ok(())
}
