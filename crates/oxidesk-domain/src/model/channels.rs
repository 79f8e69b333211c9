//! Inboxes and their channels (the API channel, the website widget) with the channel's own
//! settings.

use super::{PreChatFormOptions, WorkingHours};
use crate::{AccountId, ChannelType, InboxId, Timestamp};

/// How messages reach and leave an inbox, with the channel's own settings.
///
/// Stored as a type plus a JSON settings object, so that the website widget and email add a
/// variant here and nothing to the schema.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[expect(
    clippy::large_enum_variant,
    reason = "an inbox holds one channel, read once per request; boxing would only add noise"
)]
pub enum Channel {
    /// The API channel.
    Api {
        /// Where Oxidesk posts outgoing messages for the integration to deliver.
        #[serde(default)]
        webhook_url: Option<String>,
        /// The secret used to check `identifier_hash` (HMAC-SHA256 of the contact's identifier).
        hmac_token: String,
        /// When true, contacts without a valid `identifier_hash` are refused.
        #[serde(default)]
        hmac_mandatory: bool,
    },
    /// The website live-chat widget (Chatwoot's `Channel::WebWidget`). Its `website_token` is
    /// the inbox's `inbox_identifier`.
    WebWidget(WebWidget),
}

/// The settings of a website widget inbox (Chatwoot's `channel_web_widgets` columns).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WebWidget {
    /// The website's address (informational).
    pub website_url: String,
    /// The bubble's and header's colour, `#rrggbb`.
    pub widget_color: String,
    /// The header's title.
    #[serde(default)]
    pub welcome_title: String,
    /// The header's second line.
    #[serde(default)]
    pub welcome_tagline: String,
    /// `in_a_few_minutes`, `in_a_few_hours` or `in_a_day`.
    #[serde(default = "default_reply_time")]
    pub reply_time: String,
    /// Whether the greeting is shown before the first message.
    #[serde(default)]
    pub greeting_enabled: bool,
    /// The greeting.
    #[serde(default)]
    pub greeting_message: String,
    /// The secret used to check `identifier_hash`.
    pub hmac_token: String,
    /// When true, `setUser` without a valid `identifier_hash` is refused.
    #[serde(default)]
    pub hmac_mandatory: bool,
    /// The sites that may embed the widget (host names, `*.example.com` for subdomains); empty:
    /// any site.
    #[serde(default)]
    pub allowed_domains: Vec<String>,
    /// Whether the visitor fills in a form before the first message.
    #[serde(default)]
    pub pre_chat_form_enabled: bool,
    /// The pre-chat form's message and fields (Chatwoot's shape and defaults).
    #[serde(default)]
    pub pre_chat_form_options: PreChatFormOptions,
    /// Whether resolving a conversation asks the visitor to rate it (`input_csat`).
    #[serde(default)]
    pub csat_survey_enabled: bool,
    /// How the survey looks and when it is asked (Chatwoot's `csat_config`).
    #[serde(default)]
    pub csat_config: crate::csat_config::CsatConfig,
    /// The widget's optional features, by name (`attachments`, `emoji_picker`, …).
    #[serde(default = "crate::widget_settings::default_feature_flags")]
    pub selected_feature_flags: Vec<String>,
    /// Whether `working_hours` apply (otherwise the inbox is always open).
    #[serde(default)]
    pub working_hours_enabled: bool,
    /// Shown outside working hours.
    #[serde(default)]
    pub out_of_office_message: String,
    /// The IANA time zone of `working_hours`.
    #[serde(default = "default_timezone")]
    pub timezone: String,
    /// The seven days, Sunday (0) first.
    #[serde(default = "crate::widget_settings::default_working_hours")]
    pub working_hours: Vec<WorkingHours>,
    /// Whether the visitor may write in a resolved conversation (reopening it).
    #[serde(default = "yes")]
    pub allow_messages_after_resolved: bool,
    /// Whether replies are also emailed to a visitor who left an address.
    #[serde(default = "yes")]
    pub continuity_via_email: bool,
}

fn default_timezone() -> String {
    "UTC".to_owned()
}

fn yes() -> bool {
    true
}

impl WebWidget {
    /// Whether the inbox is inside its working hours at `at` (always, when they are off).
    pub fn in_business_hours(&self, at: Timestamp) -> bool {
        !self.working_hours_enabled
            || crate::widget_settings::open_at(&self.working_hours, &self.timezone, at)
    }

    /// Whether a feature flag is on.
    pub fn feature(&self, flag: &str) -> bool {
        self.selected_feature_flags.iter().any(|f| f == flag)
    }
}

fn default_reply_time() -> String {
    "in_a_few_minutes".to_owned()
}

/// The reply times a website widget may announce.
pub const REPLY_TIMES: [&str; 3] = ["in_a_few_minutes", "in_a_few_hours", "in_a_day"];

impl Channel {
    /// The kind of channel.
    pub fn channel_type(&self) -> ChannelType {
        match self {
            Channel::Api { .. } => ChannelType::Api,
            Channel::WebWidget(_) => ChannelType::WebWidget,
        }
    }

    /// The identity-validation secret and whether a valid hash is mandatory.
    pub fn hmac(&self) -> (&str, bool) {
        match self {
            Channel::Api {
                hmac_token,
                hmac_mandatory,
                ..
            } => (hmac_token, *hmac_mandatory),
            Channel::WebWidget(widget) => (&widget.hmac_token, widget.hmac_mandatory),
        }
    }

    /// The API channel's callback URL (none for other channels).
    pub fn webhook_url(&self) -> Option<&str> {
        match self {
            Channel::Api { webhook_url, .. } => webhook_url.as_deref(),
            Channel::WebWidget(_) => None,
        }
    }

    /// The website widget's settings, for a website inbox.
    pub fn web_widget(&self) -> Option<&WebWidget> {
        match self {
            Channel::WebWidget(widget) => Some(widget),
            Channel::Api { .. } => None,
        }
    }
}

impl WebWidget {
    /// Whether a page on `host` may embed the widget: any host when the list is empty; else a
    /// listed host, or a subdomain of a `*.`-listed one.
    pub fn allows_host(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        self.allowed_domains.is_empty()
            || self
                .allowed_domains
                .iter()
                .any(|domain| match domain.strip_prefix("*.") {
                    Some(base) => host == base || host.ends_with(&format!(".{base}")),
                    None => host == *domain,
                })
    }
}

/// An inbox: one way in for customers.
#[derive(Debug, Clone, PartialEq)]
pub struct Inbox {
    /// Its id.
    pub id: InboxId,
    /// The account it belongs to.
    pub account_id: AccountId,
    /// Its name ("Website API").
    pub name: String,
    /// The channel and its settings.
    pub channel: Channel,
    /// The public, unguessable identifier the client API addresses the inbox by.
    pub inbox_identifier: String,
    /// Whether new conversations are assigned to online members automatically.
    pub enable_auto_assignment: bool,
    /// When it was created.
    pub created_at: Timestamp,
}
