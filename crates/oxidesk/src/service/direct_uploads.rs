//! Chatwoot's direct uploads, which are Active Storage's: a client announces a file
//! (`{blob: {filename, byte_size, checksum, content_type}}`), gets a signed id and a signed
//! upload URL, puts the bytes there, then names the signed id in a message's `attachments`.
//!
//! The bytes go to the same object store as other attachments, under `uploads/{uuid}`; the
//! upload is checked against the announced size and MD5 when it is put. A message that claims
//! it stores it through the same path as a multipart file (type from the bytes, thumbnail), so
//! nothing differs afterwards, then forgets the upload. Signed ids and upload URLs are HMACs
//! under the instance's secret key, each for its own purpose, and expire; an upload belongs to
//! the user who announced it (and the account of the path, when there was one). Uploads never
//! claimed are swept by the hourly housekeeping.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use md5::{Digest, Md5};
use oxidesk_domain::{AccountId, Timestamp, UserId, ValidationError, ValidationErrors};
use oxidesk_store::{DirectUpload, NewDirectUpload, StoreError};
use serde::Serialize;
use utoipa::ToSchema;

use super::{IncomingFile, MAX_FILES_PER_MESSAGE, ServiceError, Services};
use crate::secrets;

/// How long an upload URL takes a `PUT`.
pub const UPLOAD_URL_SECS: i64 = 3600;
/// How long a signed id may be named by a message.
pub const SIGNED_ID_SECS: i64 = 24 * 3600;
/// Uploads older than this are swept (a signed id has expired by then).
pub const SWEEP_AFTER_SECS: i64 = SIGNED_ID_SECS + 3600;

/// What a client announces (Active Storage's `blob` parameters).
#[derive(Debug, Clone, Default)]
pub struct BlobRequest {
    /// The file's name.
    pub filename: String,
    /// Its size in bytes.
    pub byte_size: i64,
    /// Its MD5, base64.
    pub checksum: String,
    /// The type the client declares.
    pub content_type: String,
}

/// Where and how to put the bytes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DirectUploadTarget {
    /// The signed upload URL (`PUT`, expires after an hour).
    pub url: String,
    /// The headers to send with the `PUT`.
    pub headers: BTreeMap<String, String>,
}

/// An announced file, as Active Storage answers it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BlobView {
    /// Id.
    pub id: i64,
    /// Its key.
    pub key: String,
    /// The file's name (cleaned).
    pub filename: String,
    /// The declared type (the bytes decide once a message takes the file).
    pub content_type: String,
    /// Always `{}`.
    #[schema(value_type = Object)]
    pub metadata: serde_json::Value,
    /// The storage (`local`, `s3`).
    pub service_name: String,
    /// Size in bytes.
    pub byte_size: i64,
    /// MD5, base64.
    pub checksum: String,
    /// When it was announced (ISO-8601).
    pub created_at: String,
    /// What a message's `attachments` names (expires after a day).
    pub signed_id: String,
    /// Where to put the bytes.
    pub direct_upload: DirectUploadTarget,
}

/// A purpose of a signed token: an upload URL or a signed id.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Purpose {
    Put,
    Claim,
}

impl Purpose {
    fn name(self) -> &'static str {
        match self {
            Purpose::Put => "put",
            Purpose::Claim => "claim",
        }
    }
}

fn signed_text(purpose: Purpose, uuid: &str, expires: i64) -> String {
    format!("oxidesk direct upload {} {uuid} {expires}", purpose.name())
}

/// `{uuid}--{expires}--{hmac}` for `purpose`.
fn sign(key: &[u8], purpose: Purpose, uuid: &str, expires: i64) -> String {
    let mac = secrets::hmac_hex(key, &signed_text(purpose, uuid, expires));
    format!("{uuid}--{expires}--{mac}")
}

/// The uuid a token names, if it was signed for `purpose` under `key` and has not expired.
fn verify(key: &[u8], purpose: Purpose, token: &str, now: Timestamp) -> Option<String> {
    let mut parts = token.trim().splitn(3, "--");
    let (uuid, expires, mac) = (parts.next()?, parts.next()?, parts.next()?);
    let expires: i64 = expires.parse().ok()?;
    let fresh = now.secs() <= expires;
    (fresh && secrets::hmac_verify(key, &signed_text(purpose, uuid, expires), mac))
        .then(|| uuid.to_owned())
}

/// The announced checksum as bytes: base64 of 16 bytes.
fn md5_of(checksum: &str) -> Option<Vec<u8>> {
    STANDARD
        .decode(checksum.trim())
        .ok()
        .filter(|b| b.len() == 16)
}

impl Services {
    /// Records an announced file of `user` (and `account`, for a path that names one); its
    /// view with a signed id and an upload URL under `base_url`.
    pub async fn announce_upload(
        &self,
        user: UserId,
        account: Option<AccountId>,
        blob: &BlobRequest,
        base_url: &str,
    ) -> Result<BlobView, ServiceError> {
        let mut errors = ValidationErrors::new();
        let file_name = oxidesk_domain::attachments::clean_file_name(&blob.filename);
        if blob.filename.trim().is_empty() {
            errors.push("blob.filename", "is required");
        }
        let limit = self.files.max_file_bytes();
        if blob.byte_size < 0 || blob.byte_size as u64 > limit {
            let mb = limit / (1024 * 1024);
            errors.push("blob.byte_size", format!("must be 0 to {limit} ({mb} MB)"));
        }
        if md5_of(&blob.checksum).is_none() {
            errors.push("blob.checksum", "must be the file's MD5, base64");
        }
        if blob.content_type.len() > 255 {
            errors.push("blob.content_type", "is too long");
        }
        errors.into_result()?;
        let uuid = uuid::Uuid::new_v4().simple().to_string();
        let now = Timestamp::now();
        let new = NewDirectUpload {
            storage_key: format!("uploads/{uuid}"),
            uuid,
            user_id: user,
            account_id: account,
            file_name,
            content_type: blob.content_type.trim().to_owned(),
            byte_size: blob.byte_size,
            checksum: blob.checksum.trim().to_owned(),
        };
        let row = self.store.insert_direct_upload(&new, now).await?;
        let key = &self.secret_key;
        let put = sign(key, Purpose::Put, &row.uuid, now.secs() + UPLOAD_URL_SECS);
        let headers = BTreeMap::from([
            ("Content-Type".to_owned(), row.content_type.clone()),
            ("Content-MD5".to_owned(), row.checksum.clone()),
        ]);
        Ok(BlobView {
            id: row.id,
            signed_id: sign(key, Purpose::Claim, &row.uuid, now.secs() + SIGNED_ID_SECS),
            key: row.uuid,
            filename: row.file_name,
            content_type: row.content_type,
            metadata: serde_json::json!({}),
            service_name: self.files.kind().to_owned(),
            byte_size: row.byte_size,
            checksum: row.checksum,
            created_at: now.to_rfc3339(),
            direct_upload: DirectUploadTarget {
                url: format!("{base_url}/rails/active_storage/disk/{put}"),
                headers,
            },
        })
    }

    /// Takes the bytes of the upload `token` names: they must have the announced size and
    /// MD5, and are taken once. An unknown or expired token is a 404.
    pub async fn put_upload(&self, token: &str, bytes: Bytes) -> Result<(), ServiceError> {
        let gone = ServiceError::NotFound("upload");
        let Some(uuid) = verify(&self.secret_key, Purpose::Put, token, Timestamp::now()) else {
            return Err(gone);
        };
        let row = match self.store.direct_upload(&uuid).await {
            Ok(row) => row,
            Err(StoreError::NotFound) => return Err(gone),
            Err(e) => return Err(e.into()),
        };
        if row.uploaded {
            return Err(ServiceError::Conflict(
                "this file was already uploaded".into(),
            ));
        }
        if bytes.len() as i64 != row.byte_size {
            let message = format!(
                "has {} bytes, not the {} announced",
                bytes.len(),
                row.byte_size
            );
            return Err(ValidationError::new("file", message).into());
        }
        if md5_of(&row.checksum) != Some(Md5::digest(&bytes).to_vec()) {
            let message = "does not match the announced checksum (MD5, base64)";
            return Err(ValidationError::new("file", message).into());
        }
        self.files
            .put(&row.storage_key, bytes)
            .await
            .map_err(|e| ServiceError::Internal(e.to_string()))?;
        if !self.store.mark_direct_upload_put(row.id).await? {
            return Err(ServiceError::Conflict(
                "this file was already uploaded".into(),
            ));
        }
        Ok(())
    }

    /// The files `signed_ids` name, for a message of `user` in `account`, with the uploads to
    /// forget once the message is recorded ([`Services::forget_uploads`]). A signed id that is
    /// forged, expired, another user's (or another account's) or whose bytes never came is a
    /// 422 naming it (`attachments[1]`).
    pub async fn claim_uploads(
        &self,
        user: UserId,
        account: AccountId,
        signed_ids: &[String],
    ) -> Result<(Vec<IncomingFile>, Vec<DirectUpload>), ServiceError> {
        if signed_ids.len() > MAX_FILES_PER_MESSAGE {
            let message = format!("at most {MAX_FILES_PER_MESSAGE} files per message");
            return Err(ValidationError::new("attachments", message).into());
        }
        let now = Timestamp::now();
        let (mut files, mut rows) = (Vec::new(), Vec::new());
        for (i, signed) in signed_ids.iter().enumerate() {
            let field = format!("attachments[{i}]");
            let invalid = || -> ServiceError {
                ValidationError::new(&field, "is not a signed id of your uploads (or it expired)")
                    .into()
            };
            let uuid = verify(&self.secret_key, Purpose::Claim, signed, now).ok_or_else(invalid)?;
            let row = match self.store.direct_upload(&uuid).await {
                Ok(row) => row,
                Err(StoreError::NotFound) => return Err(invalid()),
                Err(e) => return Err(e.into()),
            };
            let theirs =
                row.user_id == user.get() && row.account_id.is_none_or(|a| a == account.get());
            if !theirs {
                return Err(invalid());
            }
            if !row.uploaded {
                let message = "names a file that was never uploaded to its URL";
                return Err(ValidationError::new(&field, message).into());
            }
            files.push(IncomingFile {
                file_name: row.file_name.clone(),
                bytes: self.upload_bytes(&row).await?,
            });
            rows.push(row);
        }
        Ok((files, rows))
    }

    async fn upload_bytes(&self, row: &DirectUpload) -> Result<Bytes, ServiceError> {
        let internal = |e: String| ServiceError::Internal(format!("direct upload: {e}"));
        let download = self
            .files
            .get(&row.storage_key)
            .await
            .map_err(|e| internal(e.to_string()))?;
        let mut bytes = BytesMut::with_capacity(download.size as usize);
        let mut stream = download.stream;
        while let Some(chunk) = stream.next().await {
            bytes.extend_from_slice(&chunk.map_err(|e| internal(e.to_string()))?);
        }
        Ok(bytes.freeze())
    }

    /// Forgets claimed (or swept) uploads: their rows and their objects.
    pub async fn forget_uploads(&self, rows: &[DirectUpload]) {
        for row in rows {
            match self.store.delete_direct_upload(row.id).await {
                Ok(_) => {
                    let key = [row.storage_key.clone()];
                    self.files.delete_quietly(&key).await;
                }
                Err(error) => tracing::warn!(%error, "could not forget a direct upload"),
            }
        }
    }

    /// Sweeps the uploads announced more than [`SWEEP_AFTER_SECS`] before `now` (never
    /// claimed: a claimed one is forgotten at once); how many.
    pub async fn sweep_uploads(&self, now: Timestamp) -> Result<usize, ServiceError> {
        let before = Timestamp::from(now.secs() - SWEEP_AFTER_SECS);
        let mut swept = 0;
        loop {
            let rows = self.store.direct_uploads_before(before, 100).await?;
            if rows.is_empty() {
                return Ok(swept);
            }
            swept += rows.len();
            self.forget_uploads(&rows).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_bound_to_their_purpose_key_and_time() {
        let key = b"key";
        let now = Timestamp(1_000);
        let put = sign(key, Purpose::Put, "abc", 2_000);
        assert_eq!(verify(key, Purpose::Put, &put, now).as_deref(), Some("abc"));
        assert_eq!(
            verify(key, Purpose::Claim, &put, now),
            None,
            "not a signed id"
        );
        assert_eq!(verify(b"other", Purpose::Put, &put, now), None);
        assert_eq!(
            verify(key, Purpose::Put, &put, Timestamp(2_001)),
            None,
            "expired"
        );
        let moved = put.replacen("abc", "abd", 1);
        assert_eq!(verify(key, Purpose::Put, &moved, now), None);
        let later = put.replacen("2000", "9000", 1);
        assert_eq!(verify(key, Purpose::Put, &later, now), None);
        assert_eq!(verify(key, Purpose::Put, "abc", now), None);
        assert_eq!(verify(key, Purpose::Put, "", now), None);
    }

    #[test]
    fn checksums_are_base64_md5s() {
        let sum = STANDARD.encode(Md5::digest(b"hello"));
        assert_eq!(md5_of(&sum), Some(Md5::digest(b"hello").to_vec()));
        assert_eq!(md5_of("aGVsbG8="), None, "not 16 bytes");
        assert_eq!(md5_of("%%%"), None);
    }
}
