//! Listings: one page with its totals, or every item as a lazy stream that
//! fetches the next pages while the caller works through page k.

use std::collections::{HashSet, VecDeque};
use std::pin::Pin;

use futures::future::RemoteHandle;
use futures::{Stream, TryStreamExt, stream};
use zpa_client::BoxFuture;
use zpa_client::types::{ApplicationSegment, Approval, Connector, SegmentApp};
use zpa_client::wire::{Id, Int64String, Lossless};

use crate::client::Client;
use crate::error::{Error, Result};
use crate::input::Input;
pub use crate::prefetch::MAX_PAGES_IN_FLIGHT;
use crate::prefetch::Reach;
use crate::runtime::{MaybeSend, available, spawn};
use crate::search::{ApprovalField, Field, Filter, InvalidSearch};
use crate::transport::WireResult;

/// The page size streams use unless told otherwise: the API's maximum.
pub const MAX_PAGE_SIZE: u32 = 500;

/// One page of a listing, with the totals the API reported for it.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    /// The items on this page (none past the last page).
    pub items: Vec<T>,
    /// This page's number, from 1.
    pub page: u32,
    /// Pages in the whole listing at the time of this page.
    pub total_pages: u32,
    /// Items in the whole listing, when the API says.
    pub total_count: Option<u64>,
}

impl<T> Page<T> {
    pub(crate) fn new(
        page: u32,
        items: Vec<T>,
        total_pages: Option<Int64String>,
        total_count: Option<Int64String>,
    ) -> Self {
        Page {
            items,
            page,
            total_pages: total_pages
                .map_or(0, |n| u32::try_from(n.get().max(0)).unwrap_or(u32::MAX)),
            total_count: total_count.and_then(|n| u64::try_from(n.get()).ok()),
        }
    }
}

/// A stream of pages; `Send` on native targets.
#[cfg(not(target_arch = "wasm32"))]
pub type PageStream<T> = Pin<Box<dyn Stream<Item = Result<Page<T>>> + Send>>;
/// A stream of pages; `Send` on native targets.
#[cfg(target_arch = "wasm32")]
pub type PageStream<T> = Pin<Box<dyn Stream<Item = Result<Page<T>>>>>;

/// A stream of items; `Send` on native targets.
#[cfg(not(target_arch = "wasm32"))]
pub type ItemStream<T> = Pin<Box<dyn Stream<Item = Result<T>> + Send>>;
/// A stream of items; `Send` on native targets.
#[cfg(target_arch = "wasm32")]
pub type ItemStream<T> = Pin<Box<dyn Stream<Item = Result<T>>>>;

/// Objects with an id, so that a stream can drop one seen twice.
#[doc(hidden)]
pub trait Identified {
    fn id(&self) -> &Id;
}

impl Identified for Connector {
    fn id(&self) -> &Id {
        &self.id
    }
}

impl Identified for Approval {
    fn id(&self) -> &Id {
        &self.id
    }
}

impl Identified for ApplicationSegment {
    fn id(&self) -> &Id {
        &self.id
    }
}

impl Identified for SegmentApp {
    fn id(&self) -> &Id {
        &self.id
    }
}

fn check_page_size(page_size: u32) -> Result<()> {
    if (1..=MAX_PAGE_SIZE).contains(&page_size) {
        Ok(())
    } else {
        Err(Error::invalid(
            Input::PageSize,
            format!("{page_size} is not between 1 and {MAX_PAGE_SIZE}"),
        ))
    }
}

fn check_page(page: u32) -> Result<()> {
    if page >= 1 {
        Ok(())
    } else {
        Err(Error::invalid(Input::Page, "pages are numbered from 1"))
    }
}

struct Cursor<K: Kind> {
    list: List<K>,
    next: u32,
    /// The fetches of pages `next`, `next + 1`...: started while the caller
    /// had the page before.
    ahead: VecDeque<RemoteHandle<Result<Page<K::Item>>>>,
    /// The next page not yet requested.
    requested: u32,
    /// How far ahead to fetch, and which fetches may decode.
    reach: Reach,
    /// Ids of the page before, to drop an item that moved across the page
    /// boundary when something was inserted ahead of it.
    previous_ids: HashSet<Id>,
    done: bool,
}

impl<K: Kind> Cursor<K> {
    /// Starts fetching page `page` in the background.
    fn fetch(&self, page: u32) -> RemoteHandle<Result<Page<K::Item>>> {
        spawn(self.reach.scope(page, K::fetch(self.list.clone(), page)))
    }
}

/// Every page from 1 to the last one the API reports, with as many
/// requested ahead of the one handed out as the link needs (see `prefetch`).
fn pages<K: Kind>(list: List<K>) -> PageStream<K::Item> {
    let checked = list
        .check()
        .and(check_page_size(list.page_size))
        .and(check_page(list.first_page));
    if let Err(error) = checked {
        return Box::pin(stream::once(async { Err(error) }));
    }
    let first = list.first_page;
    let cursor = Cursor {
        list,
        next: first,
        ahead: VecDeque::new(),
        requested: first,
        reach: Reach::from_page(first),
        previous_ids: HashSet::new(),
        done: false,
    };
    Box::pin(stream::unfold(cursor, |mut cursor| async move {
        if cursor.done {
            return None;
        }
        if let Err(error) = available() {
            cursor.done = true;
            return Some((Err(error), cursor));
        }
        let number = cursor.next;
        let fetch = match cursor.ahead.pop_front() {
            Some(fetch) => fetch,
            None => {
                cursor.requested = number + 1;
                cursor.fetch(number)
            }
        };
        let mut page = match fetch.await {
            Ok(page) => page,
            Err(error) => {
                cursor.done = true;
                return Some((Err(error), cursor));
            }
        };
        cursor.next += 1;
        if cursor.next > page.total_pages {
            cursor.done = true;
        }
        cursor.reach.took(number);
        let last = page
            .total_pages
            .min(number.saturating_add(cursor.reach.window()));
        while cursor.requested <= last {
            let fetch = cursor.fetch(cursor.requested);
            cursor.ahead.push_back(fetch);
            cursor.requested += 1;
        }
        page.items
            .retain(|item| !cursor.previous_ids.contains(item.id()));
        cursor.previous_ids.clear();
        cursor
            .previous_ids
            .extend(page.items.iter().map(|item| item.id().clone()));
        Some((Ok(page), cursor))
    }))
}

/// The kinds of object a [`List`] can list: connectors, approvals,
/// application segments, or the applications of one type.
pub trait Kind: sealed::Sealed + Clone + Send + Sync + 'static {
    /// The fields a search can name.
    type Field: Field + Send + Sync;
    /// What the listing yields.
    type Item: Identified + MaybeSend + 'static;

    #[doc(hidden)]
    fn fetch(list: List<Self>, page: u32) -> BoxFuture<'static, Result<Page<Self::Item>>>;
}

pub(crate) mod sealed {
    /// Only this crate defines kinds of listing.
    pub trait Sealed {}
}

/// Sort direction for approval listings, written `asc` and `desc` (the API
/// writes them `ASC` and `DSC`, which read as well).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Ascending (`asc`).
    Ascending,
    /// Descending (`desc`).
    Descending,
}

impl Direction {
    /// Both directions.
    pub const ALL: [Direction; 2] = [Direction::Ascending, Direction::Descending];

    /// `asc` or `desc`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ascending => "asc",
            Direction::Descending => "desc",
        }
    }
}

/// Reads `asc` or `desc` in any case, and the API's `DSC`.
impl std::str::FromStr for Direction {
    type Err = Error;

    fn from_str(text: &str) -> Result<Direction> {
        match text.to_ascii_lowercase().as_str() {
            "asc" => Ok(Direction::Ascending),
            "desc" | "dsc" => Ok(Direction::Descending),
            _ => Err(Error::not_one_of(
                Input::Direction,
                text,
                Direction::ALL.map(Direction::as_str),
            )),
        }
    }
}

/// `asc` or `desc`.
impl std::fmt::Display for Direction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A listing query: one page with [`List::page`], or every item with
/// [`List::items`]. Nothing is sent until one of those is called.
///
/// ```no_run
/// # async fn run(zpa: zpa::Client) -> zpa::Result<()> {
/// use futures::TryStreamExt;
/// use zpa::{ApprovalField, Direction};
///
/// let first = zpa.connectors().list().search("enabled EQ false").page(1).await?;
/// println!("{} of {:?}", first.items.len(), first.total_count);
///
/// let mut ending = zpa
///     .approvals()
///     .list()
///     .sort(ApprovalField::EndTime, Direction::Descending)
///     .items();
/// // Dropping the stream early (take, break, select!) cancels what it prefetched.
/// while let Some(approval) = ending.try_next().await? {
///     println!("{} {:?}", approval.id, approval.end_time);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct List<K: Kind> {
    pub(crate) client: Client,
    /// What is listed, with what the listing needs to know of it.
    pub(crate) kind: K,
    pub(crate) filter: std::result::Result<Option<Filter<K::Field>>, InvalidSearch>,
    pub(crate) page_size: u32,
    pub(crate) sort: Option<(ApprovalField, Direction)>,
    /// The page a stream starts at.
    pub(crate) first_page: u32,
}

impl<K: Kind> List<K> {
    pub(crate) fn new(client: &Client, kind: K) -> Self {
        List {
            client: client.clone(),
            kind,
            filter: Ok(None),
            page_size: MAX_PAGE_SIZE,
            sort: None,
            first_page: 1,
        }
    }

    /// Only what `filter` selects.
    pub fn filter(mut self, filter: Filter<K::Field>) -> Self {
        self.filter = filter.validate().map(|()| Some(filter));
        self
    }

    /// Only what the search text selects, such as
    /// `controlChannelStatus EQ ZPN_STATUS_DISCONNECTED`. A text that does
    /// not parse is reported, with its position, by the call that lists.
    pub fn search(mut self, text: &str) -> Self {
        self.filter = Filter::parse(text).map(Some);
        self
    }

    /// Items per page, 1 to 500 (default 500).
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = page_size;
        self
    }

    /// Streams start at page `page` (from 1) instead of the first: to go on
    /// with a listing where an earlier one stopped.
    pub fn starting_at(mut self, page: u32) -> Self {
        self.first_page = page;
        self
    }

    /// One page (from 1) with the listing's totals.
    pub async fn page(&self, page: u32) -> Result<Page<K::Item>> {
        self.check()?;
        check_page(page)?;
        check_page_size(self.page_size)?;
        K::fetch(self.clone(), page).await
    }

    /// Every page, fetching the next ones while the caller handles the
    /// current: two decoded ahead, and on a link with a long round trip up
    /// to [`MAX_PAGES_IN_FLIGHT`] requested (the others wait as the JSON
    /// that came).
    pub fn pages(self) -> PageStream<K::Item> {
        pages(self)
    }

    /// Every item, page after page.
    pub fn items(self) -> ItemStream<K::Item> {
        Box::pin(
            pages(self)
                .map_ok(|page| stream::iter(page.items.into_iter().map(Ok)))
                .try_flatten(),
        )
    }

    /// Page `page` of the listing: `operation` builds the listing request
    /// from the generated client, the customer id, the microtenant scope
    /// and the search text, each time it is sent.
    pub(crate) async fn fetch_page<P: zpa_client::page::Page>(
        &self,
        page: u32,
        operation: impl for<'a> Fn(
            &'a zpa_client::Client,
            Id,
            &Option<Id>,
            Option<String>,
        ) -> BoxFuture<'a, WireResult<P>>,
    ) -> Result<Page<Lossless<P::Fields>>> {
        let search = self.search_text();
        let parts = self
            .client
            .send(|wire, customer, microtenant| {
                operation(wire, customer, microtenant, search.clone())
            })
            .await?
            .into_inner()
            .into_parts();
        Ok(Page::new(
            page,
            parts.list,
            parts.total_pages,
            parts.total_count,
        ))
    }

    /// The search text sent, if any.
    pub(crate) fn search_text(&self) -> Option<String> {
        self.filter
            .as_ref()
            .ok()
            .and_then(Option::as_ref)
            .map(ToString::to_string)
    }

    fn check(&self) -> Result<()> {
        match &self.filter {
            Ok(_) => Ok(()),
            Err(error) => Err(Error::invalid(
                Input::Search,
                format!("at character {}: {}", error.position, error.reason),
            )),
        }
    }
}
