//! Dashboard apps: registering, changing and removing the apps shown beside conversations.

use oxidesk_domain::apps::{AppFrameInput, validate_app};
use oxidesk_domain::{AccountId, DashboardApp, DashboardAppId, Timestamp, UserId};
use serde_json::json;

use super::{ServiceError, Services, found};

/// The most apps an account may have (each is a tab in every conversation).
pub const MAX_APPS: i64 = 50;

impl Services {
    /// The account's apps, oldest first.
    pub async fn dashboard_apps(
        &self,
        account: AccountId,
    ) -> Result<Vec<DashboardApp>, ServiceError> {
        Ok(self
            .store
            .list_dashboard_apps(account, None, MAX_APPS)
            .await?)
    }

    /// One app of the account.
    pub async fn dashboard_app(
        &self,
        account: AccountId,
        id: DashboardAppId,
    ) -> Result<DashboardApp, ServiceError> {
        found(self.store.dashboard_app(account, id).await, "dashboard app")
    }

    /// Registers an app.
    pub async fn create_dashboard_app(
        &self,
        account: AccountId,
        user: UserId,
        title: Option<&str>,
        content: Option<&[AppFrameInput]>,
    ) -> Result<DashboardApp, ServiceError> {
        let (title, frames) = validate_app(title, content)?;
        if self
            .store
            .list_dashboard_apps(account, None, MAX_APPS)
            .await?
            .len() as i64
            >= MAX_APPS
        {
            return Err(ServiceError::Conflict(format!(
                "An account can have at most {MAX_APPS} dashboard apps"
            )));
        }
        let app = self
            .store
            .create_dashboard_app(account, Some(user), &title, &frames, Timestamp::now())
            .await?;
        self.events
            .publish(account, "dashboard_app.created", json!({"id": app.id}));
        Ok(app)
    }

    /// Changes an app; a part not given stays as it is.
    pub async fn update_dashboard_app(
        &self,
        account: AccountId,
        id: DashboardAppId,
        title: Option<&str>,
        content: Option<&[AppFrameInput]>,
    ) -> Result<DashboardApp, ServiceError> {
        let current = self.dashboard_app(account, id).await?;
        let current_content: Vec<AppFrameInput> = current
            .content
            .iter()
            .map(|f| AppFrameInput {
                kind: Some(f.kind.clone()),
                url: Some(f.url.clone()),
            })
            .collect();
        let (title, frames) = validate_app(
            Some(title.unwrap_or(&current.title)),
            Some(content.unwrap_or(&current_content)),
        )?;
        let app = found(
            self.store
                .update_dashboard_app(account, id, &title, &frames, Timestamp::now())
                .await,
            "dashboard app",
        )?;
        self.events
            .publish(account, "dashboard_app.updated", json!({"id": app.id}));
        Ok(app)
    }

    /// Removes an app.
    pub async fn delete_dashboard_app(
        &self,
        account: AccountId,
        id: DashboardAppId,
    ) -> Result<(), ServiceError> {
        found(
            self.store.delete_dashboard_app(account, id).await,
            "dashboard app",
        )?;
        self.events
            .publish(account, "dashboard_app.deleted", json!({"id": id}));
        Ok(())
    }
}
