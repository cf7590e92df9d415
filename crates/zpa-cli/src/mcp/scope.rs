//! Where a call looks: one microtenant, or every one the credentials see.

use schemars::JsonSchema;
use serde::Deserialize;
use zpa::Client;

use super::errors::ToolError;

/// Where a call looks: one microtenant, or every one the credentials see.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Scope {
    /// Only this microtenant (id); by default every one the credentials see,
    /// and writes go where the object lives.
    microtenant_id: Option<String>,
}

impl Scope {
    /// The client for this scope.
    pub fn client(&self, zpa: &Client) -> Result<Client, ToolError> {
        match &self.microtenant_id {
            Some(id) => zpa
                .microtenant(id)
                .map_err(|error| ToolError::api("scoping to the microtenant", error)),
            None => Ok(zpa.clone()),
        }
    }

    /// The microtenant's id, or nothing: part of a listing's identity.
    pub fn name(&self) -> &str {
        self.microtenant_id.as_deref().unwrap_or("")
    }
}
