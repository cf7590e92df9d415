//! Application segments, read-only: get, list, find by exact name, list the
//! applications of one type; and the segments an approval names, by id or
//! by name, turned into ids.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use zpa_client::BoxFuture;
use zpa_client::types::{ApplicationSegment, ApplicationType, SegmentApp};
use zpa_client::wire::Id;

use crate::client::{Client, parse_id};
use crate::error::{Error, Result};
use crate::input::Input;
use crate::lookup::{self, Named, check_name};
use crate::microtenant::Scoped;
use crate::paginate::{self, Kind, List, Page};
use crate::search::{ApplicationField, SegmentAppField};

/// Application segment operations, from [`Client::applications`]. The API
/// offers them read-only here: approvals name segments, and people know
/// segments by name.
///
/// ```no_run
/// # async fn run(zpa: zpa::Client) -> zpa::Result<()> {
/// use futures::TryStreamExt;
/// use zpa::ApplicationType;
///
/// let bastion = zpa.applications().by_name("SSH Jump / Bastion").await?;
/// println!("{} {:?}", bastion.id, bastion.domain_names);
/// // Every privileged remote access application, with its segment's id.
/// let mut pra = zpa.applications().of_type(ApplicationType::SecureRemoteAccess).items();
/// while let Some(app) = pra.try_next().await? {
///     println!("{:?} {:?} in segment {:?}", app.application_protocol, app.domain, app.app_id);
/// }
/// # Ok(()) }
/// ```
pub struct Applications<'a> {
    client: &'a Client,
}

/// An application segment as an approval names it: by id, or by exact,
/// case-sensitive name, looked up before the approval is written.
///
/// Text converts by its form: digits are an id, anything else a name (so a
/// segment whose name is all digits needs [`ApplicationRef::name`]). With
/// serde it writes `{"id": "..."}` or `{"name": "..."}`, and reads those or
/// text, converted by its form.
///
/// ```
/// use zpa::ApplicationRef;
///
/// assert_eq!(ApplicationRef::from("145256180497776992"), ApplicationRef::Id("145256180497776992".into()));
/// assert_eq!(ApplicationRef::from("SSH Jump / Bastion"), ApplicationRef::Name("SSH Jump / Bastion".into()));
/// assert_eq!(ApplicationRef::name("2024"), ApplicationRef::Name("2024".into()));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", from = "ApplicationJson")]
pub enum ApplicationRef {
    /// The segment's id.
    Id(String),
    /// The segment's exact name.
    Name(String),
}

impl ApplicationRef {
    /// The segment with this id.
    pub fn id(id: impl Into<String>) -> Self {
        ApplicationRef::Id(id.into())
    }

    /// The segment named exactly `name`, whatever its characters.
    pub fn name(name: impl Into<String>) -> Self {
        ApplicationRef::Name(name.into())
    }

    /// Checks the id's digits or the name's length and characters, without
    /// sending anything.
    pub(crate) fn check(&self) -> Result<()> {
        match self {
            ApplicationRef::Id(id) => parse_id(Input::Applications, id).map(drop),
            ApplicationRef::Name(name) => check_name(Input::Applications, name),
        }
    }
}

/// A segment in JSON: text (digits are an id), `{"id"}` or `{"name"}`.
#[derive(Deserialize)]
#[serde(untagged)]
enum ApplicationJson {
    Text(String),
    Id { id: String },
    Name { name: String },
}

impl From<ApplicationJson> for ApplicationRef {
    fn from(json: ApplicationJson) -> Self {
        match json {
            ApplicationJson::Text(text) => text.into(),
            ApplicationJson::Id { id } => ApplicationRef::Id(id),
            ApplicationJson::Name { name } => ApplicationRef::Name(name),
        }
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for ApplicationRef {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ApplicationRef".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An application segment: its id or exact name as text (digits alone are an id), or {\"name\": ...} for a name of digits.",
            "anyOf": [
                { "type": "string" },
                { "type": "object", "properties": { "id": { "type": "string" } }, "required": ["id"] },
                { "type": "object", "properties": { "name": { "type": "string" } }, "required": ["name"] }
            ]
        })
    }
}

impl From<&str> for ApplicationRef {
    fn from(text: &str) -> Self {
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            ApplicationRef::Id(text.to_owned())
        } else {
            ApplicationRef::Name(text.to_owned())
        }
    }
}

impl From<String> for ApplicationRef {
    fn from(text: String) -> Self {
        ApplicationRef::from(text.as_str())
    }
}

impl From<&String> for ApplicationRef {
    fn from(text: &String) -> Self {
        ApplicationRef::from(text.as_str())
    }
}

impl From<&Id> for ApplicationRef {
    fn from(id: &Id) -> Self {
        ApplicationRef::Id(id.as_str().to_owned())
    }
}

/// The id or the name, as it was given.
impl std::fmt::Display for ApplicationRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApplicationRef::Id(id) => f.write_str(id),
            ApplicationRef::Name(name) => write!(f, "{name:?}"),
        }
    }
}

impl<'a> Applications<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Applications { client }
    }

    /// The segment with this id.
    pub async fn get(&self, id: impl AsRef<str>) -> Result<ApplicationSegment> {
        let id = parse_id(Input::ApplicationId, id.as_ref())?;
        self.client
            .send(|wire, customer, microtenant| {
                Box::pin(
                    wire.get_application()
                        .customer_id(customer)
                        .application_id(id.clone())
                        .scoped(microtenant)
                        .send(),
                )
            })
            .await
            .map(|answer| answer.into_inner())
    }

    /// Every segment, or those a search selects: see [`List`].
    pub fn list(&self) -> ListApplications {
        List::new(self.client, ApplicationKind)
    }

    /// The segment named exactly `name` (case-sensitive): [`Error::NotFound`]
    /// when none is, [`Error::Ambiguous`] (each candidate with its
    /// microtenant) when several are, as in several microtenants. Found as
    /// [`Connectors::by_name`](crate::Connectors::by_name) finds connectors.
    pub async fn by_name(&self, name: &str) -> Result<ApplicationSegment> {
        lookup::by_name(self.list(), ApplicationField::Name, name, SEGMENT).await
    }

    /// The applications of one type within every segment (the API's listing
    /// by type): each one's `app_id` is its segment's id, the id an approval
    /// names.
    pub fn of_type(&self, application_type: ApplicationType) -> ListSegmentApps {
        List::new(self.client, SegmentAppKind(application_type))
    }

    /// The ids of the segments `refs` names, in order, names looked up in as
    /// few requests as the API allows: none for ids; one search for one
    /// name; for several, the first page of every segment, which is the
    /// whole listing in most tenants, then either the rest of the listing
    /// or one search per name, whichever is fewer requests.
    pub(crate) async fn resolve(&self, refs: &[ApplicationRef]) -> Result<Vec<Id>> {
        let mut names: Vec<&str> = Vec::new();
        for reference in refs {
            reference.check()?;
            if let ApplicationRef::Name(name) = reference
                && !names.contains(&name.as_str())
            {
                names.push(name);
            }
        }
        let found: Vec<(&str, Id)> = match names.as_slice() {
            [] => Vec::new(),
            [name] => vec![(name, self.by_name(name).await?.id.clone())],
            _ => self.find_names(&names).await?,
        };
        refs.iter()
            .map(|reference| match reference {
                ApplicationRef::Id(id) => parse_id(Input::Applications, id),
                ApplicationRef::Name(name) => Ok(found
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, id)| id.clone())
                    .expect("every name was found or its lookup failed")),
            })
            .collect()
    }

    async fn find_names<'n>(&self, names: &[&'n str]) -> Result<Vec<(&'n str, Id)>> {
        let all = self.list();
        let first = all.page(1).await?;
        let mut segments = first.items;
        if first.total_pages as usize <= names.len() {
            let mut seen: HashSet<Id> = segments.iter().map(|s| s.id.clone()).collect();
            for page in 2..=first.total_pages {
                let more = all.page(page).await?.items;
                segments.extend(more.into_iter().filter(|s| seen.insert(s.id.clone())));
            }
            return names
                .iter()
                .map(|name| {
                    // Those differing only in case too, for the error to name.
                    let named: Vec<ApplicationSegment> = segments
                        .iter()
                        .filter(|s| s.name().to_lowercase() == name.to_lowercase())
                        .cloned()
                        .collect();
                    Ok((*name, lookup::pick(named, name, SEGMENT)?.id.clone()))
                })
                .collect();
        }
        let searches = names.iter().map(|name| async move {
            Ok::<_, Error>((*name, self.by_name(name).await?.id.clone()))
        });
        futures::future::try_join_all(searches).await
    }
}

/// Every type a listing by type takes ([`Applications::of_type`]).
pub const APPLICATION_TYPES: [ApplicationType; 3] = [
    ApplicationType::BrowserAccess,
    ApplicationType::Inspect,
    ApplicationType::SecureRemoteAccess,
];

/// What errors call a segment.
const SEGMENT: &str = "application segment";

/// Application segments, as a [`List`] kind.
#[derive(Clone, Copy, Debug)]
pub struct ApplicationKind;

impl paginate::sealed::Sealed for ApplicationKind {}

/// A listing of application segments; see [`List`].
pub type ListApplications = List<ApplicationKind>;

impl Kind for ApplicationKind {
    type Field = ApplicationField;
    type Item = ApplicationSegment;

    fn fetch(list: List<Self>, page: u32) -> BoxFuture<'static, Result<Page<ApplicationSegment>>> {
        Box::pin(async move {
            list.fetch_page(page, |wire, customer, microtenant, search| {
                let mut request = wire
                    .list_applications()
                    .customer_id(customer)
                    .page(page)
                    .pagesize(list.page_size)
                    .scoped(microtenant);
                if let Some(search) = search {
                    request = request.search(search);
                }
                Box::pin(request.send())
            })
            .await
        })
    }
}

/// The applications of one type, as a [`List`] kind.
#[derive(Clone, Copy, Debug)]
pub struct SegmentAppKind(ApplicationType);

impl paginate::sealed::Sealed for SegmentAppKind {}

/// A listing of the applications of one type; see [`List`].
pub type ListSegmentApps = List<SegmentAppKind>;

impl Kind for SegmentAppKind {
    type Field = SegmentAppField;
    type Item = SegmentApp;

    fn fetch(list: List<Self>, page: u32) -> BoxFuture<'static, Result<Page<SegmentApp>>> {
        Box::pin(async move {
            list.fetch_page(page, |wire, customer, microtenant, search| {
                let mut request = wire
                    .list_applications_by_type()
                    .customer_id(customer)
                    .application_type(list.kind.0)
                    .page(page)
                    .pagesize(list.page_size)
                    .scoped(microtenant);
                if let Some(search) = search {
                    request = request.search(search);
                }
                Box::pin(request.send())
            })
            .await
            // The live answer's totalCount is "0" beside a full list
            // (TestApplicationSegmentPRA.yaml): only the pages count.
            .map(|page| Page {
                total_count: None,
                ..page
            })
        })
    }
}
