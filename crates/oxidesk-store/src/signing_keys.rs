//! The keys that sign Dashboard App context tokens (`signing_keys`). The store keeps them as
//! given: the private key arrives encrypted and leaves encrypted; what it means is the caller's.

use crate::{BeginWrite, Store, StoreError};

const COLUMNS: &str = "kid, algorithm, public_key, private_key, created_at, retired_at";

/// A signing key as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SigningKeyRecord {
    /// The key id (`kid`), unique.
    pub kid: String,
    /// The JOSE algorithm, e.g. `EdDSA`.
    pub algorithm: String,
    /// The public key, encoded by the caller.
    pub public_key: String,
    /// The private key, encrypted by the caller; empty once the key is retired.
    pub private_key: String,
    /// When it was created (Unix seconds).
    pub created_at: i64,
    /// When it stopped signing (Unix seconds); `None` while it is the active key.
    pub retired_at: Option<i64>,
}

impl Store {
    /// The active signing key, if there is one.
    pub async fn active_signing_key(&self) -> Result<Option<SigningKeyRecord>, StoreError> {
        Ok(on_pool!(self, pool => {
            sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM signing_keys WHERE active = 1"
            ))
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Stores `key` as the active key unless there is one already (another instance was
    /// first). Whether it was stored.
    pub async fn insert_first_signing_key(
        &self,
        key: &SigningKeyRecord,
    ) -> Result<bool, StoreError> {
        let done = on_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO signing_keys \
                 (kid, algorithm, public_key, private_key, active, created_at) \
                 VALUES ($1, $2, $3, $4, 1, $5) ON CONFLICT (active) DO NOTHING",
            )
            .bind(&key.kid)
            .bind(&key.algorithm)
            .bind(&key.public_key)
            .bind(&key.private_key)
            .bind(key.created_at)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(done == 1)
    }

    /// Retires the active key (if any: its private key is erased, its public key kept) and
    /// makes `key` the active one, in one transaction. The kid of the key retired.
    pub async fn rotate_signing_key(
        &self,
        key: &SigningKeyRecord,
    ) -> Result<Option<String>, StoreError> {
        Ok(on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let retired: Option<(String,)> = sqlx::query_as(
                "UPDATE signing_keys SET active = NULL, retired_at = $1, private_key = '' \
                 WHERE active = 1 RETURNING kid",
            )
            .bind(key.created_at)
            .fetch_optional(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO signing_keys \
                 (kid, algorithm, public_key, private_key, active, created_at) \
                 VALUES ($1, $2, $3, $4, 1, $5)",
            )
            .bind(&key.kid)
            .bind(&key.algorithm)
            .bind(&key.public_key)
            .bind(&key.private_key)
            .bind(key.created_at)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            retired.map(|(kid,)| kid)
        }))
    }

    /// The keys to publish: the active one and those retired at `retired_since` or later,
    /// newest first.
    pub async fn published_signing_keys(
        &self,
        retired_since: i64,
    ) -> Result<Vec<SigningKeyRecord>, StoreError> {
        Ok(on_pool!(self, pool => {
            sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM signing_keys \
                 WHERE retired_at IS NULL OR retired_at >= $1 ORDER BY created_at DESC, id DESC"
            ))
            .bind(retired_since)
            .fetch_all(pool)
            .await?
        }))
    }
}
