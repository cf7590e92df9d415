//! What a tool is: a name, a description, what it changes (from which its
//! MCP annotations follow), and its arguments as a Rust type whose JSON
//! Schema is the tool's input schema.

use std::future::Future;
use std::sync::Arc;

use rmcp::model::{InputResponses, JsonObject, Tool as Definition, ToolAnnotations};
use rmcp::service::{RequestContext, RoleServer};
use schemars::generate::SchemaSettings;
use schemars::transform::{Transform, transform_subschemas};
use schemars::{JsonSchema, Schema};
use serde::de::DeserializeOwned;
use zpa::Client;

use super::answer::Reply;
use super::confirm::Confirmations;
use super::errors::ToolError;

/// What a tool may change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Nothing: it reads.
    Read,
    /// Adds an object; called twice, it adds two.
    Create,
    /// Overwrites fields of an object; called twice, the same result.
    Update,
    /// Deletes objects, after confirmation.
    Delete,
}

/// What a tool has to work with.
pub struct Call<'a> {
    pub zpa: &'a Client,
    pub confirmations: &'a Confirmations,
    /// The request: the client's capabilities and protocol revision, and
    /// the way to ask it for input.
    pub context: &'a RequestContext<RoleServer>,
    /// A call made again with the input an earlier answer asked for (the
    /// stateless revision): the responses and the state it echoes.
    pub retry: Option<(&'a InputResponses, &'a str)>,
}

/// One tool of the server.
pub trait Tool {
    /// Its name, as the official Zscaler MCP server names the same job.
    const NAME: &'static str;
    /// What it does and answers, for the agent.
    const DESCRIPTION: &'static str;
    const EFFECT: Effect;
    /// Its arguments; their schema (descriptions from the doc comments) is
    /// the tool's input schema.
    type Args: DeserializeOwned + JsonSchema;

    fn call(
        call: Call<'_>,
        args: Self::Args,
    ) -> impl Future<Output = Result<Reply, ToolError>> + Send;
}

/// The definition `tools/list` gives for `T`.
pub fn definition<T: Tool>() -> Definition {
    let schema = input_schema::<T::Args>();
    let mut definition = Definition::new(
        T::NAME,
        T::DESCRIPTION,
        Arc::new(schema.as_object().cloned().unwrap_or_default()),
    );
    definition.annotations = Some(annotations(T::EFFECT));
    definition
}

/// The hints MCP clients read to decide what to ask the user: the truth of
/// each effect. Every tool acts on the tenant's objects alone, a closed
/// world.
fn annotations(effect: Effect) -> ToolAnnotations {
    let (read_only, destructive, idempotent) = match effect {
        Effect::Read => (true, false, true),
        Effect::Create => (false, false, false),
        Effect::Update => (false, true, true),
        Effect::Delete => (false, true, true),
    };
    ToolAnnotations::new()
        .read_only(read_only)
        .destructive(destructive)
        .idempotent(idempotent)
        .open_world(false)
}

/// `T`'s JSON Schema, inline (no `$defs` to follow), with the doc comments'
/// rustdoc links and code marks turned into plain words.
pub fn input_schema<T: JsonSchema>() -> Schema {
    let mut generator = SchemaSettings::draft2020_12()
        .with(|settings| settings.inline_subschemas = true)
        .into_generator();
    let mut schema = generator.root_schema_for::<T>();
    ForAgents.transform(&mut schema);
    if let Some(object) = schema.as_object_mut() {
        // The tool's description says what the root's doc comment says to
        // Rust readers.
        for key in ["$schema", "title", "description"] {
            object.remove(key);
        }
    }
    schema
}

/// Schemas as an agent reads them, in fewer tokens: descriptions on one
/// line without rustdoc's marks, and a choice of documented constants (an
/// enum whose variants have doc comments) as a plain `enum`.
struct ForAgents;

impl Transform for ForAgents {
    fn transform(&mut self, schema: &mut Schema) {
        if let Some(serde_json::Value::String(text)) = schema.get_mut("description") {
            *text = plain(text);
        }
        let constants: Option<Vec<serde_json::Value>> = schema
            .get("oneOf")
            .and_then(serde_json::Value::as_array)
            .and_then(|choices| {
                choices
                    .iter()
                    .map(|choice| choice.get("const").cloned())
                    .collect()
            });
        if let (Some(constants), Some(object)) = (constants, schema.as_object_mut()) {
            object.remove("oneOf");
            object.insert("type".into(), "string".into());
            object.insert("enum".into(), constants.into());
        }
        transform_subschemas(self, schema);
    }
}

/// A doc comment as plain text: one line, without `[`Type`]` and `` ` ``.
fn plain(text: &str) -> String {
    let text = text.replace("[`", "").replace("`]", "").replace('`', "");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Reads `arguments` as `T`'s, refusing a name its schema does not have
/// (a misspelt option would otherwise be dropped unseen).
pub fn arguments<T: Tool>(arguments: Option<JsonObject>) -> Result<T::Args, ToolError> {
    let arguments = arguments.unwrap_or_default();
    let schema = input_schema::<T::Args>();
    let known: Vec<&str> = schema
        .get("properties")
        .and_then(serde_json::Value::as_object)
        .map(|properties| properties.keys().map(String::as_str).collect())
        .unwrap_or_default();
    if let Some(unknown) = arguments.keys().find(|key| !known.contains(&key.as_str())) {
        return Err(ToolError::argument(
            unknown,
            format!(
                "{} takes no such argument; it takes {}",
                T::NAME,
                known.join(", ")
            ),
        ));
    }
    serde_json::from_value(serde_json::Value::Object(arguments)).map_err(ToolError::arguments)
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn descriptions_lose_rustdoc_marks() {
        assert_eq!(
            plain("The segments ([`ApplicationRef`]),\nas `HH:MM`."),
            "The segments (ApplicationRef), as HH:MM."
        );
    }
}
