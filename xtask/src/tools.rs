//! Installing and running the tools the tasks use: cargo, npm, Python
//! virtualenvs and binaries installed with `cargo install`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// The npm packages of the package directory `dir` as its lockfile pins
/// them (web/ for the JavaScript build and tests), installed again only
/// when the lockfile changed.
pub fn npm_install(dir: &Path) -> Result<()> {
    let installed = dir.join("node_modules/.package-lock.json");
    let fresh = fs_modified(&installed)
        .is_some_and(|at| Some(at) >= fs_modified(&dir.join("package-lock.json")));
    if !fresh {
        exec(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(dir),
        )?;
    }
    Ok(())
}

fn fs_modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// A virtualenv at `dir` with `packages` installed (pip arguments), made
/// again only when the list changes.
pub fn python_venv(dir: &Path, packages: &[&str]) -> Result<PathBuf> {
    let marker = dir.join("installed.txt");
    let wanted = packages.join("\n");
    if std::fs::read_to_string(&marker).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(dir.to_path_buf());
    }
    exec(
        Command::new("python3")
            .args(["-m", "venv", "--clear"])
            .arg(dir),
    )?;
    exec(
        Command::new(dir.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .args(packages),
    )?;
    std::fs::write(&marker, wanted).context("recording the installed Python packages")?;
    Ok(dir.to_path_buf())
}

/// Where cargo puts its builds: `CARGO_TARGET_DIR`, or `target/` in the workspace.
pub fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

pub fn cargo(root: &Path, args: &[&str]) -> Result<()> {
    exec(Command::new(env!("CARGO")).args(args).current_dir(root))
}

/// What `command` prints on stdout, once it has succeeded; its stderr in
/// the error otherwise.
pub fn stdout(command: &mut Command) -> Result<Vec<u8>> {
    let shown = format!("{command:?}");
    let output = command
        .output()
        .with_context(|| format!("could not start {shown}"))?;
    if !output.status.success() {
        bail!(
            "{shown} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(output.stdout)
}

pub fn exec(command: &mut Command) -> Result<()> {
    let shown = format!("{command:?}");
    let status = command
        .status()
        .with_context(|| format!("could not start {shown}"))?;
    if !status.success() {
        bail!("{shown} failed ({status})");
    }
    Ok(())
}

/// `binary` from the crate `package` at exactly `version`, installed with
/// cargo when missing or at another version (`binary --version` tells).
pub fn cargo_install(package: &str, version: &str, binary: &str) -> Result<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .context("neither CARGO_HOME nor HOME is set")?;
    let path = home.join("bin").join(binary);
    // `binary --version`, or as cargo runs a plugin (cargo-cyclonedx only
    // answers that way): `cargo-cyclonedx cyclonedx --version`.
    let plugin = binary.strip_prefix("cargo-");
    let asked = [None, plugin].into_iter().find_map(|subcommand| {
        let out = Command::new(&path)
            .args(subcommand)
            .arg("--version")
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
    });
    // `name version`, the name doubled in the plugin form.
    let installed = asked
        .is_some_and(|line| line.starts_with(binary) && line.ends_with(&format!(" {version}")));
    if !installed {
        // Not --locked: a tool's own lock file can pin crates this toolchain cannot build.
        exec(Command::new(env!("CARGO")).args(["install", package, "--version", version]))?;
    }
    if !path.exists() {
        bail!("{} is missing after installing {package}", path.display());
    }
    Ok(path)
}

/// Installs Debian's `packages` unless `/usr/bin/{binary}` is there: Redis
/// for the shared rate limit (tests start their own instances), Chromium
/// for the browser test (never a downloaded browser).
pub fn ensure_debian_packages(binary: &str, packages: &[&str]) -> Result<()> {
    if Path::new("/usr/bin").join(binary).exists() {
        return Ok(());
    }
    exec(Command::new("apt-get").arg("update"))?;
    exec(
        Command::new("apt-get")
            .args(["install", "-y", "--no-install-recommends"])
            .args(packages),
    )
}
