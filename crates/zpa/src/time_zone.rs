//! The UTC offset of an IANA time zone at an instant.
//!
//! Native targets use jiff with its bundled time zone database. On wasm32
//! the JavaScript engine's `Intl` carries the same database already, so the
//! package asks it rather than shipping a second copy (about 200 KB).

/// Why a zone could not be used.
pub(crate) struct UnknownZone;

/// The offset from UTC, in minutes, in force in `zone` at `epoch_seconds`.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn offset_minutes(zone: &str, epoch_seconds: i64) -> Result<i64, UnknownZone> {
    let zone = jiff::tz::TimeZone::get(zone).map_err(|_| UnknownZone)?;
    let instant = jiff::Timestamp::from_second(epoch_seconds).map_err(|_| UnknownZone)?;
    Ok(i64::from(zone.to_offset(instant).seconds()) / 60)
}

/// The offset from UTC, in minutes, in force in `zone` at `epoch_seconds`:
/// the zone's wall clock at that instant, read back as if it were UTC, minus
/// the instant.
#[cfg(target_arch = "wasm32")]
pub(crate) fn offset_minutes(zone: &str, epoch_seconds: i64) -> Result<i64, UnknownZone> {
    use js_sys::{Array, Date, Object, Reflect};
    use wasm_bindgen::{JsCast, JsValue};

    let options = Object::new();
    let set = |key: &str, value: &str| {
        Reflect::set(&options, &key.into(), &value.into()).map_err(|_| UnknownZone)
    };
    set("timeZone", zone)?;
    set("hourCycle", "h23")?;
    for part in ["year", "month", "day", "hour", "minute", "second"] {
        set(part, "numeric")?;
    }
    let format = intl::DateTimeFormat::new(&Array::of1(&"en-US".into()), &options)
        .map_err(|_| UnknownZone)?;
    let instant_ms = (epoch_seconds as f64) * 1000.0;
    let parts = format.format_to_parts(&Date::new(&JsValue::from_f64(instant_ms)));
    let mut fields = [0.0_f64; 6];
    for part in parts.iter() {
        let part: Object = part.unchecked_into();
        let kind = Reflect::get(&part, &"type".into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        let value = Reflect::get(&part, &"value".into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        let index = ["year", "month", "day", "hour", "minute", "second"]
            .iter()
            .position(|k| *k == kind);
        if let (Some(index), Ok(number)) = (index, value.parse::<f64>()) {
            fields[index] = number;
        }
    }
    let [year, month, day, hour, minute, second] = fields;
    let wall_ms = Date::utc(year, month - 1.0)
        + ((day - 1.0) * 86_400.0 + hour * 3_600.0 + minute * 60.0 + second) * 1000.0;
    Ok(((wall_ms - instant_ms) / 60_000.0).round() as i64)
}

/// `Intl.DateTimeFormat`, bound with `catch` so that an unknown zone (a
/// `RangeError` in JavaScript) comes back as an error instead of unwinding.
#[cfg(target_arch = "wasm32")]
mod intl {
    use wasm_bindgen::prelude::wasm_bindgen;

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = Intl)]
        pub type DateTimeFormat;

        #[wasm_bindgen(constructor, catch, js_namespace = Intl)]
        pub fn new(
            locales: &js_sys::Array,
            options: &js_sys::Object,
        ) -> Result<DateTimeFormat, wasm_bindgen::JsValue>;

        #[wasm_bindgen(method, js_name = formatToParts)]
        pub fn format_to_parts(this: &DateTimeFormat, date: &js_sys::Date) -> js_sys::Array;
    }
}
