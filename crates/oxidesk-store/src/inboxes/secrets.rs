//! API inboxes' webhook signing secrets (migration 0016): sealed by the caller, `NULL` until an
//! administrator resets one (the caller then uses the secret derived from the instance's key).

use oxidesk_domain::{AccountId, InboxId, Timestamp};

use crate::{Store, StoreError};

impl Store {
    /// The inbox's stored (sealed) webhook secret, `None` if it was never reset.
    pub async fn inbox_webhook_secret(
        &self,
        account: AccountId,
        inbox: InboxId,
    ) -> Result<Option<String>, StoreError> {
        let row: (Option<String>,) = on_read!(self, pool => {
            sqlx::query_as("SELECT webhook_secret FROM inboxes WHERE account_id = $1 AND id = $2")
                .bind(account.get()).bind(inbox.get()).fetch_one(pool).await?
        });
        Ok(row.0)
    }

    /// The account's stored (sealed) webhook secrets by inbox; inboxes never reset are absent.
    pub async fn inbox_webhook_secrets(
        &self,
        account: AccountId,
    ) -> Result<Vec<(InboxId, String)>, StoreError> {
        let rows: Vec<(i64, String)> = on_read!(self, pool => {
            sqlx::query_as(
                "SELECT id, webhook_secret FROM inboxes \
                 WHERE account_id = $1 AND webhook_secret IS NOT NULL ORDER BY id",
            )
            .bind(account.get()).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(|(i, s)| (InboxId(i), s)).collect())
    }

    /// Stores a new (sealed) webhook secret for the inbox.
    pub async fn set_inbox_webhook_secret(
        &self,
        account: AccountId,
        inbox: InboxId,
        sealed: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let done = on_pool!(self, pool => {
            sqlx::query(
                "UPDATE inboxes SET webhook_secret = $3, updated_at = $4 \
                 WHERE account_id = $1 AND id = $2",
            )
            .bind(account.get()).bind(inbox.get()).bind(sealed).bind(now.secs())
            .execute(pool).await?.rows_affected()
        });
        crate::one_row(done)
    }
}
