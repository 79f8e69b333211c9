//! Conversations with their labels and messages, in bulk.

use oxidesk_domain::{
    AccountId, ContactId, ContactInboxId, ConversationStatus, DisplayId, InboxId, MessageType,
    Priority, Sender, TeamId, Timestamp, UserId,
};

use super::{rows_per_statement, values};
use crate::{BeginWrite, Store, StoreError};

/// A generated message. Its content type is text, its status `sent`, its content attributes
/// empty and its source id none, as for a message posted through the API.
#[derive(Debug, Clone)]
pub struct BulkMessage {
    /// Incoming, outgoing, activity, template.
    pub message_type: MessageType,
    /// The text.
    pub content: String,
    /// A private note.
    pub private: bool,
    /// Who wrote it (none for activity messages).
    pub sender: Option<Sender>,
    /// When it was posted.
    pub created_at: Timestamp,
}

/// A generated conversation, with every column already consistent with its messages. Its
/// display id is given on insertion, from the account's counter.
#[derive(Debug, Clone)]
pub struct BulkConversation {
    /// A UUID.
    pub uuid: String,
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
    /// Until when it is snoozed.
    pub snoozed_until: Option<Timestamp>,
    /// Its priority.
    pub priority: Option<Priority>,
    /// `custom_attributes`, a JSON object as text.
    pub custom_attributes: String,
    /// `additional_attributes`, a JSON object as text.
    pub additional_attributes: String,
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
    /// Its labels (titles, distinct).
    pub labels: Vec<String>,
    /// Its messages, oldest first.
    pub messages: Vec<BulkMessage>,
}

/// What one call wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BulkOutcome {
    /// The first display id given.
    pub first_display_id: DisplayId,
    /// The last display id given.
    pub last_display_id: DisplayId,
    /// Messages written.
    pub messages: usize,
    /// Conversation labels written.
    pub labels: usize,
}

/// Bound parameters per conversation row (the account is shared).
const CONVERSATION_PARAMS: usize = 20;
/// Bound parameters per message row (the account is shared).
const MESSAGE_PARAMS: usize = 9;

impl Store {
    /// Inserts conversations with their labels and messages in one transaction, giving them
    /// the account's next display ids (in order) and moving its counter past them, as opening
    /// them one by one would.
    pub async fn bulk_insert_conversations(
        &self,
        account: AccountId,
        batch: &[BulkConversation],
    ) -> Result<BulkOutcome, StoreError> {
        let count = i64::try_from(batch.len())
            .map_err(|_| StoreError::Corrupt("too many conversations in one batch".into()))?;
        let messages = batch.iter().map(|c| c.messages.len()).sum();
        let labels = batch.iter().map(|c| c.labels.len()).sum();
        let last: i64 = retry_on_pool!(self, pool => {
            let mut ids = vec![0_i64; batch.len()];
            let mut tx = pool.begin_write().await?;
            let last: i64 = sqlx::query_scalar(
                "UPDATE accounts SET conversation_seq = conversation_seq + $2 WHERE id = $1 RETURNING conversation_seq",
            )
            .bind(account.get())
            .bind(count)
            .fetch_one(&mut *tx)
            .await?;
            let first = last - count + 1;
            let per = rows_per_statement(self.backend(), CONVERSATION_PARAMS);
            for (k, chunk) in batch.chunks(per).enumerate() {
                let sql = format!(
                    "INSERT INTO conversations (account_id, display_id, uuid, inbox_id, contact_id, contact_inbox_id, \
                     assignee_id, team_id, status, snoozed_until, priority, muted, custom_attributes, additional_attributes, \
                     agent_last_seen_at, assignee_last_seen_at, contact_last_seen_at, last_activity_at, waiting_since, \
                     first_reply_created_at, created_at, updated_at) VALUES {} RETURNING id, display_id",
                    values(chunk.len(), 2, "($1, #, #, #, #, #, #, #, #, #, #, FALSE, #, #, #, #, #, #, #, #, #, #)")
                );
                let mut query = sqlx::query_as::<_, (i64, i64)>(&sql).bind(account.get());
                for (j, c) in chunk.iter().enumerate() {
                    let display_id = first + i64::try_from(k * per + j).unwrap_or(0);
                    query = query
                        .bind(display_id)
                        .bind(&c.uuid)
                        .bind(c.inbox_id.get())
                        .bind(c.contact_id.get())
                        .bind(c.contact_inbox_id.get())
                        .bind(c.assignee_id.map(UserId::get))
                        .bind(c.team_id.map(TeamId::get))
                        .bind(c.status.as_str())
                        .bind(c.snoozed_until.map(Timestamp::secs))
                        .bind(c.priority.map(Priority::as_str))
                        .bind(&c.custom_attributes)
                        .bind(&c.additional_attributes)
                        .bind(c.agent_last_seen_at.map(Timestamp::secs))
                        .bind(c.assignee_last_seen_at.map(Timestamp::secs))
                        .bind(c.contact_last_seen_at.map(Timestamp::secs))
                        .bind(c.last_activity_at.secs())
                        .bind(c.waiting_since.map(Timestamp::secs))
                        .bind(c.first_reply_created_at.map(Timestamp::secs))
                        .bind(c.created_at.secs())
                        .bind(c.updated_at.secs());
                }
                for (id, display_id) in query.fetch_all(&mut *tx).await? {
                    let slot = usize::try_from(display_id - first)
                        .ok()
                        .and_then(|i| ids.get_mut(i))
                        .ok_or_else(|| StoreError::Corrupt(format!("unexpected display id {display_id}")))?;
                    *slot = id;
                }
            }

            let label_rows: Vec<(i64, &str)> = batch
                .iter()
                .zip(&ids)
                .flat_map(|(c, id)| c.labels.iter().map(move |l| (*id, l.as_str())))
                .collect();
            for chunk in label_rows.chunks(rows_per_statement(self.backend(), 2)) {
                let sql = format!(
                    "INSERT INTO conversation_labels (conversation_id, title) VALUES {}",
                    values(chunk.len(), 1, "(#, #)")
                );
                let mut query = sqlx::query(&sql);
                for (id, title) in chunk {
                    query = query.bind(*id).bind(*title);
                }
                query.execute(&mut *tx).await?;
            }

            let message_rows: Vec<(i64, i64, &BulkMessage)> = batch
                .iter()
                .zip(&ids)
                .flat_map(|(c, id)| c.messages.iter().map(move |m| (*id, c.inbox_id.get(), m)))
                .collect();
            for chunk in message_rows.chunks(rows_per_statement(self.backend(), MESSAGE_PARAMS)) {
                let sql = format!(
                    "INSERT INTO messages (account_id, inbox_id, conversation_id, message_type, content, content_type, \
                     content_attributes, private, source_id, sender_type, sender_id, status, created_at, updated_at) \
                     VALUES {}",
                    values(chunk.len(), 2, "($1, #, #, #, #, 'text', '{}', #, NULL, #, #, 'sent', #, #)")
                );
                let mut query = sqlx::query(&sql).bind(account.get());
                for (conversation_id, inbox_id, m) in chunk {
                    let (sender_type, sender_id) = match m.sender {
                        Some(Sender::Contact(id)) => (Some("Contact"), Some(id.get())),
                        Some(Sender::User(id)) => (Some("User"), Some(id.get())),
                        Some(Sender::AgentBot(id)) => (Some("AgentBot"), Some(id.get())),
                        None => (None, None),
                    };
                    query = query
                        .bind(*inbox_id)
                        .bind(*conversation_id)
                        .bind(m.message_type.code())
                        .bind(&m.content)
                        .bind(m.private)
                        .bind(sender_type)
                        .bind(sender_id)
                        .bind(m.created_at.secs())
                        .bind(m.created_at.secs());
                }
                query.execute(&mut *tx).await?;
            }
            tx.commit().await?;
            last
        })?;
        Ok(BulkOutcome {
            first_display_id: DisplayId(last - count + 1),
            last_display_id: DisplayId(last),
            messages,
            labels,
        })
    }
}
