//! How failures read: one line, `error: <what failed>: <status> <zpa id>: <reason>`,
//! and input errors named by the option the user typed.

use std::fmt;

use zpa::{Input, Setting};

/// A bad argument, named as the user wrote it (`--email`, `ID`).
#[derive(Debug)]
pub struct InputError(pub String);

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InputError {}

/// The facade names what it rejected; the CLI names the option the user typed.
fn option_for(input: Input) -> String {
    let option = match input {
        Input::Setting(setting) => return format!("--{}", setting.option()),
        Input::Credentials => {
            let [token, id, secret, key] = [
                Setting::Token,
                Setting::ClientId,
                Setting::ClientSecret,
                Setting::PrivateKey,
            ]
            .map(Setting::option);
            return format!("credentials (--{token}, or --{id} with --{secret} or --{key})");
        }
        Input::Email => "--email",
        Input::Applications => "--app",
        Input::StartTime => "--start",
        Input::EndTime => "--end",
        Input::TimeZone => "--time-zone",
        Input::WorkingHours | Input::DailyStart | Input::DailyEnd => "--hours",
        Input::Days => "--days",
        Input::Search | Input::Operator => "--search",
        Input::Field => "--sort-by",
        Input::Direction => "--sort-dir",
        Input::Page => "--page",
        Input::PageSize => "--page-size",
        Input::Name => "--name",
        Input::Update => "--name, --description or --enabled",
        Input::ApprovalChange => {
            "changes (--email, --app, --start, --end, --days, --hours, --time-zone or --no-hours)"
        }
        Input::ConnectorId | Input::ApprovalId | Input::ApplicationId | Input::Ids => "ID",
        other => return other.to_string(),
    };
    option.to_owned()
}

/// Wraps a facade result: input errors become [`InputError`]s naming the
/// option; the rest get `what` failed as context.
pub fn api<T>(what: impl FnOnce() -> String, result: zpa::Result<T>) -> anyhow::Result<T> {
    result.map_err(|error| match error {
        zpa::Error::InvalidInput { input, reason, .. } => {
            InputError(format!("invalid {}: {reason}", option_for(input))).into()
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

/// The error as one line: what failed, then the facade's error, whose own
/// message already says what its causes are.
pub fn one_line(error: &anyhow::Error) -> String {
    let mut parts = Vec::new();
    for cause in error.chain() {
        parts.push(cause.to_string());
        if cause.is::<zpa::Error>() {
            break;
        }
    }
    parts.join(": ")
}
