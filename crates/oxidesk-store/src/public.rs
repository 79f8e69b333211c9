//! Queries of the client (public) API: what a contact may see of its own conversations.
//!
//! These read whole rows (`SELECT *`) into the shared row structs, so that a column added to a
//! table and its row struct needs no change here.

use std::collections::HashMap;

use oxidesk_domain::{ContactId, ContactInboxId, Conversation, ConversationId, InboxId, Message};

use crate::rows::{ConversationRow, MessageRow};
use crate::{Store, StoreError};

impl Store {
    /// Up to `limit` messages of a conversation that its contact may see (no private notes, no
    /// activity messages), before message `before` (the newest when `None`), oldest first
    /// (Chatwoot's client-side message list). Uses the `(conversation_id, id)` index.
    pub async fn public_messages(
        &self,
        conversation: ConversationId,
        before: Option<oxidesk_domain::MessageId>,
        limit: i64,
    ) -> Result<Vec<Message>, StoreError> {
        let rows: Vec<MessageRow> = on_read!(self, pool => {
            sqlx::query_as(
                "SELECT * FROM messages WHERE conversation_id = $1 AND id < $2 \
                 AND private = FALSE AND message_type <> 2 ORDER BY id DESC LIMIT $3",
            )
            .bind(conversation.get())
            .bind(before.map_or(i64::MAX, oxidesk_domain::MessageId::get))
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

    /// The newest `limit` conversations of a contact in an inbox, oldest first: those of one
    /// identity (`contact_inbox`) or, when `None`, of every identity of the contact there.
    pub async fn public_conversations(
        &self,
        inbox: InboxId,
        contact: ContactId,
        contact_inbox: Option<ContactInboxId>,
        limit: i64,
    ) -> Result<Vec<Conversation>, StoreError> {
        let rows: Vec<ConversationRow> = on_read!(self, pool => {
            sqlx::query_as(
                "SELECT * FROM conversations WHERE contact_id = $1 AND inbox_id = $2 \
                 AND ($3 IS NULL OR contact_inbox_id = $3) ORDER BY id DESC LIMIT $4",
            )
            .bind(contact.get())
            .bind(inbox.get())
            .bind(contact_inbox.map(ContactInboxId::get))
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut labels = self.public_labels_of(&ids).await?;
        let mut conversations = rows
            .into_iter()
            .map(|r| {
                let l = labels.remove(&r.id).unwrap_or_default();
                r.into_domain(l)
            })
            .collect::<Result<Vec<_>, _>>()?;
        conversations.reverse();
        Ok(conversations)
    }

    /// The labels of each conversation in `ids`, sorted.
    async fn public_labels_of(&self, ids: &[i64]) -> Result<HashMap<i64, Vec<String>>, StoreError> {
        let mut map: HashMap<i64, Vec<String>> = HashMap::new();
        if ids.is_empty() {
            return Ok(map);
        }
        let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT conversation_id, title FROM conversation_labels WHERE conversation_id IN ({}) \
             ORDER BY conversation_id, title",
            placeholders.join(", ")
        );
        let rows: Vec<(i64, String)> = on_read!(self, pool => {
            let mut query = sqlx::query_as(&sql);
            for id in ids {
                query = query.bind(*id);
            }
            query.fetch_all(pool).await?
        });
        for (id, title) in rows {
            map.entry(id).or_default().push(title);
        }
        Ok(map)
    }
}
