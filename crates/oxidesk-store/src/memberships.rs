//! Memberships: who belongs to which account with which role, their availability and
//! presence, and the agents' list.

use crate::BeginWrite;
use oxidesk_domain::{
    Account, AccountId, Agent, Availability, Membership, Role, Timestamp, UserId,
};

use crate::rows::{AGENT_COLUMNS, AccountRow, AgentRow, MembershipRow};
use crate::{Store, StoreError};

impl Store {
    /// Makes `user` a member of `account` with `role`. Fails with a conflict if already a member.
    pub async fn add_member(
        &self,
        account: AccountId,
        user: UserId,
        role: Role,
        now: Timestamp,
    ) -> Result<Membership, StoreError> {
        let row: MembershipRow = on_pool!(self, pool => {
            sqlx::query_as(
                "INSERT INTO account_users (account_id, user_id, role, availability, auto_offline, created_at) \
                 VALUES ($1, $2, $3, 'offline', TRUE, $4) \
                 RETURNING account_id, user_id, role, availability, auto_offline, created_at, last_seen_at",
            )
            .bind(account.get())
            .bind(user.get())
            .bind(role.as_str())
            .bind(now.secs())
            .fetch_one(pool)
            .await?
        });
        row.try_into()
    }

    /// The user's membership of the account, if they are a member.
    pub async fn membership(
        &self,
        account: AccountId,
        user: UserId,
    ) -> Result<Option<Membership>, StoreError> {
        let row: Option<MembershipRow> = on_read!(self, pool => {
            sqlx::query_as(
                "SELECT account_id, user_id, role, availability, auto_offline, created_at, \
                        last_seen_at \
                 FROM account_users WHERE account_id = $1 AND user_id = $2",
            )
            .bind(account.get())
            .bind(user.get())
            .fetch_optional(pool)
            .await?
        });
        row.map(TryInto::try_into).transpose()
    }

    /// Every account the user belongs to, with their membership, oldest first.
    pub async fn memberships_of(
        &self,
        user: UserId,
    ) -> Result<Vec<(Account, Membership)>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            account: AccountRow,
            user_id: i64,
            role: String,
            availability: String,
            auto_offline: bool,
            joined_at: i64,
            last_seen_at: Option<i64>,
        }
        let rows: Vec<Row> = on_read!(self, pool => {
            sqlx::query_as(
                "SELECT a.id, a.name, a.locale, a.created_at, au.user_id, au.role, au.availability, \
                        au.auto_offline, au.created_at AS joined_at, au.last_seen_at \
                 FROM account_users au JOIN accounts a ON a.id = au.account_id \
                 WHERE au.user_id = $1 ORDER BY au.account_id",
            )
            .bind(user.get())
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|r| {
                let membership = Membership::try_from(MembershipRow {
                    account_id: r.account.id,
                    user_id: r.user_id,
                    role: r.role,
                    availability: r.availability,
                    auto_offline: r.auto_offline,
                    created_at: r.joined_at,
                    last_seen_at: r.last_seen_at,
                })?;
                Ok((r.account.into(), membership))
            })
            .collect()
    }

    /// Changes a member's role.
    pub async fn set_role(
        &self,
        account: AccountId,
        user: UserId,
        role: Role,
    ) -> Result<(), StoreError> {
        let done = on_pool!(self, pool => {
            sqlx::query("UPDATE account_users SET role = $1 WHERE account_id = $2 AND user_id = $3")
                .bind(role.as_str())
                .bind(account.get())
                .bind(user.get())
                .execute(pool)
                .await?
                .rows_affected()
        });
        crate::one_row(done)
    }

    /// Records that the member's dashboard is open now (their presence).
    pub async fn touch_presence(
        &self,
        account: AccountId,
        user: UserId,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("UPDATE account_users SET last_seen_at = $1 WHERE account_id = $2 AND user_id = $3")
                .bind(now.secs())
                .bind(account.get())
                .bind(user.get())
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Forgets the user's presence in every account (they signed out).
    pub async fn clear_presence(&self, user: UserId) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("UPDATE account_users SET last_seen_at = NULL WHERE user_id = $1")
                .bind(user.get())
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Changes a member's availability.
    pub async fn set_availability(
        &self,
        account: AccountId,
        user: UserId,
        availability: Availability,
    ) -> Result<(), StoreError> {
        let done = on_pool!(self, pool => {
            sqlx::query("UPDATE account_users SET availability = $1 WHERE account_id = $2 AND user_id = $3")
                .bind(availability.as_str())
                .bind(account.get())
                .bind(user.get())
                .execute(pool)
                .await?
                .rows_affected()
        });
        crate::one_row(done)
    }

    /// Changes a member's role, availability and whether it turns offline by itself.
    pub async fn update_membership(
        &self,
        account: AccountId,
        user: UserId,
        role: Role,
        availability: Availability,
        auto_offline: bool,
    ) -> Result<(), StoreError> {
        let done = on_pool!(self, pool => {
            sqlx::query(
                "UPDATE account_users SET role = $1, availability = $2, auto_offline = $3 \
                 WHERE account_id = $4 AND user_id = $5",
            )
            .bind(role.as_str())
            .bind(availability.as_str())
            .bind(auto_offline)
            .bind(account.get())
            .bind(user.get())
            .execute(pool)
            .await?
            .rows_affected()
        });
        crate::one_row(done)
    }

    /// How many administrators the account has.
    pub async fn count_administrators(&self, account: AccountId) -> Result<i64, StoreError> {
        Ok(on_read!(self, pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM account_users WHERE account_id = $1 AND role = $2")
                .bind(account.get())
                .bind(Role::Administrator.as_str())
                .fetch_one(pool)
                .await?
        }))
    }

    /// One member of the account, as an agent.
    pub async fn agent(&self, account: AccountId, user: UserId) -> Result<Agent, StoreError> {
        let row: AgentRow = on_read!(self, pool => {
            sqlx::query_as(&format!(
                "SELECT {AGENT_COLUMNS} FROM account_users au JOIN users u ON u.id = au.user_id \
                 WHERE au.account_id = $1 AND au.user_id = $2"
            ))
            .bind(account.get())
            .bind(user.get())
            .fetch_one(pool)
            .await?
        });
        row.try_into()
    }

    /// The account's members in the order they joined, `limit` after the member with id
    /// `after` (keyset on `account_users (account_id, user_id)`).
    pub async fn list_agents(
        &self,
        account: AccountId,
        after: Option<UserId>,
        limit: i64,
    ) -> Result<Vec<Agent>, StoreError> {
        let rows: Vec<AgentRow> = on_read!(self, pool => {
            sqlx::query_as(&format!(
                "SELECT {AGENT_COLUMNS} FROM account_users au JOIN users u ON u.id = au.user_id \
                 WHERE au.account_id = $1 AND au.user_id > $2 ORDER BY au.user_id LIMIT $3"
            ))
            .bind(account.get())
            .bind(after.map_or(0, UserId::get))
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(TryInto::try_into).collect()
    }

    /// Removes a member from an account (their assignments there are cleared).
    pub async fn remove_member(&self, account: AccountId, user: UserId) -> Result<(), StoreError> {
        retry_on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let done = sqlx::query("DELETE FROM account_users WHERE account_id = $1 AND user_id = $2")
                .bind(account.get())
                .bind(user.get())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if done == 0 {
                // Roll back now: a dropped transaction is only rolled back when its connection
                // is next used, and holds its locks until then.
                tx.rollback().await?;
                return Err(StoreError::NotFound);
            }
            sqlx::query("UPDATE conversations SET assignee_id = NULL WHERE account_id = $1 AND assignee_id = $2")
                .bind(account.get())
                .bind(user.get())
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM inbox_members WHERE user_id = $1 AND inbox_id IN (SELECT id FROM inboxes WHERE account_id = $2)")
                .bind(user.get())
                .bind(account.get())
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM team_members WHERE user_id = $1 AND team_id IN (SELECT id FROM teams WHERE account_id = $2)")
                .bind(user.get())
                .bind(account.get())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        })?;
        Ok(())
    }
}
