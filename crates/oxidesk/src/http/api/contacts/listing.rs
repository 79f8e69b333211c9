//! `GET .../contacts` and `GET .../contacts/search`.
//!
//! Lists are Chatwoot's: 15 a page, `page` 1, 2, ...; Oxidesk adds `meta.next_cursor`, which
//! `after` takes for the next page (a keyset, fast at any depth). Sorts: `-last_activity_at`
//! (the default), `last_activity_at`, `-created_at`, `created_at`, and Chatwoot's `name`,
//! `email` and `phone_number` (either way; `docs/api.md`, "Contact sorts"); any other is a 422
//! on `sort`. Oxidesk lists every contact, where Chatwoot lists only those with an email, phone
//! number or identifier.

use axum::Json;
use axum::extract::State;
use oxidesk_store::{ContactSort, Cursor, TextSort};
use serde::Serialize;
use utoipa::ToSchema;

use crate::http::api::ErrorBody;
use crate::http::api::extract::{AccountCaller, ApiQuery, invalid_param};
use crate::http::{ApiError, AppState};
use crate::views::ContactDetailView;

/// Contacts per page (Chatwoot's page size).
pub const PAGE_SIZE: i64 = 15;

/// `meta` of a contact list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContactListMeta {
    /// How many contacts match, on every page together.
    pub count: i64,
    /// The page number asked for (1 unless `page` was given).
    pub current_page: i64,
    /// Pass as `after` for the next page (Oxidesk's keyset pagination); null on the last page.
    pub next_cursor: Option<String>,
}

/// A page of contacts (Chatwoot's `contacts_list_response`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ContactList {
    /// Counts and paging.
    pub meta: ContactListMeta,
    /// The contacts of this page.
    pub payload: Vec<ContactDetailView>,
}

/// The sorts a list takes: a column name, `-` first for descending.
const SORTS: &str = "name, email, phone_number, last_activity_at, created_at \
    (each with - first for descending; default -last_activity_at)";

/// Reads `sort`: `name`, `email`, `phone_number`, `last_activity_at`, `created_at`, each with
/// `-` for descending.
fn contact_sort(text: Option<&str>) -> Result<ContactSort, ApiError> {
    let Some(text) = text else {
        return Ok(ContactSort::LastActivity);
    };
    let (descending, column) = match text.strip_prefix('-') {
        Some(column) => (true, column),
        None => (false, text),
    };
    Ok(match (column, descending) {
        ("last_activity_at", true) => ContactSort::LastActivity,
        ("last_activity_at", false) => ContactSort::EarliestActivity,
        ("created_at", true) => ContactSort::Newest,
        ("created_at", false) => ContactSort::Oldest,
        ("name", _) => ContactSort::Text(TextSort::Name, descending),
        ("email", _) => ContactSort::Text(TextSort::Email, descending),
        ("phone_number", _) => ContactSort::Text(TextSort::PhoneNumber, descending),
        _ => {
            return Err(invalid_param(
                "sort",
                &format!("must be one of {SORTS} (got '{text}')"),
            ));
        }
    })
}

/// Answers a list of the contacts matching `search` (all without), paged and sorted as the
/// query string says.
async fn contact_list(
    state: &AppState,
    caller: &AccountCaller,
    query: &ApiQuery,
    search: Option<&str>,
) -> Result<Json<ContactList>, ApiError> {
    let sort = contact_sort(query.text("sort"))?;
    let (after, page) = query.paging()?;
    let with_inboxes = query.text("include_contact_inboxes") != Some("false");
    let services = &state.services;
    let (result, count) = services
        .list_contacts(caller.account, search, sort, after, page, PAGE_SIZE)
        .await?;
    Ok(Json(ContactList {
        meta: ContactListMeta {
            count,
            current_page: page,
            next_cursor: result.next.map(Cursor::encode),
        },
        payload: services
            .contact_views(caller.account, &result.items, with_inboxes)
            .await?,
    }))
}

/// The account's contacts, 15 a page, most recent activity first unless `sort` says otherwise.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/contacts", tag = "contacts",
    security(("userApiKey" = [])),
    params(("account_id" = i64, Path),
        ("sort" = Option<String>, Query, description = "name, email, phone_number, last_activity_at, created_at; - first for descending (default -last_activity_at)"),
        ("page" = Option<i64>, Query), ("after" = Option<String>, Query, description = "next_cursor of the previous page"),
        ("include_contact_inboxes" = Option<bool>, Query, description = "false leaves out contact_inboxes")),
    responses((status = 200, body = ContactList), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(super) async fn list_contacts(
    State(state): State<AppState>,
    caller: AccountCaller,
    query: ApiQuery,
) -> Result<Json<ContactList>, ApiError> {
    contact_list(&state, &caller, &query, None).await
}

/// Contacts whose name, email, phone number or identifier contains `q` (case-insensitive),
/// paged and sorted as the list.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/contacts/search", tag = "contacts",
    security(("userApiKey" = [])),
    params(("account_id" = i64, Path), ("q" = String, Query, description = "What to look for"),
        ("sort" = Option<String>, Query), ("page" = Option<i64>, Query), ("after" = Option<String>, Query),
        ("include_contact_inboxes" = Option<bool>, Query)),
    responses((status = 200, body = ContactList), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(super) async fn search_contacts(
    State(state): State<AppState>,
    caller: AccountCaller,
    query: ApiQuery,
) -> Result<Json<ContactList>, ApiError> {
    let Some(q) = query.text("q") else {
        return Err(invalid_param("q", "is required: the text to search for"));
    };
    contact_list(&state, &caller, &query, Some(q)).await
}
