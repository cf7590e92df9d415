//! What depending on `zpa` costs a consumer: a fresh crate that depends on
//! it by path, per feature set, measured by its dependency count and the
//! wall time of its first `cargo build` into an empty target directory.
//! Crates come from the local registry cache, so downloads are not timed.
//! Then what each shipped artefact's bill of materials lists.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

/// The feature sets a consumer would pick: the defaults, and the slimmest
/// native build (ring instead of aws-lc-rs, no private key, no tracing).
const SETS: [(&str, &str); 2] = [
    ("default", "{ path = \"PATH\" }"),
    (
        "slimmest (`default-features = false, features = [\"rustls-ring\"]`)",
        "{ path = \"PATH\", default-features = false, features = [\"rustls-ring\"] }",
    ),
];

pub fn run(out: &mut String, root: &Path, clean_build: bool) -> Result<()> {
    writeln!(out, "## 8. Weight of a consumer's build\n")?;
    writeln!(
        out,
        "A fresh binary crate that depends on `zpa` by path; packages counted by `cargo tree -e normal,build`; \
         the first `cargo build` (debug) into an empty target directory, crates already downloaded.\n"
    )?;
    writeln!(
        out,
        "| feature set | packages | clean build |\n|---|---|---|"
    )?;
    for (name, dependency) in SETS {
        let dir = root.join("target/bench/consumer");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("src"))?;
        let zpa = root.join("crates/zpa");
        let dependency = dependency.replace("PATH", zpa.to_str().context("a UTF-8 path")?);
        std::fs::write(
            dir.join("Cargo.toml"),
            format!(
                "[package]\nname = \"consumer\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
                 [dependencies]\nzpa = {dependency}\n\n[workspace]\n"
            ),
        )?;
        std::fs::write(
            dir.join("src/main.rs"),
            "fn main() {\n    let _ = zpa::Client::from_env();\n}\n",
        )?;
        // The workspace's lock file, so the consumer builds the same versions.
        std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
        let tree = run_in(&dir, &["tree", "-e", "normal,build", "--prefix", "none"])?;
        let mut packages: Vec<&str> = tree
            .lines()
            .map(|l| l.trim_end_matches(" (*)"))
            .filter(|l| !l.is_empty() && !l.starts_with("consumer "))
            .collect();
        packages.sort_unstable();
        packages.dedup();
        let build = if clean_build {
            let started = Instant::now();
            run_in(&dir, &["build", "--quiet"])?;
            format!("{:.0} s", started.elapsed().as_secs_f64())
        } else {
            "not timed (quick run)".to_owned()
        };
        writeln!(out, "| {name} | {} | {build} |", packages.len())?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "What ships, by its CycloneDX bill of materials (`cargo xtask sbom`, in `target/sbom/`; \
         Linux x86_64, and wasm32 for the npm package's wasm; build-time packages included):\n"
    )?;
    writeln!(out, "| bill | describes | packages |\n|---|---|---|")?;
    for bom in crate::sbom::write(root)? {
        writeln!(
            out,
            "| `{}` | {} | {} |",
            bom.name, bom.what, bom.components
        )?;
    }
    writeln!(out)?;
    Ok(())
}

fn run_in(dir: &Path, args: &[&str]) -> Result<String> {
    let output = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .output()
        .with_context(|| format!("cargo {}", args.join(" ")))?;
    if !output.status.success() {
        bail!(
            "cargo {} in {} failed: {}",
            args.join(" "),
            dir.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(String::from_utf8(output.stdout)?)
}
