//! Accounts, users and memberships.

use crate::BeginWrite;
use oxidesk_domain::{
    Account, AccountId, Agent, Availability, Membership, Role, Timestamp, User, UserId,
};

use crate::rows::{AGENT_COLUMNS, AccountRow, AgentRow, MembershipRow, UserRow};
use crate::{Store, StoreError};

/// A user to create. The email must already be validated and lower-cased.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    /// Full name.
    pub name: &'a str,
    /// Display name, if different.
    pub display_name: Option<&'a str>,
    /// Email (lower-case).
    pub email: &'a str,
    /// The argon2id hash of the password, or `None` for a user who cannot sign in yet.
    pub password_hash: Option<&'a str>,
    /// Whether the email is confirmed.
    pub confirmed: bool,
    /// A picture.
    pub avatar_url: Option<&'a str>,
}

const USER_COLUMNS: &str = "id, name, display_name, email, confirmed, avatar_url, created_at";

impl Store {
    /// Creates an account.
    pub async fn create_account(&self, name: &str, now: Timestamp) -> Result<Account, StoreError> {
        let row: AccountRow = on_pool!(self, pool => {
            sqlx::query_as(
                "INSERT INTO accounts (name, locale, conversation_seq, created_at, updated_at) \
                 VALUES ($1, 'en', 0, $2, $2) RETURNING id, name, locale, created_at",
            )
            .bind(name)
            .bind(now.secs())
            .fetch_one(pool)
            .await?
        });
        Ok(row.into())
    }

    /// The account with this id.
    pub async fn account(&self, id: AccountId) -> Result<Account, StoreError> {
        let row: AccountRow = on_read!(self, pool => {
            sqlx::query_as("SELECT id, name, locale, created_at FROM accounts WHERE id = $1")
                .bind(id.get())
                .fetch_one(pool)
                .await?
        });
        Ok(row.into())
    }

    /// The first account whose name is exactly `name`.
    pub async fn account_by_name(&self, name: &str) -> Result<Option<Account>, StoreError> {
        let row: Option<AccountRow> = on_read!(self, pool => {
            sqlx::query_as("SELECT id, name, locale, created_at FROM accounts WHERE name = $1 ORDER BY id LIMIT 1")
                .bind(name)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(Into::into))
    }

    /// How many accounts exist (zero means a first start: onboarding is offered).
    pub async fn count_accounts(&self) -> Result<i64, StoreError> {
        Ok(on_read!(self, pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM accounts").fetch_one(pool).await?
        }))
    }

    /// Creates a user. Fails with a conflict on `email` when the address is taken.
    pub async fn create_user(
        &self,
        user: &NewUser<'_>,
        now: Timestamp,
    ) -> Result<User, StoreError> {
        let row: UserRow = on_pool!(self, pool => {
            sqlx::query_as(&format!(
                "INSERT INTO users (name, display_name, email, password_hash, confirmed, avatar_url, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING {USER_COLUMNS}"
            ))
            .bind(user.name)
            .bind(user.display_name)
            .bind(user.email)
            .bind(user.password_hash)
            .bind(user.confirmed)
            .bind(user.avatar_url)
            .bind(now.secs())
            .fetch_one(pool)
            .await?
        });
        Ok(row.into())
    }

    /// The user with this id.
    pub async fn user(&self, id: UserId) -> Result<User, StoreError> {
        let row: UserRow = on_read!(self, pool => {
            sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
                .bind(id.get())
                .fetch_one(pool)
                .await?
        });
        Ok(row.into())
    }

    /// The user with this email (compared lower-cased).
    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
        let row: Option<UserRow> = on_read!(self, pool => {
            sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1"))
                .bind(email.trim().to_lowercase())
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(Into::into))
    }

    /// The user with this email and their password hash, for signing in.
    pub async fn user_credentials(
        &self,
        email: &str,
    ) -> Result<Option<(User, Option<String>)>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            user: UserRow,
            password_hash: Option<String>,
        }
        let row: Option<Row> = on_read!(self, pool => {
            sqlx::query_as(&format!("SELECT {USER_COLUMNS}, password_hash FROM users WHERE email = $1"))
                .bind(email.trim().to_lowercase())
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(|r| (r.user.into(), r.password_hash)))
    }

    /// Replaces a user's password hash.
    pub async fn set_password_hash(
        &self,
        id: UserId,
        hash: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let done = on_pool!(self, pool => {
            sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
                .bind(hash)
                .bind(now.secs())
                .bind(id.get())
                .execute(pool)
                .await?
                .rows_affected()
        });
        crate::one_row(done)
    }

    /// Changes a user's name.
    pub async fn rename_user(
        &self,
        id: UserId,
        name: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let done = on_pool!(self, pool => {
            sqlx::query("UPDATE users SET name = $1, updated_at = $2 WHERE id = $3")
                .bind(name)
                .bind(now.secs())
                .bind(id.get())
                .execute(pool)
                .await?
                .rows_affected()
        });
        crate::one_row(done)
    }

    /// Changes a user's name, display name and picture.
    pub async fn update_profile(
        &self,
        id: UserId,
        name: &str,
        display_name: Option<&str>,
        avatar_url: Option<&str>,
        now: Timestamp,
    ) -> Result<User, StoreError> {
        let row: UserRow = on_pool!(self, pool => {
            sqlx::query_as(&format!(
                "UPDATE users SET name = $1, display_name = $2, avatar_url = $3, updated_at = $4 \
                 WHERE id = $5 RETURNING {USER_COLUMNS}"
            ))
            .bind(name)
            .bind(display_name)
            .bind(avatar_url)
            .bind(now.secs())
            .bind(id.get())
            .fetch_one(pool)
            .await?
        });
        Ok(row.into())
    }

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
        on_pool!(self, pool => {
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
        });
        Ok(())
    }
}
