//! Actions on one conversation: status, priority, assignment, labels, custom attributes, read
//! marks, typing, mute.

use axum::Json;
use axum::extract::State;
use oxidesk_domain::{Attributes, ConversationStatus, Priority, Sender, TeamId, Timestamp, UserId};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::super::ErrorBody;
use super::super::bot_access::ConversationCaller;
use super::super::extract::{AccountCaller, ApiJson, ApiPath, invalid_param};
use super::{ConversationPath, priority_field};
use crate::http::{ApiError, AppState};
use crate::views::{AgentView, ConversationView, TeamView};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(toggle_status))
        .routes(routes!(toggle_priority))
        .routes(routes!(create_assignment))
        .routes(routes!(list_conversation_labels, set_conversation_labels))
        .routes(routes!(set_custom_attributes))
        .routes(routes!(update_last_seen))
        .routes(routes!(toggle_typing_status))
        .routes(routes!(mute_conversation))
        .routes(routes!(unmute_conversation))
}

/// Body of `toggle_status`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ToggleStatusRequest {
    /// The new status; without it, open becomes resolved and anything else open.
    #[schema(value_type = Option<String>)]
    pub status: Option<ConversationStatus>,
    /// With `snoozed`: until when (Unix seconds or an ISO-8601 time); without it, until the
    /// next reply.
    #[serde(default, deserialize_with = "crate::http::api::extract::unix_time")]
    #[schema(value_type = Option<i64>)]
    pub snoozed_until: Option<i64>,
}

/// The answer of `toggle_status`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ToggleStatusResponse {
    /// Empty.
    #[schema(value_type = Object)]
    pub meta: Value,
    /// What happened.
    pub payload: ToggleStatusPayload,
}

/// What `toggle_status` did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ToggleStatusPayload {
    /// Always true on 200.
    pub success: bool,
    /// The status now.
    pub current_status: String,
    /// The display id.
    pub conversation_id: i64,
    /// Until when it is snoozed.
    pub snoozed_until: Option<i64>,
}

/// Resolves, reopens, marks pending or snoozes a conversation.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/toggle_status", tag = "conversations",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("conversation_id" = i64, Path)),
    request_body = ToggleStatusRequest,
    responses((status = 200, body = ToggleStatusResponse), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn toggle_status(
    State(state): State<AppState>,
    caller: ConversationCaller,
    ApiPath(path): ApiPath<ConversationPath>,
    ApiJson(body): ApiJson<ToggleStatusRequest>,
) -> Result<Json<ToggleStatusResponse>, ApiError> {
    let current = state
        .services
        .conversation(caller.account, path.display_id())
        .await?;
    let status = body.status.unwrap_or_else(|| current.toggled_status());
    let conversation = state
        .services
        .set_status(
            caller.account,
            path.display_id(),
            status,
            body.snoozed_until.map(Timestamp),
            caller.user_id(),
        )
        .await?;
    Ok(Json(ToggleStatusResponse {
        meta: json!({}),
        payload: ToggleStatusPayload {
            success: true,
            current_status: conversation.status.as_str().to_owned(),
            conversation_id: conversation.display_id.get(),
            snoozed_until: conversation.snoozed_until.map(Timestamp::secs),
        },
    }))
}

/// Body of `toggle_priority`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TogglePriorityRequest {
    /// `low`, `medium`, `high`, `urgent`, or `none`/null.
    #[serde(default, deserialize_with = "priority_field")]
    #[schema(value_type = Option<String>)]
    pub priority: Option<Option<Priority>>,
}

/// Sets a conversation's priority.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/toggle_priority", tag = "conversations",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("conversation_id" = i64, Path)),
    request_body = TogglePriorityRequest,
    responses((status = 200, body = ConversationView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn toggle_priority(
    State(state): State<AppState>,
    caller: ConversationCaller,
    ApiPath(path): ApiPath<ConversationPath>,
    ApiJson(body): ApiJson<TogglePriorityRequest>,
) -> Result<Json<ConversationView>, ApiError> {
    let Some(priority) = body.priority else {
        return Err(invalid_param(
            "priority",
            "is required (low, medium, high, urgent or none)",
        ));
    };
    let conversation = state
        .services
        .set_priority(caller.account, path.display_id(), priority)
        .await?;
    Ok(Json(
        state
            .services
            .conversation_view(caller.account, &conversation)
            .await?,
    ))
}

/// Body of `assignments`: an agent, or a team.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AssignmentRequest {
    /// The agent (null unassigns).
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub assignee_id: Option<Option<i64>>,
    /// The team (null removes it).
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub team_id: Option<Option<i64>>,
}

/// Tells a present `null` from an absent field.
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// What an assignment answers: the agent or the team now assigned (`null` once unassigned).
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
enum Assigned {
    /// After `assignee_id`.
    Agent(AgentView),
    /// After `team_id`.
    Team(TeamView),
}

/// Assigns a conversation to an agent (answers the agent, or null) or to a team (answers the
/// team, or null).
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/assignments", tag = "conversations",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("conversation_id" = i64, Path)),
    request_body = AssignmentRequest,
    responses((status = 200, body = Option<Assigned>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_assignment(
    State(state): State<AppState>,
    caller: ConversationCaller,
    ApiPath(path): ApiPath<ConversationPath>,
    ApiJson(body): ApiJson<AssignmentRequest>,
) -> Result<Json<Option<Assigned>>, ApiError> {
    let services = &state.services;
    if let Some(assignee) = body.assignee_id {
        let conversation = services
            .assign_agent(
                caller.account,
                path.display_id(),
                assignee.map(UserId),
                caller.user_id(),
            )
            .await?;
        let agent = match conversation.assignee_id {
            Some(user) => Some(AgentView::from(
                &services
                    .store
                    .agent(caller.account, user)
                    .await
                    .map_err(crate::service::ServiceError::from)?,
            )),
            None => None,
        };
        return Ok(Json(agent.map(Assigned::Agent)));
    }
    if let Some(team) = body.team_id {
        let conversation = services
            .assign_team(
                caller.account,
                path.display_id(),
                team.map(TeamId),
                caller.user_id(),
            )
            .await?;
        let team = match conversation.team_id {
            Some(team) => Some(TeamView::from(
                &services
                    .store
                    .team(caller.account, team)
                    .await
                    .map_err(crate::service::ServiceError::from)?,
            )),
            None => None,
        };
        return Ok(Json(team.map(Assigned::Team)));
    }
    Err(invalid_param("assignee_id", "or team_id is required"))
}

/// The labels of a conversation.
#[derive(Debug, Serialize, ToSchema)]
pub struct LabelsResponse {
    /// Titles, sorted.
    pub payload: Vec<String>,
}

/// A conversation's labels.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/labels", tag = "conversations",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("conversation_id" = i64, Path)),
    responses((status = 200, body = LabelsResponse), (status = 404, body = ErrorBody)))]
async fn list_conversation_labels(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<ConversationPath>,
) -> Result<Json<LabelsResponse>, ApiError> {
    let conversation = state
        .services
        .conversation(caller.account, path.display_id())
        .await?;
    Ok(Json(LabelsResponse {
        payload: conversation.labels,
    }))
}

/// Body of `POST .../labels`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SetLabelsRequest {
    /// The new list of labels (replaces the old one).
    pub labels: Vec<String>,
}

/// Replaces a conversation's labels.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/labels", tag = "conversations",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("conversation_id" = i64, Path)),
    request_body = SetLabelsRequest,
    responses((status = 200, body = LabelsResponse), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_conversation_labels(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<ConversationPath>,
    ApiJson(body): ApiJson<SetLabelsRequest>,
) -> Result<Json<LabelsResponse>, ApiError> {
    let labels = state
        .services
        .set_labels(caller.account, path.display_id(), &body.labels)
        .await?;
    Ok(Json(LabelsResponse { payload: labels }))
}

/// Body and answer of `POST .../custom_attributes`.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct CustomAttributesBody {
    /// Values to merge in (null removes a key).
    #[schema(value_type = Object)]
    pub custom_attributes: Attributes,
}

/// Merges custom attribute values into a conversation.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/custom_attributes", tag = "conversations",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("conversation_id" = i64, Path)),
    request_body = CustomAttributesBody,
    responses((status = 200, body = CustomAttributesBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_custom_attributes(
    State(state): State<AppState>,
    caller: ConversationCaller,
    ApiPath(path): ApiPath<ConversationPath>,
    ApiJson(body): ApiJson<CustomAttributesBody>,
) -> Result<Json<CustomAttributesBody>, ApiError> {
    let conversation = state
        .services
        .set_conversation_attributes(caller.account, path.display_id(), &body.custom_attributes)
        .await?;
    Ok(Json(CustomAttributesBody {
        custom_attributes: conversation.custom_attributes,
    }))
}

/// Marks the conversation read by the caller.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/update_last_seen", tag = "conversations",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("conversation_id" = i64, Path)),
    responses((status = 200, body = ConversationView), (status = 404, body = ErrorBody)))]
async fn update_last_seen(
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
async fn toggle_typing_status(
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

/// Mutes a conversation.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/mute", tag = "conversations",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("conversation_id" = i64, Path)),
    responses((status = 200, body = ConversationView), (status = 404, body = ErrorBody)))]
async fn mute_conversation(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<ConversationPath>,
) -> Result<Json<ConversationView>, ApiError> {
    let conversation = state
        .services
        .set_muted(caller.account, path.display_id(), true)
        .await?;
    Ok(Json(
        state
            .services
            .conversation_view(caller.account, &conversation)
            .await?,
    ))
}

/// Unmutes a conversation.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/unmute", tag = "conversations",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("conversation_id" = i64, Path)),
    responses((status = 200, body = ConversationView), (status = 404, body = ErrorBody)))]
async fn unmute_conversation(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<ConversationPath>,
) -> Result<Json<ConversationView>, ApiError> {
    let conversation = state
        .services
        .set_muted(caller.account, path.display_id(), false)
        .await?;
    Ok(Json(
        state
            .services
            .conversation_view(caller.account, &conversation)
            .await?,
    ))
}
