//! What every listing takes from JavaScript: a search and a page size, and
//! for one page its number.

use serde::Deserialize;

use crate::shape::{COUNT, Field, Input, Interface, Shape};

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
