//! `zpa mcp`: the two jobs, connectors and approvals, as tools for AI agents
//! over the Model Context Protocol (stdio), on the same client, settings and
//! pacing as every other command.
//!
//! Read-only tools only unless `--allow-writes` names write tools; deletes
//! show what they will delete and go on only when the user accepts (MCP
//! elicitation) or, for clients without it, with a single-use confirmation
//! bound to exactly what was shown ([`confirm`]).

mod allow;
mod answer;
mod applications;
mod approvals;
mod confirm;
mod connectors;
mod errors;
mod scope;
mod server;
mod tool;

use anyhow::{Context, Result};
use rmcp::ServiceExt;
use zpa::Client;

use crate::failure::InputError;
pub use allow::Allowed;

/// The write tools `patterns` (from `--allow-writes`) allow; a pattern
/// that names none is an error.
pub fn allowed(patterns: Vec<String>) -> Result<Allowed, InputError> {
    Allowed::new(patterns, &server::write_tools())
}

/// Serves the tools on stdin and stdout until the client closes them.
pub async fn serve(zpa: Client, allowed: Allowed) -> Result<()> {
    let server = server::Server::new(zpa, allowed);
    let running = match server.serve(rmcp::transport::stdio()).await {
        Ok(running) => running,
        // A client that left before the handshake (one checking that the
        // command starts) ended the session, which is no failure.
        Err(rmcp::service::ServerInitializeError::ConnectionClosed(_)) => return Ok(()),
        Err(error) => return Err(error).context("starting the MCP session"),
    };
    running.waiting().await.context("serving MCP")?;
    Ok(())
}
