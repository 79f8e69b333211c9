//! Oxidesk's storage: every SQL statement, for SQLite and PostgreSQL alike.
//!
//! A [`Store`] wraps one pool of either kind, chosen by the database URL's scheme. Each query is
//! written once, in portable SQL with `$1..$n` placeholders, and run on whichever pool is there by
//! the `on_pool!` macro. Both migration folders (`migrations/sqlite`, `migrations/postgres`)
//! carry the same version numbers; a test keeps them in step.

use sqlx::postgres::PgPool;
use sqlx::sqlite::SqlitePool;

/// Runs `$body` with `$pool` bound to the concrete pool of `$store` that may write, whichever
/// backend it is. The body is compiled once per backend, so the same SQL text serves both.
/// On SQLite that pool is the one writer connection (see [`Store::connect`]).
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.pool {
            $crate::Pool::Sqlite($pool) => $body,
            $crate::Pool::Postgres($pool) => $body,
        }
    };
}

/// As `on_pool!`, for statements that only read: on SQLite they run on the reader connections
/// (`query_only`, so a write sent there by mistake fails loudly instead of queueing behind the
/// writer); on PostgreSQL it is the same pool.
macro_rules! on_read {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.read {
            $crate::Pool::Sqlite($pool) => $body,
            $crate::Pool::Postgres($pool) => $body,
        }
    };
}

/// As `on_pool!`, for a write that moves conversations in the counts (their status, inbox, team
/// or assignee, or the conversations themselves): `$body`, a whole transaction or one
/// statement, runs again from the start when PostgreSQL ends it over a lock conflict (see
/// `retry.rs`). Evaluates to `Result<_, StoreError>`; inside `$body`, `?` and `return` end the
/// attempt as they would end the method. Everything `$body` uses from outside must be `Copy`
/// (references, ids).
macro_rules! retry_on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        $crate::retry::retrying(move || async move {
            Ok::<_, $crate::StoreError>(on_pool!($store, $pool => $body))
        })
        .await
    };
}

/// Starting a transaction that will write. On SQLite it is `BEGIN IMMEDIATE`, so it takes the
/// write lock at once (waiting up to the busy timeout) instead of failing with
/// `SQLITE_BUSY_SNAPSHOT` when it reads first and another connection writes meanwhile.
pub(crate) trait BeginWrite {
    /// The database.
    type Db: sqlx::Database;

    /// Begins a transaction meant to write.
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, Self::Db>, sqlx::Error>;
}

impl BeginWrite for SqlitePool {
    type Db = sqlx::Sqlite;

    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.begin_with("BEGIN IMMEDIATE").await
    }
}

impl BeginWrite for PgPool {
    type Db = sqlx::Postgres;

    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        self.begin().await
    }
}

mod accounts;
mod app_audit;
mod attachments;
mod attributes;
mod auth;
mod batch;
mod bots;
mod bulk;
mod connect;
mod contacts;
mod conversation_updates;
mod conversations;
mod dashboard_apps;
mod error;
mod events;
mod extras;
mod filters;
mod inboxes;
mod labels;
mod maintenance;
mod memberships;
mod messages;
mod public;
mod public_target;
mod retry;
mod rows;
mod search;
pub mod signing_keys;
pub mod testing;
mod uploads;
mod webhooks;

pub use accounts::NewUser;
pub use app_audit::{AuditFilter, NewAuditEntry};
pub use attachments::NewAttachment;
pub use auth::Session;
pub use bots::BotKeys;
pub use bulk::{
    BulkAgent, BulkContact, BulkConversation, BulkMessage, BulkOutcome, GenerationMarks,
};
pub use connect::{StoreOptions, redact_url};
pub use contacts::{ContactChanges, ContactSort, FoundContacts, NewContact, TextSort};
pub use conversations::{
    AssigneeFilter, COUNT_LIMIT, ConversationCounts, ConversationFilter, ConversationQuery,
    EventOf, ListedPage, NewConversation, PostMessage, Posted, PostedLogged,
};
pub use dashboard_apps::AppDraft;
pub use error::StoreError;
pub(crate) use error::one_row;
pub use events::{EVENTS_CHANNEL, EventListener, Heard, NewEvent, StoredEvent};
pub use extras::ConversationExtras;
pub use filters::{FilterArg, FilterCondition, FilterField, FilterOp, FilteredCounts};
pub use maintenance::{MigrationVersion, migration_versions};
pub use messages::NewMessage;
pub use public_target::PublicTarget;
pub use rows::{Cursor, Page};
pub use search::{SEARCH_LIMIT, SEARCH_WINDOW};
pub use uploads::{DirectUpload, NewDirectUpload};
pub use webhooks::{AttemptOutcome, Delivery, NewDelivery, StoredWebhook};

/// Which database a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// The connection pool of one backend.
#[derive(Debug, Clone)]
pub enum Pool {
    /// SQLite.
    Sqlite(SqlitePool),
    /// PostgreSQL.
    Postgres(PgPool),
}

/// The database, whichever it is. Cheap to clone.
///
/// It holds two pools: `pool` for statements that write and `read` for those that only read.
/// On PostgreSQL they are the same pool. On SQLite, where one writer at a time holds the
/// database's lock, `pool` is a single connection, so writers wait in the pool's fair queue
/// instead of retrying on `SQLITE_BUSY` with growing sleeps, and `read` has the configured
/// number of `query_only` connections, which WAL lets read while the writer writes.
#[derive(Debug, Clone)]
pub struct Store {
    pool: Pool,
    read: Pool,
    /// PostgreSQL searches' window bound, kept a few seconds (`search::NewestContacts`).
    newest_contacts: search::NewestContacts,
}

impl Store {
    /// Which backend this store uses.
    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }
}
