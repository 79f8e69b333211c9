//! `/api/v1/accounts/{account_id}/contacts`: list, search, create, show, update, delete (this
//! module); a contact's conversations, labels and inboxes ([`related`]).
//!
//! Lists are Chatwoot's: 15 a page, `page` 1, 2, ...; Oxidesk adds `meta.next_cursor`, which
//! `after` takes for the next page (a keyset, fast at any depth). Sorts are those the keyset
//! supports: `-last_activity_at` (the default), `last_activity_at`, `-created_at`,
//! `created_at`; Chatwoot's `name`, `email` and `phone_number` sorts are refused (422 on
//! `sort`). Oxidesk lists every contact, where Chatwoot lists only those with an email, phone
//! number or identifier.

mod merge;
mod related;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use oxidesk_domain::{Attributes, ContactId, InboxId};
use oxidesk_store::{ContactSort, Cursor, TextSort};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ErrorBody;
use super::extract::{AccountCaller, ApiJson, ApiPath, ApiQuery, invalid_param};
use crate::http::{ApiError, AppState};
use crate::service::{ContactInput, ServiceError};
use crate::views::{ContactDetailView, InboxView};

/// Contacts per page (Chatwoot's page size).
pub const PAGE_SIZE: i64 = 15;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_contacts, create_contact))
        .routes(routes!(search_contacts))
        .routes(routes!(get_contact, update_contact, delete_contact))
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
    let after = match query.text("after") {
        Some(text) => Some(
            Cursor::decode(text)
                .ok_or_else(|| invalid_param("after", "is not a cursor from next_cursor"))?,
        ),
        None => None,
    };
    let page = query.int("page")?.unwrap_or(1);
    if !(1..=10_000).contains(&page) {
        return Err(invalid_param("page", "must be between 1 and 10000"));
    }
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
async fn list_contacts(
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
async fn search_contacts(
    State(state): State<AppState>,
    caller: AccountCaller,
    query: ApiQuery,
) -> Result<Json<ContactList>, ApiError> {
    let Some(q) = query.text("q") else {
        return Err(invalid_param("q", "is required: the text to search for"));
    };
    contact_list(&state, &caller, &query, Some(q)).await
}

/// Reads an object, `null` as an empty one.
fn object_or_null<'de, D: Deserializer<'de>>(d: D) -> Result<Attributes, D::Error> {
    Ok(Option::<Attributes>::deserialize(d)?.unwrap_or_default())
}

/// Body of `POST /contacts` (Chatwoot's `contact_create_payload`).
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateContactRequest {
    /// An inbox to make the contact reachable in. Chatwoot's documentation requires it; its
    /// server, like Oxidesk, also creates a contact without.
    pub inbox_id: Option<i64>,
    /// The contact's id in that inbox; a new UUID when absent.
    pub source_id: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Email, unique in the account.
    pub email: Option<String>,
    /// Phone number, in international format.
    pub phone_number: Option<String>,
    /// The integrator's id for the contact, unique in the account.
    pub identifier: Option<String>,
    /// A picture URL (http or https).
    pub avatar_url: Option<String>,
    /// Whether the contact is blocked.
    #[serde(default)]
    pub blocked: bool,
    /// `company_name`, `city`, `social_profiles`, ...
    #[serde(default, deserialize_with = "object_or_null")]
    #[schema(value_type = Object)]
    pub additional_attributes: Attributes,
    /// Custom attribute values.
    #[serde(default, deserialize_with = "object_or_null")]
    #[schema(value_type = Object)]
    pub custom_attributes: Attributes,
}

/// The identity made by `POST /contacts`: both null without `inbox_id`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedContactInbox {
    /// The inbox.
    pub inbox: Option<InboxView>,
    /// The contact's id there.
    pub source_id: Option<String>,
}

/// What `POST /contacts` made.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedContact {
    /// The contact.
    pub contact: ContactDetailView,
    /// Its identity in the inbox.
    pub contact_inbox: CreatedContactInbox,
}

/// The answer of `POST /contacts`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreateContactResponse {
    /// The contact and its identity.
    pub payload: CreatedContact,
}

/// Creates a contact, reachable in `inbox_id` when given.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/contacts", tag = "contacts",
    security(("userApiKey" = [])), params(("account_id" = i64, Path)), request_body = CreateContactRequest,
    responses((status = 200, body = CreateContactResponse), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_contact(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiJson(body): ApiJson<CreateContactRequest>,
) -> Result<Json<CreateContactResponse>, ApiError> {
    let services = &state.services;
    let input = ContactInput {
        name: body.name,
        email: body.email,
        phone_number: body.phone_number,
        identifier: body.identifier,
        avatar_url: body.avatar_url,
        additional_attributes: body.additional_attributes,
        custom_attributes: body.custom_attributes,
    };
    let inbox = body
        .inbox_id
        .map(|id| (InboxId(id), body.source_id.as_deref()));
    let (contact, identity) = services
        .create_contact_in_inbox(caller.account, &input, body.blocked, inbox)
        .await?;
    let contact_inbox = match identity {
        Some(identity) => {
            let inbox = services
                .store
                .inbox(caller.account, identity.inbox_id)
                .await
                .map_err(ServiceError::from)?;
            CreatedContactInbox {
                inbox: Some(InboxView::new(&inbox, false)),
                source_id: Some(identity.source_id),
            }
        }
        None => CreatedContactInbox {
            inbox: None,
            source_id: None,
        },
    };
    Ok(Json(CreateContactResponse {
        payload: CreatedContact {
            contact: services.contact_view(caller.account, &contact).await?,
            contact_inbox,
        },
    }))
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

/// Tells a present `null` from an absent field.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// Body of `PUT`/`PATCH /contacts/{id}` (Chatwoot's `contact_update_payload`). Fields left
/// out keep their value; `null` or `""` clears one.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateContactRequest {
    /// Name.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub name: Option<Option<String>>,
    /// Email, unique in the account.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    /// Phone number, in international format.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub phone_number: Option<Option<String>>,
    /// The integrator's id, unique in the account.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub identifier: Option<Option<String>>,
    /// A picture URL.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub avatar_url: Option<Option<String>>,
    /// Whether the contact is blocked.
    pub blocked: Option<bool>,
    /// Merged into the contact's (a `null` value removes the key).
    #[serde(default, deserialize_with = "object_or_null")]
    #[schema(value_type = Object)]
    pub additional_attributes: Attributes,
    /// Merged into the contact's (a `null` value removes the key).
    #[serde(default, deserialize_with = "object_or_null")]
    #[schema(value_type = Object)]
    pub custom_attributes: Attributes,
}

/// Changes a contact: the fields given change, the rest stay; `additional_attributes` and
/// `custom_attributes` are merged key by key into the contact's, as Chatwoot does.
#[utoipa::path(method(put, patch), path = "/api/v1/accounts/{account_id}/contacts/{id}", tag = "contacts",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    request_body = UpdateContactRequest,
    responses((status = 200, body = ContactResponse), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_contact(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<ContactPath>,
    ApiJson(body): ApiJson<UpdateContactRequest>,
) -> Result<Json<ContactResponse>, ApiError> {
    let text = |value: Option<Option<String>>| value.map(Option::unwrap_or_default);
    let patch = ContactInput {
        name: text(body.name),
        email: text(body.email),
        phone_number: text(body.phone_number),
        identifier: text(body.identifier),
        avatar_url: text(body.avatar_url),
        additional_attributes: body.additional_attributes,
        custom_attributes: body.custom_attributes,
    };
    let services = &state.services;
    let contact = services
        .update_contact(caller.account, path.contact_id(), &patch, body.blocked)
        .await?;
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
