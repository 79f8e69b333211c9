//! `POST /api/v1/accounts/{account_id}/actions/contact_merge` (administrators).

use axum::Json;
use axum::extract::State;
use oxidesk_domain::ContactId;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::api::ErrorBody;
use crate::http::api::extract::{AdminCaller, ApiJson};
use crate::http::{ApiError, AppState};
use crate::views::ContactDetailView;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(merge_contacts))
}

/// Body of `actions/contact_merge`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ContactMergeRequest {
    /// The contact that remains and receives the other's conversations, identities, labels and
    /// the attributes it lacks.
    pub base_contact_id: i64,
    /// The contact merged into the base, then deleted.
    pub mergee_contact_id: i64,
}

/// Merges `mergee_contact_id` into `base_contact_id`, for good, in one transaction; answers the
/// base contact as it is after (bare, as Chatwoot answers).
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/actions/contact_merge", tag = "contacts",
    security(("userApiKey" = [])), params(("account_id" = i64, Path)), request_body = ContactMergeRequest,
    responses((status = 200, body = ContactDetailView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn merge_contacts(
    State(state): State<AppState>,
    caller: AdminCaller,
    ApiJson(body): ApiJson<ContactMergeRequest>,
) -> Result<Json<ContactDetailView>, ApiError> {
    let services = &state.services;
    let contact = services
        .merge_contacts(
            caller.account,
            ContactId(body.base_contact_id),
            ContactId(body.mergee_contact_id),
        )
        .await?;
    Ok(Json(services.contact_view(caller.account, &contact).await?))
}
