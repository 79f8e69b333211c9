//! The writer task: appends published events to the event log, in order.

use std::sync::Arc;
use std::time::Duration;

use oxidesk_domain::Timestamp;
use oxidesk_store::{NewEvent, Store};
use tokio::sync::{broadcast, mpsc, watch};

use super::{Event, Pending};

/// The most events written in one transaction.
const WRITE_BATCH: usize = 256;

/// Appends queued events to the log, in order, and (SQLite) broadcasts them. Whatever queued
/// up while the last batch was being written goes in the next one transaction.
pub(super) async fn write_events(
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
