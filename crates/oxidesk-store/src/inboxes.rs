//! Inboxes, their members, teams and their members.

use oxidesk_domain::{AccountId, Agent, Channel, Inbox, InboxId, Team, TeamId, Timestamp, UserId};

use self::members::Group;
use crate::rows::{AGENT_COLUMNS, AgentRow, InboxRow, TeamRow};
use crate::{Store, StoreError};

mod members;
mod secrets;

const INBOX_COLUMNS: &str =
    "id, account_id, name, channel_config, inbox_identifier, enable_auto_assignment, created_at";
const TEAM_COLUMNS: &str = "id, account_id, name, description, allow_auto_assign, created_at";

impl Store {
    /// Creates an inbox with its channel.
    pub async fn create_inbox(
        &self,
        account: AccountId,
        name: &str,
        channel: &Channel,
        inbox_identifier: &str,
        now: Timestamp,
    ) -> Result<Inbox, StoreError> {
        let config = serde_json::to_string(channel)
            .map_err(|e| StoreError::Corrupt(format!("channel settings: {e}")))?;
        let row: InboxRow = on_pool!(self, pool => {
            sqlx::query_as(&format!(
                "INSERT INTO inboxes (account_id, name, channel_type, channel_config, inbox_identifier, \
                 enable_auto_assignment, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, TRUE, $6, $6) RETURNING {INBOX_COLUMNS}"
            ))
            .bind(account.get())
            .bind(name)
            .bind(channel.channel_type().as_str())
            .bind(config)
            .bind(inbox_identifier)
            .bind(now.secs())
            .fetch_one(pool)
            .await?
        });
        row.try_into()
    }

    /// One inbox of the account.
    pub async fn inbox(&self, account: AccountId, id: InboxId) -> Result<Inbox, StoreError> {
        let row: InboxRow = on_read!(self, pool => {
            sqlx::query_as(&format!("SELECT {INBOX_COLUMNS} FROM inboxes WHERE account_id = $1 AND id = $2"))
                .bind(account.get())
                .bind(id.get())
                .fetch_one(pool)
                .await?
        });
        row.try_into()
    }

    /// The inbox with this public identifier (client API).
    pub async fn inbox_by_identifier(&self, identifier: &str) -> Result<Option<Inbox>, StoreError> {
        let row: Option<InboxRow> = on_read!(self, pool => {
            sqlx::query_as(&format!("SELECT {INBOX_COLUMNS} FROM inboxes WHERE inbox_identifier = $1"))
                .bind(identifier)
                .fetch_optional(pool)
                .await?
        });
        row.map(TryInto::try_into).transpose()
    }

    /// The account's inboxes by id, `limit` after `after`.
    pub async fn list_inboxes(
        &self,
        account: AccountId,
        after: Option<InboxId>,
        limit: i64,
    ) -> Result<Vec<Inbox>, StoreError> {
        let rows: Vec<InboxRow> = on_read!(self, pool => {
            sqlx::query_as(&format!(
                "SELECT {INBOX_COLUMNS} FROM inboxes WHERE account_id = $1 AND id > $2 ORDER BY id LIMIT $3"
            ))
            .bind(account.get())
            .bind(after.map_or(0, InboxId::get))
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(TryInto::try_into).collect()
    }

    /// Renames an inbox, changes its channel settings or its auto-assignment.
    pub async fn update_inbox(
        &self,
        account: AccountId,
        id: InboxId,
        name: &str,
        channel: &Channel,
        enable_auto_assignment: bool,
        now: Timestamp,
    ) -> Result<Inbox, StoreError> {
        let config = serde_json::to_string(channel)
            .map_err(|e| StoreError::Corrupt(format!("channel settings: {e}")))?;
        let row: InboxRow = on_pool!(self, pool => {
            sqlx::query_as(&format!(
                "UPDATE inboxes SET name = $1, channel_config = $2, enable_auto_assignment = $3, updated_at = $4, \
                 channel_type = $7 WHERE account_id = $5 AND id = $6 RETURNING {INBOX_COLUMNS}"
            ))
            .bind(name)
            .bind(config)
            .bind(enable_auto_assignment)
            .bind(now.secs())
            .bind(account.get())
            .bind(id.get())
            .bind(channel.channel_type().as_str())
            .fetch_one(pool)
            .await?
        });
        row.try_into()
    }

    /// Deletes an inbox with its conversations.
    pub async fn delete_inbox(&self, account: AccountId, id: InboxId) -> Result<(), StoreError> {
        let done = retry_on_pool!(self, pool => {
            sqlx::query("DELETE FROM inboxes WHERE account_id = $1 AND id = $2")
                .bind(account.get())
                .bind(id.get())
                .execute(pool)
                .await?
                .rows_affected()
        })?;
        crate::one_row(done)
    }

    /// Replaces an inbox's members. The users must be members of the inbox's account; if one is
    /// not, nothing changes and the answer is `NotFound`.
    pub async fn set_inbox_members(
        &self,
        account: AccountId,
        inbox: InboxId,
        users: &[UserId],
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.inbox(account, inbox).await?;
        self.write_members(account, Group::Inbox(inbox), users, true, now)
            .await
    }

    /// Removes users from an inbox's members (users who are not members are ignored).
    pub async fn remove_inbox_members(
        &self,
        account: AccountId,
        inbox: InboxId,
        users: &[UserId],
    ) -> Result<(), StoreError> {
        self.inbox(account, inbox).await?;
        self.delete_members(Group::Inbox(inbox), users).await
    }

    /// An inbox's members.
    pub async fn inbox_members(
        &self,
        account: AccountId,
        inbox: InboxId,
    ) -> Result<Vec<Agent>, StoreError> {
        let rows: Vec<AgentRow> = on_read!(self, pool => {
            sqlx::query_as(&format!(
                "SELECT {AGENT_COLUMNS} FROM inbox_members im \
                 JOIN account_users au ON au.user_id = im.user_id AND au.account_id = $1 \
                 JOIN users u ON u.id = im.user_id WHERE im.inbox_id = $2 ORDER BY u.id"
            ))
            .bind(account.get())
            .bind(inbox.get())
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(TryInto::try_into).collect()
    }

    /// Creates a team. Team names are unique per account (conflict on `name`).
    pub async fn create_team(
        &self,
        account: AccountId,
        name: &str,
        description: &str,
        allow_auto_assign: bool,
        now: Timestamp,
    ) -> Result<Team, StoreError> {
        let row: TeamRow = on_pool!(self, pool => {
            sqlx::query_as(&format!(
                "INSERT INTO teams (account_id, name, description, allow_auto_assign, created_at) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING {TEAM_COLUMNS}"
            ))
            .bind(account.get())
            .bind(name)
            .bind(description)
            .bind(allow_auto_assign)
            .bind(now.secs())
            .fetch_one(pool)
            .await?
        });
        Ok(row.into())
    }

    /// One team of the account.
    pub async fn team(&self, account: AccountId, id: TeamId) -> Result<Team, StoreError> {
        let row: TeamRow = on_read!(self, pool => {
            sqlx::query_as(&format!("SELECT {TEAM_COLUMNS} FROM teams WHERE account_id = $1 AND id = $2"))
                .bind(account.get())
                .bind(id.get())
                .fetch_one(pool)
                .await?
        });
        Ok(row.into())
    }

    /// The account's teams by id, `limit` after `after`.
    pub async fn list_teams(
        &self,
        account: AccountId,
        after: Option<TeamId>,
        limit: i64,
    ) -> Result<Vec<Team>, StoreError> {
        let rows: Vec<TeamRow> = on_read!(self, pool => {
            sqlx::query_as(&format!(
                "SELECT {TEAM_COLUMNS} FROM teams WHERE account_id = $1 AND id > $2 ORDER BY id LIMIT $3"
            ))
            .bind(account.get())
            .bind(after.map_or(0, TeamId::get))
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Renames a team or changes its description or auto-assignment (conflict on `name`).
    pub async fn update_team(
        &self,
        account: AccountId,
        id: TeamId,
        name: &str,
        description: &str,
        allow_auto_assign: bool,
    ) -> Result<Team, StoreError> {
        let row: TeamRow = on_pool!(self, pool => {
            sqlx::query_as(&format!(
                "UPDATE teams SET name = $1, description = $2, allow_auto_assign = $3 \
                 WHERE account_id = $4 AND id = $5 RETURNING {TEAM_COLUMNS}"
            ))
            .bind(name)
            .bind(description)
            .bind(allow_auto_assign)
            .bind(account.get())
            .bind(id.get())
            .fetch_one(pool)
            .await?
        });
        Ok(row.into())
    }

    /// Deletes a team; its conversations keep their assignee and lose the team.
    pub async fn delete_team(&self, account: AccountId, id: TeamId) -> Result<(), StoreError> {
        let done = retry_on_pool!(self, pool => {
            sqlx::query("DELETE FROM teams WHERE account_id = $1 AND id = $2")
                .bind(account.get())
                .bind(id.get())
                .execute(pool)
                .await?
                .rows_affected()
        })?;
        crate::one_row(done)
    }

    /// The teams of the account that `user` is a member of.
    pub async fn teams_of_member(
        &self,
        account: AccountId,
        user: UserId,
    ) -> Result<Vec<TeamId>, StoreError> {
        let ids: Vec<i64> = on_read!(self, pool => {
            sqlx::query_scalar(
                "SELECT tm.team_id FROM team_members tm JOIN teams t ON t.id = tm.team_id \
                 WHERE t.account_id = $1 AND tm.user_id = $2 ORDER BY tm.team_id",
            )
            .bind(account.get())
            .bind(user.get())
            .fetch_all(pool)
            .await?
        });
        Ok(ids.into_iter().map(TeamId).collect())
    }

    /// Adds members to a team (present members stay); if one of the users is not a member of
    /// the account, nothing changes and the answer is `NotFound`.
    pub async fn add_team_members(
        &self,
        account: AccountId,
        team: TeamId,
        users: &[UserId],
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.team(account, team).await?;
        self.write_members(account, Group::Team(team), users, false, now)
            .await
    }

    /// Replaces a team's members, with the same rule as [`Store::add_team_members`].
    pub async fn set_team_members(
        &self,
        account: AccountId,
        team: TeamId,
        users: &[UserId],
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.team(account, team).await?;
        self.write_members(account, Group::Team(team), users, true, now)
            .await
    }

    /// Removes users from a team (users who are not members are ignored).
    pub async fn remove_team_members(
        &self,
        account: AccountId,
        team: TeamId,
        users: &[UserId],
    ) -> Result<(), StoreError> {
        self.team(account, team).await?;
        self.delete_members(Group::Team(team), users).await
    }

    /// A team's members.
    pub async fn team_members(
        &self,
        account: AccountId,
        team: TeamId,
    ) -> Result<Vec<Agent>, StoreError> {
        let rows: Vec<AgentRow> = on_read!(self, pool => {
            sqlx::query_as(&format!(
                "SELECT {AGENT_COLUMNS} FROM team_members tm \
                 JOIN account_users au ON au.user_id = tm.user_id AND au.account_id = $1 \
                 JOIN users u ON u.id = tm.user_id WHERE tm.team_id = $2 ORDER BY u.id"
            ))
            .bind(account.get())
            .bind(team.get())
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(TryInto::try_into).collect()
    }
}
