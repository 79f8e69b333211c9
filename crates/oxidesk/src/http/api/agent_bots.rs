//! `/api/v1/accounts/{account_id}/agent_bots` and an inbox's bot
//! (`…/inboxes/{id}/agent_bot`, `…/inboxes/{id}/set_agent_bot`), as Chatwoot's: every member
//! lists and reads the bots, administrators create, change, delete and assign them, and only
//! administrators see a bot's `access_token` and `secret` and reset them
//! (`…/reset_access_token`, `…/reset_secret`). Bodies are flat or in `agent_bot`.

use axum::Json;
use axum::extract::State;
use oxidesk_domain::{AgentBotId, InboxId};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ErrorBody;
use super::extract::{AccountCaller, AdminCaller, ApiJson, ApiPath, invalid_param};
use crate::http::{ApiError, AppState};
use crate::service::{AgentBotView, BotFields};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_agent_bots, create_agent_bot))
        .routes(routes!(get_agent_bot, update_agent_bot, delete_agent_bot))
        .routes(routes!(reset_agent_bot_access_token))
        .routes(routes!(reset_agent_bot_secret))
        .routes(routes!(get_inbox_agent_bot))
        .routes(routes!(set_inbox_agent_bot))
}

/// `{account_id}/agent_bots/{id}` and `{account_id}/inboxes/{id}/…`.
#[derive(Debug, Deserialize)]
pub struct BotPath {
    /// The account (checked by the caller's extractor).
    #[allow(dead_code)]
    pub account_id: i64,
    /// The bot, or the inbox.
    pub id: i64,
}

/// A bot's fields.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct BotFieldsRequest {
    /// Name (required when creating).
    pub name: Option<String>,
    /// What it does.
    pub description: Option<String>,
    /// Where its inboxes' events are posted (`http(s)://…`, or empty for none).
    pub outgoing_url: Option<String>,
    /// Accepted and ignored (`0`/`webhook` is the only type).
    #[allow(dead_code)]
    #[schema(value_type = Option<Object>)]
    pub bot_type: Option<Value>,
    /// Accepted and ignored.
    #[allow(dead_code)]
    #[schema(value_type = Option<Object>)]
    pub bot_config: Option<Value>,
}

/// Body of `POST`/`PATCH`: the fields, flat or in `agent_bot`.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct BotRequest {
    /// The fields, wrapped.
    pub agent_bot: Option<BotFieldsRequest>,
    /// The fields unwrapped.
    #[serde(flatten)]
    pub fields: BotFieldsRequest,
}

impl From<BotRequest> for BotFields {
    fn from(body: BotRequest) -> Self {
        let f = body.agent_bot.unwrap_or(body.fields);
        BotFields {
            name: f.name,
            description: f.description,
            outgoing_url: f.outgoing_url,
        }
    }
}

/// The account's bots (with tokens for administrators).
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/agent_bots", tag = "agent_bots",
    security(("userApiKey" = [])), params(("account_id" = i64, Path)),
    responses((status = 200, body = Vec<AgentBotView>), (status = 401, body = ErrorBody)))]
async fn list_agent_bots(
    State(state): State<AppState>,
    caller: AccountCaller,
) -> Result<Json<Vec<AgentBotView>>, ApiError> {
    let bots = state.services.agent_bots(caller.account).await?;
    let admin = caller.is_admin();
    Ok(Json(
        bots.iter()
            .map(|b| state.services.agent_bot_view(b, admin))
            .collect(),
    ))
}

/// One bot.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/agent_bots/{id}", tag = "agent_bots",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = AgentBotView), (status = 404, body = ErrorBody)))]
async fn get_agent_bot(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<BotPath>,
) -> Result<Json<AgentBotView>, ApiError> {
    let bot = state
        .services
        .agent_bot(caller.account, AgentBotId(path.id))
        .await?;
    Ok(Json(state.services.agent_bot_view(&bot, caller.is_admin())))
}

/// Adds a bot, with a new access token and signing secret.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/agent_bots", tag = "agent_bots",
    security(("userApiKey" = [])), params(("account_id" = i64, Path)), request_body = BotRequest,
    responses((status = 200, body = AgentBotView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_agent_bot(
    State(state): State<AppState>,
    AdminCaller(caller): AdminCaller,
    ApiJson(body): ApiJson<BotRequest>,
) -> Result<Json<AgentBotView>, ApiError> {
    let bot = state
        .services
        .save_agent_bot(caller.account, None, &body.into())
        .await?;
    Ok(Json(state.services.agent_bot_view(&bot, true)))
}

/// Changes a bot; fields left out keep their value.
#[utoipa::path(patch, path = "/api/v1/accounts/{account_id}/agent_bots/{id}", tag = "agent_bots",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    request_body = BotRequest,
    responses((status = 200, body = AgentBotView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_agent_bot(
    State(state): State<AppState>,
    AdminCaller(caller): AdminCaller,
    ApiPath(path): ApiPath<BotPath>,
    ApiJson(body): ApiJson<BotRequest>,
) -> Result<Json<AgentBotView>, ApiError> {
    let bot = state
        .services
        .save_agent_bot(caller.account, Some(AgentBotId(path.id)), &body.into())
        .await?;
    Ok(Json(state.services.agent_bot_view(&bot, true)))
}

/// Deletes a bot; its token stops working and its inboxes have no bot. Empty object.
#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/agent_bots/{id}", tag = "agent_bots",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, description = "Deleted: `{}`"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_agent_bot(
    State(state): State<AppState>,
    AdminCaller(caller): AdminCaller,
    ApiPath(path): ApiPath<BotPath>,
) -> Result<Json<Value>, ApiError> {
    state
        .services
        .delete_agent_bot(caller.account, AgentBotId(path.id))
        .await?;
    Ok(Json(json!({})))
}

/// Gives the bot a new `access_token` (Chatwoot's `reset_access_token`): the old one is
/// refused from now on. Answers the bot with its new token.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/agent_bots/{id}/reset_access_token",
    tag = "agent_bots", security(("userApiKey" = [])),
    params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = AgentBotView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn reset_agent_bot_access_token(
    State(state): State<AppState>,
    AdminCaller(caller): AdminCaller,
    ApiPath(path): ApiPath<BotPath>,
) -> Result<Json<AgentBotView>, ApiError> {
    let bot = state
        .services
        .reset_agent_bot_token(caller.account, AgentBotId(path.id))
        .await?;
    Ok(Json(state.services.agent_bot_view(&bot, true)))
}

/// Gives the bot a new webhook signing `secret` (Chatwoot's `reset_secret`): its events are
/// signed with it from the next delivery on. Answers the bot with its new secret.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/agent_bots/{id}/reset_secret",
    tag = "agent_bots", security(("userApiKey" = [])),
    params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = AgentBotView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn reset_agent_bot_secret(
    State(state): State<AppState>,
    AdminCaller(caller): AdminCaller,
    ApiPath(path): ApiPath<BotPath>,
) -> Result<Json<AgentBotView>, ApiError> {
    let bot = state
        .services
        .reset_agent_bot_secret(caller.account, AgentBotId(path.id))
        .await?;
    Ok(Json(state.services.agent_bot_view(&bot, true)))
}

/// An inbox's bot.
#[derive(Debug, Serialize, ToSchema)]
pub struct InboxBotResponse {
    /// The bot, or null.
    pub agent_bot: Option<AgentBotView>,
}

/// The inbox's bot, or `{agent_bot: null}`.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/inboxes/{id}/agent_bot", tag = "inboxes",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = InboxBotResponse), (status = 404, body = ErrorBody)))]
async fn get_inbox_agent_bot(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<BotPath>,
) -> Result<Json<InboxBotResponse>, ApiError> {
    let bot = state
        .services
        .inbox_agent_bot(caller.account, InboxId(path.id))
        .await?;
    Ok(Json(InboxBotResponse {
        agent_bot: bot.map(|b| state.services.agent_bot_view(&b, caller.is_admin())),
    }))
}

/// Body of `set_agent_bot`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SetBotRequest {
    /// The bot's id; null (or absent) takes the inbox's bot away.
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub agent_bot: Option<Value>,
}

/// Gives the inbox a bot of the account, or none. Empty object.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/inboxes/{id}/set_agent_bot", tag = "inboxes",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    request_body = SetBotRequest,
    responses((status = 200, description = "Set: `{}`"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_inbox_agent_bot(
    State(state): State<AppState>,
    AdminCaller(caller): AdminCaller,
    ApiPath(path): ApiPath<BotPath>,
    ApiJson(body): ApiJson<SetBotRequest>,
) -> Result<Json<Value>, ApiError> {
    let bot =
        match body.agent_bot {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) if n.as_i64().is_some() => n.as_i64().map(AgentBotId),
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(Value::String(s)) => Some(AgentBotId(s.trim().parse().map_err(|_| {
                invalid_param("agent_bot", "must be the id of an agent bot, or null")
            })?)),
            Some(_) => {
                return Err(invalid_param(
                    "agent_bot",
                    "must be the id of an agent bot, or null",
                ));
            }
        };
    state
        .services
        .set_inbox_agent_bot(caller.account, InboxId(path.id), bot)
        .await?;
    Ok(Json(json!({})))
}
