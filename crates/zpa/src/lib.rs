//! A client for the Zscaler Private Access (ZPA) management API: App
//! Connectors and Privileged Approvals, and the application segments
//! approvals name.
//!
//! - **Authentication**: a static token, the legacy `/signin`, or OneAPI
//!   client credentials; tokens are shared, renewed ahead of expiry and once
//!   more on a 401. Secrets never appear in `Debug`, errors or logs.
//! - **Rate limiting**: paced to ZPA's 20 GET and 10 writes per 10 s by
//!   default, so a steady workload sees no 429, and to the budget a server
//!   advertises in its `x-ratelimit-*` headers, whichever is stricter; the
//!   pace drops while refusals show that others spend the budget, and with
//!   the `redis` feature many processes share one budget ([`Sharing`]).
//! - **Retries**: 429 after its `retry-after`; edit locks, concurrent-change
//!   refusals and `Resource Access Blocked` with backoff, whatever the method
//!   (the server did not act); 5xx and transport errors with backoff for GET,
//!   PUT and DELETE; a POST that may have been applied is never replayed.
//! - **Compression**: answers are asked for and read gzip-compressed.
//! - **Pagination**: [`List::page`] for one page, [`List::items`] for a lazy
//!   stream that fetches the next pages while you handle the current one, as
//!   many as the link's round trip needs.
//! - **Search**: a typed [`Filter`] or the text form, checked before sending.
//! - **Approvals**: validated requests, with the UTC working-hours crons
//!   computed for you ([`WorkingHours`]), naming application segments by id
//!   or by exact name ([`ApplicationRef`], looked up in one request for one
//!   name; [`Applications`] lists and finds segments).
//! - **Microtenants**: reads see every microtenant the credentials can;
//!   updates and deletes by id reach the object in whichever one it lives
//!   (one request in Default or when given the object, three otherwise:
//!   [`Target`]).
//! - **Your own parts**: a `reqwest::Client` ([`ClientBuilder::http_client`]),
//!   a [`TokenProvider`], deadlines per attempt, per connection and per call,
//!   and [`Client::request`] for endpoints this crate does not wrap.
//! - **Errors** say what happened the same way whatever the method:
//!   [`Error::is_not_found`], [`Error::is_retryable`], [`Error::retry_after`];
//!   bad input names a typed [`Input`] before any request.
//! - **Fidelity**: nothing an answer carries is lost: fields the model does
//!   not know are in each object's `extra`, and connectors and approvals keep
//!   the JSON as sent ([`model`]).
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use zpa::{Client, ZpaDuration};
//!
//! # async fn run() -> zpa::Result<()> {
//! let zpa = Client::builder()
//!     .customer_id("217246660302995456")
//!     .client_credentials("client-id", "client-secret")
//!     .build()?;
//! let mut stale = zpa.connectors().stale(ZpaDuration::days(15)).items();
//! while let Some(connector) = stale.try_next().await? {
//!     println!("{} {}", connector.id, connector.name);
//! }
//! # Ok(()) }
//! ```
//!
//! Native targets need a tokio runtime (without one, calls fail with
//! [`Error::NoRuntime`]); the crate also builds for `wasm32-unknown-unknown`,
//! where it uses the browser's `fetch` and timers. `examples/service.rs`
//! shows a service's use: its own HTTP client, deadlines, errors told apart,
//! cancellation.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[macro_use]
mod diagnostics;

mod applications;
mod approvals;
#[cfg(all(feature = "private-key", not(target_arch = "wasm32")))]
mod assertion;
mod auth;
mod client;
mod config;
mod connectors;
mod epoch;
mod error;
mod input;
mod locate;
mod lookup;
#[cfg(not(target_arch = "wasm32"))]
mod merge;
mod microtenant;
mod paginate;
mod prefetch;
mod rate_limit;
mod request;
mod retry;
mod runtime;
mod search;
mod secret;
mod time_zone;
mod transport;
mod working_hours;

pub use applications::{
    APPLICATION_TYPES, ApplicationRef, Applications, ListApplications, ListSegmentApps,
};
pub use approvals::{ApprovalChange, ApprovalRequest, Approvals, ListApprovals};
pub use auth::{AccessToken, TokenProvider};
pub use client::Client;
pub use config::{ClientBuilder, Cloud};
pub use connectors::{ConnectorUpdate, Connectors, ListConnectors};
pub use epoch::EpochSeconds;
pub use error::{Candidate, Error, Result};
pub use input::{Input, Setting};
pub use locate::Target;
pub use paginate::{
    Direction, ItemStream, List, MAX_PAGE_SIZE, MAX_PAGES_IN_FLIGHT, Page, PageStream,
};
pub use zpa_client::wire::{InvalidDuration, ZpaDuration};
// What a `List` lists: sealed, named only through `ListConnectors`,
// `ListApprovals`, `ListApplications` and `ListSegmentApps`; public because
// `List`'s signatures mention them.
#[doc(hidden)]
pub use applications::{ApplicationKind, SegmentAppKind};
#[doc(hidden)]
pub use approvals::ApprovalKind;
#[doc(hidden)]
pub use connectors::ConnectorKind;
#[doc(hidden)]
pub use paginate::Kind;
pub use rate_limit::{RateLimit, RateLimitSetting, Sharing};
pub use request::{Request, Response};
pub use reqwest::Method;
pub use retry::RetryPolicy;
// For the fuzz targets and property tests, which read it from outside.
#[doc(hidden)]
pub use retry::parse_retry_after;
pub use search::{
    ApplicationField, ApprovalField, Clause, ConnectorField, Field, FieldKind, Filter,
    InvalidSearch, Op, SegmentAppField,
};
pub use secret::Secret;
pub use working_hours::{Weekday, WorkingHours};
pub use zpa_client::BoxFuture;

/// The objects the API returns, as the generated client decodes them.
///
/// [`Connector`], [`Approval`], [`ApplicationSegment`] and [`SegmentApp`]
/// keep the JSON the server sent
/// ([`Lossless`](crate::model::Lossless)): their typed fields read through `Deref`, fields this
/// crate does not model yet are in `extra` (on every object, nested ones
/// included), and [`Lossless::json`](crate::model::Lossless::json) gives the object byte for byte.
/// Their strings are [`CompactString`](crate::model::CompactString)s, short
/// ones held inline: `&str` through `Deref`, a `String` through `String::from`.
///
/// ```
/// let connector: zpa::Connector = serde_json::from_str(
///     r#"{"id":"72057594037930043","name":"edge-1","tunnelMode":{"v":2},"enrollmentCert":{"id":"117","issuer":null}}"#,
/// )?;
/// assert_eq!(connector.name, "edge-1");
/// let name: String = connector.name.clone().into();
/// assert_eq!(name.as_str(), &*connector.name);
/// assert_eq!(connector.extra["tunnelMode"]["v"], 2);
/// assert!(connector.enrollment_cert.as_ref().unwrap().extra["issuer"].is_null());
/// assert!(connector.json().contains(r#""tunnelMode":{"v":2}"#));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub mod model {
    pub use zpa_client::types::{
        ApplicationSegment, ApplicationSegmentFields, ApplicationType, Approval, ApprovalFields,
        ApprovalStatus, AssistantVersion, ComponentLevelVersion, Connector, ConnectorFields,
        EnrollmentCert, IpAcl, IpAddrSetting, NpAssistant, PortRange, SegmentApp, SegmentAppFields,
        ServerGroup, SshSetting, WorkingHours, ZpnSubModuleUpgrade,
    };
    pub use zpa_client::wire::{CompactString, Id, Int64String, Lossless};
    // For the JavaScript binding's conversions; not part of the model.
    #[doc(hidden)]
    pub use zpa_client::wire::integers_as_numbers;
}

pub use model::{ApplicationSegment, ApplicationType, Approval, Connector, SegmentApp};

/// The crate's README, compiled and checked as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
