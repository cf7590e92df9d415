//! Results for JavaScript: plain objects with the API's camelCase names, ids
//! as strings and integers as numbers.

use serde::Serialize;
use wasm_bindgen::JsValue;
use zpa::model::integers_as_numbers;

use crate::errors::invalid;

/// A result as plain JavaScript objects, made by `JSON.parse` from the JSON
/// the model writes: one copy across the boundary, parsed by the engine's
/// own parser (faster than building objects field by field from wasm).
///
/// Fields the model does not know come along as the server sent them, so an
/// integer in one that a JavaScript number cannot hold exactly becomes the
/// nearest number, as `JSON.parse` makes it.
pub fn output<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let json = integers_as_numbers(|| serde_json::to_string(value))
        .map_err(|error| invalid("result", &error.to_string()))?;
    js_sys::JSON::parse(&json).map_err(|_| invalid("result", "not JSON"))
}

/// A page as JavaScript gets it: `{ items, page, totalPages, totalCount }`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PageOut<T> {
    items: Vec<T>,
    page: u32,
    total_pages: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    total_count: Option<u64>,
}

impl<T> From<zpa::Page<T>> for PageOut<T> {
    fn from(page: zpa::Page<T>) -> Self {
        PageOut {
            items: page.items,
            page: page.page,
            total_pages: page.total_pages,
            total_count: page.total_count,
        }
    }
}
