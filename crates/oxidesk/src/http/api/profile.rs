//! `GET /health` and `GET /api/v1/profile`.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use oxidesk_domain::User;
use serde_json::Value;

use super::extract::{ApiJson, parse_json};
use crate::http::session::ApiCaller;
use crate::http::{ApiError, AppState};
use crate::service::{ProfileChanges, ServiceError};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_health))
        .routes(routes!(get_profile, update_profile))
}

/// The health check's answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: &'static str,
}

/// Health: 200 when the database answers.
#[utoipa::path(get, path = "/health", tag = "system", responses((status = 200, body = Health)))]
async fn get_health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    state
        .services
        .store
        .ping()
        .await
        .map_err(ServiceError::from)?;
    Ok(Json(Health { status: "ok" }))
}

/// One account of the caller.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileAccount {
    /// Account id.
    pub id: i64,
    /// Account name.
    pub name: String,
    /// `agent` or `administrator`.
    pub role: String,
    /// Availability in the account.
    pub availability: String,
    /// Same as `availability` (Chatwoot sends both).
    pub availability_status: String,
    /// Whether availability turns offline by itself.
    pub auto_offline: bool,
}

/// The caller's profile (Chatwoot's `user`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Profile {
    /// User id.
    pub id: i64,
    /// Full name.
    pub name: String,
    /// Display name.
    pub display_name: Option<String>,
    /// Display name, or name.
    pub available_name: String,
    /// Email.
    pub email: String,
    /// Whether the email is confirmed.
    pub confirmed: bool,
    /// Avatar URL (empty when none).
    pub avatar_url: String,
    /// Same as `avatar_url`.
    pub thumbnail: String,
    /// The first account.
    pub account_id: Option<i64>,
    /// Role in the first account.
    pub role: Option<String>,
    /// Availability in the first account.
    pub availability_status: Option<String>,
    /// Every account of the caller.
    pub accounts: Vec<ProfileAccount>,
}

/// The caller and their accounts.
#[utoipa::path(get, path = "/api/v1/profile", tag = "profile", security(("userApiKey" = [])),
    responses((status = 200, body = Profile), (status = 401, body = super::ErrorBody)))]
async fn get_profile(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<Json<Profile>, ApiError> {
    profile_of(&state, &caller.user).await.map(Json)
}

/// Body of `PUT /api/v1/profile` (also accepted wrapped in `profile`, as Chatwoot's dashboard
/// sends it).
#[derive(Debug, Default, serde::Deserialize, ToSchema)]
pub struct UpdateProfileRequest {
    /// Full name.
    pub name: Option<String>,
    /// Display name (empty clears it).
    pub display_name: Option<String>,
    /// Picture URL (empty clears it).
    pub avatar_url: Option<String>,
    /// A new password (at least 8 characters).
    pub password: Option<String>,
    /// The current password, required with `password`.
    pub current_password: Option<String>,
}

/// Changes the caller's name, display name, picture or password.
#[utoipa::path(put, path = "/api/v1/profile", tag = "profile", security(("userApiKey" = [])),
    request_body = UpdateProfileRequest,
    responses((status = 200, body = Profile), (status = 401, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
async fn update_profile(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiJson(body): ApiJson<Value>,
) -> Result<Json<Profile>, ApiError> {
    let inner = match body {
        Value::Object(mut map) if map.get("profile").is_some_and(Value::is_object) => {
            map.remove("profile").unwrap_or_default()
        }
        other => other,
    };
    let request: UpdateProfileRequest = parse_json(inner.to_string().as_bytes())?;
    let changes = ProfileChanges {
        name: request.name,
        display_name: request.display_name,
        avatar_url: request.avatar_url,
        password: request.password,
        current_password: request.current_password,
    };
    let user = state
        .services
        .update_profile(&caller.user, &changes)
        .await?;
    profile_of(&state, &user).await.map(Json)
}

async fn profile_of(state: &AppState, user: &User) -> Result<Profile, ApiError> {
    let memberships = state.services.memberships_of(user.id).await?;
    let first = memberships.first();
    Ok(Profile {
        id: user.id.get(),
        name: user.name.clone(),
        display_name: user.display_name.clone(),
        available_name: user.available_name().to_owned(),
        email: user.email.clone(),
        confirmed: user.confirmed,
        avatar_url: user.avatar_url.clone().unwrap_or_default(),
        thumbnail: user.avatar_url.clone().unwrap_or_default(),
        account_id: first.map(|(a, _)| a.id.get()),
        role: first.map(|(_, m)| m.role.as_str().to_owned()),
        availability_status: first.map(|(_, m)| m.availability.as_str().to_owned()),
        accounts: memberships
            .iter()
            .map(|(account, m)| ProfileAccount {
                id: account.id.get(),
                name: account.name.clone(),
                role: m.role.as_str().to_owned(),
                availability: m.availability.as_str().to_owned(),
                availability_status: m.availability.as_str().to_owned(),
                auto_offline: m.auto_offline,
            })
            .collect(),
    })
}
