//! Dashboard apps. `content` (the frames) and `allowed_origins` are JSON text.

use oxidesk_domain::{AccountId, AppFrame, DashboardApp, DashboardAppId, Timestamp, UserId};

use crate::{Store, StoreError};

const COLUMNS: &str =
    "id, account_id, user_id, title, content, allowed_origins, created_at, updated_at";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    account_id: i64,
    user_id: Option<i64>,
    title: String,
    content: String,
    allowed_origins: String,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<Row> for DashboardApp {
    type Error = StoreError;

    fn try_from(r: Row) -> Result<Self, StoreError> {
        let content: Vec<AppFrame> = serde_json::from_str(&r.content)
            .map_err(|e| StoreError::Corrupt(format!("dashboard_apps.content: {e}")))?;
        let allowed_origins: Vec<String> = serde_json::from_str(&r.allowed_origins)
            .map_err(|e| StoreError::Corrupt(format!("dashboard_apps.allowed_origins: {e}")))?;
        Ok(DashboardApp {
            id: DashboardAppId(r.id),
            account_id: r.account_id.into(),
            user_id: r.user_id.map(Into::into),
            title: r.title,
            content,
            allowed_origins,
            created_at: r.created_at.into(),
            updated_at: r.updated_at.into(),
        })
    }
}

fn unwritable(e: serde_json::Error) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

impl Store {
    /// Creates an app (`allowed_origins` already normalised).
    pub async fn create_dashboard_app(
        &self,
        account: AccountId,
        user: Option<UserId>,
        title: &str,
        content: &[AppFrame],
        allowed_origins: &[String],
        now: Timestamp,
    ) -> Result<DashboardApp, StoreError> {
        let content = serde_json::to_string(content).map_err(unwritable)?;
        let allowed_origins = serde_json::to_string(allowed_origins).map_err(unwritable)?;
        let row: Row = on_pool!(self, pool => {
            sqlx::query_as(&format!(
                "INSERT INTO dashboard_apps \
                 (account_id, user_id, title, content, allowed_origins, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING {COLUMNS}"
            ))
            .bind(account.get())
            .bind(user.map(UserId::get))
            .bind(title)
            .bind(&content)
            .bind(&allowed_origins)
            .bind(now.secs())
            .fetch_one(pool)
            .await?
        });
        row.try_into()
    }

    /// One app of the account.
    pub async fn dashboard_app(
        &self,
        account: AccountId,
        id: DashboardAppId,
    ) -> Result<DashboardApp, StoreError> {
        let row: Row = on_read!(self, pool => {
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM dashboard_apps WHERE account_id = $1 AND id = $2"))
                .bind(account.get())
                .bind(id.get())
                .fetch_one(pool)
                .await?
        });
        row.try_into()
    }

    /// The account's apps in creation order, `limit` after `after`.
    pub async fn list_dashboard_apps(
        &self,
        account: AccountId,
        after: Option<DashboardAppId>,
        limit: i64,
    ) -> Result<Vec<DashboardApp>, StoreError> {
        let rows: Vec<Row> = on_read!(self, pool => {
            sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM dashboard_apps WHERE account_id = $1 AND id > $2 ORDER BY id LIMIT $3"
            ))
            .bind(account.get())
            .bind(after.map_or(0, DashboardAppId::get))
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(TryInto::try_into).collect()
    }

    /// Renames an app, changes its frames or its extra allowed origins (all three written).
    pub async fn update_dashboard_app(
        &self,
        account: AccountId,
        id: DashboardAppId,
        title: &str,
        content: &[AppFrame],
        allowed_origins: &[String],
        now: Timestamp,
    ) -> Result<DashboardApp, StoreError> {
        let content = serde_json::to_string(content).map_err(unwritable)?;
        let allowed_origins = serde_json::to_string(allowed_origins).map_err(unwritable)?;
        let row: Row = on_pool!(self, pool => {
            sqlx::query_as(&format!(
                "UPDATE dashboard_apps SET title = $1, content = $2, allowed_origins = $3, \
                 updated_at = $4 WHERE account_id = $5 AND id = $6 RETURNING {COLUMNS}"
            ))
            .bind(title)
            .bind(&content)
            .bind(&allowed_origins)
            .bind(now.secs())
            .bind(account.get())
            .bind(id.get())
            .fetch_one(pool)
            .await?
        });
        row.try_into()
    }

    /// Deletes an app.
    pub async fn delete_dashboard_app(
        &self,
        account: AccountId,
        id: DashboardAppId,
    ) -> Result<(), StoreError> {
        let done = on_pool!(self, pool => {
            sqlx::query("DELETE FROM dashboard_apps WHERE account_id = $1 AND id = $2")
                .bind(account.get())
                .bind(id.get())
                .execute(pool)
                .await?
                .rows_affected()
        });
        if done == 0 {
            Err(StoreError::NotFound)
        } else {
            Ok(())
        }
    }
}
