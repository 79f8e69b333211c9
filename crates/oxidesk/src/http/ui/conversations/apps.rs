//! Dashboard Apps beside the open conversation: one tab per app of the account, the context
//! (`appContext`) and its signed tokens (one per app and theme) embedded in the page for
//! `static/js/apps.js` to post to the apps' frames, the JSON of a fresh context and tokens for
//! live updates, and the CSP that lets exactly those apps' origins be framed.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use oxidesk_domain::app_url::fill;
use oxidesk_domain::apps::{AppViewer, origin_of};
use oxidesk_domain::{AccountId, AppPlacement, Conversation, DashboardApp, Withheld};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::display_id;
use super::open::OpenPath;
use crate::http::headers::content_security_policy;
use crate::http::ui::shell::Member;
use crate::http::{AppState, PageError};
use crate::service::{AppTokens, ServiceError};
use crate::views::{AppContextView, ConversationView};

/// An app's tab and panel on the conversation page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AppTab {
    /// The app's id (element ids `tab-app-{id}`, `panel-app-{id}`).
    pub id: i64,
    /// The tab's name.
    pub title: String,
    /// The frames' URLs (http(s) only), templates filled in.
    pub frames: Vec<String>,
    /// Where: `conversation_tab` or `conversation_sidebar`.
    pub placement: &'static str,
    /// For administrators only: the app's extra allowed origins (JSON), which the "allow this
    /// origin" button extends.
    pub allowed: Option<String>,
    /// The origins the app's frames may be at, as a JSON array: where its context is posted and
    /// whose `fetch-info` requests are answered.
    pub origins: String,
    /// What the protocol's `connect` tells the app about itself, as JSON: `{app: {id, title},
    /// scopes, withheld}`.
    pub protocol: String,
    /// `per_conversation` or `persistent`: whether the page keeps the app's frame when the
    /// agent opens another conversation (`static/js/conversation-switch.js`).
    pub lifecycle: &'static str,
}

/// What the protocol's `connect` answers about `app` (JSON `{app: {id, title}, scopes,
/// withheld}`).
pub(crate) fn protocol_about(app: &DashboardApp) -> String {
    serde_json::json!({
        "app": {"id": app.id, "title": app.title},
        "scopes": app.settings.scopes,
        "withheld": app.settings.withheld,
    })
    .to_string()
}

/// The apps' tabs, the `appContext` data as JSON and its tokens as JSON (both empty without
/// apps), and every origin the page may frame.
pub(super) struct Apps {
    pub tabs: Vec<AppTab>,
    pub side: Vec<AppTab>,
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
    let apps = on_conversation(
        services
            .visible_dashboard_apps(account, &viewer(member, conversation))
            .await?,
    );
    if apps.is_empty() {
        return Ok(Apps {
            tabs: Vec::new(),
            side: Vec::new(),
            context: String::new(),
            tokens: String::new(),
            frame_origins: Vec::new(),
        });
    }
    let context = services
        .app_context_of(account, conversation, view.clone(), member.user())
        .await?;
    let tokens = to_json(&tokens(state, member, conversation, &apps, &context).await?)?;
    let values = serde_json::to_value(&context)
        .map_err(|e| ServiceError::Internal(format!("app context: {e}")))?;
    let context = to_json(&context)?;
    let mut frame_origins: Vec<String> = Vec::new();
    let (mut tabs, mut side) = (Vec::new(), Vec::new());
    for app in &apps {
        let origins = app.origins();
        for origin in &origins {
            if !frame_origins.contains(origin) {
                frame_origins.push(origin.clone());
            }
        }
        let values = template_values(&values, account, app);
        let tab = |placement| AppTab {
            id: app.id.get(),
            title: app.title.clone(),
            frames: app
                .content
                .iter()
                .filter(|f| origin_of(&f.url).is_some())
                .map(|f| fill(&f.url, &values))
                .collect(),
            placement,
            allowed: member
                .shell
                .is_admin
                .then(|| serde_json::Value::from(app.allowed_origins.clone()).to_string()),
            origins: serde_json::Value::from(origins.clone()).to_string(),
            protocol: protocol_about(app),
            lifecycle: app.settings.lifecycle.as_str(),
        };
        if app.placed_at(AppPlacement::ConversationTab) {
            tabs.push(tab("conversation_tab"));
        }
        if app.placed_at(AppPlacement::ConversationSidebar) {
            side.push(tab("conversation_sidebar"));
        }
    }
    Ok(Apps {
        tabs,
        side,
        context,
        tokens,
        frame_origins,
    })
}

/// The apps placed on the conversation page (a tab or the side column).
fn on_conversation(mut apps: Vec<DashboardApp>) -> Vec<DashboardApp> {
    apps.retain(|app| {
        app.placed_at(AppPlacement::ConversationTab)
            || app.placed_at(AppPlacement::ConversationSidebar)
    });
    apps
}

/// Who looks at `conversation`, for the apps' visibility rules.
pub(super) fn viewer(member: &Member, conversation: &Conversation) -> AppViewer {
    AppViewer {
        user: member.user().id,
        role: member.membership.role,
        conversation: Some((conversation.inbox_id, conversation.team_id)),
    }
}

/// What an app's URL templates are filled from (`docs/dashboard-apps.md`, "URL templates"):
/// the context (`context`: the `appContext` data as JSON) as the app receives it, less what its
/// settings withhold.
pub(crate) fn template_values(context: &Value, account: AccountId, app: &DashboardApp) -> Value {
    let pick = |from: &Value, keys: &[&str]| -> Value {
        let mut out = serde_json::Map::new();
        for key in keys {
            if let Some(value) = from.get(*key) {
                out.insert((*key).to_owned(), value.clone());
            }
        }
        Value::Object(out)
    };
    let conversation = context.get("conversation").unwrap_or(&Value::Null);
    let mut contact = pick(
        context.get("contact").unwrap_or(&Value::Null),
        &[
            "id",
            "name",
            "email",
            "phone_number",
            "identifier",
            "custom_attributes",
        ],
    );
    if let Value::Object(contact) = &mut contact {
        if app.settings.withholds(Withheld::ContactEmail) {
            contact.remove("email");
        }
        if app.settings.withholds(Withheld::ContactPhone) {
            contact.remove("phone_number");
        }
    }
    json!({
        "conversation": pick(conversation, &["id", "uuid", "status", "custom_attributes"]),
        "contact": contact,
        "agent": context.get("currentAgent").cloned().unwrap_or(Value::Null),
        "account": {"id": account.get()},
        "inbox": {"id": conversation.get("inbox_id").cloned().unwrap_or(Value::Null)},
        "team": {"id": conversation.get("team_id").cloned().unwrap_or(Value::Null)},
    })
}

/// Sets the conversation page's Content-Security-Policy on `response`: `frame-src` lists
/// exactly `origins`.
pub(crate) fn with_csp(response: impl IntoResponse, origins: &[String]) -> Response {
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
/// posts to its apps. Only for a member who sees an app there (else 403, see [`no_app`]), or
/// an administrator's simulator (`?preview=1`).
pub(super) async fn get_context(
    State(state): State<AppState>,
    member: Member,
    Path(path): Path<OpenPath>,
    Query(query): Query<ContextQuery>,
) -> Result<Json<FreshContext>, PageError> {
    let id = display_id(&path.display_id)?;
    let account = member.account_id();
    let services = &state.services;
    let conversation = services.conversation(account, id).await?;
    // Only the apps this agent sees here get tokens, and without one there is nothing to
    // give a context to.
    let apps = on_conversation(
        services
            .visible_dashboard_apps(account, &viewer(&member, &conversation))
            .await?,
    );
    // The simulator (Settings > Integrations > Dashboard apps > Preview) is for
    // administrators, who may preview an app with any conversation.
    let previewing = query.preview.is_some() && member.shell.is_admin;
    if apps.is_empty() && !previewing {
        return Err(no_app());
    }
    let data = services
        .app_context(account, &conversation, member.user())
        .await?;
    let tokens = tokens(&state, &member, &conversation, &apps, &data).await?;
    Ok(Json(FreshContext { data, tokens }))
}

/// `?preview=1`: asked by the simulator.
#[derive(Debug, Deserialize)]
pub(super) struct ContextQuery {
    #[serde(default)]
    preview: Option<String>,
}

/// The answer of a context endpoint to a member who sees no app there: `403`. The context is
/// what apps receive; the data in it is readable through the API anyway, but an endpoint made
/// for apps has no business serving it where there is none.
pub(crate) fn no_app() -> PageError {
    PageError::new(
        StatusCode::FORBIDDEN,
        "No dashboard app is shown to you here, so there is no app context to give.",
    )
}

/// The apps of the open conversation as `GET …/{display_id}/apps` gives them.
#[derive(Debug, Serialize)]
pub(super) struct AppsNow {
    tabs: Vec<AppTab>,
    side: Vec<AppTab>,
}

/// `GET …/conversations/{display_id}/apps`: the apps `member` sees on this conversation now,
/// their frames' URLs filled in (`{tabs, side}`), which the page fetches when an app is added,
/// changed or removed (`static/js/app-live.js`).
pub(super) async fn get_apps(
    State(state): State<AppState>,
    member: Member,
    Path(path): Path<OpenPath>,
) -> Result<Json<AppsNow>, PageError> {
    let id = display_id(&path.display_id)?;
    let account = member.account_id();
    let conversation = state.services.conversation(account, id).await?;
    let view = state
        .services
        .conversation_view(account, &conversation)
        .await?;
    let apps = build(&state, &member, &conversation, &view).await?;
    Ok(Json(AppsNow {
        tabs: apps.tabs,
        side: apps.side,
    }))
}
