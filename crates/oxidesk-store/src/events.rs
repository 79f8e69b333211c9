//! The event log.

use crate::BeginWrite;
use oxidesk_domain::{AccountId, Timestamp};

use crate::{Store, StoreError};

/// An event as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StoredEvent {
    /// Its number, increasing.
    pub id: i64,
    /// The account.
    pub account_id: i64,
    /// `message.created`, ...
    pub name: String,
    /// JSON.
    pub data: String,
    /// Unix seconds.
    pub created_at: i64,
}

/// An event to append.
#[derive(Debug, Clone, Copy)]
pub struct NewEvent<'a> {
    /// The account.
    pub account: AccountId,
    /// `message.created`, ...
    pub name: &'a str,
    /// JSON.
    pub data: &'a str,
}

/// The most events one `INSERT` appends (4 parameters each).
pub(crate) const INSERT_CHUNK: usize = 256;

/// The `INSERT` of `rows` events, 4 parameters a row numbered from `$first`, returning their
/// ids on PostgreSQL (on SQLite they are known from the last one: `batch::ids_ending_at`).
///
/// On PostgreSQL (`postgres`) the same statement also takes the event log's lock for the rest
/// of the transaction before any id is drawn (so that ids become visible in order, and a
/// reader that went past id n never misses an id below n committed later: the webhook
/// dispatcher's cursor and the listeners rely on it; SQLite's writer is single), and notifies
/// every instance of each id (`NOTIFY oxidesk_events, '<id>'`). One statement instead of three
/// (lock, insert, notify): the lock is held from this statement to the commit, and every
/// round trip spent under it is one that every other writer waits for.
pub(crate) fn insert_events_sql(first: usize, rows: usize, postgres: bool) -> String {
    let values = crate::batch::rows_of(first, rows, 4);
    if postgres {
        // The lock is a one-row CTE that every inserted row is joined to, so it is taken
        // before the first row (and its id) is made; the notifications are sent by the
        // outer `SELECT`, one per inserted id.
        format!(
            "WITH locked AS MATERIALIZED (SELECT pg_advisory_xact_lock({EVENTS_LOCK})), \
             added AS (INSERT INTO events (account_id, name, data, created_at) \
                 SELECT v.column1, v.column2, v.column3, v.column4 FROM locked, (VALUES {values}) AS v \
                 RETURNING id) \
             SELECT id, pg_notify('{EVENTS_CHANNEL}', id::text)::text FROM added"
        )
    } else {
        // No `RETURNING`: the ids are known from the last one (`batch::ids_ending_at`), in
        // one hand-off from the driver's thread instead of one a row.
        format!("INSERT INTO events (account_id, name, data, created_at) VALUES {values}")
    }
}

/// The key of the event log's advisory lock (PostgreSQL).
const EVENTS_LOCK: i64 = 7423651;

/// Binds the parameters of `$events` (`&[NewEvent]`, at `$now`) to `$query`, 4 a row, in
/// [`insert_events_sql`]'s order.
macro_rules! bind_events {
    ($query:expr, $events:expr, $now:expr) => {{
        let mut query = $query;
        for e in $events {
            query = query
                .bind(e.account.get())
                .bind(e.name)
                .bind(e.data)
                .bind($now.secs());
        }
        query
    }};
}
pub(crate) use bind_events;

/// Appends `$events` (`&[NewEvent]`) at `$now` in the transaction `$tx` (`&mut *tx`), in
/// order; evaluates to their ids (`Result<Vec<i64>, sqlx::Error>`). On PostgreSQL (`$postgres`)
/// the statement takes the event log's lock and notifies every instance of each id (see
/// [`insert_events_sql`]). Used by the event writer and by the message writer's transaction.
macro_rules! append_events {
    ($tx:expr, $postgres:expr, $events:expr, $now:expr) => {
        async {
            let events: &[$crate::NewEvent<'_>] = $events;
            let now: oxidesk_domain::Timestamp = $now;
            let mut ids: Vec<i64> = Vec::with_capacity(events.len());
            // One multi-row statement per chunk instead of one per event.
            for chunk in events.chunks($crate::events::INSERT_CHUNK) {
                let sql = $crate::events::insert_events_sql(1, chunk.len(), $postgres);
                if $postgres {
                    let insert = $crate::events::bind_events!(
                        sqlx::query_scalar::<_, i64>(&sql),
                        chunk,
                        now
                    );
                    let mut chunk_ids = insert.fetch_all(&mut *$tx).await?;
                    // Ids grow in the order of the rows, whatever order `RETURNING` gives.
                    chunk_ids.sort_unstable();
                    ids.extend(chunk_ids);
                } else {
                    let insert = $crate::events::bind_events!(sqlx::query(&sql), chunk, now);
                    let done = insert.execute(&mut *$tx).await?;
                    ids.extend($crate::batch::inserted_ids(&done, chunk.len())?);
                }
            }
            Ok::<Vec<i64>, sqlx::Error>(ids)
        }
        .await
    };
}
pub(crate) use append_events;

/// The PostgreSQL channel that carries new event ids between instances.
pub const EVENTS_CHANNEL: &str = "oxidesk_events";

impl Store {
    /// Appends events, in order, in one transaction; returns their ids. On PostgreSQL, also
    /// notifies every instance of each (`NOTIFY oxidesk_events, '<id>'`), in the same
    /// transaction. The event writer hands over whatever queued up meanwhile, so a burst of
    /// messages costs one commit for its events instead of one each.
    pub async fn insert_events(
        &self,
        events: &[NewEvent<'_>],
        now: Timestamp,
    ) -> Result<Vec<i64>, StoreError> {
        let postgres = self.backend() == crate::Backend::Postgres;
        let ids = on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let ids = append_events!(&mut *tx, postgres, events, now)?;
            tx.commit().await?;
            ids
        });
        Ok(ids)
    }

    /// One event.
    pub async fn event(&self, id: i64) -> Result<StoredEvent, StoreError> {
        Ok(on_read!(self, pool => {
            sqlx::query_as("SELECT id, account_id, name, data, created_at FROM events WHERE id = $1")
                .bind(id)
                .fetch_one(pool)
                .await?
        }))
    }

    /// Up to `limit` of the account's events after event `after`, oldest first.
    pub async fn events_after(
        &self,
        account: AccountId,
        after: i64,
        limit: i64,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        Ok(on_read!(self, pool => {
            sqlx::query_as(
                "SELECT id, account_id, name, data, created_at FROM events \
                 WHERE account_id = $1 AND id > $2 ORDER BY id LIMIT $3",
            )
            .bind(account.get())
            .bind(after)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Up to `limit` events of every account after event `after`, oldest first (for relaying
    /// between instances).
    pub async fn events_after_any(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        Ok(on_read!(self, pool => {
            sqlx::query_as(
                "SELECT id, account_id, name, data, created_at FROM events WHERE id > $1 ORDER BY id LIMIT $2",
            )
            .bind(after)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }

    /// The newest event id (0 when there is none).
    pub async fn last_event_id(&self) -> Result<i64, StoreError> {
        let id: Option<i64> = on_read!(self, pool => {
            sqlx::query_scalar("SELECT MAX(id) FROM events").fetch_one(pool).await?
        });
        Ok(id.unwrap_or(0))
    }

    /// Forgets events older than `before`. Returns how many.
    pub async fn delete_events_before(&self, before: Timestamp) -> Result<u64, StoreError> {
        Ok(on_pool!(self, pool => {
            sqlx::query("DELETE FROM events WHERE created_at < $1")
                .bind(before.secs())
                .execute(pool)
                .await?
                .rows_affected()
        }))
    }
}

/// A PostgreSQL connection `LISTEN`ing for new event ids.
#[derive(Debug)]
pub struct EventListener(sqlx::postgres::PgListener);

/// What an [`EventListener`] heard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heard {
    /// A new event was recorded (by any instance).
    Event(i64),
    /// The connection dropped; notifications may have been missed. Listening goes on.
    Reconnected,
}

impl Store {
    /// Starts listening for new events; `None` on SQLite (one process: nothing to hear).
    pub async fn event_listener(&self) -> Result<Option<EventListener>, StoreError> {
        let Some(pool) = self.postgres_pool() else {
            return Ok(None);
        };
        let mut listener = sqlx::postgres::PgListener::connect_with(pool).await?;
        listener.listen(EVENTS_CHANNEL).await?;
        Ok(Some(EventListener(listener)))
    }
}

impl EventListener {
    /// Waits for the next notification.
    pub async fn recv(&mut self) -> Result<Heard, StoreError> {
        loop {
            match self.0.try_recv().await? {
                Some(notification) => {
                    if let Ok(id) = notification.payload().parse() {
                        return Ok(Heard::Event(id));
                    }
                }
                None => return Ok(Heard::Reconnected),
            }
        }
    }
}
