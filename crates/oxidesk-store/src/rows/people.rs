//! Accounts, users, their memberships (an agent is a user with one) and access tokens.

use oxidesk_domain::{AccessToken, Account, Agent, Membership, Timestamp, User};

use super::{parse_enum, ts};
use crate::StoreError;

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
