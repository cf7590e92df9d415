//! The search parser never panics, names a position inside the text it
//! refuses, and prints what it accepts back to the same text; a filter built
//! clause by clause that validates parses back from its printed form.
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use zpa::{ApprovalField, ConnectorField, Field, Filter, Op};

#[derive(Arbitrary, Debug)]
enum Input<'a> {
    Text(&'a str),
    Built(Vec<(u8, u8, &'a str)>),
}

fuzz_target!(|input: Input<'_>| match input {
    Input::Text(text) => {
        parsed_prints_back::<ConnectorField>(text);
        parsed_prints_back::<ApprovalField>(text);
    }
    Input::Built(clauses) => {
        built_parses_back::<ConnectorField>(&clauses);
        built_parses_back::<ApprovalField>(&clauses);
    }
});

fn parsed_prints_back<F: Field>(text: &str) {
    match Filter::<F>::parse(text) {
        Ok(filter) => {
            assert_eq!(filter.to_string(), text);
            assert_eq!(filter.validate(), Ok(()));
        }
        Err(error) => assert!(error.position <= text.chars().count(), "{error}"),
    }
}

fn built_parses_back<F: Field>(clauses: &[(u8, u8, &str)]) {
    let filter = clauses
        .iter()
        .fold(Filter::<F>::new(), |filter, &(field, op, value)| {
            let field = F::ALL[usize::from(field) % F::ALL.len()];
            filter.and(field, Op::ALL[usize::from(op) % Op::ALL.len()], value)
        });
    let printed = filter.to_string();
    match filter.validate() {
        Ok(()) if filter.is_empty() => assert_eq!(printed, ""),
        Ok(()) => assert_eq!(Filter::<F>::parse(&printed).as_ref(), Ok(&filter)),
        Err(error) => assert!(error.position <= printed.chars().count(), "{error}"),
    }
}
