//! The JSON API, Chatwoot-compatible: `/api/v1/...` (application API, by `api_access_token` or
//! the browser session) and `/public/api/v1/...` (client API of API-channel inboxes).
//!
//! Each resource has a module with an `OpenApiRouter`; handlers carry `#[utoipa::path]`, so the
//! document at `/api/openapi.json` is generated from the routes themselves and cannot drift.

mod agent_bots;
mod agents;
mod attributes;
mod bot_access;
mod canned_responses;
pub mod compat;
mod contacts;
mod conversations;
mod dashboard_app_audit;
mod dashboard_apps;
mod direct_uploads;
pub mod extract;
mod filters;
mod inbox_members;
mod inboxes;
mod labels;
pub(crate) mod messages;
mod profile;
mod public;
pub(crate) mod public_conversations;
mod public_messages;
mod teams;
mod webhooks;

use std::sync::Arc;

use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;

use super::AppState;

/// The error body of every API error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong, for people.
    pub message: String,
    /// A stable code: `invalid`, `bad_request`, `unauthorized`, `forbidden`, `not_found`,
    /// `conflict`, `payload_too_large`, `unsupported_media_type`, `too_many_requests`, `internal`.
    pub code: String,
    /// The fields at fault, each `{field, message}`.
    pub errors: Vec<FieldError>,
}

/// One field at fault.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldError {
    /// The field, as the client spelled it (`content[0].url`).
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Oxidesk API",
        description = "Chatwoot-compatible application and client API of Oxidesk. See docs/api.md.",
    ),
    modifiers(&TokenAuth),
    components(schemas(ErrorBody, FieldError)),
)]
struct ApiDoc;

struct TokenAuth;

impl Modify for TokenAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "userApiKey",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("api_access_token"))),
        );
    }
}

fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(compat::router())
        .merge(profile::router())
        .merge(conversations::router())
        .merge(messages::router())
        .merge(contacts::router())
        .merge(inboxes::router())
        .merge(inbox_members::router())
        .merge(labels::router())
        .merge(teams::router())
        .merge(agents::router())
        .merge(attributes::router())
        .merge(dashboard_app_audit::router())
        .merge(dashboard_apps::router())
        .merge(filters::router())
        .merge(webhooks::router())
        .merge(canned_responses::router())
        .merge(agent_bots::router())
        .merge(direct_uploads::router())
        .merge(public::router())
}

/// The OpenAPI document of the whole API.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api_router().into_openapi()
}

pub(super) fn router() -> Router<AppState> {
    let (router, document) = api_router().split_for_parts();
    let document = Arc::new(document);
    router.route(
        "/api/openapi.json",
        get(move || {
            let document = Arc::clone(&document);
            async move { Json(document.as_ref().clone()) }
        }),
    )
}
