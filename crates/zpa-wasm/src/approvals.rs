//! `zpa.approvals`: create, get, list, listPage, update, delete, deleteExpired.

use js_sys::Promise;
use serde::Deserialize;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_futures::future_to_promise;
use zpa::{ApprovalChange, ApprovalField, ApprovalRequest, Client, Direction, ListApprovals};

use crate::client::WorkingHoursInput;
use crate::convert::{PageOut, input, options, output};
use crate::errors::{invalid, to_js};
use crate::stream::ItemStream;

/// Privileged approval operations, from `zpa.approvals`.
#[wasm_bindgen]
pub struct Approvals {
    client: Client,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ApprovalInput {
    email: String,
    application_ids: Vec<String>,
    start_time: i64,
    end_time: i64,
    /// Read on its own by [`WorkingHoursInput::read`].
    #[serde(with = "serde_wasm_bindgen::preserve", default = "undefined")]
    working_hours: JsValue,
}

fn undefined() -> JsValue {
    JsValue::UNDEFINED
}

impl ApprovalInput {
    fn read(value: JsValue) -> Result<ApprovalRequest, JsValue> {
        let input: ApprovalInput = input("approval", value)?;
        let mut request = ApprovalRequest::new(
            input.email,
            input.application_ids,
            input.start_time,
            input.end_time,
        );
        if !input.working_hours.is_undefined() && !input.working_hours.is_null() {
            request = request.working_hours(WorkingHoursInput::read(input.working_hours)?);
        }
        Ok(request)
    }
}

/// What `update` changes: only the fields given; `workingHours: null`
/// removes them.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ChangeInput {
    email: Option<String>,
    application_ids: Option<Vec<String>>,
    start_time: Option<i64>,
    end_time: Option<i64>,
    #[serde(with = "serde_wasm_bindgen::preserve", default = "undefined")]
    working_hours: JsValue,
}

impl ChangeInput {
    fn read(value: JsValue) -> Result<ApprovalChange, JsValue> {
        let input: ChangeInput = input("changes", value)?;
        let mut change = ApprovalChange::new();
        if let Some(email) = input.email {
            change = change.email(email);
        }
        if let Some(ids) = input.application_ids {
            change = change.application_ids(ids);
        }
        if let Some(start) = input.start_time {
            change = change.start_time(start);
        }
        if let Some(end) = input.end_time {
            change = change.end_time(end);
        }
        if input.working_hours.is_null() {
            change = change.no_working_hours();
        } else if !input.working_hours.is_undefined() {
            change = change.working_hours(WorkingHoursInput::read(input.working_hours)?);
        }
        Ok(change)
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ListOptions {
    search: Option<String>,
    page_size: Option<u32>,
    page: Option<u32>,
    sort_by: Option<String>,
    sort_dir: Option<String>,
}

impl ListOptions {
    fn apply(&self, mut list: ListApprovals) -> Result<ListApprovals, JsValue> {
        if let Some(search) = &self.search {
            list = list.search(search);
        }
        if let Some(size) = self.page_size {
            list = list.page_size(size);
        }
        // The facade's words, named as the JavaScript options.
        let named = |option: &'static str| {
            move |error: zpa::Error| invalid(option, error.reason().unwrap_or_default())
        };
        match (&self.sort_by, &self.sort_dir) {
            (Some(name), direction) => {
                let field: ApprovalField = name.parse().map_err(named("sortBy"))?;
                let direction = match direction {
                    Some(text) => text.parse().map_err(named("sortDir"))?,
                    None => Direction::Ascending,
                };
                list = list.sort(field, direction);
            }
            (None, Some(_)) => return Err(invalid("sortDir", "needs sortBy")),
            (None, None) => {}
        }
        Ok(list)
    }
}

impl Approvals {
    pub fn new(client: Client) -> Self {
        Approvals { client }
    }
}

#[wasm_bindgen]
impl Approvals {
    /// Creates the approval (checked first; never sent twice).
    #[wasm_bindgen(unchecked_return_type = "Promise<Approval>")]
    pub fn create(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ApprovalInput")] approval: JsValue,
    ) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let request = ApprovalInput::read(approval)?;
            output(&client.approvals().create(&request).await.map_err(to_js)?)
        })
    }

    /// The approval with this id.
    #[wasm_bindgen(unchecked_return_type = "Promise<Approval>")]
    pub fn get(&self, id: String) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move { output(&client.approvals().get(&id).await.map_err(to_js)?) })
    }

    /// The approvals granted to exactly `email`; rejects with kind
    /// "notFound" when there is none.
    #[wasm_bindgen(js_name = byEmail, unchecked_return_type = "Promise<Approval[]>")]
    pub fn by_email(&self, email: String) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            output(&client.approvals().by_email(&email).await.map_err(to_js)?)
        })
    }

    /// Every approval (or those `search` selects), page after page.
    #[wasm_bindgen(unchecked_return_type = "AsyncIterable<Approval>")]
    pub fn list(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ApprovalListOptions")] options_: JsValue,
    ) -> Result<ItemStream, JsValue> {
        let options: ListOptions = options("list options", options_)?;
        if options.page.is_some() {
            return Err(invalid(
                "page",
                "list() yields every page; use listPage() for one",
            ));
        }
        Ok(ItemStream::new(
            options.apply(self.client.approvals().list())?.pages(),
        ))
    }

    /// One page with the listing's totals.
    #[wasm_bindgen(js_name = listPage, unchecked_return_type = "Promise<Page<Approval>>")]
    pub fn list_page(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ApprovalPageOptions")] options_: JsValue,
    ) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let options: ListOptions = input("page options", options_)?;
            let number = options
                .page
                .ok_or_else(|| invalid("page", "missing: pages are numbered from 1"))?;
            let page = options
                .apply(client.approvals().list())?
                .page(number)
                .await
                .map_err(to_js)?;
            output(&PageOut::from(page))
        })
    }

    /// Changes the fields given and leaves the rest (read, change, write).
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn update(
        &self,
        id: String,
        #[wasm_bindgen(unchecked_param_type = "ApprovalChange")] changes: JsValue,
    ) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let change = ChangeInput::read(changes)?;
            client
                .approvals()
                .change(&id, &change)
                .await
                .map_err(to_js)?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Deletes the approval.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn delete(&self, id: String) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            client.approvals().delete(&id).await.map_err(to_js)?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Deletes every expired approval; resolves to whether any was deleted.
    #[wasm_bindgen(js_name = deleteExpired, unchecked_return_type = "Promise<boolean>")]
    pub fn delete_expired(&self) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            Ok(client
                .approvals()
                .delete_expired()
                .await
                .map_err(to_js)?
                .into())
        })
    }
}
