//! Canned responses, agent bots and which inbox each bot serves.

use oxidesk_domain::bots::{AgentBot, CannedResponse};
use oxidesk_domain::{AccountId, AgentBotId, CannedResponseId, InboxId, Timestamp};

use crate::{Store, StoreError};

#[derive(sqlx::FromRow)]
struct CannedRow {
    id: i64,
    account_id: i64,
    short_code: String,
    content: String,
    created_at: i64,
    updated_at: i64,
}

impl From<CannedRow> for CannedResponse {
    fn from(r: CannedRow) -> Self {
        Self {
            id: CannedResponseId(r.id),
            account_id: AccountId(r.account_id),
            short_code: r.short_code,
            content: r.content,
            created_at: Timestamp(r.created_at),
            updated_at: Timestamp(r.updated_at),
        }
    }
}

const CANNED: &str = "id, account_id, short_code, content, created_at, updated_at";

#[derive(sqlx::FromRow)]
struct BotRow {
    id: i64,
    account_id: i64,
    name: String,
    description: String,
    outgoing_url: String,
    token: String,
    secret: String,
    created_at: i64,
}

impl From<BotRow> for AgentBot {
    fn from(r: BotRow) -> Self {
        Self {
            id: AgentBotId(r.id),
            account_id: AccountId(r.account_id),
            name: r.name,
            description: r.description,
            outgoing_url: r.outgoing_url,
            sealed_token: r.token,
            sealed_secret: r.secret,
            created_at: Timestamp(r.created_at),
        }
    }
}

const BOT: &str = "id, account_id, name, description, outgoing_url, token, secret, created_at";

/// A new bot's credentials: the token's hash (for lookup) and the sealed token and secret.
#[derive(Debug, Clone)]
pub struct BotKeys {
    /// SHA-256 (hex) of the access token.
    pub token_hash: String,
    /// The access token, sealed.
    pub sealed_token: String,
    /// The signing secret, sealed.
    pub sealed_secret: String,
}

impl Store {
    /// The account's canned responses by short code; with `search`, those whose short code or
    /// content contains it (case-insensitive), short codes that start with it first.
    pub async fn canned_responses(
        &self,
        account: AccountId,
        search: Option<&str>,
    ) -> Result<Vec<CannedResponse>, StoreError> {
        let rows: Vec<CannedRow> = match search.map(str::trim).filter(|s| !s.is_empty()) {
            None => {
                let sql = format!(
                    "SELECT {CANNED} FROM canned_responses WHERE account_id = $1 \
                     ORDER BY short_code, id LIMIT 1000"
                );
                on_read!(self, pool => {
                    sqlx::query_as(&sql).bind(account.get()).fetch_all(pool).await?
                })
            }
            Some(term) => {
                let escaped = term
                    .to_lowercase()
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_");
                let sql = format!(
                    "SELECT {CANNED} FROM canned_responses WHERE account_id = $1 \
                     AND (LOWER(short_code) LIKE $2 ESCAPE '\\' OR LOWER(content) LIKE $2 ESCAPE '\\') \
                     ORDER BY CASE WHEN LOWER(short_code) LIKE $3 ESCAPE '\\' THEN 0 ELSE 1 END, \
                     short_code, id LIMIT 1000"
                );
                let contains = format!("%{escaped}%");
                let starts = format!("{escaped}%");
                on_read!(self, pool => {
                    sqlx::query_as(&sql).bind(account.get()).bind(&contains).bind(&starts)
                        .fetch_all(pool).await?
                })
            }
        };
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// One of the account's canned responses.
    pub async fn canned_response(
        &self,
        account: AccountId,
        id: CannedResponseId,
    ) -> Result<CannedResponse, StoreError> {
        let sql =
            format!("SELECT {CANNED} FROM canned_responses WHERE account_id = $1 AND id = $2");
        let row: CannedRow = on_read!(self, pool => {
            sqlx::query_as(&sql).bind(account.get()).bind(id.get()).fetch_one(pool).await?
        });
        Ok(row.into())
    }

    /// Adds a canned response; a short code the account already has is
    /// `Conflict("canned_responses_account_short_code")`.
    pub async fn insert_canned_response(
        &self,
        account: AccountId,
        short_code: &str,
        content: &str,
        now: Timestamp,
    ) -> Result<CannedResponse, StoreError> {
        let sql = format!(
            "INSERT INTO canned_responses (account_id, short_code, content, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $4) RETURNING {CANNED}"
        );
        let row: CannedRow = on_pool!(self, pool => {
            sqlx::query_as(&sql).bind(account.get()).bind(short_code).bind(content)
                .bind(now.secs()).fetch_one(pool).await?
        });
        Ok(row.into())
    }

    /// Changes a canned response.
    pub async fn update_canned_response(
        &self,
        account: AccountId,
        id: CannedResponseId,
        short_code: &str,
        content: &str,
        now: Timestamp,
    ) -> Result<CannedResponse, StoreError> {
        let sql = format!(
            "UPDATE canned_responses SET short_code = $3, content = $4, updated_at = $5 \
             WHERE account_id = $1 AND id = $2 RETURNING {CANNED}"
        );
        let row: CannedRow = on_pool!(self, pool => {
            sqlx::query_as(&sql).bind(account.get()).bind(id.get()).bind(short_code)
                .bind(content).bind(now.secs()).fetch_one(pool).await?
        });
        Ok(row.into())
    }

    /// Deletes a canned response.
    pub async fn delete_canned_response(
        &self,
        account: AccountId,
        id: CannedResponseId,
    ) -> Result<(), StoreError> {
        let done = on_pool!(self, pool => {
            sqlx::query("DELETE FROM canned_responses WHERE account_id = $1 AND id = $2")
                .bind(account.get()).bind(id.get()).execute(pool).await?.rows_affected()
        });
        crate::one_row(done)
    }

    /// The account's agent bots, oldest first.
    pub async fn agent_bots(&self, account: AccountId) -> Result<Vec<AgentBot>, StoreError> {
        let sql = format!("SELECT {BOT} FROM agent_bots WHERE account_id = $1 ORDER BY id");
        let rows: Vec<BotRow> = on_read!(self, pool => {
            sqlx::query_as(&sql).bind(account.get()).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// One of the account's agent bots.
    pub async fn agent_bot(
        &self,
        account: AccountId,
        id: AgentBotId,
    ) -> Result<AgentBot, StoreError> {
        let sql = format!("SELECT {BOT} FROM agent_bots WHERE account_id = $1 AND id = $2");
        let row: BotRow = on_read!(self, pool => {
            sqlx::query_as(&sql).bind(account.get()).bind(id.get()).fetch_one(pool).await?
        });
        Ok(row.into())
    }

    /// The bot whose access token hashes to `token_hash`.
    pub async fn agent_bot_by_token_hash(&self, token_hash: &str) -> Result<AgentBot, StoreError> {
        let sql = format!("SELECT {BOT} FROM agent_bots WHERE token_hash = $1");
        let row: BotRow = on_read!(self, pool => {
            sqlx::query_as(&sql).bind(token_hash).fetch_one(pool).await?
        });
        Ok(row.into())
    }

    /// Adds an agent bot.
    pub async fn insert_agent_bot(
        &self,
        account: AccountId,
        name: &str,
        description: &str,
        outgoing_url: &str,
        keys: &BotKeys,
        now: Timestamp,
    ) -> Result<AgentBot, StoreError> {
        let sql = format!(
            "INSERT INTO agent_bots (account_id, name, description, outgoing_url, token_hash, \
             token, secret, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) \
             RETURNING {BOT}"
        );
        let row: BotRow = on_pool!(self, pool => {
            sqlx::query_as(&sql).bind(account.get()).bind(name).bind(description)
                .bind(outgoing_url).bind(&keys.token_hash).bind(&keys.sealed_token)
                .bind(&keys.sealed_secret).bind(now.secs()).fetch_one(pool).await?
        });
        Ok(row.into())
    }

    /// Changes a bot's name, description and URL.
    pub async fn update_agent_bot(
        &self,
        account: AccountId,
        id: AgentBotId,
        name: &str,
        description: &str,
        outgoing_url: &str,
        now: Timestamp,
    ) -> Result<AgentBot, StoreError> {
        let sql = format!(
            "UPDATE agent_bots SET name = $3, description = $4, outgoing_url = $5, updated_at = $6 \
             WHERE account_id = $1 AND id = $2 RETURNING {BOT}"
        );
        let row: BotRow = on_pool!(self, pool => {
            sqlx::query_as(&sql).bind(account.get()).bind(id.get()).bind(name)
                .bind(description).bind(outgoing_url).bind(now.secs()).fetch_one(pool).await?
        });
        Ok(row.into())
    }

    /// Gives a bot a new access token (the old one stops working with this write).
    pub async fn reset_agent_bot_token(
        &self,
        account: AccountId,
        id: AgentBotId,
        token_hash: &str,
        sealed_token: &str,
        now: Timestamp,
    ) -> Result<AgentBot, StoreError> {
        let sql = format!(
            "UPDATE agent_bots SET token_hash = $3, token = $4, updated_at = $5 \
             WHERE account_id = $1 AND id = $2 RETURNING {BOT}"
        );
        let row: BotRow = on_pool!(self, pool => {
            sqlx::query_as(&sql).bind(account.get()).bind(id.get()).bind(token_hash)
                .bind(sealed_token).bind(now.secs()).fetch_one(pool).await?
        });
        Ok(row.into())
    }

    /// Gives a bot a new signing secret (deliveries written from now on are signed with it).
    pub async fn reset_agent_bot_secret(
        &self,
        account: AccountId,
        id: AgentBotId,
        sealed_secret: &str,
        now: Timestamp,
    ) -> Result<AgentBot, StoreError> {
        let sql = format!(
            "UPDATE agent_bots SET secret = $3, updated_at = $4 \
             WHERE account_id = $1 AND id = $2 RETURNING {BOT}"
        );
        let row: BotRow = on_pool!(self, pool => {
            sqlx::query_as(&sql).bind(account.get()).bind(id.get()).bind(sealed_secret)
                .bind(now.secs()).fetch_one(pool).await?
        });
        Ok(row.into())
    }

    /// Deletes a bot (its inboxes are left without one).
    pub async fn delete_agent_bot(
        &self,
        account: AccountId,
        id: AgentBotId,
    ) -> Result<(), StoreError> {
        let done = on_pool!(self, pool => {
            sqlx::query("DELETE FROM agent_bots WHERE account_id = $1 AND id = $2")
                .bind(account.get()).bind(id.get()).execute(pool).await?.rows_affected()
        });
        crate::one_row(done)
    }

    /// The bot of one of the account's inboxes, if it has one.
    pub async fn inbox_agent_bot(
        &self,
        account: AccountId,
        inbox: InboxId,
    ) -> Result<Option<AgentBot>, StoreError> {
        let sql = "SELECT b.id, b.account_id, b.name, b.description, b.outgoing_url, b.token, \
             b.secret, b.created_at FROM agent_bot_inboxes i JOIN agent_bots b ON b.id = i.agent_bot_id \
             WHERE i.account_id = $1 AND i.inbox_id = $2";
        let row: Option<BotRow> = on_read!(self, pool => {
            sqlx::query_as(sql).bind(account.get()).bind(inbox.get()).fetch_optional(pool).await?
        });
        Ok(row.map(Into::into))
    }

    /// Every (inbox, bot) pair of the account.
    pub async fn agent_bot_inboxes(
        &self,
        account: AccountId,
    ) -> Result<Vec<(InboxId, AgentBotId)>, StoreError> {
        let rows: Vec<(i64, i64)> = on_read!(self, pool => {
            sqlx::query_as(
                "SELECT inbox_id, agent_bot_id FROM agent_bot_inboxes WHERE account_id = $1 \
                 ORDER BY inbox_id",
            )
            .bind(account.get()).fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(|(i, b)| (InboxId(i), AgentBotId(b)))
            .collect())
    }

    /// Gives one of the account's inboxes `bot` (both already checked to be the account's),
    /// or none.
    pub async fn set_inbox_agent_bot(
        &self,
        account: AccountId,
        inbox: InboxId,
        bot: Option<AgentBotId>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = crate::BeginWrite::begin_write(pool).await?;
            sqlx::query("DELETE FROM agent_bot_inboxes WHERE account_id = $1 AND inbox_id = $2")
                .bind(account.get()).bind(inbox.get()).execute(&mut *tx).await?;
            if let Some(bot) = bot {
                sqlx::query(
                    "INSERT INTO agent_bot_inboxes (inbox_id, agent_bot_id, account_id, created_at) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(inbox.get()).bind(bot.get()).bind(account.get()).bind(now.secs())
                .execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }
}
