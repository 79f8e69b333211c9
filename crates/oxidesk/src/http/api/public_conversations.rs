//! `/public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}/conversations`:
//! a contact's conversations and messages, as the contact sees them. Private notes and activity
//! messages are never part of an answer here (Chatwoot's `chat` messages); agents' emails
//! neither.

use axum::Json;
use axum::extract::State;
use oxidesk_domain::{Attributes, Conversation, DisplayId, Message, MessageId, validate};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ErrorBody;
use super::extract::{ApiBody, ApiJson, ApiPath, ApiQuery, invalid_param};
use super::public::{Client, ClientIn, PublicContactRecord};
use crate::http::{ApiError, AppState};
use crate::service::{PublicIdentity, ServiceError, Services};
use crate::views::{MessageView, SenderView};

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
        .routes(routes!(list_public_messages, create_public_message))
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

/// Who wrote a message, as a contact may see it (Chatwoot's `public_message_sender`): agents
/// without their email.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicSenderView {
    /// Id of the contact or user.
    pub id: i64,
    /// Name.
    pub name: String,
    /// `contact` or `user`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Avatar URL (empty when none).
    pub thumbnail: String,
    /// Users: display name or name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub available_name: Option<String>,
    /// Users: the avatar URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avatar_url: Option<String>,
    /// Users: availability.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub availability_status: Option<String>,
    /// Contacts: email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Contacts: phone number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// Contacts: the integrator's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
}

impl From<SenderView> for PublicSenderView {
    fn from(s: SenderView) -> Self {
        let user = s.kind == "user";
        Self {
            id: s.id,
            name: s.name,
            kind: s.kind,
            avatar_url: user.then(|| s.thumbnail.clone()),
            thumbnail: s.thumbnail,
            available_name: s.available_name,
            availability_status: s.availability_status,
            email: if user { None } else { s.email },
            phone_number: s.phone_number.flatten(),
            identifier: s.identifier.flatten(),
        }
    }
}

/// A message as its contact sees it (Chatwoot's `public_message`).
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicMessageView {
    /// Id.
    pub id: i64,
    /// Text, as written.
    pub content: Option<String>,
    /// 0 incoming (the contact's), 1 outgoing (an agent's), 3 template.
    pub message_type: i64,
    /// `text`, ...
    pub content_type: String,
    /// Type-specific data.
    #[schema(value_type = Object)]
    pub content_attributes: Attributes,
    /// Unix seconds.
    pub created_at: i64,
    /// The conversation's display id.
    pub conversation_id: i64,
    /// The sender, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sender: Option<PublicSenderView>,
    /// The `echo_id` the client sent with it (answers to `POST` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub echo_id: Option<String>,
    /// The files; absent when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<crate::views::AttachmentView>,
}

impl From<MessageView> for PublicMessageView {
    fn from(m: MessageView) -> Self {
        Self {
            id: m.id,
            content: m.content,
            message_type: m.message_type,
            content_type: m.content_type,
            content_attributes: m.content_attributes,
            created_at: m.created_at,
            conversation_id: m.conversation_id,
            sender: m.sender.map(PublicSenderView::from),
            echo_id: None,
            attachments: m.attachments,
        }
    }
}

/// A conversation as its contact sees it (Chatwoot's `public_conversation`).
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicConversationView {
    /// The display id.
    pub id: i64,
    /// UUID.
    pub uuid: String,
    /// The inbox.
    pub inbox_id: i64,
    /// Unix seconds, 0 when never.
    pub contact_last_seen_at: i64,
    /// `open`, `resolved`, `pending` or `snoozed`.
    pub status: String,
    /// Unix seconds, 0 when never.
    pub agent_last_seen_at: i64,
    /// The latest 100 messages, oldest first; no private notes, no activity messages.
    pub messages: Vec<PublicMessageView>,
    /// The contact.
    pub contact: PublicContactRecord,
}

/// The public views of `messages` of `conversation`.
pub(crate) async fn message_views(
    services: &Services,
    conversation: &Conversation,
    messages: &[Message],
) -> Result<Vec<PublicMessageView>, ApiError> {
    Ok(services
        .message_views(conversation, messages)
        .await?
        .into_iter()
        .map(PublicMessageView::from)
        .collect())
}

/// The public view of a conversation, with its latest messages.
async fn conversation_view(
    services: &Services,
    identity: &PublicIdentity,
    conversation: &Conversation,
) -> Result<PublicConversationView, ApiError> {
    let messages = services
        .public_messages(conversation, None, CONVERSATION_MESSAGES)
        .await?;
    Ok(PublicConversationView {
        id: conversation.display_id.get(),
        uuid: conversation.uuid.clone(),
        inbox_id: conversation.inbox_id.get(),
        contact_last_seen_at: conversation.contact_last_seen_at.map_or(0, |t| t.secs()),
        status: conversation.status.as_str().to_owned(),
        agent_last_seen_at: conversation.agent_last_seen_at.map_or(0, |t| t.secs()),
        messages: message_views(services, conversation, &messages).await?,
        contact: PublicContactRecord::from(&identity.contact),
    })
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

/// The conversation's messages, oldest first: the latest 20, or the 20 before message
/// `before`. No private notes, no activity messages.
#[utoipa::path(get, path = "/public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}/conversations/{conversation_id}/messages", tag = "public",
    params(("inbox_identifier" = String, Path), ("contact_identifier" = String, Path), ("conversation_id" = i64, Path),
        ("before" = Option<i64>, Query, description = "Messages older than this message id")),
    responses((status = 200, body = Vec<PublicMessageView>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list_public_messages(
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
async fn create_public_message(
    State(state): State<AppState>,
    ClientIn(identity, looked_up): ClientIn,
    ApiPath(path): ApiPath<PublicConversationPath>,
    ApiBody {
        value: body,
        uploads,
    }: ApiBody<CreatePublicMessageRequest>,
) -> Result<Json<PublicMessageView>, ApiError> {
    let files = super::messages::incoming_files(uploads)?;
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
