//! Conversations, their messages and who sends them, with the rules of a conversation's
//! status and of a new message's effect on it.

use crate::{
    AccountId, AgentBotId, ContactId, ContactInboxId, ContentType, ConversationId,
    ConversationStatus, DisplayId, InboxId, MessageId, MessageStatus, MessageType, Priority,
    TeamId, Timestamp, UserId, ValidationError,
};

use super::Attributes;

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
