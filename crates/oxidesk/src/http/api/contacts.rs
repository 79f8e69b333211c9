//! `/api/v1/accounts/{account_id}/contacts`: list and search ([`listing`]), create and update
//! ([`edit`]), show and delete (this module); a contact's conversations, labels and inboxes
//! ([`related`]).

mod edit;
mod listing;
mod merge;
mod related;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use oxidesk_domain::ContactId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ErrorBody;
use super::extract::{AccountCaller, ApiPath};
use crate::http::{ApiError, AppState};
use crate::views::ContactDetailView;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(listing::list_contacts, edit::create_contact))
        .routes(routes!(listing::search_contacts))
        .routes(routes!(get_contact, edit::update_contact, delete_contact))
        .merge(related::router())
        .merge(merge::router())
}

/// `{account_id}/contacts/{id}` path parameters.
#[derive(Debug, Deserialize)]
pub struct ContactPath {
    /// The account (checked by `AccountCaller`).
    #[allow(dead_code)]
    pub account_id: i64,
    /// The contact.
    pub id: i64,
}

impl ContactPath {
    /// The contact's id.
    pub fn contact_id(&self) -> ContactId {
        ContactId(self.id)
    }
}

/// One contact (Chatwoot's `contact_show_response`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ContactResponse {
    /// The contact, with its identities in inboxes.
    pub payload: ContactDetailView,
}

/// One contact, with its identities in inboxes.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/contacts/{id}", tag = "contacts",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = ContactResponse), (status = 404, body = ErrorBody)))]
async fn get_contact(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<ContactPath>,
) -> Result<Json<ContactResponse>, ApiError> {
    let services = &state.services;
    let contact = services.contact(caller.account, path.contact_id()).await?;
    Ok(Json(ContactResponse {
        payload: services.contact_view(caller.account, &contact).await?,
    }))
}

/// Deletes a contact with its conversations (administrators only). 200 with an empty body, as
/// Chatwoot answers.
#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/contacts/{id}", tag = "contacts",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, description = "Deleted"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_contact(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<ContactPath>,
) -> Result<StatusCode, ApiError> {
    caller.require_admin()?;
    state
        .services
        .delete_contact(caller.account, path.contact_id())
        .await?;
    Ok(StatusCode::OK)
}
