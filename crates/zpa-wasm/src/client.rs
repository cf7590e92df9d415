//! `new ZpaClient(options)`: the facade's client, configured from a plain object.

use std::time::Duration;

use js_sys::{Array, Object, Reflect};
use serde::Deserialize;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;
use zpa::{Client, ClientBuilder, RateLimit, Setting, Weekday, WorkingHours};

use crate::approvals::Approvals;
use crate::connectors::Connectors;
use crate::convert::{input, output};
use crate::errors::{invalid, to_js};

/// `rateLimit` also takes a switch or ZPA-style counts, beside the text
/// every other setting takes.
#[derive(Deserialize)]
#[serde(untagged)]
enum RateLimitOption {
    Switch(bool),
    /// `zpa`, `fixed` or `off`, as the facade reads them.
    Setting(String),
    #[serde(rename_all = "camelCase")]
    Custom {
        reads: u32,
        writes: u32,
        window_ms: u64,
    },
}

/// A ZPA API client. Clones share the token and the rate limiter.
#[wasm_bindgen]
pub struct ZpaClient {
    client: Client,
}

#[wasm_bindgen]
impl ZpaClient {
    /// Checks the options and makes the client; no request is sent.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ClientOptions")] options: JsValue,
    ) -> Result<ZpaClient, JsValue> {
        // Each option is one of the facade's settings, under its JavaScript
        // name, and reads as the environment and the command line read it.
        let options = options
            .dyn_into::<Object>()
            .ok()
            .filter(|o| !Array::is_array(o))
            .ok_or_else(|| invalid("options", "must be an object of client options"))?;
        let mut builder = ClientBuilder::default();
        for key in Object::keys(&options).iter().filter_map(|k| k.as_string()) {
            let value = Reflect::get(&options, &JsValue::from_str(&key)).unwrap_or_default();
            if value.is_undefined() {
                continue;
            }
            let Some(setting) = Setting::from_js_name(&key) else {
                let known: Vec<_> = Setting::ALL.iter().map(|s| s.js_name()).collect();
                return Err(invalid(
                    &key,
                    &format!("unknown option, expected one of `{}`", known.join("`, `")),
                ));
            };
            builder = match (setting, value.as_string()) {
                (_, Some(text)) => builder.set(setting, &text).map_err(to_js)?,
                (Setting::RateLimit, None) => match input("rateLimit", value)? {
                    RateLimitOption::Switch(true) => builder,
                    RateLimitOption::Switch(false) => builder.no_rate_limit(),
                    RateLimitOption::Setting(text) => builder.set(setting, &text).map_err(to_js)?,
                    RateLimitOption::Custom {
                        reads,
                        writes,
                        window_ms,
                    } => builder.rate_limit(RateLimit {
                        reads,
                        writes,
                        window: Duration::from_millis(window_ms),
                        ..RateLimit::ZPA
                    }),
                },
                (_, None) => return Err(invalid(setting.js_name(), "must be a string")),
            };
        }
        Ok(ZpaClient {
            client: builder.build().map_err(to_js)?,
        })
    }

    /// App Connector operations.
    #[wasm_bindgen(getter)]
    pub fn connectors(&self) -> Connectors {
        Connectors::new(self.client.clone())
    }

    /// Privileged approval operations.
    #[wasm_bindgen(getter)]
    pub fn approvals(&self) -> Approvals {
        Approvals::new(self.client.clone())
    }

    /// A client whose every call is scoped to the microtenant `id`.
    pub fn microtenant(&self, id: &str) -> Result<ZpaClient, JsValue> {
        Ok(ZpaClient {
            client: self.client.microtenant(id).map_err(to_js)?,
        })
    }
}

/// Daily working hours as the API takes them from JavaScript.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkingHoursInput {
    days: Vec<String>,
    start_time: String,
    end_time: String,
    time_zone: String,
}

impl WorkingHoursInput {
    /// Reads `workingHours` on its own, so that its fields are checked too.
    pub fn read(value: JsValue) -> Result<WorkingHours, JsValue> {
        input::<WorkingHoursInput>("workingHours", value)?.checked()
    }

    fn checked(self) -> Result<WorkingHours, JsValue> {
        let days = self
            .days
            .iter()
            .map(|day| day.parse::<Weekday>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(to_js)?;
        Ok(WorkingHours::new(
            days,
            self.start_time,
            self.end_time,
            self.time_zone,
        ))
    }
}

/// The UTC crons the API stores for `workingHours` of an approval starting
/// at `approvalStart` (epoch seconds): to preview them before sending.
#[wasm_bindgen(js_name = workingHoursCrons, unchecked_return_type = "Crons")]
pub fn working_hours_crons(
    #[wasm_bindgen(unchecked_param_type = "WorkingHoursInput")] working_hours: JsValue,
    approval_start: f64,
) -> Result<JsValue, JsValue> {
    let hours = WorkingHoursInput::read(working_hours)?;
    if approval_start.fract() != 0.0 || !approval_start.is_finite() {
        return Err(crate::errors::invalid(
            "approvalStart",
            "must be whole epoch seconds",
        ));
    }
    let (start, end) = hours.crons(approval_start as i64).map_err(to_js)?;
    output(&Crons {
        start_time_cron: start,
        end_time_cron: end,
    })
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Crons {
    start_time_cron: String,
    end_time_cron: String,
}
