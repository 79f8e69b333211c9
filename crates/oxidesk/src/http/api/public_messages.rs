//! `PATCH /public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}/conversations/{conversation_id}/messages/{message_id}`:
//! the contact answers a bot's question or a satisfaction survey (`submitted_values`).

use axum::Json;
use axum::extract::State;
use oxidesk_domain::{DisplayId, MessageId};
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ErrorBody;
use super::extract::{ApiJson, ApiPath};
use super::public::Client;
use super::public_conversations::{PublicMessageView, message_views};
use crate::http::{ApiError, AppState};
use crate::service::ServiceError;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(submit_public_message))
}

/// `.../conversations/{conversation_id}/messages/{message_id}` (the identity is read by
/// `Client`).
#[derive(Debug, Deserialize)]
pub struct PublicMessagePath {
    /// The conversation's display id.
    pub conversation_id: i64,
    /// The message.
    pub message_id: i64,
}

/// Body of the message `PATCH` (Chatwoot's `submitted_values`), bare or wrapped in `message`
/// as the widget sends it.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SubmitValuesRequest {
    /// The answers: `[{name, title, value, csat_survey_response: {rating, feedback_message}}]`.
    #[schema(value_type = Option<Vec<Object>>)]
    pub submitted_values: Option<Value>,
    /// The same, wrapped.
    #[schema(value_type = Option<Object>)]
    pub message: Option<Value>,
}

/// Stores the contact's answers in the message's `content_attributes.submitted_values`
/// (replacing earlier ones), as Chatwoot does; a survey closes after 14 days.
#[utoipa::path(patch, path = "/public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}/conversations/{conversation_id}/messages/{message_id}", tag = "public",
    params(("inbox_identifier" = String, Path), ("contact_identifier" = String, Path), ("conversation_id" = i64, Path), ("message_id" = i64, Path)),
    request_body = SubmitValuesRequest,
    responses((status = 200, body = PublicMessageView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn submit_public_message(
    State(state): State<AppState>,
    Client(identity): Client,
    ApiPath(path): ApiPath<PublicMessagePath>,
    ApiJson(body): ApiJson<SubmitValuesRequest>,
) -> Result<Json<PublicMessageView>, ApiError> {
    let services = &state.services;
    let submitted = body
        .submitted_values
        .or_else(|| {
            body.message
                .and_then(|m| m.get("submitted_values").cloned())
        })
        .unwrap_or(Value::Null);
    let (message, conversation) = services
        .public_submit_values(
            &identity,
            DisplayId(path.conversation_id),
            MessageId(path.message_id),
            &submitted,
        )
        .await?;
    message_views(services, &conversation, std::slice::from_ref(&message))
        .await?
        .pop()
        .map(Json)
        .ok_or_else(|| ApiError::from(ServiceError::Internal("no view built".into())))
}
