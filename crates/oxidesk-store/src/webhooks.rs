//! Webhooks, their outbox of deliveries, and the dispatcher's cursor over the event log.
//!
//! A delivery is claimed by one sender at a time with a lease: `UPDATE … SET locked_until …
//! WHERE <due and not leased> RETURNING`. The outer `WHERE` repeats the conditions of the
//! subquery, so on PostgreSQL a second instance racing for the same row re-checks them against
//! the committed row (read committed) and skips it; on SQLite writers are serialised anyway.

use oxidesk_domain::{AccountId, Timestamp};

use crate::{BeginWrite, Store, StoreError};

/// A webhook as stored (`subscriptions` decoded, `secret` still sealed).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredWebhook {
    /// Id.
    pub id: i64,
    /// The account.
    pub account_id: i64,
    /// Name (may be empty).
    pub name: String,
    /// Where deliveries go.
    pub url: String,
    /// Chatwoot event names.
    pub subscriptions: Vec<String>,
    /// The signing secret, sealed.
    pub sealed_secret: String,
    /// Unix seconds.
    pub created_at: i64,
}

#[derive(sqlx::FromRow)]
struct WebhookRow {
    id: i64,
    account_id: i64,
    name: String,
    url: String,
    subscriptions: String,
    secret: String,
    created_at: i64,
}

impl TryFrom<WebhookRow> for StoredWebhook {
    type Error = StoreError;
    fn try_from(r: WebhookRow) -> Result<Self, StoreError> {
        let subscriptions = serde_json::from_str(&r.subscriptions)
            .map_err(|e| StoreError::Corrupt(format!("webhooks.subscriptions: {e}")))?;
        Ok(Self {
            id: r.id,
            account_id: r.account_id,
            name: r.name,
            url: r.url,
            subscriptions,
            sealed_secret: r.secret,
            created_at: r.created_at,
        })
    }
}

const WEBHOOK: &str = "id, account_id, name, url, subscriptions, secret, created_at";

/// A delivery to write (the dispatcher's output).
#[derive(Debug, Clone)]
pub struct NewDelivery {
    /// X-Chatwoot-Delivery.
    pub uuid: String,
    /// The account.
    pub account_id: i64,
    /// The account webhook, or
    pub webhook_id: Option<i64>,
    /// the API inbox whose `webhook_url` this goes to, or
    pub inbox_id: Option<i64>,
    /// the agent bot whose `outgoing_url` this goes to.
    pub agent_bot_id: Option<i64>,
    /// The event log's id of the event.
    pub event_id: i64,
    /// Chatwoot's event name.
    pub event: String,
    /// Where to.
    pub url: String,
    /// The JSON body.
    pub body: String,
    /// The sealed signing secret.
    pub sealed_secret: String,
}

/// A delivery as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Delivery {
    /// Id.
    pub id: i64,
    /// X-Chatwoot-Delivery.
    pub uuid: String,
    /// The account.
    pub account_id: i64,
    /// The account webhook (none for an API inbox's callback).
    pub webhook_id: Option<i64>,
    /// The API inbox.
    pub inbox_id: Option<i64>,
    /// The agent bot.
    pub agent_bot_id: Option<i64>,
    /// Chatwoot's event name.
    pub event: String,
    /// Where to.
    pub url: String,
    /// The JSON body.
    pub body: String,
    /// The sealed signing secret.
    pub secret: String,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    /// Attempts made.
    pub attempts: i64,
    /// When the next attempt is due (Unix seconds).
    pub next_attempt_at: i64,
    /// The last answer's HTTP status.
    pub response_code: Option<i64>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When the last attempt was made.
    pub last_attempt_at: Option<i64>,
    /// When the event happened.
    pub created_at: i64,
}

const DELIVERY: &str = "id, uuid, account_id, webhook_id, inbox_id, agent_bot_id, event, url, body, secret, \
     status, attempts, next_attempt_at, response_code, last_error, last_attempt_at, created_at";

/// What one attempt came to.
#[derive(Debug, Clone)]
pub struct AttemptOutcome {
    /// `delivered`, `pending` (to retry at `next_attempt_at`) or `failed` (given up).
    pub status: &'static str,
    /// The next attempt (when pending).
    pub next_attempt_at: i64,
    /// The answer's HTTP status, if any came.
    pub response_code: Option<i64>,
    /// Why it failed.
    pub error: Option<String>,
}

impl Store {
    /// The account's webhooks, oldest first.
    pub async fn webhooks(&self, account: AccountId) -> Result<Vec<StoredWebhook>, StoreError> {
        let sql = format!("SELECT {WEBHOOK} FROM webhooks WHERE account_id = $1 ORDER BY id");
        let rows: Vec<WebhookRow> = on_read!(self, pool => {
            sqlx::query_as(&sql).bind(account.get()).fetch_all(pool).await?
        });
        rows.into_iter().map(TryInto::try_into).collect()
    }

    /// One of the account's webhooks.
    pub async fn webhook(&self, account: AccountId, id: i64) -> Result<StoredWebhook, StoreError> {
        let sql = format!("SELECT {WEBHOOK} FROM webhooks WHERE account_id = $1 AND id = $2");
        let row: WebhookRow = on_read!(self, pool => {
            sqlx::query_as(&sql).bind(account.get()).bind(id).fetch_one(pool).await?
        });
        row.try_into()
    }

    /// Adds a webhook. A URL already used by the account is `Conflict("webhooks_account_url")`.
    pub async fn insert_webhook(
        &self,
        account: AccountId,
        name: &str,
        url: &str,
        subscriptions: &[String],
        sealed_secret: &str,
        now: Timestamp,
    ) -> Result<StoredWebhook, StoreError> {
        let subs =
            serde_json::to_string(subscriptions).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let sql = format!(
            "INSERT INTO webhooks (account_id, name, url, subscriptions, secret, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING {WEBHOOK}"
        );
        let row: WebhookRow = on_pool!(self, pool => {
            sqlx::query_as(&sql)
                .bind(account.get()).bind(name).bind(url).bind(&subs).bind(sealed_secret)
                .bind(now.secs())
                .fetch_one(pool).await?
        });
        row.try_into()
    }

    /// Changes a webhook's name, URL and subscriptions.
    pub async fn update_webhook(
        &self,
        account: AccountId,
        id: i64,
        name: &str,
        url: &str,
        subscriptions: &[String],
        now: Timestamp,
    ) -> Result<StoredWebhook, StoreError> {
        let subs =
            serde_json::to_string(subscriptions).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let sql = format!(
            "UPDATE webhooks SET name = $3, url = $4, subscriptions = $5, updated_at = $6 \
             WHERE account_id = $1 AND id = $2 RETURNING {WEBHOOK}"
        );
        let row: WebhookRow = on_pool!(self, pool => {
            sqlx::query_as(&sql)
                .bind(account.get()).bind(id).bind(name).bind(url).bind(&subs).bind(now.secs())
                .fetch_one(pool).await?
        });
        row.try_into()
    }

    /// Deletes a webhook and its deliveries.
    pub async fn delete_webhook(&self, account: AccountId, id: i64) -> Result<(), StoreError> {
        let done = on_pool!(self, pool => {
            sqlx::query("DELETE FROM webhooks WHERE account_id = $1 AND id = $2")
                .bind(account.get()).bind(id)
                .execute(pool).await?.rows_affected()
        });
        crate::one_row(done)
    }

    /// The last event already turned into deliveries.
    pub async fn webhook_cursor(&self) -> Result<i64, StoreError> {
        Ok(on_pool!(self, pool => {
            sqlx::query_scalar("SELECT last_event_id FROM webhook_cursor WHERE id = 1")
                .fetch_one(pool).await?
        }))
    }

    /// Moves the cursor from `from` to `to` and writes `deliveries`, in one transaction.
    /// Returns false (and writes nothing) when the cursor is no longer at `from`: another
    /// instance dispatched those events first.
    pub async fn dispatch_deliveries(
        &self,
        from: i64,
        to: i64,
        deliveries: &[NewDelivery],
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        const INSERT: &str = "INSERT INTO webhook_deliveries (uuid, account_id, webhook_id, \
             inbox_id, agent_bot_id, event_id, event, url, body, secret, next_attempt_at, \
             created_at) VALUES ($1, $2, $3, $4, $11, $5, $6, $7, $8, $9, $10, $10)";
        Ok(on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let moved = sqlx::query(
                "UPDATE webhook_cursor SET last_event_id = $2 WHERE id = 1 AND last_event_id = $1",
            )
            .bind(from).bind(to)
            .execute(&mut *tx).await?.rows_affected();
            if moved == 1 {
                for d in deliveries {
                    sqlx::query(INSERT)
                        .bind(&d.uuid).bind(d.account_id).bind(d.webhook_id).bind(d.inbox_id)
                        .bind(d.event_id).bind(&d.event).bind(&d.url).bind(&d.body)
                        .bind(&d.sealed_secret).bind(now.secs()).bind(d.agent_bot_id)
                        .execute(&mut *tx).await?;
                }
                tx.commit().await?;
            }
            moved == 1
        }))
    }

    /// Claims up to `limit` due deliveries until `lease_until`; only this caller sends them.
    pub async fn claim_deliveries(
        &self,
        now: Timestamp,
        lease_until: i64,
        limit: i64,
    ) -> Result<Vec<Delivery>, StoreError> {
        let sql = format!(
            "UPDATE webhook_deliveries SET locked_until = $2 \
             WHERE id IN (SELECT id FROM webhook_deliveries WHERE status = 'pending' \
                 AND next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until <= $1) \
                 ORDER BY next_attempt_at, id LIMIT $3) \
             AND status = 'pending' AND (locked_until IS NULL OR locked_until <= $1) \
             RETURNING {DELIVERY}"
        );
        Ok(on_pool!(self, pool => {
            sqlx::query_as(&sql)
                .bind(now.secs()).bind(lease_until).bind(limit)
                .fetch_all(pool).await?
        }))
    }

    /// Records an attempt on a delivery claimed until `lease_until` (ignored if the lease was
    /// lost meanwhile). Returns whether it was recorded.
    pub async fn finish_attempt(
        &self,
        id: i64,
        lease_until: i64,
        outcome: &AttemptOutcome,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        Ok(on_pool!(self, pool => {
            sqlx::query(
                "UPDATE webhook_deliveries SET status = $3, attempts = attempts + 1, \
                 next_attempt_at = $4, response_code = $5, last_error = $6, last_attempt_at = $7, \
                 locked_until = NULL WHERE id = $1 AND locked_until = $2",
            )
            .bind(id).bind(lease_until).bind(outcome.status).bind(outcome.next_attempt_at)
            .bind(outcome.response_code).bind(&outcome.error).bind(now.secs())
            .execute(pool).await?.rows_affected() == 1
        }))
    }

    /// The newest deliveries of one of the account's webhooks, newest first.
    pub async fn webhook_deliveries(
        &self,
        account: AccountId,
        webhook: i64,
        limit: i64,
    ) -> Result<Vec<Delivery>, StoreError> {
        let sql = format!(
            "SELECT {DELIVERY} FROM webhook_deliveries WHERE account_id = $1 AND webhook_id = $2 \
             ORDER BY id DESC LIMIT $3"
        );
        Ok(on_read!(self, pool => {
            sqlx::query_as(&sql).bind(account.get()).bind(webhook).bind(limit)
                .fetch_all(pool).await?
        }))
    }

    /// The newest deliveries to one of the account's agent bots, newest first.
    pub async fn agent_bot_deliveries(
        &self,
        account: AccountId,
        bot: i64,
        limit: i64,
    ) -> Result<Vec<Delivery>, StoreError> {
        let sql = format!(
            "SELECT {DELIVERY} FROM webhook_deliveries WHERE account_id = $1 AND agent_bot_id = $2 \
             ORDER BY id DESC LIMIT $3"
        );
        Ok(on_read!(self, pool => {
            sqlx::query_as(&sql).bind(account.get()).bind(bot).bind(limit)
                .fetch_all(pool).await?
        }))
    }

    /// Makes one of the account's deliveries due again now ("send again"), whatever its state.
    pub async fn redeliver(
        &self,
        account: AccountId,
        id: i64,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let done = on_pool!(self, pool => {
            sqlx::query(
                "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $3, \
                 locked_until = NULL WHERE account_id = $1 AND id = $2",
            )
            .bind(account.get()).bind(id).bind(now.secs())
            .execute(pool).await?.rows_affected()
        });
        crate::one_row(done)
    }

    /// Forgets finished deliveries older than `before`. Returns how many.
    pub async fn delete_deliveries_before(&self, before: Timestamp) -> Result<u64, StoreError> {
        Ok(on_pool!(self, pool => {
            sqlx::query("DELETE FROM webhook_deliveries WHERE created_at < $1 AND status <> 'pending'")
                .bind(before.secs())
                .execute(pool).await?.rows_affected()
        }))
    }
}
