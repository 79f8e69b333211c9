//! The caller in a conversation: read marks and typing.

use axum::Json;
use axum::extract::State;
use oxidesk_domain::Sender;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::http::api::ErrorBody;
use crate::http::api::conversations::ConversationPath;
use crate::http::api::extract::{AccountCaller, ApiJson, ApiPath, invalid_param};
use crate::http::{ApiError, AppState};
use crate::views::ConversationView;

/// Marks the conversation read by the caller.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/update_last_seen", tag = "conversations",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("conversation_id" = i64, Path)),
    responses((status = 200, body = ConversationView), (status = 404, body = ErrorBody)))]
pub(super) async fn update_last_seen(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<ConversationPath>,
) -> Result<Json<ConversationView>, ApiError> {
    let conversation = state
        .services
        .mark_seen_by_agent(caller.account, path.display_id(), caller.user.id)
        .await?;
    Ok(Json(
        state
            .services
            .conversation_view(caller.account, &conversation)
            .await?,
    ))
}

/// Body of `toggle_typing_status`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TypingRequest {
    /// `on` or `off`.
    pub typing_status: String,
    /// Typing a private note.
    #[serde(default)]
    pub is_private: bool,
}

/// Tells the other side that the caller is typing.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/toggle_typing_status", tag = "conversations",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("conversation_id" = i64, Path)),
    request_body = TypingRequest,
    responses((status = 200, description = "Published"), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(super) async fn toggle_typing_status(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<ConversationPath>,
    ApiJson(body): ApiJson<TypingRequest>,
) -> Result<Json<Value>, ApiError> {
    let on = match body.typing_status.as_str() {
        "on" => true,
        "off" => false,
        other => {
            return Err(invalid_param(
                "typing_status",
                &format!("must be on or off (got '{other}')"),
            ));
        }
    };
    state
        .services
        .typing(
            caller.account,
            path.display_id(),
            on,
            Sender::User(caller.user.id),
            body.is_private,
        )
        .await?;
    Ok(Json(json!({})))
}
