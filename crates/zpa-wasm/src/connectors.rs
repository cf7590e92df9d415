//! `zpa.connectors`: get, list, listPage, update, delete, bulkDelete, stale.

use futures::TryStreamExt;
use js_sys::Promise;
use serde::Deserialize;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_futures::future_to_promise;
use zpa::{Client, ConnectorUpdate, ListConnectors, ZpaDuration};

use crate::convert::{PageOut, input, options, output};
use crate::errors::{invalid, to_js};
use crate::stream::ItemStream;

/// App Connector operations, from `zpa.connectors`.
#[wasm_bindgen]
pub struct Connectors {
    client: Client,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ListOptions {
    pub search: Option<String>,
    pub page_size: Option<u32>,
    pub page: Option<u32>,
}

#[derive(Deserialize)]

struct Changes {
    name: Option<String>,
    description: Option<String>,
    enabled: Option<bool>,
}

impl ListOptions {
    fn apply(&self, mut list: ListConnectors) -> ListConnectors {
        if let Some(search) = &self.search {
            list = list.search(search);
        }
        if let Some(size) = self.page_size {
            list = list.page_size(size);
        }
        list
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
    pub fn get(&self, id: String) -> Promise {
        let client = self.client.clone();
        future_to_promise(
            async move { output(&client.connectors().get(&id).await.map_err(to_js)?) },
        )
    }

    /// The connector named exactly `name`; rejects with kind "notFound" when
    /// none is and "ambiguous" when several are.
    #[wasm_bindgen(js_name = byName, unchecked_return_type = "Promise<Connector>")]
    pub fn by_name(&self, name: String) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            output(&client.connectors().by_name(&name).await.map_err(to_js)?)
        })
    }

    /// Every connector (or those `search` selects), page after page.
    #[wasm_bindgen(unchecked_return_type = "AsyncIterable<Connector>")]
    pub fn list(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ListOptions")] options_: JsValue,
    ) -> Result<ItemStream, JsValue> {
        let options: ListOptions = options("list options", options_)?;
        if options.page.is_some() {
            return Err(invalid(
                "page",
                "list() yields every page; use listPage() for one",
            ));
        }
        Ok(ItemStream::new(
            options.apply(self.client.connectors().list()).pages(),
        ))
    }

    /// One page with the listing's totals.
    #[wasm_bindgen(js_name = listPage, unchecked_return_type = "Promise<Page<Connector>>")]
    pub fn list_page(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PageOptions")] options_: JsValue,
    ) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let options: ListOptions = input("page options", options_)?;
            let number = options
                .page
                .ok_or_else(|| invalid("page", "missing: pages are numbered from 1"))?;
            let page = options
                .apply(client.connectors().list())
                .page(number)
                .await
                .map_err(to_js)?;
            output(&PageOut::from(page))
        })
    }

    /// Changes the fields given; the others are left as they are.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn update(
        &self,
        id: String,
        #[wasm_bindgen(unchecked_param_type = "ConnectorChanges")] changes: JsValue,
    ) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let changes: Changes = input("changes", changes)?;
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

    /// Deletes the connector.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn delete(&self, id: String) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            client.connectors().delete(&id).await.map_err(to_js)?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Deletes several connectors in one request (never sent twice).
    #[wasm_bindgen(js_name = bulkDelete, unchecked_return_type = "Promise<void>")]
    pub fn bulk_delete(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string[]")] ids: JsValue,
    ) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let ids: Vec<String> = input("ids (an array of id strings)", ids)?;
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
            let connectors: Vec<zpa::model::ConnectorFields> = input("connectors", connectors)?;
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
    pub fn stale(&self, #[wasm_bindgen(js_name = olderThan)] older_than: String) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let age: ZpaDuration = older_than
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
