//! Accounts and users (their memberships: `memberships.rs`).

use oxidesk_domain::{Account, AccountId, Timestamp, User, UserId};

use crate::rows::{AccountRow, UserRow};
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
}
