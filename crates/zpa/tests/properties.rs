//! Property tests of the parsers users and servers feed: search text,
//! durations, retry-after values, and the wire types' decoding of any JSON.
//! Each property runs 2,000 generated cases.

use proptest::prelude::*;
use zpa::model::{Approval, Connector};
use zpa::{
    ApprovalField, ConnectorField, Field, FieldKind, Filter, Op, ZpaDuration, parse_retry_after,
};

fn config() -> ProptestConfig {
    ProptestConfig::with_cases(2_000)
}

/// A value the field accepts and the syntax can carry.
fn value_for(kind: FieldKind) -> BoxedStrategy<String> {
    match kind {
        FieldKind::Text => "[A-Za-z0-9&+/\"'()#*_.@ \u{e9}\u{6771}-]{1,24}"
            .prop_filter("no padding, no AND keyword", |v| {
                v.trim() == v && !format!(" {v} ").contains(" AND ")
            })
            .boxed(),
        FieldKind::Number => any::<i64>().prop_map(|n| n.to_string()).boxed(),
        FieldKind::Bool => any::<bool>().prop_map(|b| b.to_string()).boxed(),
        FieldKind::Duration => (0u64..10_000_000)
            .prop_map(|s| ZpaDuration::from_secs(s).to_string())
            .boxed(),
    }
}

fn clause<F: Field + Send + Sync>() -> impl Strategy<Value = (F, Op, String)> {
    (0..F::ALL.len(), 0..Op::ALL.len()).prop_flat_map(|(f, o)| {
        let field = F::ALL[f];
        value_for(field.kind()).prop_map(move |value| (field, Op::ALL[o], value))
    })
}

fn filter<F: Field + Send + Sync>() -> impl Strategy<Value = Filter<F>> {
    prop::collection::vec(clause::<F>(), 1..5).prop_map(|clauses| {
        clauses
            .into_iter()
            .fold(Filter::new(), |filter, (field, op, value)| {
                filter.and(field, op, value)
            })
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn connector_searches_print_then_parse_to_the_same(filter in filter::<ConnectorField>()) {
        prop_assert!(filter.validate().is_ok());
        prop_assert_eq!(Filter::<ConnectorField>::parse(&filter.to_string()).unwrap(), filter);
    }

    #[test]
    fn approval_searches_print_then_parse_to_the_same(filter in filter::<ApprovalField>()) {
        prop_assert_eq!(Filter::<ApprovalField>::parse(&filter.to_string()).unwrap(), filter);
    }

    #[test]
    fn any_search_text_parses_or_names_a_position_inside_it(text in "\\PC{0,60}") {
        if let Err(error) = Filter::<ConnectorField>::parse(&text) {
            prop_assert!(error.position <= text.chars().count());
        }
    }

    #[test]
    fn durations_print_then_parse_to_the_same(seconds in any::<u64>()) {
        let duration = ZpaDuration::from_secs(seconds);
        prop_assert_eq!(duration.to_string().parse::<ZpaDuration>().unwrap(), duration);
    }

    #[test]
    fn api_durations_parse(d in 0u64..400, h in 0u64..24, m in 0u64..60, s in 0u64..60) {
        let text = format!("{d:02}d {h:02}h {m:02}m {s:02}s");
        prop_assert_eq!(text.parse::<ZpaDuration>().unwrap().as_secs(), ((d * 24 + h) * 60 + m) * 60 + s);
    }

    #[test]
    fn any_duration_text_is_a_value_or_an_error_inside_it(text in "\\PC{0,30}") {
        if let Err(error) = text.parse::<ZpaDuration>() {
            prop_assert!(error.position() <= text.chars().count());
        }
    }

    #[test]
    fn retry_after_reads_seconds_with_or_without_s(seconds in 0u64..100_000, suffix in prop::bool::ANY) {
        let text = if suffix { format!("{seconds}s") } else { seconds.to_string() };
        prop_assert_eq!(parse_retry_after(&text), Some(std::time::Duration::from_secs(seconds)));
    }

    #[test]
    fn any_retry_after_text_is_a_wait_or_none(text in "\\PC{0,20}") {
        let _ = parse_retry_after(&text);
    }

    #[test]
    fn any_json_decodes_to_a_connector_or_a_typed_error(json in arbitrary_json()) {
        let text = json.to_string();
        let _ = serde_json::from_str::<Connector>(&text);
        let _ = serde_json::from_str::<Approval>(&text);
    }

    #[test]
    fn connectors_with_any_field_types_decode_or_fail_cleanly(fields in prop::collection::btree_map(connector_field(), arbitrary_json(), 0..12)) {
        let mut object: serde_json::Map<String, serde_json::Value> = fields.into_iter().collect();
        object.insert("id".into(), "217246660303024871".into());
        object.insert("name".into(), "n".into());
        let _ = serde_json::from_value::<Connector>(serde_json::Value::Object(object));
    }
}

fn connector_field() -> impl Strategy<Value = String> {
    prop::sample::select(
        ConnectorField::ALL
            .iter()
            .map(|f| f.name().to_owned())
            .collect::<Vec<_>>(),
    )
}

fn arbitrary_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        "\\PC{0,20}".prop_map(serde_json::Value::from),
        "[0-9]{1,25}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
            prop::collection::btree_map("[a-zA-Z]{1,12}", inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}
