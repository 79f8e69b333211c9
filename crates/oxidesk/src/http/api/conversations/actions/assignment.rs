//! `POST .../conversations/{conversation_id}/assignments`: an agent or a team.

use axum::Json;
use axum::extract::State;
use oxidesk_domain::{TeamId, UserId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::http::api::ErrorBody;
use crate::http::api::bot_access::ConversationCaller;
use crate::http::api::conversations::ConversationPath;
use crate::http::api::extract::{ApiJson, ApiPath, invalid_param, present};
use crate::http::{ApiError, AppState};
use crate::views::{AgentView, TeamView};

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

/// What an assignment answers: the agent or the team now assigned (`null` once unassigned).
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub(super) enum Assigned {
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
pub(super) async fn create_assignment(
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
