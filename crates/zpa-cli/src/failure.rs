//! How failures read: one line, `error: <what failed>: <status> <zpa id>: <reason>`,
//! and input errors named by the option the user typed.

use std::fmt;

/// A bad argument, named as the user wrote it (`--email`, `ID`).
#[derive(Debug)]
pub struct InputError(pub String);

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InputError {}

/// The facade's input errors name fields; the CLI names options.
fn option_for(field: &str) -> String {
    let option = match field {
        "email" => "--email",
        "application id" | "application ids" => "--app",
        "start time" => "--start",
        "end time" => "--end",
        "time zone" => "--time-zone",
        "working hours start time" | "working hours end time" | "working hours" => "--hours",
        "working hours days" | "day" => "--days",
        "search" => "--search",
        "page" => "--page",
        "page size" => "--page-size",
        "name" => "--name",
        "update" => "--name, --description or --enabled",
        "connector id" | "approval id" | "ids" => "ID",
        "microtenant id" => "--microtenant",
        "customer id" => "--customer-id",
        "cloud" => "--cloud",
        "base URL" => "--base-url",
        "vanity domain" => "--vanity-domain",
        "token URL" => "--token-url",
        "client id" => "--client-id",
        "client secret" => "--client-secret",
        "token" => "--token",
        "proxy" => "--proxy",
        "rate limit" => "--rate-limit",
        "rate window" => "--rate-window",
        "private key" => "--private-key",
        "credentials" => {
            "credentials (--token, or --client-id with --client-secret or --private-key)"
        }
        other => other,
    };
    option.to_owned()
}

/// Wraps a facade result: input errors become [`InputError`]s naming the
/// option; the rest get `what` failed as context.
pub fn api<T>(what: impl FnOnce() -> String, result: zpa::Result<T>) -> anyhow::Result<T> {
    result.map_err(|error| match error {
        zpa::Error::InvalidInput { field, reason } => {
            InputError(format!("invalid {}: {reason}", option_for(&field))).into()
        }
        other => anyhow::Error::new(other).context(what()),
    })
}

/// Exit status: 2 for bad input (as for bad usage), 1 for everything else.
pub fn exit_code(error: &anyhow::Error) -> u8 {
    if error.chain().any(|cause| cause.is::<InputError>()) {
        2
    } else {
        1
    }
}
