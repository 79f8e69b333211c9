//! Settings > Integrations > Dashboard apps: the list (name, endpoint), a form to add an app
//! (name, URL, optional extra allowed origins), edit, and delete after a confirmation.
//!
//! The rules are the API's (`validate_app`, `validate_allowed_origins`): `javascript:`,
//! `data:`, `file:` and relative URLs are refused; plain `http://` is allowed (apps under
//! development run on localhost) but a non-local one shows a warning on the form and in the list.
//! An app registered through the API with several frames keeps its other frames: the form edits
//! the first one.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, Response};
use axum::routing::get;
use axum::{Form, Router};
use oxidesk_domain::apps::{AppFrameInput, insecure_remote};
use oxidesk_domain::{DashboardApp, DashboardAppId};
use serde::Deserialize;

use super::forms::{Field, FieldErrors, saved, with_status};
use super::{Admin, ItemId, NavItem, back_to, confirm, nav};
use crate::http::pages::render;
use crate::http::ui::shell::{Member, Shell};
use crate::http::{AppState, PageError};
use crate::service::{AppInput, ServiceError};

/// The section's path under `/settings`.
const SECTION: &str = "integrations/dashboard_apps";

/// The warning shown for plain `http://` to another machine.
pub const INSECURE_WARNING: &str = "Not encrypted: use https:// outside development";

pub(super) fn router() -> Router<AppState> {
    let base = "/app/accounts/{account_id}/settings/integrations/dashboard_apps";
    Router::new()
        .route(base, get(list_apps).post(create_app))
        .route(&format!("{base}/new"), get(new_app))
        .route(&format!("{base}/{{id}}"), get(show_app).post(update_app))
        .route(
            &format!("{base}/{{id}}/delete"),
            get(confirm_delete_app).post(delete_app),
        )
}

/// Service fields → form fields: `content[0].url` lands on the URL, `allowed_origins[2]` on
/// the origins.
const FIELDS: &[Field] = &[
    ("title", "title", "Name"),
    ("content", "url", "URL"),
    (
        "allowed_origins",
        "allowed_origins",
        "Extra allowed origins",
    ),
];

/// The app form as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
struct AppForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    url: String,
    /// One origin per line.
    #[serde(default)]
    allowed_origins: String,
}

impl AppForm {
    fn of(app: &DashboardApp) -> Self {
        Self {
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
    fn origin_lines(&self) -> Vec<(usize, String)> {
        self.allowed_origins
            .lines()
            .enumerate()
            .map(|(i, line)| (i + 1, line.trim().to_owned()))
            .filter(|(_, line)| !line.is_empty())
            .collect()
    }

    /// The origins to save.
    fn origins(&self) -> Vec<String> {
        self.origin_lines().into_iter().map(|(_, o)| o).collect()
    }

    /// The frames to save: the typed URL as the first frame, the app's other frames kept.
    fn content(&self, current: Option<&DashboardApp>) -> Vec<AppFrameInput> {
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
    fn insecure(&self) -> Vec<String> {
        insecure(
            std::iter::once(self.url.trim().to_owned())
                .chain(self.origins())
                .collect(),
        )
    }

    /// A failed save as the form shows it: an error on an origin names its line.
    fn errors(&self, error: ServiceError) -> Result<(StatusCode, FieldErrors), PageError> {
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
fn insecure(urls: Vec<String>) -> Vec<String> {
    urls.into_iter().filter(|u| insecure_remote(u)).collect()
}

/// One row of the list.
struct AppRow {
    href: String,
    delete_href: String,
    title: String,
    url: String,
    allowed_origins: Vec<String>,
    insecure: bool,
}

#[derive(Template)]
#[template(path = "pages/settings_dashboard_apps.html")]
struct AppsPage {
    shell: Shell,
    nav: Vec<NavItem>,
    rows: Vec<AppRow>,
    warning: &'static str,
    saved: bool,
}

/// The form to add (`id` is `None`) or change an app.
#[derive(Template)]
#[template(path = "pages/settings_dashboard_apps_form.html")]
struct AppFormPage {
    shell: Shell,
    nav: Vec<NavItem>,
    id: Option<i64>,
    /// The saved name (the page's heading when editing).
    title: String,
    form: AppForm,
    errors: FieldErrors,
    /// Frames besides the first (registered through the API), kept as they are.
    other_frames: usize,
    insecure: Vec<String>,
    warning: &'static str,
    saved: bool,
}

/// `GET /settings/integrations/dashboard_apps`: the list.
async fn list_apps(
    State(state): State<AppState>,
    Admin(member): Admin,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let apps = state.services.dashboard_apps(member.account_id()).await?;
    let rows = apps
        .into_iter()
        .map(|app| {
            let path = format!("/settings/{SECTION}/{}", app.id.get());
            let urls = app.content.iter().map(|f| f.url.clone());
            let insecure = !insecure(urls.chain(app.allowed_origins.clone()).collect()).is_empty();
            AppRow {
                delete_href: member.shell.url(&format!("{path}/delete")),
                href: member.shell.url(&path),
                url: app
                    .content
                    .first()
                    .map(|f| f.url.clone())
                    .unwrap_or_default(),
                title: app.title,
                allowed_origins: app.allowed_origins,
                insecure,
            }
        })
        .collect();
    let page = AppsPage {
        shell: member.shell.at("settings"),
        nav: nav(&member.shell, SECTION),
        rows,
        warning: INSECURE_WARNING,
        saved: saved(&query),
    };
    Ok(with_status(StatusCode::OK, render(&page)?))
}

fn form_page(
    member: &Member,
    app: Option<&DashboardApp>,
    form: AppForm,
    errors: FieldErrors,
    saved: bool,
    status: StatusCode,
) -> Result<Response, PageError> {
    let page = AppFormPage {
        shell: member.shell.at("settings"),
        nav: nav(&member.shell, SECTION),
        id: app.map(|a| a.id.get()),
        title: app.map(|a| a.title.clone()).unwrap_or_default(),
        insecure: form.insecure(),
        form,
        errors,
        other_frames: app.map_or(0, |a| a.content.len().saturating_sub(1)),
        warning: INSECURE_WARNING,
        saved,
    };
    Ok(with_status(status, render(&page)?))
}

/// `GET /settings/integrations/dashboard_apps/new`: the form to add an app.
async fn new_app(Admin(member): Admin) -> Result<Response, PageError> {
    form_page(
        &member,
        None,
        AppForm::default(),
        FieldErrors::none(),
        false,
        StatusCode::OK,
    )
}

/// `POST /settings/integrations/dashboard_apps`: adds an app.
async fn create_app(
    State(state): State<AppState>,
    Admin(member): Admin,
    headers: HeaderMap,
    Form(form): Form<AppForm>,
) -> Result<Response, PageError> {
    member.signed_in.check_csrf(&headers, &form.csrf)?;
    let content = form.content(None);
    let origins = form.origins();
    let result = state
        .services
        .create_dashboard_app(
            member.account_id(),
            member.signed_in.user.id,
            &AppInput {
                title: Some(&form.title),
                content: Some(&content),
                allowed_origins: Some(&origins),
                settings: None,
            },
        )
        .await;
    match result {
        Ok(_) => Ok(back_to(&member, &format!("/settings/{SECTION}?saved=1"))),
        Err(e) => {
            let (status, errors) = form.errors(e)?;
            form_page(&member, None, form, errors, false, status)
        }
    }
}

/// `GET /settings/integrations/dashboard_apps/{id}`: the form to change an app.
async fn show_app(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let app = state
        .services
        .dashboard_app(member.account_id(), DashboardAppId(id))
        .await?;
    let form = AppForm::of(&app);
    let saved = saved(&query);
    form_page(
        &member,
        Some(&app),
        form,
        FieldErrors::none(),
        saved,
        StatusCode::OK,
    )
}

/// `POST /settings/integrations/dashboard_apps/{id}`: changes an app.
async fn update_app(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    headers: HeaderMap,
    Form(form): Form<AppForm>,
) -> Result<Response, PageError> {
    member.signed_in.check_csrf(&headers, &form.csrf)?;
    let account = member.account_id();
    let app = state
        .services
        .dashboard_app(account, DashboardAppId(id))
        .await?;
    let content = form.content(Some(&app));
    let origins = form.origins();
    let result = state
        .services
        .update_dashboard_app(
            account,
            app.id,
            &AppInput {
                title: Some(&form.title),
                content: Some(&content),
                allowed_origins: Some(&origins),
                settings: None,
            },
        )
        .await;
    match result {
        Ok(_) => Ok(back_to(
            &member,
            &format!("/settings/{SECTION}/{id}?saved=1"),
        )),
        Err(e) => {
            let (status, errors) = form.errors(e)?;
            form_page(&member, Some(&app), form, errors, false, status)
        }
    }
}

/// `GET /settings/integrations/dashboard_apps/{id}/delete`: asks before deleting.
async fn confirm_delete_app(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
) -> Result<Html<String>, PageError> {
    let app = state
        .services
        .dashboard_app(member.account_id(), DashboardAppId(id))
        .await?;
    let path = format!("/settings/{SECTION}/{id}");
    confirm(
        &member,
        SECTION,
        format!("Delete the dashboard app “{}”?", app.title),
        "Its tab disappears from every conversation. The app itself is not affected.".into(),
        member.shell.url(&format!("{path}/delete")),
        "Delete dashboard app",
        member.shell.url(&format!("/settings/{SECTION}")),
    )
}

/// `POST /settings/integrations/dashboard_apps/{id}/delete`: deletes the app.
async fn delete_app(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    headers: HeaderMap,
    Form(form): Form<AppForm>,
) -> Result<Response, PageError> {
    member.signed_in.check_csrf(&headers, &form.csrf)?;
    state
        .services
        .delete_dashboard_app(member.account_id(), DashboardAppId(id))
        .await?;
    Ok(back_to(&member, &format!("/settings/{SECTION}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxidesk_domain::ValidationErrors;

    #[test]
    fn origins_are_the_non_blank_lines() {
        let form = AppForm {
            allowed_origins: " https://a.example \r\n\n\nhttp://b.example\n  ".into(),
            ..AppForm::default()
        };
        assert_eq!(
            form.origins(),
            vec!["https://a.example", "http://b.example"]
        );
        assert_eq!(
            form.origin_lines(),
            vec![
                (1, "https://a.example".to_owned()),
                (4, "http://b.example".to_owned())
            ]
        );
        assert_eq!(form.insecure(), vec!["http://b.example"]);
    }

    #[test]
    fn an_error_on_an_origin_names_its_line() {
        let form = AppForm {
            allowed_origins: "https://a.example\n\njavascript:alert(1)".into(),
            ..AppForm::default()
        };
        let mut errors = ValidationErrors::new();
        errors.push("allowed_origins[1]", "must be an origin (got 'x')");
        let (status, shown) = form
            .errors(ServiceError::Invalid(errors))
            .unwrap_or_else(|_| (StatusCode::OK, FieldErrors::none()));
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            shown.get("allowed_origins"),
            Some("Line 3 must be an origin (got 'x')")
        );
    }
}
