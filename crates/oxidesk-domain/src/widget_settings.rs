//! The website widget's richer settings, in Chatwoot's names and JSON shapes: the pre-chat form,
//! the feature flags, business hours (and whether the inbox is open at an instant, in its IANA
//! time zone) and their validation. Every error names its field under `channel.`.

use serde::{Deserialize, Serialize};

use crate::{Timestamp, ValidationErrors, validate};

/// The widget's optional features (Chatwoot's `feature_flags` bits, served as
/// `selected_feature_flags`).
pub const FEATURE_FLAGS: [&str; 5] = [
    "attachments",
    "emoji_picker",
    "end_conversation",
    "use_inbox_avatar_for_bot",
    "allow_mobile_webview",
];
/// The input types a pre-chat field may have (Chatwoot's, `phoneInput` for phone numbers).
pub const PRE_CHAT_INPUT_TYPES: [&str; 9] = [
    "text",
    "email",
    "number",
    "phoneInput",
    "link",
    "date",
    "list",
    "checkbox",
    "textarea",
];
/// Where a pre-chat field's answer goes.
pub const PRE_CHAT_FIELD_TYPES: [&str; 3] =
    ["standard", "contact_attribute", "conversation_attribute"];
/// The most fields a pre-chat form has.
pub const MAX_PRE_CHAT_FIELDS: usize = 30;
/// Chatwoot's default pre-chat message.
pub const DEFAULT_PRE_CHAT_MESSAGE: &str = "Share your queries or comments here.";

/// `pre_chat_form_options`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreChatFormOptions {
    /// The text above the form.
    #[serde(default = "default_pre_chat_message")]
    pub pre_chat_message: String,
    /// The form's fields, in order.
    #[serde(default = "default_pre_chat_fields")]
    pub pre_chat_fields: Vec<PreChatField>,
}

impl Default for PreChatFormOptions {
    fn default() -> Self {
        Self {
            pre_chat_message: default_pre_chat_message(),
            pre_chat_fields: default_pre_chat_fields(),
        }
    }
}

/// One field of the pre-chat form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreChatField {
    /// The key: `emailAddress`, `fullName`, `phoneNumber` or a custom attribute's key.
    pub name: String,
    /// The label the visitor sees.
    #[serde(default)]
    pub label: String,
    /// The input type (`text`, `email`, `number`, `phoneInput`, …).
    #[serde(rename = "type", default = "default_input_type")]
    pub kind: String,
    /// `standard`, `contact_attribute` or `conversation_attribute`.
    #[serde(default = "default_field_type")]
    pub field_type: String,
    /// Whether the visitor must fill it in.
    #[serde(default)]
    pub required: bool,
    /// Whether the form shows it.
    #[serde(default)]
    pub enabled: bool,
    /// The input's placeholder.
    #[serde(default)]
    pub placeholder: String,
    /// A `list` field's choices.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

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

fn default_pre_chat_message() -> String {
    DEFAULT_PRE_CHAT_MESSAGE.to_owned()
}

fn default_input_type() -> String {
    "text".to_owned()
}

fn default_field_type() -> String {
    "standard".to_owned()
}

/// Chatwoot's default fields, all disabled: email (required), full name, phone number.
pub fn default_pre_chat_fields() -> Vec<PreChatField> {
    let field = |name: &str, label: &str, kind: &str, required: bool| PreChatField {
        name: name.to_owned(),
        label: label.to_owned(),
        kind: kind.to_owned(),
        field_type: "standard".to_owned(),
        required,
        enabled: false,
        placeholder: label.to_owned(),
        values: Vec::new(),
    };
    vec![
        field("emailAddress", "Email Id", "email", true),
        field("fullName", "Full name", "text", false),
        field("phoneNumber", "Phone number", "phoneInput", false),
    ]
}

/// Chatwoot's default feature flags (bitmask 7).
pub fn default_feature_flags() -> Vec<String> {
    FEATURE_FLAGS[..3].iter().map(|f| (*f).to_owned()).collect()
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

/// Checks a pre-chat form: known types, unique keys, short texts.
pub fn check_pre_chat_options(options: &PreChatFormOptions, errors: &mut ValidationErrors) {
    let base = "channel.pre_chat_form_options";
    if options.pre_chat_message.chars().count() > validate::MAX_SHORT_TEXT * 4 {
        errors.push(
            format!("{base}.pre_chat_message"),
            "is too long (at most 1020 characters)",
        );
    }
    if options.pre_chat_fields.len() > MAX_PRE_CHAT_FIELDS {
        errors.push(
            format!("{base}.pre_chat_fields"),
            format!("has more than {MAX_PRE_CHAT_FIELDS} fields"),
        );
    }
    let mut names: Vec<&str> = Vec::new();
    for (i, field) in options.pre_chat_fields.iter().enumerate() {
        let at = format!("{base}.pre_chat_fields[{i}]");
        let key_ok = !field.name.is_empty()
            && field.name.len() <= 64
            && field
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !key_ok {
            errors.push(
                format!("{at}.name"),
                "must be 1 to 64 letters, digits, '_' or '-'",
            );
        } else if names.contains(&field.name.as_str()) {
            errors.push(format!("{at}.name"), "is listed twice");
        }
        names.push(&field.name);
        if !PRE_CHAT_INPUT_TYPES.contains(&field.kind.as_str()) {
            errors.push(
                format!("{at}.type"),
                format!("must be one of {}", PRE_CHAT_INPUT_TYPES.join(", ")),
            );
        }
        if !PRE_CHAT_FIELD_TYPES.contains(&field.field_type.as_str()) {
            errors.push(
                format!("{at}.field_type"),
                format!("must be one of {}", PRE_CHAT_FIELD_TYPES.join(", ")),
            );
        }
        for (key, text) in [("label", &field.label), ("placeholder", &field.placeholder)] {
            if text.chars().count() > validate::MAX_SHORT_TEXT {
                errors.push(
                    format!("{at}.{key}"),
                    "is too long (at most 255 characters)",
                );
            }
        }
        if field.values.len() > 100 || field.values.iter().any(|v| v.chars().count() > 255) {
            errors.push(
                format!("{at}.values"),
                "lists at most 100 values of at most 255 characters",
            );
        }
    }
}

/// Checks feature flags against [`FEATURE_FLAGS`]; the valid ones, deduplicated, in the
/// canonical order.
pub fn check_feature_flags(flags: &[String], errors: &mut ValidationErrors) -> Vec<String> {
    for flag in flags {
        if !FEATURE_FLAGS.contains(&flag.as_str()) {
            errors.push(
                "channel.selected_feature_flags",
                format!("{flag:?} is not one of {}", FEATURE_FLAGS.join(", ")),
            );
        }
    }
    FEATURE_FLAGS
        .iter()
        .filter(|f| flags.iter().any(|g| g == *f))
        .map(|f| (*f).to_owned())
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
