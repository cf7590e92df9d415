//! Results for JavaScript: plain objects with the API's camelCase names, ids
//! as strings and integers as numbers.

use js_sys::{Array, BigInt, Object, Reflect};
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use zpa::model::integers_as_numbers;

use crate::errors::invalid;

/// A result as plain JavaScript objects (maps become objects, not `Map`s),
/// built field by field by serde-wasm-bindgen.
///
/// Fields the model does not know come along as the server sent them. An
/// integer in one that JavaScript cannot hold exactly becomes the nearest
/// number, as `JSON.parse` would make it, rather than failing the call.
pub fn output<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let json = serde_wasm_bindgen::Serializer::json_compatible();
    integers_as_numbers(|| {
        value.serialize(&json).or_else(|_| {
            // The same serializer set to write integers as BigInts cannot
            // fail on one; the BigInts then become numbers. (Serializing
            // through anything else would add a copy of every model's code.)
            let bigints = json.serialize_large_number_types_as_bigints(true);
            value.serialize(&bigints).map(bigints_as_numbers)
        })
    })
    .map_err(|error| invalid("result", &error.to_string()))
}

/// `value` with every BigInt in it replaced by the nearest number.
fn bigints_as_numbers(value: JsValue) -> JsValue {
    if let Some(big) = value.dyn_ref::<BigInt>() {
        let digits: String = big.to_string(10).map(String::from).unwrap_or_default();
        return JsValue::from_f64(digits.parse().unwrap_or(f64::NAN));
    }
    if let Some(array) = value.dyn_ref::<Array>() {
        for (i, item) in array.iter().enumerate() {
            array.set(i as u32, bigints_as_numbers(item));
        }
    } else if let Some(object) = value.dyn_ref::<Object>() {
        for key in Object::keys(object).iter() {
            if let Ok(field) = Reflect::get(object, &key) {
                let _ = Reflect::set(object, &key, &bigints_as_numbers(field));
            }
        }
    }
    value
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
