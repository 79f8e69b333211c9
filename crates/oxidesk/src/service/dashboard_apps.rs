//! Dashboard apps: registering, changing and removing the apps shown beside conversations.
//!
//! An app is a title, its frames and optionally extra allowed origins (origins besides the
//! frames' that may receive the app's context, for an app that redirects to a login page on
//! another origin). Clients that never send `allowed_origins` keep working as with Chatwoot.

use oxidesk_domain::apps::{AppFrameInput, validate_allowed_origins, validate_app};
use oxidesk_domain::{
    AccountId, AppFrame, DashboardApp, DashboardAppId, Timestamp, UserId, ValidationErrors,
};
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

    /// Registers an app with its extra allowed origins (`None`: none).
    pub async fn create_dashboard_app(
        &self,
        account: AccountId,
        user: UserId,
        title: Option<&str>,
        content: Option<&[AppFrameInput]>,
        allowed_origins: Option<&[String]>,
    ) -> Result<DashboardApp, ServiceError> {
        let (title, frames, origins) = check(title, content, allowed_origins.unwrap_or(&[]))?;
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
            .create_dashboard_app(
                account,
                Some(user),
                &title,
                &frames,
                &origins,
                Timestamp::now(),
            )
            .await?;
        self.events
            .publish(account, "dashboard_app.created", json!({"id": app.id}));
        Ok(app)
    }

    /// Changes an app's title, frames or extra allowed origins; a part not given stays as it
    /// is (`Some(&[])` removes every extra origin).
    pub async fn update_dashboard_app(
        &self,
        account: AccountId,
        id: DashboardAppId,
        title: Option<&str>,
        content: Option<&[AppFrameInput]>,
        allowed_origins: Option<&[String]>,
    ) -> Result<DashboardApp, ServiceError> {
        let current = self.dashboard_app(account, id).await?;
        let current_content: Vec<AppFrameInput> =
            current.content.iter().map(AppFrameInput::from).collect();
        let (title, frames, origins) = check(
            Some(title.unwrap_or(&current.title)),
            Some(content.unwrap_or(&current_content)),
            allowed_origins.unwrap_or(&current.allowed_origins),
        )?;
        let app = found(
            self.store
                .update_dashboard_app(account, id, &title, &frames, &origins, Timestamp::now())
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

/// Validates a whole app: every error of the title, the frames and the extra origins at once.
fn check(
    title: Option<&str>,
    content: Option<&[AppFrameInput]>,
    allowed_origins: &[String],
) -> Result<(String, Vec<AppFrame>, Vec<String>), ValidationErrors> {
    match (
        validate_app(title, content),
        validate_allowed_origins(allowed_origins),
    ) {
        (Ok((title, frames)), Ok(origins)) => Ok((title, frames, origins)),
        (app, origins) => {
            let mut errors = ValidationErrors::new();
            errors.0.extend(app.err().map(|e| e.0).unwrap_or_default());
            errors
                .0
                .extend(origins.err().map(|e| e.0).unwrap_or_default());
            Err(errors)
        }
    }
}
