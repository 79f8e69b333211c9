//! Connecting: the database URL's scheme picks the backend; SQLite gets one writer connection
//! and `query_only` readers, PostgreSQL one pool.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::{Pool, Store, StoreError};

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
                newest_contacts: Default::default(),
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
            // No ping before a reader is handed out (sqlx's default): a connection to a local
            // file is not broken by anything a ping would notice, and on SQLite the ping is a
            // round trip to the connection's worker thread before every read statement (see
            // docs/PERFORMANCE.md "Lists, sixth pass").
            let readers = SqlitePoolOptions::new()
                .max_connections(options.max_connections)
                .acquire_timeout(options.acquire_timeout)
                .test_before_acquire(false)
                .connect_with(connect.pragma("query_only", "ON"))
                .await
                .map_err(connect_error)?;
            Ok(Self {
                pool: Pool::Sqlite(writer),
                read: Pool::Sqlite(readers),
                newest_contacts: Default::default(),
            })
        } else {
            Err(StoreError::UnsupportedUrl { target })
        }
    }
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
    use crate::testing;

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
}
