//! The website widget's settings form: what it shows (from the saved settings, or from a
//! submitted form shown again with its errors) and how a submitted form becomes the settings'
//! input.

use oxidesk_domain::widget::WebWidgetInput;
use oxidesk_domain::widget_settings::{PreChatField, PreChatFormOptions, WorkingHours};
use oxidesk_domain::{CustomAttributeDefinition, ValidationErrors, WebWidget};

use super::forms::{Field, Pairs};
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

fn hhmm(hour: Option<u8>, minutes: Option<u8>) -> String {
    hour.map(|h| format!("{h:02}:{:02}", minutes.unwrap_or(0)))
        .unwrap_or_default()
}

fn standard(name: &str) -> bool {
    matches!(name, "emailAddress" | "fullName" | "phoneNumber")
}

impl WidgetForm {
    /// The saved settings.
    pub fn from_widget(w: &WebWidget) -> Self {
        let days = (0..7)
            .map(|day| {
                let hours = w
                    .working_hours
                    .iter()
                    .find(|h| usize::from(h.day_of_week) == day);
                let mode = match hours {
                    Some(h) if h.open_all_day => "all_day",
                    Some(h) if !h.closed_all_day => "hours",
                    _ => "closed",
                };
                DayRow {
                    day,
                    name: DAYS[day],
                    mode: mode.to_owned(),
                    open: hours.map_or_else(String::new, |h| hhmm(h.open_hour, h.open_minutes)),
                    close: hours.map_or_else(String::new, |h| hhmm(h.close_hour, h.close_minutes)),
                }
            })
            .collect();
        Self {
            website_url: w.website_url.clone(),
            widget_color: w.widget_color.clone(),
            welcome_title: w.welcome_title.clone(),
            welcome_tagline: w.welcome_tagline.clone(),
            reply_time: w.reply_time.clone(),
            greeting_enabled: w.greeting_enabled,
            greeting_message: w.greeting_message.clone(),
            pre_chat_form_enabled: w.pre_chat_form_enabled,
            pre_chat_message: w.pre_chat_form_options.pre_chat_message.clone(),
            pre_chat_fields: w
                .pre_chat_form_options
                .pre_chat_fields
                .iter()
                .map(|f| PreChatRow {
                    name: f.name.clone(),
                    label: f.label.clone(),
                    placeholder: f.placeholder.clone(),
                    kind: f.kind.clone(),
                    field_type: f.field_type.clone(),
                    enabled: f.enabled,
                    required: f.required,
                    removable: !standard(&f.name),
                })
                .collect(),
            working_hours_enabled: w.working_hours_enabled,
            timezone: w.timezone.clone(),
            out_of_office_message: w.out_of_office_message.clone(),
            days,
            features: FEATURES
                .iter()
                .map(|(flag, label)| FeatureRow {
                    flag,
                    label,
                    on: w.feature(flag),
                })
                .collect(),
            csat_survey_enabled: w.csat_survey_enabled,
            csat: CsatForm::from_config(&w.csat_config),
            allow_messages_after_resolved: w.allow_messages_after_resolved,
            continuity_via_email: w.continuity_via_email,
            hmac_mandatory: w.hmac_mandatory,
            allowed_domains: w.allowed_domains.join(", "),
        }
    }

    /// A submitted form, shown again with its errors.
    pub fn from_pairs(form: &Pairs) -> Self {
        let on = |name: &str| !form.first(name).is_empty();
        let names = form.all("pf_name");
        let at = |key: &str, i: usize| form.all(key).get(i).map_or("", |v| v).to_owned();
        let ticked = |key: &str, name: &str| form.all(key).contains(&name);
        Self {
            website_url: form.first("website_url").to_owned(),
            widget_color: form.first("widget_color").to_owned(),
            welcome_title: form.first("welcome_title").to_owned(),
            welcome_tagline: form.first("welcome_tagline").to_owned(),
            reply_time: form.first("reply_time").to_owned(),
            greeting_enabled: on("greeting_enabled"),
            greeting_message: form.first("greeting_message").to_owned(),
            pre_chat_form_enabled: on("pre_chat_form_enabled"),
            pre_chat_message: form.first("pre_chat_message").to_owned(),
            pre_chat_fields: names
                .iter()
                .enumerate()
                .map(|(i, name)| PreChatRow {
                    name: (*name).to_owned(),
                    label: at("pf_label", i),
                    placeholder: at("pf_placeholder", i),
                    kind: at("pf_type", i),
                    field_type: at("pf_field_type", i),
                    enabled: ticked("pf_enabled", name),
                    required: ticked("pf_required", name),
                    removable: !standard(name),
                })
                .collect(),
            working_hours_enabled: on("working_hours_enabled"),
            timezone: form.first("timezone").to_owned(),
            out_of_office_message: form.first("out_of_office_message").to_owned(),
            days: (0..7)
                .map(|day| DayRow {
                    day,
                    name: DAYS[day],
                    mode: form.first(&format!("day_{day}_mode")).to_owned(),
                    open: form.first(&format!("day_{day}_open")).to_owned(),
                    close: form.first(&format!("day_{day}_close")).to_owned(),
                })
                .collect(),
            features: FEATURES
                .iter()
                .map(|(flag, label)| FeatureRow {
                    flag,
                    label,
                    on: form.all("feature").contains(flag),
                })
                .collect(),
            csat_survey_enabled: on("csat_survey_enabled"),
            csat: CsatForm::from_pairs(form),
            allow_messages_after_resolved: on("allow_messages_after_resolved"),
            continuity_via_email: on("continuity_via_email"),
            hmac_mandatory: on("hmac_mandatory"),
            allowed_domains: form.first("allowed_domains").to_owned(),
        }
    }

    /// The settings' input: every field of the form, the pre-chat rows not removed plus the
    /// custom attribute chosen in `pf_add` (`contact_attribute:key`), each day's hours.
    pub fn input(
        &self,
        form: &Pairs,
        definitions: &[CustomAttributeDefinition],
    ) -> Result<WebWidgetInput, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let removed = form.all("pf_remove");
        let mut fields: Vec<PreChatField> = self
            .pre_chat_fields
            .iter()
            .filter(|row| !(row.removable && removed.contains(&row.name.as_str())))
            .map(|row| PreChatField {
                name: row.name.clone(),
                label: row.label.trim().to_owned(),
                kind: row.kind.clone(),
                field_type: row.field_type.clone(),
                required: row.required,
                enabled: row.enabled,
                placeholder: row.placeholder.trim().to_owned(),
                values: Vec::new(),
            })
            .collect();
        if let Some((model, key)) = form.first("pf_add").split_once(':') {
            match definitions
                .iter()
                .find(|d| d.attribute_model.as_str() == model && d.attribute_key == key)
            {
                Some(d) => fields.push(field_of_attribute(d)),
                None => errors.push(
                    "channel.pre_chat_form_options",
                    "names an unknown attribute",
                ),
            }
        }
        // Keep the stored `values` of list attributes.
        for field in &mut fields {
            if let Some(d) = definitions.iter().find(|d| {
                d.attribute_key == field.name && d.attribute_model.as_str() == field.field_type
            }) {
                field.values.clone_from(&d.attribute_values);
            }
        }
        let mut working_hours = Vec::new();
        for day in &self.days {
            let time = |text: &str, key: &str, errors: &mut ValidationErrors| {
                let parsed = text
                    .split_once(':')
                    .and_then(|(h, m)| Some((h.parse::<u8>().ok()?, m.parse::<u8>().ok()?)));
                if parsed.is_none() && day.mode == "hours" {
                    errors.push(
                        format!("day_{}", day.day),
                        format!("{key} must be a time like 09:00"),
                    );
                }
                parsed.unzip()
            };
            let (open_hour, open_minutes) = time(&day.open, "opening time", &mut errors);
            let (close_hour, close_minutes) = time(&day.close, "closing time", &mut errors);
            working_hours.push(WorkingHours {
                day_of_week: u8::try_from(day.day).unwrap_or(0),
                // A missing or unknown mode is a closed day.
                closed_all_day: day.mode != "all_day" && day.mode != "hours",
                open_all_day: day.mode == "all_day",
                open_hour,
                open_minutes,
                close_hour,
                close_minutes,
            });
        }
        errors.into_result()?;
        Ok(WebWidgetInput {
            website_url: Some(self.website_url.clone()),
            widget_color: Some(self.widget_color.clone()),
            welcome_title: Some(self.welcome_title.clone()),
            welcome_tagline: Some(self.welcome_tagline.clone()),
            reply_time: Some(self.reply_time.clone()),
            greeting_enabled: Some(self.greeting_enabled),
            greeting_message: Some(self.greeting_message.clone()),
            hmac_mandatory: Some(self.hmac_mandatory),
            allowed_domains: Some(self.allowed_domains.clone()),
            pre_chat_form_enabled: Some(self.pre_chat_form_enabled),
            pre_chat_form_options: Some(PreChatFormOptions {
                pre_chat_message: self.pre_chat_message.clone(),
                pre_chat_fields: fields,
            }),
            csat_survey_enabled: Some(self.csat_survey_enabled),
            csat_config: Some(self.csat.input()),
            selected_feature_flags: Some(
                self.features
                    .iter()
                    .filter(|f| f.on)
                    .map(|f| f.flag.to_owned())
                    .collect(),
            ),
            working_hours_enabled: Some(self.working_hours_enabled),
            out_of_office_message: Some(self.out_of_office_message.clone()),
            timezone: Some(self.timezone.clone()),
            working_hours: Some(working_hours),
            allow_messages_after_resolved: Some(self.allow_messages_after_resolved),
            continuity_via_email: Some(self.continuity_via_email),
        })
    }
}

/// A pre-chat field asking for a custom attribute, enabled, optional.
fn field_of_attribute(d: &CustomAttributeDefinition) -> PreChatField {
    use oxidesk_domain::AttributeDisplayType as T;
    let kind = match d.attribute_display_type {
        T::Number | T::Currency | T::Percent => "number",
        T::Link => "link",
        T::Date => "date",
        T::List => "list",
        T::Checkbox => "checkbox",
        T::Text => "text",
    };
    PreChatField {
        name: d.attribute_key.clone(),
        label: d.attribute_display_name.clone(),
        kind: kind.to_owned(),
        field_type: d.attribute_model.as_str().to_owned(),
        required: false,
        enabled: true,
        placeholder: d.attribute_display_name.clone(),
        values: d.attribute_values.clone(),
    }
}
