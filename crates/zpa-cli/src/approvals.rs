//! `zpa approvals ...`

use anyhow::Result;
use zpa::model::ApprovalFields;
use zpa::{ApprovalChange, ApprovalRequest, Client, Direction, Weekday, WorkingHours};

use crate::cli::{ApprovalCommand, ApprovalEdit, ApprovalSpec, HoursArgs};
use crate::failure::{InputError, api};
use crate::listing;
use crate::output::Printer;

pub async fn run(zpa: &Client, command: ApprovalCommand, printer: &mut Printer) -> Result<()> {
    let approvals = zpa.approvals();
    match command {
        ApprovalCommand::List {
            listing: options,
            sort_by,
            sort_dir,
        } => {
            let mut list = listing::apply(approvals.list(), &options);
            if let Some(field) = sort_by {
                let field = api(|| "reading --sort-by".into(), field.parse())?;
                let direction = match sort_dir {
                    Some(direction) => api(|| "reading --sort-dir".into(), direction.parse())?,
                    None => Direction::Ascending,
                };
                list = list.sort(field, direction);
            }
            listing::print(list, options.page, printer, "listing approvals", |_| {}).await
        }
        ApprovalCommand::Get { id: Some(id), .. } => {
            let approval = api(
                || format!("getting approval {id}"),
                approvals.get(&id).await,
            )?;
            Ok(printer.one(&approval)?)
        }
        ApprovalCommand::Get { email, .. } => {
            let email = email.unwrap_or_default();
            let found = api(
                || format!("finding approvals for {email}"),
                approvals.by_email(&email).await,
            )?;
            printer.start_list::<ApprovalFields>()?;
            for approval in &found {
                printer.item(approval)?;
            }
            printer.flush_page(found.len() as u64)?;
            Ok(printer.end_list()?)
        }
        ApprovalCommand::Create(spec) => {
            let request = request(&spec)?;
            let approval = api(
                || format!("creating an approval for {}", spec.email),
                approvals.create(&request).await,
            )?;
            Ok(printer.one(&approval)?)
        }
        ApprovalCommand::Update { id, edit } => {
            let change = change(&edit)?;
            let stored = api(
                || format!("updating approval {id}"),
                approvals.change(&id, &change).await,
            )?;
            eprintln!("updated approval {id}");
            Ok(printer.one(&stored)?)
        }
        ApprovalCommand::Delete { id } => {
            api(
                || format!("deleting approval {id}"),
                approvals.delete(&id).await,
            )?;
            eprintln!("deleted approval {id}");
            Ok(())
        }
        ApprovalCommand::DeleteExpired => {
            let deleted = api(
                || "deleting expired approvals".into(),
                approvals.delete_expired().await,
            )?;
            eprintln!(
                "{}",
                if deleted {
                    "deleted the expired approvals"
                } else {
                    "no expired approval to delete"
                }
            );
            Ok(())
        }
    }
}

fn request(spec: &ApprovalSpec) -> Result<ApprovalRequest> {
    let start = time("--start", &spec.start)?;
    let end = time("--end", &spec.end)?;
    let request = ApprovalRequest::new(&spec.email, spec.apps.iter().cloned(), start, end);
    Ok(match working_hours(&spec.hours)? {
        Some(hours) => request.working_hours(hours),
        None => request,
    })
}

fn change(edit: &ApprovalEdit) -> Result<ApprovalChange> {
    let mut change = ApprovalChange::new();
    if let Some(email) = &edit.email {
        change = change.email(email);
    }
    if !edit.apps.is_empty() {
        change = change.applications(edit.apps.iter());
    }
    if let Some(start) = &edit.start {
        change = change.start_time(time("--start", start)?);
    }
    if let Some(end) = &edit.end {
        change = change.end_time(time("--end", end)?);
    }
    if edit.no_hours {
        change = change.no_working_hours();
    } else if let Some(hours) = working_hours(&edit.hours)? {
        change = change.working_hours(hours);
    }
    Ok(change)
}

/// The working hours the options give, if any.
fn working_hours(args: &HoursArgs) -> Result<Option<WorkingHours>> {
    let wants_hours = args.hours.is_some() || args.time_zone.is_some() || !args.days.is_empty();
    if !wants_hours {
        return Ok(None);
    }
    let (Some(hours), Some(zone)) = (&args.hours, &args.time_zone) else {
        return Err(InputError("invalid working hours: --hours and --time-zone go together (--days defaults to MON-FRI)".into()).into());
    };
    let (from, to) = hours
        .split_once('-')
        .ok_or_else(|| InputError(format!("invalid --hours: {hours:?} is not HH:MM-HH:MM")))?;
    let days = if args.days.is_empty() {
        vec![
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ]
    } else {
        args.days
            .iter()
            .map(|day| api(|| "reading --days".into(), day.parse()))
            .collect::<Result<_>>()?
    };
    Ok(Some(WorkingHours::new(days, from.trim(), to.trim(), zone)))
}

/// RFC 3339 (`2026-11-24T09:00:00Z`) or epoch seconds.
fn time(option: &str, text: &str) -> Result<i64> {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text
            .parse()
            .map_err(|_| InputError(format!("invalid {option}: {text:?} is too large")).into());
    }
    text.parse::<jiff::Timestamp>()
        .map(|t| t.as_second())
        .map_err(|_| InputError(format!("invalid {option}: {text:?} is neither RFC 3339 (2026-11-24T09:00:00Z) nor epoch seconds")).into())
}

#[cfg(test)]
mod tests {
    use super::time;

    #[test]
    fn times_in_either_form() {
        assert_eq!(time("--start", "1684409727").unwrap(), 1_684_409_727);
        assert_eq!(
            time("--start", "2023-05-18T11:35:27Z").unwrap(),
            1_684_409_727
        );
        assert_eq!(
            time("--start", "2023-05-18T17:05:27+05:30").unwrap(),
            1_684_409_727
        );
        assert_eq!(
            time("--end", "tomorrow").unwrap_err().to_string(),
            "invalid --end: \"tomorrow\" is neither RFC 3339 (2026-11-24T09:00:00Z) nor epoch seconds"
        );
    }
}
