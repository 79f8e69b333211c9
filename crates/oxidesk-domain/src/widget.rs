//! The website widget's rules: its settings as an administrator gives them, the sites allowed to
//! embed it, and what a visitor's browser says about itself (`additional_attributes.browser`).

mod browser;

pub use browser::browser_of;

use crate::csat_config::{CsatConfig, CsatConfigInput};
use crate::widget_settings::{
    self, PreChatFormOptions, WorkingHours, check_feature_flags, check_pre_chat_options,
    check_timezone, check_working_hours,
};
use crate::{REPLY_TIMES, ValidationError, ValidationErrors, WebWidget, validate};

/// The default widget colour (Chatwoot's).
pub const DEFAULT_WIDGET_COLOR: &str = "#1f93ff";
/// The most allowed domains an inbox lists.
pub const MAX_ALLOWED_DOMAINS: usize = 50;

/// A website widget's settings as a request gives them: `None` keeps the current value (or
/// takes the default when creating).
#[derive(Debug, Clone, Default)]
pub struct WebWidgetInput {
    /// The website's address.
    pub website_url: Option<String>,
    /// `#rrggbb`.
    pub widget_color: Option<String>,
    /// The header's title.
    pub welcome_title: Option<String>,
    /// The header's second line.
    pub welcome_tagline: Option<String>,
    /// `in_a_few_minutes`, `in_a_few_hours`, `in_a_day`.
    pub reply_time: Option<String>,
    /// Whether the greeting is shown.
    pub greeting_enabled: Option<bool>,
    /// The greeting.
    pub greeting_message: Option<String>,
    /// Whether a valid `identifier_hash` is required.
    pub hmac_mandatory: Option<bool>,
    /// Comma- or line-separated host names (Chatwoot's text column).
    pub allowed_domains: Option<String>,
    /// Whether the pre-chat form is shown.
    pub pre_chat_form_enabled: Option<bool>,
    /// The pre-chat form (replaces the current one).
    pub pre_chat_form_options: Option<PreChatFormOptions>,
    /// Whether resolving asks for a rating.
    pub csat_survey_enabled: Option<bool>,
    /// How the survey looks and when it is asked (keys not given are kept).
    pub csat_config: Option<CsatConfigInput>,
    /// The optional features that are on (replaces the list).
    pub selected_feature_flags: Option<Vec<String>>,
    /// Whether working hours apply.
    pub working_hours_enabled: Option<bool>,
    /// Shown outside working hours.
    pub out_of_office_message: Option<String>,
    /// IANA time zone of the working hours.
    pub timezone: Option<String>,
    /// The week's hours (replaces them; a day not given is closed).
    pub working_hours: Option<Vec<WorkingHours>>,
    /// Whether visitors may write in a resolved conversation.
    pub allow_messages_after_resolved: Option<bool>,
    /// Whether replies are emailed to visitors who left an address.
    pub continuity_via_email: Option<bool>,
}

/// Applies `input` over `current` (or the defaults and `hmac_token` for a new widget). Every
/// error names its field under `channel.`.
pub fn apply_web_widget(
    input: &WebWidgetInput,
    current: Option<&WebWidget>,
    hmac_token: &str,
) -> Result<WebWidget, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let mut widget = current.cloned().unwrap_or_else(|| WebWidget {
        website_url: String::new(),
        widget_color: DEFAULT_WIDGET_COLOR.to_owned(),
        welcome_title: String::new(),
        welcome_tagline: String::new(),
        reply_time: REPLY_TIMES[0].to_owned(),
        greeting_enabled: false,
        greeting_message: String::new(),
        hmac_token: hmac_token.to_owned(),
        hmac_mandatory: false,
        allowed_domains: Vec::new(),
        pre_chat_form_enabled: false,
        pre_chat_form_options: PreChatFormOptions::default(),
        csat_survey_enabled: false,
        csat_config: CsatConfig::default(),
        selected_feature_flags: widget_settings::default_feature_flags(),
        working_hours_enabled: false,
        out_of_office_message: String::new(),
        timezone: "UTC".to_owned(),
        working_hours: widget_settings::default_working_hours(),
        allow_messages_after_resolved: true,
        continuity_via_email: true,
    });
    if let Some(url) = &input.website_url {
        if let Some(url) = errors.check(validate::http_url("channel.website_url", url)) {
            widget.website_url = url;
        }
    } else if current.is_none() {
        errors.push("channel.website_url", "is required");
    }
    if let Some(color) = &input.widget_color {
        if let Some(color) = errors.check(validate::color("channel.widget_color", color)) {
            widget.widget_color = color;
        }
    }
    for (field, value, target) in [
        (
            "channel.welcome_title",
            &input.welcome_title,
            &mut widget.welcome_title,
        ),
        (
            "channel.welcome_tagline",
            &input.welcome_tagline,
            &mut widget.welcome_tagline,
        ),
        (
            "channel.greeting_message",
            &input.greeting_message,
            &mut widget.greeting_message,
        ),
        (
            "channel.out_of_office_message",
            &input.out_of_office_message,
            &mut widget.out_of_office_message,
        ),
    ] {
        if let Some(value) = value {
            if value.chars().count() > validate::MAX_SHORT_TEXT * 4 {
                errors.push(field, "is too long (at most 1020 characters)");
            } else {
                *target = value.trim().to_owned();
            }
        }
    }
    if let Some(reply_time) = &input.reply_time {
        if REPLY_TIMES.contains(&reply_time.as_str()) {
            widget.reply_time = reply_time.clone();
        } else {
            errors.push(
                "channel.reply_time",
                format!("must be one of {}", REPLY_TIMES.join(", ")),
            );
        }
    }
    for (value, target) in [
        (input.greeting_enabled, &mut widget.greeting_enabled),
        (input.hmac_mandatory, &mut widget.hmac_mandatory),
        (
            input.pre_chat_form_enabled,
            &mut widget.pre_chat_form_enabled,
        ),
        (input.csat_survey_enabled, &mut widget.csat_survey_enabled),
        (
            input.working_hours_enabled,
            &mut widget.working_hours_enabled,
        ),
        (
            input.allow_messages_after_resolved,
            &mut widget.allow_messages_after_resolved,
        ),
        (input.continuity_via_email, &mut widget.continuity_via_email),
    ] {
        if let Some(on) = value {
            *target = on;
        }
    }
    if let Some(options) = &input.pre_chat_form_options {
        let before = errors.0.len();
        check_pre_chat_options(options, &mut errors);
        if errors.0.len() == before {
            let mut options = options.clone();
            options.pre_chat_message = options.pre_chat_message.trim().to_owned();
            widget.pre_chat_form_options = options;
        }
    }
    if let Some(config) = &input.csat_config {
        widget.csat_config.apply(config, &mut errors);
    }
    if let Some(flags) = &input.selected_feature_flags {
        widget.selected_feature_flags = check_feature_flags(flags, &mut errors);
    }
    if let Some(days) = &input.working_hours {
        widget.working_hours = check_working_hours(days, &mut errors);
    }
    if let Some(timezone) = &input.timezone {
        if let Some(timezone) = check_timezone(timezone, &mut errors) {
            widget.timezone = timezone;
        }
    }
    if let Some(domains) = &input.allowed_domains {
        if let Some(domains) = errors.check(allowed_domains("channel.allowed_domains", domains)) {
            widget.allowed_domains = domains;
        }
    }
    errors.into_result()?;
    Ok(widget)
}

/// Reads a list of allowed domains: separated by commas, spaces or lines; each a host name, a
/// `*.`-prefixed one for its subdomains, or a URL whose host is taken. Lower-cased, deduplicated.
pub fn allowed_domains(field: &str, text: &str) -> Result<Vec<String>, ValidationError> {
    let mut domains: Vec<String> = Vec::new();
    for item in text
        .split([',', ' ', '\n', '\r', '\t'])
        .filter(|i| !i.is_empty())
    {
        let item = item.to_ascii_lowercase();
        let host = match url::Url::parse(&item) {
            Ok(url) if url.has_host() => match url.port() {
                Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
                None => url.host_str().unwrap_or_default().to_owned(),
            },
            _ => item.trim_end_matches('/').to_owned(),
        };
        let bare = host.strip_prefix("*.").unwrap_or(&host);
        let valid = !bare.is_empty()
            && bare.len() <= 253
            && bare
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
        if !valid {
            return Err(ValidationError::new(
                field,
                format!("{item:?} is not a host name (example.com or *.example.com)"),
            ));
        }
        if !domains.contains(&host) {
            domains.push(host);
        }
    }
    if domains.len() > MAX_ALLOWED_DOMAINS {
        return Err(ValidationError::new(
            field,
            format!("lists more than {MAX_ALLOWED_DOMAINS} domains"),
        ));
    }
    Ok(domains)
}

/// The `host[:port]` of an origin (`https://shop.example.com:8443`), as `allowed_domains`
/// lists it; `None` for an opaque or unreadable origin.
pub fn origin_host(origin: &str) -> Option<String> {
    let url = url::Url::parse(origin).ok()?;
    let host = url.host_str()?;
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widget_settings_are_checked_and_named() {
        let input = WebWidgetInput {
            website_url: Some("https://shop.example".into()),
            widget_color: Some("#AABBCC".into()),
            allowed_domains: Some("shop.example, *.Example.org\nhttps://a.test:8443/".into()),
            ..Default::default()
        };
        let widget = apply_web_widget(&input, None, "secret").expect("valid");
        assert_eq!(widget.widget_color, "#aabbcc");
        assert_eq!(
            widget.allowed_domains,
            ["shop.example", "*.example.org", "a.test:8443"]
        );
        assert!(widget.allows_host("shop.example"));
        assert!(widget.allows_host("www.example.org"));
        assert!(!widget.allows_host("evil.test"));
        let errors = apply_web_widget(
            &WebWidgetInput {
                widget_color: Some("red".into()),
                reply_time: Some("soon".into()),
                allowed_domains: Some("<script>".into()),
                ..Default::default()
            },
            None,
            "s",
        )
        .expect_err("invalid");
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "channel.website_url",
                "channel.widget_color",
                "channel.reply_time",
                "channel.allowed_domains"
            ]
        );
    }

    #[test]
    fn widgets_stored_before_the_new_settings_load_with_chatwoots_defaults() {
        let old = r##"{"website_url":"https://shop.example","widget_color":"#1f93ff",
            "hmac_token":"t","allowed_domains":[]}"##;
        let widget: WebWidget = serde_json::from_str(old).expect("old JSON loads");
        assert!(!widget.pre_chat_form_enabled);
        assert_eq!(widget.pre_chat_form_options.pre_chat_fields.len(), 3);
        assert_eq!(
            widget.selected_feature_flags,
            ["attachments", "emoji_picker", "end_conversation"]
        );
        assert!(widget.allow_messages_after_resolved && widget.continuity_via_email);
        assert_eq!(widget.timezone, "UTC");
        assert_eq!(widget.working_hours.len(), 7);
        assert!(
            widget.in_business_hours(crate::Timestamp(0)),
            "hours are off"
        );
        let fresh = apply_web_widget(
            &WebWidgetInput {
                website_url: Some("https://shop.example".into()),
                ..Default::default()
            },
            None,
            "t",
        )
        .expect("valid");
        assert_eq!(
            serde_json::to_value(&fresh).ok(),
            serde_json::to_value(&widget).ok()
        );
    }
}
