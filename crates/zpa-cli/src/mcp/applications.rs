//! The application segment tool: what approvals grant access to, by name.

use schemars::JsonSchema;
use serde::Deserialize;
use zpa::{APPLICATION_TYPES, ApplicationType};

use super::answer::{self, Answer, Reply, Shown};
use super::errors::ToolError;
use super::scope::Scope;
use super::tool::{Call, Effect, Tool};

pub struct ListApplicationSegments;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListArgs {
    /// A ZPA search, such as "name CONTAINS jump" (fields: name,
    /// domainNames, enabled, segmentGroupName, microtenantName...).
    search: Option<String>,
    /// The segment of exactly this name (case-sensitive), answered as its
    /// JSON.
    name: Option<String>,
    /// List the applications of this type across segments instead, each
    /// with its segment's id (SEGMENT ID).
    #[schemars(schema_with = "application_types")]
    application_type: Option<String>,
    #[serde(flatten)]
    scope: Scope,
    #[serde(flatten)]
    shown: Shown,
}

/// The application types the facade lists by, as the API writes them.
fn application_types(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let names: Vec<String> = APPLICATION_TYPES.iter().map(ToString::to_string).collect();
    schemars::json_schema!({ "type": "string", "enum": names })
}

impl Tool for ListApplicationSegments {
    const NAME: &'static str = "zpa_list_application_segments";
    const DESCRIPTION: &'static str = "List application segments, the things privileged approvals grant access to: every match with the total, one tab-separated line each (id, name, domains, TCP ports, microtenant, enabled). name finds one segment by its exact name; applicationType (SECURE_REMOTE_ACCESS for privileged access) lists applications by type.";
    const EFFECT: Effect = Effect::Read;
    type Args = ListArgs;

    async fn call(call: Call<'_>, args: ListArgs) -> Result<Reply, ToolError> {
        let zpa = args.scope.client(call.zpa)?;
        let applications = zpa.applications();
        if let Some(name) = &args.name {
            if args.search.is_some() || args.application_type.is_some() {
                return Err(ToolError::argument(
                    "name",
                    "goes alone: not with search or applicationType",
                ));
            }
            let segment = applications
                .by_name(name)
                .await
                .map_err(|error| ToolError::api("finding the segment", error))?;
            return Ok(Answer::object(&segment).into());
        }
        let search = args.search.as_deref().unwrap_or("");
        let scope = args.scope.name();
        match &args.application_type {
            Some(kind) => {
                let kind: ApplicationType = kind
                    .parse()
                    .map_err(|error| ToolError::argument("applicationType", error))?;
                let list = applications.of_type(kind);
                let list = if search.is_empty() {
                    list
                } else {
                    list.search(search)
                };
                let listing =
                    answer::fingerprint(&["segment apps", &kind.to_string(), search, scope]);
                answer::listing(list, &args.shown, "applications", listing)
                    .await
                    .map(Reply::from)
            }
            None => {
                let list = applications.list();
                let list = if search.is_empty() {
                    list
                } else {
                    list.search(search)
                };
                let listing = answer::fingerprint(&["segments", search, scope]);
                answer::listing(list, &args.shown, "application segments", listing)
                    .await
                    .map(Reply::from)
            }
        }
    }
}
