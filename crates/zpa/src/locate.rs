//! Writes that reach an object where it lives.
//!
//! A read without `microtenantId` sees every microtenant the credentials
//! can; a write without it acts on the Default microtenant only (Zscaler's
//! microtenant articles). So a write by id, from a handle with no
//! microtenant of its own, goes where the object lives:
//!
//! - when the caller hands the object as the API returned it, its
//!   `microtenantId` says where (absent: Default): one request;
//! - given only an id, the write goes to Default first, the home of most
//!   objects: one request when it is there. When Default does not hold it,
//!   one GET without a microtenant finds where it lives, and the write is
//!   sent there: three requests (two of them writes). Reading first instead
//!   would cost two requests for every write, to save one for objects
//!   outside Default.
//!
//! A handle scoped to a microtenant ([`Client::microtenant`]) is never
//! overridden. A write that finds the object nowhere is
//! [`Error::NotFound`], naming where it looked.

use progenitor_client::ResponseValue;
use zpa_client::BoxFuture;
use zpa_client::types::{ApprovalFields, ConnectorFields};
use zpa_client::wire::{Id, Lossless};

use crate::client::{Client, parse_id};
use crate::error::{Error, Result};
use crate::input::Input;
use crate::transport::WireResult;

/// What a write names: an id, or an object as the API returned it, which
/// also says which microtenant it lives in.
///
/// ```no_run
/// # async fn run(zpa: zpa::Client) -> zpa::Result<()> {
/// use zpa::ConnectorUpdate;
///
/// let edge = zpa.connectors().get("217246660303444011").await?;
/// // The connector itself: written in its microtenant, in one request.
/// zpa.connectors().update(&edge, &ConnectorUpdate::new().description("rack 7")).await?;
/// // Its id alone: found wherever it lives (see `Connectors::update`).
/// zpa.connectors().delete(&edge.id).await?;
/// # Ok(()) }
/// ```
pub trait Target {
    /// The object's id, as text.
    fn target_id(&self) -> &str;

    /// Where the object lives, when known: `Some(None)` for the Default
    /// microtenant.
    fn home(&self) -> Option<Option<&Id>> {
        None
    }
}

impl Target for str {
    fn target_id(&self) -> &str {
        self
    }
}

impl Target for String {
    fn target_id(&self) -> &str {
        self
    }
}

impl Target for Id {
    fn target_id(&self) -> &str {
        self.as_str()
    }
}

impl Target for ConnectorFields {
    fn target_id(&self) -> &str {
        self.id.as_str()
    }

    fn home(&self) -> Option<Option<&Id>> {
        Some(self.microtenant_id.as_ref())
    }
}

impl Target for ApprovalFields {
    fn target_id(&self) -> &str {
        self.id.as_str()
    }

    fn home(&self) -> Option<Option<&Id>> {
        Some(self.microtenant_id.as_ref())
    }
}

impl<T: Target> Target for Lossless<T> {
    fn target_id(&self) -> &str {
        (**self).target_id()
    }

    fn home(&self) -> Option<Option<&Id>> {
        (**self).home()
    }
}

impl<T: Target + ?Sized> Target for &T {
    fn target_id(&self) -> &str {
        (**self).target_id()
    }

    fn home(&self) -> Option<Option<&Id>> {
        (**self).home()
    }
}

/// Ids by the microtenant their objects live in (`None`: Default), in the
/// order first seen, Default first: for writes of several objects, one
/// request per microtenant.
#[derive(Default)]
pub(crate) struct Groups(pub(crate) Vec<(Option<Id>, Vec<Id>)>);

impl Groups {
    pub(crate) fn add(&mut self, home: Option<Id>, id: Id) {
        let home = home.filter(|m| m.as_str() != "0");
        match self.0.iter_mut().find(|(h, _)| *h == home) {
            Some((_, ids)) => ids.push(id),
            None if home.is_none() => self.0.insert(0, (home, vec![id])),
            None => self.0.push((home, vec![id])),
        }
    }
}

impl Groups {
    /// Runs `write` once per microtenant, Default first, on `client`'s
    /// handle for it (on `client` itself when it is scoped), and returns the
    /// ids of the groups whose write says it deleted something. A failure
    /// after a first write is [`Error::PartlyDeleted`], naming those ids.
    pub(crate) async fn delete_each<F, Fut>(self, client: &Client, write: F) -> Result<Vec<String>>
    where
        F: Fn(Client, Vec<Id>) -> Fut,
        Fut: Future<Output = Result<bool>>,
    {
        let mut deleted: Vec<String> = Vec::new();
        for (home, ids) in self.0 {
            let at = match &client.microtenant {
                Some(_) => client.clone(),
                None => client.at(home.as_ref()),
            };
            match write(at, ids.clone()).await {
                Ok(true) => deleted.extend(ids.iter().map(ToString::to_string)),
                Ok(false) => {}
                Err(error) if deleted.is_empty() => return Err(error),
                Err(error) => {
                    return Err(Error::PartlyDeleted {
                        deleted,
                        error: Box::new(error),
                    });
                }
            }
        }
        Ok(deleted)
    }
}

/// Whether a write's refusal says the object is not in the microtenant it
/// was sent to: not found (404, or 400 `resource.not.found`), or a
/// microtenant-scoped credential's `microtenant.mandatory` (seen live:
/// zscaler/zscaler-terraformer#146).
pub(crate) fn misses_object(error: &Error) -> bool {
    error.is_not_found() || error.api_id() == Some("microtenant.mandatory")
}

impl Client {
    /// This client's handle for the microtenant `home` (`None`: Default,
    /// which a write reaches without a `microtenantId`).
    pub(crate) fn at(&self, home: Option<&Id>) -> Client {
        match home.filter(|id| id.as_str() != "0") {
            Some(id) => Client::new(self.shared.clone(), Some(id.clone())),
            None => Client::new(self.shared.clone(), None),
        }
    }

    /// Where the write to `target` goes first: this handle's microtenant,
    /// else the one the object says, else Default (with a second look, see
    /// [`Client::write_where_it_lives`]).
    fn first_home(&self, target: &(impl Target + ?Sized)) -> (Client, bool) {
        if self.microtenant.is_some() {
            return (self.clone(), false);
        }
        match target.home() {
            Some(home) => (self.at(home), false),
            None => (self.clone(), true),
        }
    }

    /// Sends `operation` (as [`Client::send`] does) where `target` lives:
    /// see the module's notes. `locate` reads the object from every
    /// microtenant and says where it lives; `what` names it in errors, such
    /// as `connector 2172...`.
    pub(crate) async fn write_where_it_lives<T>(
        &self,
        what: &str,
        target: &(impl Target + ?Sized),
        operation: impl for<'a> Fn(
            &'a zpa_client::Client,
            Id,
            &Option<Id>,
        ) -> BoxFuture<'a, WireResult<T>>,
        locate: impl FnOnce(Client) -> BoxFuture<'static, Result<Option<Id>>>,
    ) -> Result<ResponseValue<T>> {
        let (first, may_look) = self.first_home(target);
        let missed = match first.send(&operation).await {
            Err(error) if misses_object(&error) => error,
            done => return done,
        };
        if !may_look {
            return Err(Error::NotFound {
                what: format!("{what} in {}", first.microtenant_words()),
            });
        }
        match locate(self.clone()).await {
            Ok(Some(home)) if home.as_str() != "0" => self.at(Some(&home)).send(&operation).await,
            // It is in Default after all: the write's own refusal stands.
            Ok(_) => Err(missed),
            Err(error) if error.is_not_found() => Err(Error::NotFound {
                what: format!(
                    "{what} in the Default microtenant, nor in any other these credentials can read"
                ),
            }),
            Err(error) => Err(error),
        }
    }

    /// `microtenant 1452...` or `the Default microtenant`, for messages.
    pub(crate) fn microtenant_words(&self) -> String {
        match &self.microtenant {
            Some(id) if id.as_str() != "0" => format!("microtenant {id}"),
            _ => "the Default microtenant".to_owned(),
        }
    }
}

/// The id `target` names, checked as `input`.
pub(crate) fn target_id(input: Input, target: &(impl Target + ?Sized)) -> Result<Id> {
    parse_id(input, target.target_id())
}
