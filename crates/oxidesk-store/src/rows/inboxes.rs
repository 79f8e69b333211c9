//! Inboxes and teams.

use oxidesk_domain::{Channel, Inbox, Team, Timestamp};

use crate::StoreError;

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
