//! Project automation: `cargo xtask <command>`.
#![forbid(unsafe_code)]

mod bench;
mod fuzz;
mod generate;
mod js_types;
mod mcp_servers;
mod publish;
mod relay;
mod sbom;
mod shared_budget;
mod sim;
mod supply_chain;
mod test;
mod tools;
mod typescript;
mod wasm;
mod weight;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  generate [--check]   regenerate the client (crates/zpa-client/src/generated.rs) and the
                       TypeScript declarations (crates/zpa-wasm/src/api.d.ts) from
                       spec/zpa.yaml, and the JS package's option types (interfaces.d.ts)
                       from the bindings' shapes; with --check, fail with a diff if any is stale
  test                 install what the tests need and run every test of the project
  publish-check        what crates.io would say: slim feature sets build, every dependency
                       fits the rust-version, and cargo publish --dry-run of each crate; then
                       the npm package and every bill of materials (as cargo xtask sbom)
  wasm                 build the JavaScript package in web/pkg and print the wasm's gzipped size
  console              build the package and serve the browser console beside a simulator
  sbom                 write CycloneDX bills of materials of the crates, the zpa binary and the
                       npm package to target/sbom/ (builds web/pkg first)
  bench [--quick]      list connectors with every client and the Python SDKs; write BENCHMARKS.md
                       (--quick: a smoke run into target/bench/BENCHMARKS-quick.md)
  fuzz [--seconds N] [TARGET...]
                       run the cargo-fuzz targets in fuzz/ (all by default) for N seconds
                       each (600 by default) and print libFuzzer's figures as a table
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["generate"] => generate::write(&workspace_root()),
        ["generate", "--check"] => generate::check(&workspace_root()),
        ["test"] => test::run(&workspace_root()),
        ["publish-check"] => publish::check(&workspace_root()),
        ["wasm"] => wasm::build(&workspace_root()),
        ["console"] => wasm::console(&workspace_root()),
        ["sbom"] => sbom(),
        ["bench"] => bench(false),
        ["bench", "--quick"] => bench(true),
        ["fuzz", rest @ ..] => fuzz(rest),
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// The benchmark measures the JavaScript package too, so it builds it first
/// (`cargo xtask test` has built it already when it runs the quick one).
fn bench(quick: bool) -> anyhow::Result<()> {
    let root = workspace_root();
    wasm::build(&root)?;
    bench::run(&root, quick)
}

fn sbom() -> anyhow::Result<()> {
    let root = workspace_root();
    wasm::build(&root)?;
    for bom in sbom::write(&root)? {
        println!(
            "{}: {} packages ({})",
            bom.path.display(),
            bom.components,
            bom.what
        );
    }
    Ok(())
}

fn fuzz(args: &[&str]) -> anyhow::Result<()> {
    let mut seconds = 600;
    let mut targets = Vec::new();
    let mut args = args.iter();
    while let Some(&arg) = args.next() {
        if arg == "--seconds" {
            let value = args.next().copied().unwrap_or_default();
            seconds = value.parse().ok().filter(|&n: &u64| n > 0).ok_or_else(|| {
                anyhow::anyhow!("--seconds takes a positive whole number, not {value:?}")
            })?;
        } else {
            let target = fuzz::TARGETS
                .into_iter()
                .find(|&t| t == arg)
                .ok_or_else(|| {
                    anyhow::anyhow!("no fuzz target {arg:?}; there are {:?}", fuzz::TARGETS)
                })?;
            targets.push(target);
        }
    }
    if targets.is_empty() {
        targets = fuzz::TARGETS.to_vec();
    }
    let figures = fuzz::run(&workspace_root(), fuzz::Budget::Seconds(seconds), &targets)?;
    println!("\n{}", fuzz::Figures::HEADER);
    for row in figures {
        println!("{row}");
    }
    Ok(())
}

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}
