//! Values between JavaScript and Rust. Options are checked strictly (an
//! unknown or mistyped field is an error that names it); results become plain
//! objects with the API's camelCase names, ids as strings and integers as
//! numbers.

use js_sys::{Array, BigInt, Object, Reflect};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use zpa::model::integers_as_numbers;

use crate::errors::invalid;

/// Reads an options object; `undefined` reads as the type's default.
pub fn options<T: DeserializeOwned + Default>(what: &str, value: JsValue) -> Result<T, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    input(what, value)
}

/// Reads a required argument. A field the type does not have is an error
/// naming it (the converter would skip it silently, and a misspelt option
/// would be lost).
pub fn input<T: DeserializeOwned>(what: &str, value: JsValue) -> Result<T, JsValue> {
    if let Some(known) = field_names::<T>()
        && let Some(object) = value.dyn_ref::<Object>().filter(|_| !value.is_array())
    {
        for key in Object::keys(object).iter().filter_map(|k| k.as_string()) {
            if !known.contains(&key.as_str()) {
                let reason = format!(
                    "unknown field `{key}`, expected one of `{}`",
                    known.join("`, `")
                );
                return Err(invalid(what, &reason));
            }
        }
    }
    serde_wasm_bindgen::from_value(value).map_err(|error| invalid(what, &error.to_string()))
}

/// The field names a derived `Deserialize` struct asks for, found by handing
/// it a deserializer that only records them.
fn field_names<T: DeserializeOwned>() -> Option<&'static [&'static str]> {
    struct Recorder<'a>(&'a mut Option<&'static [&'static str]>);

    impl<'de> serde::Deserializer<'de> for Recorder<'_> {
        type Error = serde::de::value::Error;

        fn deserialize_any<V: serde::de::Visitor<'de>>(
            self,
            _: V,
        ) -> Result<V::Value, Self::Error> {
            Err(serde::de::Error::custom("not a struct"))
        }

        fn deserialize_struct<V: serde::de::Visitor<'de>>(
            self,
            _name: &'static str,
            fields: &'static [&'static str],
            _visitor: V,
        ) -> Result<V::Value, Self::Error> {
            *self.0 = Some(fields);
            Err(serde::de::Error::custom("fields recorded"))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map
            enum identifier ignored_any
        }
    }

    let mut fields = None;
    let _ = T::deserialize(Recorder(&mut fields));
    fields
}

/// A result as plain JavaScript objects (maps become objects, not `Map`s).
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
