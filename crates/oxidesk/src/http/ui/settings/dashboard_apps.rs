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
use oxidesk_domain::{DashboardApp, DashboardAppId};

use super::app_settings_form::{SettingsChoices, SettingsForm};
use super::forms::{FieldErrors, When, saved, with_status};
use super::{Admin, ItemId, NavItem, back_to, confirm, nav};
use crate::http::pages::render;
use crate::http::ui::shell::{Member, Shell};
use crate::http::{AppState, PageError};
use crate::service::AppInput;

mod form;

use form::{AppForm, CsrfForm, insecure};

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

/// One row of the list.
struct AppRow {
    href: String,
    delete_href: String,
    title: String,
    url: String,
    allowed_origins: Vec<String>,
    insecure: bool,
    /// Loads that failed in agents' browsers.
    load_failures: i64,
    /// The last one's reason and time.
    last_failure: Option<(String, When)>,
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
    /// The settings' checkboxes.
    choices: SettingsChoices,
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
                load_failures: app.load_failures,
                last_failure: app.last_failure.map(|(why, at)| (why, When::new(at))),
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

/// The settings' choices for `form`, with the account's inboxes and teams.
async fn choices(
    state: &AppState,
    member: &Member,
    form: &AppForm,
) -> Result<SettingsChoices, PageError> {
    let account = member.account_id();
    let inboxes = state.services.inboxes(account).await?;
    let teams = state.services.teams(account).await?;
    Ok(form.settings.choices(&inboxes, &teams))
}

async fn form_page(
    state: &AppState,
    member: &Member,
    app: Option<&DashboardApp>,
    form: AppForm,
    errors: FieldErrors,
    saved: bool,
    status: StatusCode,
) -> Result<Response, PageError> {
    let choices = choices(state, member, &form).await?;
    let page = AppFormPage {
        choices,
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
async fn new_app(
    State(state): State<AppState>,
    Admin(member): Admin,
) -> Result<Response, PageError> {
    // A new app starts with the defaults: a conversation tab, a fresh frame each time.
    let form = AppForm {
        settings: SettingsForm::of(&oxidesk_domain::AppSettings::default()),
        ..AppForm::default()
    };
    form_page(
        &state,
        &member,
        None,
        form,
        FieldErrors::none(),
        false,
        StatusCode::OK,
    )
    .await
}

/// `POST /settings/integrations/dashboard_apps`: adds an app.
async fn create_app(
    State(state): State<AppState>,
    Admin(member): Admin,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = AppForm::from_pairs(pairs);
    member.signed_in.check_csrf(&headers, &form.csrf)?;
    let content = form.content(None);
    let settings = form.settings.input();
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
                settings: settings.as_ref(),
            },
        )
        .await;
    match result {
        Ok(_) => Ok(back_to(&member, &format!("/settings/{SECTION}?saved=1"))),
        Err(e) => {
            let (status, errors) = form.errors(e)?;
            form_page(&state, &member, None, form, errors, false, status).await
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
        &state,
        &member,
        Some(&app),
        form,
        FieldErrors::none(),
        saved,
        StatusCode::OK,
    )
    .await
}

/// `POST /settings/integrations/dashboard_apps/{id}`: changes an app.
async fn update_app(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = AppForm::from_pairs(pairs);
    member.signed_in.check_csrf(&headers, &form.csrf)?;
    let account = member.account_id();
    let app = state
        .services
        .dashboard_app(account, DashboardAppId(id))
        .await?;
    let content = form.content(Some(&app));
    let origins = form.origins();
    let settings = form.settings.input();
    let result = state
        .services
        .update_dashboard_app(
            account,
            app.id,
            &AppInput {
                title: Some(&form.title),
                content: Some(&content),
                allowed_origins: Some(&origins),
                settings: settings.as_ref(),
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
            form_page(&state, &member, Some(&app), form, errors, false, status).await
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
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    member.signed_in.check_csrf(&headers, &form.csrf)?;
    state
        .services
        .delete_dashboard_app(member.account_id(), DashboardAppId(id))
        .await?;
    Ok(back_to(&member, &format!("/settings/{SECTION}")))
}

#[cfg(test)]
mod tests;
