//! How a submitted form becomes the settings' input.

use oxidesk_domain::widget::WebWidgetInput;
use oxidesk_domain::widget_settings::{PreChatField, PreChatFormOptions, WorkingHours};
use oxidesk_domain::{CustomAttributeDefinition, ValidationErrors};

use super::WidgetForm;
use crate::http::ui::settings::forms::Pairs;

impl WidgetForm {
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
