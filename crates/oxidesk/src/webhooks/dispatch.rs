//! The dispatcher: turns the event log into deliveries.
//!
//! It reads the events after the cursor (`webhook_cursor`), builds each one's payload once,
//! and writes one delivery per receiver (every account webhook subscribed to the event, the
//! inbox's `webhook_url` for an API inbox's conversation, message and typing events, and the
//! `outgoing_url` of the inbox's agent bot for the events bots get)
//! while moving the cursor, in one transaction. If the process dies before that commits, the
//! events are read again after a restart; if another instance moved the cursor first, this one
//! writes nothing and reads on from there. So each event becomes its deliveries exactly once.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use oxidesk_domain::bots::reaches_bot;
use oxidesk_domain::{AccountId, Timestamp, webhooks::reaches_api_inbox};
use oxidesk_store::{NewDelivery, StoredEvent, StoredWebhook};
use tokio::sync::Notify;
use tokio::sync::broadcast::error::TryRecvError;

use super::payload::chatwoot_event;
use super::secret;
use crate::service::{ServiceError, Services};

/// Events read at once.
const BATCH: i64 = 200;

/// How long the dispatcher lets events gather after hearing one (what it adds to a
/// webhook's delay, for a pass per 20 ms at most under a stream of events instead of one per
/// event or batch: see `docs/PERFORMANCE.md`, "Ingest, sixth pass").
const GATHER: Duration = Duration::from_millis(20);

/// Receivers of one account, read once per batch.
struct Receivers {
    hooks: Vec<StoredWebhook>,
    /// API inboxes with a `webhook_url`.
    callbacks: HashMap<i64, String>,
    /// Their signing secrets.
    inbox_secrets: secret::InboxSecrets,
    /// Inboxes with an agent bot that has an `outgoing_url`: (bot, URL, sealed secret).
    bots: HashMap<i64, (i64, String, String)>,
}

/// Runs until aborted: a pass shortly after events are heard, and at least once a second (events of
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
            _ = heard.recv() => {
                // Events come in bursts (a batch of posted messages, then the next): let
                // the burst gather, so that one pass reads it, instead of a pass (and a
                // commit that moves the cursor) per batch or per event.
                tokio::time::sleep(GATHER).await;
            }
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
        }
        // Every event heard by now is read by the next pass.
        while let Ok(_) | Err(TryRecvError::Lagged(_)) = heard.try_recv() {}
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

async fn receivers_of(services: &Services, account: i64) -> Result<Receivers, ServiceError> {
    let id = AccountId(account);
    let hooks = services.store.webhooks(id).await?;
    let mut callbacks = HashMap::new();
    for inbox in services.store.list_inboxes(id, None, 10_000).await? {
        if let Some(url) = inbox.channel.webhook_url().filter(|u| !u.trim().is_empty()) {
            callbacks.insert(inbox.id.get(), url.trim().to_owned());
        }
    }
    let mut bots = HashMap::new();
    let known: HashMap<_, _> = services
        .store
        .agent_bots(id)
        .await?
        .into_iter()
        .map(|b| (b.id, b))
        .collect();
    for (inbox, bot) in services.store.agent_bot_inboxes(id).await? {
        if let Some(b) = known.get(&bot).filter(|b| !b.outgoing_url.is_empty()) {
            let target = (b.id.get(), b.outgoing_url.clone(), b.sealed_secret.clone());
            bots.insert(inbox.get(), target);
        }
    }
    let inbox_secrets = services.inbox_secrets(id).await?;
    Ok(Receivers {
        hooks,
        callbacks,
        inbox_secrets,
        bots,
    })
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
    let to_bot = reaches_bot(name) && !r.bots.is_empty();
    if hooks.is_empty() && !to_inbox && !to_bot {
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
        agent_bot_id: None,
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
    if to_bot {
        if let Some((bot, url, sealed)) = outgoing.inbox.and_then(|i| r.bots.get(&i)) {
            for (event_name, body) in bot_bodies(name, &outgoing.body) {
                out.push(NewDelivery {
                    agent_bot_id: Some(*bot),
                    event: event_name.to_owned(),
                    body: body.to_string(),
                    ..delivery(None, None, url, sealed.clone())
                });
            }
        }
    }
    if to_inbox {
        if let Some((inbox, url)) = outgoing
            .inbox
            .and_then(|i| r.callbacks.get(&i).map(|u| (i, u)))
        {
            let sealed = r.inbox_secrets.sealed(inbox);
            out.push(delivery(None, Some(inbox), url, sealed));
        }
    }
    Ok(())
}

/// What a bot gets for event `name`: the payload, and for a status change also Chatwoot's
/// `conversation_opened` or `conversation_resolved` (the same conversation, renamed).
fn bot_bodies(
    name: &'static str,
    body: &serde_json::Value,
) -> Vec<(&'static str, serde_json::Value)> {
    let mut bodies = vec![(name, body.clone())];
    if name == "conversation_status_changed" {
        let extra = match body.get("status").and_then(serde_json::Value::as_str) {
            Some("open") => Some("conversation_opened"),
            Some("resolved") => Some("conversation_resolved"),
            _ => None,
        };
        if let Some(extra) = extra {
            let mut renamed = body.clone();
            if let Some(map) = renamed.as_object_mut() {
                map.insert("event".into(), serde_json::json!(extra));
            }
            bodies.push((extra, renamed));
        }
    }
    bodies
}
