//! `GET /api/v1/accounts/{account_id}/dashboard_apps/audit`: what dashboard apps did, and
//! tried to do, for the account's agents (administrators only). Oxidesk's; Chatwoot has no
//! such log.

use axum::Json;
use axum::extract::State;
use oxidesk_domain::{AppActionOutcome, AppAuditEntry};
use oxidesk_store::AuditFilter;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ErrorBody;
use super::extract::{AdminCaller, ApiQuery, invalid_param};
use crate::http::{ApiError, AppState};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_app_audit))
}

/// One line of the audit log.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryView {
    /// Id (newest is highest).
    pub id: i64,
    /// The app (it may have been removed since).
    pub app_id: i64,
    /// The app's title when it acted.
    pub app_title: String,
    /// The agent it acted for.
    pub user_id: Option<i64>,
    /// The conversation's id (display id), if any.
    pub conversation_id: Option<i64>,
    /// The contact, if any.
    pub contact_id: Option<i64>,
    /// The protocol method (`labels.add`, ...), as the app sent it.
    pub action: String,
    /// Its parameters, as the app sent them.
    #[schema(value_type = Object)]
    pub params: serde_json::Value,
    /// `done`, `denied` (no scope, or the agent may not) or `invalid` (bad parameters, unknown
    /// method, gone).
    pub outcome: String,
    /// What was done, or why not.
    pub detail: Option<String>,
    /// Unix seconds.
    pub created_at: i64,
}

impl From<AppAuditEntry> for AuditEntryView {
    fn from(e: AppAuditEntry) -> Self {
        Self {
            id: e.id,
            app_id: e.app_id,
            app_title: e.app_title,
            user_id: e.user_id,
            conversation_id: e.conversation_id,
            contact_id: e.contact_id,
            action: e.action,
            params: e.params,
            outcome: e.outcome.as_str().to_owned(),
            detail: e.detail,
            created_at: e.created_at.secs(),
        }
    }
}

/// A page of the log.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    /// The lines, newest first.
    pub payload: Vec<AuditEntryView>,
    /// `next_before`: pass it as `before` for the next (older) page; null on the last page.
    pub meta: AuditMeta,
}

/// Paging of the log.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditMeta {
    /// The `before` of the next page, null when there is none.
    pub next_before: Option<i64>,
}

/// The account's dashboard app audit log (administrators only), newest first, filtered by
/// `app_id`, `action`, `outcome`, `user_id`, `conversation_id`; paged by `before` (an id) and
/// `limit` (1 to 200, default 50).
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/dashboard_apps/audit", tag = "dashboard_apps",
    security(("userApiKey" = [])),
    params(("account_id" = i64, Path), ("app_id" = Option<i64>, Query), ("action" = Option<String>, Query),
        ("outcome" = Option<String>, Query), ("user_id" = Option<i64>, Query),
        ("conversation_id" = Option<i64>, Query), ("before" = Option<i64>, Query), ("limit" = Option<i64>, Query)),
    responses((status = 200, body = AuditPage), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list_app_audit(
    State(state): State<AppState>,
    AdminCaller(caller): AdminCaller,
    query: ApiQuery,
) -> Result<Json<AuditPage>, ApiError> {
    let filter = AuditFilter {
        app_id: query.int("app_id")?,
        action: query.text("action").map(str::to_owned),
        outcome: query.one_of::<AppActionOutcome>("outcome")?,
        user_id: query.int("user_id")?,
        conversation_id: query.int("conversation_id")?,
    };
    let limit = query.int("limit")?.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(invalid_param("limit", "must be between 1 and 200"));
    }
    let before = query.int("before")?;
    let entries = state
        .services
        .app_audit(caller.account, &filter, before, limit + 1)
        .await?;
    let more = entries.len() as i64 > limit;
    let payload: Vec<AuditEntryView> = entries
        .into_iter()
        .take(limit as usize)
        .map(AuditEntryView::from)
        .collect();
    let next_before = if more {
        payload.last().map(|e| e.id)
    } else {
        None
    };
    Ok(Json(AuditPage {
        payload,
        meta: AuditMeta { next_before },
    }))
}
