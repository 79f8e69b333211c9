//! `/public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}/conversations`:
//! a contact's conversations and messages, as the contact sees them. Private notes and activity
//! messages are never part of an answer here (Chatwoot's `chat` messages); agents' emails
//! neither.
//!
//! The views are in `views`, the message list and posting in `messages`.

mod messages;
mod views;

use axum::Json;
use axum::extract::State;
use oxidesk_domain::{Attributes, DisplayId};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ErrorBody;
use super::extract::{ApiJson, ApiPath, invalid_param};
use super::public::Client;
use crate::http::{ApiError, AppState};
use views::conversation_view;
pub(crate) use views::message_views;
pub use views::{PublicConversationView, PublicMessageView};

/// Messages in a conversation's `messages` (the latest; the message list pages further back).
pub const CONVERSATION_MESSAGES: i64 = 100;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(
            list_public_conversations,
            create_public_conversation
        ))
        .routes(routes!(get_public_conversation))
        .routes(routes!(resolve_public_conversation))
        .routes(routes!(toggle_public_typing))
        .routes(routes!(update_public_last_seen))
        .routes(routes!(
            messages::list_public_messages,
            messages::create_public_message
        ))
}

/// `.../conversations/{conversation_id}` path parameters (the identity is read by `Client`).
#[derive(Debug, Deserialize)]
pub struct PublicConversationPath {
    /// The conversation's display id.
    pub conversation_id: i64,
}

impl PublicConversationPath {
    /// The display id.
    pub fn display_id(&self) -> DisplayId {
        DisplayId(self.conversation_id)
    }
}

/// The contact's conversations in the inbox (the newest 100, oldest first).
#[utoipa::path(get, path = "/public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}/conversations", tag = "public",
    params(("inbox_identifier" = String, Path), ("contact_identifier" = String, Path)),
    responses((status = 200, body = Vec<PublicConversationView>), (status = 404, body = ErrorBody)))]
async fn list_public_conversations(
    State(state): State<AppState>,
    Client(identity): Client,
) -> Result<Json<Vec<PublicConversationView>>, ApiError> {
    let services = &state.services;
    let conversations = services.public_conversations(&identity).await?;
    let mut views = Vec::with_capacity(conversations.len());
    for conversation in &conversations {
        views.push(conversation_view(services, &identity, conversation).await?);
    }
    Ok(Json(views))
}

/// Body of `POST .../conversations`.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CreatePublicConversationRequest {
    /// Custom attribute values of the conversation.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub custom_attributes: Attributes,
}

/// Opens a conversation for the contact (403 for a blocked contact).
#[utoipa::path(post, path = "/public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}/conversations", tag = "public",
    params(("inbox_identifier" = String, Path), ("contact_identifier" = String, Path)),
    request_body = CreatePublicConversationRequest,
    responses((status = 200, body = PublicConversationView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_public_conversation(
    State(state): State<AppState>,
    Client(identity): Client,
    ApiJson(body): ApiJson<CreatePublicConversationRequest>,
) -> Result<Json<PublicConversationView>, ApiError> {
    let services = &state.services;
    let conversation = services
        .public_start_conversation(&identity, body.custom_attributes)
        .await?;
    Ok(Json(
        conversation_view(services, &identity, &conversation).await?,
    ))
}

/// One of the contact's conversations.
#[utoipa::path(get, path = "/public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}/conversations/{conversation_id}", tag = "public",
    params(("inbox_identifier" = String, Path), ("contact_identifier" = String, Path),
        ("conversation_id" = i64, Path, description = "Display id")),
    responses((status = 200, body = PublicConversationView), (status = 404, body = ErrorBody)))]
async fn get_public_conversation(
    State(state): State<AppState>,
    Client(identity): Client,
    ApiPath(path): ApiPath<PublicConversationPath>,
) -> Result<Json<PublicConversationView>, ApiError> {
    let services = &state.services;
    let conversation = services
        .public_conversation(&identity, path.display_id())
        .await?;
    Ok(Json(
        conversation_view(services, &identity, &conversation).await?,
    ))
}

/// Resolves the conversation (the client API only resolves; a message from the contact reopens
/// it).
#[utoipa::path(post, path = "/public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}/conversations/{conversation_id}/toggle_status", tag = "public",
    params(("inbox_identifier" = String, Path), ("contact_identifier" = String, Path), ("conversation_id" = i64, Path)),
    responses((status = 200, body = PublicConversationView), (status = 404, body = ErrorBody)))]
async fn resolve_public_conversation(
    State(state): State<AppState>,
    Client(identity): Client,
    ApiPath(path): ApiPath<PublicConversationPath>,
) -> Result<Json<PublicConversationView>, ApiError> {
    let services = &state.services;
    let conversation = services
        .public_resolve(&identity, path.display_id())
        .await?;
    Ok(Json(
        conversation_view(services, &identity, &conversation).await?,
    ))
}

/// Body of `toggle_typing`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PublicTypingRequest {
    /// `on` or `off`.
    pub typing_status: Option<String>,
}

/// Tells the agents that the contact is typing (or stopped).
#[utoipa::path(post, path = "/public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}/conversations/{conversation_id}/toggle_typing", tag = "public",
    params(("inbox_identifier" = String, Path), ("contact_identifier" = String, Path), ("conversation_id" = i64, Path)),
    request_body = PublicTypingRequest,
    responses((status = 200, description = "Published"), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn toggle_public_typing(
    State(state): State<AppState>,
    Client(identity): Client,
    ApiPath(path): ApiPath<PublicConversationPath>,
    ApiJson(body): ApiJson<PublicTypingRequest>,
) -> Result<Json<Value>, ApiError> {
    let on = match body.typing_status.as_deref() {
        Some("on") => true,
        Some("off") => false,
        Some(other) => {
            return Err(invalid_param(
                "typing_status",
                &format!("must be on or off (got '{other}')"),
            ));
        }
        None => return Err(invalid_param("typing_status", "is required (on or off)")),
    };
    state
        .services
        .public_typing(&identity, path.display_id(), on)
        .await?;
    Ok(Json(json!({})))
}

/// Records that the contact has read the conversation.
#[utoipa::path(post, path = "/public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}/conversations/{conversation_id}/update_last_seen", tag = "public",
    params(("inbox_identifier" = String, Path), ("contact_identifier" = String, Path), ("conversation_id" = i64, Path)),
    responses((status = 200, description = "Recorded"), (status = 404, body = ErrorBody)))]
async fn update_public_last_seen(
    State(state): State<AppState>,
    Client(identity): Client,
    ApiPath(path): ApiPath<PublicConversationPath>,
) -> Result<Json<Value>, ApiError> {
    state
        .services
        .public_mark_seen(&identity, path.display_id())
        .await?;
    Ok(Json(json!({})))
}
