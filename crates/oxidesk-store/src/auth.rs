//! API access tokens, browser sessions and login throttling. Only hashes of secrets are stored.

use oxidesk_domain::{AccessToken, AccessTokenId, Timestamp, User, UserId};

use crate::rows::{AccessTokenRow, UserRow};
use crate::{Store, StoreError};

/// A signed-in browser session.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// The user.
    pub user: User,
    /// The CSRF token forms of this session must send back.
    pub csrf_token: String,
    /// When the session ends.
    pub expires_at: Timestamp,
}

impl Store {
    /// Stores a new access token by the hash of its secret.
    pub async fn create_access_token(
        &self,
        user: UserId,
        name: &str,
        token_hash: &str,
        prefix: &str,
        now: Timestamp,
    ) -> Result<AccessToken, StoreError> {
        let row: AccessTokenRow = on_pool!(self, pool => {
            sqlx::query_as(
                "INSERT INTO access_tokens (user_id, name, token_hash, prefix, created_at) \
                 VALUES ($1, $2, $3, $4, $5) \
                 RETURNING id, user_id, name, prefix, created_at, last_used_at",
            )
            .bind(user.get())
            .bind(name)
            .bind(token_hash)
            .bind(prefix)
            .bind(now.secs())
            .fetch_one(pool)
            .await?
        });
        Ok(row.into())
    }

    /// The user whose token has this hash; records the use (at most once a minute).
    pub async fn user_by_token_hash(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<User>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            user: UserRow,
            last_used_at: Option<i64>,
        }
        let row: Option<Row> = on_pool!(self, pool => {
            let row: Option<Row> = sqlx::query_as(
                "SELECT u.id, u.name, u.display_name, u.email, u.confirmed, u.avatar_url, u.created_at, \
                        t.last_used_at \
                 FROM access_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1",
            )
            .bind(token_hash)
            .fetch_optional(pool)
            .await?;
            // Written at most once a minute per token, and only then: even an UPDATE that
            // changes no row takes SQLite's write lock, which every request would queue for.
            let stale = |r: &Row| r.last_used_at.is_none_or(|at| at < now.secs() - 60);
            if row.as_ref().is_some_and(stale) {
                sqlx::query(
                    "UPDATE access_tokens SET last_used_at = $1 \
                     WHERE token_hash = $2 AND (last_used_at IS NULL OR last_used_at < $3)",
                )
                .bind(now.secs())
                .bind(token_hash)
                .bind(now.secs() - 60)
                .execute(pool)
                .await?;
            }
            row
        });
        Ok(row.map(|r| r.user.into()))
    }

    /// The user's tokens, newest first.
    pub async fn list_access_tokens(&self, user: UserId) -> Result<Vec<AccessToken>, StoreError> {
        let rows: Vec<AccessTokenRow> = on_read!(self, pool => {
            sqlx::query_as(
                "SELECT id, user_id, name, prefix, created_at, last_used_at FROM access_tokens \
                 WHERE user_id = $1 ORDER BY id DESC",
            )
            .bind(user.get())
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Revokes one of the user's tokens.
    pub async fn delete_access_token(
        &self,
        user: UserId,
        id: AccessTokenId,
    ) -> Result<(), StoreError> {
        let done = on_pool!(self, pool => {
            sqlx::query("DELETE FROM access_tokens WHERE id = $1 AND user_id = $2")
                .bind(id.get())
                .bind(user.get())
                .execute(pool)
                .await?
                .rows_affected()
        });
        crate::one_row(done)
    }

    /// Starts a session, stored by the hash of its id.
    pub async fn create_session(
        &self,
        user: UserId,
        token_hash: &str,
        csrf_token: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(token_hash)
            .bind(user.get())
            .bind(csrf_token)
            .bind(now.secs())
            .bind(expires_at.secs())
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// The live session with this hash, if any.
    pub async fn session(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<Session>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            user: UserRow,
            csrf_token: String,
            expires_at: i64,
        }
        let row: Option<Row> = on_read!(self, pool => {
            sqlx::query_as(
                "SELECT u.id, u.name, u.display_name, u.email, u.confirmed, u.avatar_url, u.created_at, \
                        s.csrf_token, s.expires_at \
                 FROM sessions s JOIN users u ON u.id = s.user_id \
                 WHERE s.token_hash = $1 AND s.expires_at > $2",
            )
            .bind(token_hash)
            .bind(now.secs())
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(|r| Session {
            user: r.user.into(),
            csrf_token: r.csrf_token,
            expires_at: Timestamp(r.expires_at),
        }))
    }

    /// Ends a session.
    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(token_hash)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Ends every session of a user (after a password change, say).
    pub async fn delete_sessions_of(&self, user: UserId) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user.get())
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Deletes sessions that have expired. Returns how many.
    pub async fn delete_expired_sessions(&self, now: Timestamp) -> Result<u64, StoreError> {
        Ok(on_pool!(self, pool => {
            sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
                .bind(now.secs())
                .execute(pool)
                .await?
                .rows_affected()
        }))
    }

    /// Failed sign-ins recorded under `key` since `window_start`.
    pub async fn login_failures(
        &self,
        key: &str,
        window_start: Timestamp,
    ) -> Result<i64, StoreError> {
        let count: Option<i64> = on_read!(self, pool => {
            sqlx::query_scalar(
                "SELECT failures FROM login_failures WHERE throttle_key = $1 AND window_start > $2",
            )
            .bind(key)
            .bind(window_start.secs())
            .fetch_optional(pool)
            .await?
        });
        Ok(count.unwrap_or(0))
    }

    /// Records one failed sign-in under `key`; a window older than `window_start` starts over.
    pub async fn record_login_failure(
        &self,
        key: &str,
        now: Timestamp,
        window_start: Timestamp,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO login_failures (throttle_key, window_start, failures) VALUES ($1, $2, 1) \
                 ON CONFLICT (throttle_key) DO UPDATE SET \
                   failures = CASE WHEN login_failures.window_start > $3 THEN login_failures.failures + 1 ELSE 1 END, \
                   window_start = CASE WHEN login_failures.window_start > $3 THEN login_failures.window_start ELSE $2 END",
            )
            .bind(key)
            .bind(now.secs())
            .bind(window_start.secs())
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Forgets the failures under `key` (after a successful sign-in).
    pub async fn clear_login_failures(&self, key: &str) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("DELETE FROM login_failures WHERE throttle_key = $1")
                .bind(key)
                .execute(pool)
                .await?;
        });
        Ok(())
    }
}
