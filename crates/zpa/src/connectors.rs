//! App Connectors: get, list, update, delete, bulk delete, and the stale
//! connector report.

use std::borrow::Borrow;

use serde::{Deserialize, Serialize};

use zpa_client::types::{self, Connector, ConnectorFields};
use zpa_client::wire::Id;

use crate::client::{Client, parse_id};
use crate::error::{Error, Result};
use crate::input::Input;
use crate::locate::{Groups, Target, misses_object, target_id};
use crate::lookup;
use crate::microtenant::Scoped;
use crate::paginate::{self, Kind, List, Page};
use crate::search::{ConnectorField, Filter, Op};
use zpa_client::BoxFuture;
use zpa_client::wire::ZpaDuration;

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
/// left as they are. With serde: `{"name", "description", "enabled"}`, each
/// optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ConnectorUpdate {
    /// New name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Enable or disable the connector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
        List::new(self.client, ConnectorKind)
    }

    /// The connector named exactly `name`: [`Error::NotFound`] when none is,
    /// [`Error::Ambiguous`] (each candidate with its microtenant) when
    /// several are.
    ///
    /// The server is asked for `name EQ <name>` (spaces, `&`, `+`, quotes and
    /// non-ASCII are encoded, never stripped or cut), and only exact,
    /// case-sensitive matches are kept. A name the search syntax cannot carry
    /// (one containing the word `AND` between spaces, or with spaces at
    /// either end) is found by listing every connector instead. An empty
    /// name, one with control characters or longer than 512 characters is
    /// refused before any request.
    pub async fn by_name(&self, name: &str) -> Result<Connector> {
        lookup::by_name(self.list(), ConnectorField::Name, name, "connector").await
    }

    /// Disconnected connectors whose last disconnection is older than
    /// `older_than`: `controlChannelStatus EQ ZPN_STATUS_DISCONNECTED AND
    /// lastBrokerDisconnectTimeDuration GT <older_than>`. A duration over
    /// 36,500 days is refused as an invalid search, before any request.
    pub fn stale(&self, older_than: ZpaDuration) -> ListConnectors {
        self.list().filter(Connectors::stale_filter(older_than))
    }

    /// The search [`Connectors::stale`] lists by, to add clauses of one's
    /// own to.
    pub fn stale_filter(older_than: ZpaDuration) -> Filter<ConnectorField> {
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
            )
    }

    /// Changes the fields set in `update`. `connector` is its id, or the
    /// connector itself; either way the write reaches it in whichever
    /// microtenant it lives (see [`Target`]). Refused by the API for
    /// connectors managed by Zscaler Deception.
    pub async fn update(&self, connector: impl Target, update: &ConnectorUpdate) -> Result<()> {
        let id = target_id(Input::ConnectorId, &connector)?;
        let body = update.to_wire()?;
        self.client
            .write_where_it_lives(
                &format!("connector {id}"),
                &connector,
                |wire, customer, microtenant| {
                    Box::pin(
                        wire.update_connector()
                            .customer_id(customer)
                            .connector_id(id.clone())
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

    /// Deletes the connector, wherever it lives (see [`Target`]). Refused
    /// by the API for connectors managed by Zscaler Deception.
    pub async fn delete(&self, connector: impl Target) -> Result<()> {
        let id = target_id(Input::ConnectorId, &connector)?;
        self.client
            .write_where_it_lives(
                &format!("connector {id}"),
                &connector,
                |wire, customer, microtenant| {
                    Box::pin(
                        wire.delete_connector()
                            .customer_id(customer)
                            .connector_id(id.clone())
                            .scoped(microtenant)
                            .send(),
                    )
                },
                home(id.clone()),
            )
            .await
            .map(drop)
    }

    /// Deletes connectors found by a listing, wherever they live: one bulk
    /// delete per microtenant, since a write without `microtenantId` acts on
    /// the Default microtenant only. Connectors Zscaler manages
    /// (`zscalerManaged`, such as Zscaler Deception's decoys) are left alone:
    /// the API refuses to delete them, and would refuse the whole bulk
    /// delete with them. Returns how many were deleted. A failure after the
    /// first microtenant's delete is [`Error::PartlyDeleted`], naming those
    /// already deleted.
    pub async fn delete_listed<C: Borrow<ConnectorFields>>(
        &self,
        connectors: &[C],
    ) -> Result<usize> {
        let mut groups = Groups::default();
        for connector in connectors.iter().map(Borrow::borrow) {
            if Self::deletable(connector) {
                groups.add(connector.microtenant_id.clone(), connector.id.clone());
            }
        }
        self.delete_groups(groups).await
    }

    /// Whether the API deletes this connector: not when Zscaler manages it
    /// (`zscalerManaged`, such as Zscaler Deception's decoys).
    pub fn deletable(connector: &ConnectorFields) -> bool {
        connector.zscaler_managed != Some(true)
    }

    /// Deletes several connectors by id, wherever they live. A handle
    /// scoped to a microtenant sends one request there. Otherwise one
    /// request goes to Default; when it names connectors Default does not
    /// hold, each is looked up (one GET, without a microtenant) and the
    /// deletes go out again, one per microtenant: the API deletes nothing
    /// of a request it refuses. Connectors that exist nowhere are
    /// [`Error::NotFound`] before anything is deleted.
    ///
    /// Each request is a POST, never sent twice: after a failure that may
    /// have been applied, list again to see what is left. A failure after a
    /// first microtenant's delete is [`Error::PartlyDeleted`].
    pub async fn bulk_delete(&self, ids: impl IntoIterator<Item = impl AsRef<str>>) -> Result<()> {
        let ids = ids
            .into_iter()
            .map(|id| parse_id(Input::ConnectorId, id.as_ref()))
            .collect::<Result<Vec<_>>>()?;
        if ids.is_empty() {
            return Err(Error::invalid(Input::Ids, "no connector to delete"));
        }
        let missed = match self.client.bulk_delete(&ids).await {
            Err(error) if self.client.microtenant.is_none() && misses_object(&error) => error,
            Err(error) if misses_object(&error) => {
                return Err(Error::NotFound {
                    what: format!(
                        "connectors {} in {}",
                        Listed(&ids),
                        self.client.microtenant_words()
                    ),
                });
            }
            done => return done,
        };
        // The ids the refusal names, when it names them; else all of them.
        let named: Vec<&Id> = match &missed {
            Error::Api { params, .. } => ids
                .iter()
                .filter(|id| params.iter().any(|p| p == id.as_str()))
                .collect(),
            _ => Vec::new(),
        };
        let named = if named.is_empty() {
            ids.iter().collect()
        } else {
            named
        };
        let mut groups = Groups::default();
        let mut nowhere = Vec::new();
        for id in &ids {
            if !named.contains(&id) {
                groups.add(None, id.clone());
                continue;
            }
            match self.get(id).await {
                Ok(connector) => groups.add(connector.microtenant_id.clone(), id.clone()),
                Err(error) if error.is_not_found() => nowhere.push(id.clone()),
                Err(error) => return Err(error),
            }
        }
        if !nowhere.is_empty() {
            return Err(Error::NotFound {
                what: format!(
                    "connectors {} in the Default microtenant, nor in any other these credentials can read",
                    Listed(&nowhere)
                ),
            });
        }
        self.delete_groups(groups).await.map(drop)
    }

    /// One bulk delete per microtenant, Default first.
    async fn delete_groups(&self, groups: Groups) -> Result<usize> {
        let deleted = groups
            .delete_each(self.client, |client, ids| async move {
                client.bulk_delete(&ids).await.map(|()| true)
            })
            .await?;
        Ok(deleted.len())
    }
}

/// Ids as a list in a message: `1, 2, 3`.
struct Listed<'a>(&'a [Id]);

impl std::fmt::Display for Listed<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, id) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(id.as_str())?;
        }
        Ok(())
    }
}

/// Reads a connector from every microtenant and says where it lives.
fn home(id: Id) -> impl FnOnce(Client) -> BoxFuture<'static, Result<Option<Id>>> {
    move |client| {
        Box::pin(async move {
            let connector = client.connectors().get(&id).await?;
            Ok(connector.microtenant_id.clone())
        })
    }
}

impl Client {
    /// One bulk delete request, in this handle's scope.
    async fn bulk_delete(&self, ids: &[Id]) -> Result<()> {
        self.send(|wire, customer, microtenant| {
            Box::pin(
                wire.bulk_delete_connectors()
                    .customer_id(customer)
                    .body(types::BulkDelete { ids: ids.to_vec() })
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
            list.fetch_page(page, |wire, customer, microtenant, search| {
                let mut request = wire
                    .list_connectors()
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
