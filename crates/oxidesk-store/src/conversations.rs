//! Conversations: creation with per-account display ids, updates, filtered keyset lists.

use crate::BeginWrite;
use std::collections::HashMap;

use oxidesk_domain::{
    AccountId, Attributes, ContactId, ContactInboxId, Conversation, ConversationId,
    ConversationStatus, DisplayId, InboxId, Priority, TeamId, Timestamp, UserId,
};

mod counts;
mod filter;
mod listing;
mod page;

pub use counts::{COUNT_LIMIT, ConversationCounts};
pub use page::ListedPage;

use crate::rows::{ConversationRow, Cursor, json_text};
use crate::{Store, StoreError};

pub(crate) const COLUMNS: &str = "c.id, c.account_id, c.display_id, c.uuid, c.inbox_id, c.contact_id, c.contact_inbox_id, \
    c.assignee_id, c.team_id, c.status, c.snoozed_until, c.priority, c.muted, c.custom_attributes, \
    c.additional_attributes, c.agent_last_seen_at, c.assignee_last_seen_at, c.contact_last_seen_at, \
    c.last_activity_at, c.waiting_since, c.first_reply_created_at, c.created_at, c.updated_at";

/// The keyset condition "before the cursor `(k, i)`" on the columns `(key, id)`, walking down:
/// `key <= k` (a range SQLite seeks to in the list's index), less the rows at `key = k` not
/// below `i`. Spelled so that SQLite's planner (with STAT4 statistics, as the bundled build has)
/// keeps walking the index in order at a million conversations: as a row value
/// `(key, id) < (k, i)` it skip-scanned the label index and sorted the whole label (190 ms), and
/// as `key < k OR (key = k AND id < i)` it did the same to an assignee's conversations (22 ms,
/// seconds for "unassigned"); this form walks 26 index entries (under 1 ms) for every filter.
fn before(key: &str, id: &str, k: &str, i: &str) -> String {
    format!("{key} <= {k} AND NOT ({key} = {k} AND {id} >= {i})")
}

/// Writes every changeable field of a conversation; its parameters are bound by `bind_saved!`.
const SAVE: &str = "UPDATE conversations SET assignee_id = $1, team_id = $2, status = $3, snoozed_until = $4, \
    priority = $5, muted = $6, custom_attributes = $7, additional_attributes = $8, \
    agent_last_seen_at = $9, assignee_last_seen_at = $10, contact_last_seen_at = $11, \
    last_activity_at = $12, waiting_since = $13, first_reply_created_at = $14, updated_at = $15 \
    WHERE id = $16 AND account_id = $17";

/// Binds [`SAVE`]'s parameters from a conversation.
macro_rules! bind_saved {
    ($query:expr, $c:expr) => {{
        let c: &Conversation = $c;
        $query
            .bind(c.assignee_id.map(UserId::get))
            .bind(c.team_id.map(TeamId::get))
            .bind(c.status.as_str())
            .bind(c.snoozed_until.map(Timestamp::secs))
            .bind(c.priority.map(Priority::as_str))
            .bind(c.muted)
            .bind(json_text(&c.custom_attributes))
            .bind(json_text(&c.additional_attributes))
            .bind(c.agent_last_seen_at.map(Timestamp::secs))
            .bind(c.assignee_last_seen_at.map(Timestamp::secs))
            .bind(c.contact_last_seen_at.map(Timestamp::secs))
            .bind(c.last_activity_at.secs())
            .bind(c.waiting_since.map(Timestamp::secs))
            .bind(c.first_reply_created_at.map(Timestamp::secs))
            .bind(c.updated_at.secs())
            .bind(c.id.get())
            .bind(c.account_id.get())
    }};
}

mod post;
mod post_batch;

pub use post_batch::{EventOf, PostMessage, Posted, PostedLogged};

/// A conversation to open.
#[derive(Debug, Clone)]
pub struct NewConversation {
    /// The account.
    pub account_id: AccountId,
    /// The inbox.
    pub inbox_id: InboxId,
    /// The contact.
    pub contact_id: ContactId,
    /// The contact's identity in the inbox.
    pub contact_inbox_id: ContactInboxId,
    /// A fresh UUID.
    pub uuid: String,
    /// The starting status.
    pub status: ConversationStatus,
    /// The assignee, if any.
    pub assignee_id: Option<UserId>,
    /// The team, if any.
    pub team_id: Option<TeamId>,
    /// Its priority.
    pub priority: Option<Priority>,
    /// Until when it is snoozed (only with the snoozed status).
    pub snoozed_until: Option<Timestamp>,
    /// Custom attribute values.
    pub custom_attributes: Attributes,
    /// `browser`, `referer`, `initiated_at`, ...
    pub additional_attributes: Attributes,
}

/// Whose conversations a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AssigneeFilter {
    /// Everyone's, assigned or not.
    #[default]
    All,
    /// Assigned to this user.
    Me(UserId),
    /// Assigned to nobody.
    Unassigned,
    /// Assigned to somebody.
    Assigned,
}

/// Which conversations of an account a list shows.
#[derive(Debug, Clone, Default)]
pub struct ConversationFilter {
    /// One status, or every status when `None`.
    pub status: Option<ConversationStatus>,
    /// Whose.
    pub assignee: AssigneeFilter,
    /// Only this inbox.
    pub inbox_id: Option<InboxId>,
    /// Only this team.
    pub team_id: Option<TeamId>,
    /// Only conversations with this label.
    pub label: Option<String>,
    /// Only this contact's.
    pub contact_id: Option<ContactId>,
    /// Only those whose contact's name, email or phone contains this (case-insensitive), or
    /// whose display id is this number.
    pub search: Option<String>,
}

/// A page request for a conversation list: newest activity first.
#[derive(Debug, Clone, Default)]
pub struct ConversationQuery {
    /// Which conversations.
    pub filter: ConversationFilter,
    /// Start after this cursor (`last_activity_at`, id).
    pub after: Option<Cursor>,
    /// Page size.
    pub limit: i64,
}

impl Store {
    /// Deletes a conversation of the account with its messages and labels (the foreign keys
    /// cascade; the counters' triggers take it out of the counts).
    pub async fn delete_conversation(
        &self,
        account: AccountId,
        id: DisplayId,
    ) -> Result<(), StoreError> {
        let done = retry_on_pool!(self, pool => {
            sqlx::query("DELETE FROM conversations WHERE account_id = $1 AND display_id = $2")
                .bind(account.get())
                .bind(id.get())
                .execute(pool)
                .await?
                .rows_affected()
        })?;
        crate::one_row(done)
    }

    /// Opens a conversation, giving it the account's next display id.
    pub async fn create_conversation(
        &self,
        c: &NewConversation,
        now: Timestamp,
    ) -> Result<Conversation, StoreError> {
        let row: ConversationRow = retry_on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let display_id: i64 = sqlx::query_scalar(
                "UPDATE accounts SET conversation_seq = conversation_seq + 1 WHERE id = $1 RETURNING conversation_seq",
            )
            .bind(c.account_id.get())
            .fetch_one(&mut *tx)
            .await?;
            let row = sqlx::query_as(&format!(
                "INSERT INTO conversations (account_id, display_id, uuid, inbox_id, contact_id, contact_inbox_id, \
                 assignee_id, team_id, status, snoozed_until, priority, muted, custom_attributes, additional_attributes, \
                 last_activity_at, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, FALSE, $12, $13, $14, $14, $14) RETURNING {}",
                COLUMNS.replace("c.", "")
            ))
            .bind(c.account_id.get())
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
            .bind(json_text(&c.custom_attributes))
            .bind(json_text(&c.additional_attributes))
            .bind(now.secs())
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            row
        })?;
        row.into_domain(Vec::new())
    }

    /// The account's conversation with this display id.
    pub async fn conversation_by_display_id(
        &self,
        account: AccountId,
        display_id: DisplayId,
    ) -> Result<Conversation, StoreError> {
        let row: ConversationRow = on_read!(self, pool => {
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM conversations c WHERE c.account_id = $1 AND c.display_id = $2"))
                .bind(account.get())
                .bind(display_id.get())
                .fetch_one(pool)
                .await?
        });
        let labels = self
            .labels_of(&[row.id])
            .await?
            .remove(&row.id)
            .unwrap_or_default();
        row.into_domain(labels)
    }

    /// A conversation by its internal id.
    pub async fn conversation(&self, id: ConversationId) -> Result<Conversation, StoreError> {
        let row: ConversationRow = on_read!(self, pool => {
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM conversations c WHERE c.id = $1"))
                .bind(id.get())
                .fetch_one(pool)
                .await?
        });
        let labels = self
            .labels_of(&[row.id])
            .await?
            .remove(&row.id)
            .unwrap_or_default();
        row.into_domain(labels)
    }

    /// Writes every changeable field of `c` (not its labels: see `set_conversation_labels`).
    pub async fn save_conversation(&self, c: &Conversation) -> Result<(), StoreError> {
        let done = retry_on_pool!(self, pool => {
            bind_saved!(sqlx::query(SAVE), c)
                .execute(pool)
                .await?
                .rows_affected()
        })?;
        crate::one_row(done)
    }

    /// Records when the conversation was last seen by an agent, its assignee and its contact,
    /// writing only the columns given (`None` keeps a column): never a whole-row save, so a
    /// status or assignee changed meanwhile by someone else is kept.
    pub async fn set_last_seen(
        &self,
        id: ConversationId,
        agent: Option<Timestamp>,
        assignee: Option<Timestamp>,
        contact: Option<Timestamp>,
    ) -> Result<(), StoreError> {
        let done = on_pool!(self, pool => {
            sqlx::query(
                "UPDATE conversations SET agent_last_seen_at = COALESCE($1, agent_last_seen_at), \
                 assignee_last_seen_at = COALESCE($2, assignee_last_seen_at), \
                 contact_last_seen_at = COALESCE($3, contact_last_seen_at) WHERE id = $4",
            )
            .bind(agent.map(Timestamp::secs))
            .bind(assignee.map(Timestamp::secs))
            .bind(contact.map(Timestamp::secs))
            .bind(id.get())
            .execute(pool)
            .await?
            .rows_affected()
        });
        crate::one_row(done)
    }

    /// The labels of each conversation in `ids`, sorted.
    pub(crate) async fn labels_of(
        &self,
        ids: &[i64],
    ) -> Result<HashMap<i64, Vec<String>>, StoreError> {
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
