//! Conversations and messages: opening, posting and labels here; the status in `status`;
//! assignment, priority, attributes and the rest in `changes`.

use oxidesk_domain::{
    AccountId, Attributes, ContactId, ContentType, Conversation, ConversationStatus, DisplayId,
    InboxId, Message, MessageStatus, MessageType, Priority, Sender, TeamId, Timestamp, UserId,
    ValidationError, ValidationErrors, validate,
};
use oxidesk_store::{NewAttachment, NewConversation, NewMessage};
use serde_json::json;

mod changes;
mod status;

use super::{ServiceError, Services, found, group_commit};
use crate::events::changed_attributes;

/// A conversation to open.
#[derive(Debug, Clone)]
pub struct StartConversation {
    /// The inbox.
    pub inbox_id: InboxId,
    /// The contact.
    pub contact_id: ContactId,
    /// The contact's id in the inbox; a new one is made when `None` and the contact has none.
    pub source_id: Option<String>,
    /// The starting status.
    pub status: ConversationStatus,
    /// The assignee.
    pub assignee_id: Option<UserId>,
    /// The team.
    pub team_id: Option<TeamId>,
    /// The priority.
    pub priority: Option<Priority>,
    /// `browser`, `referer`, `initiated_at`, ...
    pub additional_attributes: Attributes,
    /// Custom attribute values.
    pub custom_attributes: Attributes,
}

impl StartConversation {
    /// An open conversation of `contact` in `inbox`, unassigned, without priority or attributes.
    pub fn new(inbox_id: InboxId, contact_id: ContactId) -> Self {
        Self {
            inbox_id,
            contact_id,
            source_id: None,
            status: ConversationStatus::Open,
            assignee_id: None,
            team_id: None,
            priority: None,
            additional_attributes: Attributes::new(),
            custom_attributes: Attributes::new(),
        }
    }
}

/// A message to post.
#[derive(Debug, Clone)]
pub struct MessageInput {
    /// The text.
    pub content: String,
    /// Incoming (from the contact) or outgoing (from an agent).
    pub message_type: MessageType,
    /// A private note (outgoing only).
    pub private: bool,
    /// Who wrote it. Incoming messages are always the conversation's contact's.
    pub sender: Option<Sender>,
    /// The channel's id for the message.
    pub source_id: Option<String>,
    /// `text`, or a bot's rich message (`input_select`, `cards`, `form`, …).
    pub content_type: ContentType,
    /// What a rich message carries (`items`, `submitted_values`, …), echoed as given.
    pub content_attributes: Attributes,
}

impl Services {
    /// Opens a conversation now.
    pub async fn start_conversation(
        &self,
        account: AccountId,
        input: &StartConversation,
    ) -> Result<Conversation, ServiceError> {
        self.start_conversation_at(account, input, Timestamp::now())
            .await
    }

    /// Opens a conversation as of `at` (imports and demo data keep their history).
    pub async fn start_conversation_at(
        &self,
        account: AccountId,
        input: &StartConversation,
        at: Timestamp,
    ) -> Result<Conversation, ServiceError> {
        let inbox = found(self.store.inbox(account, input.inbox_id).await, "inbox")?;
        let contact = found(
            self.store.contact(account, input.contact_id).await,
            "contact",
        )?;
        if let Some(user) = input.assignee_id {
            self.require_member(account, user, "assignee_id").await?;
        }
        if let Some(team) = input.team_id {
            found(self.store.team(account, team).await, "team")?;
        }
        let status = self
            .status_for_inbox(account, inbox.id, input.status)
            .await?;
        let contact_inbox = match &input.source_id {
            Some(source) => {
                let source = validate::required_text("source_id", source)?;
                match self
                    .store
                    .contact_inbox_by_source(inbox.id, &source)
                    .await?
                {
                    Some(ci) if ci.contact_id == contact.id => ci,
                    Some(_) => {
                        return Err(ValidationError::new(
                            "source_id",
                            "belongs to another contact in this inbox",
                        )
                        .into());
                    }
                    None => {
                        self.store
                            .create_contact_inbox(contact.id, inbox.id, &source, false, at)
                            .await?
                    }
                }
            }
            None => {
                let existing = self.store.contact_inboxes_of(contact.id).await?;
                match existing.into_iter().find(|ci| ci.inbox_id == inbox.id) {
                    Some(ci) => ci,
                    None => {
                        let source = uuid::Uuid::new_v4().to_string();
                        self.store
                            .create_contact_inbox(contact.id, inbox.id, &source, false, at)
                            .await?
                    }
                }
            }
        };
        let conversation = self
            .store
            .create_conversation(
                &NewConversation {
                    account_id: account,
                    inbox_id: inbox.id,
                    contact_id: contact.id,
                    contact_inbox_id: contact_inbox.id,
                    uuid: uuid::Uuid::new_v4().to_string(),
                    status,
                    assignee_id: input.assignee_id,
                    team_id: input.team_id,
                    priority: input.priority,
                    snoozed_until: None,
                    custom_attributes: input.custom_attributes.clone(),
                    additional_attributes: input.additional_attributes.clone(),
                },
                at,
            )
            .await?;
        self.events.publish(
            account,
            "conversation.created",
            json!({"id": conversation.display_id}),
        );
        Ok(conversation)
    }

    /// The account's conversation with this display id.
    pub async fn conversation(
        &self,
        account: AccountId,
        id: DisplayId,
    ) -> Result<Conversation, ServiceError> {
        found(
            self.store.conversation_by_display_id(account, id).await,
            "conversation",
        )
    }

    /// Posts a message now.
    pub async fn post_message(
        &self,
        account: AccountId,
        id: DisplayId,
        input: &MessageInput,
    ) -> Result<Message, ServiceError> {
        self.post_message_at(account, id, input, Timestamp::now())
            .await
    }

    /// Posts a message as of `at`, and updates the conversation (activity, waiting time,
    /// reopening) and the contact's activity.
    pub async fn post_message_at(
        &self,
        account: AccountId,
        id: DisplayId,
        input: &MessageInput,
        at: Timestamp,
    ) -> Result<Message, ServiceError> {
        let conversation = self.conversation(account, id).await?;
        Ok(self.post_into(conversation, input, at).await?.0)
    }

    /// Posts a message as of `at` into `conversation` (the account's, already read); returns
    /// the message and the conversation as it is after it.
    pub(crate) async fn post_into(
        &self,
        conversation: Conversation,
        input: &MessageInput,
        at: Timestamp,
    ) -> Result<(Message, Conversation), ServiceError> {
        self.post_into_with(conversation, input, &[], at).await
    }

    /// As [`Services::post_into`], with files already in the object store, recorded in the
    /// message's transaction. A message with files may have no text.
    pub(crate) async fn post_into_with(
        &self,
        conversation: Conversation,
        input: &MessageInput,
        files: &[NewAttachment],
        at: Timestamp,
    ) -> Result<(Message, Conversation), ServiceError> {
        let account = conversation.account_id;
        let content = if !files.is_empty() && input.content.trim().is_empty() {
            None
        } else {
            Some(validate::message_content("content", &input.content)?)
        };
        let sender = match input.message_type {
            MessageType::Incoming => {
                if input.private {
                    return Err(ValidationError::new(
                        "private",
                        "incoming messages cannot be private notes",
                    )
                    .into());
                }
                Some(Sender::Contact(conversation.contact_id))
            }
            MessageType::Outgoing | MessageType::Template => match input.sender {
                Some(Sender::User(user)) => {
                    self.require_member(account, user, "sender").await?;
                    Some(Sender::User(user))
                }
                Some(Sender::AgentBot(bot)) => {
                    found(self.store.agent_bot(account, bot).await, "agent bot")?;
                    Some(Sender::AgentBot(bot))
                }
                Some(Sender::Contact(_)) => {
                    return Err(ValidationError::new(
                        "message_type",
                        "a contact's message must be incoming",
                    )
                    .into());
                }
                None => None,
            },
            MessageType::Activity => None,
        };
        let (message, after, logged) = self
            .messages
            .post(
                conversation.clone(),
                NewMessage {
                    account_id: account,
                    inbox_id: conversation.inbox_id,
                    conversation_id: conversation.id,
                    message_type: input.message_type,
                    content,
                    content_type: input.content_type,
                    content_attributes: input.content_attributes.clone(),
                    private: input.private,
                    source_id: input.source_id.clone(),
                    sender,
                    status: MessageStatus::Sent,
                },
                files.to_vec(),
                at,
            )
            .await?;
        let incoming = input.message_type == MessageType::Incoming;
        let after = self
            .reopened_for_bot(conversation.status, after, incoming, at)
            .await?;
        if !logged {
            // Written alone after its batch failed: its event was not recorded with it.
            self.events.publish(
                account,
                group_commit::MESSAGE_CREATED,
                group_commit::message_created(&message, &after),
            );
        }
        if after.status != conversation.status {
            let changed =
                changed_attributes(&[("status", json!(conversation.status), json!(after.status))]);
            self.events.publish(
                account,
                "conversation.status_changed",
                json!({"id": after.display_id, "status": after.status, "changed_attributes": changed}),
            );
        }
        Ok((message, after))
    }

    /// Replaces a conversation's labels.
    pub async fn set_labels(
        &self,
        account: AccountId,
        id: DisplayId,
        titles: &[String],
    ) -> Result<Vec<String>, ServiceError> {
        let conversation = self.conversation(account, id).await?;
        let mut errors = ValidationErrors::new();
        let mut labels: Vec<String> = titles
            .iter()
            .enumerate()
            .filter_map(|(i, t)| errors.check(validate::label_title(&format!("labels[{i}]"), t)))
            .collect();
        errors.into_result()?;
        labels.sort();
        labels.dedup();
        self.store
            .set_conversation_labels(conversation.id, &labels)
            .await?;
        let changed =
            changed_attributes(&[("label_list", json!(conversation.labels), json!(labels))]);
        self.events.publish(
            account,
            "conversation.updated",
            json!({"id": conversation.display_id, "labels": labels, "changed_attributes": changed}),
        );
        Ok(labels)
    }

    async fn require_member(
        &self,
        account: AccountId,
        user: UserId,
        field: &str,
    ) -> Result<(), ServiceError> {
        match self.store.membership(account, user).await? {
            Some(_) => Ok(()),
            None => Err(ValidationError::new(field, "is not a member of this account").into()),
        }
    }
}
