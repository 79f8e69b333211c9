//! Settings > Integrations > Webhooks: the list, add, edit (name, URL, events), the secret,
//! the delivery log with "send again", delete after a confirmation.

use askama::Template;
use axum::extract::{RawPathParams, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, Response};
use axum::routing::post;
use axum::{Form, Router};
use oxidesk_domain::webhooks::{DEFAULT_SUBSCRIPTIONS, WEBHOOK_EVENTS};
use oxidesk_domain::{AccountId, Timestamp};

use super::forms::{Field, FieldErrors, Pairs, When};
use super::section::{self, Deletion, Section, Shown, back_saved, checked};
use super::{Admin, ItemId, NavItem, nav};
use crate::http::pages::render;
use crate::http::ui::shell::{Member, Shell};
use crate::http::{AppState, PageError};
use crate::service::ServiceError;
use crate::webhooks::{DeliveryView, WebhookFields, WebhookView};

const SECTION: &str = "integrations/webhooks";

pub(super) fn router() -> Router<AppState> {
    let base = "/app/accounts/{account_id}/settings/integrations/webhooks";
    section::routes::<Webhooks>().route(
        &format!("{base}/{{id}}/deliveries/{{delivery}}/redeliver"),
        post(redeliver),
    )
}

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

/// Settings > Integrations > Webhooks: a new webhook's page follows (with its secret).
struct Webhooks;

impl Section for Webhooks {
    const PATH: &'static str = SECTION;
    const FIELDS: &'static [Field] = &[
        ("name", "name", "Name"),
        ("url", "url", "URL"),
        ("subscriptions", "subscriptions", "Events"),
    ];
    const SHOW_CREATED: bool = true;
    type Form = WebhookForm;

    fn read(pairs: &Pairs) -> WebhookForm {
        WebhookForm::of(pairs)
    }

    fn new_form() -> WebhookForm {
        WebhookForm {
            subscriptions: DEFAULT_SUBSCRIPTIONS
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            ..WebhookForm::default()
        }
    }

    async fn list_page(
        state: &AppState,
        member: &Member,
        form: WebhookForm,
        errors: FieldErrors,
    ) -> Result<Html<String>, PageError> {
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
        render(&WebhooksPage {
            shell: member.shell.at("settings"),
            nav: nav(&member.shell, SECTION),
            rows,
            form,
            errors,
        })
    }

    /// The form, the secret and the delivery log.
    async fn item_page(
        state: &AppState,
        member: &Member,
        id: i64,
        shown: Shown<WebhookForm>,
    ) -> Result<Html<String>, PageError> {
        let account = member.account_id();
        let hook: WebhookView = state.services.webhook(account, id).await?;
        let deliveries = state.services.webhook_deliveries(account, id).await?;
        render(&WebhookPage {
            shell: member.shell.at("settings"),
            nav: nav(&member.shell, SECTION),
            id,
            title: if hook.name.is_empty() {
                hook.url.clone()
            } else {
                hook.name.clone()
            },
            form: shown.form.unwrap_or_else(|| WebhookForm {
                name: hook.name.clone(),
                url: hook.url.clone(),
                subscriptions: hook.subscriptions.clone(),
            }),
            secret: hook.secret,
            errors: shown.errors,
            saved: shown.saved,
            deliveries: deliveries
                .into_iter()
                .map(|d| DeliveryRow::new(member, id, d))
                .collect(),
        })
    }

    async fn create(
        state: &AppState,
        account: AccountId,
        form: &WebhookForm,
    ) -> Result<i64, ServiceError> {
        let hook = state
            .services
            .create_webhook(account, &form.fields())
            .await?;
        Ok(hook.id)
    }

    async fn update(
        state: &AppState,
        account: AccountId,
        id: i64,
        form: &WebhookForm,
    ) -> Result<(), ServiceError> {
        state
            .services
            .update_webhook(account, id, &form.fields())
            .await?;
        Ok(())
    }

    async fn deletion(
        state: &AppState,
        account: AccountId,
        id: i64,
    ) -> Result<Deletion, ServiceError> {
        let hook = state.services.webhook(account, id).await?;
        Ok(Deletion {
            question: format!("Delete the webhook to {}?", hook.url),
            message: "Nothing more is sent to it; its pending deliveries and its log are dropped.",
            button: "Delete webhook",
        })
    }

    async fn delete(state: &AppState, account: AccountId, id: i64) -> Result<(), ServiceError> {
        state.services.delete_webhook(account, id).await
    }
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
    checked(&member, &headers, pairs)?;
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
    Ok(back_saved::<Webhooks>(&member, id))
}
