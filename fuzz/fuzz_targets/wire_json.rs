//! Any bytes a server sends decode to the wire types or fail with a typed
//! error, never a panic; what decodes encodes and decodes back to itself.
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;
use serde::Serialize;
use serde::de::DeserializeOwned;
use zpa_client::types::{Approval, ApprovalList, Connector, ConnectorList, ErrorBody};

fuzz_target!(|bytes: &[u8]| {
    round_trips::<Connector>(bytes);
    round_trips::<ConnectorList>(bytes);
    round_trips::<Approval>(bytes);
    round_trips::<ApprovalList>(bytes);
    round_trips::<ErrorBody>(bytes);
});

fn round_trips<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(bytes: &[u8]) {
    let Ok(value) = serde_json::from_slice::<T>(bytes) else {
        return;
    };
    let encoded = serde_json::to_vec(&value).expect("a decoded value encodes");
    let again: T = serde_json::from_slice(&encoded).expect("an encoded value decodes");
    assert_eq!(again, value);
}
