//! `zpa.approvals`: create, get, list, listPage, update, delete, deleteExpired.

use js_sys::Promise;
use serde::Deserialize;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_futures::future_to_promise;
use zpa::Field as _;
use zpa::{
    ApplicationRef, ApprovalChange, ApprovalField, ApprovalRequest, Client, Direction,
    ListApprovals,
};

use crate::convert::{PageOut, output};
use crate::errors::{invalid, to_js};
use crate::listing::{ListOptions, Listing, Paged};
use crate::shape::{Field, Input, Interface, Shape, read, read_or_default, text};
use crate::stream::ItemStream;
use crate::working_hours::WorkingHoursInput;

/// Privileged approval operations, from `zpa.approvals`.
#[wasm_bindgen]
pub struct Approvals {
    client: Client,
}

/// What an approval grants.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApprovalInput {
    email: String,
    applications: Vec<ApplicationRef>,
    start_time: i64,
    end_time: i64,
    working_hours: Option<WorkingHoursInput>,
}

impl Input for ApprovalInput {
    fn shape() -> Interface {
        Interface {
            name: "ApprovalInput",
            doc: "What an approval grants; checked before any request.",
            fields: approval_fields(false),
        }
    }
}

/// The fields of an approval as JavaScript gives them. In a change every
/// one is optional, and `workingHours: null` removes the working hours.
fn approval_fields(change: bool) -> Vec<Field> {
    let field = if change {
        Field::optional
    } else {
        Field::required
    };
    let hours = Shape::Object(WorkingHoursInput::shape());
    let hours = if change {
        Shape::Nullable(Box::new(hours))
    } else {
        hours
    };
    let segment = Shape::Either(vec![
        Shape::Text,
        Shape::Object(segment_by("id")),
        Shape::Object(segment_by("name")),
    ]);
    vec![
        field(
            "email",
            Shape::Text,
            "Email address of the user the access is granted to.",
        ),
        field(
            "applications",
            Shape::List(Box::new(segment)),
            "The application segments the access is to: ids, or exact names (a string of digits is an id; `{ name }` names a segment whose name is digits).",
        ),
        field(
            "startTime",
            Shape::Time,
            "When the access starts: a Date or epoch seconds (not milliseconds).",
        ),
        field(
            "endTime",
            Shape::Time,
            "When the access ends: a Date or epoch seconds (not milliseconds).",
        ),
        Field::optional("workingHours", hours, "Daily hours to limit the access to."),
    ]
}

/// An application segment as an approval names it: `{ id }` or `{ name }`,
/// the facade's [`ApplicationRef`] as serde writes it.
pub fn segment_by(key: &'static str) -> Interface {
    let (name, doc, field) = match key {
        "id" => (
            "SegmentById",
            "An application segment, by id.",
            "The segment's id.",
        ),
        _ => (
            "SegmentByName",
            "An application segment, by its exact name (case-sensitive).",
            "The segment's exact name.",
        ),
    };
    Interface {
        name,
        doc,
        fields: vec![Field::required(key, Shape::Text, field)],
    }
}

impl ApprovalInput {
    fn into_request(self) -> Result<ApprovalRequest, JsValue> {
        let mut request = ApprovalRequest::new(
            self.email,
            self.applications,
            self.start_time,
            self.end_time,
        );
        if let Some(hours) = self.working_hours {
            request = request.working_hours(hours.checked()?);
        }
        Ok(request)
    }
}

/// What `update` changes: only the fields given; `workingHours: null`
/// removes them.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeInput {
    email: Option<String>,
    applications: Option<Vec<ApplicationRef>>,
    start_time: Option<i64>,
    end_time: Option<i64>,
    /// Absent: unchanged; `null`: removed.
    #[serde(default, deserialize_with = "present")]
    working_hours: Option<Option<WorkingHoursInput>>,
}

/// A field that is present, `null` or not.
fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

impl Input for ChangeInput {
    fn shape() -> Interface {
        Interface {
            name: "ApprovalChange",
            doc: "What `approvals.update` changes: only the fields given (the approval is read, changed and written back); `workingHours: null` removes them. A start time left alone may lie in the past.",
            fields: approval_fields(true),
        }
    }
}

impl ChangeInput {
    fn into_change(self) -> Result<ApprovalChange, JsValue> {
        let mut change = ApprovalChange::new();
        if let Some(email) = self.email {
            change = change.email(email);
        }
        if let Some(applications) = self.applications {
            change = change.applications(applications);
        }
        if let Some(start) = self.start_time {
            change = change.start_time(start);
        }
        if let Some(end) = self.end_time {
            change = change.end_time(end);
        }
        match self.working_hours {
            Some(Some(hours)) => change = change.working_hours(hours.checked()?),
            Some(None) => change = change.no_working_hours(),
            None => {}
        }
        Ok(change)
    }
}

/// A listing of approvals, optionally sorted.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ApprovalListOptions {
    #[serde(flatten)]
    list: ListOptions,
    sort_by: Option<String>,
    sort_dir: Option<String>,
}

impl ApprovalListOptions {
    fn fields() -> Vec<Field> {
        let mut fields = ListOptions::shape().fields;
        let names = ApprovalField::ALL
            .iter()
            .map(|field| field.name())
            .collect();
        fields.push(Field::optional(
            "sortBy",
            Shape::Word(names),
            "Field to sort by, such as \"endTime\".",
        ));
        let directions = Direction::ALL.map(Direction::as_str).to_vec();
        fields.push(Field::optional(
            "sortDir",
            Shape::Word(directions),
            "Sort direction (default \"asc\").",
        ));
        fields
    }

    fn apply(&self, list: ListApprovals) -> Result<ListApprovals, JsValue> {
        let list = self.list.apply(list);
        // The facade's words, named as the JavaScript options.
        let named = |option: &'static str| {
            move |error: zpa::Error| invalid(option, error.reason().unwrap_or_default())
        };
        Ok(match (&self.sort_by, &self.sort_dir) {
            (Some(name), direction) => {
                let field: ApprovalField = name.parse().map_err(named("sortBy"))?;
                let direction = match direction {
                    Some(text) => text.parse().map_err(named("sortDir"))?,
                    None => Direction::Ascending,
                };
                list.sort(field, direction)
            }
            (None, Some(_)) => return Err(invalid("sortDir", "needs sortBy")),
            (None, None) => list,
        })
    }
}

impl Input for ApprovalListOptions {
    fn shape() -> Interface {
        Interface {
            name: "ApprovalListOptions",
            doc: "A listing of approvals, optionally sorted.",
            fields: ApprovalListOptions::fields(),
        }
    }
}

impl Listing for ApprovalListOptions {
    const PAGE: &'static str = "ApprovalPageOptions";
}

impl Approvals {
    pub fn new(client: Client) -> Self {
        Approvals { client }
    }
}

#[wasm_bindgen]
impl Approvals {
    /// Creates the approval (checked first; segment names looked up; never
    /// sent twice).
    #[wasm_bindgen(unchecked_return_type = "Promise<Approval>")]
    pub fn create(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ApprovalInput")] approval: JsValue,
    ) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let request = read::<ApprovalInput>("approval", &approval)?.into_request()?;
            output(&client.approvals().create(&request).await.map_err(to_js)?)
        })
    }

    /// The approval with this id.
    #[wasm_bindgen(unchecked_return_type = "Promise<Approval>")]
    pub fn get(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let id = text("id", &id)?;
            output(&client.approvals().get(&id).await.map_err(to_js)?)
        })
    }

    /// The approvals granted to exactly `email`; rejects with kind
    /// "notFound" when there is none.
    #[wasm_bindgen(js_name = byEmail, unchecked_return_type = "Promise<Approval[]>")]
    pub fn by_email(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] email: JsValue,
    ) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let email = text("email", &email)?;
            output(&client.approvals().by_email(&email).await.map_err(to_js)?)
        })
    }

    /// Every approval (or those `search` selects), page after page.
    #[wasm_bindgen(unchecked_return_type = "Listing<Approval>")]
    pub fn list(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ApprovalListOptions | undefined")] options: Option<
            JsValue,
        >,
    ) -> Result<ItemStream, JsValue> {
        let options: ApprovalListOptions =
            read_or_default("options", &options.unwrap_or_default())?;
        Ok(ItemStream::new(
            options.apply(self.client.approvals().list())?.pages(),
        ))
    }

    /// One page with the listing's totals.
    #[wasm_bindgen(js_name = listPage, unchecked_return_type = "Promise<Page<Approval>>")]
    pub fn list_page(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ApprovalPageOptions")] options: JsValue,
    ) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let options: Paged<ApprovalListOptions> = read("options", &options)?;
            let page = options
                .list
                .apply(client.approvals().list())?
                .page(options.page)
                .await
                .map_err(to_js)?;
            output(&PageOut::from(page))
        })
    }

    /// Changes the fields given and leaves the rest (read, change, write in
    /// the approval's microtenant); resolves to the approval as stored.
    #[wasm_bindgen(unchecked_return_type = "Promise<Approval>")]
    pub fn update(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ApprovalChange")] changes: JsValue,
    ) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let id = text("id", &id)?;
            let change = read::<ChangeInput>("changes", &changes)?.into_change()?;
            output(
                &client
                    .approvals()
                    .change(&id, &change)
                    .await
                    .map_err(to_js)?,
            )
        })
    }

    /// Deletes the approval, in whichever microtenant it lives.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn delete(&self, #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue) -> Promise {
        let client = self.client.clone();
        future_to_promise(async move {
            let id = text("id", &id)?;
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
