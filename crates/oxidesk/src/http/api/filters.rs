//! `POST /api/v1/accounts/{account_id}/conversations/filter` and `…/contacts/filter`:
//! Chatwoot's custom filters (see `service::filters` for the attributes and operators).

use axum::Json;
use axum::extract::State;
use oxidesk_domain::AttributeModel;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ErrorBody;
use super::conversations::ConversationCountsView;
use super::extract::{AccountCaller, ApiJson, ApiQuery, invalid_param};
use crate::http::{ApiError, AppState};
use crate::service::{FilterItem, ServiceError};
use crate::views::{ContactDetailView, ConversationView};

/// Conversations a page (as the list).
const CONVERSATIONS_PAGE: i64 = 25;
/// Contacts a page (as the list).
const CONTACTS_PAGE: i64 = 15;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(filter_conversations))
        .routes(routes!(filter_contacts))
}

/// Body of a filter: `{payload: [{attribute_key, filter_operator, values, query_operator}]}`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct FilterRequest {
    /// The conditions, in order; each `query_operator` joins it to the next.
    #[serde(default)]
    pub payload: Vec<FilterItem>,
}

/// The page number of `page` (1 when absent).
fn page_of(query: &ApiQuery) -> Result<i64, ApiError> {
    let page = query.int("page")?.unwrap_or(1);
    if (1..=10_000).contains(&page) {
        Ok(page)
    } else {
        Err(invalid_param("page", "must be between 1 and 10000"))
    }
}

/// The answer of a conversation filter.
#[derive(Debug, Serialize, ToSchema)]
pub struct FilteredConversations {
    /// The counts of what matches (each up to `count_limit`).
    pub meta: ConversationCountsView,
    /// The page, most recent activity first.
    pub payload: Vec<ConversationView>,
}

/// Conversations matching the conditions, 25 a page (`page`), most recent activity first.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/conversations/filter", tag = "conversations",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("page" = Option<i64>, Query)),
    request_body = FilterRequest,
    responses((status = 200, body = FilteredConversations), (status = 422, body = ErrorBody)))]
async fn filter_conversations(
    State(state): State<AppState>,
    caller: AccountCaller,
    query: ApiQuery,
    ApiJson(body): ApiJson<FilterRequest>,
) -> Result<Json<FilteredConversations>, ApiError> {
    let page = page_of(&query)?;
    let services = &state.services;
    let conditions = services
        .filter_conditions(caller.account, AttributeModel::Conversation, &body.payload)
        .await?;
    let (conversations, counts) = services
        .store
        .filter_conversations(
            caller.account,
            &conditions,
            caller.user.id,
            (page - 1) * CONVERSATIONS_PAGE,
            CONVERSATIONS_PAGE,
        )
        .await
        .map_err(ServiceError::from)?;
    Ok(Json(FilteredConversations {
        meta: ConversationCountsView {
            mine_count: counts.mine,
            unassigned_count: counts.unassigned,
            assigned_count: counts.all - counts.unassigned,
            all_count: counts.all,
            count_limit: Some(oxidesk_store::COUNT_LIMIT),
        },
        payload: services
            .conversation_views(caller.account, conversations)
            .await?,
    }))
}

/// `meta` of a contact filter.
#[derive(Debug, Serialize, ToSchema)]
pub struct FilteredContactsMeta {
    /// How many contacts match, up to 1,000.
    pub count: i64,
    /// The page.
    pub current_page: i64,
}

/// The answer of a contact filter.
#[derive(Debug, Serialize, ToSchema)]
pub struct FilteredContacts {
    /// Count and page.
    pub meta: FilteredContactsMeta,
    /// The page, most recent activity first.
    pub payload: Vec<ContactDetailView>,
}

/// Contacts matching the conditions, 15 a page (`page`), most recent activity first.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/contacts/filter", tag = "contacts",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("page" = Option<i64>, Query)),
    request_body = FilterRequest,
    responses((status = 200, body = FilteredContacts), (status = 422, body = ErrorBody)))]
async fn filter_contacts(
    State(state): State<AppState>,
    caller: AccountCaller,
    query: ApiQuery,
    ApiJson(body): ApiJson<FilterRequest>,
) -> Result<Json<FilteredContacts>, ApiError> {
    let page = page_of(&query)?;
    let services = &state.services;
    let conditions = services
        .filter_conditions(caller.account, AttributeModel::Contact, &body.payload)
        .await?;
    let (contacts, count) = services
        .store
        .filter_contacts(
            caller.account,
            &conditions,
            (page - 1) * CONTACTS_PAGE,
            CONTACTS_PAGE,
        )
        .await
        .map_err(ServiceError::from)?;
    Ok(Json(FilteredContacts {
        meta: FilteredContactsMeta {
            count,
            current_page: page,
        },
        payload: services
            .contact_views(caller.account, &contacts, true)
            .await?,
    }))
}
