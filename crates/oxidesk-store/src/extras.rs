//! What the view of a conversation needs from other tables, read for a whole page in one
//! statement (a list request's cost was its number of statements: each is a hand-off to a
//! connection and back, see docs/PERFORMANCE.md "What a list costs").

use std::collections::HashMap;

use oxidesk_domain::{AccountId, Agent, ChannelType, Contact, ConversationId, Message, Team};
use sqlx::Row;

use crate::batch::placeholders;
use crate::rows::{AgentRow, ContactRow, MessageRow, TeamRow, UserRow, parse_enum};
use crate::{Store, StoreError};

/// What the view of a conversation needs besides its own row: [`Store::conversation_extras`]
/// reads it for a page in one statement.
#[derive(Debug, Clone, Default)]
pub struct ConversationExtras {
    /// The contact (`None`: no such contact in the account).
    pub contact: Option<Contact>,
    /// The assignee, when assigned to a member of the account.
    pub assignee: Option<Agent>,
    /// Incoming messages newer than the agents' last look.
    pub unread: i64,
    /// `hmac_verified` of the contact's identity in the inbox (false when it has none).
    pub hmac_verified: bool,
    /// The inbox's kind of channel (`None`: no such inbox).
    pub channel: Option<ChannelType>,
    /// The assigned team (`None`: none, or no such team).
    pub team: Option<Team>,
    /// The newest message that is not an activity message.
    pub last_message: Option<Message>,
    /// Whether that message has attachments.
    pub last_message_has_files: bool,
    /// That message's sender when it is a member of the account (an agent).
    pub last_message_agent: Option<Agent>,
}

/// Where the conversations of an extras statement come from ([`extras_sql`]).
pub(crate) struct ExtrasSource<'a> {
    /// The conversations as `c`: `conversations c`, or a page's statement `(…) c`.
    pub from: &'a str,
    /// Appended to the inner query's joins: a `WHERE` on `c`, or nothing.
    pub filter: &'a str,
    /// Columns of `c` read besides the extras (each followed by `, `), or nothing.
    pub columns: &'a str,
    /// At most this many conversations.
    pub limit: usize,
    /// Appended to the outer query's `FROM`, before its joins (a `CROSS JOIN` of one row).
    pub cross: &'a str,
    /// Columns of `cross` the outer query reads (each preceded by `, `), or nothing.
    pub cross_columns: &'a str,
    /// The outer query's `ORDER BY`, or nothing.
    pub order: &'a str,
}

/// The statement of [`Store::conversation_extras`] for `n` ids (`$1` the account, then the ids).
fn ids_sql(n: usize) -> String {
    let filter = format!(
        "WHERE c.account_id = $1 AND c.id IN ({})",
        placeholders(2, n)
    );
    extras_sql(&ExtrasSource {
        from: "conversations c",
        filter: &filter,
        columns: "",
        limit: n,
        cross: "",
        cross_columns: "",
        order: "",
    })
}

/// The statement reading the extras of the conversations `source` gives, one row each.
/// The inner query reads each conversation once with its lookups (primary keys) and two walks of
/// its messages that stop early (the unread range of `messages_unread`, the newest
/// non-activity message along `(conversation_id, id)`); the outer one joins that message, its
/// files' existence and its sender.
pub(crate) fn extras_sql(source: &ExtrasSource<'_>) -> String {
    const PERSON: [&str; 13] = [
        "id",
        "account_id",
        "name",
        "email",
        "phone_number",
        "identifier",
        "avatar_url",
        "additional_attributes",
        "custom_attributes",
        "last_activity_at",
        "blocked",
        "created_at",
        "updated_at",
    ];
    let contact: Vec<String> = PERSON.iter().map(|c| format!("k.{c} AS k_{c}")).collect();
    let agent = |user: &str, member: &str, p: &str| {
        format!(
            "{user}.id AS {p}id, {user}.name AS {p}name, {user}.display_name AS {p}display_name, \
             {user}.email AS {p}email, {user}.confirmed AS {p}confirmed, \
             {user}.avatar_url AS {p}avatar_url, {user}.created_at AS {p}created_at, \
             {member}.account_id AS {p}m_account_id, {member}.role AS {p}m_role, \
             {member}.availability AS {p}m_availability, {member}.auto_offline AS {p}m_auto_offline, \
             {member}.created_at AS {p}m_created_at, {member}.last_seen_at AS {p}m_last_seen_at"
        )
    };
    format!(
        "SELECT x.*, m.id AS m_id, m.account_id AS m_account_id, m.inbox_id AS m_inbox_id, \
         m.message_type AS m_message_type, m.content AS m_content, \
         m.content_type AS m_content_type, m.content_attributes AS m_content_attributes, \
         m.private AS m_private, m.source_id AS m_source_id, m.sender_type AS m_sender_type, \
         m.sender_id AS m_sender_id, m.status AS m_status, m.created_at AS m_created_at, \
         m.updated_at AS m_updated_at, \
         EXISTS (SELECT 1 FROM attachments f WHERE f.message_id = m.id) AS m_files, {sender}{cross_columns} \
         FROM (SELECT {columns}c.id AS conversation, c.account_id AS account, \
         (SELECT COUNT(*) FROM messages u WHERE u.conversation_id = c.id \
         AND u.message_type = 0 AND u.created_at > COALESCE(c.agent_last_seen_at, 0)) AS unread, \
         (SELECT l.id FROM messages l WHERE l.conversation_id = c.id \
         AND l.message_type <> 2 ORDER BY l.id DESC LIMIT 1) AS last_id, \
         ci.hmac_verified, i.channel_type, \
         t.id AS t_id, t.account_id AS t_account_id, t.name AS t_name, \
         t.description AS t_description, t.allow_auto_assign AS t_allow_auto_assign, \
         t.created_at AS t_created_at, {contact}, {assignee} \
         FROM {from} \
         LEFT JOIN contact_inboxes ci ON ci.id = c.contact_inbox_id \
         LEFT JOIN inboxes i ON i.account_id = c.account_id AND i.id = c.inbox_id \
         LEFT JOIN teams t ON t.account_id = c.account_id AND t.id = c.team_id \
         LEFT JOIN contacts k ON k.account_id = c.account_id AND k.id = c.contact_id \
         LEFT JOIN account_users aa ON aa.account_id = c.account_id AND aa.user_id = c.assignee_id \
         LEFT JOIN users au ON au.id = aa.user_id \
         {filter} LIMIT {limit}) x{cross} \
         LEFT JOIN messages m ON m.id = x.last_id \
         LEFT JOIN account_users sa ON m.sender_type = 'User' AND sa.account_id = x.account \
         AND sa.user_id = m.sender_id \
         LEFT JOIN users su ON su.id = sa.user_id{order}",
        sender = agent("su", "sa", "s_"),
        contact = contact.join(", "),
        assignee = agent("au", "aa", "a_"),
        from = source.from,
        filter = source.filter,
        columns = source.columns,
        limit = source.limit,
        cross = source.cross,
        cross_columns = source.cross_columns,
        order = source.order,
    )
}

/// One row of an extras statement ([`extras_sql`]): each joined table's row when the join found
/// one.
pub(crate) struct ExtrasRow {
    conversation: i64,
    unread: i64,
    hmac_verified: Option<bool>,
    channel_type: Option<String>,
    team: Option<TeamRow>,
    contact: Option<ContactRow>,
    assignee: Option<AgentRow>,
    message: Option<MessageRow>,
    files: bool,
    sender: Option<AgentRow>,
}

/// `FromRow` for one database's rows: a joined table's columns are read when its id is there
/// (they are not null then), its prefix telling them apart.
macro_rules! extras_from_row {
    ($row:ty) => {
        impl<'r> sqlx::FromRow<'r, $row> for ExtrasRow {
            fn from_row(row: &'r $row) -> Result<Self, sqlx::Error> {
                macro_rules! agent {
                    ($p:literal) => {
                        match row.try_get::<Option<i64>, _>(concat!($p, "id"))? {
                            None => None,
                            Some(id) => Some(AgentRow {
                                user: UserRow {
                                    id,
                                    name: row.try_get(concat!($p, "name"))?,
                                    display_name: row.try_get(concat!($p, "display_name"))?,
                                    email: row.try_get(concat!($p, "email"))?,
                                    confirmed: row.try_get(concat!($p, "confirmed"))?,
                                    avatar_url: row.try_get(concat!($p, "avatar_url"))?,
                                    created_at: row.try_get(concat!($p, "created_at"))?,
                                },
                                m_account_id: row.try_get(concat!($p, "m_account_id"))?,
                                m_role: row.try_get(concat!($p, "m_role"))?,
                                m_availability: row.try_get(concat!($p, "m_availability"))?,
                                m_auto_offline: row.try_get(concat!($p, "m_auto_offline"))?,
                                m_created_at: row.try_get(concat!($p, "m_created_at"))?,
                                m_last_seen_at: row.try_get(concat!($p, "m_last_seen_at"))?,
                            }),
                        }
                    };
                }
                let conversation: i64 = row.try_get("conversation")?;
                let team = match row.try_get::<Option<i64>, _>("t_id")? {
                    None => None,
                    Some(id) => Some(TeamRow {
                        id,
                        account_id: row.try_get("t_account_id")?,
                        name: row.try_get("t_name")?,
                        description: row.try_get("t_description")?,
                        allow_auto_assign: row.try_get("t_allow_auto_assign")?,
                        created_at: row.try_get("t_created_at")?,
                    }),
                };
                let contact = match row.try_get::<Option<i64>, _>("k_id")? {
                    None => None,
                    Some(id) => Some(ContactRow {
                        id,
                        account_id: row.try_get("k_account_id")?,
                        name: row.try_get("k_name")?,
                        email: row.try_get("k_email")?,
                        phone_number: row.try_get("k_phone_number")?,
                        identifier: row.try_get("k_identifier")?,
                        avatar_url: row.try_get("k_avatar_url")?,
                        additional_attributes: row.try_get("k_additional_attributes")?,
                        custom_attributes: row.try_get("k_custom_attributes")?,
                        last_activity_at: row.try_get("k_last_activity_at")?,
                        blocked: row.try_get("k_blocked")?,
                        created_at: row.try_get("k_created_at")?,
                        updated_at: row.try_get("k_updated_at")?,
                    }),
                };
                let message = match row.try_get::<Option<i64>, _>("m_id")? {
                    None => None,
                    Some(id) => Some(MessageRow {
                        id,
                        account_id: row.try_get("m_account_id")?,
                        inbox_id: row.try_get("m_inbox_id")?,
                        conversation_id: conversation,
                        message_type: row.try_get("m_message_type")?,
                        content: row.try_get("m_content")?,
                        content_type: row.try_get("m_content_type")?,
                        content_attributes: row.try_get("m_content_attributes")?,
                        private: row.try_get("m_private")?,
                        source_id: row.try_get("m_source_id")?,
                        sender_type: row.try_get("m_sender_type")?,
                        sender_id: row.try_get("m_sender_id")?,
                        status: row.try_get("m_status")?,
                        created_at: row.try_get("m_created_at")?,
                        updated_at: row.try_get("m_updated_at")?,
                    }),
                };
                Ok(ExtrasRow {
                    conversation,
                    unread: row.try_get("unread")?,
                    hmac_verified: row.try_get("hmac_verified")?,
                    channel_type: row.try_get("channel_type")?,
                    team,
                    contact,
                    assignee: agent!("a_"),
                    message,
                    files: row.try_get("m_files")?,
                    sender: agent!("s_"),
                })
            }
        }
    };
}

extras_from_row!(sqlx::sqlite::SqliteRow);
extras_from_row!(sqlx::postgres::PgRow);

impl Store {
    /// The [`ConversationExtras`] of the account's conversations `ids` (others are left out),
    /// in one statement: per conversation its contact, its assignee, its unread count, its
    /// identity's `hmac_verified`, its inbox's channel, its team, and its newest non-activity
    /// message with whether it has files and its sender when an agent. A list page read these
    /// in eight to eleven statements before.
    pub async fn conversation_extras(
        &self,
        account: AccountId,
        ids: &[ConversationId],
    ) -> Result<HashMap<ConversationId, ConversationExtras>, StoreError> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = ids_sql(ids.len());
        let rows: Vec<ExtrasRow> = on_read!(self, pool => {
            let mut query = sqlx::query_as(&sql).bind(account.get());
            for id in ids {
                query = query.bind(id.get());
            }
            query.fetch_all(pool).await?
        });
        extras_of(rows)
    }
}

/// The extras of each row's conversation, by conversation.
pub(crate) fn extras_of(
    rows: impl IntoIterator<Item = ExtrasRow>,
) -> Result<HashMap<ConversationId, ConversationExtras>, StoreError> {
    let rows = rows.into_iter();
    let mut found = HashMap::with_capacity(rows.size_hint().0);
    for row in rows {
        // The inbox's `channel_type` (set with it, never changed) rather than its settings:
        // a widget's settings are 2.5 KB of JSON, read for every conversation of a page.
        let channel = row
            .channel_type
            .as_deref()
            .map(|kind| parse_enum::<ChannelType>("inboxes.channel_type", kind))
            .transpose()?;
        let extras = ConversationExtras {
            contact: row.contact.map(Contact::try_from).transpose()?,
            assignee: row.assignee.map(Agent::try_from).transpose()?,
            unread: row.unread,
            hmac_verified: row.hmac_verified.unwrap_or(false),
            channel,
            team: row.team.map(Team::from),
            last_message: row.message.map(Message::try_from).transpose()?,
            last_message_has_files: row.files,
            last_message_agent: row.sender.map(Agent::try_from).transpose()?,
        };
        found.insert(ConversationId(row.conversation), extras);
    }
    Ok(found)
}
