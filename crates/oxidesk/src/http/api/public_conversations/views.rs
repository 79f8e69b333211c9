//! A contact's view of its conversations, their messages and their senders (Chatwoot's
//! `public_conversation`, `public_message` and `public_message_sender`).

use oxidesk_domain::{Attributes, Conversation, Message};
use serde::Serialize;
use utoipa::ToSchema;

use super::CONVERSATION_MESSAGES;
use crate::http::ApiError;
use crate::http::api::public::PublicContactRecord;
use crate::service::{PublicIdentity, Services};
use crate::views::{MessageView, SenderView};

/// Who wrote a message, as a contact may see it (Chatwoot's `public_message_sender`): agents
/// without their email.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicSenderView {
    /// Id of the contact or user.
    pub id: i64,
    /// Name.
    pub name: String,
    /// `contact` or `user`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Avatar URL (empty when none).
    pub thumbnail: String,
    /// Users: display name or name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub available_name: Option<String>,
    /// Users: the avatar URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avatar_url: Option<String>,
    /// Users: availability.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub availability_status: Option<String>,
    /// Contacts: email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Contacts: phone number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// Contacts: the integrator's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
}

impl From<SenderView> for PublicSenderView {
    fn from(s: SenderView) -> Self {
        let user = s.kind == "user";
        Self {
            id: s.id,
            name: s.name,
            kind: s.kind,
            avatar_url: user.then(|| s.thumbnail.clone()),
            thumbnail: s.thumbnail,
            available_name: s.available_name,
            availability_status: s.availability_status,
            email: if user { None } else { s.email },
            phone_number: s.phone_number.flatten(),
            identifier: s.identifier.flatten(),
        }
    }
}

/// A message as its contact sees it (Chatwoot's `public_message`).
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicMessageView {
    /// Id.
    pub id: i64,
    /// Text, as written.
    pub content: Option<String>,
    /// 0 incoming (the contact's), 1 outgoing (an agent's), 3 template.
    pub message_type: i64,
    /// `text`, ...
    pub content_type: String,
    /// Type-specific data.
    #[schema(value_type = Object)]
    pub content_attributes: Attributes,
    /// Unix seconds.
    pub created_at: i64,
    /// The conversation's display id.
    pub conversation_id: i64,
    /// The sender, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sender: Option<PublicSenderView>,
    /// The `echo_id` the client sent with it (answers to `POST` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub echo_id: Option<String>,
    /// The files; absent when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<crate::views::AttachmentView>,
}

impl From<MessageView> for PublicMessageView {
    fn from(m: MessageView) -> Self {
        Self {
            id: m.id,
            content: m.content,
            message_type: m.message_type,
            content_type: m.content_type,
            content_attributes: m.content_attributes,
            created_at: m.created_at,
            conversation_id: m.conversation_id,
            sender: m.sender.map(PublicSenderView::from),
            echo_id: None,
            attachments: m.attachments,
        }
    }
}

/// A conversation as its contact sees it (Chatwoot's `public_conversation`).
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicConversationView {
    /// The display id.
    pub id: i64,
    /// UUID.
    pub uuid: String,
    /// The inbox.
    pub inbox_id: i64,
    /// Unix seconds, 0 when never.
    pub contact_last_seen_at: i64,
    /// `open`, `resolved`, `pending` or `snoozed`.
    pub status: String,
    /// Unix seconds, 0 when never.
    pub agent_last_seen_at: i64,
    /// The latest 100 messages, oldest first; no private notes, no activity messages.
    pub messages: Vec<PublicMessageView>,
    /// The contact.
    pub contact: PublicContactRecord,
}

/// The public views of `messages` of `conversation`.
pub(crate) async fn message_views(
    services: &Services,
    conversation: &Conversation,
    messages: &[Message],
) -> Result<Vec<PublicMessageView>, ApiError> {
    Ok(services
        .message_views(conversation, messages)
        .await?
        .into_iter()
        .map(PublicMessageView::from)
        .collect())
}

/// The public view of a conversation, with its latest messages.
pub(super) async fn conversation_view(
    services: &Services,
    identity: &PublicIdentity,
    conversation: &Conversation,
) -> Result<PublicConversationView, ApiError> {
    let messages = services
        .public_messages(conversation, None, CONVERSATION_MESSAGES)
        .await?;
    Ok(PublicConversationView {
        id: conversation.display_id.get(),
        uuid: conversation.uuid.clone(),
        inbox_id: conversation.inbox_id.get(),
        contact_last_seen_at: conversation.contact_last_seen_at.map_or(0, |t| t.secs()),
        status: conversation.status.as_str().to_owned(),
        agent_last_seen_at: conversation.agent_last_seen_at.map_or(0, |t| t.secs()),
        messages: message_views(services, conversation, &messages).await?,
        contact: PublicContactRecord::from(&identity.contact),
    })
}
