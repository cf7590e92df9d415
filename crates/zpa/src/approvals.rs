//! Privileged approvals: create, get, list, update, delete, delete expired.

use futures::TryStreamExt;
use serde::{Deserialize, Serialize};
use zpa_client::BoxFuture;
use zpa_client::types::{self, Approval, SortDirection};
use zpa_client::wire::{Id, Int64String};

use crate::applications::ApplicationRef;
use crate::client::{Client, parse_id};
use crate::epoch::{self, EpochSeconds, MILLISECONDS_FROM};
use crate::error::{Error, Result};
use crate::input::Input;
use crate::locate::{Groups, Target, target_id};
use crate::microtenant::Scoped;
use crate::paginate::{self, Direction, Kind, List, Page};
use crate::runtime::now_epoch_seconds;
use crate::search::{ApprovalField, Field, Filter, Op};
use crate::working_hours::WorkingHours;

/// The longest approval the API grants.
const MAX_LENGTH_SECONDS: i64 = 365 * 86_400;
/// How far in the past an approval may start.
const START_GRACE_SECONDS: i64 = 3_600;

/// Privileged approval operations, from [`Client::approvals`].
///
/// ```no_run
/// # async fn run(zpa: zpa::Client) -> zpa::Result<()> {
/// use std::time::{Duration, SystemTime};
/// use zpa::{ApprovalChange, ApprovalRequest, Weekday::*, WorkingHours};
///
/// let start = SystemTime::now();
/// let request = ApprovalRequest::new(
///     "oncall@example.com",
///     ["145256180497776992"],
///     start,
///     start + Duration::from_secs(7 * 86_400),
/// )
/// .working_hours(WorkingHours::new([Mon, Tue, Wed, Thu, Fri], "09:00", "17:00", "Europe/Berlin"));
/// let approval = zpa.approvals().create(&request).await?;
/// // A week more, nothing else changed.
/// let later = start + Duration::from_secs(14 * 86_400);
/// zpa.approvals().change(&approval.id, &ApprovalChange::new().end_time(later)).await?;
/// zpa.approvals().delete(&approval.id).await?;
/// # Ok(()) }
/// ```
pub struct Approvals<'a> {
    client: &'a Client,
}

/// What an approval grants: one user, some application segments (by id or
/// by name), a time span in epoch seconds, and optionally daily working
/// hours.
///
/// The value is checked before any request: exactly one valid email, at
/// least one application segment (ids of digits, names of up to 512
/// characters without control characters, none twice), start before end,
/// start no earlier than an hour ago, end at most 365 days after start, and
/// valid working hours. Names are looked up when the approval is written.
///
/// With serde it reads and writes the shape the JavaScript package takes:
/// `{"email", "applications": ["<id or name>" | {"id": ...} | {"name": ...}],
/// "startTime", "endTime", "workingHours": {"days", "startTime", "endTime",
/// "timeZone"}}`. Times are written as epoch seconds and read as epoch
/// seconds or (native) RFC 3339 text. With the `schemars` feature it has a
/// JSON Schema of that shape.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ApprovalRequest {
    /// The email address of the user the access is granted to.
    pub email: String,
    /// The application segments the access is to: ids, or exact names
    /// (case-sensitive).
    pub applications: Vec<ApplicationRef>,
    /// When the access starts: no earlier than an hour ago.
    #[serde(deserialize_with = "epoch::deserialize")]
    #[cfg_attr(feature = "schemars", schemars(schema_with = "epoch::schema"))]
    pub start_time: i64,
    /// When the access ends: after the start, at most 365 days later.
    #[serde(deserialize_with = "epoch::deserialize")]
    #[cfg_attr(feature = "schemars", schemars(schema_with = "epoch::schema"))]
    pub end_time: i64,
    /// Daily hours to limit the access to; at any time of day when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_hours: Option<WorkingHours>,
}

impl ApprovalRequest {
    /// An approval for `email` to `applications` (ids, or exact names:
    /// [`ApplicationRef`]) from `start_time` to `end_time`: epoch seconds, a
    /// `SystemTime`, or (native) a `jiff::Timestamp` ([`EpochSeconds`]).
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// use zpa::{ApplicationRef, ApprovalRequest};
    ///
    /// let start = SystemTime::now();
    /// let request = ApprovalRequest::new(
    ///     "oncall@example.com",
    ///     ["145256180497776992", "SSH Jump / Bastion"],
    ///     start,
    ///     start + Duration::from_secs(8 * 3600),
    /// );
    /// assert_eq!(request.end_time - request.start_time, 8 * 3600);
    /// assert_eq!(request.applications[1], ApplicationRef::name("SSH Jump / Bastion"));
    /// ```
    pub fn new<A: Into<ApplicationRef>>(
        email: impl Into<String>,
        applications: impl IntoIterator<Item = A>,
        start_time: impl EpochSeconds,
        end_time: impl EpochSeconds,
    ) -> Self {
        ApprovalRequest {
            email: email.into(),
            applications: applications.into_iter().map(Into::into).collect(),
            start_time: start_time.epoch_seconds(),
            end_time: end_time.epoch_seconds(),
            working_hours: None,
        }
    }

    /// Checks the request against every rule, as a create would, without
    /// sending anything (names are looked up only by the create).
    pub fn check(&self) -> Result<()> {
        self.check_at(now_epoch_seconds(), true).map(drop)
    }

    /// Limits access to `hours`.
    pub fn working_hours(mut self, hours: WorkingHours) -> Self {
        self.working_hours = Some(hours);
        self
    }

    /// Checks every rule as of `now` (epoch seconds); the start may lie in
    /// the past when `new_start` is false (an approval already running keeps
    /// its start). Returns the working hours as the API takes them.
    fn check_at(&self, now: i64, new_start: bool) -> Result<Option<types::WorkingHours>> {
        check_email(&self.email)?;
        if self.applications.is_empty() {
            return Err(Error::invalid(
                Input::Applications,
                "at least one application segment is needed",
            ));
        }
        for (i, application) in self.applications.iter().enumerate() {
            application.check()?;
            if self.applications[..i].contains(application) {
                return Err(Error::invalid(
                    Input::Applications,
                    format!("{application} is listed twice"),
                ));
            }
        }
        for (time, input) in [
            (self.start_time, Input::StartTime),
            (self.end_time, Input::EndTime),
        ] {
            if time >= MILLISECONDS_FROM {
                return Err(Error::invalid(
                    input,
                    format!("{time} is past the year 5000 as epoch seconds: milliseconds?"),
                ));
            }
        }
        if self.start_time >= self.end_time {
            return Err(Error::invalid(
                Input::EndTime,
                "must be after the start time",
            ));
        }
        if new_start && self.start_time < now - START_GRACE_SECONDS {
            return Err(Error::invalid(
                Input::StartTime,
                "must be no earlier than one hour ago",
            ));
        }
        if self.end_time - self.start_time > MAX_LENGTH_SECONDS {
            return Err(Error::invalid(
                Input::EndTime,
                "must be at most 365 days after the start time",
            ));
        }
        let Some(hours) = &self.working_hours else {
            return Ok(None);
        };
        let (start_cron, end_cron) = hours.crons(self.start_time)?;
        types::WorkingHours::builder()
            .days(
                hours
                    .days
                    .iter()
                    .map(|day| day.as_str().into())
                    .collect::<Vec<_>>(),
            )
            .start_time(Some(hours.start.as_str().into()))
            .end_time(Some(hours.end.as_str().into()))
            .time_zone(Some(hours.time_zone.as_str().into()))
            .start_time_cron(Some(start_cron.into()))
            .end_time_cron(Some(end_cron.into()))
            .try_into()
            .map(Some)
            .map_err(|error: types::error::ConversionError| {
                Error::invalid(Input::WorkingHours, error.to_string())
            })
    }

    /// The request body: checked as of now against every rule before any
    /// request, then with the segments' names looked up through `client`.
    async fn body(&self, client: &Client, new_start: bool) -> Result<types::ApprovalBody> {
        let working_hours = self.check_at(now_epoch_seconds(), new_start)?;
        let ids = client.applications().resolve(&self.applications).await?;
        for (i, id) in ids.iter().enumerate() {
            if ids[..i].contains(id) {
                return Err(Error::invalid(
                    Input::Applications,
                    format!("segment {id} is named twice (by id and by name, or by two names)"),
                ));
            }
        }
        types::ApprovalBody::builder()
            .email_ids([self.email.as_str().into()])
            .applications(ids.into_iter().map(application).collect::<Vec<_>>())
            .start_time(self.start_time)
            .end_time(self.end_time)
            .working_hours(working_hours)
            .try_into()
            .map_err(|error: types::error::ConversionError| {
                Error::invalid(Input::Approval, error.to_string())
            })
    }
}

/// An approval as the API returned it, as a request to write it back (to
/// change it, see [`Approvals::change`]). Fails when the approval is not
/// one a request can express: several email addresses, or working hours
/// without their local times.
impl TryFrom<&Approval> for ApprovalRequest {
    type Error = Error;

    fn try_from(approval: &Approval) -> Result<Self> {
        let email = match approval.email_ids.as_slice() {
            [email] => email.to_string(),
            emails => {
                return Err(Error::invalid(
                    Input::Approval,
                    format!(
                        "approval {} is for {} email addresses; a request is for exactly one",
                        approval.id,
                        emails.len()
                    ),
                ));
            }
        };
        let time = |time: Option<Int64String>, input: Input| {
            time.map(Int64String::get)
                .ok_or_else(|| Error::invalid(input, format!("approval {} has none", approval.id)))
        };
        Ok(ApprovalRequest {
            email,
            applications: approval
                .applications
                .iter()
                .map(|application| ApplicationRef::from(&application.id))
                .collect(),
            start_time: time(approval.start_time, Input::StartTime)?,
            end_time: time(approval.end_time, Input::EndTime)?,
            working_hours: approval
                .working_hours
                .as_ref()
                .map(WorkingHours::try_from)
                .transpose()?,
        })
    }
}

/// What to change in an existing approval ([`Approvals::change`]): what is
/// set here replaces the approval's own, the rest stays as it is.
///
/// With serde it reads and writes the fields of [`ApprovalRequest`], each
/// optional: a field left out stays as it is, and `"workingHours": null`
/// removes the working hours.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ApprovalChange {
    /// Grant the access to this email address instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    /// Replace the application segments: ids, or exact names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    applications: Option<Vec<ApplicationRef>>,
    /// Move the start; a start already passed may stay where it is.
    #[serde(
        default,
        deserialize_with = "epoch::deserialize_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schemars", schemars(schema_with = "epoch::schema"))]
    start_time: Option<i64>,
    /// Move the end: to extend or shorten the access.
    #[serde(
        default,
        deserialize_with = "epoch::deserialize_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schemars", schemars(schema_with = "epoch::schema"))]
    end_time: Option<i64>,
    /// Replace the daily working hours; `null` removes them (access at any
    /// time of day).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    working_hours: Option<Option<WorkingHours>>,
}

/// A field that is there, `null` or not: `Some(None)` for `null`.
fn present<'de, D, T>(deserializer: D) -> std::result::Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

impl ApprovalChange {
    /// A change that changes nothing yet.
    pub fn new() -> Self {
        ApprovalChange::default()
    }

    /// Grants the approval to another user.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// Replaces the application segments: ids, or exact names
    /// ([`ApplicationRef`]).
    pub fn applications<A: Into<ApplicationRef>>(
        mut self,
        applications: impl IntoIterator<Item = A>,
    ) -> Self {
        self.applications = Some(applications.into_iter().map(Into::into).collect());
        self
    }

    /// Moves the start.
    pub fn start_time(mut self, time: impl EpochSeconds) -> Self {
        self.start_time = Some(time.epoch_seconds());
        self
    }

    /// Moves the end: to extend or shorten the approval.
    pub fn end_time(mut self, time: impl EpochSeconds) -> Self {
        self.end_time = Some(time.epoch_seconds());
        self
    }

    /// Limits access to `hours`, replacing any the approval has.
    pub fn working_hours(mut self, hours: WorkingHours) -> Self {
        self.working_hours = Some(Some(hours));
        self
    }

    /// Removes the approval's working hours: access at any time.
    pub fn no_working_hours(mut self) -> Self {
        self.working_hours = Some(None);
        self
    }

    /// Applies the change to `request`.
    pub fn apply(&self, request: &mut ApprovalRequest) {
        if let Some(email) = &self.email {
            request.email = email.clone();
        }
        if let Some(applications) = &self.applications {
            request.applications = applications.clone();
        }
        if let Some(start) = self.start_time {
            request.start_time = start;
        }
        if let Some(end) = self.end_time {
            request.end_time = end;
        }
        if let Some(hours) = &self.working_hours {
            request.working_hours = hours.clone();
        }
    }
}

fn application(id: Id) -> types::ApplicationSegment {
    types::ApplicationSegmentFields::builder()
        .id(id)
        .try_into()
        .map(types::ApplicationSegmentFields::into)
        .expect("an id is all an application segment needs")
}

fn check_email(email: &str) -> Result<()> {
    let invalid = |why: &str| Error::invalid(Input::Email, format!("{email:?} {why}"));
    if email.contains([',', ';']) || email.split_whitespace().count() > 1 {
        return Err(invalid(
            "holds more than one address; an approval is for exactly one user",
        ));
    }
    let (local, domain) = email
        .split_once('@')
        .ok_or_else(|| invalid("is not an email address"))?;
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !domain.contains('@');
    if local.is_empty() || !domain_ok || email.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(invalid("is not an email address"));
    }
    Ok(())
}

impl<'a> Approvals<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Approvals { client }
    }

    /// Creates the approval and returns it as the API stored it. Segments
    /// named by name are looked up first, in as few requests as the API
    /// allows (one for one name; see [`Applications::by_name`]), in this
    /// handle's microtenant scope. A create is never sent twice: after a
    /// failure that may have been applied, list approvals to see whether it
    /// exists.
    ///
    /// [`Applications::by_name`]: crate::Applications::by_name
    pub async fn create(&self, request: &ApprovalRequest) -> Result<Approval> {
        let body = request.body(self.client, true).await?;
        self.client
            .send(|wire, customer, microtenant| {
                Box::pin(
                    wire.create_approval()
                        .customer_id(customer)
                        .body(body.clone())
                        .scoped(microtenant)
                        .send(),
                )
            })
            .await
            .map(|answer| answer.into_inner())
    }

    /// The approval with this id.
    pub async fn get(&self, id: impl AsRef<str>) -> Result<Approval> {
        let id = parse_id(Input::ApprovalId, id.as_ref())?;
        self.client
            .send(|wire, customer, microtenant| {
                Box::pin(
                    wire.get_approval()
                        .customer_id(customer)
                        .id(id.clone())
                        .scoped(microtenant)
                        .send(),
                )
            })
            .await
            .map(|answer| answer.into_inner())
    }

    /// All approvals, or those a search selects, optionally sorted: see [`List`].
    pub fn list(&self) -> ListApprovals {
        List::new(self.client, ApprovalKind)
    }

    /// The approvals granted to exactly `email` (compared without regard to
    /// case, as email addresses are), found with `emailIds EQ <email>` on
    /// the server; [`Error::NotFound`] when there is none.
    pub async fn by_email(&self, email: &str) -> Result<Vec<Approval>> {
        let filter = Filter::new().and(ApprovalField::EmailIds, Op::Eq, email);
        filter
            .validate()
            .map_err(|error| Error::invalid(Input::Email, error.reason))?;
        let matches: Vec<Approval> = self
            .list()
            .filter(filter)
            .items()
            .try_filter(|approval| {
                let exact = approval
                    .email_ids
                    .iter()
                    .any(|id| id.eq_ignore_ascii_case(email));
                futures::future::ready(exact)
            })
            .try_collect()
            .await?;
        if matches.is_empty() {
            return Err(Error::NotFound {
                what: format!("approval for {email:?}"),
            });
        }
        Ok(matches)
    }

    /// Replaces the approval with `request`, checked like a create, wherever
    /// it lives (see [`Target`]). To change only some of it, see
    /// [`Approvals::change`].
    pub async fn update(&self, approval: impl Target, request: &ApprovalRequest) -> Result<()> {
        self.put(&approval, request, true).await
    }

    /// Reads the approval, changes what `change` sets, writes it back where
    /// it lives, and returns it as the API stored it. A start time the
    /// change leaves alone may lie in the past (the approval is running).
    ///
    /// Three requests, names to look up aside: the read (a write replaces
    /// the whole approval), the write (in the approval's own microtenant,
    /// which the read told), and a read of what was stored (the write
    /// answers with no body, and the server sets the status and times). The
    /// API has no version check: a change made by someone else between the
    /// read and the write is overwritten.
    ///
    /// ```no_run
    /// # async fn run(zpa: zpa::Client, id: &str) -> zpa::Result<()> {
    /// use std::time::{Duration, SystemTime};
    /// use zpa::ApprovalChange;
    ///
    /// let extended = SystemTime::now() + Duration::from_secs(7 * 86_400);
    /// let approval = zpa.approvals().change(id, &ApprovalChange::new().end_time(extended)).await?;
    /// println!("{:?} until {:?}", approval.status, approval.end_time);
    /// # Ok(()) }
    /// ```
    pub async fn change(&self, approval: impl Target, change: &ApprovalChange) -> Result<Approval> {
        if change == &ApprovalChange::default() {
            return Err(Error::invalid(Input::ApprovalChange, "nothing to change"));
        }
        let id = target_id(Input::ApprovalId, &approval)?;
        let current = self.get(&id).await?;
        let mut request = ApprovalRequest::try_from(&current)?;
        let start = request.start_time;
        change.apply(&mut request);
        self.put(&current, &request, request.start_time != start)
            .await?;
        let home = match &self.client.microtenant {
            Some(_) => self.client.clone(),
            None => self.client.at(current.microtenant_id.as_ref()),
        };
        home.approvals().get(&id).await
    }

    async fn put(
        &self,
        approval: &(impl Target + ?Sized),
        request: &ApprovalRequest,
        new_start: bool,
    ) -> Result<()> {
        let id = target_id(Input::ApprovalId, approval)?;
        let body = request.body(self.client, new_start).await?;
        self.client
            .write_where_it_lives(
                &format!("approval {id}"),
                approval,
                |wire, customer, microtenant| {
                    Box::pin(
                        wire.update_approval()
                            .customer_id(customer)
                            .id(id.clone())
                            .body(body.clone())
                            .scoped(microtenant)
                            .send(),
                    )
                },
                home(id.clone()),
            )
            .await
            .map(drop)
    }

    /// Deletes the approval, wherever it lives (see [`Target`]).
    pub async fn delete(&self, approval: impl Target) -> Result<()> {
        let id = target_id(Input::ApprovalId, &approval)?;
        self.client
            .write_where_it_lives(
                &format!("approval {id}"),
                &approval,
                |wire, customer, microtenant| {
                    Box::pin(
                        wire.delete_approval()
                            .customer_id(customer)
                            .id(id.clone())
                            .scoped(microtenant)
                            .send(),
                    )
                },
                home(id.clone()),
            )
            .await
            .map(drop)
    }

    /// Deletes every expired approval, wherever it lives, and returns
    /// whether anything was deleted (the API answers 204 when it deleted
    /// some, 200 when there were none).
    ///
    /// A handle scoped to a microtenant sends one request there. Otherwise,
    /// as a write without a microtenant reaches Default alone, the expired
    /// approvals are listed first (`status EQ EXPIRED`, every microtenant)
    /// and one request goes to each microtenant that has some, Default
    /// first: one listing, then none when nothing has expired. A failure
    /// after a first microtenant's request is [`Error::PartlyDeleted`].
    pub async fn delete_expired(&self) -> Result<bool> {
        if self.client.microtenant.is_some() {
            return self.client.delete_expired().await;
        }
        let expired: Vec<Approval> = self
            .list()
            .filter(Filter::new().and(ApprovalField::Status, Op::Eq, "EXPIRED"))
            .items()
            .try_collect()
            .await?;
        let mut groups = Groups::default();
        for approval in expired {
            groups.add(approval.microtenant_id.clone(), approval.id.clone());
        }
        let deleted = groups
            .delete_each(self.client, |client, _| async move {
                client.delete_expired().await
            })
            .await?;
        Ok(!deleted.is_empty())
    }
}

impl Client {
    /// One delete of the expired approvals, in this handle's scope.
    async fn delete_expired(&self) -> Result<bool> {
        self.send(|wire, customer, microtenant| {
            Box::pin(
                wire.delete_expired_approvals()
                    .customer_id(customer)
                    .scoped(microtenant)
                    .send(),
            )
        })
        .await
        .map(|answer| answer.status().as_u16() == 204)
    }
}

/// Reads an approval from every microtenant and says where it lives.
fn home(id: Id) -> impl FnOnce(Client) -> BoxFuture<'static, Result<Option<Id>>> {
    move |client| {
        Box::pin(async move {
            let approval = client.approvals().get(&id).await?;
            Ok(approval.microtenant_id.clone())
        })
    }
}

/// Approvals, as a [`List`] kind.
#[derive(Clone, Copy, Debug)]
pub struct ApprovalKind;

impl paginate::sealed::Sealed for ApprovalKind {}

/// An approval listing; see [`List`].
pub type ListApprovals = List<ApprovalKind>;

impl ListApprovals {
    /// Sorts by `field` in `direction` (the API's `sortBy` and `sortdir`).
    pub fn sort(mut self, field: ApprovalField, direction: Direction) -> Self {
        self.sort = Some((field, direction));
        self
    }
}

impl Kind for ApprovalKind {
    type Field = ApprovalField;
    type Item = Approval;

    fn fetch(list: List<Self>, page: u32) -> BoxFuture<'static, Result<Page<Approval>>> {
        Box::pin(async move {
            list.fetch_page(page, |wire, customer, microtenant, search| {
                let mut request = wire
                    .list_approvals()
                    .customer_id(customer)
                    .page(page)
                    .pagesize(list.page_size)
                    .scoped(microtenant);
                if let Some(search) = search {
                    request = request.search(search);
                }
                if let Some((field, direction)) = list.sort {
                    request = request.sort_by(field.name()).sortdir(match direction {
                        Direction::Ascending => SortDirection::Asc,
                        Direction::Descending => SortDirection::Dsc,
                    });
                }
                Box::pin(request.send())
            })
            .await
        })
    }
}
