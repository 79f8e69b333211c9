//! A conversation's status: open, pending, snoozed (until a time) or resolved, with the
//! activity line, the events and what a resolution starts (the satisfaction survey).

use oxidesk_domain::{
    AccountId, Attributes, Contact, ContentType, Conversation, ConversationStatus, DisplayId,
    MessageStatus, MessageType, Timestamp, UserId,
};
use oxidesk_store::NewMessage;
use serde_json::json;

use super::super::{ServiceError, Services};
use crate::events::changed_attributes;

/// How many times a status change reads again when others keep changing the status between
/// its read and its write.
const STATUS_ATTEMPTS: usize = 8;

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
        self.set_status_lined(account, id, status, snoozed_until, now, |status| {
            format!("{}{by}", status_line(status))
        })
        .await
    }

    /// The contact resolves their conversation (the client API's and the widget's
    /// `toggle_status`); the activity line names them as Chatwoot's does: "Conversation was
    /// resolved by Alice" (no name, no "by").
    pub(crate) async fn resolve_by_contact(
        &self,
        account: AccountId,
        id: DisplayId,
        contact: &Contact,
    ) -> Result<Conversation, ServiceError> {
        let name = contact.name.trim();
        let resolved = ConversationStatus::Resolved;
        self.set_status_lined(account, id, resolved, None, Timestamp::now(), |status| {
            if status == resolved && !name.is_empty() {
                format!("Conversation was resolved by {name}")
            } else {
                status_line(status).to_owned()
            }
        })
        .await
    }

    /// Changes a conversation's status; `line` words the activity line for the new status.
    async fn set_status_lined(
        &self,
        account: AccountId,
        id: DisplayId,
        status: ConversationStatus,
        snoozed_until: Option<Timestamp>,
        now: Timestamp,
        line: impl Fn(ConversationStatus) -> String,
    ) -> Result<Conversation, ServiceError> {
        // Only the status columns, and only if the status is still the one read: else read
        // again, so a change made meanwhile is neither undone nor reported twice (two agents
        // resolving at once make one activity line and one survey).
        let mut attempts = 0;
        let (mut conversation, before, snoozed_before) = loop {
            let mut conversation = self.conversation(account, id).await?;
            let before = conversation.status;
            let snoozed_before = conversation.snoozed_until;
            conversation.set_status(status, snoozed_until, now)?;
            conversation.updated_at = now;
            let written = self
                .store
                .set_conversation_status(
                    conversation.id,
                    before,
                    conversation.status,
                    conversation.snoozed_until,
                    now,
                )
                .await?;
            attempts += 1;
            if written {
                break (conversation, before, snoozed_before);
            }
            if attempts == STATUS_ATTEMPTS {
                return Err(ServiceError::Conflict(
                    "the conversation's status kept changing; try again".to_owned(),
                ));
            }
        };
        if before != conversation.status {
            let text = line(conversation.status);
            self.activity_line(&mut conversation, &text, now).await?;
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

/// The activity line of a status change, before "by whom".
fn status_line(status: ConversationStatus) -> &'static str {
    match status {
        ConversationStatus::Open => "Conversation was reopened",
        ConversationStatus::Resolved => "Conversation was marked resolved",
        ConversationStatus::Pending => "Conversation was marked pending",
        ConversationStatus::Snoozed => "Conversation was snoozed",
    }
}
