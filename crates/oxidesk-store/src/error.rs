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
    /// Any other database error.
    #[error("database error: {0}")]
    Database(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Conflict(conflict_name(db.as_ref()))
            }
            other => StoreError::Database(other),
        }
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
}
