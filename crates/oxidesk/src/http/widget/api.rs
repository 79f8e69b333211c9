//! `/widget/api/…`: what the widget page asks of the server. Every route takes the
//! `website_token` query and the visitor token header (see the parent module); a route that
//! needs a visitor answers 401 without one. Visitors see only their own conversations'
//! messages, never private notes or activity lines.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use oxidesk_domain::{Attributes, Conversation};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::{Visitor, count_write};
use crate::http::api::extract::ApiJson;
use crate::http::api::public_conversations::{PublicMessageView, message_views};
use crate::http::{ApiError, AppState};
use crate::service::widget::{Visit, WidgetUser, WidgetVisitor};
use crate::service::{PublicIdentity, ServiceError};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/widget/api/messages",
            get(list_messages).post(create_message),
        )
        .route("/widget/api/seen", post(mark_seen))
        .route("/widget/api/typing", post(toggle_typing))
        .route("/widget/api/set_user", post(set_user))
        .route(
            "/widget/api/contact_attributes",
            post(set_contact_attributes),
        )
        .route(
            "/widget/api/conversation_attributes",
            post(set_conversation_attributes),
        )
        .route("/widget/api/labels", post(add_label))
        .route("/widget/api/labels/{label}", delete(remove_label))
}

/// The widget's conversation as its visitor sees it.
#[derive(Debug, Serialize)]
pub struct WidgetConversationView {
    /// The display id.
    pub id: i64,
    /// `open`, `resolved`, `pending`, `snoozed`.
    pub status: String,
}

/// The widget's conversation and its latest messages (oldest first).
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
    }
}

fn identity_of(visitor: &WidgetVisitor) -> Result<&PublicIdentity, ApiError> {
    visitor.identity.as_ref().ok_or_else(|| {
        ServiceError::Unauthorized("send a message or call setUser first (no visitor token)").into()
    })
}

/// `GET /widget/api/messages`: the visitor's newest conversation and its latest messages.
async fn list_messages(
    State(state): State<AppState>,
    Visitor(visitor): Visitor,
) -> Result<Json<WidgetMessages>, ApiError> {
    let Some(identity) = &visitor.identity else {
        return Ok(Json(WidgetMessages {
            conversation: None,
            messages: Vec::new(),
        }));
    };
    let Some((conversation, messages)) = state.services.widget_messages(identity).await? else {
        return Ok(Json(WidgetMessages {
            conversation: None,
            messages: Vec::new(),
        }));
    };
    Ok(Json(WidgetMessages {
        conversation: Some(conversation_view(&conversation)),
        messages: message_views(&state.services, &conversation, &messages).await?,
    }))
}

/// Body of `POST /widget/api/messages`.
#[derive(Debug, Deserialize)]
struct CreateMessage {
    content: String,
    #[serde(default)]
    referer_url: Option<String>,
    /// The browser's `Date.toString()` when the chat was opened.
    #[serde(default)]
    initiated_at: Option<String>,
}

/// The new message, the conversation, and the visitor token to keep.
#[derive(Debug, Serialize)]
struct CreatedMessage {
    token: String,
    conversation: WidgetConversationView,
    message: Option<PublicMessageView>,
}

/// `POST /widget/api/messages`: the visitor writes (the first message creates the contact, its
/// identity and the conversation).
async fn create_message(
    State(state): State<AppState>,
    Visitor(visitor): Visitor,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CreateMessage>,
) -> Result<Json<CreatedMessage>, ApiError> {
    count_write(&state, &visitor)?;
    let text = |name: header::HeaderName| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let language = text(header::ACCEPT_LANGUAGE)
        .split([',', ';'])
        .next()
        .map(str::trim)
        .filter(|l| !l.is_empty() && l.len() <= 20)
        .map(str::to_owned);
    let visit = Visit {
        referer: body.referer_url,
        initiated_at: body.initiated_at,
        user_agent: text(header::USER_AGENT),
        browser_language: language,
    };
    let services = &state.services;
    let (identity, message, conversation) = services
        .widget_send(&visitor, &body.content, &visit)
        .await?;
    let message = message_views(services, &conversation, std::slice::from_ref(&message))
        .await?
        .pop();
    Ok(Json(CreatedMessage {
        token: services.visitor_token(&identity),
        conversation: conversation_view(&conversation),
        message,
    }))
}

/// `POST /widget/api/seen`: the visitor has read the conversation.
async fn mark_seen(
    State(state): State<AppState>,
    Visitor(visitor): Visitor,
) -> Result<StatusCode, ApiError> {
    state
        .services
        .widget_mark_seen(identity_of(&visitor)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize)]
struct TypingBody {
    /// `on` or `off`.
    typing_status: String,
}

/// `POST /widget/api/typing`: the visitor is typing (`on`) or stopped (`off`); shown to the
/// agents. Bounded like the writes, under a counter of its own.
async fn toggle_typing(
    State(state): State<AppState>,
    Visitor(visitor): Visitor,
    ApiJson(body): ApiJson<TypingBody>,
) -> Result<StatusCode, ApiError> {
    let identity = identity_of(&visitor)?;
    let on = match body.typing_status.as_str() {
        "on" => true,
        "off" => false,
        _ => {
            return Err(ServiceError::from(oxidesk_domain::ValidationError::new(
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
    state.services.widget_typing(identity, on).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Body of `POST /widget/api/set_user`: `$chatwoot.setUser(identifier, user)`.
#[derive(Debug, Deserialize)]
struct SetUser {
    identifier: Value,
    #[serde(default)]
    user: Map<String, Value>,
}

/// A string field of `setUser`'s `user`.
fn text_of(user: &Map<String, Value>, key: &str) -> Option<String> {
    match user.get(key) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// `POST /widget/api/set_user`: identifies the visitor (see `service::widget::identity`);
/// answers the visitor token to keep (new when the visitor had none or changed contact).
async fn set_user(
    State(state): State<AppState>,
    Visitor(visitor): Visitor,
    ApiJson(body): ApiJson<SetUser>,
) -> Result<Json<Value>, ApiError> {
    count_write(&state, &visitor)?;
    let identifier = match &body.identifier {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => {
            return Err(ServiceError::from(oxidesk_domain::ValidationError::new(
                "identifier",
                "must be a string or a number",
            ))
            .into());
        }
    };
    let custom_attributes = match body.user.get("custom_attributes") {
        Some(Value::Object(map)) => map.clone(),
        _ => Attributes::new(),
    };
    let user = WidgetUser {
        identifier: Some(identifier),
        identifier_hash: text_of(&body.user, "identifier_hash"),
        name: text_of(&body.user, "name"),
        email: text_of(&body.user, "email"),
        phone_number: text_of(&body.user, "phone_number"),
        avatar_url: text_of(&body.user, "avatar_url"),
        additional_attributes: crate::service::widget::identity_additional(&body.user),
        custom_attributes,
    };
    let identity = state.services.widget_set_user(&visitor, &user).await?;
    Ok(Json(json!({
        "token": state.services.visitor_token(&identity),
        "contact": {
            "id": identity.contact.id.get(),
            "has_email": identity.contact.email.is_some(),
            "has_name": !identity.contact.name.is_empty(),
            "has_phone_number": identity.contact.phone_number.is_some(),
        },
    })))
}

/// Body of the attribute routes: values to set, `null` to delete.
#[derive(Debug, Deserialize)]
struct AttributesBody {
    custom_attributes: Attributes,
}

/// `POST /widget/api/contact_attributes`: `setCustomAttributes` / `deleteCustomAttribute`.
async fn set_contact_attributes(
    State(state): State<AppState>,
    Visitor(visitor): Visitor,
    ApiJson(body): ApiJson<AttributesBody>,
) -> Result<StatusCode, ApiError> {
    count_write(&state, &visitor)?;
    state
        .services
        .widget_contact_attributes(identity_of(&visitor)?, &body.custom_attributes)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /widget/api/conversation_attributes`: `setConversationCustomAttributes`.
async fn set_conversation_attributes(
    State(state): State<AppState>,
    Visitor(visitor): Visitor,
    ApiJson(body): ApiJson<AttributesBody>,
) -> Result<StatusCode, ApiError> {
    count_write(&state, &visitor)?;
    state
        .services
        .widget_conversation_attributes(identity_of(&visitor)?, &body.custom_attributes)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize)]
struct LabelBody {
    label: String,
}

/// `POST /widget/api/labels`: `setLabel`.
async fn add_label(
    State(state): State<AppState>,
    Visitor(visitor): Visitor,
    ApiJson(body): ApiJson<LabelBody>,
) -> Result<StatusCode, ApiError> {
    count_write(&state, &visitor)?;
    state
        .services
        .widget_label(identity_of(&visitor)?, &body.label, true)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /widget/api/labels/{label}`: `removeLabel`.
async fn remove_label(
    State(state): State<AppState>,
    Visitor(visitor): Visitor,
    Path(label): Path<String>,
) -> Result<StatusCode, ApiError> {
    count_write(&state, &visitor)?;
    state
        .services
        .widget_label(identity_of(&visitor)?, &label, false)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
