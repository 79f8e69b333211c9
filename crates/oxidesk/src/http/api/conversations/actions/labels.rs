//! A conversation's labels and custom attributes.

use axum::Json;
use axum::extract::State;
use oxidesk_domain::Attributes;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::http::api::ErrorBody;
use crate::http::api::bot_access::ConversationCaller;
use crate::http::api::conversations::ConversationPath;
use crate::http::api::extract::{AccountCaller, ApiJson, ApiPath};
use crate::http::{ApiError, AppState};

/// The labels of a conversation.
#[derive(Debug, Serialize, ToSchema)]
pub struct LabelsResponse {
    /// Titles, sorted.
    pub payload: Vec<String>,
}

/// A conversation's labels.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/labels", tag = "conversations",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("conversation_id" = i64, Path)),
    responses((status = 200, body = LabelsResponse), (status = 404, body = ErrorBody)))]
pub(super) async fn list_conversation_labels(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<ConversationPath>,
) -> Result<Json<LabelsResponse>, ApiError> {
    let conversation = state
        .services
        .conversation(caller.account, path.display_id())
        .await?;
    Ok(Json(LabelsResponse {
        payload: conversation.labels,
    }))
}

/// Body of `POST .../labels`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SetLabelsRequest {
    /// The new list of labels (replaces the old one).
    pub labels: Vec<String>,
}

/// Replaces a conversation's labels.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/labels", tag = "conversations",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("conversation_id" = i64, Path)),
    request_body = SetLabelsRequest,
    responses((status = 200, body = LabelsResponse), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(super) async fn set_conversation_labels(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<ConversationPath>,
    ApiJson(body): ApiJson<SetLabelsRequest>,
) -> Result<Json<LabelsResponse>, ApiError> {
    let labels = state
        .services
        .set_labels(caller.account, path.display_id(), &body.labels)
        .await?;
    Ok(Json(LabelsResponse { payload: labels }))
}

/// Body and answer of `POST .../custom_attributes`.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct CustomAttributesBody {
    /// Values to merge in (null removes a key).
    #[schema(value_type = Object)]
    pub custom_attributes: Attributes,
}

/// Merges custom attribute values into a conversation.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/custom_attributes", tag = "conversations",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("conversation_id" = i64, Path)),
    request_body = CustomAttributesBody,
    responses((status = 200, body = CustomAttributesBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(super) async fn set_custom_attributes(
    State(state): State<AppState>,
    caller: ConversationCaller,
    ApiPath(path): ApiPath<ConversationPath>,
    ApiJson(body): ApiJson<CustomAttributesBody>,
) -> Result<Json<CustomAttributesBody>, ApiError> {
    let conversation = state
        .services
        .set_conversation_attributes(caller.account, path.display_id(), &body.custom_attributes)
        .await?;
    Ok(Json(CustomAttributesBody {
        custom_attributes: conversation.custom_attributes,
    }))
}
