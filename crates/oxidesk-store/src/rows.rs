//! Row structs as the database returns them, and their conversion into domain types.

use std::str::FromStr;

use oxidesk_domain::{
    AccessToken, Account, Agent, Attributes, Channel, Contact, ContactInbox, Conversation, Inbox,
    Label, Membership, Message, MessageType, Sender, SenderType, Team, Timestamp, User,
};

use crate::StoreError;

/// One page of a list, with the cursor of the next page when there is one.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items, in the list's order.
    pub items: Vec<T>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<Cursor>,
}

/// A keyset pagination cursor: the sort key and id of the last item of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    /// The sort key (a time, or the id again when the list is in id order).
    pub key: i64,
    /// The id, which breaks ties.
    pub id: i64,
}

impl Cursor {
    /// Opaque text for URLs: `key.id`.
    pub fn encode(self) -> String {
        format!("{}.{}", self.key, self.id)
    }

    /// Parses [`Cursor::encode`]'s text.
    pub fn decode(text: &str) -> Option<Self> {
        let (key, id) = text.split_once('.')?;
        Some(Self {
            key: key.parse().ok()?,
            id: id.parse().ok()?,
        })
    }
}

/// Cuts a list fetched with `limit + 1` rows down to `limit`, with the cursor of the last item.
pub(crate) fn paginate<T>(mut items: Vec<T>, limit: i64, key: impl Fn(&T) -> Cursor) -> Page<T> {
    let limit = usize::try_from(limit).unwrap_or(0);
    let next = if items.len() > limit {
        items.truncate(limit);
        items.last().map(key)
    } else {
        None
    };
    Page { items, next }
}

pub(crate) fn parse_enum<T: FromStr>(column: &str, value: &str) -> Result<T, StoreError> {
    value
        .parse()
        .map_err(|_| StoreError::Corrupt(format!("{column} = {value:?}")))
}

pub(crate) fn parse_json(column: &str, value: &str) -> Result<Attributes, StoreError> {
    serde_json::from_str(value)
        .map_err(|_| StoreError::Corrupt(format!("{column} is not a JSON object")))
}

pub(crate) fn json_text(value: &Attributes) -> String {
    serde_json::Value::Object(value.clone()).to_string()
}

fn ts(value: Option<i64>) -> Option<Timestamp> {
    value.map(Timestamp)
}

#[derive(sqlx::FromRow)]
pub(crate) struct AccountRow {
    pub id: i64,
    pub name: String,
    pub locale: String,
    pub created_at: i64,
}

impl From<AccountRow> for Account {
    fn from(r: AccountRow) -> Self {
        Account {
            id: r.id.into(),
            name: r.name,
            locale: r.locale,
            created_at: Timestamp(r.created_at),
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    pub id: i64,
    pub name: String,
    pub display_name: Option<String>,
    pub email: String,
    pub confirmed: bool,
    pub avatar_url: Option<String>,
    pub created_at: i64,
}

impl From<UserRow> for User {
    fn from(r: UserRow) -> Self {
        User {
            id: r.id.into(),
            name: r.name,
            display_name: r.display_name,
            email: r.email,
            confirmed: r.confirmed,
            avatar_url: r.avatar_url,
            created_at: Timestamp(r.created_at),
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct MembershipRow {
    pub account_id: i64,
    pub user_id: i64,
    pub role: String,
    pub availability: String,
    pub auto_offline: bool,
    pub created_at: i64,
    pub last_seen_at: Option<i64>,
}

impl TryFrom<MembershipRow> for Membership {
    type Error = StoreError;

    fn try_from(r: MembershipRow) -> Result<Self, StoreError> {
        Ok(Membership {
            account_id: r.account_id.into(),
            user_id: r.user_id.into(),
            role: parse_enum("account_users.role", &r.role)?,
            availability: parse_enum("account_users.availability", &r.availability)?,
            auto_offline: r.auto_offline,
            created_at: Timestamp(r.created_at),
            last_seen_at: r.last_seen_at.map(Timestamp),
        })
    }
}

/// A user joined with one membership (`u.*` plus `au.*` aliased `m_*`).
#[derive(sqlx::FromRow)]
pub(crate) struct AgentRow {
    #[sqlx(flatten)]
    pub user: UserRow,
    pub m_account_id: i64,
    pub m_role: String,
    pub m_availability: String,
    pub m_auto_offline: bool,
    pub m_created_at: i64,
    pub m_last_seen_at: Option<i64>,
}

impl TryFrom<AgentRow> for Agent {
    type Error = StoreError;

    fn try_from(r: AgentRow) -> Result<Self, StoreError> {
        let membership = Membership::try_from(MembershipRow {
            account_id: r.m_account_id,
            user_id: r.user.id,
            role: r.m_role,
            availability: r.m_availability,
            auto_offline: r.m_auto_offline,
            created_at: r.m_created_at,
            last_seen_at: r.m_last_seen_at,
        })?;
        Ok(Agent {
            user: r.user.into(),
            membership,
        })
    }
}

/// The columns of [`AgentRow`], for `SELECT`.
pub(crate) const AGENT_COLUMNS: &str = "u.id, u.name, u.display_name, u.email, u.confirmed, u.avatar_url, u.created_at, \
     au.account_id AS m_account_id, au.role AS m_role, au.availability AS m_availability, \
     au.auto_offline AS m_auto_offline, au.created_at AS m_created_at, au.last_seen_at AS m_last_seen_at";

#[derive(sqlx::FromRow)]
pub(crate) struct AccessTokenRow {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

impl From<AccessTokenRow> for AccessToken {
    fn from(r: AccessTokenRow) -> Self {
        AccessToken {
            id: r.id.into(),
            user_id: r.user_id.into(),
            name: r.name,
            prefix: r.prefix,
            created_at: Timestamp(r.created_at),
            last_used_at: ts(r.last_used_at),
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct InboxRow {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub channel_config: String,
    pub inbox_identifier: String,
    pub enable_auto_assignment: bool,
    pub created_at: i64,
}

impl TryFrom<InboxRow> for Inbox {
    type Error = StoreError;

    fn try_from(r: InboxRow) -> Result<Self, StoreError> {
        let channel: Channel = serde_json::from_str(&r.channel_config)
            .map_err(|e| StoreError::Corrupt(format!("inboxes.channel_config: {e}")))?;
        Ok(Inbox {
            id: r.id.into(),
            account_id: r.account_id.into(),
            name: r.name,
            channel,
            inbox_identifier: r.inbox_identifier,
            enable_auto_assignment: r.enable_auto_assignment,
            created_at: Timestamp(r.created_at),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct TeamRow {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub description: String,
    pub allow_auto_assign: bool,
    pub created_at: i64,
}

impl From<TeamRow> for Team {
    fn from(r: TeamRow) -> Self {
        Team {
            id: r.id.into(),
            account_id: r.account_id.into(),
            name: r.name,
            description: r.description,
            allow_auto_assign: r.allow_auto_assign,
            created_at: Timestamp(r.created_at),
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ContactRow {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub email: Option<String>,
    pub phone_number: Option<String>,
    pub identifier: Option<String>,
    pub avatar_url: Option<String>,
    pub additional_attributes: String,
    pub custom_attributes: String,
    pub last_activity_at: Option<i64>,
    pub blocked: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

impl TryFrom<ContactRow> for Contact {
    type Error = StoreError;

    fn try_from(r: ContactRow) -> Result<Self, StoreError> {
        Ok(Contact {
            id: r.id.into(),
            account_id: r.account_id.into(),
            name: r.name,
            email: r.email,
            phone_number: r.phone_number,
            identifier: r.identifier,
            avatar_url: r.avatar_url,
            additional_attributes: parse_json(
                "contacts.additional_attributes",
                &r.additional_attributes,
            )?,
            custom_attributes: parse_json("contacts.custom_attributes", &r.custom_attributes)?,
            last_activity_at: ts(r.last_activity_at),
            blocked: r.blocked,
            created_at: Timestamp(r.created_at),
            updated_at: Timestamp(r.updated_at),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ContactInboxRow {
    pub id: i64,
    pub contact_id: i64,
    pub inbox_id: i64,
    pub source_id: String,
    pub hmac_verified: bool,
    pub created_at: i64,
}

impl From<ContactInboxRow> for ContactInbox {
    fn from(r: ContactInboxRow) -> Self {
        ContactInbox {
            id: r.id.into(),
            contact_id: r.contact_id.into(),
            inbox_id: r.inbox_id.into(),
            source_id: r.source_id,
            hmac_verified: r.hmac_verified,
            created_at: Timestamp(r.created_at),
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ConversationRow {
    pub id: i64,
    pub account_id: i64,
    pub display_id: i64,
    pub uuid: String,
    pub inbox_id: i64,
    pub contact_id: i64,
    pub contact_inbox_id: i64,
    pub assignee_id: Option<i64>,
    pub team_id: Option<i64>,
    pub status: String,
    pub snoozed_until: Option<i64>,
    pub priority: Option<String>,
    pub muted: bool,
    pub custom_attributes: String,
    pub additional_attributes: String,
    pub agent_last_seen_at: Option<i64>,
    pub assignee_last_seen_at: Option<i64>,
    pub contact_last_seen_at: Option<i64>,
    pub last_activity_at: i64,
    pub waiting_since: Option<i64>,
    pub first_reply_created_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl ConversationRow {
    pub(crate) fn into_domain(self, labels: Vec<String>) -> Result<Conversation, StoreError> {
        Ok(Conversation {
            id: self.id.into(),
            display_id: self.display_id.into(),
            uuid: self.uuid,
            account_id: self.account_id.into(),
            inbox_id: self.inbox_id.into(),
            contact_id: self.contact_id.into(),
            contact_inbox_id: self.contact_inbox_id.into(),
            assignee_id: self.assignee_id.map(Into::into),
            team_id: self.team_id.map(Into::into),
            status: parse_enum("conversations.status", &self.status)?,
            snoozed_until: ts(self.snoozed_until),
            priority: self
                .priority
                .as_deref()
                .map(|p| parse_enum("conversations.priority", p))
                .transpose()?,
            muted: self.muted,
            labels,
            custom_attributes: parse_json(
                "conversations.custom_attributes",
                &self.custom_attributes,
            )?,
            additional_attributes: parse_json(
                "conversations.additional_attributes",
                &self.additional_attributes,
            )?,
            agent_last_seen_at: ts(self.agent_last_seen_at),
            assignee_last_seen_at: ts(self.assignee_last_seen_at),
            contact_last_seen_at: ts(self.contact_last_seen_at),
            last_activity_at: Timestamp(self.last_activity_at),
            waiting_since: ts(self.waiting_since),
            first_reply_created_at: ts(self.first_reply_created_at),
            created_at: Timestamp(self.created_at),
            updated_at: Timestamp(self.updated_at),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct MessageRow {
    pub id: i64,
    pub account_id: i64,
    pub inbox_id: i64,
    pub conversation_id: i64,
    pub message_type: i64,
    pub content: Option<String>,
    pub content_type: String,
    pub content_attributes: String,
    pub private: bool,
    pub source_id: Option<String>,
    pub sender_type: Option<String>,
    pub sender_id: Option<i64>,
    pub status: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl TryFrom<MessageRow> for Message {
    type Error = StoreError;

    fn try_from(r: MessageRow) -> Result<Self, StoreError> {
        let message_type = MessageType::from_code(r.message_type).ok_or_else(|| {
            StoreError::Corrupt(format!("messages.message_type = {}", r.message_type))
        })?;
        let sender = match (r.sender_type.as_deref(), r.sender_id) {
            (Some(kind), Some(id)) => Some(
                match parse_enum::<SenderType>("messages.sender_type", kind)? {
                    SenderType::Contact => Sender::Contact(id.into()),
                    SenderType::User => Sender::User(id.into()),
                    SenderType::AgentBot => Sender::AgentBot(id.into()),
                },
            ),
            _ => None,
        };
        Ok(Message {
            id: r.id.into(),
            account_id: r.account_id.into(),
            inbox_id: r.inbox_id.into(),
            conversation_id: r.conversation_id.into(),
            message_type,
            content: r.content,
            content_type: parse_enum("messages.content_type", &r.content_type)?,
            content_attributes: parse_json("messages.content_attributes", &r.content_attributes)?,
            private: r.private,
            source_id: r.source_id,
            sender,
            status: parse_enum("messages.status", &r.status)?,
            created_at: Timestamp(r.created_at),
            updated_at: Timestamp(r.updated_at),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct LabelRow {
    pub id: i64,
    pub account_id: i64,
    pub title: String,
    pub description: String,
    pub color: String,
    pub show_on_sidebar: bool,
    pub created_at: i64,
}

impl From<LabelRow> for Label {
    fn from(r: LabelRow) -> Self {
        Label {
            id: r.id.into(),
            account_id: r.account_id.into(),
            title: r.title,
            description: r.description,
            color: r.color,
            show_on_sidebar: r.show_on_sidebar,
            created_at: Timestamp(r.created_at),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip() {
        let c = Cursor {
            key: 1_700_000_000,
            id: 42,
        };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        assert_eq!(Cursor::decode("nope"), None);
        assert_eq!(Cursor::decode("1.x"), None);
    }

    #[test]
    fn paginate_keeps_limit_and_points_at_the_last_item() {
        let page = paginate(vec![5, 4, 3], 2, |n| Cursor { key: *n, id: *n });
        assert_eq!(page.items, vec![5, 4]);
        assert_eq!(page.next, Some(Cursor { key: 4, id: 4 }));
        let last = paginate(vec![5, 4], 2, |n| Cursor { key: *n, id: *n });
        assert_eq!(last.next, None);
    }
}
