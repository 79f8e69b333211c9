//! Dashboard apps.

use oxidesk_domain::{AccountId, AppFrame, DashboardApp, DashboardAppId, Timestamp, UserId};

use crate::{Store, StoreError};

const COLUMNS: &str = "id, account_id, user_id, title, content, created_at, updated_at";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    account_id: i64,
    user_id: Option<i64>,
    title: String,
    content: String,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<Row> for DashboardApp {
    type Error = StoreError;

    fn try_from(r: Row) -> Result<Self, StoreError> {
        let content: Vec<AppFrame> = serde_json::from_str(&r.content)
            .map_err(|e| StoreError::Corrupt(format!("dashboard_apps.content: {e}")))?;
        Ok(DashboardApp {
            id: DashboardAppId(r.id),
            account_id: r.account_id.into(),
            user_id: r.user_id.map(Into::into),
            title: r.title,
            content,
            created_at: r.created_at.into(),
            updated_at: r.updated_at.into(),
        })
    }
}

fn content_text(content: &[AppFrame]) -> Result<String, StoreError> {
    serde_json::to_string(content).map_err(|e| StoreError::Corrupt(e.to_string()))
}

impl Store {
    /// Creates an app.
    pub async fn create_dashboard_app(
        &self,
        account: AccountId,
        user: Option<UserId>,
        title: &str,
        content: &[AppFrame],
        now: Timestamp,
    ) -> Result<DashboardApp, StoreError> {
        let content = content_text(content)?;
        let row: Row = on_pool!(self, pool => {
            sqlx::query_as(&format!(
                "INSERT INTO dashboard_apps (account_id, user_id, title, content, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $5) RETURNING {COLUMNS}"
            ))
            .bind(account.get())
            .bind(user.map(UserId::get))
            .bind(title)
            .bind(&content)
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
        let row: Row = on_pool!(self, pool => {
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
        let rows: Vec<Row> = on_pool!(self, pool => {
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

    /// Renames an app or changes its frames.
    pub async fn update_dashboard_app(
        &self,
        account: AccountId,
        id: DashboardAppId,
        title: &str,
        content: &[AppFrame],
        now: Timestamp,
    ) -> Result<DashboardApp, StoreError> {
        let content = content_text(content)?;
        let row: Row = on_pool!(self, pool => {
            sqlx::query_as(&format!(
                "UPDATE dashboard_apps SET title = $1, content = $2, updated_at = $3 \
                 WHERE account_id = $4 AND id = $5 RETURNING {COLUMNS}"
            ))
            .bind(title)
            .bind(&content)
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
