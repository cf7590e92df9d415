//! `new ZpaClient(options)`: the facade's client, configured from a plain
//! object whose keys are the facade's settings under their JavaScript names.

use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;
use zpa::{Client, ClientBuilder, Cloud, RateLimit, Setting};

use crate::applications::Applications;
use crate::approvals::Approvals;
use crate::connectors::Connectors;
use crate::errors::to_js;
use crate::shape::{COUNT, Field, Input, Interface, Shape, object, text};

/// Custom pacing: ZPA-style counts over a window.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RateLimits {
    reads: u32,
    writes: u32,
    window_ms: u32,
}

impl Input for RateLimits {
    fn shape() -> Interface {
        Interface {
            name: "RateLimits",
            doc: "Custom pacing (adaptive, as \"zpa\" is).",
            fields: vec![
                Field::required("reads", COUNT, "GET requests per window."),
                Field::required("writes", COUNT, "Other requests per window."),
                Field::required("windowMs", COUNT, "The window, in milliseconds."),
            ],
        }
    }
}

/// The options of `new ZpaClient`: every setting of the client under its
/// JavaScript name, typed as JavaScript takes it.
pub fn client_options() -> Interface {
    let fields = Setting::ALL
        .iter()
        .map(|&setting| Field {
            name: setting.js_name(),
            shape: setting_shape(setting),
            required: setting == Setting::CustomerId,
            secret: setting.is_secret(),
            doc: format!(
                "{} (`{}`, `--{}`)",
                match setting {
                    Setting::RateLimit => RATE_LIMIT,
                    _ => setting.help(),
                },
                setting.env(),
                setting.option()
            ),
        })
        .collect();
    Interface {
        name: "ClientOptions",
        doc: "How to reach the API and who the caller is.",
        fields,
    }
}

/// JavaScript's pacing: the facade's words without Redis, or custom counts.
const RATE_LIMIT: &str = "Pacing to ZPA's limits (20 GET and 10 writes per 10 s): \"zpa\", true or absent lowers its pace while 429s show that others share the tenant's budget; \"fixed\" never does; \"off\" or false for none; or custom counts. A budget shared through Redis is native-only.";

fn setting_shape(setting: Setting) -> Shape {
    if let Some(why) = setting.wasm_refusal() {
        return Shape::NativeOnly(why);
    }
    match setting {
        Setting::Cloud => Shape::Word(Cloud::ALL.map(Cloud::name).to_vec()),
        // A Redis URL is native-only, so JavaScript has the words and more.
        Setting::RateLimit => Shape::Either(vec![
            Shape::Bool,
            Shape::Word(vec!["zpa", "fixed", "off"]),
            Shape::Object(RateLimits::shape()),
        ]),
        _ => Shape::Text,
    }
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
        let mut options = object(&client_options(), &options, "options", true)?;
        let mut builder = ClientBuilder::default();
        for setting in Setting::ALL {
            let Some(value) = options.remove(setting.js_name()) else {
                continue;
            };
            builder = match value {
                Value::String(text) => builder.set(setting, &text).map_err(to_js)?,
                Value::Bool(true) => builder,
                Value::Bool(false) => builder.no_rate_limit(),
                custom => {
                    let limits: RateLimits = serde_json::from_value(custom)
                        .map_err(|e| crate::errors::invalid("rateLimit", &e.to_string()))?;
                    builder.rate_limit(RateLimit {
                        reads: limits.reads,
                        writes: limits.writes,
                        window: Duration::from_millis(limits.window_ms.into()),
                        ..RateLimit::ZPA
                    })
                }
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

    /// Application segment operations (read-only).
    #[wasm_bindgen(getter)]
    pub fn applications(&self) -> Applications {
        Applications::new(self.client.clone())
    }

    /// A client whose every call is scoped to the microtenant `id`.
    pub fn microtenant(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    ) -> Result<ZpaClient, JsValue> {
        Ok(ZpaClient {
            client: self.client.microtenant(&text("id", &id)?).map_err(to_js)?,
        })
    }
}
