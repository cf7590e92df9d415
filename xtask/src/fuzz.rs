//! `cargo xtask fuzz`: runs the cargo-fuzz targets in `fuzz/` under
//! AddressSanitizer and reports libFuzzer's figures.
//!
//! cargo-fuzz passes nightly-only `-Z` flags to rustc; the runs set
//! `RUSTC_BOOTSTRAP=1` so that the targets build with the stable toolchain
//! the rest of the project uses, with nothing more to install.

use std::fmt;
use std::fs::File;
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::tools::{cargo_install, target_dir};

/// Every target in `fuzz/fuzz_targets`.
pub const TARGETS: [&str; 5] = [
    "search",
    "duration",
    "retry_after",
    "wire_json",
    "page_decoder",
];
const CARGO_FUZZ: &str = "0.13.2";

/// How long each target runs.
#[derive(Clone, Copy)]
pub enum Budget {
    /// Wall-clock seconds.
    Seconds(u64),
    /// A fixed number of inputs from a fixed seed and an empty corpus: a
    /// short run that does not depend on what earlier runs found.
    Runs(u64),
}

/// What libFuzzer reported at the end of one target's run.
pub struct Figures {
    target: &'static str,
    seconds: u64,
    executions: u64,
    per_second: u64,
    coverage: u64,
    corpus: u64,
    peak_rss_mb: u64,
}

/// Runs each of `targets` for `budget`; fails on the first crash, with the
/// input libFuzzer saved.
pub fn run(root: &Path, budget: Budget, targets: &[&'static str]) -> Result<Vec<Figures>> {
    let cargo_fuzz = cargo_install("cargo-fuzz", CARGO_FUZZ, "cargo-fuzz")?;
    // Smoke runs keep their logs apart, so that a test run leaves the logs
    // of a long run alone.
    let logs = target_dir(root).join(match budget {
        Budget::Seconds(_) => "fuzz/logs",
        Budget::Runs(_) => "fuzz/smoke/logs",
    });
    std::fs::create_dir_all(&logs)?;
    let mut all = Vec::new();
    for &target in targets {
        let corpus = match budget {
            Budget::Seconds(_) => root.join("fuzz/corpus").join(target),
            Budget::Runs(_) => {
                let fresh = target_dir(root).join("fuzz/smoke/corpus").join(target);
                if fresh.exists() {
                    std::fs::remove_dir_all(&fresh)?;
                }
                fresh
            }
        };
        std::fs::create_dir_all(&corpus)?;
        let log_path = logs.join(format!("{target}.log"));
        let mut command = Command::new(&cargo_fuzz);
        command
            .args([
                "fuzz",
                "run",
                "--release",
                "--debug-assertions",
                "--target-dir",
            ])
            .arg(target_dir(root).join("fuzz"))
            .arg(target)
            .arg(&corpus)
            .args(seeds(root, target))
            .arg("--")
            .arg("-print_final_stats=1")
            .args(libfuzzer_options(root, target, budget))
            .env("RUSTC_BOOTSTRAP", "1")
            .current_dir(root)
            .stderr(File::create(&log_path)?)
            .stdout(Stdio::null());
        println!("fuzzing {target} (log: {})", log_path.display());
        let status = command.status().context("could not start cargo-fuzz")?;
        let log = std::fs::read_to_string(&log_path)?;
        if !status.success() {
            let tail: Vec<&str> = log.lines().rev().take(40).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            bail!(
                "fuzz target {target} failed ({status}); the end of {} follows (an input that \
                 crashed it is saved under fuzz/artifacts/{target}/)\n{}",
                log_path.display(),
                tail.join("\n")
            );
        }
        let figures = Figures::read(target, &log)
            .with_context(|| format!("no final statistics in {}", log_path.display()))?;
        println!("{figures}");
        all.push(figures);
    }
    Ok(all)
}

/// Inputs worth starting from: the seed documents' JSON for the wire types.
fn seeds(root: &Path, target: &str) -> Vec<std::path::PathBuf> {
    match target {
        "wire_json" | "page_decoder" => vec![root.join("tests/fixtures")],
        _ => Vec::new(),
    }
}

fn libfuzzer_options(root: &Path, target: &str, budget: Budget) -> Vec<String> {
    let mut options = match budget {
        Budget::Seconds(seconds) => vec![format!("-max_total_time={seconds}")],
        Budget::Runs(runs) => vec![format!("-runs={runs}"), "-seed=1".to_owned()],
    };
    if target == "search" {
        options.push(format!("-dict={}", root.join("fuzz/search.dict").display()));
    }
    options
}

impl Figures {
    /// Reads libFuzzer's closing `DONE` line and its `stat::` lines.
    fn read(target: &'static str, log: &str) -> Option<Figures> {
        let stat = |name: &str| {
            log.lines()
                .find_map(|line| line.strip_prefix(&format!("stat::{name}:")))
                .and_then(|value| value.trim().parse::<u64>().ok())
        };
        // Not any line containing DONE: the recommended dictionary printed
        // after it may hold that word.
        let done = log
            .lines()
            .rev()
            .find(|line| line.split_whitespace().nth(1) == Some("DONE"))?;
        let after = |label: &str| {
            let mut words = done.split_whitespace();
            words.find(|&word| word == label)?;
            words.next()?.split('/').next()?.parse::<u64>().ok()
        };
        let seconds = log
            .lines()
            .rev()
            .find_map(|line| line.strip_prefix("Done "))
            .and_then(|rest| rest.split(" in ").nth(1))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|value| value.parse().ok())?;
        Some(Figures {
            target,
            seconds,
            executions: stat("number_of_executed_units")?,
            per_second: stat("average_exec_per_sec")?,
            coverage: after("cov:")?,
            corpus: after("corp:")?,
            peak_rss_mb: stat("peak_rss_mb")?,
        })
    }

    /// The header of the table [`Figures`] rows print into.
    pub const HEADER: &'static str = "| target | seconds | inputs run | inputs/s | edges covered | corpus | peak RSS |\n|---|---|---|---|---|---|---|";
}

impl fmt::Display for Figures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "| `{}` | {} | {} | {} | {} | {} | {} MB |",
            self.target,
            self.seconds,
            self.executions,
            self.per_second,
            self.coverage,
            self.corpus,
            self.peak_rss_mb
        )
    }
}

#[cfg(test)]
mod tests {
    use super::Figures;

    #[test]
    fn reads_libfuzzer_closing_figures() {
        let log = "\
#2\tINITED cov: 12 ft: 12 corp: 1/1b exec/s: 0 rss: 40Mb
#353660\tDONE   cov: 1013 ft: 4870 corp: 1400/95Kb lim: 4096 exec/s: 32150 rss: 502Mb
###### Recommended dictionary. ######
\"DONE   cov: 1\" # Uses: 3
###### End of recommended dictionary. ######
Done 353660 runs in 11 second(s)
stat::number_of_executed_units: 353660
stat::average_exec_per_sec:     32150
stat::new_units_added:          1400
stat::slowest_unit_time_sec:    0
stat::peak_rss_mb:              502
";
        let figures = Figures::read("search", log).unwrap();
        assert_eq!(
            figures.to_string(),
            "| `search` | 11 | 353660 | 32150 | 1013 | 1400 | 502 MB |"
        );
    }
}
