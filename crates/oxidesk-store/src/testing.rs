//! Fresh databases for tests: a new SQLite file, or a new schema on the PostgreSQL server named
//! by `OXIDESK_TEST_DATABASE_URL`. Used by this crate's contract tests and by `oxidesk`'s
//! `TestApp`. Each is migrated and removed again when dropped.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::{Backend, Store, StoreOptions};

/// The variable naming the PostgreSQL server for tests.
pub const TEST_DATABASE_URL: &str = "OXIDESK_TEST_DATABASE_URL";

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A migrated, empty database that disappears when dropped.
#[derive(Debug)]
pub struct TestDatabase {
    /// The store on it.
    pub store: Store,
    /// The URL it was opened with (for a second server process on the same database).
    pub url: String,
    /// The PostgreSQL schema, if any.
    pub schema: Option<String>,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    File(PathBuf),
    Schema { url: String, schema: String },
}

fn unique_name(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{prefix}_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// The PostgreSQL URL for tests, if set. When it is not set, says so loudly on stderr; under CI
/// (`CI=true`) a missing URL is an error, because CI must run every test on both databases.
pub fn postgres_test_url() -> Option<String> {
    match std::env::var(TEST_DATABASE_URL) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            let in_ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
            assert!(
                !in_ci,
                "{TEST_DATABASE_URL} is not set but CI=true: PostgreSQL tests are mandatory in CI"
            );
            // Once per test binary, and straight to stderr: the test harness captures
            // `eprintln!` of passing tests, which would hide the warning.
            static WARNED: std::sync::Once = std::sync::Once::new();
            WARNED.call_once(|| {
                use std::io::Write as _;
                let _ = writeln!(
                    std::io::stderr(),
                    "\nWARNING: SKIPPED the PostgreSQL runs of these tests: set {TEST_DATABASE_URL}=postgres://postgres@127.0.0.1/test to run them\n"
                );
            });
            None
        }
    }
}

impl TestDatabase {
    /// A fresh database of `backend`; `None` only for PostgreSQL without a test URL.
    pub async fn new(backend: Backend) -> Option<Self> {
        match backend {
            Backend::Sqlite => Some(Self::sqlite().await),
            Backend::Postgres => Self::postgres().await,
        }
    }

    /// A new SQLite file in the temporary folder.
    pub async fn sqlite() -> Self {
        let path = std::env::temp_dir().join(format!("{}.db", unique_name("oxidesk_test")));
        let url = format!("sqlite://{}", path.display());
        let store = Store::connect(&url, &StoreOptions::default())
            .await
            .unwrap_or_else(|e| panic!("test SQLite database: {e}"));
        store
            .migrate()
            .await
            .unwrap_or_else(|e| panic!("test SQLite migrations: {e}"));
        Self {
            store,
            url,
            schema: None,
            cleanup: Cleanup::File(path),
        }
    }

    /// A new schema on the test PostgreSQL server; `None` when no server is configured.
    pub async fn postgres() -> Option<Self> {
        let url = postgres_test_url()?;
        let schema = unique_name("oxt");
        let options = StoreOptions {
            max_connections: 5,
            schema: Some(schema.clone()),
            ..StoreOptions::default()
        };
        let store = Store::connect(&url, &options)
            .await
            .unwrap_or_else(|e| panic!("test PostgreSQL database: {e}"));
        store
            .migrate()
            .await
            .unwrap_or_else(|e| panic!("test PostgreSQL migrations: {e}"));
        Some(Self {
            store,
            url: url.clone(),
            schema: Some(schema.clone()),
            cleanup: Cleanup::Schema { url, schema },
        })
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut file = path.clone().into_os_string();
                    file.push(suffix);
                    let _ = std::fs::remove_file(file);
                }
            }
            Cleanup::Schema { url, schema } => {
                let (url, schema) = (url.clone(), schema.clone());
                // Drop may run inside an async runtime: use a thread with a runtime of its own.
                let _ = std::thread::spawn(move || {
                    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                    else {
                        return;
                    };
                    runtime.block_on(async move {
                        if let Ok(store) = Store::connect(
                            &url,
                            &StoreOptions {
                                max_connections: 1,
                                ..StoreOptions::default()
                            },
                        )
                        .await
                        {
                            if let Some(pool) = store.postgres_pool() {
                                if let Err(e) = drop_schema(pool, &schema).await {
                                    eprintln!("WARNING: could not drop test schema {schema}: {e}");
                                }
                            }
                            store.close().await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

/// Drops a test schema. The test's own pool is still open while this runs, on a runtime that is
/// blocked in `Drop`: a transaction it abandoned (rolled back only when its connection is next
/// used) would hold locks in the schema forever, so the backends holding them are ended first.
async fn drop_schema(pool: &sqlx::PgPool, schema: &str) -> Result<(), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    // Best effort: a server may refuse to end other backends, and then the timeout below holds.
    let _ = sqlx::query(
        "SELECT pg_terminate_backend(l.pid) FROM pg_locks l \
         JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = $1 AND l.pid <> pg_backend_pid() GROUP BY l.pid",
    )
    .bind(schema)
    .execute(&mut *conn)
    .await;
    sqlx::query("SET lock_timeout = '30s'")
        .execute(&mut *conn)
        .await?;
    sqlx::query(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"))
        .execute(&mut *conn)
        .await?;
    Ok(())
}
