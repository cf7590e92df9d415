//! `cargo xtask wasm`: the JavaScript package in `web/pkg/`, built from
//! `crates/zpa-wasm` with the pinned wasm-bindgen, optimized with the npm
//! package binaryen's wasm-opt.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};

use crate::tools::{cargo, cargo_install, exec, npm_install, target_dir};

pub const TARGET: &str = "wasm32-unknown-unknown";
const PROFILE: &str = "release-wasm";
pub const PACKAGE: &str = "web/pkg";

/// Builds the package and prints the wasm's gzipped size.
pub fn build(root: &Path) -> Result<()> {
    let version = pinned_wasm_bindgen(root)?;
    ensure_target()?;
    let bindgen = ensure_wasm_bindgen(&version)?;
    npm_install(root)?;

    cargo(
        root,
        &[
            "build",
            "--package",
            "zpa-wasm",
            "--target",
            TARGET,
            "--profile",
            PROFILE,
        ],
    )?;
    let compiled = target_dir(root).join(format!("{TARGET}/{PROFILE}/zpa_wasm.wasm"));
    let glue = target_dir(root).join("wasm-bindgen");
    exec(
        Command::new(&bindgen)
            .args(["--target", "web", "--out-name", "zpa_wasm", "--out-dir"])
            .arg(&glue)
            .arg(&compiled),
    )?;

    let package = root.join(PACKAGE);
    if package.exists() {
        fs::remove_dir_all(&package).context("clearing web/pkg")?;
    }
    fs::create_dir_all(&package)?;
    let wasm = package.join("zpa_wasm_bg.wasm");
    // The features are those rustc enables by default for this target.
    exec(
        Command::new(root.join("web/node_modules/.bin/wasm-opt"))
            .args([
                "-Oz",
                "--enable-bulk-memory",
                "--enable-nontrapping-float-to-int",
            ])
            .args([
                "--enable-sign-ext",
                "--enable-mutable-globals",
                "--enable-reference-types",
            ])
            .args(["--enable-multivalue", "--strip-debug", "-o"])
            .arg(&wasm)
            .arg(glue.join("zpa_wasm_bg.wasm")),
    )?;
    for file in ["zpa_wasm.js", "zpa_wasm.d.ts", "zpa_wasm_bg.wasm.d.ts"] {
        fs::copy(glue.join(file), package.join(file)).with_context(|| format!("copying {file}"))?;
    }
    for file in ["index.js", "index.d.ts", "README.md"] {
        fs::copy(
            root.join("crates/zpa-wasm/js").join(file),
            package.join(file),
        )
        .with_context(|| format!("copying {file}"))?;
    }
    fs::write(package.join("package.json"), package_json(root)?)?;

    let bytes = fs::read(&wasm)?;
    let gzipped = gzip_len(&bytes)?;
    println!(
        "wrote {PACKAGE}: zpa_wasm_bg.wasm is {} KB, {} KB gzipped",
        bytes.len() / 1024,
        gzipped / 1024
    );
    Ok(())
}

/// Serves `web/console/` beside a simulator for a person to try, until Ctrl-C.
pub fn console(root: &Path) -> Result<()> {
    build(root)?;
    let sim_binary = crate::sim::build_debug(root)?;
    exec(
        Command::new("node")
            .arg(root.join("web/serve.mjs"))
            .env("ZPA_SIM_BIN", sim_binary),
    )
}

pub fn gzip_len(bytes: &[u8]) -> Result<usize> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?.len())
}

fn package_json(root: &Path) -> Result<String> {
    let manifest = fs::read_to_string(root.join("Cargo.toml"))?;
    let version = manifest
        .lines()
        .find_map(|line| line.strip_prefix("version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .context("no workspace version in Cargo.toml")?;
    Ok(format!(
        r#"{{
  "name": "zpa-wasm",
  "version": "{version}",
  "description": "Client for the ZPA management API (App Connectors, Privileged Approvals), compiled from Rust",
  "license": "Apache-2.0",
  "type": "module",
  "main": "index.js",
  "types": "index.d.ts",
  "exports": {{ ".": {{ "types": "./index.d.ts", "default": "./index.js" }} }},
  "files": ["index.js", "index.d.ts", "zpa_wasm.js", "zpa_wasm.d.ts", "zpa_wasm_bg.wasm", "zpa_wasm_bg.wasm.d.ts", "README.md"],
  "engines": {{ "node": ">=20" }}
}}
"#
    ))
}

/// The exact wasm-bindgen version the crate pins (`=x.y.z`).
pub fn pinned_wasm_bindgen(root: &Path) -> Result<String> {
    let manifest = fs::read_to_string(root.join("crates/zpa-wasm/Cargo.toml"))?;
    manifest
        .lines()
        .find_map(|line| line.strip_prefix("wasm-bindgen = \"="))
        .and_then(|rest| rest.strip_suffix('"'))
        .map(str::to_owned)
        .context("crates/zpa-wasm/Cargo.toml must pin wasm-bindgen as \"=x.y.z\"")
}

fn ensure_target() -> Result<()> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output();
    let has_target = installed.is_ok_and(|out| {
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .any(|l| l == TARGET)
    });
    if !has_target {
        exec(Command::new("rustup").args(["target", "add", TARGET]))?;
    }
    Ok(())
}

/// The wasm-bindgen CLI of exactly `version`, installed with cargo if missing.
pub fn ensure_wasm_bindgen(version: &str) -> Result<PathBuf> {
    cargo_install("wasm-bindgen-cli", version, "wasm-bindgen")
}
