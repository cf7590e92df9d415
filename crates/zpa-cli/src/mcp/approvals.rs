//! The privileged approval tools: list, get, create (segments by name,
//! working hours in a time zone), update (only what is given), delete, and
//! delete the expired ones.

use futures::TryStreamExt;
use schemars::JsonSchema;
use serde::Deserialize;
use zpa::model::ApprovalStatus;
use zpa::{
    Approval, ApprovalChange, ApprovalField, ApprovalRequest, Client, Direction, Filter, Op,
};

use super::answer::{self, Answer, Reply, Shown};
use super::confirm::{Doomed, Plan};
use super::errors::ToolError;
use super::scope::Scope;
use super::tool::{Call, Effect, Tool};
use crate::output::microtenant;

pub struct ListPrivilegedApprovals;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListArgs {
    /// A ZPA search, such as "status EQ ACTIVE" (fields: id, emailIds,
    /// status, startTime, endTime, creationTime, modifiedTime, microtenantId).
    search: Option<String>,
    /// Only the approvals of this user (exact email address).
    email: Option<String>,
    /// Sort by this field: id, emailIds, status, startTime, endTime,
    /// creationTime, modifiedTime or microtenantId.
    sort_by: Option<String>,
    /// asc (default) or desc.
    sort_dir: Option<String>,
    #[serde(flatten)]
    scope: Scope,
    #[serde(flatten)]
    shown: Shown,
}

impl Tool for ListPrivilegedApprovals {
    const NAME: &'static str = "zpa_list_privileged_approvals";
    const DESCRIPTION: &'static str = "List privileged approvals: every match with the total, one tab-separated line each (id, email, status, start and end in UTC, segments, working hours, microtenant).";
    const EFFECT: Effect = Effect::Read;
    type Args = ListArgs;

    async fn call(call: Call<'_>, args: ListArgs) -> Result<Reply, ToolError> {
        let zpa = args.scope.client(call.zpa)?;
        let mut search = args.search.clone().unwrap_or_default();
        if let Some(email) = &args.email {
            let clause = format!("emailIds EQ {email}");
            search = if search.is_empty() {
                clause
            } else {
                format!("{search} AND {clause}")
            };
        }
        let mut list = zpa.approvals().list();
        if !search.is_empty() {
            list = list.search(&search);
        }
        if let Some(field) = &args.sort_by {
            let field: ApprovalField = field
                .parse()
                .map_err(|error| ToolError::input("sortBy", error))?;
            let direction: Direction = match &args.sort_dir {
                Some(direction) => direction
                    .parse()
                    .map_err(|error| ToolError::input("sortDir", error))?,
                None => Direction::Ascending,
            };
            list = list.sort(field, direction);
        }
        let sort = format!("{:?} {:?}", args.sort_by, args.sort_dir);
        let listing = answer::fingerprint(&["approvals", &search, &sort, args.scope.name()]);
        answer::listing(list, &args.shown, "approvals", listing)
            .await
            .map(Reply::from)
    }
}

pub struct GetPrivilegedApproval;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct IdArgs {
    /// The approval's id.
    approval_id: String,
    #[serde(flatten)]
    scope: Scope,
}

impl Tool for GetPrivilegedApproval {
    const NAME: &'static str = "zpa_get_privileged_approval";
    const DESCRIPTION: &'static str = "Get one privileged approval by id: a line in words (times in UTC), then its JSON exactly as the API sent it.";
    const EFFECT: Effect = Effect::Read;
    type Args = IdArgs;

    async fn call(call: Call<'_>, args: IdArgs) -> Result<Reply, ToolError> {
        let zpa = args.scope.client(call.zpa)?;
        let approval = zpa
            .approvals()
            .get(&args.approval_id)
            .await
            .map_err(|error| ToolError::api("getting the approval", error))?;
        Ok(described("Approval", &approval).into())
    }
}

pub struct CreatePrivilegedApproval;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateArgs {
    #[serde(flatten)]
    request: ApprovalRequest,
    #[serde(flatten)]
    scope: Scope,
}

impl Tool for CreatePrivilegedApproval {
    const NAME: &'static str = "zpa_create_privileged_approval";
    const DESCRIPTION: &'static str = "Grant a user time-boxed access to application segments, named by id or exact name, optionally only in working hours of a time zone (the UTC crons are computed, daylight saving included). Checked before anything is sent. Answers the approval as stored.";
    const EFFECT: Effect = Effect::Create;
    type Args = CreateArgs;

    async fn call(call: Call<'_>, args: CreateArgs) -> Result<Reply, ToolError> {
        let zpa = args.scope.client(call.zpa)?;
        let approval = zpa
            .approvals()
            .create(&args.request)
            .await
            .map_err(|error| ToolError::api("creating the approval", error))?;
        Ok(described("Created approval", &approval).into())
    }
}

pub struct UpdatePrivilegedApproval;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateArgs {
    /// The approval's id.
    approval_id: String,
    #[serde(flatten)]
    change: ApprovalChange,
    #[serde(flatten)]
    scope: Scope,
}

impl Tool for UpdatePrivilegedApproval {
    const NAME: &'static str = "zpa_update_privileged_approval";
    const DESCRIPTION: &'static str = "Change a privileged approval: only the fields given (to extend it, endTime alone); workingHours null removes them. Reads it, changes it and writes it back where it lives. Answers the approval as stored.";
    const EFFECT: Effect = Effect::Update;
    type Args = UpdateArgs;

    async fn call(call: Call<'_>, args: UpdateArgs) -> Result<Reply, ToolError> {
        let zpa = args.scope.client(call.zpa)?;
        let stored = zpa
            .approvals()
            .change(&args.approval_id, &args.change)
            .await
            .map_err(|error| {
                ToolError::api(format!("updating approval {}", args.approval_id), error)
            })?;
        Ok(described("Updated approval", &stored).into())
    }
}

pub struct DeletePrivilegedApproval;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeleteArgs {
    /// The approval's id.
    approval_id: String,
    /// The confirmation a first call gave, for clients without elicitation.
    confirmation: Option<String>,
    #[serde(flatten)]
    scope: Scope,
}

impl Tool for DeletePrivilegedApproval {
    const NAME: &'static str = "zpa_delete_privileged_approval";
    const DESCRIPTION: &'static str = "Delete one privileged approval, ending the user's access. Shows it and asks the user first; clients without elicitation get a confirmation to call again with.";
    const EFFECT: Effect = Effect::Delete;
    type Args = DeleteArgs;

    async fn call(call: Call<'_>, args: DeleteArgs) -> Result<Reply, ToolError> {
        let zpa = args.scope.client(call.zpa)?;
        let approval = zpa
            .approvals()
            .get(&args.approval_id)
            .await
            .map_err(|error| ToolError::api("getting the approval", error))?;
        let mut plan = Plan::new(
            Self::NAME,
            ("approval", "approvals"),
            std::slice::from_ref(&args.approval_id),
        );
        plan.doomed(doomed(&approval));
        if let Some(reply) = plan.decide(&call, args.confirmation.as_deref()).await? {
            return Ok(reply);
        }
        zpa.approvals().delete(&approval).await.map_err(|error| {
            ToolError::api(format!("deleting approval {}", args.approval_id), error)
        })?;
        Ok(plan.done().into())
    }
}

pub struct DeleteExpiredPrivilegedApprovals;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeleteExpiredArgs {
    /// The confirmation a first call gave, for clients without elicitation.
    confirmation: Option<String>,
    #[serde(flatten)]
    scope: Scope,
}

impl Tool for DeleteExpiredPrivilegedApprovals {
    const NAME: &'static str = "zpa_delete_expired_privileged_approvals";
    const DESCRIPTION: &'static str = "Delete every expired privileged approval (one request). Shows them and asks the user first; a confirmation holds only while the expired approvals are the ones shown.";
    const EFFECT: Effect = Effect::Delete;
    type Args = DeleteExpiredArgs;

    async fn call(call: Call<'_>, args: DeleteExpiredArgs) -> Result<Reply, ToolError> {
        let zpa = args.scope.client(call.zpa)?;
        let expired = expired(&zpa).await?;
        let ids: Vec<String> = expired.iter().map(|a| a.id.to_string()).collect();
        let mut plan = Plan::new(Self::NAME, ("expired approval", "expired approvals"), &ids);
        for approval in &expired {
            plan.doomed(doomed(approval));
        }
        if let Some(reply) = plan.decide(&call, args.confirmation.as_deref()).await? {
            return Ok(reply);
        }
        zpa.approvals()
            .delete_expired()
            .await
            .map_err(|error| ToolError::api("deleting the expired approvals", error))?;
        Ok(plan.done().into())
    }
}

/// The expired approvals, by id.
async fn expired(zpa: &Client) -> Result<Vec<Approval>, ToolError> {
    let filter = Filter::new().and(ApprovalField::Status, Op::Eq, ApprovalStatus::Expired);
    let mut expired: Vec<Approval> = zpa
        .approvals()
        .list()
        .filter(filter)
        .items()
        .try_collect()
        .await
        .map_err(|error| ToolError::api("listing the expired approvals", error))?;
    expired.sort_by(|a, b| a.id.as_str().cmp(b.id.as_str()));
    Ok(expired)
}

/// An approval in a delete's plan.
fn doomed(approval: &Approval) -> Doomed {
    Doomed {
        id: approval.id.to_string(),
        name: approval.email_ids.join(","),
        microtenant: microtenant(&approval.microtenant_id, &approval.microtenant_name),
        about: span(approval),
    }
}

/// Its segments and times, in words.
fn span(approval: &Approval) -> String {
    let time = |t: Option<zpa::model::Int64String>| {
        t.and_then(|t| jiff::Timestamp::from_second(t.get()).ok())
            .map(|t| t.to_string())
            .unwrap_or_else(|| "?".to_owned())
    };
    let segments: Vec<String> = approval
        .applications
        .iter()
        .map(|segment| match &segment.name {
            Some(name) => format!("{name} ({})", segment.id),
            None => segment.id.to_string(),
        })
        .collect();
    let mut text = format!(
        "{}, {} to {}, to {}",
        approval.status.map(|s| s.to_string()).unwrap_or_default(),
        time(approval.start_time),
        time(approval.end_time),
        segments.join(", ")
    );
    if let Some(hours) = &approval.working_hours {
        text.push_str(&format!(
            ", {} {}-{} {}",
            hours.days.join(","),
            hours.start_time.as_deref().unwrap_or(""),
            hours.end_time.as_deref().unwrap_or(""),
            hours.time_zone.as_deref().unwrap_or("")
        ));
    }
    text
}

/// `what`, the approval in words, then its JSON as stored.
fn described(what: &str, approval: &Approval) -> Answer {
    let Answer(json) = Answer::object(approval);
    Answer(format!(
        "{what} {} for {}: {}\n{json}",
        approval.id,
        approval.email_ids.join(","),
        span(approval)
    ))
}
