//! Failures as JavaScript errors: instances of the package's `ZpaError`
//! (defined in `index.js` and registered at load) with `kind`, `status`,
//! `code` (the ZPA error id), `reason` and, for bad input, `field`.

use std::cell::RefCell;

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;

thread_local! {
    static ERROR_CLASS: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Registers the `ZpaError` class that failures are made with; `index.js`
/// calls it once when the package loads.
#[wasm_bindgen(js_name = "__setErrorClass")]
pub fn set_error_class(class: Function) {
    ERROR_CLASS.with(|slot| *slot.borrow_mut() = Some(class));
}

struct Details<'a> {
    kind: &'a str,
    status: Option<u16>,
    code: Option<&'a str>,
    reason: Option<&'a str>,
    field: Option<&'a str>,
    /// For "ambiguous": `candidates`, each `{ id, microtenantId?,
    /// microtenantName? }`; for "partlyDeleted": `deleted`, the ids.
    more: Option<(&'a str, JsValue)>,
}

/// The JavaScript error for a facade error. Bad input is named as the
/// JavaScript option or argument it came from.
pub fn to_js(error: zpa::Error) -> JsValue {
    if let Some(input) = error.input() {
        return invalid(&js_name(input), error.reason().unwrap_or_default());
    }
    let kind = match &error {
        zpa::Error::PartlyDeleted { .. } => "partlyDeleted",
        zpa::Error::Api { .. } => "api",
        zpa::Error::RateLimited { .. } => "rateLimited",
        zpa::Error::Auth { .. } => "auth",
        zpa::Error::Transport { .. } => "transport",
        zpa::Error::Decode { .. } => "decode",
        zpa::Error::NotFound { .. } => "notFound",
        zpa::Error::Ambiguous { .. } => "ambiguous",
        _ => "error",
    };
    let more = match &error {
        zpa::Error::Ambiguous { candidates, .. } => {
            let list: Array = candidates.iter().map(candidate).collect();
            Some(("candidates", list.into()))
        }
        zpa::Error::PartlyDeleted { deleted, .. } => {
            let list: Array = deleted.iter().map(|id| JsValue::from_str(id)).collect();
            Some(("deleted", list.into()))
        }
        _ => None,
    };
    make(
        &error.to_string(),
        Details {
            kind,
            status: error.status(),
            code: error.api_id(),
            reason: error.reason(),
            field: None,
            more,
        },
    )
}

/// `{ id, microtenantId?, microtenantName? }`.
fn candidate(candidate: &zpa::Candidate) -> JsValue {
    let object = Object::new();
    let set = |key: &str, value: Option<&String>| {
        if let Some(value) = value {
            Reflect::set(&object, &key.into(), &value.into())
                .expect("setting a field of a new object");
        }
    };
    set("id", Some(&candidate.id));
    set("microtenantId", candidate.microtenant_id.as_ref());
    set("microtenantName", candidate.microtenant_name.as_ref());
    object.into()
}

/// The option or argument of the JavaScript API that carries `input`.
fn js_name(input: zpa::Input) -> String {
    use zpa::Input;
    if let Some(path) = input.json_path() {
        return path.to_owned();
    }
    match input {
        Input::Setting(setting) => setting.js_name(),
        Input::Credentials => "token",
        Input::HttpClient => "options",
        Input::ConnectorId | Input::ApprovalId | Input::ApplicationId => "id",
        Input::Ids => "ids",
        Input::Name => "name",
        Input::Update | Input::ApprovalChange => "changes",
        Input::Page => "page",
        Input::PageSize => "pageSize",
        Input::Search | Input::Field | Input::Operator => "search",
        Input::Direction => "sortDir",
        Input::Approval => "approval",
        other => return other.to_string(),
    }
    .to_owned()
}

/// The JavaScript error for an argument rejected before any request.
pub fn invalid(field: &str, reason: &str) -> JsValue {
    make(
        &format!("invalid {field}: {reason}"),
        Details {
            kind: "invalidInput",
            status: None,
            code: None,
            reason: Some(reason),
            field: Some(field),
            more: None,
        },
    )
}

fn make(message: &str, details: Details<'_>) -> JsValue {
    let fields = Object::new();
    let set = |key: &str, value: JsValue| {
        Reflect::set(&fields, &key.into(), &value).expect("setting a field of a new object");
    };
    set("kind", details.kind.into());
    set(
        "status",
        details.status.map_or(JsValue::UNDEFINED, |s| s.into()),
    );
    set("code", details.code.map_or(JsValue::UNDEFINED, Into::into));
    set(
        "reason",
        details.reason.map_or(JsValue::UNDEFINED, Into::into),
    );
    set(
        "field",
        details.field.map_or(JsValue::UNDEFINED, Into::into),
    );
    if let Some((key, value)) = details.more {
        set(key, value);
    }
    let class = ERROR_CLASS.with(|slot| slot.borrow().clone());
    match class {
        Some(class) => {
            let arguments = Array::of2(&message.into(), &fields);
            Reflect::construct(&class, &arguments).unwrap_or_else(|thrown| thrown)
        }
        None => {
            let error = js_sys::Error::new(message);
            Object::assign(&error, &fields);
            error.into()
        }
    }
}
