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
//!
//! The accounts' generation counters are in `generations`, the writer task in `writer`, the
//! PostgreSQL listener in `listener`.

mod generations;
mod listener;
mod writer;

use std::sync::{Arc, Mutex, PoisonError};

use oxidesk_domain::AccountId;
use oxidesk_store::{Store, StoredEvent};
use serde::Serialize;
use tokio::sync::{broadcast, mpsc, watch};

pub use generations::Generations;
use listener::listen;
use writer::write_events;

/// One change in an account. Subscribers get it as an `Arc`: one copy, however many browsers
/// are listening.
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
    /// `{"id", "name", "data"}` as JSON text, made once for every stream that sends it.
    #[serde(skip)]
    wire: String,
}

impl Event {
    /// An event numbered `id`.
    pub fn new(id: i64, account_id: AccountId, name: String, data: serde_json::Value) -> Self {
        let wire = serde_json::json!({"id": id, "name": name, "data": data}).to_string();
        Self {
            id,
            account_id,
            name,
            data,
            wire,
        }
    }

    /// The event of a stored row.
    pub fn from_stored(row: StoredEvent) -> Self {
        let data = serde_json::from_str(&row.data).unwrap_or(serde_json::Value::Null);
        Self::new(row.id, AccountId(row.account_id), row.name, data)
    }

    /// `{"id", "name", "data"}` as JSON text: what a live stream sends.
    pub fn wire(&self) -> &str {
        &self.wire
    }
}

struct Pending {
    seq: u64,
    account_id: AccountId,
    name: String,
    data: serde_json::Value,
}

/// Publishes events to every subscriber, in this process and, on PostgreSQL, in every instance.
/// Cheap to clone (one reference count).
#[derive(Debug, Clone)]
pub struct EventBus {
    inner: Arc<Bus>,
}

#[derive(Debug)]
struct Bus {
    /// The number of the last event queued, and the queue: numbering and sending under one
    /// lock keep the queue in number order.
    queue: Mutex<(u64, mpsc::UnboundedSender<Pending>)>,
    /// The number of the last event the writer is done with (recorded or given up).
    written: watch::Sender<u64>,
    local: broadcast::Sender<Arc<Event>>,
    generations: Generations,
    /// Whether events are broadcast by the process that records them (SQLite); on
    /// PostgreSQL the listener relays every instance's events, in id order.
    broadcast_here: bool,
    /// Held by whoever records and broadcasts events here (the event writer, the message
    /// writer), so that this process's subscribers get them in id order.
    log: Arc<tokio::sync::Mutex<()>>,
}

/// Chatwoot's `changed_attributes` for an event's data: one single-key object
/// `{"<attribute>": {"previous_value", "current_value"}}` per attribute whose value differs,
/// in the order given (webhooks copy it into `conversation_updated`,
/// `conversation_status_changed` and `contact_updated`).
pub fn changed_attributes(
    pairs: &[(&str, serde_json::Value, serde_json::Value)],
) -> serde_json::Value {
    pairs
        .iter()
        .filter(|(_, before, after)| before != after)
        .map(|(name, before, after)| {
            serde_json::json!({*name: {"previous_value": before, "current_value": after}})
        })
        .collect()
}

/// Whether an event named so may change a credential, a membership or a role: `agent.*`
/// (added, changed, removed, renamed) and `session.ended` (signed out).
pub fn touches_auth(name: &str) -> bool {
    name.starts_with("agent.") || name == "session.ended"
}

/// How long the event log keeps events (what a reconnecting browser can catch up on).
pub const RETENTION_SECS: i64 = 24 * 3600;

impl EventBus {
    /// Starts the bus over `store`: its writer task and, on PostgreSQL, its listener.
    /// Must be called inside a Tokio runtime.
    pub fn start(store: Store) -> Self {
        let (queue, pending) = mpsc::unbounded_channel();
        let (local, _) = broadcast::channel(4096);
        let generations = Generations::default();
        let (written, _) = watch::channel(0);
        let postgres = store.backend() == oxidesk_store::Backend::Postgres;
        let log = Arc::new(tokio::sync::Mutex::new(()));
        tokio::spawn(write_events(
            store.clone(),
            pending,
            local.clone(),
            written.clone(),
            (!postgres).then(|| log.clone()),
        ));
        if postgres {
            tokio::spawn(listen(store, local.clone(), generations.clone()));
        }
        Self {
            inner: Arc::new(Bus {
                queue: Mutex::new((0, queue)),
                written,
                local,
                generations,
                broadcast_here: !postgres,
                log,
            }),
        }
    }

    /// Publishes an event; having no subscriber is fine. The account's [`Generations`] move
    /// on before this returns.
    pub fn publish(&self, account_id: AccountId, name: &str, data: serde_json::Value) {
        self.inner.generations.bump(account_id, name);
        let mut queue = self
            .inner
            .queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        queue.0 += 1;
        let seq = queue.0;
        let _ = queue.1.send(Pending {
            seq,
            account_id,
            name: name.to_owned(),
            data,
        });
    }

    /// Waits until every event published before this call is in the event log (or was given
    /// up on after an error that retrying cannot cure). The web layer calls it before
    /// answering a request that changed something: an acknowledged change's event, and so
    /// its webhooks, survive the process being killed. Writes queued meanwhile share commits.
    pub async fn flushed(&self) {
        self.flushed_to(self.published()).await;
    }

    /// The number of the last event published so far (for [`EventBus::flushed_to`]).
    pub fn published(&self) -> u64 {
        self.inner
            .queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .0
    }

    /// Waits until every event up to number `target` ([`EventBus::published`]) is in the
    /// event log (or was given up on).
    pub async fn flushed_to(&self, target: u64) {
        let mut written = self.inner.written.subscribe();
        let _ = written.wait_for(|done| *done >= target).await;
    }

    /// For a writer that records events in its own transaction (the message writer): held
    /// from before that transaction until [`EventBus::recorded`], it keeps this process's
    /// broadcasts in id order. `None` when there is nothing to order (PostgreSQL: the
    /// listener relays events in id order).
    pub async fn recording(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        if self.inner.broadcast_here {
            Some(self.inner.log.lock().await)
        } else {
            None
        }
    }

    /// Events just committed to the log by another writer (see [`EventBus::recording`]), in
    /// id order: the accounts' [`Generations`] move on and, on SQLite, this process's
    /// subscribers get them (on PostgreSQL they come through the listener, as every
    /// instance's events do).
    pub fn recorded(&self, events: Vec<Event>) {
        for event in events {
            self.inner.generations.bump(event.account_id, &event.name);
            if self.inner.broadcast_here {
                let _ = self.inner.local.send(Arc::new(event));
            }
        }
    }

    /// A new subscription to every event published from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        self.inner.local.subscribe()
    }

    /// The accounts' generations, moved by every event.
    pub fn generations(&self) -> &Generations {
        &self.inner.generations
    }
}
