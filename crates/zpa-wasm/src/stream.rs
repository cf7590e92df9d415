//! Listings as JavaScript async iterators: `index.js` gives this class
//! `Symbol.asyncIterator`, so `for await (const c of zpa.connectors.list())`
//! works, and leaving the loop early stops the prefetch.

use std::rc::Rc;

use futures::StreamExt;
use futures::lock::Mutex;
use futures::stream::LocalBoxStream;
use js_sys::{Object, Promise, Reflect};
use serde::Serialize;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_futures::future_to_promise;

use crate::convert::output;
use crate::errors::to_js;

/// Items converted for JavaScript; `None` once finished or stopped.
type Items = Option<LocalBoxStream<'static, Result<JsValue, JsValue>>>;

/// The items of a listing, fetched page by page as they are consumed.
#[wasm_bindgen]
pub struct ItemStream {
    items: Rc<Mutex<Items>>,
}

impl ItemStream {
    pub fn new<T: Serialize + 'static>(items: zpa::ItemStream<T>) -> ItemStream {
        let items = items
            .map(|item| item.map_err(to_js).and_then(|item| output(&item)))
            .boxed_local();
        ItemStream {
            items: Rc::new(Mutex::new(Some(items))),
        }
    }
}

#[wasm_bindgen]
impl ItemStream {
    /// The next item: `{ done: false, value }`, or `{ done: true }` at the end.
    #[wasm_bindgen(unchecked_return_type = "Promise<IteratorResult<any, undefined>>")]
    pub fn next(&self) -> Promise {
        let items = self.items.clone();
        future_to_promise(async move {
            let mut items = items.lock().await;
            let next = match items.as_mut() {
                Some(stream) => stream.next().await,
                None => None,
            };
            match next {
                Some(Ok(value)) => Ok(step(false, value)),
                Some(Err(error)) => {
                    *items = None;
                    Err(error)
                }
                None => {
                    *items = None;
                    Ok(step(true, JsValue::UNDEFINED))
                }
            }
        })
    }

    /// Stops the listing (called by `break` out of a `for await` loop).
    #[wasm_bindgen(
        js_name = "return",
        unchecked_return_type = "Promise<IteratorResult<any, undefined>>"
    )]
    pub fn finish(&self) -> Promise {
        let items = self.items.clone();
        future_to_promise(async move {
            *items.lock().await = None;
            Ok(step(true, JsValue::UNDEFINED))
        })
    }
}

fn step(done: bool, value: JsValue) -> JsValue {
    let result = Object::new();
    Reflect::set(&result, &"done".into(), &done.into()).expect("setting a field of a new object");
    Reflect::set(&result, &"value".into(), &value).expect("setting a field of a new object");
    result.into()
}
