//! A conversation's status: open, pending, snoozed (until a time) or resolved, with the
//! activity line, the events and what a resolution starts (the satisfaction survey).

use oxidesk_domain::{
    AccountId, Attributes, ContentType, Conversation, ConversationStatus, DisplayId, MessageStatus,
    MessageType, Timestamp, UserId,
};
use oxidesk_store::NewMessage;
use serde_json::json;

use super::super::{ServiceError, Services};
use crate::events::changed_attributes;

impl Services {
    /// Changes a conversation's status (with `snoozed_until` for snoozing).
    pub async fn set_status(
        &self,
        account: AccountId,
        id: DisplayId,
        status: ConversationStatus,
        snoozed_until: Option<Timestamp>,
        actor: Option<UserId>,
    ) -> Result<Conversation, ServiceError> {
        self.set_status_at(account, id, status, snoozed_until, actor, Timestamp::now())
            .await
    }

    /// Changes a conversation's status as of `now` (demo data and imports keep their history).
    pub async fn set_status_at(
        &self,
        account: AccountId,
        id: DisplayId,
        status: ConversationStatus,
        snoozed_until: Option<Timestamp>,
        actor: Option<UserId>,
        now: Timestamp,
    ) -> Result<Conversation, ServiceError> {
        let by = match actor {
            Some(user) => format!(" by {}", self.store.user(user).await?.available_name()),
            None => String::new(),
        };
        self.set_status_saying(account, id, status, snoozed_until, &by, now)
            .await
    }

    /// Changes a conversation's status; the activity line ends with `by` (" by Sam").
    pub(crate) async fn set_status_saying(
        &self,
        account: AccountId,
        id: DisplayId,
        status: ConversationStatus,
        snoozed_until: Option<Timestamp>,
        by: &str,
        now: Timestamp,
    ) -> Result<Conversation, ServiceError> {
        let mut conversation = self.conversation(account, id).await?;
        let before = conversation.status;
        let snoozed_before = conversation.snoozed_until;
        conversation.set_status(status, snoozed_until, now)?;
        conversation.updated_at = now;
        self.store.save_conversation(&conversation).await?;
        if before != conversation.status {
            let text = match conversation.status {
                ConversationStatus::Open => "Conversation was reopened",
                ConversationStatus::Resolved => "Conversation was marked resolved",
                ConversationStatus::Pending => "Conversation was marked pending",
                ConversationStatus::Snoozed => "Conversation was snoozed",
            };
            self.activity_line(&mut conversation, &format!("{text}{by}"), now)
                .await?;
            conversation = self.survey_after_resolve(conversation, before, now).await?;
        }
        let changed = changed_attributes(&[
            ("status", json!(before), json!(conversation.status)),
            (
                "snoozed_until",
                json!(snoozed_before.map(Timestamp::secs)),
                json!(conversation.snoozed_until.map(Timestamp::secs)),
            ),
        ]);
        self.events.publish(
            account,
            "conversation.status_changed",
            json!({"id": conversation.display_id, "status": conversation.status, "changed_attributes": changed}),
        );
        Ok(conversation)
    }

    /// Adds an activity message ("Conversation was resolved by Sam").
    pub(super) async fn activity(
        &self,
        conversation: &mut Conversation,
        text: &str,
        actor: Option<UserId>,
    ) -> Result<(), ServiceError> {
        self.activity_at(conversation, text, actor, Timestamp::now())
            .await
    }

    pub(super) async fn activity_at(
        &self,
        conversation: &mut Conversation,
        text: &str,
        actor: Option<UserId>,
        now: Timestamp,
    ) -> Result<(), ServiceError> {
        let text = match actor {
            Some(user) => format!(
                "{text} by {}",
                self.store.user(user).await?.available_name()
            ),
            None => text.to_owned(),
        };
        self.activity_line(conversation, &text, now).await
    }

    /// Adds an activity message with exactly `text`.
    pub(crate) async fn activity_line(
        &self,
        conversation: &mut Conversation,
        text: &str,
        now: Timestamp,
    ) -> Result<(), ServiceError> {
        let text = text.to_owned();
        let message = self
            .store
            .create_message(
                &NewMessage {
                    account_id: conversation.account_id,
                    inbox_id: conversation.inbox_id,
                    conversation_id: conversation.id,
                    message_type: MessageType::Activity,
                    content: Some(text),
                    content_type: ContentType::Text,
                    content_attributes: Attributes::new(),
                    private: false,
                    source_id: None,
                    sender: None,
                    status: MessageStatus::Sent,
                },
                now,
            )
            .await?;
        self.events.publish(
            conversation.account_id,
            "message.created",
            json!({"id": message.id, "conversation_id": conversation.display_id}),
        );
        Ok(())
    }
}
