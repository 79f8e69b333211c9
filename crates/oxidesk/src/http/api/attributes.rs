//! `/api/v1/accounts/{account_id}/custom_attribute_definitions`: the custom attributes of
//! conversations and contacts. Everyone reads; administrators write.
//!
//! As in Chatwoot, `attribute_model` and `attribute_display_type` are read as names
//! (`contact_attribute`, `list`) or as Chatwoot's integers (model 0–1, display type 0–7), and
//! served as names.

use axum::Json;
use axum::extract::State;
use oxidesk_domain::{AttributeDisplayType, AttributeModel, CustomAttributeDefinitionId};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ErrorBody;
use super::extract::{AccountCaller, ApiJson, ApiPath, ApiQuery, invalid_param};
use crate::http::{ApiError, AppState};
use crate::service::AttributeFields;
use crate::views::CustomAttributeView;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(
            list_custom_attribute_definitions,
            create_custom_attribute_definition
        ))
        .routes(routes!(
            get_custom_attribute_definition,
            update_custom_attribute_definition,
            delete_custom_attribute_definition
        ))
}

/// `{account_id}/custom_attribute_definitions/{id}`.
#[derive(Debug, Deserialize)]
pub struct AttributePath {
    /// The account (checked by `AccountCaller`).
    #[allow(dead_code)]
    pub account_id: i64,
    /// The definition.
    pub id: i64,
}

impl AttributePath {
    fn id(&self) -> CustomAttributeDefinitionId {
        CustomAttributeDefinitionId(self.id)
    }
}

/// Body of `POST`/`PATCH .../custom_attribute_definitions` (Chatwoot's
/// `custom_attribute_create_update_payload`).
#[derive(Debug, Deserialize, ToSchema)]
pub struct AttributeRequest {
    /// The label shown to agents (required when creating).
    pub attribute_display_name: Option<String>,
    /// `text` (0, the default), `number` (1), `currency` (2), `percent` (3), `link` (4),
    /// `date` (5), `list` (6) or `checkbox` (7).
    #[serde(default, deserialize_with = "display_type")]
    #[schema(value_type = Option<String>)]
    pub attribute_display_type: Option<AttributeDisplayType>,
    /// What it means.
    pub attribute_description: Option<String>,
    /// The key in `custom_attributes`: lower-case letters, digits and `_` (required when
    /// creating).
    pub attribute_key: Option<String>,
    /// The choices of a `list` (at least one).
    pub attribute_values: Option<Vec<String>>,
    /// `conversation_attribute` (0, the default) or `contact_attribute` (1).
    #[serde(default, deserialize_with = "model")]
    #[schema(value_type = Option<String>)]
    pub attribute_model: Option<AttributeModel>,
    /// A pattern text values must match (empty removes it).
    pub regex_pattern: Option<String>,
    /// The hint shown when a value does not match (empty removes it).
    pub regex_cue: Option<String>,
}

impl From<AttributeRequest> for AttributeFields {
    fn from(body: AttributeRequest) -> Self {
        AttributeFields {
            key: body.attribute_key,
            display_name: body.attribute_display_name,
            display_type: body.attribute_display_type,
            model: body.attribute_model,
            description: body.attribute_description,
            values: body.attribute_values,
            regex_pattern: body.regex_pattern,
            regex_cue: body.regex_cue,
        }
    }
}

/// An enum value by name, or by its Chatwoot integer (its position in `T::ALL`), as a number or
/// a string of digits.
fn by_name_or_code<T: Copy + std::str::FromStr<Err = oxidesk_domain::enums::UnknownValue>>(
    value: &Value,
    all: &[T],
) -> Result<T, String> {
    let text = match value {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.trim().to_owned(),
        other => return Err(format!("must be a name or an integer (got {other})")),
    };
    if let Ok(code) = text.parse::<usize>() {
        return all.get(code).copied().ok_or_else(|| {
            format!(
                "'{code}' is not one of 0 to {}",
                all.len().saturating_sub(1)
            )
        });
    }
    text.parse::<T>().map_err(|e| {
        format!(
            "'{}' is not one of: {} (or 0 to {})",
            e.value,
            e.expected,
            all.len().saturating_sub(1)
        )
    })
}

fn display_type<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<AttributeDisplayType>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None => Ok(None),
        Some(v) => by_name_or_code(&v, AttributeDisplayType::ALL)
            .map(Some)
            .map_err(serde::de::Error::custom),
    }
}

fn model<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<AttributeModel>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None => Ok(None),
        Some(v) => by_name_or_code(&v, AttributeModel::ALL)
            .map(Some)
            .map_err(serde::de::Error::custom),
    }
}

/// The account's definitions, oldest first: of one model with `attribute_model`
/// (`conversation_attribute`/0 or `contact_attribute`/1), of both without.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/custom_attribute_definitions", tag = "custom_attributes",
    security(("userApiKey" = [])),
    params(("account_id" = i64, Path),
        ("attribute_model" = Option<String>, Query, description = "conversation_attribute (0) or contact_attribute (1)")),
    responses((status = 200, body = Vec<CustomAttributeView>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list_custom_attribute_definitions(
    State(state): State<AppState>,
    caller: AccountCaller,
    query: ApiQuery,
) -> Result<Json<Vec<CustomAttributeView>>, ApiError> {
    let model = match query.text("attribute_model") {
        None => None,
        Some(text) => Some(
            by_name_or_code(&Value::String(text.to_owned()), AttributeModel::ALL)
                .map_err(|message| invalid_param("attribute_model", &message))?,
        ),
    };
    let defs = state
        .services
        .attribute_definitions(caller.account, model)
        .await?;
    Ok(Json(defs.iter().map(CustomAttributeView::from).collect()))
}

/// One definition.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/custom_attribute_definitions/{id}", tag = "custom_attributes",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = CustomAttributeView), (status = 404, body = ErrorBody)))]
async fn get_custom_attribute_definition(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<AttributePath>,
) -> Result<Json<CustomAttributeView>, ApiError> {
    let def = state
        .services
        .attribute_definition(caller.account, path.id())
        .await?;
    Ok(Json(CustomAttributeView::from(&def)))
}

/// Defines a custom attribute; keys are unique per model in the account.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/custom_attribute_definitions", tag = "custom_attributes",
    security(("userApiKey" = [])), params(("account_id" = i64, Path)), request_body = AttributeRequest,
    responses((status = 200, body = CustomAttributeView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_custom_attribute_definition(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiJson(body): ApiJson<AttributeRequest>,
) -> Result<Json<CustomAttributeView>, ApiError> {
    caller.require_admin()?;
    let def = state
        .services
        .create_attribute_definition_with(caller.account, &body.into())
        .await?;
    Ok(Json(CustomAttributeView::from(&def)))
}

/// Changes a definition; fields left out keep their value.
#[utoipa::path(patch, path = "/api/v1/accounts/{account_id}/custom_attribute_definitions/{id}", tag = "custom_attributes",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    request_body = AttributeRequest,
    responses((status = 200, body = CustomAttributeView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_custom_attribute_definition(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<AttributePath>,
    ApiJson(body): ApiJson<AttributeRequest>,
) -> Result<Json<CustomAttributeView>, ApiError> {
    caller.require_admin()?;
    let def = state
        .services
        .update_attribute_definition(caller.account, path.id(), &body.into())
        .await?;
    Ok(Json(CustomAttributeView::from(&def)))
}

/// Deletes a definition; values already set stay on conversations and contacts, as in Chatwoot.
#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/custom_attribute_definitions/{id}", tag = "custom_attributes",
    security(("userApiKey" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, description = "Deleted: `{}`"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_custom_attribute_definition(
    State(state): State<AppState>,
    caller: AccountCaller,
    ApiPath(path): ApiPath<AttributePath>,
) -> Result<Json<Value>, ApiError> {
    caller.require_admin()?;
    state
        .services
        .delete_attribute_definition(caller.account, path.id())
        .await?;
    Ok(Json(json!({})))
}
