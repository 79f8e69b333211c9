//! Direct uploads (Active Storage's protocol, migration 0016): a file announced, then put to its
//! signed URL, then claimed by a message; rows never claimed are swept.

use oxidesk_domain::{AccountId, Timestamp, UserId};

use crate::{Store, StoreError};

/// A file announced for a direct upload.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DirectUpload {
    /// Row id (Active Storage's blob `id`).
    pub id: i64,
    /// What its signed ids and upload URL name.
    pub uuid: String,
    /// Who announced it.
    pub user_id: i64,
    /// The account of the path it was announced on, if any.
    pub account_id: Option<i64>,
    /// The cleaned file name.
    pub file_name: String,
    /// The content type the client declared (not trusted: the bytes decide when it is claimed).
    pub content_type: String,
    /// The announced size in bytes.
    pub byte_size: i64,
    /// The announced MD5, base64 (Active Storage's `checksum`).
    pub checksum: String,
    /// Where the bytes go in the object store.
    pub storage_key: String,
    /// Whether the bytes were put (and matched the size and checksum).
    pub uploaded: bool,
    /// When it was announced.
    pub created_at: i64,
}

/// What announcing a direct upload records.
#[derive(Debug, Clone)]
pub struct NewDirectUpload {
    /// Unguessable id.
    pub uuid: String,
    /// Who.
    pub user_id: UserId,
    /// The account of the path, if any.
    pub account_id: Option<AccountId>,
    /// Cleaned file name.
    pub file_name: String,
    /// Declared content type.
    pub content_type: String,
    /// Announced size.
    pub byte_size: i64,
    /// Announced MD5, base64.
    pub checksum: String,
    /// Object store key.
    pub storage_key: String,
}

const COLUMNS: &str = "id, uuid, user_id, account_id, file_name, content_type, byte_size, \
                       checksum, storage_key, uploaded, created_at";

impl Store {
    /// Records an announced upload.
    pub async fn insert_direct_upload(
        &self,
        new: &NewDirectUpload,
        now: Timestamp,
    ) -> Result<DirectUpload, StoreError> {
        let sql = format!(
            "INSERT INTO direct_uploads (uuid, user_id, account_id, file_name, content_type, \
             byte_size, checksum, storage_key, uploaded, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, FALSE, $9) RETURNING {COLUMNS}"
        );
        let row: DirectUpload = on_pool!(self, pool => {
            sqlx::query_as(&sql).bind(&new.uuid).bind(new.user_id.get())
                .bind(new.account_id.map(AccountId::get)).bind(&new.file_name)
                .bind(&new.content_type).bind(new.byte_size).bind(&new.checksum)
                .bind(&new.storage_key).bind(now.secs()).fetch_one(pool).await?
        });
        Ok(row)
    }

    /// The upload named `uuid`.
    pub async fn direct_upload(&self, uuid: &str) -> Result<DirectUpload, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM direct_uploads WHERE uuid = $1");
        let row: DirectUpload = on_pool!(self, pool => {
            sqlx::query_as(&sql).bind(uuid).fetch_one(pool).await?
        });
        Ok(row)
    }

    /// Marks the upload's bytes as put; false if they already were (a second put is refused).
    pub async fn mark_direct_upload_put(&self, id: i64) -> Result<bool, StoreError> {
        let done = on_pool!(self, pool => {
            sqlx::query("UPDATE direct_uploads SET uploaded = TRUE WHERE id = $1 AND uploaded = FALSE")
                .bind(id).execute(pool).await?.rows_affected()
        });
        Ok(done == 1)
    }

    /// Forgets an upload (claimed by a message, or swept); false if it was already gone.
    pub async fn delete_direct_upload(&self, id: i64) -> Result<bool, StoreError> {
        let done = on_pool!(self, pool => {
            sqlx::query("DELETE FROM direct_uploads WHERE id = $1")
                .bind(id).execute(pool).await?.rows_affected()
        });
        Ok(done == 1)
    }

    /// Up to `limit` uploads announced before `before`, oldest first (for the sweeper).
    pub async fn direct_uploads_before(
        &self,
        before: Timestamp,
        limit: i64,
    ) -> Result<Vec<DirectUpload>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM direct_uploads WHERE created_at < $1 ORDER BY created_at LIMIT $2"
        );
        let rows: Vec<DirectUpload> = on_read!(self, pool => {
            sqlx::query_as(&sql).bind(before.secs()).bind(limit).fetch_all(pool).await?
        });
        Ok(rows)
    }
}
