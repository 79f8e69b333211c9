//! What the form shows: the saved settings, or a submitted form shown again.

use oxidesk_domain::WebWidget;

use super::{DAYS, DayRow, FEATURES, FeatureRow, PreChatRow, WidgetForm};
use crate::http::ui::settings::forms::Pairs;
use crate::http::ui::settings::inbox_widget_csat::CsatForm;

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
}
