//! Keeping the database in shape: migrations, planner statistics, health, closing.

use sqlx::postgres::PgPool;

use crate::{Pool, Store, StoreError};

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Store {
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

#[cfg(test)]
mod tests {
    use super::*;

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
