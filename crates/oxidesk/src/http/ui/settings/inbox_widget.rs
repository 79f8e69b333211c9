//! Settings > Inboxes > a website inbox > Widget: every setting of the website widget
//! (appearance, greeting, pre-chat form, business hours, features, CSAT and its look, identity validation,
//! allowed domains) in one form, with the embed snippet.

use askama::Template;
use axum::Router;
use axum::extract::{Form, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use oxidesk_domain::{AttributeModel, CustomAttributeDefinition, InboxId, REPLY_TIMES};

use super::forms::{Field, FieldErrors, Pairs, saved, with_status};
use super::inbox_widget_csat::CSAT_FIELDS;
use super::inbox_widget_form::{FIELDS, WidgetForm, form_field};
use super::{Admin, ItemId, NavItem, back_to, nav};
use crate::http::pages::render;
use crate::http::ui::shell::{Member, Shell};
use crate::http::{AppState, PageError};
use crate::service::{InboxFields, ServiceError};

pub(super) fn router() -> Router<AppState> {
    Router::new().route(
        "/app/accounts/{account_id}/settings/inboxes/{id}/widget",
        get(show_widget_settings).post(update_widget_settings),
    )
}

/// A custom attribute an administrator may add to the pre-chat form.
struct AttributeChoice {
    value: String,
    label: String,
}

#[derive(Template)]
#[template(path = "pages/settings_inbox_widget.html")]
struct WidgetSettingsPage {
    shell: Shell,
    nav: Vec<NavItem>,
    id: i64,
    title: String,
    snippet: String,
    hmac_token: String,
    form: WidgetForm,
    reply_times: [(&'static str, &'static str); 3],
    attributes: Vec<AttributeChoice>,
    errors: FieldErrors,
    saved: bool,
}

/// The reply times with what the widget's header says for each.
const REPLY_TIME_LABELS: [(&str, &str); 3] = [
    (REPLY_TIMES[0], "In a few minutes"),
    (REPLY_TIMES[1], "In a few hours"),
    (REPLY_TIMES[2], "In a day"),
];

async fn definitions(
    state: &AppState,
    member: &Member,
) -> Result<Vec<CustomAttributeDefinition>, PageError> {
    Ok(state
        .services
        .attribute_definitions(member.account_id(), None)
        .await?)
}

async fn widget_page(
    state: &AppState,
    member: &Member,
    id: InboxId,
    shown: Option<(WidgetForm, FieldErrors)>,
    saved: bool,
    status: StatusCode,
) -> Result<Response, PageError> {
    let inbox = state.services.inbox(member.account_id(), id).await?;
    let widget = inbox
        .channel
        .web_widget()
        .ok_or(ServiceError::NotFound("inbox"))?;
    let (form, errors) =
        shown.unwrap_or_else(|| (WidgetForm::from_widget(widget), FieldErrors::none()));
    let attributes = definitions(state, member)
        .await?
        .into_iter()
        .filter(|d| {
            !form
                .pre_chat_fields
                .iter()
                .any(|f| f.name == d.attribute_key)
        })
        .map(|d| AttributeChoice {
            value: format!("{}:{}", d.attribute_model.as_str(), d.attribute_key),
            label: format!(
                "{} ({})",
                d.attribute_display_name,
                match d.attribute_model {
                    AttributeModel::Contact => "contact",
                    AttributeModel::Conversation => "conversation",
                }
            ),
        })
        .collect();
    let page = WidgetSettingsPage {
        shell: member.shell.at("settings"),
        nav: nav(&member.shell, "inboxes"),
        id: inbox.id.get(),
        title: inbox.name.clone(),
        snippet: crate::service::widget::snippet(
            &state.config.public_url(),
            &inbox.inbox_identifier,
        ),
        hmac_token: widget.hmac_token.clone(),
        form,
        reply_times: REPLY_TIME_LABELS,
        attributes,
        errors,
        saved,
    };
    Ok(with_status(status, render(&page)?))
}

/// `GET /settings/inboxes/{id}/widget`: the widget's settings.
async fn show_widget_settings(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    widget_page(
        &state,
        &member,
        InboxId(id),
        None,
        saved(&query),
        StatusCode::OK,
    )
    .await
}

/// `POST /settings/inboxes/{id}/widget`: saves every setting of the form at once.
async fn update_widget_settings(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let pairs = Pairs(pairs);
    member.signed_in.check_csrf(&headers, pairs.first("csrf"))?;
    let form = WidgetForm::from_pairs(&pairs);
    let definitions = definitions(&state, &member).await?;
    let result = match form.input(&pairs, &definitions) {
        Ok(widget) => {
            let fields = InboxFields {
                widget,
                ..InboxFields::default()
            };
            state
                .services
                .update_inbox(member.account_id(), InboxId(id), &fields)
                .await
                .map(|_| ())
        }
        Err(errors) => Err(ServiceError::Invalid(errors)),
    };
    match result {
        Ok(()) => Ok(back_to(
            &member,
            &format!("/settings/inboxes/{id}/widget?saved=1"),
        )),
        Err(ServiceError::Invalid(errors)) => {
            let names: Vec<Field> = FIELDS.iter().chain(CSAT_FIELDS).copied().collect();
            let errors = FieldErrors::from_validation(form_field(errors), &names);
            let shown = Some((form, errors));
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            widget_page(&state, &member, InboxId(id), shown, false, status).await
        }
        Err(other) => Err(other.into()),
    }
}
