//! Conversations, messages and their senders.

use oxidesk_domain::{Agent, Attributes, Contact, Message, Sender, Timestamp};
use serde::Serialize;
use utoipa::ToSchema;

use super::{AgentView, ContactView, TeamView, secs};

/// Who wrote a message, with its `type` (`contact`, `user` or `agent_bot`).
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct SenderView {
    /// Id of the contact or user.
    pub id: i64,
    /// Name.
    pub name: String,
    /// `contact`, `user` or `agent_bot`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Email.
    pub email: Option<String>,
    /// Avatar URL (empty when none).
    pub thumbnail: String,
    /// Contacts: phone number (null when none); absent for users.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub phone_number: Option<Option<String>>,
    /// Contacts: the integrator's id (null when none); absent for users.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub identifier: Option<Option<String>>,
    /// Contacts: additional attributes.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub additional_attributes: Option<Attributes>,
    /// Contacts: custom attributes.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub custom_attributes: Option<Attributes>,
    /// Users: display name or name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub available_name: Option<String>,
    /// Users: availability.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub availability_status: Option<String>,
}

impl SenderView {
    /// A contact as a sender.
    pub fn contact(c: &Contact) -> Self {
        Self {
            id: c.id.get(),
            name: c.name.clone(),
            kind: "contact",
            email: c.email.clone(),
            thumbnail: c.avatar_url.clone().unwrap_or_default(),
            phone_number: Some(c.phone_number.clone()),
            identifier: Some(c.identifier.clone()),
            additional_attributes: Some(c.additional_attributes.clone()),
            custom_attributes: Some(c.custom_attributes.clone()),
            available_name: None,
            availability_status: None,
        }
    }

    /// An agent bot as a sender (Chatwoot's `{id, name, type: "agent_bot"}`).
    pub fn agent_bot(b: &oxidesk_domain::bots::AgentBot) -> Self {
        Self {
            id: b.id.get(),
            name: b.name.clone(),
            kind: "agent_bot",
            email: None,
            thumbnail: String::new(),
            phone_number: None,
            identifier: None,
            additional_attributes: None,
            custom_attributes: None,
            available_name: None,
            availability_status: None,
        }
    }

    /// An agent as a sender.
    pub fn user(a: &Agent) -> Self {
        Self {
            id: a.user.id.get(),
            name: a.user.name.clone(),
            kind: "user",
            email: Some(a.user.email.clone()),
            thumbnail: a.user.avatar_url.clone().unwrap_or_default(),
            phone_number: None,
            identifier: None,
            additional_attributes: None,
            custom_attributes: None,
            available_name: Some(a.user.available_name().to_owned()),
            availability_status: Some(
                a.membership
                    .availability_status(oxidesk_domain::Timestamp::now())
                    .as_str()
                    .to_owned(),
            ),
        }
    }
}

/// A message (Chatwoot's `message`).
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct MessageView {
    /// Id.
    pub id: i64,
    /// Text.
    pub content: Option<String>,
    /// The account.
    pub account_id: i64,
    /// The inbox.
    pub inbox_id: i64,
    /// The conversation's display id.
    pub conversation_id: i64,
    /// 0 incoming, 1 outgoing, 2 activity, 3 template.
    pub message_type: i64,
    /// `text`, `input_select`, ...
    pub content_type: String,
    /// Type-specific data.
    #[schema(value_type = Object)]
    pub content_attributes: Attributes,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub updated_at: i64,
    /// A private note.
    pub private: bool,
    /// `sent`, `delivered`, `read`, `failed`.
    pub status: String,
    /// The channel's id for it.
    pub source_id: Option<String>,
    /// `Contact` or `User`; null for activity messages.
    pub sender_type: Option<String>,
    /// The sender's id.
    pub sender_id: Option<i64>,
    /// The sender, with its `type`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sender: Option<SenderView>,
    /// The files, in upload order; absent when none (as in Chatwoot).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<AttachmentView>,
}

/// A file on a message (Chatwoot's attachment `push_event_data`). `data_url` and `thumb_url`
/// are signed links that work without credentials until they expire
/// (`attachments.url_ttl_secs`); Chatwoot's never expire.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct AttachmentView {
    /// Id.
    pub id: i64,
    /// The message.
    pub message_id: i64,
    /// `image`, `audio`, `video` or `file`.
    pub file_type: String,
    /// The account.
    pub account_id: i64,
    /// The extension of the name it was sent with (`png`), if any.
    pub extension: Option<String>,
    /// The content type, detected from the bytes.
    pub content_type: String,
    /// A signed link to the file.
    pub data_url: String,
    /// A signed link to the image's thumbnail; empty for other files.
    pub thumb_url: String,
    /// Size in bytes.
    pub file_size: i64,
    /// Width in pixels (images), else null.
    pub width: Option<i64>,
    /// Height in pixels (images), else null.
    pub height: Option<i64>,
    /// The name it was sent with (for the dashboard; not part of Chatwoot's JSON).
    #[serde(skip)]
    pub file_name: String,
}

impl MessageView {
    /// The message of conversation `display_id`, with its sender when known.
    pub fn new(m: &Message, display_id: i64, sender: Option<SenderView>) -> Self {
        Self::of(m.clone(), display_id, sender)
    }

    /// [`MessageView::new`] of a message no longer needed (its texts and attributes moved).
    pub fn of(m: Message, display_id: i64, sender: Option<SenderView>) -> Self {
        let (sender_type, sender_id) = match m.sender {
            Some(Sender::Contact(id)) => (Some("Contact".to_owned()), Some(id.get())),
            Some(Sender::User(id)) => (Some("User".to_owned()), Some(id.get())),
            Some(Sender::AgentBot(id)) => (Some("AgentBot".to_owned()), Some(id.get())),
            None => (None, None),
        };
        Self {
            id: m.id.get(),
            content: m.content,
            account_id: m.account_id.get(),
            inbox_id: m.inbox_id.get(),
            conversation_id: display_id,
            message_type: m.message_type.code(),
            content_type: m.content_type.as_str().to_owned(),
            content_attributes: m.content_attributes,
            created_at: m.created_at.secs(),
            updated_at: m.updated_at.secs(),
            private: m.private,
            status: m.status.as_str().to_owned(),
            source_id: m.source_id,
            sender_type,
            sender_id,
            sender,
            attachments: Vec::new(),
        }
    }
}

/// A conversation's `meta`.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct ConversationMetaView {
    /// The contact.
    pub sender: ContactView,
    /// The channel type (`Channel::Api`).
    pub channel: String,
    /// The assigned agent; absent when unassigned, as in Chatwoot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assignee: Option<AgentView>,
    /// The assigned team; absent when none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<TeamView>,
    /// Whether the contact proved its identity in this inbox.
    pub hmac_verified: bool,
}

/// A conversation (Chatwoot's `conversation` with `meta`).
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct ConversationView {
    /// The display id.
    pub id: i64,
    /// The account.
    pub account_id: i64,
    /// The inbox.
    pub inbox_id: i64,
    /// UUID.
    pub uuid: String,
    /// `open`, `resolved`, `pending` or `snoozed`.
    pub status: String,
    /// `low`, `medium`, `high`, `urgent` or null.
    pub priority: Option<String>,
    /// Muted.
    pub muted: bool,
    /// Whether a reply can be sent now (always true for the API channel).
    pub can_reply: bool,
    /// Label titles.
    pub labels: Vec<String>,
    /// Custom attribute values.
    #[schema(value_type = Object)]
    pub custom_attributes: Attributes,
    /// `browser`, `referer`, `initiated_at`, ...
    #[schema(value_type = Object)]
    pub additional_attributes: Attributes,
    /// Unix seconds, null unless snoozed until a time.
    pub snoozed_until: Option<i64>,
    /// Unix seconds, 0 when never.
    pub agent_last_seen_at: i64,
    /// Unix seconds, 0 when never.
    pub assignee_last_seen_at: i64,
    /// Unix seconds, 0 when never.
    pub contact_last_seen_at: i64,
    /// The last activity (Unix seconds).
    pub timestamp: i64,
    /// The last activity (Unix seconds).
    pub last_activity_at: i64,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub updated_at: i64,
    /// Unix seconds, null before the first reply.
    pub first_reply_created_at: Option<i64>,
    /// Since when the customer waits (Unix seconds), null when not waiting.
    pub waiting_since: Option<i64>,
    /// Incoming messages since an agent last looked.
    pub unread_count: i64,
    /// The assigned team's id.
    pub team_id: Option<i64>,
    /// The newest message that is not an activity.
    pub last_non_activity_message: Option<MessageView>,
    /// The newest messages (in lists: the last one).
    pub messages: Vec<MessageView>,
    /// Contact, channel, assignee, team.
    pub meta: ConversationMetaView,
}

/// The parts of a conversation's view that come from other tables.
#[derive(Debug, Clone)]
pub struct ConversationParts {
    /// The contact.
    pub sender: ContactView,
    /// Chatwoot's channel class name.
    pub channel: String,
    /// The assignee.
    pub assignee: Option<AgentView>,
    /// The team.
    pub team: Option<TeamView>,
    /// `hmac_verified` of the contact's identity.
    pub hmac_verified: bool,
    /// Unread incoming messages.
    pub unread_count: i64,
    /// The last message that is not an activity.
    pub last_message: Option<MessageView>,
}

impl ConversationView {
    /// Assembles the view of `c` from its parts (its texts, labels and attributes move into
    /// the view, not copied).
    pub fn of(c: oxidesk_domain::Conversation, parts: ConversationParts) -> Self {
        Self {
            id: c.display_id.get(),
            account_id: c.account_id.get(),
            inbox_id: c.inbox_id.get(),
            uuid: c.uuid,
            status: c.status.as_str().to_owned(),
            priority: c.priority.map(|p| p.as_str().to_owned()),
            muted: c.muted,
            can_reply: true,
            labels: c.labels,
            custom_attributes: c.custom_attributes,
            additional_attributes: c.additional_attributes,
            snoozed_until: c.snoozed_until.map(Timestamp::secs),
            agent_last_seen_at: secs(c.agent_last_seen_at),
            assignee_last_seen_at: secs(c.assignee_last_seen_at),
            contact_last_seen_at: secs(c.contact_last_seen_at),
            timestamp: c.last_activity_at.secs(),
            last_activity_at: c.last_activity_at.secs(),
            created_at: c.created_at.secs(),
            updated_at: c.updated_at.secs(),
            first_reply_created_at: c.first_reply_created_at.map(Timestamp::secs),
            waiting_since: c.waiting_since.map(Timestamp::secs),
            unread_count: parts.unread_count,
            team_id: c.team_id.map(|t| t.get()),
            messages: parts.last_message.iter().cloned().collect(),
            last_non_activity_message: parts.last_message,
            meta: ConversationMetaView {
                sender: parts.sender,
                channel: parts.channel,
                assignee: parts.assignee,
                team: parts.team,
                hmac_verified: parts.hmac_verified,
            },
        }
    }
}
