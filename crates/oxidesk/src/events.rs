//! The event bus: every state change is published here, for live updates and, later, webhooks.
//!
//! `publish` hands the event to one writer task per process, which appends it to the event log
//! (the `events` table) and so gives it an id; the id is what Server-Sent Events send, and what a
//! reconnecting browser sends back (`Last-Event-ID`) to catch up.
//!
//! - SQLite (one instance): the writer broadcasts the numbered event to this process's
//!   subscribers.
//! - PostgreSQL (one or several instances): the writer's insert also runs `NOTIFY
//!   oxidesk_events, '<id>'`; every instance, this one included, `LISTEN`s and broadcasts the
//!   event to its own subscribers. An event raised on one instance reaches browsers connected to
//!   any other, in one order.

use std::time::Duration;

use oxidesk_domain::{AccountId, Timestamp};
use oxidesk_store::{Heard, Store, StoredEvent};
use serde::Serialize;
use tokio::sync::{broadcast, mpsc};

/// One change in an account.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Event {
    /// Its number in the event log (increasing).
    pub id: i64,
    /// The account it happened in (events never cross accounts).
    pub account_id: AccountId,
    /// What happened: `conversation.created`, `message.created`, `conversation.updated`, ...
    pub name: String,
    /// The changed object's ids.
    pub data: serde_json::Value,
}

impl Event {
    /// The event of a stored row.
    pub fn from_stored(row: StoredEvent) -> Self {
        Self {
            id: row.id,
            account_id: AccountId(row.account_id),
            name: row.name,
            data: serde_json::from_str(&row.data).unwrap_or(serde_json::Value::Null),
        }
    }
}

struct Pending {
    account_id: AccountId,
    name: String,
    data: serde_json::Value,
}

/// Publishes events to every subscriber, in this process and, on PostgreSQL, in every instance.
#[derive(Debug, Clone)]
pub struct EventBus {
    queue: mpsc::UnboundedSender<Pending>,
    local: broadcast::Sender<Event>,
}

/// How long the event log keeps events (what a reconnecting browser can catch up on).
pub const RETENTION_SECS: i64 = 24 * 3600;

impl EventBus {
    /// Starts the bus over `store`: its writer task and, on PostgreSQL, its listener.
    /// Must be called inside a Tokio runtime.
    pub fn start(store: Store) -> Self {
        let (queue, pending) = mpsc::unbounded_channel();
        let (local, _) = broadcast::channel(4096);
        let postgres = store.backend() == oxidesk_store::Backend::Postgres;
        tokio::spawn(write_events(
            store.clone(),
            pending,
            local.clone(),
            !postgres,
        ));
        if postgres {
            tokio::spawn(listen(store, local.clone()));
        }
        Self { queue, local }
    }

    /// Publishes an event; having no subscriber is fine.
    pub fn publish(&self, account_id: AccountId, name: &str, data: serde_json::Value) {
        let _ = self.queue.send(Pending {
            account_id,
            name: name.to_owned(),
            data,
        });
    }

    /// A new subscription to every event published from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.local.subscribe()
    }
}

/// Appends queued events to the log, in order, and (SQLite) broadcasts them.
async fn write_events(
    store: Store,
    mut pending: mpsc::UnboundedReceiver<Pending>,
    local: broadcast::Sender<Event>,
    broadcast_here: bool,
) {
    while let Some(p) = pending.recv().await {
        let data = p.data.to_string();
        match store
            .insert_event(p.account_id, &p.name, &data, Timestamp::now())
            .await
        {
            Ok(id) => {
                if broadcast_here {
                    let _ = local.send(Event {
                        id,
                        account_id: p.account_id,
                        name: p.name,
                        data: p.data,
                    });
                }
            }
            Err(error) => tracing::error!(%error, event = %p.name, "could not record an event"),
        }
    }
}

/// Relays `NOTIFY oxidesk_events` to this process's subscribers. Whenever notifications may
/// have been missed (start, reconnection, a gap in the ids), reads the log instead.
async fn listen(store: Store, local: broadcast::Sender<Event>) {
    let mut last = store.last_event_id().await.unwrap_or(0);
    loop {
        match store.event_listener().await {
            Ok(Some(mut listener)) => {
                last = relay_missed(&store, last, &local).await;
                loop {
                    match listener.recv().await {
                        Ok(Heard::Event(id)) if id == last + 1 => match store.event(id).await {
                            Ok(row) => {
                                last = id;
                                let _ = local.send(Event::from_stored(row));
                            }
                            Err(error) => {
                                tracing::warn!(%error, id, "cannot read a notified event")
                            }
                        },
                        Ok(Heard::Event(id)) if id <= last => {}
                        Ok(Heard::Event(_)) | Ok(Heard::Reconnected) => {
                            last = relay_missed(&store, last, &local).await;
                        }
                        Err(error) => {
                            tracing::warn!(%error, "event listener failed; reconnecting");
                            break;
                        }
                    }
                }
            }
            Ok(None) => return,
            Err(error) => tracing::warn!(%error, "cannot start the event listener"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// Broadcasts every event after `last` from the log (all accounts); returns the new last id.
async fn relay_missed(store: &Store, mut last: i64, local: &broadcast::Sender<Event>) -> i64 {
    loop {
        match store.events_after_any(last, 500).await {
            Ok(rows) if rows.is_empty() => return last,
            Ok(rows) => {
                for row in rows {
                    last = row.id;
                    let _ = local.send(Event::from_stored(row));
                }
            }
            Err(error) => {
                tracing::warn!(%error, "cannot read missed events");
                return last;
            }
        }
    }
}
