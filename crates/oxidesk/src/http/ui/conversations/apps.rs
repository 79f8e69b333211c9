//! Dashboard Apps beside the open conversation: one tab per app of the account, the context
//! (`appContext`) and its signed tokens (one per app and theme) embedded in the page for
//! `static/js/apps.js` to post to the apps' frames, the JSON of a fresh context and tokens for
//! live updates, and the CSP that lets exactly those apps' origins be framed.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use oxidesk_domain::apps::origin_of;
use oxidesk_domain::{Conversation, DashboardApp};
use serde::Serialize;

use super::display_id;
use super::open::OpenPath;
use crate::http::headers::content_security_policy;
use crate::http::ui::shell::Member;
use crate::http::{AppState, PageError};
use crate::service::{AppTokens, ServiceError};
use crate::views::{AppContextView, ConversationView};

/// An app's tab and panel on the conversation page.
#[derive(Debug, Clone)]
pub(super) struct AppTab {
    /// The app's id (element ids `tab-app-{id}`, `panel-app-{id}`).
    pub id: i64,
    /// The tab's name.
    pub title: String,
    /// The frames' URLs (http(s) only).
    pub frames: Vec<String>,
    /// The origins the app's frames may be at, as a JSON array: where its context is posted and
    /// whose `fetch-info` requests are answered.
    pub origins: String,
    /// What the protocol's `connect` tells the app about itself, as JSON: `{app: {id, title},
    /// scopes, withheld}`.
    pub protocol: String,
}

/// The apps' tabs, the `appContext` data as JSON and its tokens as JSON (both empty without
/// apps), and every origin the page may frame.
pub(super) struct Apps {
    pub tabs: Vec<AppTab>,
    pub context: String,
    pub tokens: String,
    pub frame_origins: Vec<String>,
}

/// A fresh context: the `appContext` data (less `theme`) and its tokens.
#[derive(Debug, Serialize)]
pub(super) struct FreshContext {
    data: AppContextView,
    #[serde(flatten)]
    tokens: AppTokens,
}

/// Signs `data` for each of `apps`, as this instance's public URL.
async fn tokens(
    state: &AppState,
    member: &Member,
    conversation: &Conversation,
    apps: &[DashboardApp],
    data: &AppContextView,
) -> Result<AppTokens, ServiceError> {
    let issuer = state.config.public_url();
    let account = member.account_id();
    state
        .services
        .app_context_tokens(&issuer, account, conversation, member.user(), apps, data)
        .await
}

fn to_json(value: &impl Serialize) -> Result<String, ServiceError> {
    serde_json::to_string(value).map_err(|e| ServiceError::Internal(format!("app context: {e}")))
}

/// Builds the apps part of the conversation page for `member`.
pub(super) async fn build(
    state: &AppState,
    member: &Member,
    conversation: &Conversation,
    view: &ConversationView,
) -> Result<Apps, PageError> {
    let account = member.account_id();
    let services = &state.services;
    let apps = services.dashboard_apps(account).await?;
    if apps.is_empty() {
        return Ok(Apps {
            tabs: Vec::new(),
            context: String::new(),
            tokens: String::new(),
            frame_origins: Vec::new(),
        });
    }
    let context = services
        .app_context_of(account, conversation, view.clone(), member.user())
        .await?;
    let tokens = to_json(&tokens(state, member, conversation, &apps, &context).await?)?;
    let context = to_json(&context)?;
    let mut frame_origins: Vec<String> = Vec::new();
    let tabs = apps
        .iter()
        .map(|app| {
            let origins = app.origins();
            for origin in &origins {
                if !frame_origins.contains(origin) {
                    frame_origins.push(origin.clone());
                }
            }
            AppTab {
                id: app.id.get(),
                title: app.title.clone(),
                frames: app
                    .content
                    .iter()
                    .filter(|f| origin_of(&f.url).is_some())
                    .map(|f| f.url.clone())
                    .collect(),
                origins: serde_json::Value::from(origins).to_string(),
                protocol: serde_json::json!({
                    "app": {"id": app.id, "title": app.title},
                    "scopes": app.settings.scopes,
                    "withheld": app.settings.withheld,
                })
                .to_string(),
            }
        })
        .collect();
    Ok(Apps {
        tabs,
        context,
        tokens,
        frame_origins,
    })
}

/// Sets the conversation page's Content-Security-Policy on `response`: `frame-src` lists
/// exactly `origins`.
pub(super) fn with_csp(response: impl IntoResponse, origins: &[String]) -> Response {
    let policy = HeaderValue::from_str(&content_security_policy(origins)).unwrap_or_else(|_| {
        HeaderValue::from_static(crate::http::headers::CONTENT_SECURITY_POLICY)
    });
    let mut response = response.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_SECURITY_POLICY, policy);
    response
}

/// `GET …/conversations/{display_id}/context`: a fresh `appContext` data object (less
/// `theme`) with its tokens (`{data, tokens: {app id: {light, dark}}, expires_at}`), which the
/// page fetches when the conversation changes, or when its tokens are about to expire, and
/// posts to its apps.
pub(super) async fn get_context(
    State(state): State<AppState>,
    member: Member,
    Path(path): Path<OpenPath>,
) -> Result<Json<FreshContext>, PageError> {
    let id = display_id(&path.display_id)?;
    let account = member.account_id();
    let services = &state.services;
    let conversation = services.conversation(account, id).await?;
    let data = services
        .app_context(account, &conversation, member.user())
        .await?;
    let apps = services.dashboard_apps(account).await?;
    let tokens = tokens(&state, &member, &conversation, &apps, &data).await?;
    Ok(Json(FreshContext { data, tokens }))
}
