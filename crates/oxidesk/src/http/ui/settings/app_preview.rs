//! Settings > Integrations > Dashboard apps > Preview: the app developer's simulator. Loads an
//! app in a frame beside either a built-in fixture or a chosen conversation of the account,
//! speaks both protocols to it with the dashboard's own host code (`static/js/app-host.js`,
//! driven by `static/js/preview.js`), shows every message exchanged in both directions, and
//! lets the developer change the context (a new message, the status, the assignee, the theme)
//! and show or hide the frame. Nothing is written: changes and the app's actions apply to the
//! preview's copy of the context only (see `docs/dashboard-apps.md`, "The simulator").

use askama::Template;
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use oxidesk_domain::DashboardAppId;
use oxidesk_domain::app_url::fill;

use super::{Admin, NavItem, nav};
use crate::http::assets::asset_url;
use crate::http::headers::content_security_policy;
use crate::http::pages::render;
use crate::http::ui::conversations::apps::template_values;
use crate::http::ui::shell::Shell;
use crate::http::{AppState, PageError};

pub(super) fn router() -> Router<AppState> {
    Router::new().route(
        "/app/accounts/{account_id}/settings/integrations/dashboard_apps/{id}/preview",
        get(preview_page),
    )
}

#[derive(Template)]
#[template(path = "pages/settings_app_preview.html")]
struct PreviewPage {
    shell: Shell,
    nav: Vec<NavItem>,
    title: String,
    url: String,
    /// `{app: {id, title}, url, origins, scopes, withheld}` for preview.js.
    config: String,
    /// The conversation chosen (display id), or none for the fixture.
    conversation: Option<i64>,
    /// Where preview.js fetches the chosen conversation's context, or "".
    context_url: String,
    back: String,
    script: String,
}

/// `GET …/settings/integrations/dashboard_apps/{id}/preview?conversation=<display id>`.
async fn preview_page(
    State(state): State<AppState>,
    Admin(member): Admin,
    Path((_, id)): Path<(i64, i64)>,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let account = member.account_id();
    let app = state
        .services
        .dashboard_app(account, DashboardAppId(id))
        .await?;
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query.as_deref().unwrap_or("")).unwrap_or_default();
    let conversation =
        match pairs
            .iter()
            .rev()
            .find(|(k, v)| k == "conversation" && !v.trim().is_empty())
        {
            Some((_, v)) => Some(v.trim().parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(
                || PageError::new(StatusCode::BAD_REQUEST, "Enter a conversation number."),
            )?),
            None => None,
        };
    // What the app's URL template is filled from: the conversation's context as the app gets
    // it, or the built-in fixture's (the same as preview.js's).
    let values = match conversation {
        Some(display) => {
            // The same 404 as the conversation page for a number the account does not have.
            let found = state
                .services
                .conversation(account, oxidesk_domain::DisplayId(display))
                .await?;
            let context = state
                .services
                .app_context(account, &found, member.user())
                .await?;
            serde_json::to_value(&context).unwrap_or_default()
        }
        None => serde_json::json!({
            "conversation": {"id": 1, "account_id": 1, "inbox_id": 1, "status": "open", "labels": ["billing"],
                             "custom_attributes": {"order_id": "A-1042"}, "meta": {}},
            "contact": {"id": 1, "name": "Alice Example", "email": "alice@example.com",
                        "phone_number": "+14155550123", "identifier": null, "custom_attributes": {"plan": "pro"}},
            "currentAgent": {"id": 1, "name": "Preview Agent", "email": "agent@example.com"},
        }),
    };
    let url = app
        .content
        .first()
        .map(|f| fill(&f.url, &template_values(&values, account, &app)))
        .unwrap_or_default();
    let origins = app.origins();
    let config = serde_json::json!({
        "app": {"id": app.id, "title": app.title},
        "url": url,
        "origins": origins,
        "scopes": app.settings.scopes,
        "withheld": app.settings.withheld,
    });
    let page = PreviewPage {
        nav: nav(&member.shell, "integrations/dashboard_apps"),
        title: app.title.clone(),
        url,
        config: config.to_string(),
        conversation,
        context_url: conversation.map_or_else(String::new, |c| {
            member
                .shell
                .url(&format!("/conversations/{c}/context?preview=1"))
        }),
        back: member.shell.url("/settings/integrations/dashboard_apps"),
        script: asset_url("js/preview.js"),
        shell: member.shell.at("settings"),
    };
    let mut response = render(&page)?.into_response();
    // The page frames the app: its CSP's frame-src lists exactly the app's origins.
    if let Ok(policy) = HeaderValue::from_str(&content_security_policy(&origins)) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    Ok(response)
}
