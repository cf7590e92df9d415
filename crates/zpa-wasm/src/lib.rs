//! JavaScript bindings of the `zpa` facade: the same client, compiled to
//! wasm, for Node and browsers. The package's `index.js` wraps the generated
//! glue (it instantiates the module, defines `ZpaError` and makes listings
//! async-iterable).

#![forbid(unsafe_code)]

mod applications;
mod approvals;
mod client;
mod connectors;
mod convert;
mod errors;
mod listing;
pub mod shape;
mod stream;
mod vocabulary;
mod working_hours;

pub use applications::Applications;
pub use approvals::Approvals;
pub use client::ZpaClient;
pub use connectors::Connectors;
pub use errors::set_error_class;
pub use stream::ItemStream;
pub use vocabulary::vocabulary;
pub use working_hours::working_hours_crons;

/// Every interface the package declares beside the API's objects, in the
/// order `cargo xtask generate` writes them.
pub fn interfaces() -> Vec<shape::Interface> {
    use shape::Input;
    vec![
        client::client_options(),
        client::RateLimits::shape(),
        listing::ListOptions::shape(),
        listing::Paged::<listing::ListOptions>::shape(),
        connectors::ConnectorChanges::shape(),
        approvals::ApprovalListOptions::shape(),
        listing::Paged::<approvals::ApprovalListOptions>::shape(),
        approvals::ApprovalInput::shape(),
        approvals::segment_by("id"),
        approvals::segment_by("name"),
        approvals::ChangeInput::shape(),
        working_hours::WorkingHoursInput::shape(),
        working_hours::Crons::shape(),
        vocabulary::Vocabulary::shape(),
        vocabulary::SearchField::shape(),
    ]
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    //! Each input's shape against its Rust type: a value made from the shape
    //! deserializes, and a wrong value in any one field fails, so the type
    //! reads every field the declarations promise.

    use serde_json::{Value, json};

    use crate::shape::{Input, Shape};

    fn sample(shape: &Shape) -> Value {
        match shape {
            Shape::Text | Shape::NativeOnly(_) => json!("x"),
            Shape::Word(words) => json!(words[0]),
            Shape::Whole { min, max } => json!((*min).max(1).min(*max)),
            Shape::Time => json!(1_800_000_000),
            Shape::Bool => json!(true),
            Shape::List(item) => json!([sample(item)]),
            Shape::Object(interface) => Value::Object(
                interface
                    .fields
                    .iter()
                    .map(|field| (field.name.to_owned(), sample(&field.shape)))
                    .collect(),
            ),
            Shape::Nullable(inner) => sample(inner),
            Shape::Either(shapes) => sample(&shapes[0]),
        }
    }

    fn agrees<T: Input>() {
        let shape = Shape::Object(T::shape());
        let whole = sample(&shape);
        if let Err(error) = serde_json::from_value::<T>(whole.clone()) {
            panic!(
                "{}: a value of its shape does not deserialize: {error}",
                T::shape().name
            );
        }
        for field in &T::shape().fields {
            let mut wrong = whole.clone();
            wrong[field.name] = json!([[{}]]);
            assert!(
                serde_json::from_value::<T>(wrong).is_err(),
                "{}.{} is declared but the Rust type does not read it",
                T::shape().name,
                field.name
            );
        }
    }

    #[test]
    fn every_input_type_reads_every_declared_field() {
        agrees::<crate::client::RateLimits>();
        agrees::<crate::listing::ListOptions>();
        agrees::<crate::listing::Paged<crate::listing::ListOptions>>();
        agrees::<crate::connectors::ConnectorChanges>();
        agrees::<crate::approvals::ApprovalListOptions>();
        agrees::<crate::listing::Paged<crate::approvals::ApprovalListOptions>>();
        agrees::<crate::approvals::ApprovalInput>();
        agrees::<crate::approvals::ChangeInput>();
        agrees::<crate::working_hours::WorkingHoursInput>();
    }

    #[test]
    fn every_output_type_writes_exactly_its_declared_fields() {
        let outputs = [
            (
                serde_json::to_value(crate::vocabulary::Vocabulary::new()),
                crate::vocabulary::Vocabulary::shape(),
            ),
            (
                serde_json::to_value(crate::working_hours::Crons::sample()),
                crate::working_hours::Crons::shape(),
            ),
        ];
        for (value, interface) in outputs {
            let value = value.unwrap();
            let mut written: Vec<_> = value.as_object().unwrap().keys().cloned().collect();
            let mut declared: Vec<_> = interface.fields.iter().map(|f| f.name.to_owned()).collect();
            written.sort();
            declared.sort();
            assert_eq!(written, declared, "{}", interface.name);
        }
    }
}
