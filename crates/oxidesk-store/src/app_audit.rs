//! The audit log of what dashboard apps asked to do (`dashboard_app_audit`).

use oxidesk_domain::{AccountId, AppActionOutcome, AppAuditEntry, Timestamp};

use crate::{Store, StoreError};

const COLUMNS: &str = "id, app_id, app_title, user_id, conversation_display_id, contact_id, \
     action, params, outcome, detail, created_at";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    app_id: i64,
    app_title: String,
    user_id: Option<i64>,
    conversation_display_id: Option<i64>,
    contact_id: Option<i64>,
    action: String,
    params: String,
    outcome: String,
    detail: Option<String>,
    created_at: i64,
}

impl TryFrom<Row> for AppAuditEntry {
    type Error = StoreError;

    fn try_from(r: Row) -> Result<Self, StoreError> {
        Ok(AppAuditEntry {
            id: r.id,
            app_id: r.app_id,
            app_title: r.app_title,
            user_id: r.user_id,
            conversation_id: r.conversation_display_id,
            contact_id: r.contact_id,
            action: r.action,
            params: serde_json::from_str(&r.params)
                .map_err(|e| StoreError::Corrupt(format!("dashboard_app_audit.params: {e}")))?,
            outcome: r
                .outcome
                .parse()
                .map_err(|e| StoreError::Corrupt(format!("dashboard_app_audit.outcome: {e}")))?,
            detail: r.detail,
            created_at: r.created_at.into(),
        })
    }
}

/// One line to append to the audit log.
#[derive(Debug, Clone)]
pub struct NewAuditEntry<'a> {
    /// The app.
    pub app_id: i64,
    /// Its title now.
    pub app_title: &'a str,
    /// The agent it acted for.
    pub user_id: Option<i64>,
    /// The conversation's number in the account.
    pub conversation_id: Option<i64>,
    /// The contact.
    pub contact_id: Option<i64>,
    /// The method as sent (at most 100 characters are kept).
    pub action: &'a str,
    /// The parameters as sent.
    pub params: &'a serde_json::Value,
    /// How it ended.
    pub outcome: AppActionOutcome,
    /// Why, or what was done.
    pub detail: Option<&'a str>,
}

/// Which lines to read; `None` is any.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Of this app.
    pub app_id: Option<i64>,
    /// This method.
    pub action: Option<String>,
    /// This outcome.
    pub outcome: Option<AppActionOutcome>,
    /// For this agent.
    pub user_id: Option<i64>,
    /// About this conversation (its number in the account).
    pub conversation_id: Option<i64>,
}

impl Store {
    /// Appends a line to the account's app audit log.
    pub async fn insert_app_audit(
        &self,
        account: AccountId,
        entry: &NewAuditEntry<'_>,
        now: Timestamp,
    ) -> Result<i64, StoreError> {
        let action: String = entry.action.chars().take(100).collect();
        let params = entry.params.to_string();
        let id: i64 = on_pool!(self, pool => {
            sqlx::query_scalar(
                "INSERT INTO dashboard_app_audit (account_id, app_id, app_title, user_id, \
                 conversation_display_id, contact_id, action, params, outcome, detail, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            )
            .bind(account.get())
            .bind(entry.app_id)
            .bind(entry.app_title)
            .bind(entry.user_id)
            .bind(entry.conversation_id)
            .bind(entry.contact_id)
            .bind(&action)
            .bind(&params)
            .bind(entry.outcome.as_str())
            .bind(entry.detail)
            .bind(now.secs())
            .fetch_one(pool)
            .await?
        });
        Ok(id)
    }

    /// The account's audit lines matching `filter`, newest first, `limit` older than `before`.
    pub async fn app_audit(
        &self,
        account: AccountId,
        filter: &AuditFilter,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AppAuditEntry>, StoreError> {
        // One text for every filter: a `NULL` parameter switches its condition off.
        let rows: Vec<Row> = on_read!(self, pool => {
            sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM dashboard_app_audit WHERE account_id = $1 AND id < $2 \
                 AND ($3 IS NULL OR app_id = $3) AND ($4 IS NULL OR action = $4) \
                 AND ($5 IS NULL OR outcome = $5) AND ($6 IS NULL OR user_id = $6) \
                 AND ($7 IS NULL OR conversation_display_id = $7) \
                 ORDER BY id DESC LIMIT $8"
            ))
            .bind(account.get())
            .bind(before.unwrap_or(i64::MAX))
            .bind(filter.app_id)
            .bind(filter.action.as_deref())
            .bind(filter.outcome.map(AppActionOutcome::as_str))
            .bind(filter.user_id)
            .bind(filter.conversation_id)
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(TryInto::try_into).collect()
    }
}
