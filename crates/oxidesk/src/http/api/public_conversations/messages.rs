//! `.../conversations/{conversation_id}/messages`: the conversation's messages as the contact
//! sees them, and the contact's new messages.

use axum::Json;
use axum::extract::State;
use oxidesk_domain::{MessageId, validate};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{PublicConversationPath, PublicMessageView, message_views};
use crate::http::api::ErrorBody;
use crate::http::api::extract::{ApiBody, ApiPath, ApiQuery};
use crate::http::api::public::ClientIn;
use crate::http::{ApiError, AppState};
use crate::service::ServiceError;

/// The conversation's messages, oldest first: the latest 20, or the 20 before message
/// `before`. No private notes, no activity messages.
#[utoipa::path(get, path = "/public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}/conversations/{conversation_id}/messages", tag = "public",
    params(("inbox_identifier" = String, Path), ("contact_identifier" = String, Path), ("conversation_id" = i64, Path),
        ("before" = Option<i64>, Query, description = "Messages older than this message id")),
    responses((status = 200, body = Vec<PublicMessageView>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(super) async fn list_public_messages(
    State(state): State<AppState>,
    ClientIn(identity, looked_up): ClientIn,
    ApiPath(path): ApiPath<PublicConversationPath>,
    query: ApiQuery,
) -> Result<Json<Vec<PublicMessageView>>, ApiError> {
    let services = &state.services;
    let before = query.int("before")?.map(MessageId);
    let conversation = services
        .public_conversation_in(&identity, path.display_id(), looked_up)
        .await?;
    let messages = services
        .public_messages(&conversation, before, crate::service::PUBLIC_MESSAGE_LIMIT)
        .await?;
    Ok(Json(
        message_views(services, &conversation, &messages).await?,
    ))
}

/// Body of `POST .../messages` (Chatwoot's `public_message_create_payload`).
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreatePublicMessageRequest {
    /// The text.
    pub content: Option<String>,
    /// A client-side id, returned with the message.
    pub echo_id: Option<String>,
}

/// Posts a message from the contact (incoming). It reopens a resolved or snoozed conversation;
/// a blocked contact gets a 403.
#[utoipa::path(post, path = "/public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}/conversations/{conversation_id}/messages", tag = "public",
    params(("inbox_identifier" = String, Path), ("contact_identifier" = String, Path), ("conversation_id" = i64, Path)),
    request_body = CreatePublicMessageRequest,
    responses((status = 200, body = PublicMessageView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(super) async fn create_public_message(
    State(state): State<AppState>,
    ClientIn(identity, looked_up): ClientIn,
    ApiPath(path): ApiPath<PublicConversationPath>,
    ApiBody {
        value: body,
        uploads,
    }: ApiBody<CreatePublicMessageRequest>,
) -> Result<Json<PublicMessageView>, ApiError> {
    let files = crate::http::api::messages::incoming_files(uploads)?;
    let with_files = !files.is_empty();
    let services = &state.services;
    let echo_id =
        validate::optional_text("echo_id", body.echo_id.as_deref()).map_err(ServiceError::from)?;
    let (message, conversation) = services
        .public_post_message(
            &identity,
            path.display_id(),
            body.content.as_deref().unwrap_or_default(),
            files,
            looked_up,
        )
        .await?;
    let mut view = if with_files {
        message_views(services, &conversation, std::slice::from_ref(&message))
            .await?
            .pop()
            .ok_or_else(|| ApiError::from(ServiceError::Internal("no view built".into())))?
    } else {
        // The sender is the identity, and there are no attachments: nothing to read back.
        PublicMessageView::from(services.contact_message_view(
            &conversation,
            &message,
            &identity.contact,
        ))
    };
    view.echo_id = echo_id;
    Ok(Json(view))
}
