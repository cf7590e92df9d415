//! `cargo xtask wasm`: the JavaScript package in `web/pkg/`, built from
//! `crates/zpa-wasm` with the pinned wasm-bindgen, optimized with the npm
//! package binaryen's wasm-opt.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};
use base64::Engine;

use crate::tools::{cargo, cargo_install, exec, npm_install, target_dir};

pub const TARGET: &str = "wasm32-unknown-unknown";
const PROFILE: &str = "release-wasm";
pub const PACKAGE: &str = "web/pkg";
/// The package's own files: its entry, declarations and README.
const SOURCES: &str = "crates/zpa-wasm/js";

/// Builds the package and prints the wasm's gzipped size.
pub fn build(root: &Path) -> Result<()> {
    let version = pinned_wasm_bindgen(root)?;
    ensure_target()?;
    let bindgen = ensure_wasm_bindgen(&version)?;
    npm_install(&root.join("web"))?;

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

    let optimized = optimized_wasm(root);
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
            .arg(&optimized)
            .arg(glue.join("zpa_wasm_bg.wasm")),
    )?;
    let bytes = fs::read(&optimized)?;

    let package = root.join(PACKAGE);
    if package.exists() {
        fs::remove_dir_all(&package).context("clearing web/pkg")?;
    }
    fs::create_dir_all(&package)?;
    // The entry, the glue and the inlined module become one file per module
    // format: bundling also drops the glue's default init, whose
    // `new URL("zpa_wasm_bg.wasm", import.meta.url)` bundlers would try to
    // resolve.
    let sources = root.join(SOURCES);
    let entry = fs::read_to_string(sources.join("index.js"))?;
    fs::write(glue.join("index.js"), &entry)?;
    fs::write(
        glue.join("zpa_wasm_inline.js"),
        format!(
            "// The optimized module, base64.\nexport const wasm = \"{}\";\n",
            base64::engine::general_purpose::STANDARD.encode(&bytes)
        ),
    )?;
    for (format, file) in [("esm", "index.js"), ("cjs", "index.cjs")] {
        exec(
            Command::new(root.join("web/node_modules/.bin/esbuild"))
                .arg(glue.join("index.js"))
                // --keep-names: stack traces say ZpaClient, not a renamed copy.
                .args([
                    "--bundle",
                    "--platform=neutral",
                    "--keep-names",
                    "--log-level=warning",
                ])
                // The glue's default init (dropped) reads import.meta.
                .arg("--log-override:empty-import-meta=silent")
                .arg(format!("--format={format}"))
                .arg(format!("--outfile={}", package.join(file).display())),
        )?;
    }
    fs::copy(sources.join("README.md"), package.join("README.md"))?;
    fs::copy(root.join("LICENSE"), package.join("LICENSE"))?;
    let types = declarations(
        root,
        &entry,
        &fs::read_to_string(glue.join("zpa_wasm.d.ts"))?,
    )?;
    fs::write(package.join("index.d.ts"), &types)?;
    fs::write(package.join("index.d.cts"), &types)?;
    fs::write(package.join("package.json"), package_json(root)?)?;

    println!(
        "wrote {PACKAGE}: the wasm is {} KB, {} KB gzipped",
        bytes.len() / 1024,
        gzip_len(&bytes)? / 1024
    );
    Ok(())
}

/// The optimized module, before it is inlined into the package.
pub fn optimized_wasm(root: &Path) -> PathBuf {
    target_dir(root).join("wasm-bindgen/zpa_wasm_opt.wasm")
}

/// The package's one declaration file: the package's own (`js/index.d.ts`),
/// the API's objects and the inputs' interfaces (both generated), and
/// wasm-bindgen's declarations of the classes and functions `index.js`
/// exports, without its internals or the init functions the entry calls.
fn declarations(root: &Path, entry: &str, glue: &str) -> Result<String> {
    let exported = entry
        .lines()
        .find_map(|line| line.strip_prefix("export {")?.strip_suffix("};"))
        .context("the package's index.js has no `export { ... };` line")?;
    let mut out =
        String::from("// @generated by `cargo xtask wasm`. The declarations of the package.\n\n");
    out.push_str(&fs::read_to_string(root.join(SOURCES).join("index.d.ts"))?);
    for generated in [
        crate::typescript::DECLARATIONS,
        crate::js_types::DECLARATIONS,
    ] {
        let text = fs::read_to_string(root.join(generated))?;
        let body = text.lines().skip_while(|line| line.starts_with("//"));
        out.push('\n');
        out.extend(body.map(|line| format!("{line}\n")));
    }
    for name in exported.split(',').map(str::trim) {
        let block = exported_block(glue, name)
            .with_context(|| format!("wasm-bindgen declares no class or function {name}"))?;
        out.push('\n');
        out.push_str(&block);
    }
    Ok(out)
}

/// The declaration of `export class NAME` or `export function NAME` in
/// wasm-bindgen's output, with its doc comment. `[Symbol.dispose]` goes
/// (it needs a newer lib than es2022), and a trailing `x: T | undefined`
/// parameter becomes the optional `x?: T`.
fn exported_block(glue: &str, name: &str) -> Option<String> {
    let lines: Vec<&str> = glue.lines().collect();
    let start = lines.iter().position(|line| {
        [
            format!("export class {name} "),
            format!("export function {name}("),
        ]
        .iter()
        .any(|head| line.starts_with(head.as_str()))
    })?;
    let doc_start = (0..start)
        .rev()
        .take_while(|&i| {
            let line = lines[i].trim_start();
            line.starts_with("/**") || line.starts_with('*')
        })
        .last()
        .unwrap_or(start);
    let end = if lines[start].starts_with("export class") {
        start + lines[start..].iter().position(|line| *line == "}")?
    } else {
        start
    };
    let mut block = String::new();
    for line in &lines[doc_start..=end] {
        if line.trim() == "[Symbol.dispose](): void;" {
            continue;
        }
        let line = line.replacen("export class", "export declare class", 1);
        let line = line.replacen("export function", "export declare function", 1);
        let comment = line.trim_start().starts_with('*') || line.trim_start().starts_with("/**");
        block.push_str(&if comment {
            line
        } else {
            optional_parameters(&line)
        });
        block.push('\n');
    }
    Some(block)
}

fn optional_parameters(line: &str) -> String {
    let Some((head, rest)) = line.split_once('(') else {
        return line.to_owned();
    };
    let Some((parameters, tail)) = rest.split_once(')') else {
        return line.to_owned();
    };
    let parameters: Vec<String> = parameters
        .split(", ")
        .map(|parameter| match parameter.strip_suffix(" | undefined") {
            Some(shorter) => shorter.replacen(": ", "?: ", 1),
            None => parameter.to_owned(),
        })
        .collect();
    format!("{head}({}){tail}", parameters.join(", "))
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
  "description": "Client for the ZPA management API (App Connectors, Privileged Approvals, application segments), compiled from Rust",
  "keywords": ["zscaler", "zpa", "zero-trust", "api-client", "wasm"],
  "license": "Apache-2.0",
  "type": "module",
  "sideEffects": true,
  "main": "./index.cjs",
  "module": "./index.js",
  "types": "./index.d.ts",
  "exports": {{
    ".": {{
      "import": {{ "types": "./index.d.ts", "default": "./index.js" }},
      "require": {{ "types": "./index.d.cts", "default": "./index.cjs" }}
    }},
    "./package.json": "./package.json"
  }},
  "files": ["index.js", "index.cjs", "index.d.ts", "index.d.cts", "README.md", "LICENSE"],
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
