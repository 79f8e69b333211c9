//! `/api/v1/accounts/{account_id}/conversations`: list, counts, create, show, update, status,
//! priority, assignment, labels, custom attributes, read marks, typing, mute. The actions on one
//! conversation are in `actions`.

mod actions;
mod create;
mod removal;

use axum::Json;
use axum::extract::State;
use oxidesk_domain::{
    AssigneeKind, ConversationStatus, DisplayId, InboxId, Priority, TeamId, parse_priority,
};
use oxidesk_store::{AssigneeFilter, ConversationFilter, ConversationQuery, Cursor};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ErrorBody;
use super::bot_access::ConversationCaller;
use super::extract::{AccountCaller, ApiJson, ApiPath, ApiQuery, JsonBytes};
use crate::http::{ApiError, AppState};
use crate::views::ConversationView;

/// `{account_id}/conversations/{conversation_id}` path parameters.
#[derive(Debug, Deserialize)]
pub struct ConversationPath {
    /// The account (checked by `AccountCaller`).
    #[allow(dead_code)]
    pub account_id: i64,
    /// The conversation's display id.
    pub conversation_id: i64,
}

impl ConversationPath {
    /// The display id.
    pub fn display_id(&self) -> DisplayId {
        DisplayId(self.conversation_id)
    }
}

/// Conversations per page (Chatwoot's page size).
pub const PAGE_SIZE: i64 = 25;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_conversations, create::create_conversation))
        .routes(routes!(get_conversation_meta))
        .routes(routes!(
            get_conversation,
            update_conversation,
            removal::delete_conversation
        ))
        .merge(actions::router())
}

/// Counts per assignee tab.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConversationCountsView {
    /// Assigned to the caller.
    pub mine_count: i64,
    /// Assigned to nobody.
    pub unassigned_count: i64,
    /// Assigned to somebody.
    pub assigned_count: i64,
    /// All.
    pub all_count: i64,
    /// Present when the counts were bounded (a label, search or contact filter): each count is
    /// exact below this number, and equal to it means "this many or more". Without those
    /// filters the counts are exact (maintained with every change) and this is absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count_limit: Option<i64>,
}

impl From<oxidesk_store::ConversationCounts> for ConversationCountsView {
    fn from(c: oxidesk_store::ConversationCounts) -> Self {
        Self {
            mine_count: c.mine,
            unassigned_count: c.unassigned,
            assigned_count: c.assigned,
            all_count: c.all,
            count_limit: c.limit,
        }
    }
}

/// `meta` of a conversation list: the counts, and the cursor of the next page.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConversationListMeta {
    #[serde(flatten)]
    counts: ConversationCountsView,
    /// Pass as `after` for the next page (Oxidesk's keyset pagination); null on the last page.
    pub next_cursor: Option<String>,
}

/// `data` of a conversation list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConversationListData {
    /// Counts.
    pub meta: ConversationListMeta,
    /// The conversations of this page, most recent activity first.
    pub payload: Vec<ConversationView>,
}

/// A conversation list (Chatwoot's `conversation_list`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ConversationList {
    /// The page.
    pub data: ConversationListData,
}

/// Reads the list filters shared by the list and the counts.
fn filter_from(caller: &AccountCaller, query: &ApiQuery) -> Result<ConversationFilter, ApiError> {
    let status = match query.text("status") {
        None => Some(ConversationStatus::Open),
        Some("all") => None,
        Some(_) => query.one_of::<ConversationStatus>("status")?,
    };
    let assignee = match query.one_of::<AssigneeKind>("assignee_type")? {
        None | Some(AssigneeKind::All) => AssigneeFilter::All,
        Some(AssigneeKind::Me) => AssigneeFilter::Me(caller.user.id),
        Some(AssigneeKind::Unassigned) => AssigneeFilter::Unassigned,
        Some(AssigneeKind::Assigned) => AssigneeFilter::Assigned,
    };
    let labels = query.list("labels");
    Ok(ConversationFilter {
        status,
        assignee,
        inbox_id: query.int("inbox_id")?.map(InboxId),
        team_id: query.int("team_id")?.map(TeamId),
        label: labels.first().map(|l| l.to_lowercase()),
        contact_id: None,
        search: query.text("q").map(str::to_owned),
    })
}

/// The conversations of the account, filtered, most recent activity first, 25 a page.
///
/// Pages: `after` (the `next_cursor` of the previous page) is fast at any depth; Chatwoot's
/// `page` (1, 2, ...) also works.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/conversations", tag = "conversations",
    security(("userApiKey" = [])),
    params(("account_id" = i64, Path, description = "The account"),
        ("assignee_type" = Option<String>, Query, description = "me, unassigned, assigned, all (default all)"),
        ("status" = Option<String>, Query, description = "open (default), resolved, pending, snoozed, all"),
        ("inbox_id" = Option<i64>, Query), ("team_id" = Option<i64>, Query),
        ("labels[]" = Option<Vec<String>>, Query, description = "Only conversations with this label"),
        ("q" = Option<String>, Query, description = "Contact name, email, phone, or #display id"),
        ("page" = Option<i64>, Query), ("after" = Option<String>, Query, description = "next_cursor of the previous page")),
    responses((status = 200, body = ConversationList), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list_conversations(
    State(state): State<AppState>,
    caller: AccountCaller,
    query: ApiQuery,
) -> Result<JsonBytes, ApiError> {
    let filter = filter_from(&caller, &query)?;
    let store = &state.services.store;
    let (mut after, page) = query.paging()?;
    // A search runs once: the page, a page number's cursor and the counts share it.
    let found = store
        .find_contacts(caller.account, filter.search.as_deref())
        .await
        .map_err(crate::service::ServiceError::from)?;
    if page > 1 {
        // Chatwoot's page numbers (counted from `after` when both are given): one index walk
        // to the page's start, then the keyset.
        let skip = (page - 1) * PAGE_SIZE - 1;
        after = Some(
            store
                .found_conversation_cursor_at(caller.account, &filter, found.as_ref(), after, skip)
                .await
                .map_err(crate::service::ServiceError::from)?
                .unwrap_or(Cursor {
                    key: i64::MIN,
                    id: i64::MIN,
                }),
        );
    }
    // The page, what its views need and the counts: one statement.
    let listed = store
        .list_page(
            caller.account,
            &ConversationQuery {
                filter,
                after,
                limit: PAGE_SIZE,
            },
            found.as_ref(),
            caller.user.id,
        )
        .await
        .map_err(crate::service::ServiceError::from)?;
    let payload = state
        .services
        .conversation_views_with(caller.account, listed.page.items, listed.extras)
        .await?;
    // Serialised into a buffer the size of a typical page (3 to 4 KB a conversation) rather
    // than one grown by doubling from 128 bytes: the same bytes as `Json` writes.
    let mut json = Vec::with_capacity(LIST_JSON_CAPACITY);
    serde_json::to_writer(
        &mut json,
        &ConversationList {
            data: ConversationListData {
                meta: ConversationListMeta {
                    counts: listed.counts.into(),
                    next_cursor: listed.page.next.map(Cursor::encode),
                },
                payload,
            },
        },
    )
    .map_err(|e| crate::service::ServiceError::Internal(e.to_string()))?;
    Ok(JsonBytes(json.into()))
}

/// The initial capacity of a list's JSON (a page of generated conversations is 75-80 KB).
const LIST_JSON_CAPACITY: usize = 96 * 1024;

/// Counts for `meta` alone (`GET .../conversations/meta`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ConversationMetaResponse {
    /// Counts.
    pub meta: ConversationCountsView,
}

/// The counts of each assignee tab, with the list's filters.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/conversations/meta", tag = "conversations",
    security(("userApiKey" = [])), params(("account_id" = i64, Path)),
    responses((status = 200, body = ConversationMetaResponse), (status = 401, body = ErrorBody)))]
async fn get_conversation_meta(
    State(state): State<AppState>,
    caller: AccountCaller,
    query: ApiQuery,
) -> Result<Json<ConversationMetaResponse>, ApiError> {
    let filter = filter_from(&caller, &query)?;
    let counts = state
        .services
        .store
        .count_conversations(caller.account, &filter, caller.user.id)
        .await
        .map_err(crate::service::ServiceError::from)?;
    Ok(Json(ConversationMetaResponse {
        meta: counts.into(),
    }))
}

/// One conversation.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/conversations/{conversation_id}", tag = "conversations",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("conversation_id" = i64, Path, description = "Display id")),
    responses((status = 200, body = ConversationView), (status = 404, body = ErrorBody)))]
async fn get_conversation(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<ConversationPath>,
) -> Result<JsonBytes, ApiError> {
    let services = &state.services;
    let id = path.display_id();
    let json = services
        .cached_json(caller.account, format!("conversation:{id}"), async {
            let conversation = services.conversation(caller.account, id).await?;
            services
                .conversation_view(caller.account, &conversation)
                .await
        })
        .await?;
    Ok(JsonBytes(json))
}

/// Body of `PATCH .../conversations/{id}`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateConversationRequest {
    /// `low`, `medium`, `high`, `urgent`, or `none`/null for no priority.
    #[serde(default, deserialize_with = "priority_field")]
    #[schema(value_type = Option<String>)]
    pub priority: Option<Option<Priority>>,
}

/// Reads a priority: a name, or `"none"`/null for none.
fn priority_field<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<Priority>>, D::Error> {
    let value: Option<String> = Option::deserialize(d)?;
    match value {
        None => Ok(Some(None)),
        Some(text) => parse_priority(&text)
            .map(Some)
            .map_err(serde::de::Error::custom),
    }
}

/// Changes a conversation's priority.
#[utoipa::path(patch, path = "/api/v1/accounts/{account_id}/conversations/{conversation_id}", tag = "conversations",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("conversation_id" = i64, Path)),
    request_body = UpdateConversationRequest,
    responses((status = 200, body = ConversationView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_conversation(
    State(state): State<AppState>,
    caller: ConversationCaller,
    ApiPath(path): ApiPath<ConversationPath>,
    ApiJson(body): ApiJson<UpdateConversationRequest>,
) -> Result<Json<ConversationView>, ApiError> {
    let mut conversation = state
        .services
        .conversation(caller.account, path.display_id())
        .await?;
    if let Some(priority) = body.priority {
        conversation = state
            .services
            .set_priority(caller.account, path.display_id(), priority)
            .await?;
    }
    Ok(Json(
        state
            .services
            .conversation_view(caller.account, &conversation)
            .await?,
    ))
}
