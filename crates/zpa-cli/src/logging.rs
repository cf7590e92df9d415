//! `--log`: the client's diagnostics (requests, retries, sign-ins) on
//! stderr, filtered by level or by target, so that stdout stays data only.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

use crate::failure::InputError;

/// Sends tracing events at `filter` (`debug`, `zpa=trace,reqwest=debug`...)
/// to stderr; `log` records from the HTTP stack come along. Colours only on
/// a terminal, and never with `NO_COLOR` set.
pub fn init(filter: &str) -> Result<(), InputError> {
    let filter = EnvFilter::try_new(filter)
        .map_err(|error| InputError(format!("invalid --log: {filter:?}: {error}")))?;
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none())
        .try_init()
        .map_err(|error| InputError(format!("--log could not be set up: {error}")))
}
