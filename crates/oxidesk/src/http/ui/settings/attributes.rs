//! Settings > Custom attributes: the definitions of conversation and contact attributes; list,
//! create (key, display name, type, model, description, list values), delete after a
//! confirmation.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, Response};
use axum::routing::get;
use axum::{Form, Router};
use oxidesk_domain::{
    AttributeDisplayType, AttributeModel, CustomAttributeDefinition, CustomAttributeDefinitionId,
    ValidationError,
};
use serde::Deserialize;

use super::forms::{Field, FieldErrors, with_status};
use super::{Admin, ItemId, NavItem, back_to, confirm, nav};
use crate::http::pages::render;
use crate::http::ui::shell::{Member, Shell};
use crate::http::{AppState, PageError};
use crate::service::{AttributeFields, ServiceError};

pub(super) fn router() -> Router<AppState> {
    let base = "/app/accounts/{account_id}/settings/attributes";
    Router::new()
        .route(base, get(list_attributes).post(create_attribute))
        .route(
            &format!("{base}/{{id}}/delete"),
            get(confirm_delete_attribute).post(delete_attribute),
        )
}

const FIELDS: &[Field] = &[
    ("attribute_key", "key", "Key"),
    ("attribute_display_name", "display_name", "Display name"),
    ("attribute_display_type", "display_type", "Type"),
    ("attribute_model", "model", "Applies to"),
    ("attribute_description", "description", "Description"),
    ("attribute_values", "values", "List values"),
];

/// The definition form as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
struct AttributeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    display_type: String,
    #[serde(default)]
    model: String,
    #[serde(default)]
    description: String,
    /// One value a line, for list attributes.
    #[serde(default)]
    values: String,
}

impl AttributeForm {
    /// The request's fields; an unknown type or model is a validation error on it.
    fn fields(&self) -> Result<AttributeFields, ServiceError> {
        let display_type: AttributeDisplayType = self.display_type.parse().map_err(|_| {
            ValidationError::new("attribute_display_type", "must be one of the types listed")
        })?;
        let model: AttributeModel = self.model.parse().map_err(|_| {
            ValidationError::new("attribute_model", "must be conversations or contacts")
        })?;
        let values = (display_type == AttributeDisplayType::List).then(|| {
            self.values
                .lines()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
                .collect()
        });
        Ok(AttributeFields {
            key: Some(self.key.clone()),
            display_name: Some(self.display_name.clone()),
            display_type: Some(display_type),
            model: Some(model),
            description: Some(self.description.clone()),
            values,
            regex_pattern: None,
            regex_cue: None,
        })
    }
}

/// The label of a display type in the form and the list.
fn type_label(display_type: AttributeDisplayType) -> &'static str {
    match display_type {
        AttributeDisplayType::Text => "Text",
        AttributeDisplayType::Number => "Number",
        AttributeDisplayType::Currency => "Currency",
        AttributeDisplayType::Percent => "Percent",
        AttributeDisplayType::Link => "Link",
        AttributeDisplayType::Date => "Date",
        AttributeDisplayType::List => "List",
        AttributeDisplayType::Checkbox => "Checkbox",
    }
}

/// One `<option>`.
struct Choice {
    value: &'static str,
    label: &'static str,
}

/// One row of a definition list.
struct AttributeRow {
    delete_href: String,
    key: String,
    display_name: String,
    display_type: &'static str,
    description: String,
    values: String,
}

impl AttributeRow {
    fn of(member: &Member, def: &CustomAttributeDefinition) -> Self {
        Self {
            delete_href: member
                .shell
                .url(&format!("/settings/attributes/{}/delete", def.id)),
            key: def.attribute_key.clone(),
            display_name: def.attribute_display_name.clone(),
            display_type: type_label(def.attribute_display_type),
            description: def.attribute_description.clone(),
            values: def.attribute_values.join(", "),
        }
    }
}

/// The definitions of one model.
struct Group {
    id: &'static str,
    title: &'static str,
    rows: Vec<AttributeRow>,
}

#[derive(Template)]
#[template(path = "pages/settings_attributes.html")]
struct AttributesPage {
    shell: Shell,
    nav: Vec<NavItem>,
    groups: Vec<Group>,
    types: Vec<Choice>,
    models: Vec<Choice>,
    form: AttributeForm,
    errors: FieldErrors,
}

async fn attributes_page(
    state: &AppState,
    member: &Member,
    form: AttributeForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let definitions = state
        .services
        .attribute_definitions(member.account_id(), None)
        .await?;
    let group = |model: AttributeModel, id, title| Group {
        id,
        title,
        rows: definitions
            .iter()
            .filter(|d| d.attribute_model == model)
            .map(|d| AttributeRow::of(member, d))
            .collect(),
    };
    let groups = vec![
        group(
            AttributeModel::Conversation,
            "conversation-attributes",
            "Conversation attributes",
        ),
        group(
            AttributeModel::Contact,
            "contact-attributes",
            "Contact attributes",
        ),
    ];
    let page = AttributesPage {
        shell: member.shell.at("settings"),
        nav: nav(&member.shell, "attributes"),
        groups,
        types: AttributeDisplayType::ALL
            .iter()
            .map(|t| Choice {
                value: t.as_str(),
                label: type_label(*t),
            })
            .collect(),
        models: vec![
            Choice {
                value: AttributeModel::Conversation.as_str(),
                label: "Conversations",
            },
            Choice {
                value: AttributeModel::Contact.as_str(),
                label: "Contacts",
            },
        ],
        form,
        errors,
    };
    Ok(with_status(status, render(&page)?))
}

/// `GET /settings/attributes`: both lists and the form to define an attribute.
async fn list_attributes(
    State(state): State<AppState>,
    Admin(member): Admin,
) -> Result<Response, PageError> {
    let form = AttributeForm {
        display_type: AttributeDisplayType::Text.as_str().into(),
        model: AttributeModel::Conversation.as_str().into(),
        ..AttributeForm::default()
    };
    attributes_page(&state, &member, form, FieldErrors::none(), StatusCode::OK).await
}

/// `POST /settings/attributes`: defines an attribute.
async fn create_attribute(
    State(state): State<AppState>,
    Admin(member): Admin,
    headers: HeaderMap,
    Form(form): Form<AttributeForm>,
) -> Result<Response, PageError> {
    member.signed_in.check_csrf(&headers, &form.csrf)?;
    let result = match form.fields() {
        Ok(fields) => state
            .services
            .create_attribute_definition_with(member.account_id(), &fields)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(back_to(&member, "/settings/attributes")),
        Err(e) => {
            let (status, errors) = FieldErrors::from_service(e, FIELDS)?;
            attributes_page(&state, &member, form, errors, status).await
        }
    }
}

/// `GET /settings/attributes/{id}/delete`: asks before deleting.
async fn confirm_delete_attribute(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
) -> Result<Html<String>, PageError> {
    let def = state
        .services
        .attribute_definition(member.account_id(), CustomAttributeDefinitionId(id))
        .await?;
    confirm(
        &member,
        "attributes",
        format!("Delete the attribute “{}”?", def.attribute_display_name),
        format!(
            "Values already set under the key {} stay on their conversations and contacts.",
            def.attribute_key
        ),
        member
            .shell
            .url(&format!("/settings/attributes/{id}/delete")),
        "Delete attribute",
        member.shell.url("/settings/attributes"),
    )
}

/// `POST /settings/attributes/{id}/delete`: deletes the definition.
async fn delete_attribute(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    headers: HeaderMap,
    Form(form): Form<AttributeForm>,
) -> Result<Response, PageError> {
    member.signed_in.check_csrf(&headers, &form.csrf)?;
    state
        .services
        .delete_attribute_definition(member.account_id(), CustomAttributeDefinitionId(id))
        .await?;
    Ok(back_to(&member, "/settings/attributes"))
}
