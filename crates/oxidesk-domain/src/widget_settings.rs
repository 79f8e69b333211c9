//! The website widget's richer settings, in Chatwoot's names and JSON shapes: the pre-chat form,
//! the feature flags, business hours (and whether the inbox is open at an instant, in its IANA
//! time zone) and their validation. Every error names its field under `channel.`.
//!
//! Business hours are here; the pre-chat form is in `pre_chat`, the feature flags in
//! `features`.

mod features;
mod pre_chat;

use serde::{Deserialize, Serialize};

use crate::{Timestamp, ValidationErrors};

pub use features::{FEATURE_FLAGS, check_feature_flags, default_feature_flags};
pub use pre_chat::{
    DEFAULT_PRE_CHAT_MESSAGE, MAX_PRE_CHAT_FIELDS, PRE_CHAT_FIELD_TYPES, PRE_CHAT_INPUT_TYPES,
    PreChatField, PreChatFormOptions, check_pre_chat_options, default_pre_chat_fields,
};

/// One day of `working_hours`; `day_of_week` 0 is Sunday. Times are the inbox's local time; a
/// closing time before the opening time closes on the next day (overnight hours).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingHours {
    /// 0 (Sunday) to 6 (Saturday).
    pub day_of_week: u8,
    /// Closed the whole day.
    #[serde(default)]
    pub closed_all_day: bool,
    /// Open the whole day.
    #[serde(default)]
    pub open_all_day: bool,
    /// 0–23.
    #[serde(default)]
    pub open_hour: Option<u8>,
    /// 0–59.
    #[serde(default)]
    pub open_minutes: Option<u8>,
    /// 0–23.
    #[serde(default)]
    pub close_hour: Option<u8>,
    /// 0–59.
    #[serde(default)]
    pub close_minutes: Option<u8>,
}

impl WorkingHours {
    /// The opening and closing minute of the day, when the day has hours.
    fn span(&self) -> Option<(u16, u16)> {
        if self.closed_all_day || self.open_all_day {
            return None;
        }
        let minute =
            |h: Option<u8>, m: Option<u8>| Some(u16::from(h?) * 60 + u16::from(m.unwrap_or(0)));
        Some((
            minute(self.open_hour, self.open_minutes)?,
            minute(self.close_hour, self.close_minutes)?,
        ))
    }
}

/// Chatwoot's default working hours: Monday to Friday 9:00–17:00, the weekend closed.
pub fn default_working_hours() -> Vec<WorkingHours> {
    (0..7)
        .map(|day| {
            let weekday = (1..=5).contains(&day);
            WorkingHours {
                day_of_week: day,
                closed_all_day: !weekday,
                open_all_day: false,
                open_hour: weekday.then_some(9),
                open_minutes: weekday.then_some(0),
                close_hour: weekday.then_some(17),
                close_minutes: weekday.then_some(0),
            }
        })
        .collect()
}

/// Checks working hours (days 0–6 at most once, hours 0–23, minutes 0–59, a day with hours
/// has both times and they differ) and returns all seven days in order; a day not given is
/// closed all day.
pub fn check_working_hours(
    days: &[WorkingHours],
    errors: &mut ValidationErrors,
) -> Vec<WorkingHours> {
    let mut week: Vec<WorkingHours> = (0..7)
        .map(|day| WorkingHours {
            day_of_week: day,
            closed_all_day: true,
            open_all_day: false,
            open_hour: None,
            open_minutes: None,
            close_hour: None,
            close_minutes: None,
        })
        .collect();
    let mut seen = [false; 7];
    for (i, day) in days.iter().enumerate() {
        let at = format!("channel.working_hours[{i}]");
        let index = usize::from(day.day_of_week);
        if index > 6 {
            errors.push(
                format!("{at}.day_of_week"),
                "must be 0 (Sunday) to 6 (Saturday)",
            );
            continue;
        }
        if seen[index] {
            errors.push(format!("{at}.day_of_week"), "is listed twice");
            continue;
        }
        seen[index] = true;
        let mut ok = true;
        for (key, value, max) in [
            ("open_hour", day.open_hour, 23),
            ("open_minutes", day.open_minutes, 59),
            ("close_hour", day.close_hour, 23),
            ("close_minutes", day.close_minutes, 59),
        ] {
            if value.is_some_and(|v| v > max) {
                errors.push(format!("{at}.{key}"), format!("must be 0 to {max}"));
                ok = false;
            }
        }
        if day.closed_all_day && day.open_all_day {
            errors.push(
                format!("{at}.open_all_day"),
                "cannot be set with closed_all_day",
            );
            ok = false;
        }
        if ok && !day.closed_all_day && !day.open_all_day {
            match day.span() {
                None => {
                    errors.push(
                        format!("{at}.open_hour"),
                        "and close_hour are required unless the day is closed or open all day",
                    );
                    ok = false;
                }
                Some((open, close)) if open == close => {
                    errors.push(
                        format!("{at}.close_hour"),
                        "must differ from the opening time",
                    );
                    ok = false;
                }
                Some(_) => {}
            }
        }
        if ok {
            let mut day = *day;
            if day.closed_all_day || day.open_all_day {
                (
                    day.open_hour,
                    day.open_minutes,
                    day.close_hour,
                    day.close_minutes,
                ) = (None, None, None, None);
            } else {
                day.open_minutes = Some(day.open_minutes.unwrap_or(0));
                day.close_minutes = Some(day.close_minutes.unwrap_or(0));
            }
            week[index] = day;
        }
    }
    week
}

/// Checks an IANA time zone name (`Europe/Berlin`, `UTC`).
pub fn check_timezone(name: &str, errors: &mut ValidationErrors) -> Option<String> {
    let name = name.trim();
    match jiff::tz::TimeZone::get(name) {
        Ok(_) if !name.is_empty() => Some(name.to_owned()),
        _ => {
            errors.push(
                "channel.timezone",
                format!("{name:?} is not a known IANA time zone (e.g. Europe/Berlin, UTC)"),
            );
            None
        }
    }
}

/// Whether an inbox with these working hours is open at `at`, read in `timezone` (its local
/// weekday and wall-clock time, so daylight saving moves the hours with the clock). A closing
/// time before the opening time runs past midnight into the next day. An unknown time zone is
/// read as UTC; an unlisted day is closed.
pub fn open_at(week: &[WorkingHours], timezone: &str, at: Timestamp) -> bool {
    let tz = jiff::tz::TimeZone::get(timezone).unwrap_or(jiff::tz::TimeZone::UTC);
    let Ok(instant) = jiff::Timestamp::from_second(at.secs()) else {
        return false;
    };
    let local = instant.to_zoned(tz);
    let today = local.weekday().to_sunday_zero_offset();
    let yesterday = (today + 6) % 7;
    let minute =
        u16::from(local.hour().unsigned_abs()) * 60 + u16::from(local.minute().unsigned_abs());
    let day = |d: i8| {
        week.iter()
            .find(|w| i16::from(w.day_of_week) == i16::from(d))
    };
    let open_today = day(today).is_some_and(|w| {
        w.open_all_day
            || w.span().is_some_and(|(open, close)| {
                if open < close {
                    (open..close).contains(&minute)
                } else {
                    minute >= open
                }
            })
    });
    let overnight_from_yesterday = day(yesterday)
        .and_then(WorkingHours::span)
        .is_some_and(|(open, close)| close < open && minute < close);
    open_today || overnight_from_yesterday
}

#[cfg(test)]
mod tests;
