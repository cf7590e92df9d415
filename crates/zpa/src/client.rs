//! The client handle: cheap to clone, shared by every task that uses it.

use std::fmt;
use std::sync::Arc;

use zpa_client::wire::Id;

use crate::approvals::Approvals;
use crate::config::ClientBuilder;
use crate::connectors::Connectors;
use crate::error::{Error, Result};
use crate::transport::Shared;

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

    /// A handle whose every call is scoped to the microtenant `id` (`"0"` is
    /// the Default microtenant). It shares this client's token and limits.
    pub fn microtenant(&self, id: &str) -> Result<Client> {
        Ok(Client {
            shared: self.shared.clone(),
            microtenant: Some(parse_id("microtenant id", id)?),
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
pub(crate) fn parse_id(field: &str, text: &str) -> Result<Id> {
    let valid = !text.is_empty() && text.len() <= 19 && text.bytes().all(|b| b.is_ascii_digit());
    if !valid {
        return Err(Error::invalid(
            field,
            format!("{text:?} is not an id (digits only, at most 19)"),
        ));
    }
    Ok(text.parse().expect("digits are a valid id"))
}
