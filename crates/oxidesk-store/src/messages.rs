//! Messages of conversations.

use std::sync::LazyLock;

use oxidesk_domain::{
    AccountId, Attributes, ContentType, ConversationId, InboxId, Message, MessageId, MessageStatus,
    MessageType, Sender, Timestamp,
};

use crate::rows::{MessageRow, json_text};
use crate::{Store, StoreError};

pub(crate) const COLUMNS: &str = "id, account_id, inbox_id, conversation_id, message_type, content, content_type, \
    content_attributes, private, source_id, sender_type, sender_id, status, created_at, updated_at";

/// The columns an INSERT of messages fills, in `bind_message!`'s order (`updated_at` is
/// `created_at`).
pub(crate) const INSERT_COLUMNS: &str = "(account_id, inbox_id, conversation_id, message_type, \
    content, content_type, content_attributes, private, source_id, sender_type, sender_id, status, \
    created_at, updated_at)";

/// The INSERT of a message, returning its row; its parameters are bound by `bind_message!`.
pub(crate) static INSERT_MESSAGE: LazyLock<String> = LazyLock::new(|| {
    format!(
        "INSERT INTO messages {INSERT_COLUMNS} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING {COLUMNS}"
    )
});

/// Binds [`insert_message`]'s parameters from a [`NewMessage`] written at `now`.
macro_rules! bind_message {
    ($query:expr, $m:expr, $now:expr) => {{
        let m: &NewMessage = $m;
        let (sender_type, sender_id) = match m.sender {
            Some(Sender::Contact(id)) => (Some("Contact"), Some(id.get())),
            Some(Sender::User(id)) => (Some("User"), Some(id.get())),
            Some(Sender::AgentBot(id)) => (Some("AgentBot"), Some(id.get())),
            None => (None, None),
        };
        $query
            .bind(m.account_id.get())
            .bind(m.inbox_id.get())
            .bind(m.conversation_id.get())
            .bind(m.message_type.code())
            .bind(m.content.clone())
            .bind(m.content_type.as_str())
            .bind(json_text(&m.content_attributes))
            .bind(m.private)
            .bind(m.source_id.clone())
            .bind(sender_type)
            .bind(sender_id)
            .bind(m.status.as_str())
            .bind($now.secs())
    }};
}
pub(crate) use bind_message;

/// A message to add, already validated.
#[derive(Debug, Clone)]
pub struct NewMessage {
    /// The account.
    pub account_id: AccountId,
    /// The inbox.
    pub inbox_id: InboxId,
    /// The conversation.
    pub conversation_id: ConversationId,
    /// Incoming, outgoing, activity, template.
    pub message_type: MessageType,
    /// The text.
    pub content: Option<String>,
    /// How to read the text.
    pub content_type: ContentType,
    /// Type-specific data.
    pub content_attributes: Attributes,
    /// A private note.
    pub private: bool,
    /// The channel's id for the message.
    pub source_id: Option<String>,
    /// Who wrote it.
    pub sender: Option<Sender>,
    /// Delivery status.
    pub status: MessageStatus,
}

impl NewMessage {
    /// The message as written with id `id` at `at`: what the row reads back as (every column
    /// but the id is bound from the message; the update time is the creation time).
    pub(crate) fn written(&self, id: i64, at: Timestamp) -> Message {
        Message {
            id: MessageId(id),
            account_id: self.account_id,
            inbox_id: self.inbox_id,
            conversation_id: self.conversation_id,
            message_type: self.message_type,
            content: self.content.clone(),
            content_type: self.content_type,
            content_attributes: self.content_attributes.clone(),
            private: self.private,
            source_id: self.source_id.clone(),
            sender: self.sender,
            status: self.status,
            created_at: at,
            updated_at: at,
        }
    }
}

impl Store {
    /// Adds a message.
    pub async fn create_message(
        &self,
        m: &NewMessage,
        now: Timestamp,
    ) -> Result<Message, StoreError> {
        let row: MessageRow = on_pool!(self, pool => {
            bind_message!(sqlx::query_as(INSERT_MESSAGE.as_str()), m, now)
                .fetch_one(pool)
                .await?
        });
        row.try_into()
    }

    /// One message of a conversation.
    pub async fn message(
        &self,
        conversation: ConversationId,
        id: MessageId,
    ) -> Result<Message, StoreError> {
        let row: MessageRow = on_read!(self, pool => {
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM messages WHERE conversation_id = $1 AND id = $2"))
                .bind(conversation.get())
                .bind(id.get())
                .fetch_one(pool)
                .await?
        });
        row.try_into()
    }

    /// Up to `limit` messages of a conversation before message `before` (the newest when
    /// `None`), returned oldest first: what a thread shows, and Chatwoot's `?before=`.
    pub async fn messages_before(
        &self,
        conversation: ConversationId,
        before: Option<MessageId>,
        limit: i64,
    ) -> Result<Vec<Message>, StoreError> {
        let rows: Vec<MessageRow> = on_read!(self, pool => {
            sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM messages WHERE conversation_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3"
            ))
            .bind(conversation.get())
            .bind(before.map_or(i64::MAX, MessageId::get))
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        let mut messages = rows
            .into_iter()
            .map(TryInto::try_into)
            .collect::<Result<Vec<Message>, _>>()?;
        messages.reverse();
        Ok(messages)
    }

    /// Up to `limit` messages of a conversation after message `after`, oldest first
    /// (Chatwoot's `?after=`).
    pub async fn messages_after(
        &self,
        conversation: ConversationId,
        after: MessageId,
        limit: i64,
    ) -> Result<Vec<Message>, StoreError> {
        let rows: Vec<MessageRow> = on_read!(self, pool => {
            sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM messages WHERE conversation_id = $1 AND id > $2 ORDER BY id LIMIT $3"
            ))
            .bind(conversation.get())
            .bind(after.get())
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(TryInto::try_into).collect()
    }

    /// Incoming messages of the conversation created after `since` (all when `None`).
    pub async fn count_incoming_since(
        &self,
        conversation: ConversationId,
        since: Option<Timestamp>,
    ) -> Result<i64, StoreError> {
        Ok(on_read!(self, pool => {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM messages WHERE conversation_id = $1 AND message_type = 0 AND created_at > $2",
            )
            .bind(conversation.get())
            .bind(since.map_or(i64::MIN, Timestamp::secs))
            .fetch_one(pool)
            .await?
        }))
    }

    /// Replaces a message's content with "This message was deleted" and marks it `deleted` in
    /// its content attributes (Chatwoot's soft delete). Returns the changed message.
    pub async fn mark_message_deleted(
        &self,
        conversation: ConversationId,
        id: MessageId,
        now: Timestamp,
    ) -> Result<Message, StoreError> {
        let row: MessageRow = on_pool!(self, pool => {
            sqlx::query_as(&format!(
                "UPDATE messages SET content = 'This message was deleted', content_attributes = '{{\"deleted\":true}}', \
                 updated_at = $1 WHERE conversation_id = $2 AND id = $3 RETURNING {COLUMNS}"
            ))
            .bind(now.secs())
            .bind(conversation.get())
            .bind(id.get())
            .fetch_one(pool)
            .await?
        });
        row.try_into()
    }

    /// Replaces a message's content attributes (a contact's answer to a bot's form or
    /// survey). Returns the changed message.
    pub async fn set_message_content_attributes(
        &self,
        conversation: ConversationId,
        id: MessageId,
        attributes: &Attributes,
        now: Timestamp,
    ) -> Result<Message, StoreError> {
        let row: MessageRow = on_pool!(self, pool => {
            sqlx::query_as(&format!(
                "UPDATE messages SET content_attributes = $1, updated_at = $2 \
                 WHERE conversation_id = $3 AND id = $4 RETURNING {COLUMNS}"
            ))
            .bind(json_text(attributes))
            .bind(now.secs())
            .bind(conversation.get())
            .bind(id.get())
            .fetch_one(pool)
            .await?
        });
        row.try_into()
    }

    /// Deletes a message of a conversation.
    pub async fn delete_message(
        &self,
        conversation: ConversationId,
        id: MessageId,
    ) -> Result<(), StoreError> {
        let done = on_pool!(self, pool => {
            sqlx::query("DELETE FROM messages WHERE conversation_id = $1 AND id = $2")
                .bind(conversation.get())
                .bind(id.get())
                .execute(pool)
                .await?
                .rows_affected()
        });
        crate::one_row(done)
    }
}
