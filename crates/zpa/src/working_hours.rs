//! Working hours of a privileged approval, and the UTC crons the API wants.
//!
//! The API takes the daily window twice: as local `HH:MM` times in an IANA
//! zone, and as Quartz crons (`0 M H ? * DAYS`) in UTC that the client
//! computes. The conversion uses the zone's offset in force at the
//! approval's start (so daylight saving time counts), and when it crosses
//! midnight, every day moves with it: a local Monday 02:00 in UTC+5:30 is
//! Sunday 20:30 UTC.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use zpa_client::wire::CompactString;

use crate::error::{Error, Result};
use crate::input::Input;
use crate::time_zone::offset_minutes;

/// A day of the week, as the API writes it (and serde: `"MON"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "UPPERCASE")]
pub enum Weekday {
    /// `MON`
    Mon,
    /// `TUE`
    Tue,
    /// `WED`
    Wed,
    /// `THU`
    Thu,
    /// `FRI`
    Fri,
    /// `SAT`
    Sat,
    /// `SUN`
    Sun,
}

impl Weekday {
    /// Monday to Sunday.
    pub const ALL: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    /// The day as the API writes it: `MON` to `SUN`.
    pub fn as_str(self) -> &'static str {
        ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"][self as usize]
    }

    fn shifted(self, days: i64) -> Weekday {
        Weekday::ALL[(self as i64 + days).rem_euclid(7) as usize]
    }
}

impl FromStr for Weekday {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self> {
        Weekday::ALL
            .into_iter()
            .find(|day| day.as_str().eq_ignore_ascii_case(text.trim()))
            .ok_or_else(|| Error::not_one_of(Input::Days, text, Weekday::ALL.map(Weekday::as_str)))
    }
}

impl fmt::Display for Weekday {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The days and local hours an approval is usable.
///
/// ```
/// use zpa::{WorkingHours, Weekday::*};
/// let hours = WorkingHours::new([Mon, Tue, Wed, Thu, Fri], "09:00", "17:00", "Asia/Calcutta");
/// let (start, end) = hours.crons(1_684_409_727)?;
/// assert_eq!(start, "0 30 3 ? * MON,TUE,WED,THU,FRI");
/// assert_eq!(end, "0 30 11 ? * MON,TUE,WED,THU,FRI");
/// # Ok::<(), zpa::Error>(())
/// ```
///
/// With serde it reads and writes the API's local fields, `{"days":
/// ["MON"], "startTime": "09:00", "endTime": "17:00", "timeZone": "..."}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct WorkingHours {
    /// Days of the week, in local time.
    pub days: Vec<Weekday>,
    /// Local start time, `HH:MM`.
    #[serde(rename = "startTime")]
    pub start: String,
    /// Local end time, `HH:MM`.
    #[serde(rename = "endTime")]
    pub end: String,
    /// IANA time zone name, such as `America/Vancouver`.
    pub time_zone: String,
}

/// The working hours of an approval as the API returned them (local times
/// and zone beside the crons computed from them), in this crate's terms.
impl TryFrom<&zpa_client::types::WorkingHours> for WorkingHours {
    type Error = Error;

    fn try_from(hours: &zpa_client::types::WorkingHours) -> Result<Self> {
        let part = |value: &Option<CompactString>, input: Input| {
            value
                .as_deref()
                .map(String::from)
                .ok_or_else(|| Error::invalid(input, "the approval's working hours have none"))
        };
        Ok(WorkingHours {
            days: hours
                .days
                .iter()
                .map(|day| day.parse())
                .collect::<Result<_>>()?,
            start: part(&hours.start_time, Input::DailyStart)?,
            end: part(&hours.end_time, Input::DailyEnd)?,
            time_zone: part(&hours.time_zone, Input::TimeZone)?,
        })
    }
}

impl WorkingHours {
    /// Working hours from `start` to `end` (`HH:MM`, local) on `days` in `time_zone`.
    pub fn new(
        days: impl IntoIterator<Item = Weekday>,
        start: impl Into<String>,
        end: impl Into<String>,
        time_zone: impl Into<String>,
    ) -> Self {
        WorkingHours {
            days: days.into_iter().collect(),
            start: start.into(),
            end: end.into(),
            time_zone: time_zone.into(),
        }
    }

    /// Checks every field and returns the start and end crons in UTC for an
    /// approval starting at `approval_start` (epoch seconds).
    pub fn crons(&self, approval_start: i64) -> Result<(String, String)> {
        if self.days.is_empty() {
            return Err(Error::invalid(Input::Days, "at least one day is needed"));
        }
        let mut days = self.days.clone();
        days.sort();
        days.dedup();
        if days.len() != self.days.len() {
            return Err(Error::invalid(Input::Days, "a day is listed twice"));
        }
        let start = minutes(Input::DailyStart, &self.start)?;
        let end = minutes(Input::DailyEnd, &self.end)?;
        if start == end {
            return Err(Error::invalid(
                Input::WorkingHours,
                "the start and end times are the same",
            ));
        }
        let offset_minutes = offset_minutes(&self.time_zone, approval_start).map_err(|_| {
            Error::invalid(
                Input::TimeZone,
                format!("{:?} is not an IANA time zone name", self.time_zone),
            )
        })?;
        Ok((
            cron(start - offset_minutes, &days),
            cron(end - offset_minutes, &days),
        ))
    }
}

/// `HH:MM` as minutes after midnight.
fn minutes(field: Input, text: &str) -> Result<i64> {
    let invalid = || {
        Error::invalid(
            field,
            format!("{text:?} is not a time HH:MM (00:00 to 23:59)"),
        )
    };
    let (hours, minutes) = text.split_once(':').ok_or_else(invalid)?;
    let two_digits = |part: &str| part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit());
    if !two_digits(hours) || !two_digits(minutes) {
        return Err(invalid());
    }
    let (hours, minutes): (i64, i64) = (
        hours.parse().map_err(|_| invalid())?,
        minutes.parse().map_err(|_| invalid())?,
    );
    if hours > 23 || minutes > 59 {
        return Err(invalid());
    }
    Ok(hours * 60 + minutes)
}

/// The Quartz cron for `utc_minutes` after local midnight of each day, which
/// may fall on the day before or after.
fn cron(utc_minutes: i64, days: &[Weekday]) -> String {
    let day_shift = utc_minutes.div_euclid(24 * 60);
    let minutes = utc_minutes.rem_euclid(24 * 60);
    let mut shifted: Vec<Weekday> = days.iter().map(|day| day.shifted(day_shift)).collect();
    shifted.sort();
    let names: Vec<&str> = shifted.iter().map(|day| day.as_str()).collect();
    format!(
        "0 {} {} ? * {}",
        minutes % 60,
        minutes / 60,
        names.join(",")
    )
}

#[cfg(test)]
mod tests {
    // The same tests run under wasm-bindgen-test in Node for wasm32.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::Weekday::*;
    use super::*;

    const JAN_2024: i64 = 1_705_320_000; // 2024-01-15 12:00 UTC
    const JUL_2024: i64 = 1_721_044_800; // 2024-07-15 12:00 UTC

    /// Zone, days, local start and end, approval start, expected crons.
    type Case = (
        &'static str,
        &'static [Weekday],
        &'static str,
        &'static str,
        i64,
        &'static str,
        &'static str,
    );

    #[test]
    fn cron_table() {
        const WEEKDAYS: &[Weekday] = &[Mon, Tue, Wed, Thu, Fri];
        let cases: &[Case] = &[
            // The seed's examples.
            (
                "Asia/Calcutta",
                WEEKDAYS,
                "09:00",
                "17:00",
                1_684_409_727,
                "0 30 3 ? * MON,TUE,WED,THU,FRI",
                "0 30 11 ? * MON,TUE,WED,THU,FRI",
            ),
            (
                "Europe/Berlin",
                &[Mon, Tue],
                "09:00",
                "17:00",
                1_661_859_881,
                "0 0 7 ? * MON,TUE",
                "0 0 15 ? * MON,TUE",
            ),
            // Winter time in the same zone: one hour less offset.
            (
                "Europe/Berlin",
                &[Mon, Tue],
                "09:00",
                "17:00",
                JAN_2024,
                "0 0 8 ? * MON,TUE",
                "0 0 16 ? * MON,TUE",
            ),
            (
                "UTC",
                WEEKDAYS,
                "09:00",
                "17:00",
                JAN_2024,
                "0 0 9 ? * MON,TUE,WED,THU,FRI",
                "0 0 17 ? * MON,TUE,WED,THU,FRI",
            ),
            // West of UTC: evening hours move to the next day.
            (
                "America/Vancouver",
                &[Mon],
                "18:00",
                "23:00",
                JAN_2024,
                "0 0 2 ? * TUE",
                "0 0 7 ? * TUE",
            ),
            (
                "America/Vancouver",
                WEEKDAYS,
                "09:00",
                "17:00",
                JUL_2024,
                "0 0 16 ? * MON,TUE,WED,THU,FRI",
                "0 0 0 ? * TUE,WED,THU,FRI,SAT",
            ),
            // Half-hour offset, west, with daylight saving time.
            (
                "America/St_Johns",
                &[Fri],
                "22:00",
                "23:30",
                JAN_2024,
                "0 30 1 ? * SAT",
                "0 0 3 ? * SAT",
            ),
            (
                "America/St_Johns",
                &[Fri],
                "22:00",
                "23:30",
                JUL_2024,
                "0 30 0 ? * SAT",
                "0 0 2 ? * SAT",
            ),
            // 45-minute offsets, east: early hours move to the day before.
            (
                "Asia/Kathmandu",
                &[Mon],
                "02:00",
                "10:00",
                JAN_2024,
                "0 15 20 ? * SUN",
                "0 15 4 ? * MON",
            ),
            (
                "Pacific/Chatham",
                &[Mon],
                "10:00",
                "18:00",
                JAN_2024,
                "0 15 20 ? * SUN",
                "0 15 4 ? * MON",
            ),
            // Half-hour offset east, summer and winter.
            (
                "Australia/Adelaide",
                &[Mon, Wed],
                "09:00",
                "17:00",
                JAN_2024,
                "0 30 22 ? * TUE,SUN",
                "0 30 6 ? * MON,WED",
            ),
            (
                "Australia/Adelaide",
                &[Mon, Wed],
                "09:00",
                "17:00",
                JUL_2024,
                "0 30 23 ? * TUE,SUN",
                "0 30 7 ? * MON,WED",
            ),
            // Sunday wraps back to Saturday.
            (
                "Asia/Tokyo",
                &[Mon, Sun],
                "08:00",
                "17:00",
                JAN_2024,
                "0 0 23 ? * SAT,SUN",
                "0 0 8 ? * MON,SUN",
            ),
            // The offset is the one in force at the approval's start: the day
            // before and the day after the 2024 US change to daylight time.
            (
                "America/New_York",
                &[Mon],
                "09:00",
                "17:00",
                1_709_985_600,
                "0 0 14 ? * MON",
                "0 0 22 ? * MON",
            ),
            (
                "America/New_York",
                &[Mon],
                "09:00",
                "17:00",
                1_710_158_400,
                "0 0 13 ? * MON",
                "0 0 21 ? * MON",
            ),
        ];
        for (zone, days, start, end, at, start_cron, end_cron) in cases {
            let hours = WorkingHours::new(days.iter().copied(), *start, *end, *zone);
            let crons = hours.crons(*at).unwrap_or_else(|e| panic!("{zone}: {e}"));
            assert_eq!(
                crons,
                (start_cron.to_string(), end_cron.to_string()),
                "{zone} at {at}"
            );
        }
    }

    #[test]
    fn invalid_working_hours_are_named() {
        let check = |hours: WorkingHours| hours.crons(JAN_2024).unwrap_err().to_string();
        assert_eq!(
            check(WorkingHours::new([Mon], "9:00", "17:00", "UTC")),
            "invalid working hours start time: \"9:00\" is not a time HH:MM (00:00 to 23:59)"
        );
        assert_eq!(
            check(WorkingHours::new([Mon], "09:00", "24:00", "UTC")),
            "invalid working hours end time: \"24:00\" is not a time HH:MM (00:00 to 23:59)"
        );
        assert_eq!(
            check(WorkingHours::new([Mon], "09:00", "17:00", "Mars/Olympus")),
            "invalid time zone: \"Mars/Olympus\" is not an IANA time zone name"
        );
        assert_eq!(
            check(WorkingHours::new([], "09:00", "17:00", "UTC")),
            "invalid working hours days: at least one day is needed"
        );
        assert_eq!(
            check(WorkingHours::new([Mon, Mon], "09:00", "17:00", "UTC")),
            "invalid working hours days: a day is listed twice"
        );
        assert_eq!(
            check(WorkingHours::new([Mon], "09:00", "09:00", "UTC")),
            "invalid working hours: the start and end times are the same"
        );
        assert_eq!(
            "FUN".parse::<Weekday>().unwrap_err().to_string(),
            "invalid working hours days: \"FUN\" is not one of MON, TUE, WED, THU, FRI, SAT, SUN"
        );
        assert_eq!("mon".parse::<Weekday>().unwrap(), Mon);
    }
}
