//! Oxidesk's storage: every SQL statement, for SQLite and PostgreSQL alike.
//!
//! A [`Store`] wraps one pool of either kind, chosen by the database URL's scheme. Each query is
//! written once, in portable SQL with `$1..$n` placeholders, and run on whichever pool is there by
//! the `on_pool!` macro. Both migration folders (`migrations/sqlite`, `migrations/postgres`)
//! carry the same version numbers; a test keeps them in step.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

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
mod contacts;
mod conversations;
mod dashboard_apps;
mod error;
mod events;
mod filters;
mod inboxes;
mod labels;
mod messages;
mod public;
mod public_target;
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
pub use contacts::{ContactChanges, ContactSort, FoundContacts, NewContact, TextSort};
pub use conversations::{
    AssigneeFilter, COUNT_LIMIT, ConversationCounts, ConversationFilter, ConversationQuery,
    EventOf, NewConversation, PostMessage, Posted, PostedLogged,
};
pub use dashboard_apps::AppDraft;
pub use error::StoreError;
pub use events::{EVENTS_CHANNEL, EventListener, Heard, NewEvent, StoredEvent};
pub use filters::{FilterArg, FilterCondition, FilterField, FilterOp, FilteredCounts};
pub use messages::NewMessage;
pub use public_target::PublicTarget;
pub use rows::{Cursor, Page};
pub use search::SEARCH_LIMIT;
pub use uploads::{DirectUpload, NewDirectUpload};
pub use webhooks::{AttemptOutcome, Delivery, NewDelivery, StoredWebhook};

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

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

/// How to connect.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// Most connections held at once.
    pub max_connections: u32,
    /// How long to wait for a connection before giving up.
    pub acquire_timeout: Duration,
    /// For PostgreSQL, a schema to use instead of `public` (created if missing); tests use it
    /// to give each test its own schema.
    pub schema: Option<String>,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            max_connections: 10,
            acquire_timeout: Duration::from_secs(5),
            schema: None,
        }
    }
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
}

impl Store {
    /// Connects to `url`: `sqlite://path/to/file.db` (the folder is created) or
    /// `postgres://user@host/db`. Fails with a message that names the database (without its
    /// password) when it cannot be reached.
    pub async fn connect(url: &str, options: &StoreOptions) -> Result<Self, StoreError> {
        let target = redact_url(url);
        let connect_error = |source: sqlx::Error| StoreError::Connect {
            target: target.clone(),
            source,
        };
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let mut connect = PgConnectOptions::from_str(url).map_err(connect_error)?;
            if let Some(schema) = &options.schema {
                connect = connect.options([("search_path", schema.as_str())]);
                let admin = PgPoolOptions::new()
                    .max_connections(1)
                    .acquire_timeout(options.acquire_timeout)
                    .connect_with(PgConnectOptions::from_str(url).map_err(connect_error)?)
                    .await
                    .map_err(connect_error)?;
                let quoted = format!("\"{}\"", schema.replace('"', ""));
                sqlx::query(&format!("CREATE SCHEMA IF NOT EXISTS {quoted}"))
                    .execute(&admin)
                    .await?;
                admin.close().await;
            }
            // A pooled connection is checked (a ping) before it is handed out, so the ones a
            // database restart broke are replaced instead of failing the request that gets them.
            let pool = PgPoolOptions::new()
                .max_connections(options.max_connections)
                .acquire_timeout(options.acquire_timeout)
                .test_before_acquire(true)
                .connect_with(connect)
                .await
                .map_err(connect_error)?;
            Ok(Self {
                read: Pool::Postgres(pool.clone()),
                pool: Pool::Postgres(pool),
            })
        } else if url.starts_with("sqlite:") {
            let connect = SqliteConnectOptions::from_str(url)
                .map_err(connect_error)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5));
            let file = connect.get_filename();
            if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
                    path: dir.display().to_string(),
                    source,
                })?;
            }
            // The writer first: it creates the file and its WAL, which the readers then open.
            let writer = SqlitePoolOptions::new()
                .max_connections(1)
                .acquire_timeout(options.acquire_timeout)
                .connect_with(connect.clone())
                .await
                .map_err(connect_error)?;
            let readers = SqlitePoolOptions::new()
                .max_connections(options.max_connections)
                .acquire_timeout(options.acquire_timeout)
                .connect_with(connect.pragma("query_only", "ON"))
                .await
                .map_err(connect_error)?;
            Ok(Self {
                pool: Pool::Sqlite(writer),
                read: Pool::Sqlite(readers),
            })
        } else {
            Err(StoreError::UnsupportedUrl { target })
        }
    }

    /// Which backend this store uses.
    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Refreshes the query planner's statistics (`ANALYZE`), so that it picks the selective
    /// index (a contact's conversations rather than all open ones, say): after a bulk load
    /// (`oxidesk generate`'s last step), in full; a server keeps them fresh with
    /// [`Store::optimize`].
    pub async fn analyze(&self) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("ANALYZE").execute(pool).await?;
        });
        Ok(())
    }

    /// Keeps the query planner's statistics fresh while serving (at start and every hour). On
    /// SQLite: `ANALYZE` the first time (no `sqlite_stat1` yet), then `PRAGMA optimize`, which
    /// re-analyses only the tables that changed enough; both bounded by `analysis_limit`, so a
    /// run costs milliseconds at any size. On PostgreSQL nothing: autovacuum analyses tables
    /// as they change.
    pub async fn optimize(&self) -> Result<(), StoreError> {
        let Pool::Sqlite(pool) = &self.pool else {
            return Ok(());
        };
        let mut conn = pool.acquire().await?;
        sqlx::query("PRAGMA analysis_limit = 1000")
            .execute(&mut *conn)
            .await?;
        let analysed: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1')",
        )
        .fetch_one(&mut *conn)
        .await?;
        let statement = if analysed {
            "PRAGMA optimize = 0x10002"
        } else {
            "ANALYZE"
        };
        sqlx::query(statement).execute(&mut *conn).await?;
        Ok(())
    }

    /// Applies every migration not yet applied. Returns how many were applied.
    pub async fn migrate(&self) -> Result<usize, StoreError> {
        let before = self.applied_migrations().await.unwrap_or(0);
        match &self.pool {
            Pool::Sqlite(pool) => SQLITE_MIGRATIONS.run(pool).await?,
            Pool::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        let after = self.applied_migrations().await?;
        Ok(after.saturating_sub(before))
    }

    async fn applied_migrations(&self) -> Result<usize, StoreError> {
        let count: i64 = on_read!(self, pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success = TRUE")
                .fetch_one(pool)
                .await?
        });
        Ok(usize::try_from(count).unwrap_or(0))
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_read!(self, pool => {
            sqlx::query("SELECT 1").execute(pool).await?;
        });
        Ok(())
    }

    /// Closes every connection.
    pub async fn close(&self) {
        match (&self.pool, &self.read) {
            (Pool::Sqlite(writer), Pool::Sqlite(readers)) => {
                readers.close().await;
                writer.close().await;
            }
            (Pool::Postgres(pool), _) => pool.close().await,
            (Pool::Sqlite(writer), Pool::Postgres(_)) => writer.close().await,
        }
    }

    /// The PostgreSQL pool, for features that only PostgreSQL has (`LISTEN/NOTIFY`).
    pub fn postgres_pool(&self) -> Option<&PgPool> {
        match &self.pool {
            Pool::Postgres(pool) => Some(pool),
            Pool::Sqlite(_) => None,
        }
    }
}

/// A migration's version and description.
pub type MigrationVersion = (i64, String);

/// The versions of both migration folders (SQLite, PostgreSQL), for the test that keeps them
/// in step.
pub fn migration_versions() -> (Vec<MigrationVersion>, Vec<MigrationVersion>) {
    let list = |m: &sqlx::migrate::Migrator| {
        m.iter()
            .map(|m| (m.version, m.description.to_string()))
            .collect::<Vec<_>>()
    };
    (list(&SQLITE_MIGRATIONS), list(&POSTGRES_MIGRATIONS))
}

/// `url` with its password replaced by `***`, fit for logs and error messages.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, tail) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted_from_urls() {
        assert_eq!(
            redact_url("postgres://app:s3cret@db.internal:5432/oxidesk?sslmode=require"),
            "postgres://app:***@db.internal:5432/oxidesk?sslmode=require"
        );
        assert_eq!(
            redact_url("postgres://postgres@localhost/test"),
            "postgres://postgres@localhost/test"
        );
        assert_eq!(
            redact_url("sqlite://./oxidesk-data/oxidesk.db"),
            "sqlite://./oxidesk-data/oxidesk.db"
        );
    }

    /// SQLite's readers are `query_only`: a write sent to them by mistake fails at once
    /// instead of queueing behind the writer; the writer writes.
    #[tokio::test]
    async fn sqlite_readers_refuse_writes_and_the_writer_writes() {
        let db = testing::TestDatabase::sqlite().await;
        let store = &db.store;
        let refused = on_read!(store, pool => {
            sqlx::query("CREATE TABLE scratch (a INTEGER)").execute(pool).await.map(|_| ())
        });
        let message = refused.expect_err("a reader wrote").to_string();
        assert!(message.contains("readonly"), "{message}");
        on_pool!(store, pool => {
            sqlx::query("CREATE TABLE scratch (a INTEGER)")
                .execute(pool)
                .await
                .expect("the writer writes");
        });
        // And what the writer committed, the readers see.
        let rows: i64 = on_read!(store, pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM scratch").fetch_one(pool).await.expect("read")
        });
        assert_eq!(rows, 0);
    }

    #[test]
    fn both_migration_folders_have_the_same_versions() {
        let (sqlite, postgres) = migration_versions();
        assert!(!sqlite.is_empty());
        assert_eq!(
            sqlite, postgres,
            "migrations/sqlite and migrations/postgres drifted apart"
        );
    }
}
