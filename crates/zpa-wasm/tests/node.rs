//! The bindings under wasm-bindgen-test in Node: option checking, error
//! objects and value conversion, without a server.
#![cfg(target_arch = "wasm32")]

use js_sys::{JSON, Reflect};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;
use zpa_wasm::{ZpaClient, working_hours_crons};

fn object(json: &str) -> JsValue {
    JSON::parse(json).unwrap()
}

fn field(value: &JsValue, name: &str) -> JsValue {
    Reflect::get(value, &name.into()).unwrap()
}

#[wasm_bindgen_test]
fn unknown_options_are_named() {
    let error = ZpaClient::new(object(
        r#"{"customerId": "1", "baseURL": "http://127.0.0.1:1"}"#,
    ))
    .err()
    .unwrap();
    assert_eq!(field(&error, "kind"), "invalidInput");
    assert_eq!(field(&error, "field"), "baseURL");
    let message = field(&error, "message").as_string().unwrap();
    assert!(
        message.starts_with("invalid baseURL: unknown field, expected one of cloud, baseUrl"),
        "{message}"
    );
}

#[wasm_bindgen_test]
fn options_build_a_client() {
    let options = r#"{"customerId": "216196257331281920", "baseUrl": "http://127.0.0.1:1", "token": "t", "rateLimit": {"reads": 20, "writes": 10, "windowMs": 500}}"#;
    assert!(ZpaClient::new(object(options)).is_ok());
    let error = ZpaClient::new(object(r#"{"customerId": "x1", "token": "t"}"#))
        .err()
        .unwrap();
    assert_eq!(
        field(&error, "message"),
        "invalid customerId: \"x1\" is not an id (digits only, at most 19)"
    );
}

#[wasm_bindgen_test]
fn crons_from_the_engine_time_zones() {
    let hours = object(
        r#"{"days": ["MON", "SUN"], "startTime": "08:00", "endTime": "17:00", "timeZone": "Asia/Tokyo"}"#,
    );
    let crons = working_hours_crons(hours, 1_705_320_000.0.into()).unwrap();
    assert_eq!(field(&crons, "startTimeCron"), "0 0 23 ? * SAT,SUN");
    assert_eq!(field(&crons, "endTimeCron"), "0 0 8 ? * MON,SUN");
    let bad = object(
        r#"{"days": ["MON"], "startTime": "08:00", "endTime": "17:00", "timeZone": "Mars/Base"}"#,
    );
    let error = working_hours_crons(bad, 1_705_320_000.0.into())
        .err()
        .unwrap();
    assert_eq!(field(&error, "field"), "workingHours.timeZone");
    let fractional =
        object(r#"{"days": ["MON"], "startTime": "08:00", "endTime": "17:00", "timeZone": "UTC"}"#);
    assert!(working_hours_crons(fractional, 1.5.into()).is_err());
}
