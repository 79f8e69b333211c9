//! Conversations, their messages, and labels.

use oxidesk_domain::{Conversation, Label, Message, MessageType, Sender, SenderType, Timestamp};

use super::{parse_enum, parse_json, ts};
use crate::StoreError;

#[derive(sqlx::FromRow)]
pub(crate) struct ConversationRow {
    pub id: i64,
    pub account_id: i64,
    pub display_id: i64,
    pub uuid: String,
    pub inbox_id: i64,
    pub contact_id: i64,
    pub contact_inbox_id: i64,
    pub assignee_id: Option<i64>,
    pub team_id: Option<i64>,
    pub status: String,
    pub snoozed_until: Option<i64>,
    pub priority: Option<String>,
    pub muted: bool,
    pub custom_attributes: String,
    pub additional_attributes: String,
    pub agent_last_seen_at: Option<i64>,
    pub assignee_last_seen_at: Option<i64>,
    pub contact_last_seen_at: Option<i64>,
    pub last_activity_at: i64,
    pub waiting_since: Option<i64>,
    pub first_reply_created_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl ConversationRow {
    pub(crate) fn into_domain(self, labels: Vec<String>) -> Result<Conversation, StoreError> {
        Ok(Conversation {
            id: self.id.into(),
            display_id: self.display_id.into(),
            uuid: self.uuid,
            account_id: self.account_id.into(),
            inbox_id: self.inbox_id.into(),
            contact_id: self.contact_id.into(),
            contact_inbox_id: self.contact_inbox_id.into(),
            assignee_id: self.assignee_id.map(Into::into),
            team_id: self.team_id.map(Into::into),
            status: parse_enum("conversations.status", &self.status)?,
            snoozed_until: ts(self.snoozed_until),
            priority: self
                .priority
                .as_deref()
                .map(|p| parse_enum("conversations.priority", p))
                .transpose()?,
            muted: self.muted,
            labels,
            custom_attributes: parse_json(
                "conversations.custom_attributes",
                &self.custom_attributes,
            )?,
            additional_attributes: parse_json(
                "conversations.additional_attributes",
                &self.additional_attributes,
            )?,
            agent_last_seen_at: ts(self.agent_last_seen_at),
            assignee_last_seen_at: ts(self.assignee_last_seen_at),
            contact_last_seen_at: ts(self.contact_last_seen_at),
            last_activity_at: Timestamp(self.last_activity_at),
            waiting_since: ts(self.waiting_since),
            first_reply_created_at: ts(self.first_reply_created_at),
            created_at: Timestamp(self.created_at),
            updated_at: Timestamp(self.updated_at),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct MessageRow {
    pub id: i64,
    pub account_id: i64,
    pub inbox_id: i64,
    pub conversation_id: i64,
    pub message_type: i64,
    pub content: Option<String>,
    pub content_type: String,
    pub content_attributes: String,
    pub private: bool,
    pub source_id: Option<String>,
    pub sender_type: Option<String>,
    pub sender_id: Option<i64>,
    pub status: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl TryFrom<MessageRow> for Message {
    type Error = StoreError;

    fn try_from(r: MessageRow) -> Result<Self, StoreError> {
        let message_type = MessageType::from_code(r.message_type).ok_or_else(|| {
            StoreError::Corrupt(format!("messages.message_type = {}", r.message_type))
        })?;
        let sender = match (r.sender_type.as_deref(), r.sender_id) {
            (Some(kind), Some(id)) => Some(
                match parse_enum::<SenderType>("messages.sender_type", kind)? {
                    SenderType::Contact => Sender::Contact(id.into()),
                    SenderType::User => Sender::User(id.into()),
                    SenderType::AgentBot => Sender::AgentBot(id.into()),
                },
            ),
            _ => None,
        };
        Ok(Message {
            id: r.id.into(),
            account_id: r.account_id.into(),
            inbox_id: r.inbox_id.into(),
            conversation_id: r.conversation_id.into(),
            message_type,
            content: r.content,
            content_type: parse_enum("messages.content_type", &r.content_type)?,
            content_attributes: parse_json("messages.content_attributes", &r.content_attributes)?,
            private: r.private,
            source_id: r.source_id,
            sender,
            status: parse_enum("messages.status", &r.status)?,
            created_at: Timestamp(r.created_at),
            updated_at: Timestamp(r.updated_at),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct LabelRow {
    pub id: i64,
    pub account_id: i64,
    pub title: String,
    pub description: String,
    pub color: String,
    pub show_on_sidebar: bool,
    pub created_at: i64,
}

impl From<LabelRow> for Label {
    fn from(r: LabelRow) -> Self {
        Label {
            id: r.id.into(),
            account_id: r.account_id.into(),
            title: r.title,
            description: r.description,
            color: r.color,
            show_on_sidebar: r.show_on_sidebar,
            created_at: Timestamp(r.created_at),
        }
    }
}
