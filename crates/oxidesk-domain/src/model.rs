//! The entities of the helpdesk and the rules that govern their state.

use serde_json::{Map, Value};

pub use crate::widget_settings::{PreChatFormOptions, WorkingHours};
use crate::{
    AccessTokenId, AccountId, AgentBotId, Availability, ChannelType, ContactId, ContactInboxId,
    ContentType, ConversationId, ConversationStatus, CustomAttributeDefinitionId, DisplayId,
    InboxId, LabelId, MessageId, MessageStatus, MessageType, Priority, Role, TeamId, Timestamp,
    UserId, ValidationError,
};

/// A JSON object of free-form attributes (`custom_attributes`, `additional_attributes`).
pub type Attributes = Map<String, Value>;

/// An account: one support team's workspace, and the unit of tenant isolation.
#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    /// Its id.
    pub id: AccountId,
    /// Its name ("Acme Support").
    pub name: String,
    /// Its language (`en`).
    pub locale: String,
    /// When it was created.
    pub created_at: Timestamp,
}

/// A person who signs in. Their role and availability are per account, in [`Membership`].
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    /// Its id.
    pub id: UserId,
    /// Full name.
    pub name: String,
    /// The name shown to customers, when it differs from `name`.
    pub display_name: Option<String>,
    /// Email, lower-cased; unique.
    pub email: String,
    /// Whether the email address was confirmed.
    pub confirmed: bool,
    /// A picture, if any.
    pub avatar_url: Option<String>,
    /// When the user was created.
    pub created_at: Timestamp,
}

impl User {
    /// Chatwoot's `available_name`: the display name, or the name when there is none.
    pub fn available_name(&self) -> &str {
        match self.display_name.as_deref() {
            Some(display) if !display.trim().is_empty() => display,
            _ => &self.name,
        }
    }
}

/// A user's membership of an account (Chatwoot's `account_users`).
#[derive(Debug, Clone, PartialEq)]
pub struct Membership {
    /// The account.
    pub account_id: AccountId,
    /// The member.
    pub user_id: UserId,
    /// What the member may do.
    pub role: Role,
    /// Whether the member takes conversations.
    pub availability: Availability,
    /// Whether availability turns `offline` by itself when the member leaves.
    pub auto_offline: bool,
    /// When the user joined the account.
    pub created_at: Timestamp,
    /// When the member's dashboard was last seen open (their presence).
    pub last_seen_at: Option<Timestamp>,
}

/// How long a member counts as present after their dashboard was last seen (it reports every
/// [`PRESENCE_INTERVAL_SECS`]).
pub const PRESENCE_SECS: i64 = 90;
/// How often an open dashboard reports its presence.
pub const PRESENCE_INTERVAL_SECS: u64 = 30;

impl Membership {
    /// Whether the member's dashboard was open within [`PRESENCE_SECS`] of `now`.
    pub fn present(&self, now: Timestamp) -> bool {
        self.last_seen_at
            .is_some_and(|seen| now.secs() - seen.secs() <= PRESENCE_SECS)
    }

    /// Chatwoot's `availability_status`: the chosen availability, except that a member with
    /// `auto_offline` whose dashboard is not open is `offline`.
    pub fn availability_status(&self, now: Timestamp) -> Availability {
        if self.auto_offline && !self.present(now) {
            Availability::Offline
        } else {
            self.availability
        }
    }
}

/// A member as agents lists show it: the user with their membership of one account.
#[derive(Debug, Clone, PartialEq)]
pub struct Agent {
    /// The person.
    pub user: User,
    /// Their role and availability in the account.
    pub membership: Membership,
}

/// An API access token's metadata. The secret itself is shown once and only its hash is kept.
#[derive(Debug, Clone, PartialEq)]
pub struct AccessToken {
    /// Its id.
    pub id: AccessTokenId,
    /// Whose token it is.
    pub user_id: UserId,
    /// What it is for ("CRM sync").
    pub name: String,
    /// The first characters of the secret, to tell tokens apart.
    pub prefix: String,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last authorized a request.
    pub last_used_at: Option<Timestamp>,
}

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

/// A team of agents that conversations can be assigned to.
#[derive(Debug, Clone, PartialEq)]
pub struct Team {
    /// Its id.
    pub id: TeamId,
    /// The account.
    pub account_id: AccountId,
    /// Its name, lower-cased as in Chatwoot.
    pub name: String,
    /// What it does.
    pub description: String,
    /// Whether conversations given to the team are assigned to one of its members.
    pub allow_auto_assign: bool,
    /// When it was created.
    pub created_at: Timestamp,
}

/// A customer.
#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    /// Its id.
    pub id: ContactId,
    /// The account.
    pub account_id: AccountId,
    /// Name (may be empty for an anonymous visitor).
    pub name: String,
    /// Email, lower-cased, unique per account.
    pub email: Option<String>,
    /// Phone number in E.164 form.
    pub phone_number: Option<String>,
    /// The customer's id in the integrator's own system, unique per account.
    pub identifier: Option<String>,
    /// A picture, served as `thumbnail`.
    pub avatar_url: Option<String>,
    /// `description`, `company_name`, `social_profiles`, `city`, `country`, ...
    pub additional_attributes: Attributes,
    /// Values of the account's contact attribute definitions.
    pub custom_attributes: Attributes,
    /// When the contact last did something.
    pub last_activity_at: Option<Timestamp>,
    /// Blocked contacts' messages are not turned into conversations.
    pub blocked: bool,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// A contact's identity in one inbox (its `source_id` there).
#[derive(Debug, Clone, PartialEq)]
pub struct ContactInbox {
    /// Its id.
    pub id: ContactInboxId,
    /// The contact.
    pub contact_id: ContactId,
    /// The inbox.
    pub inbox_id: InboxId,
    /// The contact's id in that inbox (the client API's `contact_identifier`).
    pub source_id: String,
    /// Whether the contact proved its identity with a valid `identifier_hash`.
    pub hmac_verified: bool,
    /// When it was created.
    pub created_at: Timestamp,
}

/// A conversation between a contact and the team, in one inbox.
#[derive(Debug, Clone, PartialEq)]
pub struct Conversation {
    /// Database id (internal).
    pub id: ConversationId,
    /// The per-account number everyone sees.
    pub display_id: DisplayId,
    /// A UUID, for public links.
    pub uuid: String,
    /// The account.
    pub account_id: AccountId,
    /// The inbox.
    pub inbox_id: InboxId,
    /// The customer.
    pub contact_id: ContactId,
    /// The customer's identity in the inbox.
    pub contact_inbox_id: ContactInboxId,
    /// The agent in charge.
    pub assignee_id: Option<UserId>,
    /// The team in charge.
    pub team_id: Option<TeamId>,
    /// Its status.
    pub status: ConversationStatus,
    /// Until when it is snoozed; `None` unless the status is snoozed (and even then, "until the
    /// next reply" when not given).
    pub snoozed_until: Option<Timestamp>,
    /// Its priority.
    pub priority: Option<Priority>,
    /// Muted conversations send no notifications.
    pub muted: bool,
    /// The conversation's labels (titles), sorted.
    pub labels: Vec<String>,
    /// Values of the account's conversation attribute definitions.
    pub custom_attributes: Attributes,
    /// `browser`, `referer`, `initiated_at`, ...
    pub additional_attributes: Attributes,
    /// When an agent last looked at it.
    pub agent_last_seen_at: Option<Timestamp>,
    /// When the assignee last looked at it.
    pub assignee_last_seen_at: Option<Timestamp>,
    /// When the contact last looked at it.
    pub contact_last_seen_at: Option<Timestamp>,
    /// When something last happened.
    pub last_activity_at: Timestamp,
    /// Since when the customer has been waiting for a reply.
    pub waiting_since: Option<Timestamp>,
    /// When the first agent reply was sent.
    pub first_reply_created_at: Option<Timestamp>,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

impl Conversation {
    /// Sets the status. `snoozed_until` is kept only for [`ConversationStatus::Snoozed`] and must
    /// then lie after `now`.
    pub fn set_status(
        &mut self,
        status: ConversationStatus,
        snoozed_until: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<(), ValidationError> {
        if status == ConversationStatus::Snoozed {
            if let Some(until) = snoozed_until {
                if until <= now {
                    return Err(ValidationError::new(
                        "snoozed_until",
                        "must be in the future",
                    ));
                }
            }
            self.snoozed_until = snoozed_until;
        } else {
            self.snoozed_until = None;
        }
        self.status = status;
        Ok(())
    }

    /// The status that Chatwoot's `toggle_status` without a status gives: open becomes resolved,
    /// anything else is reopened.
    pub fn toggled_status(&self) -> ConversationStatus {
        match self.status {
            ConversationStatus::Open => ConversationStatus::Resolved,
            _ => ConversationStatus::Open,
        }
    }

    /// Applies a new message's effect on the conversation: activity time, waiting time, first
    /// reply, and the reopening of a resolved or snoozed conversation when the customer writes.
    pub fn record_message(&mut self, message_type: MessageType, private: bool, at: Timestamp) {
        match message_type {
            MessageType::Incoming => {
                if self.waiting_since.is_none() {
                    self.waiting_since = Some(at);
                }
                if matches!(
                    self.status,
                    ConversationStatus::Resolved | ConversationStatus::Snoozed
                ) {
                    self.status = ConversationStatus::Open;
                    self.snoozed_until = None;
                }
            }
            MessageType::Outgoing | MessageType::Template if !private => {
                self.waiting_since = None;
                if self.first_reply_created_at.is_none() {
                    self.first_reply_created_at = Some(at);
                }
            }
            _ => {}
        }
        if message_type != MessageType::Activity {
            self.last_activity_at = at;
        }
        self.updated_at = at;
    }
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sender {
    /// A customer.
    Contact(ContactId),
    /// An agent.
    User(UserId),
    /// An agent bot (Chatwoot's `AgentBot`), replying with its own token.
    AgentBot(AgentBotId),
}

/// One message of a conversation.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// Its id.
    pub id: MessageId,
    /// The account.
    pub account_id: AccountId,
    /// The inbox.
    pub inbox_id: InboxId,
    /// The conversation (database id).
    pub conversation_id: ConversationId,
    /// Incoming, outgoing, activity or template.
    pub message_type: MessageType,
    /// The text.
    pub content: Option<String>,
    /// How to read `content`.
    pub content_type: ContentType,
    /// Type-specific data (`in_reply_to`, form items, ...).
    pub content_attributes: Attributes,
    /// A private note, seen by agents only.
    pub private: bool,
    /// The message's id in the channel.
    pub source_id: Option<String>,
    /// Who wrote it; `None` for activity messages.
    pub sender: Option<Sender>,
    /// Delivery status.
    pub status: MessageStatus,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// A label of the account.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    /// Its id.
    pub id: LabelId,
    /// The account.
    pub account_id: AccountId,
    /// The title, lower-case (`billing`, `vip-customer`).
    pub title: String,
    /// What it means.
    pub description: String,
    /// Colour as `#rrggbb`.
    pub color: String,
    /// Whether the sidebar lists it.
    pub show_on_sidebar: bool,
    /// When it was created.
    pub created_at: Timestamp,
}

/// A custom attribute the account defines for its conversations or contacts.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomAttributeDefinition {
    /// Its id.
    pub id: CustomAttributeDefinitionId,
    /// The account.
    pub account_id: AccountId,
    /// The key in `custom_attributes` (`plan`, `order_total`).
    pub attribute_key: String,
    /// The label shown to agents ("Plan").
    pub attribute_display_name: String,
    /// How it is entered and shown.
    pub attribute_display_type: crate::AttributeDisplayType,
    /// A longer explanation.
    pub attribute_description: String,
    /// Conversations or contacts.
    pub attribute_model: crate::AttributeModel,
    /// The choices of a `list` attribute.
    pub attribute_values: Vec<String>,
    /// An optional pattern that text values must match.
    pub regex_pattern: Option<String>,
    /// What to show when the pattern is not matched.
    pub regex_cue: Option<String>,
    /// The default value.
    pub default_value: Option<String>,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

#[cfg(test)]
mod tests {
    #[test]
    fn presence_decides_the_availability_others_see() {
        let mut m = Membership {
            account_id: AccountId(1),
            user_id: UserId(1),
            role: Role::Agent,
            availability: Availability::Busy,
            auto_offline: true,
            created_at: Timestamp(0),
            last_seen_at: None,
        };
        let now = Timestamp(1_000);
        assert_eq!(m.availability_status(now), Availability::Offline);
        m.last_seen_at = Some(Timestamp(1_000 - PRESENCE_SECS));
        assert_eq!(m.availability_status(now), Availability::Busy);
        m.last_seen_at = Some(Timestamp(1_000 - PRESENCE_SECS - 1));
        assert_eq!(m.availability_status(now), Availability::Offline);
        m.auto_offline = false;
        assert_eq!(m.availability_status(now), Availability::Busy);
    }

    use super::*;

    fn conversation(status: ConversationStatus) -> Conversation {
        Conversation {
            id: ConversationId(1),
            display_id: DisplayId(1),
            uuid: "u".into(),
            account_id: AccountId(1),
            inbox_id: InboxId(1),
            contact_id: ContactId(1),
            contact_inbox_id: ContactInboxId(1),
            assignee_id: None,
            team_id: None,
            status,
            snoozed_until: None,
            priority: None,
            muted: false,
            labels: vec![],
            custom_attributes: Attributes::new(),
            additional_attributes: Attributes::new(),
            agent_last_seen_at: None,
            assignee_last_seen_at: None,
            contact_last_seen_at: None,
            last_activity_at: Timestamp(100),
            waiting_since: None,
            first_reply_created_at: None,
            created_at: Timestamp(100),
            updated_at: Timestamp(100),
        }
    }

    #[test]
    fn snoozed_until_is_kept_only_while_snoozed() {
        let mut c = conversation(ConversationStatus::Open);
        let now = Timestamp(1_000);
        assert!(
            c.set_status(ConversationStatus::Snoozed, Some(Timestamp(2_000)), now)
                .is_ok()
        );
        assert_eq!(c.snoozed_until, Some(Timestamp(2_000)));
        assert!(
            c.set_status(ConversationStatus::Open, Some(Timestamp(2_000)), now)
                .is_ok()
        );
        assert_eq!(c.status, ConversationStatus::Open);
        assert_eq!(c.snoozed_until, None);
    }

    #[test]
    fn snoozing_into_the_past_is_refused() {
        let mut c = conversation(ConversationStatus::Open);
        let err = c.set_status(
            ConversationStatus::Snoozed,
            Some(Timestamp(10)),
            Timestamp(1_000),
        );
        assert_eq!(err.err().map(|e| e.field), Some("snoozed_until".to_owned()));
        assert_eq!(
            c.status,
            ConversationStatus::Open,
            "nothing changes on error"
        );
    }

    #[test]
    fn toggle_resolves_open_and_reopens_the_rest() {
        assert_eq!(
            conversation(ConversationStatus::Open).toggled_status(),
            ConversationStatus::Resolved
        );
        for s in [
            ConversationStatus::Resolved,
            ConversationStatus::Pending,
            ConversationStatus::Snoozed,
        ] {
            assert_eq!(conversation(s).toggled_status(), ConversationStatus::Open);
        }
    }

    #[test]
    fn an_incoming_message_reopens_and_starts_waiting() {
        let mut c = conversation(ConversationStatus::Snoozed);
        c.snoozed_until = Some(Timestamp(5_000));
        c.record_message(MessageType::Incoming, false, Timestamp(200));
        assert_eq!(c.status, ConversationStatus::Open);
        assert_eq!(c.snoozed_until, None);
        assert_eq!(c.waiting_since, Some(Timestamp(200)));
        assert_eq!(c.last_activity_at, Timestamp(200));
        // A second incoming message keeps the first waiting time.
        c.record_message(MessageType::Incoming, false, Timestamp(300));
        assert_eq!(c.waiting_since, Some(Timestamp(200)));
        // Pending conversations stay pending (a bot is handling them).
        let mut p = conversation(ConversationStatus::Pending);
        p.record_message(MessageType::Incoming, false, Timestamp(200));
        assert_eq!(p.status, ConversationStatus::Pending);
    }

    #[test]
    fn a_reply_ends_waiting_but_a_private_note_does_not() {
        let mut c = conversation(ConversationStatus::Open);
        c.record_message(MessageType::Incoming, false, Timestamp(200));
        c.record_message(MessageType::Outgoing, true, Timestamp(250));
        assert_eq!(c.waiting_since, Some(Timestamp(200)));
        assert_eq!(c.first_reply_created_at, None);
        c.record_message(MessageType::Outgoing, false, Timestamp(300));
        assert_eq!(c.waiting_since, None);
        assert_eq!(c.first_reply_created_at, Some(Timestamp(300)));
        c.record_message(MessageType::Activity, false, Timestamp(400));
        assert_eq!(
            c.last_activity_at,
            Timestamp(300),
            "activity messages are not activity"
        );
    }

    #[test]
    fn available_name_falls_back_to_name() {
        let mut u = User {
            id: UserId(1),
            name: "Samantha Reed".into(),
            display_name: None,
            email: "sam@example.com".into(),
            confirmed: true,
            avatar_url: None,
            created_at: Timestamp(0),
        };
        assert_eq!(u.available_name(), "Samantha Reed");
        u.display_name = Some("Sam".into());
        assert_eq!(u.available_name(), "Sam");
        u.display_name = Some("  ".into());
        assert_eq!(u.available_name(), "Samantha Reed");
    }

    #[test]
    fn channels_serialize_with_their_type() {
        let channel = Channel::Api {
            webhook_url: None,
            hmac_token: "k".into(),
            hmac_mandatory: false,
        };
        let json = serde_json::to_value(&channel).ok();
        assert_eq!(json.as_ref().and_then(|j| j["type"].as_str()), Some("api"));
        assert_eq!(channel.channel_type(), ChannelType::Api);
    }
}
