//! `zpa.applications`: application segments, read-only: get, byName, list,
//! listPage, ofType.

use js_sys::Promise;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_futures::future_to_promise;
use zpa::{APPLICATION_TYPES, ApplicationType, Client};

use crate::convert::output;
use crate::errors::{invalid, to_js};
use crate::listing;
use crate::shape::text;
use crate::stream::ItemStream;

/// Application segment operations, from `zpa.applications`.
#[wasm_bindgen]
pub struct Applications {
    client: Client,
}

impl Applications {
    pub fn new(client: Client) -> Self {
        Applications { client }
    }
}

/// The type `value` names, as the API writes it.
fn application_type(value: &JsValue) -> Result<ApplicationType, JsValue> {
    let name = text("type", value)?;
    APPLICATION_TYPES
        .into_iter()
        .find(|t| t.to_string() == name)
        .ok_or_else(|| {
            let names: Vec<String> = APPLICATION_TYPES
                .iter()
                .map(|t| format!("\"{t}\""))
                .collect();
            invalid(
                "type",
                &format!("must be {}, got {name:?}", names.join(", ")),
            )
        })
}

#[wasm_bindgen]
impl Applications {
    /// The segment with this id.
    #[wasm_bindgen(unchecked_return_type = "Promise<ApplicationSegment>")]
    pub fn get(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let id = text("id", &id)?;
            output(&client.applications().get(&id).await.map_err(to_js)?)
        })
    }

    /// The segment named exactly `name` (case-sensitive); rejects with kind
    /// "notFound" when none is and "ambiguous" (with `candidates`) when
    /// several are, as in several microtenants.
    #[wasm_bindgen(js_name = byName, unchecked_return_type = "Promise<ApplicationSegment>")]
    pub fn by_name(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
    ) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let name = text("name", &name)?;
            output(&client.applications().by_name(&name).await.map_err(to_js)?)
        })
    }

    /// Every segment (or those `search` selects), page after page.
    #[wasm_bindgen(unchecked_return_type = "Listing<ApplicationSegment>")]
    pub fn list(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ListOptions | undefined")] options: Option<JsValue>,
    ) -> Result<ItemStream, JsValue> {
        listing::items(self.client.applications().list(), options)
    }

    /// One page of segments with the listing's totals.
    #[wasm_bindgen(js_name = listPage, unchecked_return_type = "Promise<Page<ApplicationSegment>>")]
    pub fn list_page(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PageOptions")] options: JsValue,
    ) -> Promise {
        listing::page(self.client.applications().list(), options)
    }

    /// The applications of one type across every segment (such as
    /// "SECURE_REMOTE_ACCESS"), page after page; each one's `appId` is its
    /// segment's id.
    #[wasm_bindgen(js_name = ofType, unchecked_return_type = "Listing<SegmentApp>")]
    pub fn of_type(
        &self,
        #[wasm_bindgen(js_name = type, unchecked_param_type = "ApplicationType")]
        application_type: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ListOptions | undefined")] options: Option<JsValue>,
    ) -> Result<ItemStream, JsValue> {
        let application_type = self::application_type(&application_type)?;
        listing::items(
            self.client.applications().of_type(application_type),
            options,
        )
    }
}
