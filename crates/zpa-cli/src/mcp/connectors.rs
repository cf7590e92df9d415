//! The connector tools: list (with the stale question built in), get,
//! update, delete, bulk delete.

use std::collections::HashMap;

use futures::TryStreamExt;
use schemars::JsonSchema;
use serde::Deserialize;
use zpa::{Client, Connector, ConnectorField, ConnectorUpdate, Connectors, Filter, ZpaDuration};

use super::answer::{self, Answer, Reply, Shown};
use super::confirm::{Doomed, Plan};
use super::errors::ToolError;
use super::scope::Scope;
use super::tool::{Call, Effect, Tool};

pub struct ListAppConnectors;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListArgs {
    /// A ZPA search: field OP value clauses joined by AND, such as
    /// "controlChannelStatus EQ ZPN_STATUS_DISCONNECTED AND name CONTAINS edge";
    /// OP is EQ, NE, GT, LT, GTEQ, LTEQ, CONTAINS, STARTSWITH or ENDSWITH.
    search: Option<String>,
    /// Only connectors disconnected for longer than this, such as 30d, 36h
    /// or "1d 12h" (added to search with AND).
    disconnected_for: Option<String>,
    #[serde(flatten)]
    scope: Scope,
    #[serde(flatten)]
    shown: Shown,
}

impl Tool for ListAppConnectors {
    const NAME: &'static str = "zpa_list_app_connectors";
    const DESCRIPTION: &'static str = "List App Connectors: every match across all pages, with the total; a tab-separated line per connector with the columns the job needs (id, name, status, disconnected for, enabled, microtenant) unless fields or format ask for others. disconnectedFor answers \"which connectors have been down for a month\" in one call.";
    const EFFECT: Effect = Effect::Read;
    type Args = ListArgs;

    async fn call(call: Call<'_>, args: ListArgs) -> Result<Reply, ToolError> {
        let mut filter = match &args.search {
            Some(text) => Filter::<ConnectorField>::parse(text).map_err(|error| {
                ToolError::argument(
                    "search",
                    format!("at character {}: {}", error.position, error.reason),
                )
            })?,
            None => Filter::new(),
        };
        if let Some(text) = &args.disconnected_for {
            let age: ZpaDuration = text
                .parse()
                .map_err(|error| ToolError::argument("disconnectedFor", error))?;
            let stale = Connectors::stale_filter(age);
            stale
                .validate()
                .map_err(|error| ToolError::argument("disconnectedFor", error.reason))?;
            for clause in stale.clauses() {
                filter = filter.and(clause.field, clause.op, &clause.value);
            }
        }
        let filter_text = filter.to_string();
        let zpa = args.scope.client(call.zpa)?;
        let list = zpa.connectors().list();
        let list = if filter.is_empty() {
            list
        } else {
            list.filter(filter)
        };
        let listing = answer::fingerprint(&["connectors", &filter_text, args.scope.name()]);
        answer::listing(list, &args.shown, "connectors", listing)
            .await
            .map(Reply::from)
    }
}

pub struct GetAppConnector;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetArgs {
    /// The connector's id; or give name instead.
    connector_id: Option<String>,
    /// The connector's exact name (case-sensitive), instead of its id.
    name: Option<String>,
    #[serde(flatten)]
    scope: Scope,
}

impl Tool for GetAppConnector {
    const NAME: &'static str = "zpa_get_app_connector";
    const DESCRIPTION: &'static str =
        "Get one App Connector by id or exact name: its JSON exactly as the API sent it.";
    const EFFECT: Effect = Effect::Read;
    type Args = GetArgs;

    async fn call(call: Call<'_>, args: GetArgs) -> Result<Reply, ToolError> {
        let zpa = args.scope.client(call.zpa)?;
        let connector = match (&args.connector_id, &args.name) {
            (Some(id), None) => zpa.connectors().get(id).await,
            (None, Some(name)) => zpa.connectors().by_name(name).await,
            _ => {
                return Err(ToolError::argument(
                    "connectorId",
                    "give either connectorId or name",
                ));
            }
        }
        .map_err(|error| ToolError::api("getting the connector", error))?;
        Ok(Answer::object(&connector).into())
    }
}

pub struct UpdateAppConnector;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateArgs {
    /// The connector's id.
    connector_id: String,
    #[serde(flatten)]
    update: ConnectorUpdate,
    #[serde(flatten)]
    scope: Scope,
}

impl Tool for UpdateAppConnector {
    const NAME: &'static str = "zpa_update_app_connector";
    const DESCRIPTION: &'static str = "Change an App Connector's name, description or enabled state (only what is given), in whichever microtenant it lives. Answers the connector as stored afterwards.";
    const EFFECT: Effect = Effect::Update;
    type Args = UpdateArgs;

    async fn call(call: Call<'_>, args: UpdateArgs) -> Result<Reply, ToolError> {
        let zpa = args.scope.client(call.zpa)?;
        let what = || format!("updating connector {}", args.connector_id);
        zpa.connectors()
            .update(&args.connector_id, &args.update)
            .await
            .map_err(|error| ToolError::api(what(), error))?;
        let stored = zpa
            .connectors()
            .get(&args.connector_id)
            .await
            .map_err(|error| ToolError::api("reading the connector back", error))?;
        Ok(Answer::object(&stored).into())
    }
}

pub struct DeleteAppConnector;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeleteArgs {
    /// The connector's id.
    connector_id: String,
    /// The confirmation a first call gave, for clients without elicitation.
    confirmation: Option<String>,
    #[serde(flatten)]
    scope: Scope,
}

impl Tool for DeleteAppConnector {
    const NAME: &'static str = "zpa_delete_app_connector";
    const DESCRIPTION: &'static str = "Delete one App Connector (it must be provisioned again to reconnect). Shows the connector and asks the user first; clients without elicitation get a confirmation to call again with.";
    const EFFECT: Effect = Effect::Delete;
    type Args = DeleteArgs;

    async fn call(call: Call<'_>, args: DeleteArgs) -> Result<Reply, ToolError> {
        let zpa = args.scope.client(call.zpa)?;
        let ids = [args.connector_id.clone()];
        delete(&call, &zpa, Self::NAME, &ids, args.confirmation.as_deref()).await
    }
}

pub struct BulkDeleteAppConnectors;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BulkDeleteArgs {
    /// The connectors' ids.
    connector_ids: Vec<String>,
    /// The confirmation a first call gave, for clients without elicitation.
    confirmation: Option<String>,
    #[serde(flatten)]
    scope: Scope,
}

impl Tool for BulkDeleteAppConnectors {
    const NAME: &'static str = "zpa_bulk_delete_app_connectors";
    const DESCRIPTION: &'static str = "Delete several App Connectors, wherever they live (one request per microtenant). Shows each (name, id, microtenant) and asks the user first; clients without elicitation get a confirmation to call again with. Connectors Zscaler manages are left out.";
    const EFFECT: Effect = Effect::Delete;
    type Args = BulkDeleteArgs;

    async fn call(call: Call<'_>, args: BulkDeleteArgs) -> Result<Reply, ToolError> {
        if args.connector_ids.is_empty() {
            return Err(ToolError::argument(
                "connectorIds",
                "name at least one connector",
            ));
        }
        let zpa = args.scope.client(call.zpa)?;
        delete(
            &call,
            &zpa,
            Self::NAME,
            &args.connector_ids,
            args.confirmation.as_deref(),
        )
        .await
    }
}

/// Finds the connectors, shows them, and deletes them once confirmed.
async fn delete(
    call: &Call<'_>,
    zpa: &Client,
    tool: &'static str,
    ids: &[String],
    confirmation: Option<&str>,
) -> Result<Reply, ToolError> {
    let found = find(zpa, ids).await?;
    let mut plan = Plan::new(tool, ("connector", "connectors"), ids);
    let mut doomed = Vec::new();
    for id in ids {
        match found.get(id.as_str()) {
            None => plan.left_out(id, "not found in any microtenant the credentials see"),
            Some(connector) if !Connectors::deletable(connector) => {
                plan.left_out(id, "Zscaler manages it")
            }
            Some(connector) => {
                plan.doomed(Doomed {
                    id: id.clone(),
                    name: connector.name.to_string(),
                    microtenant: crate::output::microtenant(
                        &connector.microtenant_id,
                        &connector.microtenant_name,
                    ),
                    about: connector
                        .last_broker_disconnect_time_duration
                        .map(|since| format!("disconnected for {since}"))
                        .unwrap_or_else(|| {
                            connector
                                .control_channel_status
                                .as_deref()
                                .unwrap_or("")
                                .to_owned()
                        }),
                });
                doomed.push(connector.clone());
            }
        }
    }
    if let Some(reply) = plan.decide(call, confirmation).await? {
        return Ok(reply);
    }
    zpa.connectors()
        .delete_listed(&doomed)
        .await
        .map_err(|error| ToolError::api(format!("deleting {} connectors", doomed.len()), error))?;
    Ok(plan.done().into())
}

/// The connectors with these ids, in as few requests as the tenant allows:
/// one GET each for a few, else the listing's first page and then the rest
/// of the listing or a GET for each one missing, whichever is fewer.
async fn find<'a>(
    zpa: &Client,
    ids: &'a [String],
) -> Result<HashMap<&'a str, Connector>, ToolError> {
    let mut found = HashMap::new();
    let wanted: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
    let mut missing: Vec<&str> = wanted.iter().copied().collect();
    missing.sort_unstable();
    if missing.len() > 2 {
        let list = zpa.connectors().list();
        let first = list
            .page(1)
            .await
            .map_err(|error| ToolError::api("finding the connectors", error))?;
        let keep = |found: &mut HashMap<&'a str, Connector>, connector: Connector| {
            if let Some(id) = wanted.get(connector.id.as_str()) {
                found.insert(*id, connector);
            }
        };
        let pages_left = first.total_pages.saturating_sub(1) as usize;
        for connector in first.items {
            keep(&mut found, connector);
        }
        missing.retain(|id| !found.contains_key(id));
        if pages_left > 0 && pages_left < missing.len() {
            let mut rest = list.starting_at(2).items();
            while let Some(connector) = rest
                .try_next()
                .await
                .map_err(|error| ToolError::api("finding the connectors", error))?
            {
                keep(&mut found, connector);
            }
            return Ok(found);
        }
        if pages_left == 0 {
            return Ok(found);
        }
    }
    for id in missing {
        match zpa.connectors().get(id).await {
            Ok(connector) => {
                found.insert(id, connector);
            }
            Err(error) if error.is_not_found() => {}
            Err(error) => return Err(ToolError::api(format!("getting connector {id}"), error)),
        }
    }
    Ok(found)
}
