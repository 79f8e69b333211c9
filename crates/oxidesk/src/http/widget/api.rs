//! `/widget/api/…`: what the widget page asks of the server about the visitor's
//! conversations. Every route takes the `website_token` query and the visitor token header
//! (see the parent module); a route that needs a visitor answers 401 without one. Visitors see
//! only their own conversations' messages, never private notes or activity lines; a
//! conversation or message id of anyone else is a 404.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use oxidesk_domain::{Conversation, DisplayId, MessageId, ValidationError};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Visitor, count_write};
use crate::http::api::extract::{ApiBody, ApiJson};
use crate::http::api::public_conversations::{PublicMessageView, message_views};
use crate::http::{ApiError, AppState};
use crate::service::widget::{Visit, WidgetSend, WidgetVisitor};
use crate::service::{PublicIdentity, ServiceError};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/widget/api/messages",
            get(list_messages).post(create_message),
        )
        .route("/widget/api/messages/{id}", patch(submit_message))
        .route("/widget/api/conversations", get(list_conversations))
        .route("/widget/api/seen", post(mark_seen))
        .route("/widget/api/end_conversation", post(end_conversation))
        .route("/widget/api/typing", post(toggle_typing))
}

/// The widget's conversation as its visitor sees it.
#[derive(Debug, Serialize)]
pub struct WidgetConversationView {
    /// The display id.
    pub id: i64,
    /// `open`, `resolved`, `pending`, `snoozed`.
    pub status: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub last_activity_at: i64,
}

/// A conversation and its latest messages (oldest first).
#[derive(Debug, Serialize)]
pub struct WidgetMessages {
    /// None before the visitor's first message.
    pub conversation: Option<WidgetConversationView>,
    /// The messages.
    pub messages: Vec<PublicMessageView>,
}

fn conversation_view(conversation: &Conversation) -> WidgetConversationView {
    WidgetConversationView {
        id: conversation.display_id.get(),
        status: conversation.status.as_str().to_owned(),
        created_at: conversation.created_at.secs(),
        last_activity_at: conversation.last_activity_at.secs(),
    }
}

/// The visitor's identity; 401 before they have one.
pub(super) fn identity_of(visitor: &WidgetVisitor) -> Result<&PublicIdentity, ApiError> {
    visitor.identity.as_ref().ok_or_else(|| {
        ServiceError::Unauthorized("send a message or call setUser first (no visitor token)").into()
    })
}

/// `?conversation_id=` of the routes that act on one conversation (the newest when absent).
#[derive(Debug, Deserialize)]
struct ConversationQuery {
    #[serde(default)]
    conversation_id: Option<String>,
}

impl ConversationQuery {
    fn id(&self) -> Result<Option<DisplayId>, ApiError> {
        parse_conversation_id(self.conversation_id.as_deref())
    }
}

/// A conversation id as sent (text in a query or a form): absent, empty, or a number.
fn parse_conversation_id(raw: Option<&str>) -> Result<Option<DisplayId>, ApiError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(text) => text
            .parse::<i64>()
            .map(|id| Some(DisplayId(id)))
            .map_err(|_| {
                ServiceError::from(ValidationError::new("conversation_id", "must be a number"))
                    .into()
            }),
    }
}

/// `GET /widget/api/conversations`: the visitor's conversations, newest first.
async fn list_conversations(
    State(state): State<AppState>,
    Visitor(visitor): Visitor,
) -> Result<Json<Vec<WidgetConversationView>>, ApiError> {
    let Some(identity) = &visitor.identity else {
        return Ok(Json(Vec::new()));
    };
    let conversations = state.services.public_conversations(identity).await?;
    Ok(Json(
        conversations.iter().rev().map(conversation_view).collect(),
    ))
}

/// `GET /widget/api/messages[?conversation_id=]`: a conversation of the visitor (the newest by
/// default) and its latest messages.
async fn list_messages(
    State(state): State<AppState>,
    Visitor(visitor): Visitor,
    Query(query): Query<ConversationQuery>,
) -> Result<Json<WidgetMessages>, ApiError> {
    let id = query.id()?;
    let empty = WidgetMessages {
        conversation: None,
        messages: Vec::new(),
    };
    let Some(identity) = &visitor.identity else {
        return Ok(Json(empty));
    };
    let Some((conversation, messages)) = state.services.widget_messages(identity, id).await? else {
        return Ok(Json(empty));
    };
    Ok(Json(WidgetMessages {
        conversation: Some(conversation_view(&conversation)),
        messages: message_views(&state.services, &conversation, &messages).await?,
    }))
}

/// Body of `POST /widget/api/messages` (JSON, or multipart with files in `attachments[]`).
#[derive(Debug, Deserialize)]
struct CreateMessage {
    #[serde(default)]
    content: String,
    #[serde(default)]
    referer_url: Option<String>,
    /// The browser's `Date.toString()` when the chat was opened.
    #[serde(default)]
    initiated_at: Option<String>,
    /// The conversation to write in (the newest when absent).
    #[serde(default)]
    conversation_id: Option<Value>,
    /// Start a new conversation (after the last one was resolved).
    #[serde(default)]
    new_conversation: Option<Value>,
    /// The pre-chat form's answers, by field name.
    #[serde(default)]
    pre_chat: Option<oxidesk_domain::Attributes>,
}

/// The new message, the conversation, and the visitor token to keep.
#[derive(Debug, Serialize)]
struct CreatedMessage {
    token: String,
    conversation: WidgetConversationView,
    message: Option<PublicMessageView>,
}

/// A value that may come as JSON or as form text, as text.
fn as_text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn header_text(headers: &HeaderMap, name: header::HeaderName) -> String {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// `POST /widget/api/messages`: the visitor writes, with files when the website allows them
/// (the first message creates the contact, its identity and the conversation).
async fn create_message(
    State(state): State<AppState>,
    Visitor(visitor): Visitor,
    headers: HeaderMap,
    ApiBody {
        value: body,
        uploads,
    }: ApiBody<CreateMessage>,
) -> Result<Json<CreatedMessage>, ApiError> {
    count_write(&state, &visitor)?;
    let files = crate::http::api::messages::incoming_files(uploads)?;
    let language = header_text(&headers, header::ACCEPT_LANGUAGE)
        .split([',', ';'])
        .next()
        .map(str::trim)
        .filter(|l| !l.is_empty() && l.len() <= 20)
        .map(str::to_owned);
    let visit = Visit {
        referer: body.referer_url,
        initiated_at: body.initiated_at,
        user_agent: header_text(&headers, header::USER_AGENT),
        browser_language: language,
    };
    let send = WidgetSend {
        content: body.content,
        files,
        conversation: parse_conversation_id(as_text(body.conversation_id.as_ref()).as_deref())?,
        new_conversation: as_text(body.new_conversation.as_ref()).as_deref() == Some("true"),
        pre_chat: body.pre_chat,
    };
    let services = &state.services;
    let (identity, message, conversation) = services.widget_send(&visitor, send, &visit).await?;
    let message = message_views(services, &conversation, std::slice::from_ref(&message))
        .await?
        .pop();
    Ok(Json(CreatedMessage {
        token: services.visitor_token(&identity),
        conversation: conversation_view(&conversation),
        message,
    }))
}

/// Body of `PATCH /widget/api/messages/{id}`: the visitor's answer to an interactive message.
#[derive(Debug, Deserialize)]
struct SubmitBody {
    conversation_id: Option<Value>,
    #[serde(default)]
    submitted_values: Value,
}

/// `PATCH /widget/api/messages/{id}`: answers an `input_select`, `form`, `input_email` or
/// `input_csat` message (`submitted_values`, stored as the client API's message `PATCH`
/// stores it); answers the message.
async fn submit_message(
    State(state): State<AppState>,
    Visitor(visitor): Visitor,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<SubmitBody>,
) -> Result<Json<PublicMessageView>, ApiError> {
    count_write(&state, &visitor)?;
    let identity = identity_of(&visitor)?;
    let message = id
        .parse::<i64>()
        .map_err(|_| ApiError::from(ServiceError::NotFound("message")))?;
    let conversation = parse_conversation_id(as_text(body.conversation_id.as_ref()).as_deref())?
        .ok_or_else(|| {
            ApiError::from(ServiceError::from(ValidationError::new(
                "conversation_id",
                "is required",
            )))
        })?;
    let services = &state.services;
    let (message, conversation) = services
        .public_submit_values(
            identity,
            conversation,
            MessageId(message),
            &body.submitted_values,
        )
        .await?;
    services.widget_answered_email(identity, &message).await?;
    message_views(services, &conversation, std::slice::from_ref(&message))
        .await?
        .pop()
        .map(Json)
        .ok_or_else(|| ApiError::from(ServiceError::Internal("no view built".into())))
}

/// `POST /widget/api/seen[?conversation_id=]`: the visitor has read the conversation.
async fn mark_seen(
    State(state): State<AppState>,
    Visitor(visitor): Visitor,
    Query(query): Query<ConversationQuery>,
) -> Result<StatusCode, ApiError> {
    state
        .services
        .widget_mark_seen(identity_of(&visitor)?, query.id()?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /widget/api/end_conversation[?conversation_id=]`: the visitor ends (resolves) their
/// conversation (Chatwoot's `toggle_status`); 403 unless the inbox has the `end_conversation`
/// feature. Answers the conversation.
async fn end_conversation(
    State(state): State<AppState>,
    Visitor(visitor): Visitor,
    Query(query): Query<ConversationQuery>,
) -> Result<Json<WidgetConversationView>, ApiError> {
    count_write(&state, &visitor)?;
    let identity = identity_of(&visitor)?;
    let conversation = state
        .services
        .widget_end_conversation(&visitor, identity, query.id()?)
        .await?;
    Ok(Json(conversation_view(&conversation)))
}

#[derive(Debug, Deserialize)]
struct TypingBody {
    /// `on` or `off`.
    typing_status: String,
}

/// `POST /widget/api/typing[?conversation_id=]`: the visitor is typing (`on`) or stopped
/// (`off`); shown to the agents. Bounded like the writes, under a counter of its own.
async fn toggle_typing(
    State(state): State<AppState>,
    Visitor(visitor): Visitor,
    Query(query): Query<ConversationQuery>,
    ApiJson(body): ApiJson<TypingBody>,
) -> Result<StatusCode, ApiError> {
    let identity = identity_of(&visitor)?;
    let on = match body.typing_status.as_str() {
        "on" => true,
        "off" => false,
        _ => {
            return Err(ServiceError::from(ValidationError::new(
                "typing_status",
                "must be on or off",
            ))
            .into());
        }
    };
    state.services.limits.hit(
        &format!("widget:typing:{}", identity.contact_inbox.id.get()),
        super::VISITOR_WRITES_PER_MINUTE,
    )?;
    state
        .services
        .widget_typing(identity, query.id()?, on)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
