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
        .routes(routes!(get_profile, update_profile, patch_profile))
        .routes(routes!(update_availability))
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
    /// What others see: `availability`, or `offline` with `auto_offline` while no dashboard
    /// of the caller is open (Chatwoot's presence rule).
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
    /// `online` (or `available`), `busy` or `offline`: the caller's availability in
    /// `account_id` (their first account when absent).
    #[serde(default, deserialize_with = "super::agents::availability")]
    #[schema(value_type = Option<String>)]
    pub availability: Option<oxidesk_domain::Availability>,
    /// The account whose availability changes.
    pub account_id: Option<i64>,
}

/// Changes the caller's name, display name, picture, password or availability.
#[utoipa::path(put, path = "/api/v1/profile", tag = "profile", security(("userApiKey" = [])),
    request_body = UpdateProfileRequest,
    responses((status = 200, body = Profile), (status = 401, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
async fn update_profile(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiJson(body): ApiJson<Value>,
) -> Result<Json<Profile>, ApiError> {
    change_profile(&state, &caller, body).await
}

/// `PATCH` does what `PUT` does (Chatwoot's dashboard sends both).
#[utoipa::path(patch, path = "/api/v1/profile", tag = "profile", security(("userApiKey" = [])),
    request_body = UpdateProfileRequest,
    responses((status = 200, body = Profile), (status = 401, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
async fn patch_profile(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiJson(body): ApiJson<Value>,
) -> Result<Json<Profile>, ApiError> {
    change_profile(&state, &caller, body).await
}

/// Chatwoot's `POST /api/v1/profile/availability` (`{profile: {availability, account_id}}`).
#[utoipa::path(post, path = "/api/v1/profile/availability", tag = "profile",
    security(("userApiKey" = [])), request_body = UpdateProfileRequest,
    responses((status = 200, body = Profile), (status = 401, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
async fn update_availability(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiJson(body): ApiJson<Value>,
) -> Result<Json<Profile>, ApiError> {
    let request = request_of(body)?;
    if request.availability.is_none() {
        return Err(ServiceError::from(oxidesk_domain::ValidationError::new(
            "availability",
            "is required",
        ))
        .into());
    }
    change_profile_with(&state, &caller, request).await
}

/// The request, also accepted wrapped in `profile`.
fn request_of(body: Value) -> Result<UpdateProfileRequest, ApiError> {
    let inner = match body {
        Value::Object(mut map) if map.get("profile").is_some_and(Value::is_object) => {
            map.remove("profile").unwrap_or_default()
        }
        other => other,
    };
    parse_json(inner.to_string().as_bytes())
}

async fn change_profile(
    state: &AppState,
    caller: &ApiCaller,
    body: Value,
) -> Result<Json<Profile>, ApiError> {
    change_profile_with(state, caller, request_of(body)?).await
}

async fn change_profile_with(
    state: &AppState,
    caller: &ApiCaller,
    request: UpdateProfileRequest,
) -> Result<Json<Profile>, ApiError> {
    let changes = ProfileChanges {
        name: request.name,
        display_name: request.display_name,
        avatar_url: request.avatar_url,
        password: request.password,
        current_password: request.current_password,
    };
    let touches_profile = changes.name.is_some()
        || changes.display_name.is_some()
        || changes.avatar_url.is_some()
        || changes.password.is_some();
    let user = if touches_profile || request.availability.is_none() {
        state
            .services
            .update_profile(&caller.user, &changes)
            .await?
    } else {
        caller.user.clone()
    };
    if let Some(availability) = request.availability {
        state
            .services
            .set_own_availability(
                &user,
                request.account_id.map(oxidesk_domain::AccountId),
                availability,
            )
            .await?;
    }
    profile_of(state, &user).await.map(Json)
}

async fn profile_of(state: &AppState, user: &User) -> Result<Profile, ApiError> {
    let memberships = state.services.memberships_of(user.id).await?;
    let first = memberships.first();
    let now = oxidesk_domain::Timestamp::now();
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
        availability_status: first.map(|(_, m)| m.availability_status(now).as_str().to_owned()),
        accounts: memberships
            .iter()
            .map(|(account, m)| ProfileAccount {
                id: account.id.get(),
                name: account.name.clone(),
                role: m.role.as_str().to_owned(),
                availability: m.availability.as_str().to_owned(),
                availability_status: m.availability_status(now).as_str().to_owned(),
                auto_offline: m.auto_offline,
            })
            .collect(),
    })
}
