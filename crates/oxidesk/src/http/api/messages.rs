//! `/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages`: list, create, show,
//! delete.

use axum::Json;
use axum::extract::State;
use oxidesk_domain::{AccountId, Attributes, ContentType, DisplayId, MessageId, MessageType};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ErrorBody;
use super::bot_access::ConversationCaller;
use super::conversations::ConversationPath;
use super::extract::{
    AccountCaller, ApiBody, ApiPath, ApiQuery, JsonBytes, Upload, invalid_param,
    json_object_or_text,
};
use crate::http::{ApiError, AppState};
use crate::service::{IncomingFile, MessageInput, ServiceError};
use crate::views::{AgentView, ContactView, MessageView};

/// Messages returned by `before` (and by default).
pub const BEFORE_LIMIT: i64 = 20;
/// Messages returned by `after`.
pub const AFTER_LIMIT: i64 = 100;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_messages, create_message))
        .routes(routes!(get_message, delete_message))
}

/// `meta` of a message list: the conversation's context.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageListMeta {
    /// The conversation's labels.
    pub labels: Vec<String>,
    /// The conversation's additional attributes.
    #[schema(value_type = Object)]
    pub additional_attributes: Attributes,
    /// The contact, with `type: "contact"` as Chatwoot marks it.
    pub contact: MetaContact,
    /// The assignee; absent when unassigned, as Chatwoot renders it (`if assignee.present?`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assignee: Option<AgentView>,
    /// When an agent last looked, as an RFC 3339 string (Chatwoot serialises this one as a
    /// date-time), null when never.
    pub agent_last_seen_at: Option<String>,
    /// When the assignee last looked (RFC 3339), null when never.
    pub assignee_last_seen_at: Option<String>,
}

/// The contact in a message list's `meta`: the contact and `type: "contact"`.
#[derive(Debug, Serialize, ToSchema)]
pub struct MetaContact {
    /// The contact.
    #[serde(flatten)]
    pub contact: ContactView,
    /// Always `contact`.
    #[serde(rename = "type")]
    pub kind: &'static str,
}

/// A page of messages (Chatwoot's `conversation_messages`).
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageList {
    /// Context.
    pub meta: MessageListMeta,
    /// Messages, oldest first.
    pub payload: Vec<MessageView>,
}

/// Messages of a conversation, oldest first: the latest 20, the 20 before message `before`, or
/// up to 100 after message `after`.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages", tag = "messages",
    security(("userApiKey" = [])),
    params(("account_id" = i64, Path), ("conversation_id" = i64, Path),
        ("before" = Option<i64>, Query, description = "Messages older than this message id"),
        ("after" = Option<i64>, Query, description = "Messages newer than this message id")),
    responses((status = 200, body = MessageList), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list_messages(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<ConversationPath>,
    query: ApiQuery,
) -> Result<JsonBytes, ApiError> {
    let services = &state.services;
    let account = caller.account;
    let id = path.display_id();
    let (before, after) = match (query.int("before")?, query.int("after")?) {
        (Some(_), Some(_)) => return Err(invalid_param("before", "cannot be combined with after")),
        pair => pair,
    };
    let key = format!("messages:{id}:{before:?}:{after:?}");
    let json = services
        .cached_json(
            account,
            key,
            message_list(services, account, id, before, after),
        )
        .await?;
    Ok(JsonBytes(json))
}

/// A page of messages of conversation `id` with its context.
async fn message_list(
    services: &crate::service::Services,
    account: AccountId,
    id: DisplayId,
    before: Option<i64>,
    after: Option<i64>,
) -> Result<MessageList, ServiceError> {
    let store = &services.store;
    let conversation = services.conversation(account, id).await?;
    let messages = match after {
        None => {
            store
                .messages_before(conversation.id, before.map(MessageId), BEFORE_LIMIT)
                .await?
        }
        Some(after) => {
            store
                .messages_after(conversation.id, MessageId(after), AFTER_LIMIT)
                .await?
        }
    };
    let contact = store.contact(account, conversation.contact_id).await?;
    let assignee = match conversation.assignee_id {
        Some(user) => Some(AgentView::from(&store.agent(account, user).await?)),
        None => None,
    };
    let payload = services.message_views(&conversation, &messages).await?;
    Ok(MessageList {
        meta: MessageListMeta {
            labels: conversation.labels.clone(),
            additional_attributes: conversation.additional_attributes.clone(),
            contact: MetaContact {
                contact: ContactView::from(&contact),
                kind: "contact",
            },
            assignee,
            agent_last_seen_at: conversation.agent_last_seen_at.map(|t| t.to_rfc3339()),
            assignee_last_seen_at: conversation.assignee_last_seen_at.map(|t| t.to_rfc3339()),
        },
        payload,
    })
}

/// The files of a message-create body: the `attachments[]` parts (also `attachments`), in
/// the order sent; a file under any other name is refused.
pub(crate) fn incoming_files(uploads: Vec<Upload>) -> Result<Vec<IncomingFile>, ApiError> {
    uploads
        .into_iter()
        .map(|upload| {
            let field = upload.field.as_str();
            let known = field == "attachments"
                || field
                    .strip_prefix("attachments[")
                    .is_some_and(|rest| rest.ends_with(']'));
            if known {
                Ok(IncomingFile {
                    file_name: upload.file_name,
                    bytes: upload.bytes,
                })
            } else {
                Err(invalid_param(
                    "attachments",
                    &format!("send files as attachments[], not as {field}"),
                ))
            }
        })
        .collect()
}

/// Body of `POST .../messages` (Chatwoot's `conversation_message_create_payload`). As
/// `multipart/form-data`, files go in `attachments[]` (then `content` may be empty).
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateMessageRequest {
    /// The text (may be empty when files are attached).
    #[serde(default)]
    pub content: String,
    /// `outgoing` (default: a reply or note by the caller) or `incoming` (from the contact, for
    /// API-channel integrations).
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub message_type: Option<IncomingOrOutgoing>,
    /// A private note, seen only by agents.
    #[serde(default)]
    pub private: bool,
    /// The channel's id for the message.
    pub source_id: Option<String>,
    /// `text` (default), `input_text`, `input_textarea`, `input_email`, `input_select`,
    /// `cards`, `form`, `article`, `incoming_email`, `input_csat`, `integrations`, `sticker`.
    #[schema(value_type = Option<String>)]
    pub content_type: Option<ContentType>,
    /// What a rich message carries (`items` of a select or cards, …): an object, or its JSON
    /// text (multipart clients); stored and echoed as given.
    #[serde(default, deserialize_with = "json_object_or_text")]
    #[schema(value_type = Option<Object>)]
    pub content_attributes: Attributes,
    /// Signed ids of direct uploads (`POST /rails/active_storage/direct_uploads`), as text
    /// (in JSON, or as multipart/form text fields `attachments[]`); files themselves go as
    /// multipart file parts.
    #[serde(default)]
    pub attachments: Vec<String>,
}

/// The message types the API accepts.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum IncomingOrOutgoing {
    /// From the contact.
    Incoming,
    /// From the caller.
    Outgoing,
}

/// Posts a reply, a private note (`private: true`), or an incoming message.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages", tag = "messages",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("conversation_id" = i64, Path)),
    request_body = CreateMessageRequest,
    responses((status = 200, body = MessageView), (status = 404, body = ErrorBody),
        (status = 413, body = ErrorBody, description = "A file is larger than attachments.max_file_mb"),
        (status = 422, body = ErrorBody)))]
async fn create_message(
    State(state): State<AppState>,
    caller: ConversationCaller,
    ApiPath(path): ApiPath<ConversationPath>,
    ApiBody {
        value: body,
        uploads,
    }: ApiBody<CreateMessageRequest>,
) -> Result<Json<MessageView>, ApiError> {
    let mut files = incoming_files(uploads)?;
    let services = &state.services;
    let claimed = match (body.attachments.is_empty(), caller.user_id()) {
        (true, _) => Vec::new(),
        (false, None) => {
            return Err(invalid_param(
                "attachments",
                "signed ids are for the uploads of people, not of bots",
            ));
        }
        (false, Some(user)) => {
            let (more, claimed) = services
                .claim_uploads(user, caller.account, &body.attachments)
                .await?;
            files.extend(more);
            claimed
        }
    };
    let content_type = body.content_type.unwrap_or(ContentType::Text);
    if content_type == ContentType::VoiceCall {
        return Err(invalid_param("content_type", "voice_call cannot be posted"));
    }
    let message_type = match body.message_type.unwrap_or(IncomingOrOutgoing::Outgoing) {
        IncomingOrOutgoing::Incoming => MessageType::Incoming,
        IncomingOrOutgoing::Outgoing => MessageType::Outgoing,
    };
    let input = MessageInput {
        content: body.content,
        message_type,
        private: body.private,
        sender: (message_type == MessageType::Outgoing).then_some(caller.sender()),
        source_id: body.source_id,
        content_type,
        content_attributes: body.content_attributes,
    };
    let message = services
        .post_message_with_files(caller.account, path.display_id(), &input, files)
        .await?;
    services.forget_uploads(&claimed).await;
    let conversation = services
        .conversation(caller.account, path.display_id())
        .await?;
    let view = services
        .message_views(&conversation, std::slice::from_ref(&message))
        .await?;
    view.into_iter()
        .next()
        .map(Json)
        .ok_or_else(|| ServiceError::Internal("no view built".into()).into())
}

/// `{account_id}/conversations/{conversation_id}/messages/{message_id}`.
#[derive(Debug, Deserialize)]
pub struct MessagePath {
    /// The account (checked by `AccountCaller`).
    #[allow(dead_code)]
    pub account_id: i64,
    /// The conversation's display id.
    pub conversation_id: i64,
    /// The message.
    pub message_id: i64,
}

/// One message of a conversation (as in the list; private notes included).
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages/{message_id}", tag = "messages",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("conversation_id" = i64, Path), ("message_id" = i64, Path)),
    responses((status = 200, body = MessageView), (status = 404, body = ErrorBody)))]
async fn get_message(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<MessagePath>,
) -> Result<Json<MessageView>, ApiError> {
    let services = &state.services;
    let conversation = services
        .conversation(caller.account, DisplayId(path.conversation_id))
        .await?;
    let message = crate::service::found(
        services
            .store
            .message(conversation.id, MessageId(path.message_id))
            .await,
        "message",
    )?;
    let view = services
        .message_views(&conversation, std::slice::from_ref(&message))
        .await?;
    view.into_iter()
        .next()
        .map(Json)
        .ok_or_else(|| ServiceError::Internal("no view built".into()).into())
}

/// Deletes a message: its content becomes "This message was deleted" (as in Chatwoot).
#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages/{message_id}", tag = "messages",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("conversation_id" = i64, Path), ("message_id" = i64, Path)),
    responses((status = 200, body = MessageView), (status = 404, body = ErrorBody)))]
async fn delete_message(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<MessagePath>,
) -> Result<Json<MessageView>, ApiError> {
    let services = &state.services;
    let id = DisplayId(path.conversation_id);
    let message = services
        .delete_message(caller.account, id, MessageId(path.message_id))
        .await?;
    let conversation = services.conversation(caller.account, id).await?;
    let view = services
        .message_views(&conversation, std::slice::from_ref(&message))
        .await?;
    view.into_iter()
        .next()
        .map(Json)
        .ok_or_else(|| ServiceError::Internal("no view built".into()).into())
}
