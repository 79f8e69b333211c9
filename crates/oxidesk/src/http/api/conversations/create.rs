//! `POST /api/v1/accounts/{account_id}/conversations`: opens a conversation, by contact and
//! inbox or by the `source_id` of the contact's identity alone.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use oxidesk_domain::{
    Attributes, ConversationStatus, InboxId, MessageType, TeamId, Timestamp, UserId,
};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::http::api::ErrorBody;
use crate::http::api::bot_access::AccountActor;
use crate::http::api::extract::{ApiJson, invalid_param};
use crate::http::{ApiError, AppState};
use crate::service::{MessageInput, StartConversation};
use crate::views::ConversationView;

/// The first message of a new conversation.
#[derive(Debug, Deserialize, ToSchema)]
pub struct FirstMessage {
    /// Its text.
    pub content: String,
}

/// Body of `POST .../conversations` (Chatwoot's `conversation_create_payload`).
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateConversationRequest {
    /// The contact's id in the inbox. Without `contact_id`, the identity with this source id
    /// gives the contact (and the inbox); with it, made up when absent.
    pub source_id: Option<String>,
    /// The inbox (optional with `source_id`).
    pub inbox_id: Option<i64>,
    /// The contact (optional with `source_id`).
    pub contact_id: Option<i64>,
    /// `browser`, `referer`, ...
    #[serde(default)]
    #[schema(value_type = Object)]
    pub additional_attributes: Attributes,
    /// Custom attribute values.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub custom_attributes: Attributes,
    /// `open` (default), `resolved`, `pending`, `snoozed`.
    #[schema(value_type = Option<String>)]
    pub status: Option<ConversationStatus>,
    /// An agent to assign.
    pub assignee_id: Option<i64>,
    /// A team to assign.
    pub team_id: Option<i64>,
    /// With status `snoozed`: Unix seconds or an ISO-8601 time.
    #[serde(default, deserialize_with = "crate::http::api::extract::unix_time")]
    #[schema(value_type = Option<i64>)]
    pub snoozed_until: Option<i64>,
    /// A first message, sent by the caller.
    pub message: Option<FirstMessage>,
}

/// Opens a conversation with a contact in an inbox, optionally with a first (outgoing) message.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/conversations", tag = "conversations",
    security(("userApiKey" = [])), params(("account_id" = i64, Path)), request_body = CreateConversationRequest,
    responses((status = 200, body = ConversationView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(super) async fn create_conversation(
    State(state): State<AppState>,
    actor: AccountActor,
    ApiJson(body): ApiJson<CreateConversationRequest>,
) -> Result<Json<ConversationView>, ApiError> {
    let services = &state.services;
    let caller = &actor.0;
    let status = body.status.unwrap_or(ConversationStatus::Open);
    let inbox_id = body.inbox_id.map(InboxId);
    let (inbox_id, contact_id) = match (body.contact_id, inbox_id, &body.source_id) {
        (Some(contact), Some(inbox), _) => (inbox, oxidesk_domain::ContactId(contact)),
        (Some(_), None, _) => return Err(invalid_param("inbox_id", "is required")),
        (None, inbox, Some(source)) => {
            let identity = services
                .identity_by_source(caller.account, inbox, source)
                .await?;
            (identity.inbox_id, identity.contact_id)
        }
        (None, _, None) => {
            return Err(invalid_param(
                "contact_id",
                "is required (or the source_id of the contact's identity)",
            ));
        }
    };
    if !actor.serves(&state, inbox_id).await? {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "inbox not found",
        ));
    }
    let mut conversation = services
        .start_conversation(
            caller.account,
            &StartConversation {
                inbox_id,
                contact_id,
                source_id: body.source_id,
                status: ConversationStatus::Open,
                assignee_id: body.assignee_id.map(UserId),
                team_id: body.team_id.map(TeamId),
                priority: None,
                additional_attributes: body.additional_attributes,
                custom_attributes: body.custom_attributes,
            },
        )
        .await?;
    if let Some(message) = body.message {
        let input = MessageInput {
            content: message.content,
            message_type: MessageType::Outgoing,
            private: false,
            sender: Some(caller.sender()),
            source_id: None,
            content_type: oxidesk_domain::ContentType::Text,
            content_attributes: Default::default(),
        };
        services
            .post_message(caller.account, conversation.display_id, &input)
            .await?;
    }
    if status != ConversationStatus::Open {
        let until = body.snoozed_until.map(Timestamp);
        conversation = services
            .set_status(
                caller.account,
                conversation.display_id,
                status,
                until,
                caller.user_id(),
            )
            .await?;
    } else {
        conversation = services
            .conversation(caller.account, conversation.display_id)
            .await?;
    }
    Ok(Json(
        services
            .conversation_view(caller.account, &conversation)
            .await?,
    ))
}
