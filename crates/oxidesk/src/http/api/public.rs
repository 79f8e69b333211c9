//! `/public/api/v1/inboxes/{inbox_identifier}/...`: Chatwoot's client API of API-channel
//! inboxes: the inbox, and contacts acting on their own behalf. No token: the inbox identifier
//! and the contact's identifier (its `source_id` in the inbox) authorize; an unknown one, or one
//! of another inbox, is a 404. Conversations and messages are in `public_conversations`.

use axum::Json;
use axum::extract::{FromRequestParts, RawPathParams, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use oxidesk_domain::{Attributes, Contact, DisplayId, Timestamp};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ErrorBody;
use super::extract::{ApiJson, ApiPath};
use crate::http::{ApiError, AppState};
use crate::service::{LookedUp, PublicContactInput, PublicIdentity, Services};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_public_inbox))
        .routes(routes!(create_public_contact))
        .routes(routes!(get_public_contact, update_public_contact))
        .merge(super::public_conversations::router())
        .merge(super::public_messages::router())
}

/// `{inbox_identifier}` path parameter.
#[derive(Debug, Deserialize)]
pub struct InboxPath {
    /// The inbox's public identifier.
    pub inbox_identifier: String,
}

/// The contact of the path (`{inbox_identifier}` and `{contact_identifier}`), loaded; a JSON
/// 404 when either is unknown or the contact identifier belongs to another inbox.
#[derive(Debug, Clone)]
pub struct Client(pub PublicIdentity);

impl FromRequestParts<AppState> for Client {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let (identity, _) = client_of(parts, state, false).await?;
        Ok(Client(identity))
    }
}

/// As [`Client`], with the path's conversation (`{conversation_id}`, when it is a number) read
/// in the same statement; the handler checks it ([`Services::public_conversation_in`]), so
/// errors keep their order (an unknown identity, a malformed path or body, then the
/// conversation).
#[derive(Debug, Clone)]
pub struct ClientIn(pub PublicIdentity, pub Option<LookedUp>);

impl FromRequestParts<AppState> for ClientIn {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let (identity, looked_up) = client_of(parts, state, true).await?;
        Ok(ClientIn(identity, looked_up))
    }
}

/// The identity of the path and, when `with_conversation`, its conversation (see [`ClientIn`]).
async fn client_of(
    parts: &mut Parts,
    state: &AppState,
    with_conversation: bool,
) -> Result<(PublicIdentity, Option<LookedUp>), ApiError> {
    let params = RawPathParams::from_request_parts(parts, state)
        .await
        .map_err(|_| ApiError::new(StatusCode::NOT_FOUND, "not_found", "No such endpoint"))?;
    let param = |name: &str| {
        params
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.to_owned())
    };
    let (Some(inbox), Some(contact)) = (param("inbox_identifier"), param("contact_identifier"))
    else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "No such endpoint",
        ));
    };
    let conversation = with_conversation
        .then(|| param("conversation_id")?.parse::<i64>().ok())
        .flatten()
        .map(DisplayId);
    Ok(state
        .services
        .public_identity_with(&inbox, &contact, conversation)
        .await?)
}

/// An inbox as its contacts see it (Chatwoot's `public_inbox`).
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicInboxView {
    /// The public identifier.
    pub identifier: String,
    /// Name.
    pub name: String,
    /// Always `UTC` (Oxidesk has no business hours yet).
    pub timezone: String,
    /// Always empty.
    #[schema(value_type = Vec<Object>)]
    pub working_hours: Vec<Value>,
    /// Always false.
    pub working_hours_enabled: bool,
    /// Always false.
    pub csat_survey_enabled: bool,
    /// Always false.
    pub greeting_enabled: bool,
    /// Whether contacts must prove their identity (`identifier_hash`).
    pub identity_validation_enabled: bool,
}

/// A contact's identity in the inbox (Chatwoot's `public_contact`).
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicContactView {
    /// The contact's id.
    pub id: i64,
    /// The contact identifier to use in later paths.
    pub source_id: String,
    /// Name.
    pub name: String,
    /// Email.
    pub email: Option<String>,
    /// Phone number.
    pub phone_number: Option<String>,
    /// The token of the contact's live connection.
    pub pubsub_token: String,
}

impl PublicContactView {
    /// The view of an identity.
    pub fn new(services: &Services, identity: &PublicIdentity) -> Self {
        Self {
            id: identity.contact.id.get(),
            source_id: identity.contact_inbox.source_id.clone(),
            name: identity.contact.name.clone(),
            email: identity.contact.email.clone(),
            phone_number: identity.contact.phone_number.clone(),
            pubsub_token: services.pubsub_token(&identity.contact_inbox),
        }
    }
}

/// A contact's own record (Chatwoot's `public_contact_record`: the contact as Rails serialises
/// it, so its times, unlike the rest of the API, are ISO 8601 texts).
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicContactRecord {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Email.
    pub email: Option<String>,
    /// Phone number.
    pub phone_number: Option<String>,
    /// The integrator's id.
    pub identifier: Option<String>,
    /// Whether the contact is blocked.
    pub blocked: bool,
    /// Avatar URL (empty when none).
    pub thumbnail: String,
    /// Additional attributes.
    #[schema(value_type = Object)]
    pub additional_attributes: Attributes,
    /// Custom attribute values.
    #[schema(value_type = Object)]
    pub custom_attributes: Attributes,
    /// The account.
    pub account_id: i64,
    /// ISO 8601, null when never active.
    pub last_activity_at: Option<String>,
    /// ISO 8601.
    pub created_at: String,
    /// ISO 8601.
    pub updated_at: String,
}

impl From<&Contact> for PublicContactRecord {
    fn from(c: &Contact) -> Self {
        Self {
            id: c.id.get(),
            name: c.name.clone(),
            email: c.email.clone(),
            phone_number: c.phone_number.clone(),
            identifier: c.identifier.clone(),
            blocked: c.blocked,
            thumbnail: c.avatar_url.clone().unwrap_or_default(),
            additional_attributes: c.additional_attributes.clone(),
            custom_attributes: c.custom_attributes.clone(),
            account_id: c.account_id.get(),
            last_activity_at: c.last_activity_at.map(iso8601),
            created_at: iso8601(c.created_at),
            updated_at: iso8601(c.updated_at),
        }
    }
}

/// `t` as Rails writes times in JSON: `2023-11-14T22:13:20.000Z` (UTC).
fn iso8601(t: Timestamp) -> String {
    let secs = t.secs();
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's `civil_from_days`.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.000Z",
        rest / 3_600,
        rest % 3_600 / 60,
        rest % 60
    )
}

/// The inbox, as its contacts see it.
#[utoipa::path(get, path = "/public/api/v1/inboxes/{inbox_identifier}", tag = "public",
    params(("inbox_identifier" = String, Path, description = "The inbox's public identifier")),
    responses((status = 200, body = PublicInboxView), (status = 404, body = ErrorBody)))]
async fn get_public_inbox(
    State(state): State<AppState>,
    ApiPath(path): ApiPath<InboxPath>,
) -> Result<Json<PublicInboxView>, ApiError> {
    let inbox = state.services.public_inbox(&path.inbox_identifier).await?;
    let (_, hmac_mandatory) = inbox.channel.hmac();
    Ok(Json(PublicInboxView {
        identifier: inbox.inbox_identifier.clone(),
        name: inbox.name.clone(),
        timezone: "UTC".to_owned(),
        working_hours: Vec::new(),
        working_hours_enabled: false,
        csat_survey_enabled: false,
        greeting_enabled: false,
        identity_validation_enabled: hmac_mandatory,
    }))
}

/// Body of `POST`/`PATCH .../contacts` (Chatwoot's `public_contact_create_update_payload`).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct PublicContactRequest {
    /// The customer's id in your system (a string or a number).
    #[serde(default, deserialize_with = "text_or_number")]
    #[schema(value_type = Option<String>)]
    pub identifier: Option<String>,
    /// Hex HMAC-SHA256 of `identifier` under the inbox's `hmac_token`.
    pub identifier_hash: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Phone number.
    pub phone_number: Option<String>,
    /// A picture URL.
    pub avatar_url: Option<String>,
    /// Custom attribute values (merged on update; null removes a key).
    #[schema(value_type = Option<Object>)]
    pub custom_attributes: Option<Attributes>,
}

impl From<PublicContactRequest> for PublicContactInput {
    fn from(r: PublicContactRequest) -> Self {
        Self {
            identifier: r.identifier,
            identifier_hash: r.identifier_hash,
            email: r.email,
            name: r.name,
            phone_number: r.phone_number,
            avatar_url: r.avatar_url,
            custom_attributes: r.custom_attributes,
        }
    }
}

/// Reads a string, or a number as its text (Chatwoot takes `identifier: 42`).
fn text_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum TextOrNumber {
        Text(String),
        Number(serde_json::Number),
    }
    Ok(
        Option::<TextOrNumber>::deserialize(d)?.map(|value| match value {
            TextOrNumber::Text(text) => text,
            TextOrNumber::Number(number) => number.to_string(),
        }),
    )
}

/// Creates a contact and its identity in the inbox (a new random `source_id`). A contact of the
/// account with the same `identifier`, else email, is reused. `identifier_hash` proves the
/// identifier; a wrong one is a 401, and so is a missing one when the inbox requires it.
#[utoipa::path(post, path = "/public/api/v1/inboxes/{inbox_identifier}/contacts", tag = "public",
    params(("inbox_identifier" = String, Path)), request_body = PublicContactRequest,
    responses((status = 200, body = PublicContactView), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_public_contact(
    State(state): State<AppState>,
    ApiPath(path): ApiPath<InboxPath>,
    ApiJson(body): ApiJson<PublicContactRequest>,
) -> Result<Json<PublicContactView>, ApiError> {
    let services = &state.services;
    let identity = services
        .public_create_contact(&path.inbox_identifier, &body.into())
        .await?;
    Ok(Json(PublicContactView::new(services, &identity)))
}

/// The contact of the path.
#[utoipa::path(get, path = "/public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}", tag = "public",
    params(("inbox_identifier" = String, Path), ("contact_identifier" = String, Path, description = "The source_id given at creation")),
    responses((status = 200, body = PublicContactView), (status = 404, body = ErrorBody)))]
async fn get_public_contact(
    State(state): State<AppState>,
    Client(identity): Client,
) -> Result<Json<PublicContactView>, ApiError> {
    Ok(Json(PublicContactView::new(&state.services, &identity)))
}

/// Updates the contact of the path: given fields replace the old ones, custom attributes are
/// merged. An identifier can be set once (with `identifier_hash`, this verifies the identity).
#[utoipa::path(patch, path = "/public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}", tag = "public",
    params(("inbox_identifier" = String, Path), ("contact_identifier" = String, Path)),
    request_body = PublicContactRequest,
    responses((status = 200, body = PublicContactRecord), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_public_contact(
    State(state): State<AppState>,
    Client(identity): Client,
    ApiJson(body): ApiJson<PublicContactRequest>,
) -> Result<Json<PublicContactRecord>, ApiError> {
    let identity = state
        .services
        .public_update_contact(identity, &body.into())
        .await?;
    Ok(Json(PublicContactRecord::from(&identity.contact)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_as_rails_does() {
        assert_eq!(iso8601(Timestamp(0)), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(Timestamp(951_782_400)), "2000-02-29T00:00:00.000Z");
        assert_eq!(
            iso8601(Timestamp(1_700_000_000)),
            "2023-11-14T22:13:20.000Z"
        );
        assert_eq!(iso8601(Timestamp(-1)), "1969-12-31T23:59:59.000Z");
        assert_eq!(
            iso8601(Timestamp(4_107_542_399)),
            "2100-02-28T23:59:59.000Z"
        );
    }
}
