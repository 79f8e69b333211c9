//! Conversations: creation with per-account display ids, updates, filtered keyset lists.

use crate::BeginWrite;
use std::collections::HashMap;

use oxidesk_domain::{
    AccountId, Attributes, ContactId, ContactInboxId, Conversation, ConversationId,
    ConversationStatus, DisplayId, InboxId, Priority, TeamId, Timestamp, UserId,
};

use crate::contacts::escape_like;
use crate::rows::{ConversationRow, Cursor, Page, json_text, paginate};
use crate::{Store, StoreError};

const COLUMNS: &str = "c.id, c.account_id, c.display_id, c.uuid, c.inbox_id, c.contact_id, c.contact_inbox_id, \
    c.assignee_id, c.team_id, c.status, c.snoozed_until, c.priority, c.muted, c.custom_attributes, \
    c.additional_attributes, c.agent_last_seen_at, c.assignee_last_seen_at, c.contact_last_seen_at, \
    c.last_activity_at, c.waiting_since, c.first_reply_created_at, c.created_at, c.updated_at";

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

enum Arg {
    Int(i64),
    Text(String),
}

/// Builds the `WHERE` clause of a filter, starting at placeholder `$1` for the account.
fn where_clause(account: AccountId, filter: &ConversationFilter, args: &mut Vec<Arg>) -> String {
    let push = |args: &mut Vec<Arg>, arg: Arg| {
        args.push(arg);
        format!("${}", args.len())
    };
    let mut sql = format!("c.account_id = {}", push(args, Arg::Int(account.get())));
    if let Some(status) = filter.status {
        sql += &format!(
            " AND c.status = {}",
            push(args, Arg::Text(status.as_str().into()))
        );
    }
    match filter.assignee {
        AssigneeFilter::All => {}
        AssigneeFilter::Me(user) => {
            sql += &format!(" AND c.assignee_id = {}", push(args, Arg::Int(user.get())))
        }
        AssigneeFilter::Unassigned => sql += " AND c.assignee_id IS NULL",
        AssigneeFilter::Assigned => sql += " AND c.assignee_id IS NOT NULL",
    }
    if let Some(inbox) = filter.inbox_id {
        sql += &format!(" AND c.inbox_id = {}", push(args, Arg::Int(inbox.get())));
    }
    if let Some(team) = filter.team_id {
        sql += &format!(" AND c.team_id = {}", push(args, Arg::Int(team.get())));
    }
    if let Some(contact) = filter.contact_id {
        sql += &format!(
            " AND c.contact_id = {}",
            push(args, Arg::Int(contact.get()))
        );
    }
    if let Some(label) = &filter.label {
        sql += &format!(
            " AND EXISTS (SELECT 1 FROM conversation_labels cl WHERE cl.conversation_id = c.id AND cl.title = {})",
            push(args, Arg::Text(label.clone()))
        );
    }
    if let Some(q) = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
    {
        let pattern = push(
            args,
            Arg::Text(format!("%{}%", escape_like(&q.to_lowercase()))),
        );
        let by_number = match q.trim_start_matches('#').parse::<i64>() {
            Ok(n) => format!(" OR c.display_id = {}", push(args, Arg::Int(n))),
            Err(_) => String::new(),
        };
        sql += &format!(
            " AND (EXISTS (SELECT 1 FROM contacts ct WHERE ct.id = c.contact_id AND \
               (LOWER(ct.name) LIKE {pattern} ESCAPE '\\' OR ct.email LIKE {pattern} ESCAPE '\\' \
                OR ct.phone_number LIKE {pattern} ESCAPE '\\')){by_number})"
        );
    }
    sql
}

macro_rules! bind_args {
    ($query:expr, $args:expr) => {{
        let mut query = $query;
        for arg in $args {
            query = match arg {
                Arg::Int(v) => query.bind(*v),
                Arg::Text(t) => query.bind(t.clone()),
            };
        }
        query
    }};
}

/// Conversation counts per assignee tab (Chatwoot's `meta`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ConversationCounts {
    /// Assigned to the asking user.
    pub mine: i64,
    /// Assigned to nobody.
    pub unassigned: i64,
    /// Assigned to somebody.
    pub assigned: i64,
    /// All of them.
    pub all: i64,
}

impl Store {
    /// Opens a conversation, giving it the account's next display id.
    pub async fn create_conversation(
        &self,
        c: &NewConversation,
        now: Timestamp,
    ) -> Result<Conversation, StoreError> {
        let row: ConversationRow = on_pool!(self, pool => {
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
        });
        row.into_domain(Vec::new())
    }

    /// The account's conversation with this display id.
    pub async fn conversation_by_display_id(
        &self,
        account: AccountId,
        display_id: DisplayId,
    ) -> Result<Conversation, StoreError> {
        let row: ConversationRow = on_pool!(self, pool => {
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
        let row: ConversationRow = on_pool!(self, pool => {
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
        let done = on_pool!(self, pool => {
            sqlx::query(
                "UPDATE conversations SET assignee_id = $1, team_id = $2, status = $3, snoozed_until = $4, \
                 priority = $5, muted = $6, custom_attributes = $7, additional_attributes = $8, \
                 agent_last_seen_at = $9, assignee_last_seen_at = $10, contact_last_seen_at = $11, \
                 last_activity_at = $12, waiting_since = $13, first_reply_created_at = $14, updated_at = $15 \
                 WHERE id = $16 AND account_id = $17",
            )
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
            .execute(pool)
            .await?
            .rows_affected()
        });
        if done == 0 {
            Err(StoreError::NotFound)
        } else {
            Ok(())
        }
    }

    /// A page of conversations, most recent activity first
    /// (keyset on `(last_activity_at, id)`, backed by the `conversations_*_activity` indexes).
    pub async fn list_conversations(
        &self,
        account: AccountId,
        query: &ConversationQuery,
    ) -> Result<Page<Conversation>, StoreError> {
        let mut args = Vec::new();
        let mut sql = format!(
            "SELECT {COLUMNS} FROM conversations c WHERE {}",
            where_clause(account, &query.filter, &mut args)
        );
        let cursor = query.after.unwrap_or(Cursor {
            key: i64::MAX,
            id: i64::MAX,
        });
        args.push(Arg::Int(cursor.key));
        args.push(Arg::Int(cursor.id));
        args.push(Arg::Int(query.limit + 1));
        let n = args.len();
        sql += &format!(
            " AND (c.last_activity_at, c.id) < (${}, ${}) ORDER BY c.last_activity_at DESC, c.id DESC LIMIT ${n}",
            n - 2,
            n - 1
        );
        let rows: Vec<ConversationRow> = on_pool!(self, pool => {
            bind_args!(sqlx::query_as(&sql), &args).fetch_all(pool).await?
        });
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut labels = self.labels_of(&ids).await?;
        let conversations = rows
            .into_iter()
            .map(|r| {
                let l = labels.remove(&r.id).unwrap_or_default();
                r.into_domain(l)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(paginate(conversations, query.limit, |c| Cursor {
            key: c.last_activity_at.secs(),
            id: c.id.get(),
        }))
    }

    /// How many conversations match `filter` (its assignee part ignored) in each assignee tab.
    pub async fn count_conversations(
        &self,
        account: AccountId,
        filter: &ConversationFilter,
        me: UserId,
    ) -> Result<ConversationCounts, StoreError> {
        let filter = ConversationFilter {
            assignee: AssigneeFilter::All,
            ..filter.clone()
        };
        let mut args = Vec::new();
        let clause = where_clause(account, &filter, &mut args);
        args.push(Arg::Int(me.get()));
        let sql = format!(
            "SELECT COUNT(*) AS all_count, \
                    COALESCE(SUM(CASE WHEN c.assignee_id = ${} THEN 1 ELSE 0 END), 0) AS mine_count, \
                    COALESCE(SUM(CASE WHEN c.assignee_id IS NULL THEN 1 ELSE 0 END), 0) AS unassigned_count \
             FROM conversations c WHERE {clause}",
            args.len()
        );
        let (all, mine, unassigned): (i64, i64, i64) = on_pool!(self, pool => {
            bind_args!(sqlx::query_as(&sql), &args).fetch_one(pool).await?
        });
        Ok(ConversationCounts {
            mine,
            unassigned,
            assigned: all - unassigned,
            all,
        })
    }

    /// The labels of each conversation in `ids`, sorted.
    async fn labels_of(&self, ids: &[i64]) -> Result<HashMap<i64, Vec<String>>, StoreError> {
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
        let rows: Vec<(i64, String)> = on_pool!(self, pool => {
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
