//! Lookups by sets of ids, so that presenting a page of conversations takes a fixed number of
//! queries rather than a few per row.

use std::collections::HashMap;

use oxidesk_domain::{
    AccountId, Agent, Contact, ContactId, ContactInbox, ContactInboxId, ConversationId, Inbox,
    InboxId, Message, UserId,
};

use crate::rows::{AGENT_COLUMNS, AgentRow, ContactInboxRow, ContactRow, InboxRow, MessageRow};
use crate::{Store, StoreError};

/// `$first, $first+1, ...` for `count` values.
pub(crate) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `rows` rows of `width` placeholders each, numbered in turn from `$first`: `($1, $2), ($3,
/// $4)` from 1. (Several statements sent as one SQL text on SQLite share one numbering.)
pub(crate) fn rows_of(first: usize, rows: usize, width: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", placeholders(first + r * width, width)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What an `INSERT` without `RETURNING` tells of the ids it made: on SQLite the rowid of its
/// last row (`sqlite3_last_insert_rowid`, which an `AFTER` trigger's own inserts do not move);
/// on PostgreSQL nothing (there the statement returns its ids).
pub(crate) trait LastInsertId {
    /// The last row's id, where the database tells it.
    fn last_insert_id(&self) -> Option<i64>;
    /// The rows written.
    fn rows(&self) -> u64;
}

impl LastInsertId for sqlx::sqlite::SqliteQueryResult {
    fn last_insert_id(&self) -> Option<i64> {
        Some(self.last_insert_rowid())
    }
    fn rows(&self) -> u64 {
        self.rows_affected()
    }
}

impl LastInsertId for sqlx::postgres::PgQueryResult {
    fn last_insert_id(&self) -> Option<i64> {
        None
    }
    fn rows(&self) -> u64 {
        self.rows_affected()
    }
}

/// The ids of the `rows` rows one SQLite `INSERT ... VALUES (...), (...)` made into a table
/// whose key is an `INTEGER PRIMARY KEY AUTOINCREMENT`, in the order of its rows, from the
/// last one's rowid (`last`): it and the `rows - 1` before it. SQLite gives each new row the
/// largest rowid the table ever had plus one (an `AUTOINCREMENT` key never reuses one, and
/// fails with `SQLITE_FULL` rather than wrap), one row after the other, under the database's
/// one write lock: the rows of one statement have consecutive ids. (Such an `INSERT` without
/// a conflict clause writes every row or fails.)
///
/// Why: `RETURNING` hands each row over from the driver's thread on its own (a wake-up each);
/// this is one hand-off for the whole statement ("Ingest, seventh pass" in
/// `docs/PERFORMANCE.md`).
pub(crate) fn ids_ending_at(last: Option<i64>, rows: usize) -> Result<Vec<i64>, sqlx::Error> {
    let last = last.ok_or_else(|| sqlx::Error::Protocol("no last insert id".into()))?;
    let first = last - i64::try_from(rows).unwrap_or(i64::MAX) + 1;
    if first < 1 {
        return Err(sqlx::Error::Protocol(format!(
            "{rows} rows inserted up to id {last}"
        )));
    }
    Ok((first..=last).collect())
}

/// As [`ids_ending_at`] for the result of one `INSERT` of `rows` rows, checking its count.
pub(crate) fn inserted_ids(
    result: &impl LastInsertId,
    rows: usize,
) -> Result<Vec<i64>, sqlx::Error> {
    if result.rows() != rows as u64 {
        return Err(sqlx::Error::Protocol(format!(
            "{} rows inserted for {rows}",
            result.rows()
        )));
    }
    ids_ending_at(result.last_insert_id(), rows)
}

macro_rules! fetch_by_ids {
    ($store:expr, $row:ty, $sql:expr, $lead:expr, $ids:expr) => {{
        let sql = $sql;
        let rows: Vec<$row> = on_read!($store, pool => {
            let mut query = sqlx::query_as(&sql);
            for lead in $lead {
                query = query.bind(lead);
            }
            for id in $ids {
                query = query.bind(*id);
            }
            query.fetch_all(pool).await?
        });
        rows
    }};
}

impl Store {
    /// The account's contacts with these ids.
    pub async fn contacts_by_ids(
        &self,
        account: AccountId,
        ids: &[ContactId],
    ) -> Result<HashMap<ContactId, Contact>, StoreError> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let raw: Vec<i64> = ids.iter().map(|i| i.get()).collect();
        let rows = fetch_by_ids!(
            self,
            ContactRow,
            format!(
                "SELECT id, account_id, name, email, phone_number, identifier, avatar_url, additional_attributes, \
                 custom_attributes, last_activity_at, blocked, created_at, updated_at FROM contacts \
                 WHERE account_id = $1 AND id IN ({})",
                placeholders(2, raw.len())
            ),
            [account.get()],
            &raw
        );
        rows.into_iter()
            .map(|r| Contact::try_from(r).map(|c| (c.id, c)))
            .collect()
    }

    /// The account's members with these ids, as agents.
    pub async fn agents_by_ids(
        &self,
        account: AccountId,
        ids: &[UserId],
    ) -> Result<HashMap<UserId, Agent>, StoreError> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let raw: Vec<i64> = ids.iter().map(|i| i.get()).collect();
        let rows = fetch_by_ids!(
            self,
            AgentRow,
            format!(
                "SELECT {AGENT_COLUMNS} FROM account_users au JOIN users u ON u.id = au.user_id \
                 WHERE au.account_id = $1 AND au.user_id IN ({})",
                placeholders(2, raw.len())
            ),
            [account.get()],
            &raw
        );
        rows.into_iter()
            .map(|r| Agent::try_from(r).map(|a| (a.user.id, a)))
            .collect()
    }

    /// The account's inboxes with these ids.
    pub async fn inboxes_by_ids(
        &self,
        account: AccountId,
        ids: &[InboxId],
    ) -> Result<HashMap<InboxId, Inbox>, StoreError> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let raw: Vec<i64> = ids.iter().map(|i| i.get()).collect();
        let rows = fetch_by_ids!(
            self,
            InboxRow,
            format!(
                "SELECT id, account_id, name, channel_config, inbox_identifier, enable_auto_assignment, created_at \
                 FROM inboxes WHERE account_id = $1 AND id IN ({})",
                placeholders(2, raw.len())
            ),
            [account.get()],
            &raw
        );
        rows.into_iter()
            .map(|r| Inbox::try_from(r).map(|i| (i.id, i)))
            .collect()
    }

    /// Contact identities with these ids.
    pub async fn contact_inboxes_by_ids(
        &self,
        ids: &[ContactInboxId],
    ) -> Result<HashMap<ContactInboxId, ContactInbox>, StoreError> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let raw: Vec<i64> = ids.iter().map(|i| i.get()).collect();
        let rows = fetch_by_ids!(
            self,
            ContactInboxRow,
            format!(
                "SELECT id, contact_id, inbox_id, source_id, hmac_verified, created_at FROM contact_inboxes WHERE id IN ({})",
                placeholders(1, raw.len())
            ),
            std::iter::empty::<i64>(),
            &raw
        );
        Ok(rows
            .into_iter()
            .map(|r| (ContactInboxId(r.id), r.into()))
            .collect())
    }

    /// The newest message that is not an activity message, of each conversation: per
    /// conversation a walk back from its newest message along `(conversation_id, id)` that
    /// stops at the first one, so a thread of 10,000 messages costs what one of 10 does.
    pub async fn last_messages(
        &self,
        ids: &[ConversationId],
    ) -> Result<HashMap<ConversationId, Message>, StoreError> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let raw: Vec<i64> = ids.iter().map(|i| i.get()).collect();
        let rows = fetch_by_ids!(
            self,
            MessageRow,
            format!(
                "SELECT id, account_id, inbox_id, conversation_id, message_type, content, content_type, \
                 content_attributes, private, source_id, sender_type, sender_id, status, created_at, updated_at \
                 FROM messages WHERE id IN (SELECT (SELECT m.id FROM messages m WHERE m.conversation_id = c.id \
                 AND m.message_type <> 2 ORDER BY m.id DESC LIMIT 1) FROM conversations c WHERE c.id IN ({}))",
                placeholders(1, raw.len())
            ),
            std::iter::empty::<i64>(),
            &raw
        );
        rows.into_iter()
            .map(|r| Message::try_from(r).map(|m| (m.conversation_id, m)))
            .collect()
    }

    /// Incoming messages newer than the agents' last look, per conversation (absent: none):
    /// a range of the `messages_unread` index per conversation, read from the index alone, so
    /// it costs what the unread messages' index entries do, whatever the thread's length.
    pub async fn unread_counts(
        &self,
        ids: &[ConversationId],
    ) -> Result<HashMap<ConversationId, i64>, StoreError> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let raw: Vec<i64> = ids.iter().map(|i| i.get()).collect();
        let rows = fetch_by_ids!(
            self,
            (i64, i64),
            format!(
                "SELECT c.id, (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id \
                 AND m.message_type = 0 AND m.created_at > COALESCE(c.agent_last_seen_at, 0)) \
                 FROM conversations c WHERE c.id IN ({})",
                placeholders(1, raw.len())
            ),
            std::iter::empty::<i64>(),
            &raw
        );
        Ok(rows
            .into_iter()
            .filter(|&(_, n)| n > 0)
            .map(|(id, n)| (ConversationId(id), n))
            .collect())
    }
}
