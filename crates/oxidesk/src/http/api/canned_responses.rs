//! `/api/v1/accounts/{account_id}/canned_responses`: the account's saved replies. As in
//! Chatwoot, every member of the account reads and manages them (its controller has no
//! policy); a short code is unique per account. Chatwoot's shapes: a bare array, and the fields
//! in `canned_response` or at the top level (Rails accepts both).

use axum::Json;
use axum::extract::State;
use oxidesk_domain::CannedResponseId;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ErrorBody;
use super::extract::{AccountCaller, ApiJson, ApiPath, ApiQuery};
use crate::http::{ApiError, AppState};
use crate::service::{CannedFields, CannedResponseView};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_canned_responses, create_canned_response))
        .routes(routes!(
            get_canned_response,
            update_canned_response,
            replace_canned_response,
            delete_canned_response
        ))
}

/// `{account_id}/canned_responses/{id}`.
#[derive(Debug, Deserialize)]
pub struct CannedPath {
    /// The account (checked by `AccountCaller`).
    #[allow(dead_code)]
    pub account_id: i64,
    /// The canned response.
    pub id: i64,
}

/// A canned response's fields.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CannedFieldsRequest {
    /// What the agent types after `/` (required when creating; no spaces).
    pub short_code: Option<String>,
    /// The text inserted (required when creating).
    pub content: Option<String>,
}

/// Body of `POST`/`PATCH`: the fields, in `canned_response` or at the top level.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CannedRequest {
    /// The fields (Chatwoot's form).
    pub canned_response: Option<CannedFieldsRequest>,
    /// The fields unwrapped.
    #[serde(flatten)]
    pub fields: CannedFieldsRequest,
}

impl From<CannedRequest> for CannedFields {
    fn from(body: CannedRequest) -> Self {
        let f = body.canned_response.unwrap_or(body.fields);
        CannedFields {
            short_code: f.short_code,
            content: f.content,
        }
    }
}

/// The account's canned responses by short code; `search` keeps those whose short code or
/// content contains it, short codes starting with it first.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/canned_responses", tag = "canned_responses",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("search" = Option<String>, Query)),
    responses((status = 200, body = Vec<CannedResponseView>), (status = 401, body = ErrorBody)))]
async fn list_canned_responses(
    State(state): State<AppState>,
    caller: AccountCaller,
    query: ApiQuery,
) -> Result<Json<Vec<CannedResponseView>>, ApiError> {
    let list = state
        .services
        .canned_responses(caller.account, query.text("search"))
        .await?;
    Ok(Json(list.iter().map(CannedResponseView::from).collect()))
}

/// One canned response.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/canned_responses/{id}", tag = "canned_responses",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = CannedResponseView), (status = 404, body = ErrorBody)))]
async fn get_canned_response(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<CannedPath>,
) -> Result<Json<CannedResponseView>, ApiError> {
    let c = state
        .services
        .canned_response(caller.account, CannedResponseId(path.id))
        .await?;
    Ok(Json(CannedResponseView::from(&c)))
}

/// Adds a canned response.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/canned_responses", tag = "canned_responses",
    security(("userApiKey" = [])), params(("account_id" = i64, Path)), request_body = CannedRequest,
    responses((status = 200, body = CannedResponseView), (status = 422, body = ErrorBody)))]
async fn create_canned_response(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiJson(body): ApiJson<CannedRequest>,
) -> Result<Json<CannedResponseView>, ApiError> {
    let c = state
        .services
        .save_canned_response(caller.account, None, &body.into())
        .await?;
    Ok(Json(CannedResponseView::from(&c)))
}

async fn update(
    state: AppState,
    caller: AccountCaller,
    id: i64,
    body: CannedRequest,
) -> Result<Json<CannedResponseView>, ApiError> {
    let c = state
        .services
        .save_canned_response(caller.account, Some(CannedResponseId(id)), &body.into())
        .await?;
    Ok(Json(CannedResponseView::from(&c)))
}

/// Changes a canned response; fields left out keep their value.
#[utoipa::path(patch, path = "/api/v1/accounts/{account_id}/canned_responses/{id}", tag = "canned_responses",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    request_body = CannedRequest,
    responses((status = 200, body = CannedResponseView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_canned_response(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<CannedPath>,
    ApiJson(body): ApiJson<CannedRequest>,
) -> Result<Json<CannedResponseView>, ApiError> {
    update(state, caller, path.id, body).await
}

/// Changes a canned response (`PUT` does what `PATCH` does, as in Rails).
#[utoipa::path(put, path = "/api/v1/accounts/{account_id}/canned_responses/{id}", tag = "canned_responses",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    request_body = CannedRequest,
    responses((status = 200, body = CannedResponseView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn replace_canned_response(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<CannedPath>,
    ApiJson(body): ApiJson<CannedRequest>,
) -> Result<Json<CannedResponseView>, ApiError> {
    update(state, caller, path.id, body).await
}

/// Deletes a canned response. Empty object.
#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/canned_responses/{id}", tag = "canned_responses",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, description = "Deleted: `{}`"), (status = 404, body = ErrorBody)))]
async fn delete_canned_response(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<CannedPath>,
) -> Result<Json<Value>, ApiError> {
    state
        .services
        .delete_canned_response(caller.account, CannedResponseId(path.id))
        .await?;
    Ok(Json(json!({})))
}
