//! The simulator's binary: built for the tasks that start it, and run as a
//! child process for the contract test and the benchmarks (started on a free
//! port, its banner read, killed on drop).

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use anyhow::{Context, Result};

use crate::tools::{cargo, target_dir};

/// Builds the simulator's debug binary and returns its path.
pub fn build_debug(root: &Path) -> Result<PathBuf> {
    cargo(
        root,
        &[
            "build",
            "--quiet",
            "--package",
            "zpa-sim",
            "--bin",
            "zpa-sim",
        ],
    )?;
    Ok(target_dir(root).join("debug/zpa-sim"))
}

pub struct SimProcess {
    child: Child,
    pub endpoint: Endpoint,
}

/// Where a simulator answers and the credentials its banner announced.
#[derive(Clone, Debug)]
pub struct Endpoint {
    pub url: String,
    pub customer_id: String,
    pub client_id: String,
    pub client_secret: String,
    pub token: String,
}

impl Endpoint {
    /// The same simulator reached through another URL, such as a relay's.
    pub fn via(&self, url: &str) -> Endpoint {
        Endpoint {
            url: url.to_owned(),
            ..self.clone()
        }
    }
}

impl SimProcess {
    /// Starts `binary` with `args` (after `--port 0`) and waits for its banner.
    pub fn start(binary: &Path, args: &[&str]) -> Result<SimProcess> {
        let mut child = Command::new(binary)
            .args(["--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut banner: HashMap<String, String> = HashMap::new();
        for line in BufReader::new(stdout).lines().take(5) {
            let line = line.context("reading zpa-sim's banner")?;
            if let Some(url) = line.strip_prefix("listening on ") {
                banner.insert("url".to_owned(), url.to_owned());
            } else if let Some((key, value)) = line.split_once(": ") {
                banner.insert(key.to_owned(), value.to_owned());
            }
        }
        let mut take = |key: &str| {
            banner
                .remove(key)
                .with_context(|| format!("zpa-sim's banner has no {key}"))
        };
        let endpoint = Endpoint {
            url: take("url")?,
            customer_id: take("customer id")?,
            client_id: take("client id")?,
            client_secret: take("client secret")?,
            token: take("static token")?,
        };
        Ok(SimProcess { child, endpoint })
    }
}

impl Drop for SimProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
