//! `/api/v1/accounts/{account_id}/labels`: the account's labels. Everyone reads; administrators
//! write.

use axum::Json;
use axum::extract::State;
use oxidesk_domain::LabelId;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ErrorBody;
use super::extract::{AccountCaller, ApiJson, ApiPath};
use crate::http::{ApiError, AppState};
use crate::service::LabelFields;
use crate::views::LabelView;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_labels, create_label))
        .routes(routes!(get_label, update_label, delete_label))
}

/// `{account_id}/labels/{id}`.
#[derive(Debug, Deserialize)]
pub struct LabelPath {
    /// The account (checked by `AccountCaller`).
    #[allow(dead_code)]
    pub account_id: i64,
    /// The label.
    pub id: i64,
}

/// The account's labels.
#[derive(Debug, Serialize, ToSchema)]
pub struct LabelList {
    /// Labels, oldest first.
    pub payload: Vec<LabelView>,
}

/// Body of `POST`/`PATCH .../labels` (Chatwoot's `label_create_update_payload`).
#[derive(Debug, Deserialize, ToSchema)]
pub struct LabelRequest {
    /// Letters, digits, `-` and `_`; stored lower-case (required when creating).
    pub title: Option<String>,
    /// What the label is for.
    pub description: Option<String>,
    /// `#rrggbb` (default `#1f93ff`).
    pub color: Option<String>,
    /// Listed in the sidebar (default true).
    pub show_on_sidebar: Option<bool>,
}

impl From<LabelRequest> for LabelFields {
    fn from(body: LabelRequest) -> Self {
        LabelFields {
            title: body.title,
            description: body.description,
            color: body.color,
            show_on_sidebar: body.show_on_sidebar,
        }
    }
}

/// The account's labels, oldest first.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/labels", tag = "labels",
    security(("userApiKey" = [])), params(("account_id" = i64, Path)),
    responses((status = 200, body = LabelList), (status = 401, body = ErrorBody)))]
async fn list_labels(
    State(state): State<AppState>,
    caller: AccountCaller,
) -> Result<Json<LabelList>, ApiError> {
    let labels = state.services.labels(caller.account).await?;
    Ok(Json(LabelList {
        payload: labels.iter().map(LabelView::from).collect(),
    }))
}

/// One label.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/labels/{id}", tag = "labels",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = LabelView), (status = 404, body = ErrorBody)))]
async fn get_label(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<LabelPath>,
) -> Result<Json<LabelView>, ApiError> {
    let label = state
        .services
        .label(caller.account, LabelId(path.id))
        .await?;
    Ok(Json(LabelView::from(&label)))
}

/// Creates a label; titles are unique in the account.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/labels", tag = "labels",
    security(("userApiKey" = [])), params(("account_id" = i64, Path)), request_body = LabelRequest,
    responses((status = 200, body = LabelView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_label(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiJson(body): ApiJson<LabelRequest>,
) -> Result<Json<LabelView>, ApiError> {
    caller.require_admin()?;
    let label = state
        .services
        .create_label_with(caller.account, &body.into())
        .await?;
    Ok(Json(LabelView::from(&label)))
}

/// Changes a label; fields left out keep their value. A new title is carried over to the
/// conversations that had the old one.
#[utoipa::path(patch, path = "/api/v1/accounts/{account_id}/labels/{id}", tag = "labels",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    request_body = LabelRequest,
    responses((status = 200, body = LabelView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_label(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<LabelPath>,
    ApiJson(body): ApiJson<LabelRequest>,
) -> Result<Json<LabelView>, ApiError> {
    caller.require_admin()?;
    let label = state
        .services
        .update_label(caller.account, LabelId(path.id), &body.into())
        .await?;
    Ok(Json(LabelView::from(&label)))
}

/// Deletes a label; conversations keep the title, as in Chatwoot.
#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/labels/{id}", tag = "labels",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, description = "Deleted: `{}`"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_label(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<LabelPath>,
) -> Result<Json<Value>, ApiError> {
    caller.require_admin()?;
    state
        .services
        .delete_label(caller.account, LabelId(path.id))
        .await?;
    Ok(Json(json!({})))
}
