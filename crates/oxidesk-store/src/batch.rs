//! Lookups by sets of ids, so that presenting a page of conversations takes a fixed number of
//! queries rather than a few per row.

use std::collections::HashMap;

use oxidesk_domain::{
    AccountId, Agent, Channel, ChannelType, Contact, ContactId, ContactInbox, ContactInboxId,
    ConversationId, Inbox, InboxId, Message, Team, UserId,
};

use crate::rows::{
    AGENT_COLUMNS, AgentRow, ContactInboxRow, ContactRow, InboxRow, MessageRow, TeamRow,
};
use crate::{Store, StoreError};

/// `$first, $first+1, ...` for `count` values.
fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
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

/// What the view of a conversation needs from other tables besides its contact and agents:
/// [`Store::conversation_extras`] reads them for a page in one statement.
#[derive(Debug, Clone, Default)]
pub struct ConversationExtras {
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
}

/// One row of [`Store::conversation_extras`]: the joined tables' columns, each nullable (a
/// `LEFT JOIN` that found nothing).
#[derive(sqlx::FromRow)]
struct ExtrasRow {
    conversation: i64,
    unread: i64,
    hmac_verified: Option<bool>,
    inbox_id: Option<i64>,
    channel_config: Option<String>,
    team_id: Option<i64>,
    team_account_id: Option<i64>,
    team_name: Option<String>,
    team_description: Option<String>,
    team_allow_auto_assign: Option<bool>,
    team_created_at: Option<i64>,
    m_id: Option<i64>,
    m_account_id: Option<i64>,
    m_inbox_id: Option<i64>,
    m_message_type: Option<i64>,
    m_content: Option<String>,
    m_content_type: Option<String>,
    m_content_attributes: Option<String>,
    m_private: Option<bool>,
    m_source_id: Option<String>,
    m_sender_type: Option<String>,
    m_sender_id: Option<i64>,
    m_status: Option<String>,
    m_created_at: Option<i64>,
    m_updated_at: Option<i64>,
    m_files: bool,
}

impl ExtrasRow {
    /// The team, when the join found one.
    fn team(&mut self) -> Option<Team> {
        let id = self.team_id?;
        Some(Team::from(TeamRow {
            id,
            account_id: self.team_account_id.unwrap_or_default(),
            name: self.team_name.take().unwrap_or_default(),
            description: self.team_description.take().unwrap_or_default(),
            allow_auto_assign: self.team_allow_auto_assign.unwrap_or_default(),
            created_at: self.team_created_at.unwrap_or_default(),
        }))
    }

    /// The last message, when the join found one.
    fn last_message(&mut self) -> Result<Option<Message>, StoreError> {
        let Some(id) = self.m_id else {
            return Ok(None);
        };
        Message::try_from(MessageRow {
            id,
            account_id: self.m_account_id.unwrap_or_default(),
            inbox_id: self.m_inbox_id.unwrap_or_default(),
            conversation_id: self.conversation,
            message_type: self.m_message_type.unwrap_or_default(),
            content: self.m_content.take(),
            content_type: self.m_content_type.take().unwrap_or_default(),
            content_attributes: self.m_content_attributes.take().unwrap_or_default(),
            private: self.m_private.unwrap_or_default(),
            source_id: self.m_source_id.take(),
            sender_type: self.m_sender_type.take(),
            sender_id: self.m_sender_id,
            status: self.m_status.take().unwrap_or_default(),
            created_at: self.m_created_at.unwrap_or_default(),
            updated_at: self.m_updated_at.unwrap_or_default(),
        })
        .map(Some)
    }
}

impl Store {
    /// The [`ConversationExtras`] of the account's conversations `ids`, in one statement: per
    /// conversation its unread count (a range of the `messages_unread` index), its identity's
    /// `hmac_verified`, its inbox's channel, its team, and its newest non-activity message
    /// (a walk back along `(conversation_id, id)` that stops at the first one) with whether it
    /// has files. Replaces five to eight statements of a list page (one per lookup and team).
    pub async fn conversation_extras(
        &self,
        account: AccountId,
        ids: &[ConversationId],
    ) -> Result<HashMap<ConversationId, ConversationExtras>, StoreError> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let raw: Vec<i64> = ids.iter().map(|i| i.get()).collect();
        let rows = fetch_by_ids!(
            self,
            ExtrasRow,
            format!(
                "SELECT x.conversation, x.unread, x.hmac_verified, x.inbox_id, x.channel_config, \
                 x.team_id, x.team_account_id, x.team_name, x.team_description, \
                 x.team_allow_auto_assign, x.team_created_at, \
                 m.id AS m_id, m.account_id AS m_account_id, m.inbox_id AS m_inbox_id, \
                 m.message_type AS m_message_type, m.content AS m_content, \
                 m.content_type AS m_content_type, m.content_attributes AS m_content_attributes, \
                 m.private AS m_private, m.source_id AS m_source_id, \
                 m.sender_type AS m_sender_type, m.sender_id AS m_sender_id, m.status AS m_status, \
                 m.created_at AS m_created_at, m.updated_at AS m_updated_at, \
                 EXISTS (SELECT 1 FROM attachments a WHERE a.message_id = m.id) AS m_files \
                 FROM (SELECT c.id AS conversation, \
                 (SELECT COUNT(*) FROM messages u WHERE u.conversation_id = c.id \
                 AND u.message_type = 0 AND u.created_at > COALESCE(c.agent_last_seen_at, 0)) AS unread, \
                 (SELECT l.id FROM messages l WHERE l.conversation_id = c.id \
                 AND l.message_type <> 2 ORDER BY l.id DESC LIMIT 1) AS last_id, \
                 ci.hmac_verified, i.id AS inbox_id, i.channel_config, \
                 t.id AS team_id, t.account_id AS team_account_id, t.name AS team_name, \
                 t.description AS team_description, t.allow_auto_assign AS team_allow_auto_assign, \
                 t.created_at AS team_created_at \
                 FROM conversations c \
                 LEFT JOIN contact_inboxes ci ON ci.id = c.contact_inbox_id \
                 LEFT JOIN inboxes i ON i.account_id = c.account_id AND i.id = c.inbox_id \
                 LEFT JOIN teams t ON t.account_id = c.account_id AND t.id = c.team_id \
                 WHERE c.account_id = $1 AND c.id IN ({}) LIMIT {}) x \
                 LEFT JOIN messages m ON m.id = x.last_id",
                placeholders(2, raw.len()),
                raw.len()
            ),
            [account.get()],
            &raw
        );
        let mut channels: HashMap<i64, ChannelType> = HashMap::new();
        let mut found = HashMap::with_capacity(rows.len());
        for mut row in rows {
            let channel = match (row.inbox_id, row.channel_config.as_deref()) {
                (Some(inbox), Some(config)) => Some(match channels.get(&inbox) {
                    Some(kind) => *kind,
                    None => {
                        let channel: Channel = serde_json::from_str(config).map_err(|e| {
                            StoreError::Corrupt(format!("inboxes.channel_config: {e}"))
                        })?;
                        *channels.entry(inbox).or_insert(channel.channel_type())
                    }
                }),
                _ => None,
            };
            let extras = ConversationExtras {
                unread: row.unread,
                hmac_verified: row.hmac_verified.unwrap_or(false),
                channel,
                team: row.team(),
                last_message: row.last_message()?,
                last_message_has_files: row.m_files,
            };
            found.insert(ConversationId(row.conversation), extras);
        }
        Ok(found)
    }
}
