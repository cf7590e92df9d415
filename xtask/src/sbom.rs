//! `cargo xtask sbom`: CycloneDX bills of materials (JSON, spec 1.5) for
//! what ships, in `target/sbom/`: each published crate, the `zpa` binary per
//! feature set, and the npm package (its own, by npm, and the Rust its wasm
//! is compiled from).
//!
//! A workspace resolves features for all its members at once, so a bill
//! made in it would list what other members turn on. Each bill is made in
//! a copy of the workspace whose only member is the crate it is for (its
//! path dependencies come along as members), with the same lock file.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};

use crate::tools::{cargo_install, exec, stdout, target_dir};
use crate::wasm;

/// One bill: what it describes, and how many packages it lists.
pub struct Bom {
    pub name: &'static str,
    pub what: &'static str,
    pub path: PathBuf,
    pub components: usize,
}

/// A crate in one feature set, for one target.
struct Build {
    name: &'static str,
    what: &'static str,
    package: &'static str,
    args: &'static [&'static str],
}

const HOST: &str = "x86_64-unknown-linux-gnu";

const BUILDS: [Build; 7] = [
    Build {
        name: "zpa",
        what: "the facade, default features (rustls on aws-lc-rs, private-key, tracing)",
        package: "zpa",
        args: &["--target", HOST],
    },
    Build {
        name: "zpa-ring",
        what: "the facade, slimmest: rustls on ring alone",
        package: "zpa",
        args: &[
            "--target",
            HOST,
            "--no-default-features",
            "-F",
            "rustls-ring",
        ],
    },
    Build {
        name: "zpa-all-features",
        what: "the facade, every feature (redis, schemars too)",
        package: "zpa",
        args: &["--target", HOST, "--all-features"],
    },
    Build {
        name: "zpa-client",
        what: "the generated client",
        package: "zpa-client",
        args: &["--target", HOST],
    },
    Build {
        name: "zpa-sim",
        what: "the simulator",
        package: "zpa-sim",
        args: &["--target", HOST],
    },
    Build {
        name: "zpa-cli",
        what: "the zpa binary as `cargo install zpa-cli` builds it (simulator, mcp)",
        package: "zpa-cli",
        args: &["--target", HOST],
    },
    Build {
        name: "zpa-cli-slim",
        what: "the zpa binary without default features",
        package: "zpa-cli",
        args: &["--target", HOST, "--no-default-features"],
    },
];

/// The Rust the npm package's wasm is compiled from.
const WASM: Build = Build {
    name: "zpa-wasm-wasm32",
    what: "the npm package's wasm: the bindings for wasm32-unknown-unknown",
    package: "zpa-wasm",
    args: &["--target", wasm::TARGET],
};

/// Writes every bill and returns them; `web/pkg` must hold the built
/// package (`cargo xtask wasm`).
pub fn write(root: &Path) -> Result<Vec<Bom>> {
    let tool = cargo_install("cargo-cyclonedx", "0.5.9", "cargo-cyclonedx")?;
    let out = target_dir(root).join("sbom");
    std::fs::create_dir_all(&out)?;
    let mut boms = Vec::new();
    for build in BUILDS.iter().chain([&WASM]) {
        boms.push(cyclonedx(root, &tool, &out, build)?);
    }
    boms.push(npm(root, &out)?);
    Ok(boms)
}

fn cyclonedx(root: &Path, tool: &Path, out: &Path, build: &Build) -> Result<Bom> {
    let copy = alone(root, build)?;
    exec(
        Command::new(tool)
            .arg("cyclonedx")
            .arg("--manifest-path")
            .arg(copy.join("crates").join(build.package).join("Cargo.toml"))
            .args(["--format", "json", "--spec-version", "1.5", "--quiet"])
            .args(["--override-filename", build.name])
            .args(build.args)
            .current_dir(&copy),
    )?;
    let written = copy
        .join("crates")
        .join(build.package)
        .join(format!("{}.json", build.name));
    let path = out.join(format!("{}.cdx.json", build.name));
    std::fs::rename(&written, &path)
        .with_context(|| format!("cargo-cyclonedx wrote no bill for {}", build.package))?;
    Ok(Bom {
        name: build.name,
        what: build.what,
        components: components(&path)?,
        path,
    })
}

/// A copy of the workspace (its manifest, lock file and crates) in which
/// `build`'s crate is the only member named.
fn alone(root: &Path, build: &Build) -> Result<PathBuf> {
    let copy = target_dir(root).join("sbom-work").join(build.name);
    let _ = std::fs::remove_dir_all(&copy);
    std::fs::create_dir_all(&copy)?;
    let manifest = std::fs::read_to_string(root.join("Cargo.toml"))?;
    let members = format!("members = [\"crates/{}\"]", build.package);
    let manifest: Vec<String> = manifest
        .lines()
        .filter(|line| !line.starts_with("default-members"))
        .map(|line| match line.starts_with("members") {
            true => members.clone(),
            false => line.to_owned(),
        })
        .collect();
    std::fs::write(copy.join("Cargo.toml"), manifest.join("\n"))?;
    std::fs::copy(root.join("Cargo.lock"), copy.join("Cargo.lock"))?;
    // The crates, and the test crate the CLI's tests depend on.
    for dir in ["crates", "tests"] {
        copy_sources(&root.join(dir), &copy.join(dir))?;
    }
    Ok(copy)
}

/// `from` into `to`, but for build output and installed packages.
fn copy_sources(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if name == "target" || name == "node_modules" {
            continue;
        }
        if entry.file_type()?.is_dir() {
            copy_sources(&entry.path(), &to.join(&name))?;
        } else {
            std::fs::copy(entry.path(), to.join(&name))?;
        }
    }
    Ok(())
}

/// The npm package as npm describes it (it bundles its wasm and depends on
/// no package).
fn npm(root: &Path, out: &Path) -> Result<Bom> {
    let package = root.join(wasm::PACKAGE);
    let bom = stdout(
        Command::new("npm")
            .args([
                "sbom",
                "--sbom-format",
                "cyclonedx",
                "--sbom-type",
                "library",
            ])
            .current_dir(&package),
    )?;
    let path = out.join("zpa-wasm-npm.cdx.json");
    std::fs::write(&path, bom)?;
    Ok(Bom {
        name: "zpa-wasm-npm",
        what: "the npm package, as npm describes it",
        components: components(&path)?,
        path,
    })
}

/// The packages a bill lists (its own component aside).
pub fn components(path: &Path) -> Result<usize> {
    let bom: serde_json::Value = serde_json::from_slice(&std::fs::read(path)?)
        .with_context(|| format!("reading {}", path.display()))?;
    Ok(bom["components"].as_array().map_or(0, Vec::len))
}
