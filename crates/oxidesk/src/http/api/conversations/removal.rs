//! `DELETE /api/v1/accounts/{account_id}/conversations/{conversation_id}` (administrators).

use axum::extract::State;
use axum::http::StatusCode;

use super::ConversationPath;
use crate::http::api::ErrorBody;
use crate::http::api::extract::{AdminCaller, ApiPath};
use crate::http::{ApiError, AppState};

/// Deletes a conversation with its messages, for good (administrators). Answers 200 with an
/// empty body, as Chatwoot does.
#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/conversations/{conversation_id}", tag = "conversations",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("conversation_id" = i64, Path, description = "Display id")),
    responses((status = 200), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(super) async fn delete_conversation(
    State(state): State<AppState>,
    caller: AdminCaller,
    ApiPath(path): ApiPath<ConversationPath>,
) -> Result<StatusCode, ApiError> {
    state
        .services
        .delete_conversation(caller.account, path.display_id())
        .await?;
    Ok(StatusCode::OK)
}
