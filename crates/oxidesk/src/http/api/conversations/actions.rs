//! Actions on one conversation: status, priority, assignment, labels, custom attributes, read
//! marks, typing, mute.
//!
//! Status, priority and mute are here; assignment, labels and custom attributes, read marks
//! and typing in their own modules.

mod assignment;
mod labels;
mod presence;

use axum::Json;
use axum::extract::State;
use oxidesk_domain::{ConversationStatus, Priority, Timestamp};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::super::ErrorBody;
use super::super::bot_access::ConversationCaller;
use super::super::extract::{AccountCaller, ApiJson, ApiPath, invalid_param};
use super::{ConversationPath, priority_field};
use crate::http::{ApiError, AppState};
use crate::views::ConversationView;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(toggle_status))
        .routes(routes!(toggle_priority))
        .routes(routes!(assignment::create_assignment))
        .routes(routes!(
            labels::list_conversation_labels,
            labels::set_conversation_labels
        ))
        .routes(routes!(labels::set_custom_attributes))
        .routes(routes!(presence::update_last_seen))
        .routes(routes!(presence::toggle_typing_status))
        .routes(routes!(mute_conversation))
        .routes(routes!(unmute_conversation))
}

/// Body of `toggle_status`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ToggleStatusRequest {
    /// The new status; without it, open becomes resolved and anything else open.
    #[schema(value_type = Option<String>)]
    pub status: Option<ConversationStatus>,
    /// With `snoozed`: until when (Unix seconds or an ISO-8601 time); without it, until the
    /// next reply.
    #[serde(default, deserialize_with = "crate::http::api::extract::unix_time")]
    #[schema(value_type = Option<i64>)]
    pub snoozed_until: Option<i64>,
}

/// The answer of `toggle_status`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ToggleStatusResponse {
    /// Empty.
    #[schema(value_type = Object)]
    pub meta: Value,
    /// What happened.
    pub payload: ToggleStatusPayload,
}

/// What `toggle_status` did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ToggleStatusPayload {
    /// Always true on 200.
    pub success: bool,
    /// The status now.
    pub current_status: String,
    /// The display id.
    pub conversation_id: i64,
    /// Until when it is snoozed.
    pub snoozed_until: Option<i64>,
}

/// Resolves, reopens, marks pending or snoozes a conversation.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/toggle_status", tag = "conversations",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("conversation_id" = i64, Path)),
    request_body = ToggleStatusRequest,
    responses((status = 200, body = ToggleStatusResponse), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn toggle_status(
    State(state): State<AppState>,
    caller: ConversationCaller,
    ApiPath(path): ApiPath<ConversationPath>,
    ApiJson(body): ApiJson<ToggleStatusRequest>,
) -> Result<Json<ToggleStatusResponse>, ApiError> {
    let current = state
        .services
        .conversation(caller.account, path.display_id())
        .await?;
    let status = body.status.unwrap_or_else(|| current.toggled_status());
    let conversation = state
        .services
        .set_status(
            caller.account,
            path.display_id(),
            status,
            body.snoozed_until.map(Timestamp),
            caller.user_id(),
        )
        .await?;
    Ok(Json(ToggleStatusResponse {
        meta: json!({}),
        payload: ToggleStatusPayload {
            success: true,
            current_status: conversation.status.as_str().to_owned(),
            conversation_id: conversation.display_id.get(),
            snoozed_until: conversation.snoozed_until.map(Timestamp::secs),
        },
    }))
}

/// Body of `toggle_priority`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TogglePriorityRequest {
    /// `low`, `medium`, `high`, `urgent`, or `none`/null.
    #[serde(default, deserialize_with = "priority_field")]
    #[schema(value_type = Option<String>)]
    pub priority: Option<Option<Priority>>,
}

/// Sets a conversation's priority.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/toggle_priority", tag = "conversations",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("conversation_id" = i64, Path)),
    request_body = TogglePriorityRequest,
    responses((status = 200, body = ConversationView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn toggle_priority(
    State(state): State<AppState>,
    caller: ConversationCaller,
    ApiPath(path): ApiPath<ConversationPath>,
    ApiJson(body): ApiJson<TogglePriorityRequest>,
) -> Result<Json<ConversationView>, ApiError> {
    let Some(priority) = body.priority else {
        return Err(invalid_param(
            "priority",
            "is required (low, medium, high, urgent or none)",
        ));
    };
    let conversation = state
        .services
        .set_priority(caller.account, path.display_id(), priority)
        .await?;
    Ok(Json(
        state
            .services
            .conversation_view(caller.account, &conversation)
            .await?,
    ))
}

/// Mutes a conversation.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/mute", tag = "conversations",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("conversation_id" = i64, Path)),
    responses((status = 200, body = ConversationView), (status = 404, body = ErrorBody)))]
async fn mute_conversation(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<ConversationPath>,
) -> Result<Json<ConversationView>, ApiError> {
    let conversation = state
        .services
        .set_muted(caller.account, path.display_id(), true)
        .await?;
    Ok(Json(
        state
            .services
            .conversation_view(caller.account, &conversation)
            .await?,
    ))
}

/// Unmutes a conversation.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/unmute", tag = "conversations",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("conversation_id" = i64, Path)),
    responses((status = 200, body = ConversationView), (status = 404, body = ErrorBody)))]
async fn unmute_conversation(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<ConversationPath>,
) -> Result<Json<ConversationView>, ApiError> {
    let conversation = state
        .services
        .set_muted(caller.account, path.display_id(), false)
        .await?;
    Ok(Json(
        state
            .services
            .conversation_view(caller.account, &conversation)
            .await?,
    ))
}
