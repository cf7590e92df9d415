//! App Connectors: get, list, update, delete, bulk delete, and the stale
//! connector report.

use std::borrow::Borrow;

use zpa_client::types::{self, Connector, ConnectorFields};

use crate::client::{Client, parse_id};
use crate::duration::ZpaDuration;
use crate::error::{Error, Result, exactly_one};
use crate::input::Input;
use crate::microtenant::Scoped;
use crate::paginate::{self, Kind, List, Page};
use crate::search::{ConnectorField, Filter, Op};
use futures::TryStreamExt;
use zpa_client::BoxFuture;

/// App Connector operations, from [`Client::connectors`].
///
/// ```no_run
/// # async fn run(zpa: zpa::Client) -> zpa::Result<()> {
/// use futures::TryStreamExt;
/// use zpa::{Connector, ConnectorUpdate, ZpaDuration};
///
/// let edge = zpa.connectors().by_name("edge-1").await?;
/// zpa.connectors()
///     .update(&edge.id, &ConnectorUpdate::new().description("rack 7"))
///     .await?;
/// // Disconnected for 30 days or more: one bulk delete per microtenant.
/// let stale: Vec<Connector> = zpa
///     .connectors()
///     .stale(ZpaDuration::days(30))
///     .items()
///     .try_collect()
///     .await?;
/// zpa.connectors().delete_listed(&stale).await?;
/// # Ok(()) }
/// ```
pub struct Connectors<'a> {
    client: &'a Client,
}

/// The fields of an App Connector that an update changes; the others are
/// left as they are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConnectorUpdate {
    /// New name.
    pub name: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// Enable or disable the connector.
    pub enabled: Option<bool>,
}

impl ConnectorUpdate {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets the description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Enables or disables the connector.
    pub fn enabled(mut self, enabled: bool) -> Self {
        self.enabled = Some(enabled);
        self
    }

    fn to_wire(&self) -> Result<types::ConnectorUpdate> {
        if self.name.is_none() && self.description.is_none() && self.enabled.is_none() {
            return Err(Error::invalid(
                Input::Update,
                "nothing to change: set a name, a description or enabled",
            ));
        }
        if self
            .name
            .as_deref()
            .is_some_and(|name| name.trim().is_empty())
        {
            return Err(Error::invalid(Input::Name, "cannot be empty"));
        }
        let name = self
            .name
            .as_deref()
            .map(types::ConnectorUpdateName::try_from)
            .transpose()
            .map_err(|error| Error::invalid(Input::Name, error.to_string()))?;
        Ok(types::ConnectorUpdate {
            name,
            description: self.description.as_deref().map(Into::into),
            enabled: self.enabled,
        })
    }
}

impl<'a> Connectors<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Connectors { client }
    }

    /// The connector with this id.
    pub async fn get(&self, id: impl AsRef<str>) -> Result<Connector> {
        let id = parse_id(Input::ConnectorId, id.as_ref())?;
        self.client
            .send(|wire, customer, microtenant| {
                Box::pin(
                    wire.get_connector()
                        .customer_id(customer)
                        .connector_id(id.clone())
                        .scoped(microtenant)
                        .send(),
                )
            })
            .await
            .map(|answer| answer.into_inner())
    }

    /// All connectors, or those a search selects: see [`List`].
    pub fn list(&self) -> ListConnectors {
        List::new(self.client)
    }

    /// The connector named exactly `name`: [`Error::NotFound`] when none is,
    /// [`Error::Ambiguous`] when several are.
    ///
    /// The server is asked for `name EQ <name>` (spaces, `&`, `+`, quotes and
    /// non-ASCII are encoded, never stripped or cut), and only exact,
    /// case-sensitive matches are kept. A name the search syntax cannot carry
    /// (one containing the word `AND` between spaces, or with spaces at
    /// either end) is found by listing every connector instead.
    pub async fn by_name(&self, name: &str) -> Result<Connector> {
        let filter = Filter::new().and(ConnectorField::Name, Op::Eq, name);
        let listing = match filter.validate() {
            Ok(()) => self.list().filter(filter),
            Err(_) => self.list(),
        };
        let matches: Vec<Connector> = listing
            .items()
            .try_filter(|connector| futures::future::ready(connector.name == name))
            .try_collect()
            .await?;
        exactly_one(
            matches,
            || format!("connector named {name:?}"),
            |c| c.id.to_string(),
        )
    }

    /// Disconnected connectors whose last disconnection is older than
    /// `older_than`: `controlChannelStatus EQ ZPN_STATUS_DISCONNECTED AND
    /// lastBrokerDisconnectTimeDuration GT <older_than>`.
    pub fn stale(&self, older_than: ZpaDuration) -> ListConnectors {
        self.list().filter(
            Filter::new()
                .and(
                    ConnectorField::ControlChannelStatus,
                    Op::Eq,
                    "ZPN_STATUS_DISCONNECTED",
                )
                .and(
                    ConnectorField::LastBrokerDisconnectTimeDuration,
                    Op::Gt,
                    older_than,
                ),
        )
    }

    /// Changes the fields set in `update`. Refused by the API for connectors
    /// managed by Zscaler Deception.
    pub async fn update(&self, id: impl AsRef<str>, update: &ConnectorUpdate) -> Result<()> {
        let id = parse_id(Input::ConnectorId, id.as_ref())?;
        let body = update.to_wire()?;
        self.client
            .send(|wire, customer, microtenant| {
                Box::pin(
                    wire.update_connector()
                        .customer_id(customer)
                        .connector_id(id.clone())
                        .body(body.clone())
                        .scoped(microtenant)
                        .send(),
                )
            })
            .await
            .map(drop)
    }

    /// Deletes the connector. Refused by the API for connectors managed by
    /// Zscaler Deception.
    pub async fn delete(&self, id: impl AsRef<str>) -> Result<()> {
        let id = parse_id(Input::ConnectorId, id.as_ref())?;
        self.client
            .send(|wire, customer, microtenant| {
                Box::pin(
                    wire.delete_connector()
                        .customer_id(customer)
                        .connector_id(id.clone())
                        .scoped(microtenant)
                        .send(),
                )
            })
            .await
            .map(drop)
    }

    /// Deletes connectors found by a listing, wherever they live: one bulk
    /// delete per microtenant, since a write without `microtenantId` acts on
    /// the Default microtenant only. Connectors Zscaler manages
    /// (`zscalerManaged`, such as Zscaler Deception's decoys) are left alone:
    /// the API refuses to delete them, and would refuse the whole bulk
    /// delete with them. Returns how many were deleted; stops at the first
    /// failure (list again to see what is left).
    pub async fn delete_listed<C: Borrow<ConnectorFields>>(
        &self,
        connectors: &[C],
    ) -> Result<usize> {
        let mut groups: Vec<(Option<&str>, Vec<&str>)> = Vec::new();
        let deletable = connectors
            .iter()
            .map(Borrow::borrow)
            .filter(|connector| Self::deletable(connector));
        for connector in deletable {
            let tenant = connector.microtenant_id.as_ref().map(|id| id.as_str());
            match groups.iter_mut().find(|(t, _)| *t == tenant) {
                Some((_, ids)) => ids.push(connector.id.as_str()),
                None => groups.push((tenant, vec![connector.id.as_str()])),
            }
        }
        let mut deleted = 0;
        for (tenant, ids) in groups {
            let scoped = match tenant {
                Some(tenant) if self.client.microtenant.is_none() => {
                    self.client.microtenant(tenant)?
                }
                _ => self.client.clone(),
            };
            scoped.connectors().bulk_delete(&ids).await?;
            deleted += ids.len();
        }
        Ok(deleted)
    }

    /// Whether the API deletes this connector: not when Zscaler manages it
    /// (`zscalerManaged`, such as Zscaler Deception's decoys).
    pub fn deletable(connector: &ConnectorFields) -> bool {
        connector.zscaler_managed != Some(true)
    }

    /// Deletes several connectors in one request. It is a POST, so it is
    /// never sent twice: after a failure that may have been applied, list
    /// again to see what is left.
    pub async fn bulk_delete(&self, ids: impl IntoIterator<Item = impl AsRef<str>>) -> Result<()> {
        let ids = ids
            .into_iter()
            .map(|id| parse_id(Input::ConnectorId, id.as_ref()))
            .collect::<Result<Vec<_>>>()?;
        if ids.is_empty() {
            return Err(Error::invalid(Input::Ids, "no connector to delete"));
        }
        self.client
            .send(|wire, customer, microtenant| {
                Box::pin(
                    wire.bulk_delete_connectors()
                        .customer_id(customer)
                        .body(types::BulkDelete { ids: ids.clone() })
                        .scoped(microtenant)
                        .send(),
                )
            })
            .await
            .map(drop)
    }
}

/// Connectors, as a [`List`] kind.
#[derive(Clone, Copy, Debug)]
pub struct ConnectorKind;

impl paginate::sealed::Sealed for ConnectorKind {}

/// A connector listing; see [`List`].
pub type ListConnectors = List<ConnectorKind>;

impl Kind for ConnectorKind {
    type Field = ConnectorField;
    type Item = Connector;

    fn fetch(list: List<Self>, page: u32) -> BoxFuture<'static, Result<Page<Connector>>> {
        Box::pin(async move {
            let search = list.search_text();
            let answer = list
                .client
                .send(|wire, customer, microtenant| {
                    let mut request = wire
                        .list_connectors()
                        .customer_id(customer)
                        .page(page)
                        .pagesize(list.page_size)
                        .scoped(microtenant);
                    if let Some(search) = &search {
                        request = request.search(search.clone());
                    }
                    Box::pin(request.send())
                })
                .await?
                .into_inner();
            Ok(Page::new(
                page,
                answer.list,
                answer.total_pages,
                answer.total_count,
            ))
        })
    }
}
