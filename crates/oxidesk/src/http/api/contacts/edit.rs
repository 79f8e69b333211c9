//! `POST .../contacts` and `PUT`/`PATCH .../contacts/{id}`.

use axum::Json;
use axum::extract::State;
use oxidesk_domain::{Attributes, InboxId};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

use super::{ContactPath, ContactResponse};
use crate::http::api::ErrorBody;
use crate::http::api::extract::{AccountCaller, ApiJson, ApiPath, present};
use crate::http::{ApiError, AppState};
use crate::service::{ContactInput, ServiceError};
use crate::views::{ContactDetailView, InboxView};

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
pub(super) async fn create_contact(
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
pub(super) async fn update_contact(
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
