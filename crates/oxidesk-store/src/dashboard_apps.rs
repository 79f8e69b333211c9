//! Dashboard apps. `content` (the frames), `allowed_origins` and `settings` are JSON text.

use oxidesk_domain::{
    AccountId, AppFrame, AppSettings, DashboardApp, DashboardAppId, Timestamp, UserId,
};

use crate::{Store, StoreError};

const COLUMNS: &str = "id, account_id, user_id, title, content, allowed_origins, settings, \
     load_failures, last_failure, last_failure_at, created_at, updated_at";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    account_id: i64,
    user_id: Option<i64>,
    title: String,
    content: String,
    allowed_origins: String,
    settings: String,
    load_failures: i64,
    last_failure: Option<String>,
    last_failure_at: Option<i64>,
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
        let settings: AppSettings = serde_json::from_str(&r.settings)
            .map_err(|e| StoreError::Corrupt(format!("dashboard_apps.settings: {e}")))?;
        Ok(DashboardApp {
            id: DashboardAppId(r.id),
            account_id: r.account_id.into(),
            user_id: r.user_id.map(Into::into),
            title: r.title,
            content,
            allowed_origins,
            settings,
            load_failures: r.load_failures,
            last_failure: r.last_failure.zip(r.last_failure_at.map(Timestamp::from)),
            created_at: r.created_at.into(),
            updated_at: r.updated_at.into(),
        })
    }
}

fn unwritable(e: serde_json::Error) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

/// What create and update write: an app's parts an administrator chooses.
#[derive(Debug, Clone, Copy)]
pub struct AppDraft<'a> {
    /// The tab's name.
    pub title: &'a str,
    /// The frames.
    pub content: &'a [AppFrame],
    /// Extra allowed origins, normalised.
    pub allowed_origins: &'a [String],
    /// Scopes, withheld data, visibility, placements, lifecycle.
    pub settings: &'a AppSettings,
}

impl AppDraft<'_> {
    fn json(&self) -> Result<(String, String, String), StoreError> {
        Ok((
            serde_json::to_string(self.content).map_err(unwritable)?,
            serde_json::to_string(self.allowed_origins).map_err(unwritable)?,
            serde_json::to_string(self.settings).map_err(unwritable)?,
        ))
    }
}

impl Store {
    /// Creates an app (`app.allowed_origins` already normalised; its id, account, creator,
    /// failures and times are not read).
    pub async fn create_dashboard_app(
        &self,
        account: AccountId,
        user: Option<UserId>,
        app: &AppDraft<'_>,
        now: Timestamp,
    ) -> Result<DashboardApp, StoreError> {
        let (content, allowed_origins, settings) = app.json()?;
        let row: Row = on_pool!(self, pool => {
            sqlx::query_as(&format!(
                "INSERT INTO dashboard_apps \
                 (account_id, user_id, title, content, allowed_origins, settings, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING {COLUMNS}"
            ))
            .bind(account.get())
            .bind(user.map(UserId::get))
            .bind(app.title)
            .bind(&content)
            .bind(&allowed_origins)
            .bind(&settings)
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

    /// Writes an app's title, frames, extra allowed origins and settings (all written).
    pub async fn update_dashboard_app(
        &self,
        account: AccountId,
        id: DashboardAppId,
        app: &AppDraft<'_>,
        now: Timestamp,
    ) -> Result<DashboardApp, StoreError> {
        let (content, allowed_origins, settings) = app.json()?;
        let row: Row = on_pool!(self, pool => {
            sqlx::query_as(&format!(
                "UPDATE dashboard_apps SET title = $1, content = $2, allowed_origins = $3, \
                 settings = $4, updated_at = $5 WHERE account_id = $6 AND id = $7 RETURNING {COLUMNS}"
            ))
            .bind(app.title)
            .bind(&content)
            .bind(&allowed_origins)
            .bind(&settings)
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
        crate::one_row(done)
    }

    /// Counts one failed load of an app in an agent's browser, with its reason.
    pub async fn record_dashboard_app_failure(
        &self,
        account: AccountId,
        id: DashboardAppId,
        reason: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let done = on_pool!(self, pool => {
            sqlx::query(
                "UPDATE dashboard_apps SET load_failures = load_failures + 1, last_failure = $1, \
                 last_failure_at = $2 WHERE account_id = $3 AND id = $4",
            )
            .bind(reason)
            .bind(now.secs())
            .bind(account.get())
            .bind(id.get())
            .execute(pool)
            .await?
            .rows_affected()
        });
        crate::one_row(done)
    }
}
