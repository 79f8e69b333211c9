//! `/api/v1/accounts/{account_id}/contacts/{id}/...`: a contact's conversations, labels,
//! identities in inboxes, and the inboxes it can be reached in.

use axum::Json;
use axum::extract::State;
use oxidesk_domain::InboxId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ContactPath;
use crate::http::api::ErrorBody;
use crate::http::api::extract::{AccountCaller, ApiJson, ApiPath, invalid_param};
use crate::http::{ApiError, AppState};
use crate::views::{ContactInboxView, ConversationView};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_contact_conversations))
        .routes(routes!(list_contact_labels, set_contact_labels))
        .routes(routes!(create_contact_inbox))
        .routes(routes!(list_contactable_inboxes))
}

/// A contact's conversations (Chatwoot's `contact_conversations_response`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ContactConversations {
    /// Most recent activity first.
    pub payload: Vec<ConversationView>,
}

/// The contact's latest 20 conversations, in any status, most recent activity first.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/contacts/{id}/conversations", tag = "contacts",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = ContactConversations), (status = 404, body = ErrorBody)))]
async fn list_contact_conversations(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<ContactPath>,
) -> Result<Json<ContactConversations>, ApiError> {
    let payload = state
        .services
        .contact_conversations(caller.account, path.contact_id())
        .await?;
    Ok(Json(ContactConversations { payload }))
}

/// The labels of a contact (Chatwoot's `contact_labels`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ContactLabels {
    /// Titles, sorted.
    pub payload: Vec<String>,
}

/// A contact's labels.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/contacts/{id}/labels", tag = "contacts",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = ContactLabels), (status = 404, body = ErrorBody)))]
async fn list_contact_labels(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<ContactPath>,
) -> Result<Json<ContactLabels>, ApiError> {
    let payload = state
        .services
        .contact_labels(caller.account, path.contact_id())
        .await?;
    Ok(Json(ContactLabels { payload }))
}

/// Body of `POST .../labels`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SetContactLabelsRequest {
    /// The new list of labels (required): it replaces the old one.
    pub labels: Option<Vec<String>>,
}

/// Replaces a contact's labels (titles of letters, digits, `-` and `_`; lower-cased).
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/contacts/{id}/labels", tag = "contacts",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    request_body = SetContactLabelsRequest,
    responses((status = 200, body = ContactLabels), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_contact_labels(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<ContactPath>,
    ApiJson(body): ApiJson<SetContactLabelsRequest>,
) -> Result<Json<ContactLabels>, ApiError> {
    let labels = body
        .labels
        .ok_or_else(|| invalid_param("labels", "is required: the list of label titles"))?;
    let payload = state
        .services
        .set_contact_labels(caller.account, path.contact_id(), &labels)
        .await?;
    Ok(Json(ContactLabels { payload }))
}

/// Body of `POST .../contact_inboxes`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateContactInboxRequest {
    /// The inbox (required).
    pub inbox_id: Option<i64>,
    /// The contact's id there; a new UUID when absent.
    pub source_id: Option<String>,
}

/// Makes a contact reachable in an inbox: its identity there (the existing one when the
/// contact already has this source id).
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/contacts/{id}/contact_inboxes", tag = "contacts",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    request_body = CreateContactInboxRequest,
    responses((status = 200, body = ContactInboxView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_contact_inbox(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<ContactPath>,
    ApiJson(body): ApiJson<CreateContactInboxRequest>,
) -> Result<Json<ContactInboxView>, ApiError> {
    let inbox = body
        .inbox_id
        .ok_or_else(|| invalid_param("inbox_id", "is required"))?;
    let view = state
        .services
        .add_contact_inbox(
            caller.account,
            path.contact_id(),
            InboxId(inbox),
            body.source_id.as_deref(),
        )
        .await?;
    Ok(Json(view))
}

/// The inboxes a contact can be reached in (Chatwoot's `contactable_inboxes_response`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ContactableInboxes {
    /// Each inbox with the source id to use there.
    pub payload: Vec<ContactInboxView>,
}

/// The account's inboxes the contact can be reached in (every API inbox), each with the
/// contact's latest source id there or, where it has none yet, a new one to use.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/contacts/{id}/contactable_inboxes", tag = "contacts",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = ContactableInboxes), (status = 404, body = ErrorBody)))]
async fn list_contactable_inboxes(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<ContactPath>,
) -> Result<Json<ContactableInboxes>, ApiError> {
    let payload = state
        .services
        .contactable_inboxes(caller.account, path.contact_id())
        .await?;
    Ok(Json(ContactableInboxes { payload }))
}
