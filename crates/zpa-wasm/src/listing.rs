//! What every listing takes from JavaScript: a search and a page size, and
//! for one page its number.

use js_sys::Promise;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::future_to_promise;
use zpa::{Kind, List};

use crate::convert::{PageOut, output};
use crate::errors::to_js;
use crate::shape::{COUNT, Field, Input, Interface, Shape, read, read_or_default};
use crate::stream::ItemStream;

/// Which items a listing returns.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ListOptions {
    search: Option<String>,
    page_size: Option<u32>,
}

impl ListOptions {
    pub fn apply<K: zpa::Kind>(&self, mut list: zpa::List<K>) -> zpa::List<K> {
        if let Some(search) = &self.search {
            list = list.search(search);
        }
        if let Some(size) = self.page_size {
            list = list.page_size(size);
        }
        list
    }
}

impl Input for ListOptions {
    fn shape() -> Interface {
        Interface {
            name: "ListOptions",
            doc: "Which items a listing returns.",
            fields: vec![
                Field::optional(
                    "search",
                    Shape::Text,
                    "Search expression, such as \"controlChannelStatus EQ ZPN_STATUS_DISCONNECTED\".",
                ),
                Field::optional("pageSize", COUNT, "Items per page, 1 to 500 (default 500)."),
            ],
        }
    }
}

/// The options of a listing, whose one page JavaScript can ask for.
pub trait Listing: Input {
    /// The interface of one page's options.
    const PAGE: &'static str;
}

impl Listing for ListOptions {
    const PAGE: &'static str = "PageOptions";
}

/// One page of a listing: its options and the page number.
#[derive(Deserialize)]
pub struct Paged<L> {
    #[serde(flatten)]
    pub list: L,
    pub page: u32,
}

impl<L: Listing> Input for Paged<L> {
    fn shape() -> Interface {
        let mut fields = L::shape().fields;
        fields.push(Field::required("page", COUNT, "Page number, from 1."));
        Interface {
            name: L::PAGE,
            doc: "One page of a listing, with the listing's options.",
            fields,
        }
    }
}

/// Every item of `list` with the JavaScript `options` (a `ListOptions`, or
/// nothing) applied, as a listing JavaScript iterates.
pub fn items<K: Kind>(list: List<K>, options: Option<JsValue>) -> Result<ItemStream, JsValue>
where
    K::Item: Serialize,
{
    let options: ListOptions = read_or_default("options", &options.unwrap_or_default())?;
    Ok(ItemStream::new(options.apply(list).pages()))
}

/// One page of `list`, with the JavaScript `options` (a `PageOptions`)
/// applied: `{ items, page, totalPages, totalCount }`.
pub fn page<K: Kind>(list: List<K>, options: JsValue) -> Promise
where
    K::Item: Serialize,
{
    future_to_promise(async move {
        let options: Paged<ListOptions> = read("options", &options)?;
        let page = options
            .list
            .apply(list)
            .page(options.page)
            .await
            .map_err(to_js)?;
        output(&PageOut::from(page))
    })
}
