//! What the project pulls in, checked: cargo-deny's license, ban and source
//! rules (`deny.toml`, no network), shown to bite on a scratch crate that
//! breaks them; and known advisories, with cargo-audit against a local copy
//! of the RustSec database when `ZPA_ADVISORY_DB` names one.

use std::path::Path;
use std::process::Command;

use anyhow::{Result, bail};

use crate::tools::{cargo_install, exec, target_dir};

const CARGO_DENY: &str = "0.20.2";
const CARGO_AUDIT: &str = "0.22.2";
/// Where a copy of github.com/rustsec/advisory-db is, for the advisories.
pub const ADVISORY_DB: &str = "ZPA_ADVISORY_DB";

pub fn check(root: &Path) -> Result<()> {
    let deny = cargo_install("cargo-deny", CARGO_DENY, "cargo-deny")?;
    exec(
        Command::new(&deny)
            .args(["--offline", "check", "--hide-inclusion-graph"])
            .args(["licenses", "bans", "sources"])
            .current_dir(root),
    )?;
    rules_bite(root, &deny)?;
    advisories(root)
}

/// A crate under the same `deny.toml` with a license outside the list and
/// a wildcard requirement: each check must refuse it.
fn rules_bite(root: &Path, deny: &Path) -> Result<()> {
    let scratch = target_dir(root).join("deny-fixture");
    std::fs::create_dir_all(scratch.join("src"))?;
    std::fs::copy(root.join("deny.toml"), scratch.join("deny.toml"))?;
    std::fs::write(scratch.join("src/lib.rs"), "")?;
    std::fs::write(
        scratch.join("Cargo.toml"),
        "[package]\nname = \"deny-fixture\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\
         license = \"GPL-3.0-only\"\n\n[dependencies]\nserde_json = \"*\"\n\n[workspace]\n",
    )?;
    // Resolved offline from what the workspace's own build has cached.
    exec(
        Command::new(env!("CARGO"))
            .args(["generate-lockfile", "--offline"])
            .current_dir(&scratch),
    )?;
    for check in ["licenses", "bans"] {
        let refused = !Command::new(deny)
            .args(["--offline", "check", check])
            .current_dir(&scratch)
            .output()?
            .status
            .success();
        if !refused {
            bail!("cargo-deny's {check} check let a violation through (target/deny-fixture)");
        }
        println!("cargo-deny's {check} check refuses a violation, as it should");
    }
    Ok(())
}

fn advisories(root: &Path) -> Result<()> {
    let Some(db) = std::env::var_os(ADVISORY_DB) else {
        println!(
            "advisories: not checked ({ADVISORY_DB} names no copy of the RustSec database; see README, Contributing)"
        );
        return Ok(());
    };
    let audit = cargo_install("cargo-audit", CARGO_AUDIT, "cargo-audit")?;
    exec(
        Command::new(audit)
            .args([
                "audit",
                "--no-fetch",
                "--stale",
                "--deny",
                "warnings",
                "--db",
            ])
            .arg(db)
            .current_dir(root),
    )
}
