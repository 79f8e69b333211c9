//! `/api/v1/accounts/{account_id}/teams` and their `team_members`. Everyone reads;
//! administrators write. `is_member` tells whether the caller belongs to a team.

use axum::Json;
use axum::extract::State;
use oxidesk_domain::{Team, TeamId, UserId};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ErrorBody;
use super::extract::{AccountCaller, ApiJson, ApiPath, invalid_param};
use crate::http::{ApiError, AppState};
use crate::service::TeamFields;
use crate::views::{AgentView, TeamView};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_teams, create_team))
        .routes(routes!(get_team, update_team, delete_team))
        .routes(routes!(
            list_team_members,
            create_team_members,
            update_team_members,
            delete_team_members
        ))
}

/// `{account_id}/teams/{team_id}`.
#[derive(Debug, Deserialize)]
pub struct TeamPath {
    /// The account (checked by `AccountCaller`).
    #[allow(dead_code)]
    pub account_id: i64,
    /// The team.
    pub team_id: i64,
}

impl TeamPath {
    fn id(&self) -> TeamId {
        TeamId(self.team_id)
    }
}

/// Body of `POST`/`PATCH .../teams` (Chatwoot's `team_create_update_payload`).
#[derive(Debug, Deserialize, ToSchema)]
pub struct TeamRequest {
    /// The name, stored lower-case (required when creating).
    pub name: Option<String>,
    /// What the team does.
    pub description: Option<String>,
    /// Whether conversations given to the team go to its members automatically (default true).
    pub allow_auto_assign: Option<bool>,
}

impl From<TeamRequest> for TeamFields {
    fn from(body: TeamRequest) -> Self {
        TeamFields {
            name: body.name,
            description: body.description,
            allow_auto_assign: body.allow_auto_assign,
        }
    }
}

/// Body of the `team_members` writes.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TeamMembersRequest {
    /// Users of the account.
    #[schema(value_type = Vec<i64>)]
    pub user_ids: Option<Vec<i64>>,
}

impl TeamMembersRequest {
    fn users(self) -> Result<Vec<UserId>, ApiError> {
        let users = self
            .user_ids
            .ok_or_else(|| invalid_param("user_ids", "is required"))?;
        Ok(users.into_iter().map(UserId).collect())
    }
}

/// The view of `team` for a caller who is a member or not.
fn view(team: &Team, is_member: bool) -> TeamView {
    TeamView {
        is_member,
        ..TeamView::from(team)
    }
}

/// The view of `team` for `caller`.
async fn view_for(
    state: &AppState,
    caller: &AccountCaller,
    team: &Team,
) -> Result<TeamView, ApiError> {
    let mine = state
        .services
        .teams_of(caller.account, caller.user.id)
        .await?;
    Ok(view(team, mine.contains(&team.id)))
}

fn agent_views(agents: &[oxidesk_domain::Agent]) -> Vec<AgentView> {
    agents.iter().map(AgentView::from).collect()
}

/// The account's teams, oldest first.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/teams", tag = "teams",
    security(("userApiKey" = [])), params(("account_id" = i64, Path)),
    responses((status = 200, body = Vec<TeamView>), (status = 401, body = ErrorBody)))]
async fn list_teams(
    State(state): State<AppState>,
    caller: AccountCaller,
) -> Result<Json<Vec<TeamView>>, ApiError> {
    let teams = state.services.teams(caller.account).await?;
    let mine = state
        .services
        .teams_of(caller.account, caller.user.id)
        .await?;
    Ok(Json(
        teams
            .iter()
            .map(|team| view(team, mine.contains(&team.id)))
            .collect(),
    ))
}

/// One team.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/teams/{team_id}", tag = "teams",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("team_id" = i64, Path)),
    responses((status = 200, body = TeamView), (status = 404, body = ErrorBody)))]
async fn get_team(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<TeamPath>,
) -> Result<Json<TeamView>, ApiError> {
    let team = state.services.team(caller.account, path.id()).await?;
    Ok(Json(view_for(&state, &caller, &team).await?))
}

/// Creates a team; names are unique in the account (and stored lower-case, as in Chatwoot).
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/teams", tag = "teams",
    security(("userApiKey" = [])), params(("account_id" = i64, Path)), request_body = TeamRequest,
    responses((status = 200, body = TeamView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_team(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiJson(body): ApiJson<TeamRequest>,
) -> Result<Json<TeamView>, ApiError> {
    caller.require_admin()?;
    let team = state
        .services
        .create_team_with(caller.account, &body.into())
        .await?;
    Ok(Json(view(&team, false)))
}

/// Changes a team; fields left out keep their value.
#[utoipa::path(patch, path = "/api/v1/accounts/{account_id}/teams/{team_id}", tag = "teams",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("team_id" = i64, Path)),
    request_body = TeamRequest,
    responses((status = 200, body = TeamView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_team(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<TeamPath>,
    ApiJson(body): ApiJson<TeamRequest>,
) -> Result<Json<TeamView>, ApiError> {
    caller.require_admin()?;
    let team = state
        .services
        .update_team(caller.account, path.id(), &body.into())
        .await?;
    Ok(Json(view_for(&state, &caller, &team).await?))
}

/// Deletes a team; its conversations lose the team and keep their assignee.
#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/teams/{team_id}", tag = "teams",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("team_id" = i64, Path)),
    responses((status = 200, description = "Deleted: `{}`"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_team(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<TeamPath>,
) -> Result<Json<Value>, ApiError> {
    caller.require_admin()?;
    state
        .services
        .delete_team(caller.account, path.id())
        .await?;
    Ok(Json(json!({})))
}

/// The members of a team.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/teams/{team_id}/team_members", tag = "teams",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("team_id" = i64, Path)),
    responses((status = 200, body = Vec<AgentView>), (status = 404, body = ErrorBody)))]
async fn list_team_members(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<TeamPath>,
) -> Result<Json<Vec<AgentView>>, ApiError> {
    let agents = state
        .services
        .team_members(caller.account, path.id())
        .await?;
    Ok(Json(agent_views(&agents)))
}

/// Adds `user_ids` to the team; answers the agents who joined (as Chatwoot).
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/teams/{team_id}/team_members", tag = "teams",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("team_id" = i64, Path)),
    request_body = TeamMembersRequest,
    responses((status = 200, body = Vec<AgentView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_team_members(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<TeamPath>,
    ApiJson(body): ApiJson<TeamMembersRequest>,
) -> Result<Json<Vec<AgentView>>, ApiError> {
    caller.require_admin()?;
    let agents = state
        .services
        .add_team_members(caller.account, path.id(), &body.users()?)
        .await?;
    Ok(Json(agent_views(&agents)))
}

/// Makes `user_ids` the members of the team (the others leave it); answers them.
#[utoipa::path(patch, path = "/api/v1/accounts/{account_id}/teams/{team_id}/team_members", tag = "teams",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("team_id" = i64, Path)),
    request_body = TeamMembersRequest,
    responses((status = 200, body = Vec<AgentView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_team_members(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<TeamPath>,
    ApiJson(body): ApiJson<TeamMembersRequest>,
) -> Result<Json<Vec<AgentView>>, ApiError> {
    caller.require_admin()?;
    let agents = state
        .services
        .set_team_members(caller.account, path.id(), &body.users()?)
        .await?;
    Ok(Json(agent_views(&agents)))
}

/// Takes `user_ids` out of the team.
#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/teams/{team_id}/team_members", tag = "teams",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("team_id" = i64, Path)),
    request_body = TeamMembersRequest,
    responses((status = 200, description = "Removed: `{}`"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn delete_team_members(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<TeamPath>,
    ApiJson(body): ApiJson<TeamMembersRequest>,
) -> Result<Json<Value>, ApiError> {
    caller.require_admin()?;
    state
        .services
        .remove_team_members(caller.account, path.id(), &body.users()?)
        .await?;
    Ok(Json(json!({})))
}
