//! The listener (PostgreSQL): relays every instance's events to this process's subscribers.

use std::sync::Arc;
use std::time::Duration;

use oxidesk_domain::AccountId;
use oxidesk_store::{Heard, Store};
use tokio::sync::broadcast;

use super::{Event, Generations};

/// Relays `NOTIFY oxidesk_events` to this process's subscribers: on a notification of an id
/// not relayed yet, reads every event after the last one relayed, in one statement (ids are
/// committed in order, see `Store::insert_events`), so a batch of events costs one read, not
/// one per event, and the notifications of the others are then skipped. Also on start and
/// after a reconnection, when notifications may have been missed.
pub(super) async fn listen(
    store: Store,
    local: broadcast::Sender<Arc<Event>>,
    generations: Generations,
) {
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
