//! The facade's words for JavaScript (search fields with their kinds,
//! operators, sort directions, weekdays, clouds), so that a page builds its
//! pickers from the lists the client checks against rather than a copy.

use serde::Serialize;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;
use zpa::{ApprovalField, Cloud, ConnectorField, Direction, Field, Op, Weekday};

use crate::convert::output;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Vocabulary {
    connector_fields: Vec<SearchField>,
    approval_fields: Vec<SearchField>,
    operators: Vec<&'static str>,
    sort_directions: Vec<&'static str>,
    weekdays: Vec<&'static str>,
    clouds: Vec<&'static str>,
}

#[derive(Serialize)]
struct SearchField {
    name: &'static str,
    kind: &'static str,
}

fn fields<F: Field>() -> Vec<SearchField> {
    F::ALL
        .iter()
        .map(|field| SearchField {
            name: field.name(),
            kind: field.kind().as_str(),
        })
        .collect()
}

/// The words the client takes: search fields and their kinds, operators,
/// sort directions, weekdays and clouds.
#[wasm_bindgen(unchecked_return_type = "Vocabulary")]
pub fn vocabulary() -> Result<JsValue, JsValue> {
    output(&Vocabulary {
        connector_fields: fields::<ConnectorField>(),
        approval_fields: fields::<ApprovalField>(),
        operators: Op::ALL.map(Op::as_str).to_vec(),
        sort_directions: Direction::ALL.map(Direction::as_str).to_vec(),
        weekdays: Weekday::ALL.map(Weekday::as_str).to_vec(),
        clouds: Cloud::ALL.map(Cloud::name).to_vec(),
    })
}
