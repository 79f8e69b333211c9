//! `/api/v1/accounts/{account_id}/inbox_members`: the agents who work in an inbox. Everyone
//! reads; administrators write.

use axum::Json;
use axum::extract::State;
use oxidesk_domain::{InboxId, UserId};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ErrorBody;
use super::extract::{AccountCaller, ApiJson, ApiPath, invalid_param};
use crate::http::{ApiError, AppState};
use crate::views::AgentView;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_inbox_members))
        .routes(routes!(
            create_inbox_members,
            update_inbox_members,
            delete_inbox_members
        ))
}

/// `{account_id}/inbox_members/{inbox_id}`.
#[derive(Debug, Deserialize)]
pub struct InboxMembersPath {
    /// The account (checked by `AccountCaller`).
    #[allow(dead_code)]
    pub account_id: i64,
    /// The inbox.
    pub inbox_id: i64,
}

/// The agents of an inbox.
#[derive(Debug, Serialize, ToSchema)]
pub struct InboxMemberList {
    /// Agents, by user id.
    pub payload: Vec<AgentView>,
}

/// The agents of an inbox.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/inbox_members/{inbox_id}", tag = "inboxes",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("inbox_id" = i64, Path)),
    responses((status = 200, body = InboxMemberList), (status = 404, body = ErrorBody)))]
async fn list_inbox_members(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<InboxMembersPath>,
) -> Result<Json<InboxMemberList>, ApiError> {
    let agents = state
        .services
        .inbox_members(caller.account, InboxId(path.inbox_id))
        .await?;
    Ok(Json(InboxMemberList {
        payload: agents.iter().map(AgentView::from).collect(),
    }))
}

/// Body of the `inbox_members` writes.
#[derive(Debug, Deserialize, ToSchema)]
pub struct InboxMembersRequest {
    /// The inbox (an integer, or a string of one as Chatwoot's documents show).
    #[serde(default, deserialize_with = "int_or_string")]
    #[schema(value_type = i64)]
    pub inbox_id: Option<i64>,
    /// Users of the account.
    #[schema(value_type = Vec<i64>)]
    pub user_ids: Option<Vec<i64>>,
}

impl InboxMembersRequest {
    /// The inbox and users, both required.
    fn parts(self) -> Result<(InboxId, Vec<UserId>), ApiError> {
        let inbox = self
            .inbox_id
            .ok_or_else(|| invalid_param("inbox_id", "is required"))?;
        let users = self
            .user_ids
            .ok_or_else(|| invalid_param("user_ids", "is required"))?;
        Ok((InboxId(inbox), users.into_iter().map(UserId).collect()))
    }
}

/// An integer given as a number or as a string of digits.
fn int_or_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum IntOrString {
        Int(i64),
        Text(String),
    }
    match Option::<IntOrString>::deserialize(d)? {
        None => Ok(None),
        Some(IntOrString::Int(n)) => Ok(Some(n)),
        Some(IntOrString::Text(text)) => text
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| serde::de::Error::custom(format!("must be an integer (got '{text}')"))),
    }
}

/// Makes `user_ids` the agents of the inbox (replacing the list, as Chatwoot); answers them.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/inbox_members", tag = "inboxes",
    security(("userApiKey" = [])), params(("account_id" = i64, Path)), request_body = InboxMembersRequest,
    responses((status = 200, body = InboxMemberList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_inbox_members(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiJson(body): ApiJson<InboxMembersRequest>,
) -> Result<Json<InboxMemberList>, ApiError> {
    set_members(state, caller, body).await
}

/// Makes `user_ids` the agents of the inbox (the others leave it); answers them.
#[utoipa::path(patch, path = "/api/v1/accounts/{account_id}/inbox_members", tag = "inboxes",
    security(("userApiKey" = [])), params(("account_id" = i64, Path)), request_body = InboxMembersRequest,
    responses((status = 200, body = InboxMemberList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_inbox_members(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiJson(body): ApiJson<InboxMembersRequest>,
) -> Result<Json<InboxMemberList>, ApiError> {
    set_members(state, caller, body).await
}

async fn set_members(
    state: AppState,
    caller: AccountCaller,
    body: InboxMembersRequest,
) -> Result<Json<InboxMemberList>, ApiError> {
    caller.require_admin()?;
    let (inbox, users) = body.parts()?;
    let agents = state
        .services
        .set_inbox_members(caller.account, inbox, &users)
        .await?;
    Ok(Json(InboxMemberList {
        payload: agents.iter().map(AgentView::from).collect(),
    }))
}

/// Takes `user_ids` out of the inbox.
#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/inbox_members", tag = "inboxes",
    security(("userApiKey" = [])), params(("account_id" = i64, Path)), request_body = InboxMembersRequest,
    responses((status = 200, description = "Removed: `{}`"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn delete_inbox_members(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiJson(body): ApiJson<InboxMembersRequest>,
) -> Result<Json<Value>, ApiError> {
    caller.require_admin()?;
    let (inbox, users) = body.parts()?;
    state
        .services
        .remove_inbox_members(caller.account, inbox, &users)
        .await?;
    Ok(Json(json!({})))
}
