//! Settings > Integrations > Webhooks: the list, add, edit (name, URL, events), the secret,
//! the delivery log with "send again", delete after a confirmation.

use askama::Template;
use axum::extract::{RawPathParams, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use oxidesk_domain::Timestamp;
use oxidesk_domain::webhooks::{DEFAULT_SUBSCRIPTIONS, WEBHOOK_EVENTS};

use super::forms::{Field, FieldErrors, Pairs, When, saved, with_status};
use super::{Admin, ItemId, NavItem, back_to, confirm, nav};
use crate::http::pages::render;
use crate::http::ui::shell::{Member, Shell};
use crate::http::{AppState, PageError};
use crate::webhooks::{DeliveryView, WebhookFields, WebhookView};

const SECTION: &str = "integrations/webhooks";

pub(super) fn router() -> Router<AppState> {
    let base = "/app/accounts/{account_id}/settings/integrations/webhooks";
    Router::new()
        .route(base, get(list_webhooks).post(create_webhook))
        .route(
            &format!("{base}/{{id}}"),
            get(show_webhook).post(update_webhook),
        )
        .route(
            &format!("{base}/{{id}}/delete"),
            get(confirm_delete_webhook).post(delete_webhook),
        )
        .route(
            &format!("{base}/{{id}}/deliveries/{{delivery}}/redeliver"),
            post(redeliver),
        )
}

const FIELDS: &[Field] = &[
    ("name", "name", "Name"),
    ("url", "url", "URL"),
    ("subscriptions", "subscriptions", "Events"),
];

/// The webhook form as typed.
#[derive(Debug, Clone, Default)]
struct WebhookForm {
    name: String,
    url: String,
    subscriptions: Vec<String>,
}

impl WebhookForm {
    fn of(pairs: &Pairs) -> Self {
        Self {
            name: pairs.first("name").to_owned(),
            url: pairs.first("url").to_owned(),
            subscriptions: pairs
                .all("subscriptions")
                .into_iter()
                .map(str::to_owned)
                .collect(),
        }
    }

    fn fields(&self) -> WebhookFields {
        WebhookFields {
            name: Some(self.name.clone()),
            url: Some(self.url.clone()),
            subscriptions: Some(self.subscriptions.clone()),
        }
    }

    /// Every event, ticked when chosen.
    fn events(&self) -> Vec<(&'static str, bool)> {
        WEBHOOK_EVENTS
            .iter()
            .map(|e| (*e, self.subscriptions.iter().any(|s| s == e)))
            .collect()
    }
}

struct WebhookRow {
    href: String,
    name: String,
    url: String,
    events: usize,
}

struct DeliveryRow {
    event: String,
    status: String,
    attempts: i64,
    response_code: String,
    error: String,
    at: When,
    redeliver: String,
}

impl DeliveryRow {
    fn new(member: &Member, hook: i64, d: DeliveryView) -> Self {
        Self {
            redeliver: member.shell.url(&format!(
                "/settings/{SECTION}/{hook}/deliveries/{}/redeliver",
                d.id
            )),
            at: When::new(Timestamp::from(d.last_attempt_at.unwrap_or(d.created_at))),
            event: d.event,
            status: d.status,
            attempts: d.attempts,
            response_code: d.response_code.map(|c| c.to_string()).unwrap_or_default(),
            error: d.last_error.unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "pages/settings_webhooks.html")]
struct WebhooksPage {
    shell: Shell,
    nav: Vec<NavItem>,
    rows: Vec<WebhookRow>,
    form: WebhookForm,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "pages/settings_webhook.html")]
struct WebhookPage {
    shell: Shell,
    nav: Vec<NavItem>,
    id: i64,
    title: String,
    secret: String,
    form: WebhookForm,
    errors: FieldErrors,
    saved: bool,
    deliveries: Vec<DeliveryRow>,
}

async fn webhooks_page(
    state: &AppState,
    member: &Member,
    form: WebhookForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let hooks = state.services.webhooks(member.account_id()).await?;
    let rows = hooks
        .into_iter()
        .map(|h| WebhookRow {
            href: member.shell.url(&format!("/settings/{SECTION}/{}", h.id)),
            name: h.name,
            url: h.url,
            events: h.subscriptions.len(),
        })
        .collect();
    let page = WebhooksPage {
        shell: member.shell.at("settings"),
        nav: nav(&member.shell, SECTION),
        rows,
        form,
        errors,
    };
    Ok(with_status(status, render(&page)?))
}

/// `GET …/integrations/webhooks`: the list and the form to add one.
async fn list_webhooks(
    State(state): State<AppState>,
    Admin(member): Admin,
) -> Result<Response, PageError> {
    let form = WebhookForm {
        subscriptions: DEFAULT_SUBSCRIPTIONS
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
        ..WebhookForm::default()
    };
    webhooks_page(&state, &member, form, FieldErrors::none(), StatusCode::OK).await
}

/// `POST …/integrations/webhooks`: adds a webhook, then shows it (with its secret).
async fn create_webhook(
    State(state): State<AppState>,
    Admin(member): Admin,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let pairs = Pairs(pairs);
    member.signed_in.check_csrf(&headers, pairs.first("csrf"))?;
    let form = WebhookForm::of(&pairs);
    match state
        .services
        .create_webhook(member.account_id(), &form.fields())
        .await
    {
        Ok(hook) => Ok(back_to(
            &member,
            &format!("/settings/{SECTION}/{}", hook.id),
        )),
        Err(e) => {
            let (status, errors) = FieldErrors::from_service(e, FIELDS)?;
            webhooks_page(&state, &member, form, errors, status).await
        }
    }
}

async fn webhook_page(
    state: &AppState,
    member: &Member,
    id: i64,
    shown: (Option<WebhookForm>, FieldErrors, bool),
    status: StatusCode,
) -> Result<Response, PageError> {
    let account = member.account_id();
    let hook: WebhookView = state.services.webhook(account, id).await?;
    let deliveries = state.services.webhook_deliveries(account, id).await?;
    let (form, errors, saved) = shown;
    let page = WebhookPage {
        shell: member.shell.at("settings"),
        nav: nav(&member.shell, SECTION),
        id,
        title: if hook.name.is_empty() {
            hook.url.clone()
        } else {
            hook.name.clone()
        },
        form: form.unwrap_or_else(|| WebhookForm {
            name: hook.name.clone(),
            url: hook.url.clone(),
            subscriptions: hook.subscriptions.clone(),
        }),
        secret: hook.secret,
        errors,
        saved,
        deliveries: deliveries
            .into_iter()
            .map(|d| DeliveryRow::new(member, id, d))
            .collect(),
    };
    Ok(with_status(status, render(&page)?))
}

/// `GET …/webhooks/{id}`: the form, the secret and the delivery log.
async fn show_webhook(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let shown = (None, FieldErrors::none(), saved(&query));
    webhook_page(&state, &member, id, shown, StatusCode::OK).await
}

/// `POST …/webhooks/{id}`: changes the webhook.
async fn update_webhook(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let pairs = Pairs(pairs);
    member.signed_in.check_csrf(&headers, pairs.first("csrf"))?;
    let form = WebhookForm::of(&pairs);
    match state
        .services
        .update_webhook(member.account_id(), id, &form.fields())
        .await
    {
        Ok(_) => Ok(back_to(
            &member,
            &format!("/settings/{SECTION}/{id}?saved=1"),
        )),
        Err(e) => {
            let (status, errors) = FieldErrors::from_service(e, FIELDS)?;
            webhook_page(&state, &member, id, (Some(form), errors, false), status).await
        }
    }
}

/// `GET …/webhooks/{id}/delete`: asks before deleting.
async fn confirm_delete_webhook(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
) -> Result<Html<String>, PageError> {
    let hook = state.services.webhook(member.account_id(), id).await?;
    let path = format!("/settings/{SECTION}/{id}");
    confirm(
        &member,
        SECTION,
        format!("Delete the webhook to {}?", hook.url),
        "Nothing more is sent to it; its pending deliveries and its log are dropped.".into(),
        member.shell.url(&format!("{path}/delete")),
        "Delete webhook",
        member.shell.url(&path),
    )
}

/// `POST …/webhooks/{id}/delete`: deletes the webhook.
async fn delete_webhook(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    member
        .signed_in
        .check_csrf(&headers, Pairs(pairs).first("csrf"))?;
    state
        .services
        .delete_webhook(member.account_id(), id)
        .await?;
    Ok(back_to(&member, &format!("/settings/{SECTION}")))
}

/// `POST …/webhooks/{id}/deliveries/{delivery}/redeliver`: sends a delivery again now.
async fn redeliver(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    params: RawPathParams,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    member
        .signed_in
        .check_csrf(&headers, Pairs(pairs).first("csrf"))?;
    let delivery = params
        .iter()
        .find(|(name, _)| *name == "delivery")
        .and_then(|(_, v)| v.parse::<i64>().ok())
        .ok_or_else(|| PageError::new(StatusCode::NOT_FOUND, "This page does not exist."))?;
    state.services.webhook(member.account_id(), id).await?;
    state
        .services
        .redeliver(member.account_id(), delivery)
        .await?;
    Ok(back_to(
        &member,
        &format!("/settings/{SECTION}/{id}?saved=1"),
    ))
}
