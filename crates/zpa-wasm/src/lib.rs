//! JavaScript bindings of the `zpa` facade: the same client, compiled to
//! wasm, for Node and browsers. `web/pkg/index.js` wraps the generated glue
//! (it loads the module, defines `ZpaError` and makes streams async-iterable).

#![forbid(unsafe_code)]

mod approvals;
mod client;
mod connectors;
mod convert;
mod errors;
mod stream;
mod vocabulary;

pub use approvals::Approvals;
pub use client::{ZpaClient, working_hours_crons};
pub use connectors::Connectors;
pub use errors::set_error_class;
pub use stream::ItemStream;
pub use vocabulary::vocabulary;

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(typescript_custom_section)]
const API_TYPES: &str = include_str!("api.d.ts");

#[wasm_bindgen(typescript_custom_section)]
const SETTING_TYPES: &str = include_str!("settings.d.ts");

#[wasm_bindgen(typescript_custom_section)]
const OPTION_TYPES: &str = include_str!("options.d.ts");
