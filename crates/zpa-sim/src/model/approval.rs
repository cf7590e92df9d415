use std::cmp::Ordering;

use serde_json::Value;

use crate::errors::ApiError;
use crate::json::Obj;
use crate::model::application::Segments;
use crate::search::{Kind, Searchable, Val, natural_cmp};

pub(crate) const DAYS: [&str; 7] = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"];

#[derive(Clone, Debug)]
pub(crate) struct Approval {
    pub(crate) id: u64,
    pub(crate) creation_time: i64,
    pub(crate) modified_time: Option<i64>,
    pub(crate) modified_by: String,
    pub(crate) start_time: i64,
    pub(crate) end_time: i64,
    pub(crate) email_ids: Vec<String>,
    pub(crate) applications: Vec<u64>,
    pub(crate) working_hours: Option<WorkingHours>,
    pub(crate) microtenant_id: u64,
    pub(crate) microtenant_name: Option<String>,
    /// Whether it carries the fields no SDK knows yet (`SimConfig::future_fields`).
    pub(crate) future_fields: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct WorkingHours {
    pub(crate) start_time_cron: Option<String>,
    pub(crate) end_time_cron: Option<String>,
    pub(crate) start_time: String,
    pub(crate) end_time: String,
    pub(crate) days: Vec<String>,
    pub(crate) time_zone: String,
}

/// Which answer an approval is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Answer {
    /// A get or a list.
    Stored,
    /// The answer to the create that made it.
    Created,
}

impl Approval {
    /// The status is not stored: ZPA derives it from the clock.
    pub(crate) fn status(&self, now: i64) -> &'static str {
        if now < self.start_time {
            "FUTURE"
        } else if now > self.end_time {
            "EXPIRED"
        } else {
            "ACTIVE"
        }
    }

    pub(crate) fn write(&self, out: &mut String, now: i64, segments: &Segments, answer: Answer) {
        let mut o = Obj::new(out);
        o.num("id", self.id);
        o.opt_num("modifiedTime", self.modified_time);
        o.num("creationTime", self.creation_time);
        o.str("modifiedBy", &self.modified_by);
        o.num("startTime", self.start_time);
        o.num("endTime", self.end_time);
        if self.microtenant_id != 0 {
            o.num("microtenantId", self.microtenant_id);
        }
        o.opt_str("microtenantName", self.microtenant_name.as_deref());
        if let Some(wh) = &self.working_hours {
            let mut w = Obj::new(o.key("workingHours"));
            w.opt_str("startTimeCron", wh.start_time_cron.as_deref());
            w.opt_str("endTimeCron", wh.end_time_cron.as_deref());
            w.str("startTime", &wh.start_time);
            w.str("endTime", &wh.end_time);
            w.str_list("days", wh.days.iter().map(String::as_str));
            w.str("timeZone", &wh.time_zone);
            if self.future_fields {
                w.raw("graceMinutes", "null");
            }
            w.end();
        }
        o.str("status", self.status(now));
        o.str_list("emailIds", self.email_ids.iter().map(String::as_str));
        let list = o.key("applications");
        list.push('[');
        for (i, id) in self.applications.iter().enumerate() {
            if i > 0 {
                list.push(',');
            }
            match (segments.get(id), answer) {
                (Some(segment), Answer::Stored) => list.push_str(&segment.embedded),
                (Some(segment), Answer::Created) => list.push_str(&segment.created),
                (None, _) => list.push_str(&format!("{{\"id\":\"{id}\"}}")),
            }
        }
        list.push(']');
        if self.future_fields {
            o.raw(
                "reviewChain",
                r#"[{"step":1,"approverIds":["72057594038624153"],"approvedAt":"1773370063"},{"step":2,"approverIds":[],"approvedAt":null}]"#,
            );
        }
        o.end();
    }

    pub(crate) fn sort_cmp(&self, other: &Self, field: &str, now: i64) -> Ordering {
        match field {
            "id" => self.id.cmp(&other.id),
            "creationTime" => self.creation_time.cmp(&other.creation_time),
            "modifiedTime" => self.modified_time.cmp(&other.modified_time),
            "modifiedBy" => natural_cmp(&self.modified_by, &other.modified_by),
            "startTime" => self.start_time.cmp(&other.start_time),
            "endTime" => self.end_time.cmp(&other.end_time),
            "status" => self.status(now).cmp(other.status(now)),
            "emailIds" => self.email_ids.cmp(&other.email_ids),
            "microtenantId" => self.microtenant_id.cmp(&other.microtenant_id),
            _ => Ordering::Equal,
        }
        .then(self.id.cmp(&other.id))
    }

    pub(crate) fn is_sort_field(field: &str) -> bool {
        matches!(
            field,
            "id" | "creationTime"
                | "modifiedTime"
                | "modifiedBy"
                | "startTime"
                | "endTime"
                | "status"
                | "emailIds"
                | "microtenantId"
        )
    }
}

impl Searchable for Approval {
    fn kind(field: &str) -> Option<Kind> {
        Some(match field {
            "id" | "creationTime" | "modifiedTime" | "modifiedBy" | "startTime" | "endTime"
            | "microtenantId" => Kind::Int,
            "status" => Kind::Str,
            "emailIds" => Kind::List,
            _ => return None,
        })
    }

    fn value(&self, field: &str, now: i64) -> Option<Val<'_>> {
        let int = |v: i64| Val::Int(v.into());
        Some(match field {
            "id" => Val::Int(self.id.into()),
            "creationTime" => int(self.creation_time),
            "modifiedTime" => int(self.modified_time?),
            "modifiedBy" => Val::Int(self.modified_by.parse().ok()?),
            "startTime" => int(self.start_time),
            "endTime" => int(self.end_time),
            "microtenantId" => Val::Int(self.microtenant_id.into()),
            "status" => Val::Str(self.status(now)),
            "emailIds" => Val::List(&self.email_ids),
            _ => return None,
        })
    }
}

/// The fields of a create or update body that the server keeps; everything
/// else the UI sends along (`startDate`, `currentTime`, ...) is ignored.
#[derive(Debug)]
pub(crate) struct ApprovalInput {
    pub(crate) email_ids: Vec<String>,
    pub(crate) applications: Vec<u64>,
    pub(crate) start_time: i64,
    pub(crate) end_time: i64,
    pub(crate) working_hours: Option<WorkingHours>,
}

impl ApprovalInput {
    pub(crate) fn parse(body: &[u8]) -> Result<Self, ApiError> {
        let value: Value = serde_json::from_slice(body)
            .map_err(|e| ApiError::bad_request(format!("Request body is not valid JSON: {e}")))?;
        let obj = value
            .as_object()
            .ok_or_else(|| ApiError::bad_request("Request body must be a JSON object."))?;

        let emails = obj
            .get("emailIds")
            .and_then(Value::as_array)
            .ok_or_else(|| invalid("emailIds", "emailIds is required."))?;
        if emails.len() != 1 {
            return Err(invalid(
                "emailIds",
                "Exactly one email id is allowed in a privileged approval.",
            ));
        }
        let email = emails[0]
            .as_str()
            .filter(|e| is_email(e))
            .ok_or_else(|| invalid("emailIds", "emailIds must hold a valid email address."))?;

        let apps = obj
            .get("applications")
            .and_then(Value::as_array)
            .filter(|a| !a.is_empty())
            .ok_or_else(|| invalid("applications", "At least one application is required."))?;
        let applications = apps
            .iter()
            .map(|app| app.get("id").and_then(as_u64))
            .collect::<Option<Vec<u64>>>()
            .ok_or_else(|| invalid("applications", "Every application needs a numeric id."))?;

        let time = |field: &'static str| {
            obj.get(field)
                .and_then(as_i64)
                .ok_or_else(|| invalid(field, &format!("{field} must be epoch seconds.")))
        };
        let (start_time, end_time) = (time("startTime")?, time("endTime")?);
        if start_time >= end_time {
            return Err(invalid("startTime", "startTime must be before endTime."));
        }

        let working_hours = match obj.get("workingHours") {
            None | Some(Value::Null) => None,
            Some(wh) => Some(parse_working_hours(wh)?),
        };
        Ok(ApprovalInput {
            email_ids: vec![email.to_owned()],
            applications,
            start_time,
            end_time,
            working_hours,
        })
    }
}

fn parse_working_hours(value: &Value) -> Result<WorkingHours, ApiError> {
    let bad = |why: &str| invalid("workingHours", why);
    let obj = value
        .as_object()
        .ok_or_else(|| bad("workingHours must be an object."))?;
    let text = |key: &str| obj.get(key).and_then(Value::as_str).map(str::to_owned);
    let days = obj
        .get("days")
        .and_then(Value::as_array)
        .filter(|d| !d.is_empty())
        .ok_or_else(|| bad("workingHours.days must list at least one day."))?;
    let mut seen = Vec::new();
    for day in days {
        let day = day
            .as_str()
            .filter(|d| DAYS.contains(d))
            .ok_or_else(|| bad("workingHours.days must be among MON TUE WED THU FRI SAT SUN."))?;
        if seen.iter().any(|d| d == day) {
            return Err(bad("workingHours.days must not repeat a day."));
        }
        seen.push(day.to_owned());
    }
    let clock = |key: &str| {
        text(key)
            .filter(|t| is_hh_mm(t))
            .ok_or_else(|| bad(&format!("workingHours.{key} must be HH:MM.")))
    };
    let (start_time, end_time) = (clock("startTime")?, clock("endTime")?);
    let time_zone = text("timeZone")
        .filter(|z| !z.trim().is_empty())
        .ok_or_else(|| bad("workingHours.timeZone is required."))?;
    Ok(WorkingHours {
        start_time_cron: text("startTimeCron"),
        end_time_cron: text("endTimeCron"),
        start_time,
        end_time,
        days: seen,
        time_zone,
    })
}

fn invalid(field: &str, reason: &str) -> ApiError {
    ApiError::bad_request(reason).with_param(field)
}

fn is_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((user, domain)) => {
            !user.is_empty() && domain.contains('.') && !text.contains(char::is_whitespace)
        }
        None => false,
    }
}

fn is_hh_mm(text: &str) -> bool {
    match text.split_once(':') {
        Some((h, m)) if h.len() == 2 && m.len() == 2 => {
            matches!((h.parse::<u8>(), m.parse::<u8>()), (Ok(h), Ok(m)) if h < 24 && m < 60)
        }
        _ => false,
    }
}

/// Requests send numbers, answers send strings; accept both.
fn as_i64(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn as_u64(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_seed_body() {
        let body =
            br#"{"email":"email@safemarch.com","startTime":1684409727,"endTime":"1685619327",
            "applications":[{"id":"145256180497776992"}],"currentTime":1684409826,
            "workingHours":{"days":["MON","TUE"],"startTime":"09:00","endTime":"17:00",
            "timeZone":"Asia/Calcutta","startTimeCron":"0 30 3 ? * MON,TUE"},
            "emailIds":["email@safemarch.com"]}"#;
        let input = ApprovalInput::parse(body).unwrap();
        assert_eq!(input.applications, [145256180497776992]);
        assert_eq!((input.start_time, input.end_time), (1684409727, 1685619327));
        let wh = input.working_hours.unwrap();
        assert_eq!(wh.start_time_cron.as_deref(), Some("0 30 3 ? * MON,TUE"));
        assert_eq!(wh.end_time_cron, None);
    }

    #[test]
    fn hh_mm() {
        assert!(is_hh_mm("09:00"));
        assert!(is_hh_mm("23:59"));
        assert!(!is_hh_mm("24:00"));
        assert!(!is_hh_mm("9:00"));
    }
}
