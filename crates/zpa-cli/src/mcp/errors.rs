//! How a tool fails: one line for the agent, in the tool's own terms (its
//! argument names), never a secret (the facade's errors hold none), and a
//! tool result rather than a protocol error, so that the agent reads it.

use rmcp::model::{CallToolResponse, CallToolResult, ContentBlock};
use zpa::{Input, Setting};

/// A failed tool call.
#[derive(Debug)]
pub struct ToolError(String);

impl ToolError {
    /// An argument the tool refuses, named as the agent wrote it.
    pub fn argument(name: &str, reason: impl std::fmt::Display) -> Self {
        ToolError(format!("invalid argument {name}: {reason}"))
    }

    /// Arguments that do not read as the tool's (a missing field, a wrong
    /// type), as serde says it.
    pub fn arguments(error: serde_json::Error) -> Self {
        ToolError(format!("invalid arguments: {error}"))
    }

    /// A call the server will not make, and why.
    pub fn refused(reason: impl Into<String>) -> Self {
        ToolError(reason.into())
    }

    /// The facade's refusal of the argument `name`'s value, in its words.
    pub fn input(name: &str, error: zpa::Error) -> Self {
        match error {
            zpa::Error::InvalidInput { reason, .. } => ToolError::argument(name, reason),
            other => ToolError::argument(name, other),
        }
    }

    /// The facade's error from `what`; bad input names the argument.
    pub fn api(what: impl std::fmt::Display, error: zpa::Error) -> Self {
        match error {
            zpa::Error::InvalidInput { input, reason, .. } => {
                let now = match input {
                    Input::StartTime | Input::EndTime => {
                        format!(
                            " (it is now {})",
                            jiff::Timestamp::now()
                                .round(jiff::Unit::Second)
                                .unwrap_or_default()
                        )
                    }
                    _ => String::new(),
                };
                ToolError::argument(&argument_for(input), format!("{reason}{now}"))
            }
            other => ToolError(format!("{what}: {other}")),
        }
    }

    pub fn message(&self) -> &str {
        &self.0
    }
}

/// The argument of the tools that carries `input`.
fn argument_for(input: Input) -> String {
    if let Some(path) = input.json_path() {
        return path.to_owned();
    }
    let name = match input {
        Input::Setting(Setting::Microtenant) => "microtenantId",
        Input::Setting(setting) => return format!("--{} of zpa mcp", setting.option()),
        Input::ConnectorId => "connectorId",
        Input::ApprovalId => "approvalId",
        Input::ApplicationId => "segment",
        Input::Ids => "connectorIds",
        Input::Name => "name",
        Input::Update => "name, description or enabled",
        Input::ApprovalChange => "email, applications, startTime, endTime or workingHours",
        Input::Search | Input::Field | Input::Operator => "search",
        Input::Direction => "sortDir",
        other => return other.to_string(),
    };
    name.to_owned()
}

impl From<ToolError> for CallToolResponse {
    fn from(error: ToolError) -> Self {
        CallToolResult::error(vec![ContentBlock::text(error.0)]).into()
    }
}
