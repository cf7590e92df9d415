//! The client handle: cheap to clone, shared by every task that uses it.

use std::fmt;
use std::sync::Arc;

use progenitor_client::ResponseValue;
use zpa_client::BoxFuture;
use zpa_client::wire::Id;

use crate::applications::Applications;
use crate::approvals::Approvals;
use crate::config::ClientBuilder;
use crate::connectors::Connectors;
use crate::error::{Error, Result};
use crate::input::{Input, Setting};
use crate::transport::{Shared, WireResult};

/// A ZPA API client. Clones share the token, the rate limiter and the
/// connection pool.
///
/// ```no_run
/// use futures::TryStreamExt;
///
/// # async fn run() -> zpa::Result<()> {
/// let zpa = zpa::Client::from_env()?;
/// let mut connectors = zpa.connectors().list().items();
/// while let Some(connector) = connectors.try_next().await? {
///     println!("{} {}", connector.id, connector.name);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) shared: Arc<Shared>,
    pub(crate) microtenant: Option<Id>,
}

impl Client {
    pub(crate) fn new(shared: Arc<Shared>, microtenant: Option<Id>) -> Self {
        Client {
            shared,
            microtenant,
        }
    }

    /// Sends one operation as this handle: `operation` builds it from the
    /// generated client, the customer id, and the microtenant scope to apply,
    /// each time it is sent.
    pub(crate) async fn send<T>(
        &self,
        operation: impl for<'a> Fn(
            &'a zpa_client::Client,
            Id,
            &Option<Id>,
        ) -> BoxFuture<'a, WireResult<T>>,
    ) -> Result<ResponseValue<T>> {
        let customer = &self.shared.customer_id;
        self.shared
            .send(|wire| operation(wire, customer.clone(), &self.microtenant))
            .await
    }

    /// Settings to build a client from.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured by the environment; see [`ClientBuilder::from_env`].
    pub fn from_env() -> Result<Client> {
        ClientBuilder::from_env()?.build()
    }

    /// App Connector operations.
    pub fn connectors(&self) -> Connectors<'_> {
        Connectors::new(self)
    }

    /// Privileged approval operations.
    pub fn approvals(&self) -> Approvals<'_> {
        Approvals::new(self)
    }

    /// Application segment operations (read-only).
    pub fn applications(&self) -> Applications<'_> {
        Applications::new(self)
    }

    /// A handle whose every call is scoped to the microtenant `id` (`"0"` is
    /// the Default microtenant). It shares this client's token and limits.
    pub fn microtenant(&self, id: &str) -> Result<Client> {
        Ok(Client {
            shared: self.shared.clone(),
            microtenant: Some(parse_id(Setting::Microtenant, id)?),
        })
    }

    /// The customer (tenant) id the client works on.
    pub fn customer_id(&self) -> &str {
        self.shared.customer_id.as_str()
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.shared.base_url)
            .field("customer_id", &self.shared.customer_id)
            .field("microtenant", &self.microtenant)
            .finish_non_exhaustive()
    }
}

/// Ids arrive as text from users; only digits are sent.
pub(crate) fn parse_id(field: impl Into<Input>, text: &str) -> Result<Id> {
    // `Id` also reads the negative ids the API writes in `modifiedBy`; an id
    // a caller names is never negative.
    match text.parse::<Id>() {
        Ok(id) if !text.starts_with('-') => Ok(id),
        _ => Err(Error::invalid(
            field,
            format!("{text:?} is not an id (digits only, at most 19)"),
        )),
    }
}
