//! Webhooks, as Chatwoot's: administrators register URLs and the events they want; every
//! matching event is posted there as JSON, signed (`X-Chatwoot-Signature`), and an API inbox's
//! `webhook_url` gets its inbox's conversation, message and typing events.
//!
//! Unlike Chatwoot, nothing is lost: the event log is the outbox. The web layer answers a
//! change only once its events are recorded ([`crate::events::EventBus::flushed`]); the
//! dispatcher ([`dispatch`]) turns events after its cursor into delivery rows, moving the
//! cursor in the same transaction; the sender ([`send`]) claims due rows with a lease, posts
//! them and retries with backoff for a day. See `docs/ARCHITECTURE.md`, "Webhooks".

pub mod dispatch;
pub mod guard;
pub mod payload;
pub mod secret;
pub mod send;

use oxidesk_domain::{AccountId, Timestamp, ValidationErrors, webhooks as rules};
use oxidesk_store::{Delivery, StoredWebhook};
use serde::Serialize;
use utoipa::ToSchema;

use crate::config::WebhooksConfig;
use crate::service::{ServiceError, Services};

/// A webhook as the API shows it (Chatwoot's `webhook`).
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct WebhookView {
    /// Id.
    pub id: i64,
    /// Name (may be empty).
    pub name: String,
    /// Where events are posted.
    pub url: String,
    /// The account.
    pub account_id: i64,
    /// Chatwoot event names.
    pub subscriptions: Vec<String>,
    /// The signing secret (administrators only, as in Chatwoot).
    pub secret: String,
}

/// One delivery, for the delivery log.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct DeliveryView {
    /// Id.
    pub id: i64,
    /// The `X-Chatwoot-Delivery` header, the same on every attempt.
    pub delivery_id: String,
    /// Chatwoot's event name.
    pub event: String,
    /// `pending`, `delivered` or `failed` (given up).
    pub status: String,
    /// Attempts made.
    pub attempts: i64,
    /// The last answer's HTTP status.
    pub response_code: Option<i64>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When the last attempt was made (Unix seconds).
    pub last_attempt_at: Option<i64>,
    /// When the next attempt is due, if pending (Unix seconds).
    pub next_attempt_at: Option<i64>,
    /// When the event happened (Unix seconds).
    pub created_at: i64,
}

impl From<&Delivery> for DeliveryView {
    fn from(d: &Delivery) -> Self {
        Self {
            id: d.id,
            delivery_id: d.uuid.clone(),
            event: d.event.clone(),
            status: d.status.clone(),
            attempts: d.attempts,
            response_code: d.response_code,
            last_error: d.last_error.clone(),
            last_attempt_at: d.last_attempt_at,
            next_attempt_at: (d.status == "pending").then_some(d.next_attempt_at),
            created_at: d.created_at,
        }
    }
}

/// What create and update take; `None` keeps the current value (or the default).
#[derive(Debug, Clone, Default)]
pub struct WebhookFields {
    /// Name.
    pub name: Option<String>,
    /// URL.
    pub url: Option<String>,
    /// Event names.
    pub subscriptions: Option<Vec<String>>,
}

struct Checked {
    name: String,
    url: String,
    subscriptions: Vec<String>,
}

fn check(fields: &WebhookFields, current: Option<&StoredWebhook>) -> Result<Checked, ServiceError> {
    let mut errors = ValidationErrors::new();
    let name = match &fields.name {
        Some(n) => errors.check(rules::webhook_name(n)),
        None => Some(current.map(|w| w.name.clone()).unwrap_or_default()),
    };
    let url = match (&fields.url, current) {
        (Some(u), _) => errors.check(rules::webhook_url(u)),
        (None, Some(w)) => Some(w.url.clone()),
        (None, None) => {
            errors.push("url", "is required");
            None
        }
    };
    let subscriptions = match (&fields.subscriptions, current) {
        (Some(s), _) => match rules::subscriptions(s) {
            Ok(s) => Some(s),
            Err(e) => {
                errors.0.extend(e.0);
                None
            }
        },
        (None, Some(w)) => Some(w.subscriptions.clone()),
        (None, None) => Some(
            rules::DEFAULT_SUBSCRIPTIONS
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
        ),
    };
    errors.into_result()?;
    match (name, url, subscriptions) {
        (Some(name), Some(url), Some(subscriptions)) => Ok(Checked {
            name,
            url,
            subscriptions,
        }),
        _ => Err(ServiceError::Internal("unchecked webhook fields".into())),
    }
}

const URL_TAKEN: &str = "is already used by another webhook of this account";

impl Services {
    fn webhook_view(&self, w: &StoredWebhook) -> WebhookView {
        WebhookView {
            id: w.id,
            name: w.name.clone(),
            url: w.url.clone(),
            account_id: w.account_id,
            subscriptions: w.subscriptions.clone(),
            secret: secret::open(&self.secret_key, &w.sealed_secret).unwrap_or_default(),
        }
    }

    /// The account's webhooks, oldest first.
    pub async fn webhooks(&self, account: AccountId) -> Result<Vec<WebhookView>, ServiceError> {
        let hooks = self.store.webhooks(account).await?;
        Ok(hooks.iter().map(|w| self.webhook_view(w)).collect())
    }

    /// One of the account's webhooks.
    pub async fn webhook(&self, account: AccountId, id: i64) -> Result<WebhookView, ServiceError> {
        let hook = crate::service::found(self.store.webhook(account, id).await, "webhook")?;
        Ok(self.webhook_view(&hook))
    }

    /// Registers a webhook with a new random secret.
    pub async fn create_webhook(
        &self,
        account: AccountId,
        fields: &WebhookFields,
    ) -> Result<WebhookView, ServiceError> {
        let c = check(fields, None)?;
        let sealed = secret::seal(&self.secret_key, &crate::secrets::random_token(24));
        let hook = crate::service::unique(
            self.store
                .insert_webhook(
                    account,
                    &c.name,
                    &c.url,
                    &c.subscriptions,
                    &sealed,
                    Timestamp::now(),
                )
                .await,
            "url",
            "url",
            URL_TAKEN,
        )?;
        Ok(self.webhook_view(&hook))
    }

    /// Changes a webhook; fields left out keep their value.
    pub async fn update_webhook(
        &self,
        account: AccountId,
        id: i64,
        fields: &WebhookFields,
    ) -> Result<WebhookView, ServiceError> {
        let current = crate::service::found(self.store.webhook(account, id).await, "webhook")?;
        let c = check(fields, Some(&current))?;
        let hook = crate::service::unique(
            self.store
                .update_webhook(
                    account,
                    id,
                    &c.name,
                    &c.url,
                    &c.subscriptions,
                    Timestamp::now(),
                )
                .await,
            "url",
            "url",
            URL_TAKEN,
        )?;
        Ok(self.webhook_view(&hook))
    }

    /// Deletes a webhook and its delivery log.
    pub async fn delete_webhook(&self, account: AccountId, id: i64) -> Result<(), ServiceError> {
        crate::service::found(self.store.delete_webhook(account, id).await, "webhook")
    }

    /// A webhook's newest deliveries (at most 100), newest first.
    pub async fn webhook_deliveries(
        &self,
        account: AccountId,
        id: i64,
    ) -> Result<Vec<DeliveryView>, ServiceError> {
        crate::service::found(self.store.webhook(account, id).await, "webhook")?;
        let rows = self.store.webhook_deliveries(account, id, 100).await?;
        Ok(rows.iter().map(DeliveryView::from).collect())
    }

    /// Sends a delivery again now, whatever became of it (same `X-Chatwoot-Delivery`).
    pub async fn redeliver(&self, account: AccountId, delivery: i64) -> Result<(), ServiceError> {
        crate::service::found(
            self.store
                .redeliver(account, delivery, Timestamp::now())
                .await,
            "delivery",
        )
    }
}

/// The dispatcher and the sender of this process; dropping it stops both.
#[derive(Debug)]
pub struct Workers(Vec<tokio::task::JoinHandle<()>>);

impl Drop for Workers {
    fn drop(&mut self) {
        for task in &self.0 {
            task.abort();
        }
    }
}

/// Starts the dispatcher and the sender for this process. Several processes on one database
/// may each run them: the cursor and the leases keep every delivery sent once.
pub fn start(services: Services, config: WebhooksConfig) -> Workers {
    let wake = std::sync::Arc::new(tokio::sync::Notify::new());
    Workers(vec![
        tokio::spawn(dispatch::run(services.clone(), wake.clone())),
        tokio::spawn(send::run(services, config, wake)),
    ])
}
