//! `/api/v1/accounts/{account_id}/agents`: the people of the account. Everyone reads;
//! administrators add, change and remove.

use axum::Json;
use axum::extract::State;
use oxidesk_domain::{Availability, Role, UserId};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ErrorBody;
use super::extract::{AccountCaller, ApiJson, ApiPath};
use crate::http::{ApiError, AppState};
use crate::service::AgentFields;
use crate::views::AgentView;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_agents, create_agent))
        .routes(routes!(update_agent, delete_agent))
}

/// `{account_id}/agents/{id}`.
#[derive(Debug, Deserialize)]
pub struct AgentPath {
    /// The account (checked by `AccountCaller`).
    #[allow(dead_code)]
    pub account_id: i64,
    /// The agent's user id.
    pub id: i64,
}

/// Body of `POST`/`PATCH .../agents` (Chatwoot's `agent_create_payload` and
/// `agent_update_payload`, plus `password`).
#[derive(Debug, Deserialize, ToSchema)]
pub struct AgentRequest {
    /// Full name (required when adding).
    pub name: Option<String>,
    /// Email (required when adding; ignored when changing).
    pub email: Option<String>,
    /// `agent` or `administrator` (required when adding).
    #[schema(value_type = Option<String>)]
    pub role: Option<Role>,
    /// `online` (or Chatwoot's `available`), `busy` or `offline`; also read as `availability`.
    #[serde(default, alias = "availability", deserialize_with = "availability")]
    #[schema(value_type = Option<String>)]
    pub availability_status: Option<Availability>,
    /// Whether availability turns offline by itself.
    pub auto_offline: Option<bool>,
    /// A password of 8 characters or more (Oxidesk sends no invitation email yet).
    pub password: Option<String>,
}

impl From<AgentRequest> for AgentFields {
    fn from(body: AgentRequest) -> Self {
        AgentFields {
            name: body.name,
            email: body.email,
            role: body.role,
            availability: body.availability_status,
            auto_offline: body.auto_offline,
            password: body.password,
        }
    }
}

/// Reads an availability; Chatwoot's documents call `online` `available`.
pub(super) fn availability<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Availability>, D::Error> {
    match Option::<String>::deserialize(d)?.as_deref() {
        None => Ok(None),
        Some("available") => Ok(Some(Availability::Online)),
        Some(other) => other
            .parse()
            .map(Some)
            .map_err(|e: oxidesk_domain::enums::UnknownValue| {
                serde::de::Error::custom(format!("{e}, available"))
            }),
    }
}

/// The account's agents, in the order they joined.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/agents", tag = "agents",
    security(("userApiKey" = [])), params(("account_id" = i64, Path)),
    responses((status = 200, body = Vec<AgentView>), (status = 401, body = ErrorBody)))]
async fn list_agents(
    State(state): State<AppState>,
    caller: AccountCaller,
) -> Result<Json<Vec<AgentView>>, ApiError> {
    let agents = state.services.agents(caller.account).await?;
    Ok(Json(agents.iter().map(AgentView::from).collect()))
}

/// Adds a person to the account.
///
/// Chatwoot emails the new agent an invitation; Oxidesk sends no mail yet. Give a `password`
/// (8 characters or more) to let them sign in at once. Without one the user is created without
/// a password and cannot sign in until an administrator sets one with `PATCH .../agents/{id}`
/// and `password`. The email of a person who already has an Oxidesk user adds that user (no
/// `password` then: theirs stays theirs).
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/agents", tag = "agents",
    security(("userApiKey" = [])), params(("account_id" = i64, Path)), request_body = AgentRequest,
    responses((status = 200, body = AgentView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_agent(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiJson(body): ApiJson<AgentRequest>,
) -> Result<Json<AgentView>, ApiError> {
    caller.require_admin()?;
    let agent = state
        .services
        .create_agent(caller.account, &body.into())
        .await?;
    Ok(Json(AgentView::from(&agent)))
}

/// Changes an agent's `name`, `role`, `availability_status`, `auto_offline` or `password`;
/// fields left out keep their value. The last administrator cannot become an agent (409), and
/// a password can be set only for a person who belongs to no other account (422).
#[utoipa::path(patch, path = "/api/v1/accounts/{account_id}/agents/{id}", tag = "agents",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    request_body = AgentRequest,
    responses((status = 200, body = AgentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_agent(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<AgentPath>,
    ApiJson(body): ApiJson<AgentRequest>,
) -> Result<Json<AgentView>, ApiError> {
    caller.require_admin()?;
    let agent = state
        .services
        .update_agent(caller.account, UserId(path.id), &body.into())
        .await?;
    Ok(Json(AgentView::from(&agent)))
}

/// Removes an agent from the account (their user and other accounts stay; their conversations
/// here are unassigned). Administrators cannot remove themselves (409).
#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/agents/{id}", tag = "agents",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, description = "Removed: `{}`"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
async fn delete_agent(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<AgentPath>,
) -> Result<Json<Value>, ApiError> {
    caller.require_admin()?;
    state
        .services
        .remove_agent(caller.account, caller.user.id, UserId(path.id))
        .await?;
    Ok(Json(json!({})))
}
