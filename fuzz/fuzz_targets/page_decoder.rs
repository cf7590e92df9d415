//! Any bytes: the one-pass page decoder of the listing operations reads a
//! page only where serde reads the same page (the same values, the same JSON
//! for each object), and never panics.
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;
use zpa_client::page::{Page, decode};
use zpa_client::types::{ApprovalList, ConnectorList};

fuzz_target!(|bytes: &[u8]| {
    reads_as_serde::<ConnectorList>(bytes);
    reads_as_serde::<ApprovalList>(bytes);
});

fn reads_as_serde<T: Page + PartialEq + std::fmt::Debug>(bytes: &[u8]) {
    let Some(page) = decode::<T>(bytes) else {
        return;
    };
    let serde: T = serde_json::from_slice(bytes).expect("serde reads what the decoder read");
    assert_eq!(page, serde);
    let texts = |page: &T| {
        let objects = page.objects().iter();
        objects.map(|o| o.json().to_owned()).collect::<Vec<_>>()
    };
    assert_eq!(texts(&page), texts(&serde));
}
