//! The website widget's settings form: what it shows (from the saved settings, or from a
//! submitted form shown again with its errors) and how a submitted form becomes the settings'
//! input.
//!
//! This module has the form's fields and rows; `read` fills them from the saved settings or a
//! submitted form, `input` turns them into the settings' input.

mod input;
mod read;

use oxidesk_domain::ValidationErrors;

use super::forms::Field;
use super::inbox_widget_csat::CsatForm;

/// The weekdays, Sunday (Chatwoot's `day_of_week` 0) first.
pub(super) const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// The features an administrator switches, with their labels.
const FEATURES: [(&str, &str); 3] = [
    ("attachments", "Visitors may attach files"),
    ("emoji_picker", "Show the emoji picker"),
    ("end_conversation", "Visitors may end the conversation"),
];

/// The form's fields as the service names them in errors, the form's names and labels. Day
/// rows and pre-chat rows are named by [`form_field`].
pub(super) const FIELDS: &[Field] = &[
    ("channel.website_url", "website_url", "Website URL"),
    ("channel.widget_color", "widget_color", "Widget colour"),
    ("channel.welcome_title", "welcome_title", "Welcome title"),
    (
        "channel.welcome_tagline",
        "welcome_tagline",
        "Welcome tagline",
    ),
    ("channel.reply_time", "reply_time", "Reply time"),
    ("channel.greeting_message", "greeting_message", "Greeting"),
    (
        "channel.out_of_office_message",
        "out_of_office_message",
        "Out-of-office message",
    ),
    ("channel.timezone", "timezone", "Time zone"),
    (
        "channel.allowed_domains",
        "allowed_domains",
        "Allowed domains",
    ),
    ("channel.selected_feature_flags", "features", "Features"),
    ("channel.pre_chat_form_options", "pre_chat", "Pre-chat form"),
    (
        "channel.pre_chat_form_options.pre_chat_message",
        "pre_chat_message",
        "Pre-chat message",
    ),
    (
        "channel.pre_chat_form_options.pre_chat_fields",
        "pre_chat",
        "Pre-chat form",
    ),
    ("day_0", "day_0", "Sunday"),
    ("day_1", "day_1", "Monday"),
    ("day_2", "day_2", "Tuesday"),
    ("day_3", "day_3", "Wednesday"),
    ("day_4", "day_4", "Thursday"),
    ("day_5", "day_5", "Friday"),
    ("day_6", "day_6", "Saturday"),
];

/// Moves the errors of a day's hours onto that day's row (`channel.working_hours[2].open_hour`
/// → `day_2`, "open_hour must be 0 to 23") and those of a pre-chat field onto the form's table
/// with the row's number.
pub(super) fn form_field(mut errors: ValidationErrors) -> ValidationErrors {
    for error in &mut errors.0 {
        if let Some(rest) = error.field.strip_prefix("channel.working_hours[") {
            if let Some((index, key)) = rest.split_once("].") {
                error.message = format!("{} {}", key.replace('_', " "), error.message);
                error.field = format!("day_{index}");
            }
        } else if let Some(rest) = error
            .field
            .strip_prefix("channel.pre_chat_form_options.pre_chat_fields[")
        {
            if let Some((index, key)) = rest.split_once("].") {
                let row = index.parse::<usize>().map_or(0, |i| i + 1);
                error.message = format!("row {row}: {} {}", key.replace('_', " "), error.message);
                error.field = "channel.pre_chat_form_options".to_owned();
            }
        }
    }
    errors
}

/// A pre-chat field's row.
pub(super) struct PreChatRow {
    pub name: String,
    pub label: String,
    pub placeholder: String,
    pub kind: String,
    pub field_type: String,
    pub enabled: bool,
    pub required: bool,
    /// Chatwoot's three standard fields cannot be removed, only disabled.
    pub removable: bool,
}

/// A weekday's row: `mode` is `closed`, `all_day` or `hours`; times `HH:MM`.
pub(super) struct DayRow {
    pub day: usize,
    pub name: &'static str,
    pub mode: String,
    pub open: String,
    pub close: String,
}

/// A feature's checkbox.
pub(super) struct FeatureRow {
    pub flag: &'static str,
    pub label: &'static str,
    pub on: bool,
}

/// What the form shows.
pub(super) struct WidgetForm {
    pub website_url: String,
    pub widget_color: String,
    pub welcome_title: String,
    pub welcome_tagline: String,
    pub reply_time: String,
    pub greeting_enabled: bool,
    pub greeting_message: String,
    pub pre_chat_form_enabled: bool,
    pub pre_chat_message: String,
    pub pre_chat_fields: Vec<PreChatRow>,
    pub working_hours_enabled: bool,
    pub timezone: String,
    pub out_of_office_message: String,
    pub days: Vec<DayRow>,
    pub features: Vec<FeatureRow>,
    pub csat_survey_enabled: bool,
    pub csat: CsatForm,
    pub allow_messages_after_resolved: bool,
    pub continuity_via_email: bool,
    pub hmac_mandatory: bool,
    pub allowed_domains: String,
}
