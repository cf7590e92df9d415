//! The shapes of what JavaScript passes in, written once. At the boundary a
//! value is read against its shape before it reaches Rust: a wrong type is a
//! `ZpaError` naming the argument or option in JavaScript's words, never a
//! trap. `cargo xtask generate` renders the same shapes as the package's
//! TypeScript declarations.

use js_sys::{Array, Object, Reflect};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use wasm_bindgen::{JsCast, JsValue};

use crate::errors::invalid;

/// What a value may be.
pub enum Shape {
    /// A string.
    Text,
    /// One of these strings.
    Word(Vec<&'static str>),
    /// A whole number from `min` to `max`.
    Whole { min: i64, max: i64 },
    /// `true` or `false`.
    Bool,
    /// An array of one shape.
    List(Box<Shape>),
    /// An object of known fields.
    Object(Interface),
    /// `null` (which means "remove"), or the shape.
    Nullable(Box<Shape>),
    /// The first of these shapes the value has.
    Either(Vec<Shape>),
    /// A setting JavaScript cannot use, and why: declared `never`, refused
    /// whatever its value.
    NativeOnly(&'static str),
    /// A point in time: a `Date`, or whole epoch seconds (read as epoch
    /// seconds either way).
    Time,
}

/// An object's fields; `name` is its TypeScript interface.
pub struct Interface {
    pub name: &'static str,
    pub doc: &'static str,
    pub fields: Vec<Field>,
}

pub struct Field {
    pub name: &'static str,
    pub shape: Shape,
    pub required: bool,
    pub doc: String,
    /// A string given for it is never repeated in a message.
    pub secret: bool,
}

impl Field {
    pub fn required(name: &'static str, shape: Shape, doc: &'static str) -> Field {
        Field {
            name,
            shape,
            required: true,
            doc: doc.to_owned(),
            secret: false,
        }
    }

    pub fn optional(name: &'static str, shape: Shape, doc: &'static str) -> Field {
        Field {
            name,
            shape,
            required: false,
            doc: doc.to_owned(),
            secret: false,
        }
    }
}

/// The first number that can only be milliseconds: as epoch seconds it is
/// the year 5138, as milliseconds March 1973, so `Date.now()` and
/// `getTime()` always pass it.
const MILLISECONDS_FROM: f64 = 1e11;

/// A count or page number (`u32` in Rust).
pub const COUNT: Shape = Shape::Whole {
    min: 0,
    max: u32::MAX as i64,
};

/// An input type of the bindings and its shape, so that the two are checked
/// against each other (see the tests) and the shape can be rendered.
pub trait Input: DeserializeOwned {
    fn shape() -> Interface;
}

/// Reads the argument `arg` as a `T`.
pub fn read<T: Input>(arg: &str, value: &JsValue) -> Result<T, JsValue> {
    let fields = object(&T::shape(), value, arg, true)?;
    serde_json::from_value(Value::Object(fields)).map_err(|error| invalid(arg, &error.to_string()))
}

/// Reads an optional options argument: absent (or `null`) is the default.
pub fn read_or_default<T: Input + Default>(arg: &str, value: &JsValue) -> Result<T, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    read(arg, value)
}

/// Reads a string argument.
pub fn text(arg: &str, value: &JsValue) -> Result<String, JsValue> {
    value
        .as_string()
        .ok_or_else(|| wrong(arg, &Shape::Text, value))
}

/// Reads an array-of-strings argument.
pub fn texts(arg: &str, value: &JsValue) -> Result<Vec<String>, JsValue> {
    let list = check(&Shape::List(Box::new(Shape::Text)), value, arg, false)?;
    serde_json::from_value(list).map_err(|error| invalid(arg, &error.to_string()))
}

/// Reads an array of objects as the package returned them (connectors from
/// a listing, say) into the model type `T`; each must at least be an object.
pub fn returned<T: DeserializeOwned>(arg: &str, value: &JsValue) -> Result<Vec<T>, JsValue> {
    let array = value.dyn_ref::<Array>().ok_or_else(|| {
        invalid(
            arg,
            &format!("must be an array of objects, got {}", show(value)),
        )
    })?;
    for (i, item) in array.iter().enumerate() {
        if !is_plain_object(&item) {
            let reason = format!("must be an object, got {}", show(&item));
            return Err(invalid(&format!("{arg}[{i}]"), &reason));
        }
    }
    let text = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| invalid(arg, "could not be read as JSON"))?;
    // Read from a `str`, as the lossless model reads each object, so that
    // the model's decoder is compiled once.
    serde_json::from_str(&text).map_err(|error| {
        let reason = format!("must be objects as the package returned them: {error}");
        invalid(arg, &reason)
    })
}

/// `value` as JSON if it has `shape`; else the error naming `path`. The
/// fields of a top-level options object are named by themselves (`pageSize`),
/// nested ones by their path (`workingHours.days[1]`).
pub fn check(shape: &Shape, value: &JsValue, path: &str, top: bool) -> Result<Value, JsValue> {
    let fail = || wrong(path, shape, value);
    Ok(match shape {
        Shape::Text => Value::String(value.as_string().ok_or_else(fail)?),
        Shape::NativeOnly(why) => return Err(invalid(path, why)),
        Shape::Word(words) => match value.as_string() {
            Some(word) if words.contains(&word.as_str()) => Value::String(word),
            _ => return Err(fail()),
        },
        Shape::Whole { min, max } => match value.as_f64() {
            Some(n) if n.fract() == 0.0 && n >= *min as f64 && n <= *max as f64 => {
                Value::from(n as i64)
            }
            _ => return Err(fail()),
        },
        Shape::Bool => Value::Bool(value.as_bool().ok_or_else(fail)?),
        Shape::Time => match (value.dyn_ref::<js_sys::Date>(), value.as_f64()) {
            (Some(date), _) if date.get_time().is_nan() => {
                return Err(invalid(path, "must be a valid Date, got an invalid Date"));
            }
            (Some(date), _) => Value::from((date.get_time() / 1000.0).floor() as i64),
            (None, Some(n)) if n.fract() == 0.0 && (0.0..MILLISECONDS_FROM).contains(&n) => {
                Value::from(n as i64)
            }
            (None, Some(n)) if n.fract() == 0.0 && n >= MILLISECONDS_FROM => {
                return Err(invalid(
                    path,
                    &format!(
                        "{n} is milliseconds (as Date.now() gives), not epoch seconds: pass a Date, or Math.floor(ms / 1000)"
                    ),
                ));
            }
            _ => return Err(fail()),
        },
        Shape::List(item) => {
            let array = value.dyn_ref::<Array>().ok_or_else(fail)?;
            let items = array
                .iter()
                .enumerate()
                .map(|(i, element)| check(item, &element, &format!("{path}[{i}]"), false));
            Value::Array(items.collect::<Result<_, _>>()?)
        }
        Shape::Object(interface) => Value::Object(object(interface, value, path, top)?),
        Shape::Nullable(_) if value.is_null() => Value::Null,
        Shape::Nullable(inner) => check(inner, value, path, top)?,
        Shape::Either(shapes) => {
            if let Some(found) = shapes.iter().find_map(|s| check(s, value, path, top).ok()) {
                return Ok(found);
            }
            // An object was meant as the object alternative: say what is wrong inside.
            match shapes.iter().find(|s| matches!(s, Shape::Object(_))) {
                Some(object) if is_plain_object(value) => check(object, value, path, top)?,
                _ => return Err(fail()),
            }
        }
    })
}

/// The fields of an object of `interface`, checked.
pub fn object(
    interface: &Interface,
    value: &JsValue,
    path: &str,
    top: bool,
) -> Result<Map<String, Value>, JsValue> {
    if !is_plain_object(value) {
        let reason = format!(
            "must be an object ({}), got {}",
            interface.name,
            show(value)
        );
        return Err(invalid(path, &reason));
    }
    let object: &Object = value.unchecked_ref();
    let child = |name: &str| {
        if top {
            name.to_owned()
        } else {
            format!("{path}.{name}")
        }
    };
    for key in Object::keys(object).iter() {
        let key = key.as_string().unwrap_or_default();
        if !interface.fields.iter().any(|field| field.name == key) {
            let known: Vec<_> = interface.fields.iter().map(|f| f.name).collect();
            return Err(invalid(
                &child(&key),
                &format!("unknown field, expected one of {}", known.join(", ")),
            ));
        }
    }
    let mut fields = Map::new();
    for field in &interface.fields {
        let name = child(field.name);
        let value = Reflect::get(object, &JsValue::from_str(field.name))
            .map_err(|_| invalid(&name, "could not be read"))?;
        let absent = value.is_undefined() || (value.is_null() && !nullable(&field.shape));
        if absent {
            if field.required {
                return Err(invalid(
                    &name,
                    &format!("missing ({} is required)", describe(&field.shape)),
                ));
            }
            continue;
        }
        let checked = check(&field.shape, &value, &name, false).map_err(|error| {
            let echoes = !matches!(field.shape, Shape::NativeOnly(_));
            if value.is_string() && field.secret && echoes {
                invalid(&name, &format!("must be {}", describe(&field.shape)))
            } else {
                error
            }
        })?;
        fields.insert(field.name.to_owned(), checked);
    }
    Ok(fields)
}

fn nullable(shape: &Shape) -> bool {
    matches!(shape, Shape::Nullable(_))
}

/// An object literal's kind: not an array, function, `null` or a class
/// instance such as a `Date` or `Map`.
fn is_plain_object(value: &JsValue) -> bool {
    if !value.is_object() || Array::is_array(value) {
        return false;
    }
    let prototype = Object::get_prototype_of(value);
    prototype.is_null() || prototype == Object::get_prototype_of(&Object::new())
}

fn wrong(path: &str, shape: &Shape, value: &JsValue) -> JsValue {
    invalid(
        path,
        &format!("must be {}, got {}", describe(shape), show(value)),
    )
}

/// The shape in words: "a string", "\"asc\" or \"desc\"", ...
pub fn describe(shape: &Shape) -> String {
    match shape {
        Shape::Text => "a string".to_owned(),
        Shape::NativeOnly(_) => "nothing (native only)".to_owned(),
        Shape::Word(_) | Shape::Either(_) | Shape::Bool => one_of(&alternatives(shape)),
        Shape::Whole { min, max } if *min == 0 && *max == u32::MAX as i64 => {
            "a whole number, 0 or more".to_owned()
        }
        Shape::Whole { .. } => "a whole number".to_owned(),
        Shape::Time => "a Date or whole epoch seconds".to_owned(),
        Shape::List(item) => format!("an array of {}", plural(item)),
        Shape::Object(interface) => {
            let names: Vec<_> = interface.fields.iter().map(|f| f.name).collect();
            format!("an object {{ {} }}", names.join(", "))
        }
        Shape::Nullable(inner) => format!("{} or null", describe(inner)),
    }
}

/// The values a shape allows, each in words, for "a, b or c".
fn alternatives(shape: &Shape) -> Vec<String> {
    match shape {
        Shape::Word(words) => words.iter().map(|w| format!("{w:?}")).collect(),
        Shape::Bool => vec!["true".to_owned(), "false".to_owned()],
        Shape::Either(shapes) => shapes.iter().flat_map(alternatives).collect(),
        other => vec![describe(other)],
    }
}

fn one_of(words: &[String]) -> String {
    match words.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => "nothing".to_owned(),
    }
}

fn plural(shape: &Shape) -> String {
    match shape {
        Shape::Text => "strings".to_owned(),
        other => format!("({})", describe(other)),
    }
}

/// A JavaScript value in a message: its type, and the value if short.
fn show(value: &JsValue) -> String {
    if value.is_null() {
        return "null".to_owned();
    }
    if Array::is_array(value) {
        return "an array".to_owned();
    }
    if let Some(text) = value.as_string() {
        let mut shown: String = text.chars().take(40).collect();
        if shown.len() < text.len() {
            shown.push('…');
        }
        return format!("the string {shown:?}");
    }
    if let Some(number) = value.as_f64() {
        return format!("the number {number}");
    }
    if let Some(flag) = value.as_bool() {
        return flag.to_string();
    }
    if let Some(big) = value.dyn_ref::<js_sys::BigInt>() {
        let digits = big.to_string(10).map(String::from).unwrap_or_default();
        return format!("the bigint {digits}n");
    }
    if value.is_instance_of::<js_sys::Date>() {
        return "a Date".to_owned();
    }
    match value.js_typeof().as_string().unwrap_or_default().as_str() {
        "undefined" => "undefined".to_owned(),
        "object" if is_plain_object(value) => "an object".to_owned(),
        "object" => "an object of another kind".to_owned(),
        other => format!("a {other}"),
    }
}
