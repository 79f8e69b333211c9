//! Settings > Inboxes: the API inboxes, with their public identifier and HMAC token, and their
//! agents (resetting the secret and deleting: `inbox_removal`).

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use oxidesk_domain::{Inbox, InboxId, UserId};
use serde::Deserialize;

use super::forms::{Field, FieldErrors, Pairs, saved, ticked, with_status};
use super::{Admin, ItemId, MemberChoice, NavItem, back_to, member_choices, nav, ticked_users};
use crate::http::pages::render;
use crate::http::ui::shell::{Member, Shell};
use crate::http::{AppState, PageError};
use crate::service::InboxFields;
use oxidesk_domain::ChannelType;
use oxidesk_domain::widget::WebWidgetInput;

pub(super) fn router() -> Router<AppState> {
    let base = "/app/accounts/{account_id}/settings/inboxes";
    Router::new()
        .route(base, get(list_inboxes).post(create_inbox))
        .route(
            &format!("{base}/{{id}}"),
            get(show_inbox).post(update_inbox),
        )
        .route(&format!("{base}/{{id}}/members"), post(set_inbox_members))
}

/// The inbox fields of the forms.
const FIELDS: &[Field] = &[
    ("name", "name", "Name"),
    ("channel.webhook_url", "webhook_url", "Webhook URL"),
    ("channel.website_url", "website_url", "Website URL"),
    ("channel.widget_color", "widget_color", "Widget colour"),
];

/// The inbox form as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
pub(super) struct InboxForm {
    #[serde(default)]
    pub(super) csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    webhook_url: String,
    /// Set by the "Add a website inbox" form: the inbox is a website widget.
    #[serde(default)]
    website_url: Option<String>,
    /// The website widget's colour.
    #[serde(default)]
    widget_color: Option<String>,
    /// A checkbox of the edit form.
    #[serde(default)]
    hmac_mandatory: Option<String>,
    /// A checkbox of the edit form.
    #[serde(default)]
    enable_auto_assignment: Option<String>,
}

/// One row of the inbox list.
struct InboxRow {
    href: String,
    name: String,
    identifier: String,
    webhook_url: Option<String>,
    channel: &'static str,
}

#[derive(Template)]
#[template(path = "pages/settings_inboxes.html")]
struct InboxesPage {
    shell: Shell,
    nav: Vec<NavItem>,
    rows: Vec<InboxRow>,
    form: InboxForm,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "pages/settings_inbox.html")]
struct InboxPage {
    shell: Shell,
    nav: Vec<NavItem>,
    id: i64,
    title: String,
    identifier: String,
    hmac_token: String,
    /// What signs the deliveries to the inbox's `webhook_url`.
    webhook_secret: String,
    public_path: String,
    form: InboxForm,
    hmac_mandatory: bool,
    auto_assignment: bool,
    errors: FieldErrors,
    members: Vec<MemberChoice>,
    member_errors: FieldErrors,
    saved: bool,
    /// The embed snippet, for a website inbox.
    snippet: Option<String>,
}

fn webhook_of(inbox: &Inbox) -> Option<String> {
    inbox.channel.webhook_url().map(str::to_owned)
}

async fn inboxes_page(
    state: &AppState,
    member: &Member,
    form: InboxForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let inboxes = state.services.inboxes(member.account_id()).await?;
    let rows = inboxes
        .iter()
        .map(|inbox| InboxRow {
            href: member.shell.url(&format!("/settings/inboxes/{}", inbox.id)),
            name: inbox.name.clone(),
            identifier: inbox.inbox_identifier.clone(),
            webhook_url: webhook_of(inbox),
            channel: match inbox.channel.channel_type() {
                ChannelType::Api => "API",
                ChannelType::WebWidget => "Website",
            },
        })
        .collect();
    let page = InboxesPage {
        shell: member.shell.at("settings"),
        nav: nav(&member.shell, "inboxes"),
        rows,
        form,
        errors,
    };
    Ok(with_status(status, render(&page)?))
}

/// `GET /settings/inboxes`: the list and the form to add an API inbox.
async fn list_inboxes(
    State(state): State<AppState>,
    Admin(member): Admin,
) -> Result<Response, PageError> {
    inboxes_page(
        &state,
        &member,
        InboxForm::default(),
        FieldErrors::none(),
        StatusCode::OK,
    )
    .await
}

/// `POST /settings/inboxes`: adds an API inbox, then shows it.
async fn create_inbox(
    State(state): State<AppState>,
    Admin(member): Admin,
    headers: HeaderMap,
    Form(form): Form<InboxForm>,
) -> Result<Response, PageError> {
    member.signed_in.check_csrf(&headers, &form.csrf)?;
    let webhook = Some(form.webhook_url.clone()).filter(|u| !u.trim().is_empty());
    let fields = InboxFields {
        name: Some(form.name.clone()),
        webhook_url: Some(webhook),
        channel_type: form.website_url.is_some().then_some(ChannelType::WebWidget),
        widget: WebWidgetInput {
            website_url: form.website_url.clone(),
            widget_color: form.widget_color.clone().filter(|c| !c.is_empty()),
            ..WebWidgetInput::default()
        },
        ..InboxFields::default()
    };
    match state
        .services
        .create_inbox(member.account_id(), &fields)
        .await
    {
        Ok(inbox) => Ok(back_to(&member, &format!("/settings/inboxes/{}", inbox.id))),
        Err(e) => {
            let (status, errors) = FieldErrors::from_service(e, FIELDS)?;
            inboxes_page(&state, &member, form, errors, status).await
        }
    }
}

/// What an inbox page shows besides the saved inbox: a form shown again with its errors, the
/// errors of the members form, or that a form was just saved.
#[derive(Default)]
struct Shown {
    form: Option<InboxForm>,
    errors: FieldErrors,
    member_errors: FieldErrors,
    saved: bool,
}

/// The inbox's page.
async fn inbox_page(
    state: &AppState,
    member: &Member,
    id: InboxId,
    shown: Shown,
    status: StatusCode,
) -> Result<Response, PageError> {
    let account = member.account_id();
    let inbox = state.services.inbox(account, id).await?;
    let webhook_url = inbox.channel.webhook_url().map(str::to_owned);
    let (hmac_token, hmac_mandatory) = inbox.channel.hmac();
    let snippet = inbox.channel.web_widget().map(|_| {
        crate::service::widget::snippet(&state.config.public_url(), &inbox.inbox_identifier)
    });
    let members: Vec<UserId> = state
        .services
        .inbox_members(account, id)
        .await?
        .into_iter()
        .map(|a| a.user.id)
        .collect();
    let (form, hmac_mandatory, auto_assignment) = match shown.form {
        Some(form) => {
            let hmac = form.hmac_mandatory.is_some();
            let auto = form.enable_auto_assignment.is_some();
            (form, hmac, auto)
        }
        None => (
            InboxForm {
                name: inbox.name.clone(),
                webhook_url: webhook_url.clone().unwrap_or_default(),
                ..InboxForm::default()
            },
            hmac_mandatory,
            inbox.enable_auto_assignment,
        ),
    };
    let page = InboxPage {
        shell: member.shell.at("settings"),
        nav: nav(&member.shell, "inboxes"),
        id: inbox.id.get(),
        title: inbox.name.clone(),
        public_path: format!("/public/api/v1/inboxes/{}", inbox.inbox_identifier),
        identifier: inbox.inbox_identifier.clone(),
        hmac_token: hmac_token.to_owned(),
        snippet,
        webhook_secret: state
            .services
            .inbox_secrets(account)
            .await?
            .of(inbox.id.get()),
        form,
        hmac_mandatory,
        auto_assignment,
        errors: shown.errors,
        members: member_choices(state, member, &members).await?,
        member_errors: shown.member_errors,
        saved: shown.saved,
    };
    Ok(with_status(status, render(&page)?))
}

/// `GET /settings/inboxes/{id}`: the inbox's settings, identifier, token and agents.
async fn show_inbox(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let shown = Shown {
        saved: saved(&query),
        ..Shown::default()
    };
    inbox_page(&state, &member, InboxId(id), shown, StatusCode::OK).await
}

/// `POST /settings/inboxes/{id}`: changes the name, webhook and switches.
async fn update_inbox(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    headers: HeaderMap,
    Form(form): Form<InboxForm>,
) -> Result<Response, PageError> {
    member.signed_in.check_csrf(&headers, &form.csrf)?;
    let fields = InboxFields {
        name: Some(form.name.clone()),
        webhook_url: Some(Some(form.webhook_url.clone())),
        hmac_mandatory: ticked(&form.hmac_mandatory),
        enable_auto_assignment: ticked(&form.enable_auto_assignment),
        ..InboxFields::default()
    };
    let result = state
        .services
        .update_inbox(member.account_id(), InboxId(id), &fields)
        .await;
    match result {
        Ok(_) => Ok(back_to(&member, &format!("/settings/inboxes/{id}?saved=1"))),
        Err(e) => {
            let (status, errors) = FieldErrors::from_service(e, FIELDS)?;
            let shown = Shown {
                form: Some(form),
                errors,
                ..Shown::default()
            };
            inbox_page(&state, &member, InboxId(id), shown, status).await
        }
    }
}

/// `POST /settings/inboxes/{id}/members`: makes the ticked agents the inbox's.
async fn set_inbox_members(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = Pairs(pairs);
    member.signed_in.check_csrf(&headers, form.first("csrf"))?;
    let result = match ticked_users(&form) {
        Ok(users) => state
            .services
            .set_inbox_members(member.account_id(), InboxId(id), &users)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(back_to(&member, &format!("/settings/inboxes/{id}?saved=1"))),
        Err(e) => {
            let (status, member_errors) = FieldErrors::from_service(e, &[])?;
            let shown = Shown {
                member_errors,
                ..Shown::default()
            };
            inbox_page(&state, &member, InboxId(id), shown, status).await
        }
    }
}
