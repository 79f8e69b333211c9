//! The store's errors.

/// What can go wrong talking to the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be reached or opened.
    #[error("cannot connect to the database at {target}: {source}")]
    Connect {
        /// The URL, password redacted.
        target: String,
        /// Why.
        source: sqlx::Error,
    },
    /// The URL names neither SQLite nor PostgreSQL.
    #[error(
        "unsupported database URL {target}: use sqlite://path/to/file.db or postgres://user@host/db"
    )]
    UnsupportedUrl {
        /// The URL, password redacted.
        target: String,
    },
    /// The folder for the SQLite file could not be created.
    #[error("cannot create the database folder {path}: {source}")]
    CreateDir {
        /// The folder.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A migration failed.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The row asked for does not exist (or is not the caller's to see).
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was broken, e.g. an email already taken. Names the constraint.
    #[error("already exists ({0})")]
    Conflict(String),
    /// The database holds a value this version of Oxidesk does not understand.
    #[error("unexpected value in the database: {0}")]
    Corrupt(String),
    /// The database cannot serve the request now: no connection came free within the acquire
    /// timeout, the server is unreachable or shutting down, or (SQLite) the file stayed locked
    /// past the busy timeout. Worth retrying shortly; the web answers `503` + `Retry-After`.
    #[error("the database is unavailable: {0}")]
    Unavailable(sqlx::Error),
    /// PostgreSQL ended the transaction to break a cycle of lock waits (`40P01`) or could not
    /// serialize it (`40001`): nothing of it was written, and running it again from the start
    /// may succeed. The store's writes that move conversations do so themselves (see
    /// `retry.rs`); a caller sees this only once they gave up. Counts as unavailable.
    #[error("the database ended the transaction in a lock conflict: {0}")]
    Contended(sqlx::Error),
    /// Any other database error.
    #[error("database error: {0}")]
    Database(sqlx::Error),
}

/// The usual end of a statement that changes one given row: `NotFound` when it changed none
/// (the row is gone, or is not the caller's).
pub(crate) fn one_row(done: u64) -> Result<(), StoreError> {
    if done == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Conflict(conflict_name(db.as_ref()))
            }
            other if is_unavailable(&other) => StoreError::Unavailable(other),
            other if is_contended(&other) => StoreError::Contended(other),
            other => StoreError::Database(other),
        }
    }
}

/// Whether `error` means "the database cannot answer now" rather than "this request is wrong":
/// pool timeouts, broken or refused connections, and the server codes for the same
/// (PostgreSQL class `08` connection exceptions, `57P01`–`57P03` shutting down or starting,
/// `53300` too many connections; SQLite `BUSY`/`LOCKED` after the busy timeout).
fn is_unavailable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => {
            let Some(code) = db.code() else {
                return false;
            };
            if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                // The primary result code is the low byte of the extended one (517 is BUSY).
                return code.parse::<i64>().is_ok_and(|c| matches!(c & 0xff, 5 | 6));
            }
            code.starts_with("08") || matches!(code.as_ref(), "57P01" | "57P02" | "57P03" | "53300")
        }
        _ => false,
    }
}

/// Whether PostgreSQL ended the transaction over a lock conflict: `40P01` (deadlock detected)
/// or `40001` (serialization failure). SQLite has neither (its one writer holds the whole
/// database: a wait there ends in `BUSY`, which is unavailable).
fn is_contended(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(db) => db
            .try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
            .is_some_and(|pg| matches!(pg.code(), "40P01" | "40001")),
        _ => false,
    }
}

/// What a broken uniqueness rule covers, worded the same on both backends: its table and
/// columns as `table.column, table.column` (SQLite's wording), else the constraint's name.
/// PostgreSQL names only the index (`custom_attribute_definitions_key`), so its columns are read
/// from the error's detail; the values there are left out, as they may be personal data.
fn conflict_name(db: &dyn sqlx::error::DatabaseError) -> String {
    if let Some(pg) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
        if let (Some(table), Some(columns)) = (pg.table(), pg.detail().and_then(key_columns)) {
            return columns
                .split(", ")
                .map(|column| format!("{table}.{column}"))
                .collect::<Vec<_>>()
                .join(", ");
        }
    }
    if let Some(columns) = db.message().strip_prefix("UNIQUE constraint failed: ") {
        return columns.to_owned();
    }
    db.constraint()
        .map(str::to_owned)
        .unwrap_or_else(|| db.message().to_owned())
}

/// The columns of PostgreSQL's `Key (a, b)=(1, x) already exists.`
fn key_columns(detail: &str) -> Option<&str> {
    Some(detail.strip_prefix("Key (")?.split_once(")=")?.0)
}

impl StoreError {
    /// True when a uniqueness rule on a column whose name contains `what` was broken
    /// (e.g. `"email"` for `users.email`, on either backend).
    pub fn is_conflict_on(&self, what: &str) -> bool {
        matches!(self, StoreError::Conflict(name) if name.contains(what))
    }

    /// True when the database could not serve the request now (see
    /// [`StoreError::Unavailable`], and [`StoreError::Contended`] once the store gave up
    /// running it again): retrying shortly may succeed.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, StoreError::Unavailable(_) | StoreError::Contended(_))
    }

    /// True when PostgreSQL ended the transaction over a lock conflict (see
    /// [`StoreError::Contended`]): running it again from the start may succeed.
    pub fn is_contended(&self) -> bool {
        matches!(self, StoreError::Contended(_))
    }

    /// [`StoreError::Unavailable`] for `reason`, for a write whose outcome is unknown (the
    /// connection or the task carrying it went away): worth retrying shortly.
    pub fn unavailable(reason: impl Into<String>) -> Self {
        StoreError::Unavailable(sqlx::Error::Protocol(reason.into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_key_details_give_their_columns_only() {
        assert_eq!(
            key_columns("Key (account_id, email)=(1, a@x.com) already exists."),
            Some("account_id, email")
        );
        assert_eq!(
            key_columns("Key (email)=(a@x.com) already exists."),
            Some("email")
        );
        assert_eq!(key_columns("something else"), None);
    }

    #[test]
    fn pool_timeouts_and_broken_connections_are_unavailable() {
        assert!(StoreError::from(sqlx::Error::PoolTimedOut).is_unavailable());
        assert!(StoreError::from(sqlx::Error::PoolClosed).is_unavailable());
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert!(StoreError::from(sqlx::Error::Io(refused)).is_unavailable());
        assert!(!StoreError::from(sqlx::Error::RowNotFound).is_unavailable());
        assert!(!StoreError::from(sqlx::Error::Protocol("odd".into())).is_unavailable());
    }
}
