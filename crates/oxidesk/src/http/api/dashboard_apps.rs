//! `/api/v1/accounts/{account_id}/dashboard_apps`: the apps shown as tabs beside conversations.
//!
//! Bodies are `{title, content: [{type: "frame", url}]}`, bare or wrapped in `dashboard_app`
//! (Chatwoot's dashboard wraps, its docs do not), plus Oxidesk's optional `allowed_origins`
//! (extra origins that may receive the app's context; clients that never send it work as with
//! Chatwoot). Every member may list and show; only administrators may create, update or delete
//! (Chatwoot forgot that check).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use oxidesk_domain::app_settings::AppSettingsInput;
use oxidesk_domain::apps::AppFrameInput;
use oxidesk_domain::{AppSettings, DashboardApp, DashboardAppId};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ErrorBody;
use super::extract::{AccountCaller, AdminCaller, ApiJson, ApiPath, parse_json};
use crate::http::{ApiError, AppState};
use crate::service::AppInput;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_dashboard_apps, create_dashboard_app))
        .routes(routes!(
            get_dashboard_app,
            update_dashboard_app,
            replace_dashboard_app,
            delete_dashboard_app
        ))
}

/// One frame of an app.
#[derive(Debug, Serialize, ToSchema)]
pub struct FrameView {
    /// `frame`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The URL the frame loads.
    pub url: String,
}

/// A dashboard app, as Chatwoot serves it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DashboardAppView {
    /// Id.
    pub id: i64,
    /// The tab's name.
    pub title: String,
    /// The frames.
    pub content: Vec<FrameView>,
    /// Oxidesk: extra origins (besides the frames') that may receive the app's context, e.g.
    /// the origin of a login page the app redirects to. Empty unless set.
    pub allowed_origins: Vec<String>,
    /// Oxidesk: scopes, withheld data, visibility, placements, lifecycle
    /// (`docs/dashboard-apps.md`, "Settings").
    #[schema(value_type = Object)]
    pub settings: AppSettings,
    /// Oxidesk: loads that failed in agents' browsers, and the last one's reason.
    pub load_failures: i64,
    /// Oxidesk: the last failed load's reason (null if none).
    pub last_failure: Option<String>,
    /// Oxidesk: when it happened (Unix seconds; null if none).
    pub last_failure_at: Option<i64>,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub updated_at: i64,
}

impl From<&DashboardApp> for DashboardAppView {
    fn from(app: &DashboardApp) -> Self {
        Self {
            id: app.id.get(),
            title: app.title.clone(),
            content: app
                .content
                .iter()
                .map(|f| FrameView {
                    kind: f.kind.clone(),
                    url: f.url.clone(),
                })
                .collect(),
            allowed_origins: app.allowed_origins.clone(),
            settings: app.settings.clone(),
            load_failures: app.load_failures,
            last_failure: app.last_failure.as_ref().map(|(reason, _)| reason.clone()),
            last_failure_at: app.last_failure.as_ref().map(|(_, at)| at.secs()),
            created_at: app.created_at.secs(),
            updated_at: app.updated_at.secs(),
        }
    }
}

/// A frame as sent.
#[derive(Debug, Deserialize, ToSchema)]
pub struct FrameRequest {
    /// Must be `frame`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// An absolute http(s) URL.
    pub url: Option<String>,
}

/// Body of create and update (also accepted wrapped as `{"dashboard_app": {...}}`).
#[derive(Debug, Deserialize, ToSchema)]
pub struct DashboardAppRequest {
    /// The tab's name (required on create).
    pub title: Option<String>,
    /// At least one frame (required on create).
    pub content: Option<Vec<FrameRequest>>,
    /// Oxidesk: up to 10 extra origins (`https://login.example.com`; a URL with a path counts
    /// as its origin) that may receive the app's context. Optional; on update, omitted or
    /// `null` keeps the current list and `[]` clears it.
    pub allowed_origins: Option<Vec<String>>,
    /// Oxidesk: `{scopes, withheld, visibility: {inbox_ids, team_ids, roles, only_creator},
    /// placements, lifecycle}`, each part optional; on update a part not given stays.
    #[schema(value_type = Option<Object>)]
    pub settings: Option<AppSettingsInput>,
}

/// A create or update body, read.
struct AppBody {
    title: Option<String>,
    content: Option<Vec<AppFrameInput>>,
    allowed_origins: Option<Vec<String>>,
    settings: Option<AppSettingsInput>,
}

impl AppBody {
    fn input(&self) -> AppInput<'_> {
        AppInput {
            title: self.title.as_deref(),
            content: self.content.as_deref(),
            allowed_origins: self.allowed_origins.as_deref(),
            settings: self.settings.as_ref(),
        }
    }
}

/// Reads a body that may be wrapped in `dashboard_app`.
fn unwrap_body(body: Value) -> Result<AppBody, ApiError> {
    let inner = match body {
        Value::Object(mut map) if map.get("dashboard_app").is_some_and(Value::is_object) => {
            map.remove("dashboard_app").unwrap_or(Value::Null)
        }
        other => other,
    };
    let request: DashboardAppRequest = parse_json(inner.to_string().as_bytes())?;
    let content = request.content.map(|items| {
        items
            .into_iter()
            .map(|f| AppFrameInput {
                kind: f.kind,
                url: f.url,
            })
            .collect()
    });
    Ok(AppBody {
        title: request.title,
        content,
        allowed_origins: request.allowed_origins,
        settings: request.settings,
    })
}

/// `{account_id}/dashboard_apps/{id}`.
#[derive(Debug, Deserialize)]
pub struct AppPath {
    /// The account (checked by `AccountCaller`).
    #[allow(dead_code)]
    pub account_id: i64,
    /// The app.
    pub id: i64,
}

/// The account's dashboard apps.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/dashboard_apps", tag = "dashboard_apps",
    security(("userApiKey" = [])), params(("account_id" = i64, Path)),
    responses((status = 200, body = Vec<DashboardAppView>), (status = 401, body = ErrorBody)))]
async fn list_dashboard_apps(
    State(state): State<AppState>,
    caller: AccountCaller,
) -> Result<Json<Vec<DashboardAppView>>, ApiError> {
    let apps = state.services.dashboard_apps(caller.account).await?;
    Ok(Json(apps.iter().map(DashboardAppView::from).collect()))
}

/// One dashboard app.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/dashboard_apps/{id}", tag = "dashboard_apps",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = DashboardAppView), (status = 404, body = ErrorBody)))]
async fn get_dashboard_app(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<AppPath>,
) -> Result<Json<DashboardAppView>, ApiError> {
    let app = state
        .services
        .dashboard_app(caller.account, DashboardAppId(path.id))
        .await?;
    Ok(Json(DashboardAppView::from(&app)))
}

/// Registers a dashboard app (administrators only).
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/dashboard_apps", tag = "dashboard_apps",
    security(("userApiKey" = [])), params(("account_id" = i64, Path)), request_body = DashboardAppRequest,
    responses((status = 200, body = DashboardAppView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_dashboard_app(
    State(state): State<AppState>,
    caller: AdminCaller,
    ApiJson(body): ApiJson<Value>,
) -> Result<Json<DashboardAppView>, ApiError> {
    let body = unwrap_body(body)?;
    let app = state
        .services
        .create_dashboard_app(caller.account, caller.user.id, &body.input())
        .await?;
    Ok(Json(DashboardAppView::from(&app)))
}

/// Changes a dashboard app (administrators only); parts not given stay.
#[utoipa::path(patch, path = "/api/v1/accounts/{account_id}/dashboard_apps/{id}", tag = "dashboard_apps",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)), request_body = DashboardAppRequest,
    responses((status = 200, body = DashboardAppView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_dashboard_app(
    State(state): State<AppState>,
    caller: AdminCaller,
    ApiPath(path): ApiPath<AppPath>,
    ApiJson(body): ApiJson<Value>,
) -> Result<Json<DashboardAppView>, ApiError> {
    let body = unwrap_body(body)?;
    let app = state
        .services
        .update_dashboard_app(caller.account, DashboardAppId(path.id), &body.input())
        .await?;
    Ok(Json(DashboardAppView::from(&app)))
}

/// Same as PATCH (Chatwoot routes both).
#[utoipa::path(put, path = "/api/v1/accounts/{account_id}/dashboard_apps/{id}", tag = "dashboard_apps",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)), request_body = DashboardAppRequest,
    responses((status = 200, body = DashboardAppView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn replace_dashboard_app(
    state: State<AppState>,
    caller: AdminCaller,
    path: ApiPath<AppPath>,
    body: ApiJson<Value>,
) -> Result<Json<DashboardAppView>, ApiError> {
    update_dashboard_app(state, caller, path, body).await
}

/// Removes a dashboard app (administrators only): 204.
#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/dashboard_apps/{id}", tag = "dashboard_apps",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 204, description = "Deleted"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_dashboard_app(
    State(state): State<AppState>,
    caller: AdminCaller,
    ApiPath(path): ApiPath<AppPath>,
) -> Result<StatusCode, ApiError> {
    state
        .services
        .delete_dashboard_app(caller.account, DashboardAppId(path.id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
