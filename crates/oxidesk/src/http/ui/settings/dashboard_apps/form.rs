//! The dashboard-app form as submitted, as shown again, and its errors by field.

use axum::http::StatusCode;
use oxidesk_domain::DashboardApp;
use oxidesk_domain::apps::{AppFrameInput, insecure_remote};
use serde::Deserialize;

use super::super::app_settings_form::SettingsForm;
use super::super::forms::{Field, FieldErrors};
use crate::http::PageError;
use crate::service::ServiceError;

/// Service fields → form fields: `content[0].url` lands on the URL, `allowed_origins[2]` on
/// the origins.
pub(super) const FIELDS: &[Field] = &[
    ("title", "title", "Name"),
    ("content", "url", "URL"),
    (
        "allowed_origins",
        "allowed_origins",
        "Extra allowed origins",
    ),
    ("settings.scopes", "scopes", "Actions"),
    ("settings.withheld", "withheld", "Withheld data"),
    ("settings.visibility.inbox_ids", "inbox_ids", "Inboxes"),
    ("settings.visibility.team_ids", "team_ids", "Teams"),
    ("settings.visibility.roles", "roles", "Roles"),
    ("settings.placements", "placements", "Placement"),
    ("settings.lifecycle", "lifecycle", "Frame"),
];

/// The app form as submitted.
#[derive(Debug, Clone, Default)]
pub(super) struct AppForm {
    pub(super) csrf: String,
    pub(super) title: String,
    pub(super) url: String,
    /// One origin per line.
    pub(super) allowed_origins: String,
    /// Scopes, withheld data, visibility, placements, lifecycle.
    pub(super) settings: SettingsForm,
}

/// The delete form: its CSRF field only.
#[derive(Debug, Clone, Default, Deserialize)]
pub(super) struct CsrfForm {
    #[serde(default)]
    pub(super) csrf: String,
}

impl AppForm {
    /// The form from its submitted fields (checkbox lists repeat their name).
    pub(super) fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut form = Self::default();
        for (key, value) in pairs {
            match key.as_str() {
                "csrf" => form.csrf = value,
                "title" => form.title = value,
                "url" => form.url = value,
                "allowed_origins" => form.allowed_origins = value,
                other => {
                    let _ = form.settings.take(other, &value);
                }
            }
        }
        form
    }

    pub(super) fn of(app: &DashboardApp) -> Self {
        Self {
            settings: SettingsForm::of(&app.settings),
            title: app.title.clone(),
            url: app
                .content
                .first()
                .map(|f| f.url.clone())
                .unwrap_or_default(),
            allowed_origins: app.allowed_origins.join("\n"),
            ..Self::default()
        }
    }

    /// The non-blank lines of the origins box, trimmed, with their line numbers (from 1).
    pub(super) fn origin_lines(&self) -> Vec<(usize, String)> {
        self.allowed_origins
            .lines()
            .enumerate()
            .map(|(i, line)| (i + 1, line.trim().to_owned()))
            .filter(|(_, line)| !line.is_empty())
            .collect()
    }

    /// The origins to save.
    pub(super) fn origins(&self) -> Vec<String> {
        self.origin_lines().into_iter().map(|(_, o)| o).collect()
    }

    /// The frames to save: the typed URL as the first frame, the app's other frames kept.
    pub(super) fn content(&self, current: Option<&DashboardApp>) -> Vec<AppFrameInput> {
        let first = AppFrameInput {
            kind: Some("frame".into()),
            url: Some(self.url.clone()),
        };
        let rest = current.map_or(&[][..], |app| app.content.get(1..).unwrap_or(&[]));
        std::iter::once(first)
            .chain(rest.iter().map(AppFrameInput::from))
            .collect()
    }

    /// The typed addresses that are plain `http://` to another machine.
    pub(super) fn insecure(&self) -> Vec<String> {
        insecure(
            std::iter::once(self.url.trim().to_owned())
                .chain(self.origins())
                .collect(),
        )
    }

    /// A failed save as the form shows it: an error on an origin names its line.
    pub(super) fn errors(
        &self,
        error: ServiceError,
    ) -> Result<(StatusCode, FieldErrors), PageError> {
        let error = match error {
            ServiceError::Invalid(mut errors) => {
                let lines = self.origin_lines();
                for e in &mut errors.0 {
                    let index = e
                        .field
                        .strip_prefix("allowed_origins[")
                        .and_then(|rest| rest.strip_suffix(']'))
                        .and_then(|i| i.parse::<usize>().ok());
                    if let Some((line, _)) = index.and_then(|i| lines.get(i)) {
                        e.message = format!("line {line} {}", e.message);
                    }
                }
                ServiceError::Invalid(errors)
            }
            other => other,
        };
        FieldErrors::from_service(error, FIELDS)
    }
}

/// The addresses among `urls` that are plain `http://` to another machine.
pub(super) fn insecure(urls: Vec<String>) -> Vec<String> {
    urls.into_iter().filter(|u| insecure_remote(u)).collect()
}
