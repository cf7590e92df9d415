//! The MCP server: which tools it offers (read-only ones, and the write
//! tools `--allow-writes` names), and a call's way to its tool.

use rmcp::ErrorData;
use rmcp::handler::server::ServerHandler;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, Implementation, JsonObject, ListToolsResult,
    PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool as Definition,
};
use rmcp::service::{RequestContext, RoleServer};
use zpa::Client;

use super::allow::Allowed;
use super::answer::Reply;
use super::applications::ListApplicationSegments;
use super::approvals::{
    CreatePrivilegedApproval, DeleteExpiredPrivilegedApprovals, DeletePrivilegedApproval,
    GetPrivilegedApproval, ListPrivilegedApprovals, UpdatePrivilegedApproval,
};
use super::confirm::Confirmations;
use super::connectors::{
    BulkDeleteAppConnectors, DeleteAppConnector, GetAppConnector, ListAppConnectors,
    UpdateAppConnector,
};
use super::errors::ToolError;
use super::tool::{Call, Effect, Tool, arguments, definition};

/// Every tool once: its definition for `tools/list`, its effect, and the
/// way a call reaches it.
macro_rules! tools {
    ($($tool:ty),+ $(,)?) => {
        /// Every tool's name, effect and definition, in this order.
        fn every_tool() -> Vec<(&'static str, Effect, Definition)> {
            vec![$((<$tool as Tool>::NAME, <$tool as Tool>::EFFECT, definition::<$tool>())),+]
        }

        /// Calls the tool `name`; `None` when there is none of that name.
        async fn dispatch(
            name: &str,
            call: Call<'_>,
            given: Option<JsonObject>,
        ) -> Option<Result<Reply, ToolError>> {
            $(
                if name == <$tool as Tool>::NAME {
                    return Some(match arguments::<$tool>(given) {
                        Ok(args) => <$tool as Tool>::call(call, args).await,
                        Err(error) => Err(error),
                    });
                }
            )+
            None
        }
    };
}

tools![
    ListAppConnectors,
    GetAppConnector,
    UpdateAppConnector,
    DeleteAppConnector,
    BulkDeleteAppConnectors,
    ListApplicationSegments,
    ListPrivilegedApprovals,
    GetPrivilegedApproval,
    CreatePrivilegedApproval,
    UpdatePrivilegedApproval,
    DeletePrivilegedApproval,
    DeleteExpiredPrivilegedApprovals,
];

/// The names of the tools that change something, for `--allow-writes`.
pub fn write_tools() -> Vec<&'static str> {
    every_tool()
        .into_iter()
        .filter(|(_, effect, _)| *effect != Effect::Read)
        .map(|(name, _, _)| name)
        .collect()
}

pub struct Server {
    zpa: Client,
    /// The tools offered: the read-only ones and the allowed writes.
    offered: Vec<Definition>,
    /// The write tools not offered, to say how to turn one on.
    withheld: Vec<Definition>,
    confirmations: Confirmations,
}

impl Server {
    pub fn new(zpa: Client, allowed: Allowed) -> Self {
        let (offered, withheld) =
            every_tool()
                .into_iter()
                .partition::<Vec<_>, _>(|(name, effect, _)| {
                    *effect == Effect::Read || allowed.allows(name)
                });
        let definitions = |tools: Vec<(&str, Effect, Definition)>| {
            tools
                .into_iter()
                .map(|(_, _, definition)| definition)
                .collect()
        };
        Server {
            zpa,
            offered: definitions(offered),
            withheld: definitions(withheld),
            confirmations: Confirmations::default(),
        }
    }
}

const INSTRUCTIONS: &str = "Tools for a Zscaler Private Access tenant: App Connectors, application segments and privileged approvals. Listings answer every match (not one page) with the total, one line per object; ask for format json or fields for more. Segments are named by id or exact name. Deletes show what they delete and ask first.";

impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("zpa", env!("CARGO_PKG_VERSION")))
            .with_instructions(INSTRUCTIONS)
    }

    async fn list_tools(
        &self,
        _: Option<PaginatedRequestParams>,
        _: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(self.offered.clone()))
    }

    fn get_tool(&self, name: &str) -> Option<Definition> {
        self.offered.iter().find(|tool| tool.name == name).cloned()
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let name = request.name.as_ref();
        if self.withheld.iter().any(|tool| tool.name == name) {
            return Ok(ToolError::refused(format!(
                "{name} changes the tenant, and this server offers no write tools but those \
                 its operator allows: start it with --allow-writes {name} (or set \
                 ZPA_MCP_ALLOW_WRITES)"
            ))
            .into());
        }
        let retry = request.input_responses.as_ref().map(|responses| {
            (
                responses,
                request.request_state.as_deref().unwrap_or_default(),
            )
        });
        let call = Call {
            zpa: &self.zpa,
            confirmations: &self.confirmations,
            context: &context,
            retry,
        };
        match dispatch(name, call, request.arguments.clone()).await {
            Some(Ok(answer)) => Ok(answer.into()),
            Some(Err(error)) => Ok(error.into()),
            None => Err(ErrorData::invalid_params(
                format!("no tool is called {name:?}"),
                None,
            )),
        }
    }
}
