//! The facade's words for JavaScript (search fields with their kinds,
//! operators, sort directions, weekdays, clouds), so that a page builds its
//! pickers from the lists the client checks against rather than a copy.

use serde::Serialize;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;
use zpa::{ApprovalField, Cloud, ConnectorField, Direction, Field, FieldKind, Op, Weekday};

use crate::convert::output;
use crate::shape::{self, Interface, Shape};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Vocabulary {
    connector_fields: Vec<SearchField>,
    approval_fields: Vec<SearchField>,
    operators: Vec<&'static str>,
    sort_directions: Vec<&'static str>,
    weekdays: Vec<&'static str>,
    clouds: Vec<&'static str>,
}

impl Vocabulary {
    pub fn new() -> Vocabulary {
        Vocabulary {
            connector_fields: fields::<ConnectorField>(),
            approval_fields: fields::<ApprovalField>(),
            operators: Op::ALL.map(Op::as_str).to_vec(),
            sort_directions: Direction::ALL.map(Direction::as_str).to_vec(),
            weekdays: Weekday::ALL.map(Weekday::as_str).to_vec(),
            clouds: Cloud::ALL.map(Cloud::name).to_vec(),
        }
    }

    pub fn shape() -> Interface {
        let words = |words: Vec<&'static str>| Shape::List(Box::new(Shape::Word(words)));
        let fields = || Shape::List(Box::new(Shape::Object(SearchField::shape())));
        let v = Vocabulary::new();
        Interface {
            name: "Vocabulary",
            doc: "The words the client takes, from `vocabulary()`.",
            fields: vec![
                shape::Field::required(
                    "connectorFields",
                    fields(),
                    "Fields a connector search can name.",
                ),
                shape::Field::required(
                    "approvalFields",
                    fields(),
                    "Fields an approval search or sort can name.",
                ),
                shape::Field::required("operators", words(v.operators), "Search operators."),
                shape::Field::required(
                    "sortDirections",
                    words(v.sort_directions),
                    "Sort directions.",
                ),
                shape::Field::required("weekdays", words(v.weekdays), "Days of working hours."),
                shape::Field::required("clouds", words(v.clouds), "ZPA clouds."),
            ],
        }
    }
}

/// A field a search (or an approval listing's sort) can name.
#[derive(Serialize)]
pub struct SearchField {
    name: &'static str,
    kind: &'static str,
}

impl SearchField {
    pub fn shape() -> Interface {
        Interface {
            name: "SearchField",
            doc: "A field a search (or an approval listing's sort) can name.",
            fields: vec![
                shape::Field::required("name", Shape::Text, "The field's name."),
                shape::Field::required(
                    "kind",
                    Shape::Word(FieldKind::ALL.map(FieldKind::as_str).to_vec()),
                    "What its values are.",
                ),
            ],
        }
    }
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
    output(&Vocabulary::new())
}
