//! `/api/v1/accounts/{account_id}/webhooks`: the account's webhooks, administrators only (the
//! secrets are in the answers). Chatwoot's shapes: `{payload: {webhooks: [...]}}` and
//! `{payload: {webhook: {...}}}`; the body's fields may be wrapped in `webhook` or not, as
//! Rails accepts both. Oxidesk adds each webhook's delivery log and "send again".

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ErrorBody;
use super::extract::{AccountCaller, ApiJson, ApiPath};
use crate::http::{ApiError, AppState};
use crate::webhooks::{DeliveryView, WebhookFields, WebhookView};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_webhooks, create_webhook))
        .routes(routes!(update_webhook, replace_webhook, delete_webhook))
        .routes(routes!(list_deliveries))
        .routes(routes!(redeliver))
}

/// `{account_id}/webhooks/{id}`.
#[derive(Debug, Deserialize)]
pub struct WebhookPath {
    /// The account (checked by `AccountCaller`).
    #[allow(dead_code)]
    pub account_id: i64,
    /// The webhook.
    pub id: i64,
}

/// `{account_id}/webhooks/{id}/deliveries/{delivery_id}`.
#[derive(Debug, Deserialize)]
pub struct DeliveryPath {
    /// The account (checked by `AccountCaller`).
    #[allow(dead_code)]
    pub account_id: i64,
    /// The webhook.
    #[allow(dead_code)]
    pub id: i64,
    /// The delivery.
    pub delivery_id: i64,
}

/// A webhook's fields.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct WebhookFieldsRequest {
    /// `http://` or `https://` URL (required when creating).
    pub url: Option<String>,
    /// A name for people.
    pub name: Option<String>,
    /// Chatwoot event names; null or absent when creating: Chatwoot's default eight.
    pub subscriptions: Option<Vec<String>>,
    /// Accepted and ignored, as Chatwoot's delivery ignores it.
    #[allow(dead_code)]
    pub inbox_id: Option<i64>,
}

/// Body of `POST`/`PATCH`: the fields, in `webhook` or at the top level.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct WebhookRequest {
    /// The fields (Chatwoot's form).
    pub webhook: Option<WebhookFieldsRequest>,
    /// The fields unwrapped.
    #[serde(flatten)]
    pub fields: WebhookFieldsRequest,
}

impl From<WebhookRequest> for WebhookFields {
    fn from(body: WebhookRequest) -> Self {
        let f = body.webhook.unwrap_or(body.fields);
        WebhookFields {
            name: f.name,
            url: f.url,
            subscriptions: f.subscriptions,
        }
    }
}

/// `{webhooks: [...]}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookListPayload {
    /// Oldest first.
    pub webhooks: Vec<WebhookView>,
}

/// The account's webhooks.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookList {
    /// `{webhooks}`.
    pub payload: WebhookListPayload,
}

/// `{webhook: {...}}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookPayload {
    /// The webhook.
    pub webhook: WebhookView,
}

/// One webhook.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookResponse {
    /// `{webhook}`.
    pub payload: WebhookPayload,
}

/// A webhook's delivery log.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryList {
    /// Newest first, at most 100.
    pub payload: Vec<DeliveryView>,
}

fn one(webhook: WebhookView) -> Json<WebhookResponse> {
    Json(WebhookResponse {
        payload: WebhookPayload { webhook },
    })
}

/// The account's webhooks, with their secrets.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/webhooks", tag = "webhooks",
    security(("userApiKey" = [])), params(("account_id" = i64, Path)),
    responses((status = 200, body = WebhookList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list_webhooks(
    State(state): State<AppState>,
    caller: AccountCaller,
) -> Result<Json<WebhookList>, ApiError> {
    caller.require_admin()?;
    let webhooks = state.services.webhooks(caller.account).await?;
    Ok(Json(WebhookList {
        payload: WebhookListPayload { webhooks },
    }))
}

/// Registers a webhook; it gets a random secret, which signs its deliveries.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/webhooks", tag = "webhooks",
    security(("userApiKey" = [])), params(("account_id" = i64, Path)), request_body = WebhookRequest,
    responses((status = 200, body = WebhookResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_webhook(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiJson(body): ApiJson<WebhookRequest>,
) -> Result<Json<WebhookResponse>, ApiError> {
    caller.require_admin()?;
    let hook = state
        .services
        .create_webhook(caller.account, &body.into())
        .await?;
    Ok(one(hook))
}

async fn update(
    state: AppState,
    caller: AccountCaller,
    id: i64,
    body: WebhookRequest,
) -> Result<Json<WebhookResponse>, ApiError> {
    caller.require_admin()?;
    let hook = state
        .services
        .update_webhook(caller.account, id, &body.into())
        .await?;
    Ok(one(hook))
}

/// Changes a webhook; fields left out keep their value.
#[utoipa::path(patch, path = "/api/v1/accounts/{account_id}/webhooks/{id}", tag = "webhooks",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    request_body = WebhookRequest,
    responses((status = 200, body = WebhookResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_webhook(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<WebhookPath>,
    ApiJson(body): ApiJson<WebhookRequest>,
) -> Result<Json<WebhookResponse>, ApiError> {
    update(state, caller, path.id, body).await
}

/// Changes a webhook (`PUT` does what `PATCH` does, as in Chatwoot).
#[utoipa::path(put, path = "/api/v1/accounts/{account_id}/webhooks/{id}", tag = "webhooks",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    request_body = WebhookRequest,
    responses((status = 200, body = WebhookResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn replace_webhook(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<WebhookPath>,
    ApiJson(body): ApiJson<WebhookRequest>,
) -> Result<Json<WebhookResponse>, ApiError> {
    update(state, caller, path.id, body).await
}

/// Deletes a webhook and its delivery log; pending deliveries are dropped. Empty body.
#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/webhooks/{id}", tag = "webhooks",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, description = "Deleted; empty body"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_webhook(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<WebhookPath>,
) -> Result<(), ApiError> {
    caller.require_admin()?;
    state
        .services
        .delete_webhook(caller.account, path.id)
        .await?;
    Ok(())
}

/// A webhook's delivery log (Oxidesk's addition): newest first, at most 100.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/webhooks/{id}/deliveries", tag = "webhooks",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = DeliveryList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_deliveries(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<WebhookPath>,
) -> Result<Json<DeliveryList>, ApiError> {
    caller.require_admin()?;
    let payload = state
        .services
        .webhook_deliveries(caller.account, path.id)
        .await?;
    Ok(Json(DeliveryList { payload }))
}

/// Sends a delivery again now, with the same `X-Chatwoot-Delivery` (Oxidesk's addition).
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/webhooks/{id}/deliveries/{delivery_id}/redeliver", tag = "webhooks",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path), ("delivery_id" = i64, Path)),
    responses((status = 200, description = "Due again; empty body"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn redeliver(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<DeliveryPath>,
) -> Result<(), ApiError> {
    caller.require_admin()?;
    state
        .services
        .redeliver(caller.account, path.delivery_id)
        .await?;
    Ok(())
}
