//! Deletes wait for a yes. A delete first shows what it will delete (names,
//! ids, microtenants). A client that supports MCP elicitation asks its user,
//! and only an accepted, confirmed answer deletes: on the stateless revision
//! (2026-07-28) the tool answers that it needs that input and the client
//! calls again with it, on the handshake revisions the server asks the
//! client during the call. A client without elicitation gets the plan and a
//! confirmation. Either way what binds the yes to the plan is one of
//! [`Confirmations`]: random, for the tool and exactly the ids shown,
//! usable once, for five minutes.
//!
//! What the confirmation does not do: prove that a person saw the plan. An
//! agent can call again with it on its own; it only makes sure that what is
//! deleted is what was shown, once, soon after.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rmcp::model::{
    ElicitRequest, ElicitRequestParams, ElicitResult, ElicitationAction, ElicitationSchema,
    InputRequest, InputRequests, InputRequiredResult,
};

use super::answer::{Answer, Reply};
use super::errors::ToolError;
use super::tool::Call;

/// How long a confirmation can be used.
const LIFETIME: Duration = Duration::from_secs(300);
/// The key of the user's answer among a retried call's input responses.
const ANSWER: &str = "confirm";

/// The confirmations given out and not yet used.
#[derive(Default)]
pub struct Confirmations {
    issued: Mutex<HashMap<String, Issued>>,
}

struct Issued {
    tool: &'static str,
    ids: BTreeSet<String>,
    expires: Instant,
}

impl Confirmations {
    /// A new confirmation for `tool` on exactly `ids`.
    fn issue(&self, tool: &'static str, ids: &[String]) -> Result<String, ToolError> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|error| {
            ToolError::refused(format!("no randomness for a confirmation: {error}"))
        })?;
        let token: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
        let mut issued = self
            .issued
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let now = Instant::now();
        issued.retain(|_, confirmation| confirmation.expires > now);
        issued.insert(
            token.clone(),
            Issued {
                tool,
                ids: ids.iter().cloned().collect(),
                expires: now + LIFETIME,
            },
        );
        Ok(token)
    }

    /// Uses up `token`, which must have been issued for `tool` on exactly
    /// `ids` and not have expired. Used wrongly, it is gone all the same.
    fn redeem(&self, token: &str, tool: &str, ids: &[String]) -> Result<(), ToolError> {
        let refused = |why: &str| {
            ToolError::argument(
                "confirmation",
                format!(
                    "{why}; nothing was deleted: call without confirmation to see the plan again"
                ),
            )
        };
        let issued = self
            .issued
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .remove(token)
            .ok_or_else(|| refused("it is unknown or was used already"))?;
        if issued.expires <= Instant::now() {
            return Err(refused("it has expired"));
        }
        if issued.tool != tool || issued.ids != ids.iter().cloned().collect::<BTreeSet<_>>() {
            return Err(refused(&format!(
                "it was given for {} on other ids",
                issued.tool
            )));
        }
        Ok(())
    }
}

/// One object a delete would remove.
pub struct Doomed {
    pub id: String,
    pub name: String,
    pub microtenant: String,
    /// A word on its state: disconnected for how long, an approval's span.
    pub about: String,
}

/// What a delete would do.
pub struct Plan {
    tool: &'static str,
    /// What is deleted, one and several: `("connector", "connectors")`.
    what: (&'static str, &'static str),
    /// The ids as the call gave them, which a confirmation binds to.
    requested: Vec<String>,
    doomed: Vec<Doomed>,
    left_out: Vec<(String, String)>,
}

impl Plan {
    pub fn new(
        tool: &'static str,
        what: (&'static str, &'static str),
        requested: &[String],
    ) -> Plan {
        Plan {
            tool,
            what,
            requested: requested.to_vec(),
            doomed: Vec::new(),
            left_out: Vec::new(),
        }
    }

    pub fn doomed(&mut self, doomed: Doomed) {
        self.doomed.push(doomed);
    }

    /// `id` is left out because `why`.
    pub fn left_out(&mut self, id: &str, why: &str) {
        self.left_out.push((id.to_owned(), why.to_owned()));
    }

    /// The plan as the user and the agent read it, `verb` first.
    fn text(&self, verb: &str) -> String {
        let mut text = format!("{verb} {}:\n", self.count());
        for doomed in &self.doomed {
            let _ = writeln!(
                text,
                "  {}  {}  (microtenant {}){}",
                doomed.id,
                doomed.name,
                doomed.microtenant,
                if doomed.about.is_empty() {
                    String::new()
                } else {
                    format!("  {}", doomed.about)
                }
            );
        }
        for (id, why) in &self.left_out {
            let _ = writeln!(text, "Left out: {id} ({why})");
        }
        text
    }

    /// `3 connectors`, `1 connector`.
    fn count(&self) -> String {
        let (one, several) = self.what;
        match self.doomed.len() {
            1 => format!("1 {one}"),
            n => format!("{n} {several}"),
        }
    }

    /// Whether to delete now: `None` to go on, else the reply that stops
    /// short (nothing to delete, the user's no, the question to the user,
    /// or the plan with its confirmation).
    pub async fn decide(
        &self,
        call: &Call<'_>,
        confirmation: Option<&str>,
    ) -> Result<Option<Reply>, ToolError> {
        if self.doomed.is_empty() {
            return Ok(Some(
                Answer(format!("Nothing to delete.\n{}", self.text("Delete"))).into(),
            ));
        }
        if let Some(token) = confirmation {
            call.confirmations
                .redeem(token, self.tool, &self.requested)?;
            return Ok(None);
        }
        if let Some((responses, state)) = call.retry {
            call.confirmations
                .redeem(state, self.tool, &self.requested)?;
            let answer = responses
                .get(ANSWER)
                .cloned()
                .and_then(|answer| serde_json::from_value::<ElicitResult>(answer).ok())
                .ok_or_else(|| {
                    ToolError::refused("nothing was deleted: the user's answer is missing")
                })?;
            return Ok(self.verdict(&answer));
        }
        let capabilities = call.context.client_capabilities();
        let can_ask = capabilities
            .as_ref()
            .and_then(|client| client.elicitation.as_ref())
            .is_some_and(|elicitation| elicitation.form.is_some() || elicitation.url.is_none());
        let stateless = call
            .context
            .protocol_version()
            .is_some_and(|version| !version.has_initialize());
        match (can_ask, stateless) {
            (true, true) => {
                let token = call.confirmations.issue(self.tool, &self.requested)?;
                let question = InputRequest::Elicitation(ElicitRequest::new(self.question()?));
                let asked: InputRequests = [(ANSWER.to_owned(), question)].into();
                Ok(Some(Reply::InputRequired(InputRequiredResult::new(
                    Some(asked),
                    Some(token),
                ))))
            }
            (true, false) => {
                let answer = call
                    .context
                    .peer
                    .create_elicitation(self.question()?)
                    .await
                    .map_err(|error| {
                        ToolError::refused(format!(
                            "nothing was deleted: asking the user failed: {error}"
                        ))
                    })?;
                Ok(self.verdict(&answer))
            }
            (false, _) => {
                let token = call.confirmations.issue(self.tool, &self.requested)?;
                Ok(Some(
                    Answer(format!(
                        "{}Nothing is deleted yet. To delete exactly these, call {} again with the same ids and \
                         confirmation \"{token}\" within {} minutes; it works once.",
                        self.text("Delete"),
                        self.tool,
                        LIFETIME.as_secs() / 60
                    ))
                    .into(),
                ))
            }
        }
    }

    /// What to ask the user: the plan, and a yes or no.
    fn question(&self) -> Result<ElicitRequestParams, ToolError> {
        let schema = ElicitationSchema::from_json_schema(
            serde_json::json!({
                "type": "object",
                "properties": {
                    "confirm": {
                        "type": "boolean",
                        "title": format!("Delete these {}", self.count()),
                        "default": false
                    }
                },
                "required": ["confirm"]
            })
            .as_object()
            .cloned()
            .unwrap_or_default(),
        )
        .map_err(|error| ToolError::refused(format!("could not ask for confirmation: {error}")))?;
        Ok(ElicitRequestParams::FormElicitationParams {
            meta: None,
            message: self.text("Delete"),
            requested_schema: schema,
        })
    }

    /// The user's answer as a decision: `None` (delete) only for an
    /// accepted, confirmed one.
    fn verdict(&self, answer: &ElicitResult) -> Option<Reply> {
        let why = match answer.action {
            ElicitationAction::Accept
                if answer
                    .content
                    .as_ref()
                    .and_then(|content| content.get("confirm"))
                    .and_then(serde_json::Value::as_bool)
                    == Some(true) =>
            {
                return None;
            }
            ElicitationAction::Accept => "the user did not confirm",
            ElicitationAction::Decline => "the user declined",
            ElicitationAction::Cancel => "the user cancelled",
            _ => "the user's answer was neither yes nor no",
        };
        Some(
            Answer(format!(
                "Nothing was deleted: {why}.\n{}",
                self.text("Delete")
            ))
            .into(),
        )
    }

    /// What a delete that went through answers.
    pub fn done(&self) -> Answer {
        Answer(self.text("Deleted"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|id| id.to_string()).collect()
    }

    #[test]
    fn a_confirmation_works_once_for_exactly_its_ids() {
        let confirmations = Confirmations::default();
        let token = confirmations
            .issue("zpa_bulk_delete_app_connectors", &ids(&["1", "2"]))
            .unwrap();
        assert_eq!(token.len(), 32);
        confirmations
            .redeem(&token, "zpa_bulk_delete_app_connectors", &ids(&["2", "1"]))
            .unwrap();
        let again =
            confirmations.redeem(&token, "zpa_bulk_delete_app_connectors", &ids(&["1", "2"]));
        assert!(
            again
                .unwrap_err()
                .message()
                .contains("unknown or was used already")
        );

        let token = confirmations
            .issue("zpa_bulk_delete_app_connectors", &ids(&["1"]))
            .unwrap();
        let other =
            confirmations.redeem(&token, "zpa_bulk_delete_app_connectors", &ids(&["1", "3"]));
        assert!(other.unwrap_err().message().contains("on other ids"));
        let spent = confirmations.redeem(&token, "zpa_bulk_delete_app_connectors", &ids(&["1"]));
        assert!(spent.is_err(), "a confirmation used wrongly is gone");

        let token = confirmations
            .issue("zpa_delete_app_connector", &ids(&["1"]))
            .unwrap();
        let elsewhere =
            confirmations.redeem(&token, "zpa_delete_privileged_approval", &ids(&["1"]));
        assert!(elsewhere.is_err());
    }

    #[test]
    fn an_expired_confirmation_is_refused() {
        let confirmations = Confirmations::default();
        let token = confirmations
            .issue("zpa_delete_app_connector", &ids(&["1"]))
            .unwrap();
        confirmations
            .issued
            .lock()
            .unwrap()
            .get_mut(&token)
            .unwrap()
            .expires = Instant::now();
        let late = confirmations.redeem(&token, "zpa_delete_app_connector", &ids(&["1"]));
        assert!(late.unwrap_err().message().contains("expired"));
    }
}
