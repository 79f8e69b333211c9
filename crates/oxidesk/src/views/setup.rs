//! The account's setup: inboxes, teams, labels, custom attribute definitions.

use oxidesk_domain::csat_config::CsatConfig;
use oxidesk_domain::{
    CustomAttributeDefinition, Inbox, Label, PreChatFormOptions, Team, WorkingHours,
};
use serde::Serialize;
use utoipa::ToSchema;

/// An inbox (Chatwoot's `inbox`, API channel fields).
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct InboxView {
    /// Id.
    pub id: i64,
    /// The account.
    pub account_id: i64,
    /// Name.
    pub name: String,
    /// `Channel::Api` or `Channel::WebWidget`.
    pub channel_type: String,
    /// The channel's id (the inbox's, as channels have no table of their own).
    pub channel_id: i64,
    /// Avatar URL (empty).
    pub avatar_url: String,
    /// Whether new conversations are assigned automatically.
    pub enable_auto_assignment: bool,
    /// The public identifier for the client API.
    pub inbox_identifier: String,
    /// Where outgoing messages are posted.
    pub callback_webhook_url: Option<String>,
    /// Whether contacts must prove their identity.
    pub hmac_mandatory: bool,
    /// The HMAC secret (administrators only; absent for agents).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hmac_token: Option<String>,
    /// Always false for the API channel.
    pub greeting_enabled: bool,
    /// Whether working hours apply (a website inbox's; false for the API channel).
    pub working_hours_enabled: bool,
    /// Whether resolving asks for a rating (a website inbox's; false for the API channel).
    pub csat_survey_enabled: bool,
    /// An API inbox's signing secret for its `webhook_url` deliveries (administrators only,
    /// as Chatwoot's channel `secret`; absent for agents and other channels).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// Unix seconds.
    pub created_at: i64,
    /// A website inbox's widget settings (absent for other channels).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub web_widget: Option<WebWidgetView>,
}

/// The fields of a website inbox (Chatwoot's `Channel::WebWidget` columns in the inbox JSON).
/// Flattened into [`InboxView`] when present, so none is required in the schema: an API inbox's
/// JSON has none of them (the fuzzer found the document saying otherwise).
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct WebWidgetView {
    /// The embed key (the inbox identifier).
    #[schema(required = false)]
    pub website_token: String,
    /// The website.
    #[schema(required = false)]
    pub website_url: String,
    /// `#rrggbb`.
    #[schema(required = false)]
    pub widget_color: String,
    /// Header title.
    #[schema(required = false)]
    pub welcome_title: String,
    /// Header tagline.
    #[schema(required = false)]
    pub welcome_tagline: String,
    /// `in_a_few_minutes`, `in_a_few_hours`, `in_a_day`.
    #[schema(required = false)]
    pub reply_time: String,
    /// The greeting.
    #[schema(required = false)]
    pub greeting_message: String,
    /// Hosts that may embed the widget, comma-separated (empty: any).
    #[schema(required = false)]
    pub allowed_domains: String,
    /// Whether the pre-chat form is shown.
    #[schema(required = false)]
    pub pre_chat_form_enabled: bool,
    /// `{pre_chat_message, pre_chat_fields: [{name, label, type, field_type, required, enabled,
    /// placeholder}]}`.
    #[schema(required = false, value_type = Object)]
    pub pre_chat_form_options: PreChatFormOptions,
    /// The optional features that are on.
    #[schema(required = false)]
    pub selected_feature_flags: Vec<String>,
    /// The satisfaction survey's look and rules (Chatwoot's `csat_config`): `{display_type
    /// (emoji | star), message, button_text, language, survey_rules: {operator (contains |
    /// does_not_contain), values: [label]}}`.
    #[schema(required = false, value_type = Object)]
    pub csat_config: CsatConfig,
    /// Shown outside working hours.
    #[schema(required = false)]
    pub out_of_office_message: String,
    /// The IANA time zone of the working hours.
    #[schema(required = false)]
    pub timezone: String,
    /// Seven days, Sunday (0) first.
    #[schema(required = false, value_type = Vec<Object>)]
    pub working_hours: Vec<WorkingHours>,
    /// Whether visitors may write in a resolved conversation.
    #[schema(required = false)]
    pub allow_messages_after_resolved: bool,
    /// Whether replies are emailed to visitors who left an address.
    #[schema(required = false)]
    pub continuity_via_email: bool,
    /// The snippet to paste, with this server's public URL (set by the API handlers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub web_widget_script: Option<String>,
}

impl InboxView {
    /// Adds the embed snippet of a website inbox, for the server at `base_url`.
    pub fn with_script(mut self, base_url: &str) -> Self {
        if let Some(widget) = &mut self.web_widget {
            widget.web_widget_script = Some(crate::service::widget::snippet(
                base_url,
                &widget.website_token,
            ));
        }
        self
    }

    /// Adds an API inbox's webhook signing secret (from the account's `secrets`), when the
    /// view already shows secrets (an administrator's).
    pub fn with_webhook_secret(
        mut self,
        inbox: &Inbox,
        secrets: &crate::webhooks::secret::InboxSecrets,
    ) -> Self {
        let api = matches!(inbox.channel, oxidesk_domain::Channel::Api { .. });
        if api && self.hmac_token.is_some() {
            self.secret = Some(secrets.of(inbox.id.get()));
        }
        self
    }

    /// The view of an inbox; the HMAC secret only when `with_secret`.
    pub fn new(inbox: &Inbox, with_secret: bool) -> Self {
        let (hmac_token, hmac_mandatory) = inbox.channel.hmac();
        let web_widget = inbox.channel.web_widget();
        Self {
            id: inbox.id.get(),
            account_id: inbox.account_id.get(),
            name: inbox.name.clone(),
            channel_type: inbox.channel.channel_type().chatwoot_name().to_owned(),
            channel_id: inbox.id.get(),
            avatar_url: String::new(),
            enable_auto_assignment: inbox.enable_auto_assignment,
            inbox_identifier: inbox.inbox_identifier.clone(),
            callback_webhook_url: inbox.channel.webhook_url().map(str::to_owned),
            hmac_mandatory,
            hmac_token: with_secret.then(|| hmac_token.to_owned()),
            greeting_enabled: web_widget.is_some_and(|w| w.greeting_enabled),
            working_hours_enabled: web_widget.is_some_and(|w| w.working_hours_enabled),
            csat_survey_enabled: web_widget.is_some_and(|w| w.csat_survey_enabled),
            secret: None,
            created_at: inbox.created_at.secs(),
            web_widget: web_widget.map(|w| WebWidgetView {
                website_token: inbox.inbox_identifier.clone(),
                website_url: w.website_url.clone(),
                widget_color: w.widget_color.clone(),
                welcome_title: w.welcome_title.clone(),
                welcome_tagline: w.welcome_tagline.clone(),
                reply_time: w.reply_time.clone(),
                greeting_message: w.greeting_message.clone(),
                allowed_domains: w.allowed_domains.join(","),
                pre_chat_form_enabled: w.pre_chat_form_enabled,
                pre_chat_form_options: w.pre_chat_form_options.clone(),
                selected_feature_flags: w.selected_feature_flags.clone(),
                csat_config: w.csat_config.clone(),
                out_of_office_message: w.out_of_office_message.clone(),
                timezone: w.timezone.clone(),
                working_hours: w.working_hours.clone(),
                allow_messages_after_resolved: w.allow_messages_after_resolved,
                continuity_via_email: w.continuity_via_email,
                web_widget_script: None,
            }),
        }
    }
}

/// A team.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct TeamView {
    /// Id.
    pub id: i64,
    /// Name (lower-case).
    pub name: String,
    /// Description.
    pub description: String,
    /// Whether conversations are auto-assigned to members.
    pub allow_auto_assign: bool,
    /// The account.
    pub account_id: i64,
    /// Whether the caller is a member (filled by the teams endpoint, false elsewhere).
    pub is_member: bool,
}

impl From<&Team> for TeamView {
    fn from(t: &Team) -> Self {
        Self {
            id: t.id.get(),
            name: t.name.clone(),
            description: t.description.clone(),
            allow_auto_assign: t.allow_auto_assign,
            account_id: t.account_id.get(),
            is_member: false,
        }
    }
}

/// A label.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct LabelView {
    /// Id.
    pub id: i64,
    /// Title (lower-case).
    pub title: String,
    /// Description.
    pub description: String,
    /// `#rrggbb`.
    pub color: String,
    /// Listed in the sidebar.
    pub show_on_sidebar: bool,
}

impl From<&Label> for LabelView {
    fn from(l: &Label) -> Self {
        Self {
            id: l.id.get(),
            title: l.title.clone(),
            description: l.description.clone(),
            color: l.color.clone(),
            show_on_sidebar: l.show_on_sidebar,
        }
    }
}

/// A custom attribute definition (Chatwoot's `custom_attribute`).
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct CustomAttributeView {
    /// Id.
    pub id: i64,
    /// Label shown to agents.
    pub attribute_display_name: String,
    /// `text`, `number`, `currency`, `percent`, `link`, `date`, `list`, `checkbox`.
    pub attribute_display_type: String,
    /// Explanation.
    pub attribute_description: String,
    /// Key in `custom_attributes`.
    pub attribute_key: String,
    /// Pattern for text values.
    pub regex_pattern: Option<String>,
    /// Hint shown when the pattern does not match.
    pub regex_cue: Option<String>,
    /// Choices of a list.
    pub attribute_values: Vec<String>,
    /// `conversation_attribute` or `contact_attribute`.
    pub attribute_model: String,
    /// Default value.
    pub default_value: Option<String>,
    /// When it was created: an ISO-8601 string, as Chatwoot serialises this model.
    pub created_at: String,
    /// When it last changed (ISO-8601).
    pub updated_at: String,
}

impl From<&CustomAttributeDefinition> for CustomAttributeView {
    fn from(d: &CustomAttributeDefinition) -> Self {
        Self {
            id: d.id.get(),
            attribute_display_name: d.attribute_display_name.clone(),
            attribute_display_type: d.attribute_display_type.as_str().to_owned(),
            attribute_description: d.attribute_description.clone(),
            attribute_key: d.attribute_key.clone(),
            regex_pattern: d.regex_pattern.clone(),
            regex_cue: d.regex_cue.clone(),
            attribute_values: d.attribute_values.clone(),
            attribute_model: d.attribute_model.as_str().to_owned(),
            default_value: d.default_value.clone(),
            created_at: d.created_at.to_rfc3339(),
            updated_at: d.updated_at.to_rfc3339(),
        }
    }
}
