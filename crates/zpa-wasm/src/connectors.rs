//! `zpa.connectors`: get, list, listPage, update, delete, bulkDelete, stale.

use futures::TryStreamExt;
use js_sys::Promise;
use serde::Deserialize;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_futures::future_to_promise;
use zpa::{Client, ConnectorUpdate, ZpaDuration};

use crate::convert::output;
use crate::errors::{invalid, to_js};
use crate::listing;
use crate::shape::{Field, Input, Interface, Shape, read, returned, text, texts};
use crate::stream::ItemStream;

/// App Connector operations, from `zpa.connectors`.
#[wasm_bindgen]
pub struct Connectors {
    client: Client,
}

/// The fields of an App Connector that an update changes.
#[derive(Deserialize)]
pub struct ConnectorChanges {
    name: Option<String>,
    description: Option<String>,
    enabled: Option<bool>,
}

impl Input for ConnectorChanges {
    fn shape() -> Interface {
        Interface {
            name: "ConnectorChanges",
            doc: "The fields of an App Connector that an update changes; the others are left as they are.",
            fields: vec![
                Field::optional("name", Shape::Text, "Name of the App Connector."),
                Field::optional(
                    "description",
                    Shape::Text,
                    "Description of the App Connector.",
                ),
                Field::optional(
                    "enabled",
                    Shape::Bool,
                    "Whether the App Connector is enabled.",
                ),
            ],
        }
    }
}

impl Connectors {
    pub fn new(client: Client) -> Self {
        Connectors { client }
    }
}

#[wasm_bindgen]
impl Connectors {
    /// The connector with this id.
    #[wasm_bindgen(unchecked_return_type = "Promise<Connector>")]
    pub fn get(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let id = text("id", &id)?;
            output(&client.connectors().get(&id).await.map_err(to_js)?)
        })
    }

    /// The connector named exactly `name`; rejects with kind "notFound" when
    /// none is and "ambiguous" when several are.
    #[wasm_bindgen(js_name = byName, unchecked_return_type = "Promise<Connector>")]
    pub fn by_name(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
    ) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let name = text("name", &name)?;
            output(&client.connectors().by_name(&name).await.map_err(to_js)?)
        })
    }

    /// Every connector (or those `search` selects), page after page.
    #[wasm_bindgen(unchecked_return_type = "Listing<Connector>")]
    pub fn list(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ListOptions | undefined")] options: Option<JsValue>,
    ) -> Result<ItemStream, JsValue> {
        listing::items(self.client.connectors().list(), options)
    }

    /// One page with the listing's totals.
    #[wasm_bindgen(js_name = listPage, unchecked_return_type = "Promise<Page<Connector>>")]
    pub fn list_page(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PageOptions")] options: JsValue,
    ) -> Promise {
        listing::page(self.client.connectors().list(), options)
    }

    /// Changes the fields given (the others are left as they are), in
    /// whichever microtenant the connector lives.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn update(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ConnectorChanges")] changes: JsValue,
    ) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let id = text("id", &id)?;
            let changes: ConnectorChanges = read("changes", &changes)?;
            let update = ConnectorUpdate {
                name: changes.name,
                description: changes.description,
                enabled: changes.enabled,
            };
            client
                .connectors()
                .update(&id, &update)
                .await
                .map_err(to_js)?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Deletes the connector, in whichever microtenant it lives.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn delete(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let id = text("id", &id)?;
            client.connectors().delete(&id).await.map_err(to_js)?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Deletes several connectors by id, one request per microtenant they
    /// live in (each never sent twice).
    #[wasm_bindgen(js_name = bulkDelete, unchecked_return_type = "Promise<void>")]
    pub fn bulk_delete(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string[]")] ids: JsValue,
    ) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let ids = texts("ids", &ids)?;
            client.connectors().bulk_delete(&ids).await.map_err(to_js)?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Deletes connectors found by a listing, one bulk delete per
    /// microtenant; resolves to how many were deleted.
    #[wasm_bindgen(js_name = deleteListed, unchecked_return_type = "Promise<number>")]
    pub fn delete_listed(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Connector[]")] connectors: JsValue,
    ) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let connectors: Vec<zpa::model::ConnectorFields> = returned("connectors", &connectors)?;
            let deleted = client
                .connectors()
                .delete_listed(&connectors)
                .await
                .map_err(to_js)?;
            Ok(JsValue::from_f64(deleted as f64))
        })
    }

    /// Every disconnected connector whose last disconnection is older than
    /// `olderThan` (such as "15d").
    #[wasm_bindgen(unchecked_return_type = "Promise<Connector[]>")]
    pub fn stale(
        &self,
        #[wasm_bindgen(js_name = olderThan, unchecked_param_type = "string")] older_than: JsValue,
    ) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let age: ZpaDuration = text("olderThan", &older_than)?
                .parse()
                .map_err(|e: zpa::InvalidDuration| invalid("olderThan", &e.to_string()))?;
            let stale: Vec<_> = client
                .connectors()
                .stale(age)
                .items()
                .try_collect()
                .await
                .map_err(to_js)?;
            output(&stale)
        })
    }
}
