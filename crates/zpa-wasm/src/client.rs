//! `new ZpaClient(options)`: the facade's client, configured from a plain object.

use std::time::Duration;

use serde::Deserialize;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;
use zpa::{Client, ClientBuilder, RateLimit, RateLimitSetting, Weekday, WorkingHours};

use crate::approvals::Approvals;
use crate::connectors::Connectors;
use crate::convert::{input, output};
use crate::errors::to_js;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ClientOptions {
    customer_id: String,
    base_url: Option<String>,
    cloud: Option<String>,
    token: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    vanity_domain: Option<String>,
    token_url: Option<String>,
    microtenant_id: Option<String>,
    rate_limit: Option<RateLimitOption>,
    /// Accepted only to be refused with a clear reason: private-key sign-in
    /// is native-only.
    private_key: Option<String>,
}

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
        let options: ClientOptions = input("client options", options)?;
        let mut builder = ClientBuilder::default().customer_id(options.customer_id);
        if let Some(cloud) = options.cloud {
            builder = builder.cloud(cloud.parse().map_err(to_js)?);
        }
        if let Some(url) = options.base_url {
            builder = builder.base_url(url);
        }
        if let Some(token) = options.token {
            builder = builder.token(token);
        }
        match (
            options.client_id,
            options.client_secret,
            options.private_key,
        ) {
            (Some(id), Some(secret), _) => builder = builder.client_credentials(id, secret),
            (Some(id), None, Some(key)) => builder = builder.private_key(id, key),
            (Some(_), None, None) => {
                return Err(crate::errors::invalid(
                    "clientSecret",
                    "a clientId is set but no clientSecret",
                ));
            }
            (None, _, _) => {}
        }
        if let Some(domain) = options.vanity_domain {
            builder = builder.one_api(domain);
        }
        if let Some(url) = options.token_url {
            builder = builder.token_url(url);
        }
        if let Some(id) = options.microtenant_id {
            builder = builder.microtenant(id);
        }
        builder = match options.rate_limit {
            None | Some(RateLimitOption::Switch(true)) => builder,
            Some(RateLimitOption::Switch(false)) => builder.no_rate_limit(),
            Some(RateLimitOption::Setting(text)) => {
                match text.parse::<RateLimitSetting>().map_err(to_js)?.0 {
                    Some(limit) => builder.rate_limit(limit),
                    None => builder.no_rate_limit(),
                }
            }
            Some(RateLimitOption::Custom {
                reads,
                writes,
                window_ms,
            }) => builder.rate_limit(RateLimit {
                reads,
                writes,
                window: Duration::from_millis(window_ms),
                ..RateLimit::ZPA
            }),
        };
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
