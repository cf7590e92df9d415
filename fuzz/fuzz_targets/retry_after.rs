//! A `retry-after` value is a wait or none, never a panic; whole seconds,
//! with or without `s`, read exactly up to 2^53 (where f64 stays exact).
#![no_main]
#![forbid(unsafe_code)]

use std::time::Duration;

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use zpa::parse_retry_after;

#[derive(Arbitrary, Debug)]
enum Input<'a> {
    Text(&'a str),
    Seconds(u64, bool),
}

fuzz_target!(|input: Input<'_>| match input {
    Input::Text(text) => {
        if let Some(wait) = parse_retry_after(text) {
            assert!(
                text.trim().starts_with(|c: char| c.is_ascii_digit()),
                "{text:?} gave {wait:?}"
            );
        }
    }
    Input::Seconds(seconds, suffix) => {
        let seconds = seconds % (1 << 53);
        let text = if suffix {
            format!("{seconds}s")
        } else {
            seconds.to_string()
        };
        assert_eq!(parse_retry_after(&text), Some(Duration::from_secs(seconds)));
    }
});
