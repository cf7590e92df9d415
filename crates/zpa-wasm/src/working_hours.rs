//! Working hours as JavaScript gives them, and `workingHoursCrons`.

use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;
use zpa::{Weekday, WorkingHours};

use crate::convert::output;
use crate::errors::to_js;
use crate::shape::{Field, Input, Interface, Shape, check, read};

/// Daily working hours of an approval, in local time.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkingHoursInput {
    days: Vec<String>,
    start_time: String,
    end_time: String,
    time_zone: String,
}

impl Input for WorkingHoursInput {
    fn shape() -> Interface {
        let days = Weekday::ALL.map(Weekday::as_str).to_vec();
        Interface {
            name: "WorkingHoursInput",
            doc: "Daily working hours of an approval, in local time.",
            fields: vec![
                Field::required(
                    "days",
                    Shape::List(Box::new(Shape::Word(days))),
                    "The days.",
                ),
                Field::required("startTime", Shape::Text, "Local start, \"HH:MM\"."),
                Field::required("endTime", Shape::Text, "Local end, \"HH:MM\"."),
                Field::required(
                    "timeZone",
                    Shape::Text,
                    "IANA time zone, such as \"America/Vancouver\".",
                ),
            ],
        }
    }
}

impl WorkingHoursInput {
    /// The facade's working hours (the days were checked with the shape).
    pub fn checked(self) -> Result<WorkingHours, JsValue> {
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
/// at `approvalStart` (a `Date` or epoch seconds): to preview them before
/// sending.
#[wasm_bindgen(js_name = workingHoursCrons, unchecked_return_type = "Crons")]
pub fn working_hours_crons(
    #[wasm_bindgen(js_name = workingHours, unchecked_param_type = "WorkingHoursInput")]
    working_hours: JsValue,
    #[wasm_bindgen(js_name = approvalStart, unchecked_param_type = "Date | number")]
    approval_start: JsValue,
) -> Result<JsValue, JsValue> {
    let hours = read::<WorkingHoursInput>("workingHours", &working_hours)?.checked()?;
    let start = check(&Shape::Time, &approval_start, "approvalStart", false)?;
    let start = start.as_i64().unwrap_or_default();
    let (start, end) = hours.crons(start).map_err(to_js)?;
    output(&Crons {
        start_time_cron: start,
        end_time_cron: end,
    })
}

/// The UTC crons the API stores for working hours.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Crons {
    start_time_cron: String,
    end_time_cron: String,
}

impl Crons {
    #[cfg(all(test, not(target_arch = "wasm32")))]
    pub fn sample() -> Crons {
        Crons {
            start_time_cron: "0 0 9 ? * MON".to_owned(),
            end_time_cron: "0 0 17 ? * MON".to_owned(),
        }
    }

    pub fn shape() -> Interface {
        Interface {
            name: "Crons",
            doc: "The UTC crons the API stores for working hours.",
            fields: vec![
                Field::required(
                    "startTimeCron",
                    Shape::Text,
                    "When the access starts each day.",
                ),
                Field::required("endTimeCron", Shape::Text, "When the access ends each day."),
            ],
        }
    }
}
