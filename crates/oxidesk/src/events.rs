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

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Duration;

use oxidesk_domain::{AccountId, Timestamp};
use oxidesk_store::{Heard, NewEvent, Store, StoredEvent};
use serde::Serialize;
use tokio::sync::{broadcast, mpsc, watch};

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

/// A counter per account that moves on every event of that account: what caches of the
/// account's views compare against. It moves synchronously in [`EventBus::publish`] (so this
/// instance reads its own writes at once) and again when any instance's event is heard (so
/// other instances' caches follow within the notification's delay).
#[derive(Debug, Clone, Default)]
pub struct Generations {
    counters: Arc<RwLock<Counters>>,
}

#[derive(Debug, Default)]
struct Counters {
    /// Moved by [`Generations::bump_all`]; part of every account's generation, so that an
    /// account not seen yet moves too.
    epoch: u64,
    accounts: HashMap<AccountId, u64>,
    /// Moved by every event that may change who is signed in or what role they have.
    auth: u64,
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

impl Generations {
    /// The account's current generation. It only ever grows.
    pub fn get(&self, account: AccountId) -> u64 {
        let counters = self.counters.read().unwrap_or_else(PoisonError::into_inner);
        counters.epoch + counters.accounts.get(&account).copied().unwrap_or(0)
    }

    /// The generation of credentials and memberships (all accounts). It only ever grows.
    pub fn auth(&self) -> u64 {
        let counters = self.counters.read().unwrap_or_else(PoisonError::into_inner);
        counters.epoch + counters.auth
    }

    /// Moves the account's generation on after an event named `name`: what was cached before
    /// is stale (and so are cached credentials and roles, if [`touches_auth`]).
    pub fn bump(&self, account: AccountId, name: &str) {
        let mut counters = self
            .counters
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        *counters.accounts.entry(account).or_insert(0) += 1;
        if touches_auth(name) {
            counters.auth += 1;
        }
    }

    /// Moves every generation on (when events may have been missed).
    pub fn bump_all(&self) {
        let mut counters = self
            .counters
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        counters.epoch += 1;
    }
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

/// The most events written in one transaction.
const WRITE_BATCH: usize = 256;

/// Appends queued events to the log, in order, and (SQLite) broadcasts them. Whatever queued
/// up while the last batch was being written goes in the next one transaction.
async fn write_events(
    store: Store,
    mut pending: mpsc::UnboundedReceiver<Pending>,
    local: broadcast::Sender<Arc<Event>>,
    written: watch::Sender<u64>,
    // Held while recording and broadcasting (see `EventBus::recording`); `None` when this
    // process does not broadcast what it records (PostgreSQL).
    broadcast_lock: Option<Arc<tokio::sync::Mutex<()>>>,
) {
    let mut batch = Vec::with_capacity(WRITE_BATCH);
    while pending.recv_many(&mut batch, WRITE_BATCH).await > 0 {
        let guard = match &broadcast_lock {
            Some(lock) => Some(lock.lock().await),
            None => None,
        };
        let last = batch.last().map_or(0, |p| p.seq);
        let texts: Vec<String> = batch.iter().map(|p| p.data.to_string()).collect();
        let rows: Vec<NewEvent<'_>> = batch
            .iter()
            .zip(&texts)
            .map(|(p, data)| NewEvent {
                account: p.account_id,
                name: &p.name,
                data,
            })
            .collect();
        let mut delay = Duration::from_millis(100);
        let result = loop {
            match store.insert_events(&rows, Timestamp::now()).await {
                // The database is away for a moment: keep the events (in order) and retry,
                // rather than lose what was already acknowledged to nobody yet.
                Err(error) if error.is_unavailable() && delay < Duration::from_secs(60) => {
                    tracing::warn!(%error, "cannot record events yet; retrying");
                    tokio::time::sleep(delay).await;
                    delay *= 2;
                }
                other => break other,
            }
        };
        drop(rows);
        match result {
            Ok(ids) => {
                if guard.is_some() {
                    for (id, p) in ids.into_iter().zip(batch.drain(..)) {
                        let _ = local.send(Arc::new(Event::new(id, p.account_id, p.name, p.data)));
                    }
                }
            }
            Err(error) => {
                tracing::error!(%error, events = batch.len(), "could not record events")
            }
        }
        drop(guard);
        written.send_replace(last);
        batch.clear();
    }
}

/// Relays `NOTIFY oxidesk_events` to this process's subscribers: on a notification of an id
/// not relayed yet, reads every event after the last one relayed, in one statement (ids are
/// committed in order, see `Store::insert_events`), so a batch of events costs one read, not
/// one per event, and the notifications of the others are then skipped. Also on start and
/// after a reconnection, when notifications may have been missed.
async fn listen(store: Store, local: broadcast::Sender<Arc<Event>>, generations: Generations) {
    let mut last = store.last_event_id().await.unwrap_or(0);
    loop {
        match store.event_listener().await {
            Ok(Some(mut listener)) => {
                generations.bump_all();
                last = relay_missed(&store, last, &local, &generations).await;
                loop {
                    match listener.recv().await {
                        // Already relayed: a batch's events are read at its first id.
                        Ok(Heard::Event(id)) if id <= last => {}
                        Ok(Heard::Event(_)) | Ok(Heard::Reconnected) => {
                            last = relay_missed(&store, last, &local, &generations).await;
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

/// The most events the listener reads at once.
const RELAY_BATCH: i64 = 500;

/// Broadcasts every event after `last` from the log (all accounts); returns the new last id.
async fn relay_missed(
    store: &Store,
    mut last: i64,
    local: &broadcast::Sender<Arc<Event>>,
    generations: &Generations,
) -> i64 {
    loop {
        match store.events_after_any(last, RELAY_BATCH).await {
            Ok(rows) => {
                let more = rows.len() as i64 == RELAY_BATCH;
                for row in rows {
                    last = row.id;
                    generations.bump(AccountId(row.account_id), &row.name);
                    let _ = local.send(Arc::new(Event::from_stored(row)));
                }
                // Fewer than asked for: nothing else is committed yet (what is committed
                // later is notified).
                if !more {
                    return last;
                }
            }
            Err(error) => {
                tracing::warn!(%error, "cannot read missed events");
                return last;
            }
        }
    }
}
