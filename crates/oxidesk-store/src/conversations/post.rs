//! A message and what it changes, in one transaction.

use oxidesk_domain::{
    Conversation, Message, MessageType, Priority, Sender, TeamId, Timestamp, UserId,
};

use super::{COLUMNS, SAVE};
use crate::attachments::{INSERT_ATTACHMENT, NewAttachment, bind_attachment};
use crate::messages::{INSERT_MESSAGE, NewMessage, bind_message};
use crate::rows::{ConversationRow, MessageRow, json_text};
use crate::{Backend, BeginWrite, Store, StoreError};

impl Store {
    /// Adds a message to `conversation` in one transaction with what it changes: the
    /// conversation as it is inside the transaction (locked, so what an agent changed a moment
    /// ago is not written back over) gets the message's effect
    /// ([`Conversation::record_message`]) and is saved; an incoming message also moves its
    /// contact's last activity. One commit per message instead of three.
    /// Returns the message and the conversation as saved (with `conversation`'s labels, which
    /// a message does not change).
    pub async fn post_message(
        &self,
        conversation: &Conversation,
        m: &NewMessage,
        now: Timestamp,
    ) -> Result<(Message, Conversation), StoreError> {
        self.post_message_with(conversation, m, &[], now).await
    }

    /// As [`Store::post_message`], with the rows of the message's files (already in the
    /// object store) in the same transaction.
    pub async fn post_message_with(
        &self,
        conversation: &Conversation,
        m: &NewMessage,
        files: &[NewAttachment],
        now: Timestamp,
    ) -> Result<(Message, Conversation), StoreError> {
        // PostgreSQL locks the row for the read-modify-write; SQLite's `BEGIN IMMEDIATE`
        // already holds the whole database's write lock.
        let lock = match self.backend() {
            Backend::Postgres => " FOR UPDATE",
            Backend::Sqlite => "",
        };
        let read = format!(
            "SELECT {COLUMNS} FROM conversations c WHERE c.id = $1 AND c.account_id = $2{lock}"
        );
        let read = read.as_str();
        let (current, message): (Conversation, MessageRow) = retry_on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let row: ConversationRow = sqlx::query_as(read)
                .bind(conversation.id.get())
                .bind(conversation.account_id.get())
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            let message: MessageRow = bind_message!(sqlx::query_as(INSERT_MESSAGE.as_str()), m, now)
                .fetch_one(&mut *tx)
                .await?;
            for file in files {
                bind_attachment!(sqlx::query(INSERT_ATTACHMENT), message.id, m.account_id.get(), file, now.secs())
                    .execute(&mut *tx)
                    .await?;
            }
            let mut current = row.into_domain(conversation.labels.clone())?;
            current.record_message(m.message_type, m.private, now);
            bind_saved!(sqlx::query(SAVE), &current)
                .execute(&mut *tx)
                .await?;
            if m.message_type == MessageType::Incoming
                && let Some(Sender::Contact(contact)) = m.sender
            {
                sqlx::query("UPDATE contacts SET last_activity_at = $1 WHERE id = $2")
                    .bind(now.secs())
                    .bind(contact.get())
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            (current, message)
        })?;
        Ok((message.try_into()?, current))
    }
}
