//! `/widget/api/…` routes that carry what the embedding site says through `$chatwoot`:
//! `setUser`, the contact's and the conversation's custom attributes, labels.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, post};
use axum::{Json, Router};
use oxidesk_domain::Attributes;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::api::identity_of;
use super::{Visitor, count_write};
use crate::http::api::extract::ApiJson;
use crate::http::{ApiError, AppState};
use crate::service::ServiceError;
use crate::service::widget::WidgetUser;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/widget/api/set_user", post(set_user))
        .route(
            "/widget/api/contact_attributes",
            post(set_contact_attributes),
        )
        .route(
            "/widget/api/conversation_attributes",
            post(set_conversation_attributes),
        )
        .route("/widget/api/labels", post(add_label))
        .route("/widget/api/labels/{label}", delete(remove_label))
}

/// Body of `POST /widget/api/set_user`: `$chatwoot.setUser(identifier, user)`.
#[derive(Debug, Deserialize)]
struct SetUser {
    identifier: Value,
    #[serde(default)]
    user: Map<String, Value>,
}

/// A string field of `setUser`'s `user`.
fn text_of(user: &Map<String, Value>, key: &str) -> Option<String> {
    match user.get(key) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// `POST /widget/api/set_user`: identifies the visitor (see `service::widget::identity`);
/// answers the visitor token to keep (new when the visitor had none or changed contact).
async fn set_user(
    State(state): State<AppState>,
    Visitor(visitor): Visitor,
    ApiJson(body): ApiJson<SetUser>,
) -> Result<Json<Value>, ApiError> {
    count_write(&state, &visitor)?;
    let identifier = match &body.identifier {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => {
            return Err(ServiceError::from(oxidesk_domain::ValidationError::new(
                "identifier",
                "must be a string or a number",
            ))
            .into());
        }
    };
    let custom_attributes = match body.user.get("custom_attributes") {
        Some(Value::Object(map)) => map.clone(),
        _ => Attributes::new(),
    };
    let user = WidgetUser {
        identifier: Some(identifier),
        identifier_hash: text_of(&body.user, "identifier_hash"),
        name: text_of(&body.user, "name"),
        email: text_of(&body.user, "email"),
        phone_number: text_of(&body.user, "phone_number"),
        avatar_url: text_of(&body.user, "avatar_url"),
        additional_attributes: crate::service::widget::identity_additional(&body.user),
        custom_attributes,
    };
    let identity = state.services.widget_set_user(&visitor, &user).await?;
    Ok(Json(json!({
        "token": state.services.visitor_token(&identity),
        "contact": {
            "id": identity.contact.id.get(),
            "has_email": identity.contact.email.is_some(),
            "has_name": !identity.contact.name.is_empty(),
            "has_phone_number": identity.contact.phone_number.is_some(),
        },
    })))
}

/// Body of the attribute routes: values to set, `null` to delete.
#[derive(Debug, Deserialize)]
struct AttributesBody {
    custom_attributes: Attributes,
}

/// `POST /widget/api/contact_attributes`: `setCustomAttributes` / `deleteCustomAttribute`.
async fn set_contact_attributes(
    State(state): State<AppState>,
    Visitor(visitor): Visitor,
    ApiJson(body): ApiJson<AttributesBody>,
) -> Result<StatusCode, ApiError> {
    count_write(&state, &visitor)?;
    state
        .services
        .widget_contact_attributes(identity_of(&visitor)?, &body.custom_attributes)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /widget/api/conversation_attributes`: `setConversationCustomAttributes`.
async fn set_conversation_attributes(
    State(state): State<AppState>,
    Visitor(visitor): Visitor,
    ApiJson(body): ApiJson<AttributesBody>,
) -> Result<StatusCode, ApiError> {
    count_write(&state, &visitor)?;
    state
        .services
        .widget_conversation_attributes(identity_of(&visitor)?, &body.custom_attributes)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize)]
struct LabelBody {
    label: String,
}

/// `POST /widget/api/labels`: `setLabel`.
async fn add_label(
    State(state): State<AppState>,
    Visitor(visitor): Visitor,
    ApiJson(body): ApiJson<LabelBody>,
) -> Result<StatusCode, ApiError> {
    count_write(&state, &visitor)?;
    state
        .services
        .widget_label(identity_of(&visitor)?, &body.label, true)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /widget/api/labels/{label}`: `removeLabel`.
async fn remove_label(
    State(state): State<AppState>,
    Visitor(visitor): Visitor,
    Path(label): Path<String>,
) -> Result<StatusCode, ApiError> {
    count_write(&state, &visitor)?;
    state
        .services
        .widget_label(identity_of(&visitor)?, &label, false)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
