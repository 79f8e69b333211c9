//! The dispatcher: turns the event log into deliveries.
//!
//! It reads the events after the cursor (`webhook_cursor`), builds each one's payload once,
//! and writes one delivery per receiver (every account webhook subscribed to the event, and
//! the inbox's `webhook_url` for an API inbox's conversation, message and typing events)
//! while moving the cursor, in one transaction. If the process dies before that commits, the
//! events are read again after a restart; if another instance moved the cursor first, this one
//! writes nothing and reads on from there. So each event becomes its deliveries exactly once.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use oxidesk_domain::{AccountId, Timestamp, webhooks::reaches_api_inbox};
use oxidesk_store::{NewDelivery, StoreError, StoredEvent, StoredWebhook};
use tokio::sync::Notify;

use super::payload::chatwoot_event;
use super::secret;
use crate::service::{ServiceError, Services};

/// Events read at once.
const BATCH: i64 = 200;

/// Receivers of one account, read once per batch.
struct Receivers {
    hooks: Vec<StoredWebhook>,
    /// API inboxes with a `webhook_url`.
    callbacks: HashMap<i64, String>,
}

/// Runs until aborted: a pass on every event heard, and at least once a second (events of
/// other instances on SQLite-less setups, passes that failed).
pub async fn run(services: Services, wake_sender: Arc<Notify>) {
    let mut heard = services.events.subscribe();
    loop {
        match pass(&services).await {
            Ok(0) => {}
            Ok(_) => {
                wake_sender.notify_one();
                continue;
            }
            Err(error) => tracing::warn!(%error, "webhook dispatch failed; retrying"),
        }
        tokio::select! {
            _ = heard.recv() => {}
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
        }
    }
}

/// One batch: returns how many events it consumed (0: none waiting).
pub async fn pass(services: &Services) -> Result<usize, ServiceError> {
    let store = &services.store;
    let from = store.webhook_cursor().await?;
    let events = store.events_after_any(from, BATCH).await?;
    let Some(last) = events.last().map(|e| e.id) else {
        return Ok(0);
    };
    let mut receivers: HashMap<i64, Receivers> = HashMap::new();
    let mut deliveries = Vec::new();
    for event in &events {
        deliver_event(services, event, &mut receivers, &mut deliveries).await?;
    }
    if store
        .dispatch_deliveries(from, last, &deliveries, Timestamp::now())
        .await?
    {
        Ok(events.len())
    } else {
        Ok(1)
    }
}

async fn receivers_of(services: &Services, account: i64) -> Result<Receivers, StoreError> {
    let id = AccountId(account);
    let hooks = services.store.webhooks(id).await?;
    let mut callbacks = HashMap::new();
    for inbox in services.store.list_inboxes(id, None, 10_000).await? {
        if let Some(url) = inbox.channel.webhook_url().filter(|u| !u.trim().is_empty()) {
            callbacks.insert(inbox.id.get(), url.trim().to_owned());
        }
    }
    Ok(Receivers { hooks, callbacks })
}

async fn deliver_event(
    services: &Services,
    event: &StoredEvent,
    receivers: &mut HashMap<i64, Receivers>,
    out: &mut Vec<NewDelivery>,
) -> Result<(), ServiceError> {
    let Some(name) = chatwoot_event(&event.name) else {
        return Ok(());
    };
    let r = match receivers.entry(event.account_id) {
        std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
        std::collections::hash_map::Entry::Vacant(slot) => {
            slot.insert(receivers_of(services, event.account_id).await?)
        }
    };
    let hooks: Vec<&StoredWebhook> = r
        .hooks
        .iter()
        .filter(|h| h.subscriptions.iter().any(|s| s == name))
        .collect();
    let to_inbox = reaches_api_inbox(name) && !r.callbacks.is_empty();
    if hooks.is_empty() && !to_inbox {
        return Ok(());
    }
    let data = serde_json::from_str(&event.data).unwrap_or(serde_json::Value::Null);
    let Some(outgoing) = services
        .webhook_payload(AccountId(event.account_id), &event.name, &data)
        .await?
    else {
        return Ok(());
    };
    let body = outgoing.body.to_string();
    let delivery = |webhook_id, inbox_id, url: &str, sealed_secret: String| NewDelivery {
        uuid: uuid::Uuid::new_v4().to_string(),
        account_id: event.account_id,
        webhook_id,
        inbox_id,
        event_id: event.id,
        event: name.to_owned(),
        url: url.to_owned(),
        body: body.clone(),
        sealed_secret,
    };
    for hook in hooks {
        out.push(delivery(
            Some(hook.id),
            None,
            &hook.url,
            hook.sealed_secret.clone(),
        ));
    }
    if to_inbox {
        if let Some((inbox, url)) = outgoing
            .inbox
            .and_then(|i| r.callbacks.get(&i).map(|u| (i, u)))
        {
            let plain = secret::api_inbox_secret(&services.secret_key, inbox);
            let sealed = secret::seal(&services.secret_key, &plain);
            out.push(delivery(None, Some(inbox), url, sealed));
        }
    }
    Ok(())
}
