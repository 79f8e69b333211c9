//! Settings > Integrations > Dashboard apps > Audit log: every action an app asked for (done,
//! denied or invalid), newest first, filtered by app, action and outcome, 50 a page.

use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use oxidesk_domain::{AppAction, AppActionOutcome, UserId};
use oxidesk_store::AuditFilter;

use super::forms::with_status;
use super::{Admin, NavItem, nav};
use crate::http::pages::render;
use crate::http::ui::shell::Shell;
use crate::http::{AppState, PageError};

/// The log's page size.
const PAGE: i64 = 50;

pub(super) fn router() -> Router<AppState> {
    Router::new().route(
        "/app/accounts/{account_id}/settings/integrations/dashboard_apps/audit",
        get(audit_page),
    )
}

/// One `<option>`.
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

/// One line of the log as shown.
struct Line {
    when: String,
    app: String,
    action: String,
    agent: String,
    conversation: Option<(i64, String)>,
    outcome: &'static str,
    detail: String,
    params: String,
}

#[derive(Template)]
#[template(path = "pages/settings_app_audit.html")]
struct AuditPage {
    shell: Shell,
    nav: Vec<NavItem>,
    apps: Vec<Choice>,
    actions: Vec<Choice>,
    outcomes: Vec<Choice>,
    lines: Vec<Line>,
    older: Option<String>,
    filtered: bool,
}

fn choices(values: Vec<(String, String)>, chosen: Option<&str>) -> Vec<Choice> {
    values
        .into_iter()
        .map(|(value, label)| Choice {
            selected: chosen == Some(value.as_str()),
            value,
            label,
        })
        .collect()
}

/// `GET …/settings/integrations/dashboard_apps/audit?app_id=&action=&outcome=&before=`.
async fn audit_page(
    State(state): State<AppState>,
    Admin(member): Admin,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query.as_deref().unwrap_or("")).unwrap_or_default();
    let get = |key: &str| {
        pairs
            .iter()
            .rev()
            .find(|(k, v)| k == key && !v.is_empty())
            .map(|(_, v)| v.clone())
    };
    let bad = |what: &str| PageError::new(StatusCode::BAD_REQUEST, format!("Unknown {what}."));
    let app_id = match get("app_id") {
        Some(v) => Some(v.parse::<i64>().map_err(|_| bad("app"))?),
        None => None,
    };
    let action = match get("action") {
        Some(v) => Some(v.parse::<AppAction>().map_err(|_| bad("action"))?),
        None => None,
    };
    let outcome = match get("outcome") {
        Some(v) => Some(v.parse::<AppActionOutcome>().map_err(|_| bad("outcome"))?),
        None => None,
    };
    let before = match get("before") {
        Some(v) => Some(v.parse::<i64>().map_err(|_| bad("page"))?),
        None => None,
    };
    let account = member.account_id();
    let filter = AuditFilter {
        app_id,
        action: action.map(|a| a.as_str().to_owned()),
        outcome,
        ..AuditFilter::default()
    };
    let services = &state.services;
    let mut entries = services
        .app_audit(account, &filter, before, PAGE + 1)
        .await?;
    let older_than = if entries.len() as i64 > PAGE {
        entries.truncate(PAGE as usize);
        entries.last().map(|e| e.id)
    } else {
        None
    };
    let users: Vec<UserId> = entries
        .iter()
        .filter_map(|e| e.user_id.map(UserId))
        .collect();
    let agents = services
        .store
        .agents_by_ids(account, &users)
        .await
        .map_err(crate::service::ServiceError::from)?;
    let lines = entries
        .into_iter()
        .map(|e| Line {
            when: e.created_at.to_rfc3339()[..16].replace('T', " ") + " UTC",
            app: e.app_title,
            action: e.action,
            agent: e
                .user_id
                .and_then(|u| agents.get(&UserId(u)))
                .map_or_else(|| "—".to_owned(), |a| a.user.available_name().to_owned()),
            conversation: e
                .conversation_id
                .map(|id| (id, member.shell.url(&format!("/conversations/{id}")))),
            outcome: e.outcome.as_str(),
            detail: e.detail.unwrap_or_default(),
            params: e.params.to_string(),
        })
        .collect();
    let apps = services.dashboard_apps(account).await?;
    let chosen_app = app_id.map(|id| id.to_string());
    let filters = |before: i64| {
        let mut query: Vec<(&str, String)> = Vec::new();
        if let Some(id) = app_id {
            query.push(("app_id", id.to_string()));
        }
        if let Some(a) = action {
            query.push(("action", a.as_str().to_owned()));
        }
        if let Some(o) = outcome {
            query.push(("outcome", o.as_str().to_owned()));
        }
        query.push(("before", before.to_string()));
        serde_urlencoded::to_string(query).unwrap_or_default()
    };
    let page = AuditPage {
        shell: member.shell.at("settings"),
        nav: nav(&member.shell, "integrations/dashboard_apps"),
        apps: choices(
            apps.iter()
                .map(|a| (a.id.get().to_string(), a.title.clone()))
                .collect(),
            chosen_app.as_deref(),
        ),
        actions: choices(
            AppAction::ALL
                .iter()
                .map(|a| (a.as_str().to_owned(), a.as_str().to_owned()))
                .collect(),
            action.map(AppAction::as_str),
        ),
        outcomes: choices(
            AppActionOutcome::ALL
                .iter()
                .map(|o| (o.as_str().to_owned(), o.as_str().to_owned()))
                .collect(),
            outcome.map(AppActionOutcome::as_str),
        ),
        lines,
        older: older_than.map(|id| {
            member.shell.url(&format!(
                "/settings/integrations/dashboard_apps/audit?{}",
                filters(id)
            ))
        }),
        filtered: app_id.is_some() || action.is_some() || outcome.is_some(),
    };
    Ok(with_status(StatusCode::OK, render(&page)?))
}
