//! The member tables of inboxes and teams, written the same way for both.

use crate::BeginWrite;
use oxidesk_domain::{AccountId, InboxId, TeamId, Timestamp, UserId};

use crate::{Store, StoreError};

/// A group of users with a member table: an inbox or a team.
#[derive(Debug, Clone, Copy)]
pub(super) enum Group {
    /// An inbox (`inbox_members`).
    Inbox(InboxId),
    /// A team (`team_members`).
    Team(TeamId),
}

impl Group {
    /// The member table, the column naming the group, and the group's id.
    fn parts(self) -> (&'static str, &'static str, i64) {
        match self {
            Group::Inbox(id) => ("inbox_members", "inbox_id", id.get()),
            Group::Team(id) => ("team_members", "team_id", id.get()),
        }
    }
}

impl Store {
    /// Adds `users` to a group (after removing everyone when `replace`), in one transaction.
    /// A user who is not a member of `account` rolls it all back with `NotFound`.
    pub(super) async fn write_members(
        &self,
        account: AccountId,
        group: Group,
        users: &[UserId],
        replace: bool,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let (table, column, id) = group.parts();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            if replace {
                sqlx::query(&format!("DELETE FROM {table} WHERE {column} = $1"))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            for user in users {
                let member: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM account_users WHERE account_id = $1 AND user_id = $2",
                )
                .bind(account.get())
                .bind(user.get())
                .fetch_one(&mut *tx)
                .await?;
                if member == 0 {
                    // Roll back now rather than leave it to the connection's next use.
                    tx.rollback().await?;
                    return Err(StoreError::NotFound);
                }
                sqlx::query(&format!(
                    "INSERT INTO {table} ({column}, user_id, created_at) VALUES ($1, $2, $3) \
                     ON CONFLICT ({column}, user_id) DO NOTHING"
                ))
                .bind(id)
                .bind(user.get())
                .bind(now.secs())
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Removes `users` from a group.
    pub(super) async fn delete_members(
        &self,
        group: Group,
        users: &[UserId],
    ) -> Result<(), StoreError> {
        let (table, column, id) = group.parts();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            for user in users {
                sqlx::query(&format!("DELETE FROM {table} WHERE {column} = $1 AND user_id = $2"))
                    .bind(id)
                    .bind(user.get())
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }
}
