//! Printing a listing: one page with `--page`, else every page as it
//! arrives, whatever is listed.

use anyhow::Result;
use futures::TryStreamExt;
use zpa::model::Lossless;
use zpa::{Kind, List};

use crate::cli::Listing;
use crate::failure::api;
use crate::output::{Printer, Row};

/// `list` with the listing options applied (page size, search).
pub fn apply<K: Kind>(list: List<K>, listing: &Listing) -> List<K> {
    let list = list.page_size(listing.page_size);
    match &listing.search {
        Some(search) => list.search(search),
        None => list,
    }
}

/// Prints page `page` of `list`, or every page when `None`, showing each
/// item to `seen`; `what` names the listing in errors.
pub async fn print<K, T>(
    list: List<K>,
    page: Option<u32>,
    printer: &mut Printer,
    what: &str,
    mut seen: impl FnMut(&Lossless<T>),
) -> Result<()>
where
    K: Kind<Item = Lossless<T>>,
    T: Row,
{
    printer.start_list::<T>()?;
    if let Some(number) = page {
        let page = api(
            || format!("{what} (page {number})"),
            list.page(number).await,
        )?;
        printer.expect_total(page.items.len() as u64);
        for item in &page.items {
            printer.item(item)?;
            seen(item);
        }
        printer.flush_page(page.items.len() as u64)?;
        return Ok(printer.end_list()?);
    }
    let mut pages = list.pages();
    while let Some(page) = api(|| what.to_owned(), pages.try_next().await)? {
        if page.page == 1 {
            let total = page
                .total_count
                .unwrap_or(u64::from(page.total_pages) * page.items.len() as u64);
            printer.expect_total(total);
        }
        for item in &page.items {
            printer.item(item)?;
            seen(item);
        }
        printer.flush_page(page.items.len() as u64)?;
    }
    Ok(printer.end_list()?)
}
