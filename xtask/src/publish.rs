//! The crates as crates.io would take them: a dry-run publish of each
//! (packaged, then built from the package alone), the slim feature sets
//! building, and every dependency within the declared `rust-version`.
//!
//! Only one toolchain can be installed on the machines this runs on, so the
//! `rust-version` is checked as `cargo msrv` would see it from the lock file:
//! no dependency may need a newer compiler than the one the crates declare.
//! (clippy's `incompatible_msrv` lint covers the standard library calls in
//! our own code.)

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::tools::{cargo, stdout};

/// The crates published to crates.io, in dependency order.
pub const CRATES: [&str; 4] = ["zpa-client", "zpa", "zpa-sim", "zpa-cli"];

pub fn check(root: &Path) -> Result<()> {
    // The slimmest builds a consumer can ask for.
    cargo(
        root,
        &[
            "check",
            "-p",
            "zpa",
            "--no-default-features",
            "--features",
            "rustls-ring",
        ],
    )?;
    cargo(root, &["check", "-p", "zpa-cli", "--no-default-features"])?;
    rust_version_holds(root)?;
    forget_earlier_packages(root)?;
    let mut args = vec!["publish", "--dry-run", "--allow-dirty"];
    for name in CRATES {
        args.extend(["-p", name]);
    }
    cargo(root, &args)?;
    // What a security team asks before it lets the tool in.
    crate::wasm::build(root)?;
    for bom in crate::sbom::write(root)? {
        println!("{}: {} packages", bom.path.display(), bom.components);
    }
    Ok(())
}

/// Cargo verifies each crate against the others through a local registry,
/// and takes a registry package's build for unchanged when its version is:
/// the verification would link the last run's code. So the sources it
/// unpacked (under `$CARGO_HOME/registry/src/-<hash>/`) and the builds of
/// our crates in `target/debug` go first; the workspace's own builds of them
/// are redone when next needed.
fn forget_earlier_packages(root: &Path) -> Result<()> {
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))
        .context("neither CARGO_HOME nor HOME is set")?;
    let version = env!("CARGO_PKG_VERSION");
    let mut stale = Vec::new();
    for registry in std::fs::read_dir(home.join("registry/src"))
        .into_iter()
        .flatten()
        .flatten()
    {
        // crates.io's own sources are named `index.crates.io-<hash>`.
        if registry.file_name().to_string_lossy().starts_with('-') {
            stale.extend(CRATES.map(|name| registry.path().join(format!("{name}-{version}"))));
        }
    }
    let fingerprints = crate::tools::target_dir(root).join("debug/.fingerprint");
    for entry in std::fs::read_dir(&fingerprints)
        .into_iter()
        .flatten()
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        let built = name
            .rsplit_once('-')
            .is_some_and(|(package, hash)| CRATES.contains(&package) && hash.len() == 16);
        if built {
            stale.push(entry.path());
        }
    }
    for path in stale.into_iter().filter(|path| path.exists()) {
        std::fs::remove_dir_all(&path).with_context(|| format!("removing {}", path.display()))?;
    }
    Ok(())
}

/// Every package our published crates build with declares a `rust-version`
/// no newer than ours (or none).
fn rust_version_holds(root: &Path) -> Result<()> {
    let metadata = stdout(
        Command::new(env!("CARGO"))
            .current_dir(root)
            .args(["metadata", "--format-version", "1", "--all-features"])
            .args(["--filter-platform", "x86_64-unknown-linux-gnu"]),
    )?;
    let metadata: Value = serde_json::from_slice(&metadata)?;
    let packages = metadata["packages"].as_array().context("no packages")?;
    let package = |id: &str| packages.iter().find(|p| p["id"] == id);
    let ours = packages
        .iter()
        .find(|p| p["name"] == "zpa")
        .and_then(|p| p["rust_version"].as_str())
        .context("zpa declares no rust-version")?;
    let nodes = metadata["resolve"]["nodes"]
        .as_array()
        .context("no resolve")?;
    let mut todo: Vec<&str> = packages
        .iter()
        .filter(|p| CRATES.contains(&p["name"].as_str().unwrap_or_default()))
        .filter_map(|p| p["id"].as_str())
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    let mut too_new = Vec::new();
    while let Some(id) = todo.pop() {
        if !seen.insert(id) {
            continue;
        }
        if let Some(needs) = package(id).and_then(|p| p["rust_version"].as_str())
            && version(needs) > version(ours)
        {
            too_new.push(format!("{id} needs {needs}"));
        }
        let node = nodes.iter().find(|n| n["id"] == id).context("unresolved")?;
        for dep in node["deps"].as_array().into_iter().flatten() {
            let builds_with = dep["dep_kinds"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|kind| kind["kind"].is_null() || kind["kind"] == "build");
            if builds_with && let Some(dep_id) = dep["pkg"].as_str() {
                todo.push(dep_id);
            }
        }
    }
    if !too_new.is_empty() {
        bail!("rust-version {ours} is too old for: {}", too_new.join("; "));
    }
    println!(
        "rust-version {ours} holds for the {} packages the published crates build with",
        seen.len()
    );
    Ok(())
}

fn version(text: &str) -> Vec<u64> {
    let mut parts: Vec<u64> = text.split('.').map(|p| p.parse().unwrap_or(0)).collect();
    parts.resize(3, 0);
    parts
}
