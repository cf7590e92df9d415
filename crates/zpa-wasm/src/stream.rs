//! Listings for JavaScript: pages cross from wasm as arrays, and `index.js`
//! makes the stream async-iterable over their items, so that
//! `for await (const c of zpa.connectors.list())` works and leaving the loop
//! early stops the prefetch.

use std::rc::Rc;

use futures::StreamExt;
use futures::lock::Mutex;
use futures::stream::LocalBoxStream;
use js_sys::Promise;
use serde::Serialize;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_futures::future_to_promise;

use crate::convert::output;
use crate::errors::to_js;

/// Pages converted for JavaScript; `None` once finished or stopped.
type Pages = Option<LocalBoxStream<'static, Result<JsValue, JsValue>>>;

/// The items of a listing, fetched page by page as they are consumed.
#[wasm_bindgen]
pub struct ItemStream {
    pages: Rc<Mutex<Pages>>,
}

impl ItemStream {
    pub fn new<T: Serialize + 'static>(pages: zpa::PageStream<T>) -> ItemStream {
        let pages = pages
            .map(|page| page.map_err(to_js).and_then(|page| output(&page.items)))
            .boxed_local();
        ItemStream {
            pages: Rc::new(Mutex::new(Some(pages))),
        }
    }
}

#[wasm_bindgen]
impl ItemStream {
    /// The items of the next page, or `undefined` after the last one.
    #[wasm_bindgen(js_name = nextPage, unchecked_return_type = "Promise<unknown[] | undefined>")]
    pub fn next_page(&self) -> Promise {
        let pages = self.pages.clone();
        future_to_promise(async move {
            let mut pages = pages.lock().await;
            let next = match pages.as_mut() {
                Some(stream) => stream.next().await,
                None => None,
            };
            match next {
                Some(Ok(items)) => Ok(items),
                Some(Err(error)) => {
                    *pages = None;
                    Err(error)
                }
                None => {
                    *pages = None;
                    Ok(JsValue::UNDEFINED)
                }
            }
        })
    }

    /// Stops the listing, dropping the pages being fetched ahead.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn stop(&self) -> Promise {
        let pages = self.pages.clone();
        future_to_promise(async move {
            *pages.lock().await = None;
            Ok(JsValue::UNDEFINED)
        })
    }
}
