//! Duration text is a value or an error at a position inside it, never a
//! panic; every value prints and parses back to itself.
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use zpa::ZpaDuration;

#[derive(Arbitrary, Debug)]
enum Input<'a> {
    Text(&'a str),
    Seconds(u64),
}

fuzz_target!(|input: Input<'_>| {
    let duration = match input {
        Input::Text(text) => match text.parse::<ZpaDuration>() {
            Ok(duration) => duration,
            Err(error) => {
                assert!(error.position() <= text.chars().count(), "{error}");
                return;
            }
        },
        Input::Seconds(seconds) => ZpaDuration::from_secs(seconds),
    };
    assert_eq!(duration.to_string().parse::<ZpaDuration>(), Ok(duration));
});
