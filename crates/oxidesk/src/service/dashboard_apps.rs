//! Dashboard apps: registering, changing and removing the apps shown beside conversations.
//!
//! An app is a title, its frames and optionally extra allowed origins (origins besides the
//! frames' that may receive the app's context, for an app that redirects to a login page on
//! another origin). Clients that never send `allowed_origins` keep working as with Chatwoot.

use oxidesk_domain::app_settings::{AppSettingsInput, apply_settings};
use oxidesk_domain::apps::{AppFrameInput, validate_allowed_origins, validate_app};
use oxidesk_domain::{
    AccountId, AppFrame, AppSettings, DashboardApp, DashboardAppId, InboxId, Timestamp, UserId,
    ValidationErrors,
};
use oxidesk_store::AppDraft;
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

    /// Registers an app. Parts not given take their defaults (no extra origins; the default
    /// settings: no scopes, nothing withheld, everyone, a conversation tab).
    pub async fn create_dashboard_app(
        &self,
        account: AccountId,
        user: UserId,
        input: &AppInput<'_>,
    ) -> Result<DashboardApp, ServiceError> {
        let (title, frames, origins, settings) = self
            .check(
                account,
                input.title,
                input.content,
                input.allowed_origins.unwrap_or(&[]),
                &AppSettings::default(),
                input.settings,
            )
            .await?;
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
        let draft = AppDraft {
            title: &title,
            content: &frames,
            allowed_origins: &origins,
            settings: &settings,
        };
        let app = self
            .store
            .create_dashboard_app(account, Some(user), &draft, Timestamp::now())
            .await?;
        self.events
            .publish(account, "dashboard_app.created", json!({"id": app.id}));
        Ok(app)
    }

    /// Changes an app; a part not given stays as it is (`allowed_origins: Some(&[])` removes
    /// every extra origin; within `settings`, likewise per part).
    pub async fn update_dashboard_app(
        &self,
        account: AccountId,
        id: DashboardAppId,
        input: &AppInput<'_>,
    ) -> Result<DashboardApp, ServiceError> {
        let current = self.dashboard_app(account, id).await?;
        let current_content: Vec<AppFrameInput> =
            current.content.iter().map(AppFrameInput::from).collect();
        let (title, frames, origins, settings) = self
            .check(
                account,
                Some(input.title.unwrap_or(&current.title)),
                Some(input.content.unwrap_or(&current_content)),
                input.allowed_origins.unwrap_or(&current.allowed_origins),
                &current.settings,
                input.settings,
            )
            .await?;
        let draft = AppDraft {
            title: &title,
            content: &frames,
            allowed_origins: &origins,
            settings: &settings,
        };
        let app = found(
            self.store
                .update_dashboard_app(account, id, &draft, Timestamp::now())
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

/// An app as an administrator sent it; `None` parts are not given.
#[derive(Debug, Clone, Copy, Default)]
pub struct AppInput<'a> {
    /// The tab's name.
    pub title: Option<&'a str>,
    /// The frames.
    pub content: Option<&'a [AppFrameInput]>,
    /// Extra allowed origins.
    pub allowed_origins: Option<&'a [String]>,
    /// Scopes, withheld data, visibility, placements, lifecycle (each part optional).
    pub settings: Option<&'a AppSettingsInput>,
}

impl Services {
    /// Validates a whole app: every error of the title, the frames, the extra origins and the
    /// settings at once. Inboxes and teams named by the visibility must be the account's.
    async fn check(
        &self,
        account: AccountId,
        title: Option<&str>,
        content: Option<&[AppFrameInput]>,
        allowed_origins: &[String],
        current: &AppSettings,
        settings: Option<&AppSettingsInput>,
    ) -> Result<(String, Vec<AppFrame>, Vec<String>, AppSettings), ServiceError> {
        let app = validate_app(title, content);
        let origins = validate_allowed_origins(allowed_origins);
        let settings = match settings {
            Some(input) => apply_settings(current, input),
            None => Ok(current.clone()),
        };
        let mut errors = ValidationErrors::new();
        if let Ok(settings) = &settings {
            self.check_visibility(account, settings, &mut errors)
                .await?;
        }
        match (app, origins, settings) {
            (Ok((title, frames)), Ok(origins), Ok(settings)) if errors.is_empty() => {
                Ok((title, frames, origins, settings))
            }
            (app, origins, settings) => {
                errors.0.extend(app.err().map(|e| e.0).unwrap_or_default());
                errors
                    .0
                    .extend(origins.err().map(|e| e.0).unwrap_or_default());
                errors
                    .0
                    .extend(settings.err().map(|e| e.0).unwrap_or_default());
                Err(errors.into())
            }
        }
    }

    /// Every inbox and team a visibility names must exist in the account.
    async fn check_visibility(
        &self,
        account: AccountId,
        settings: &AppSettings,
        errors: &mut ValidationErrors,
    ) -> Result<(), ServiceError> {
        let visibility = &settings.visibility;
        if !visibility.inbox_ids.is_empty() {
            let ids: Vec<InboxId> = visibility.inbox_ids.iter().map(|i| InboxId(*i)).collect();
            let known = self.store.inboxes_by_ids(account, &ids).await?;
            for (i, id) in ids.iter().enumerate() {
                if !known.contains_key(id) {
                    errors.push(
                        format!("settings.visibility.inbox_ids[{i}]"),
                        format!("no inbox {} in this account", id.get()),
                    );
                }
            }
        }
        if !visibility.team_ids.is_empty() {
            let teams = self.store.list_teams(account, None, 10_000).await?;
            for (i, id) in visibility.team_ids.iter().enumerate() {
                if !teams.iter().any(|t| t.id.get() == *id) {
                    errors.push(
                        format!("settings.visibility.team_ids[{i}]"),
                        format!("no team {id} in this account"),
                    );
                }
            }
        }
        Ok(())
    }
}
