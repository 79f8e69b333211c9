//! Where attachments' bytes live: an object store through the `object_store` crate, a folder
//! under `data_dir` by default (`LocalFileSystem`) or an S3-compatible bucket (`AmazonS3`) by
//! configuration, behind the same calls, so the database rows are the same either way. Also
//! the signed links to them ([`links`]) and what an upload really is ([`inspect`]).

pub mod inspect;
pub mod links;

use std::sync::Arc;

use bytes::Bytes;
use futures_util::stream::BoxStream;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::memory::InMemory;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use oxidesk_domain::{AccountId, Attachment, Timestamp};

use crate::config::{Config, StorageKind};
pub use links::Variant;

/// Why the object store could not be used.
#[derive(Debug, thiserror::Error)]
#[error("attachment storage: {0}")]
pub struct FilesError(pub String);

impl From<object_store::Error> for FilesError {
    fn from(error: object_store::Error) -> Self {
        FilesError(error.to_string())
    }
}

/// The attachments' storage and the links to it.
#[derive(Clone)]
pub struct Files {
    inner: Arc<Inner>,
}

struct Inner {
    objects: Arc<dyn ObjectStore>,
    /// `local`, `s3` or `memory`, for logs.
    kind: &'static str,
    max_file_bytes: u64,
    url_ttl_secs: u64,
    public_url: String,
    key: Arc<Vec<u8>>,
}

impl std::fmt::Debug for Files {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Files")
            .field("kind", &self.inner.kind)
            .field("max_file_bytes", &self.inner.max_file_bytes)
            .finish_non_exhaustive()
    }
}

/// The bytes of a stored file, as a stream, and their length.
pub struct Download {
    /// The bytes.
    pub stream: BoxStream<'static, Result<Bytes, object_store::Error>>,
    /// How many.
    pub size: u64,
}

impl Files {
    /// The storage `config` names, with links signed under `key`. A local folder is created if
    /// missing.
    pub fn from_config(config: &Config, key: Arc<Vec<u8>>) -> Result<Files, FilesError> {
        let settings = &config.attachments;
        let (objects, kind): (Arc<dyn ObjectStore>, _) = match settings.storage {
            StorageKind::Local => {
                let dir = settings
                    .local_dir
                    .clone()
                    .unwrap_or_else(|| config.data_dir.join("attachments"));
                std::fs::create_dir_all(&dir)
                    .map_err(|e| FilesError(format!("cannot create {}: {e}", dir.display())))?;
                (Arc::new(LocalFileSystem::new_with_prefix(&dir)?), "local")
            }
            StorageKind::S3 => {
                let s3 = &settings.s3;
                let mut builder = AmazonS3Builder::from_env()
                    .with_allow_http(s3.allow_http)
                    .with_virtual_hosted_style_request(!s3.path_style);
                if let Some(bucket) = &s3.bucket {
                    builder = builder.with_bucket_name(bucket);
                }
                if let Some(endpoint) = &s3.endpoint {
                    builder = builder.with_endpoint(endpoint);
                }
                builder = builder.with_region(s3.region.as_deref().unwrap_or("us-east-1"));
                if let Some(id) = &s3.access_key_id {
                    builder = builder.with_access_key_id(id);
                }
                if let Some(secret) = &s3.secret_access_key {
                    builder = builder.with_secret_access_key(secret);
                }
                (Arc::new(builder.build()?), "s3")
            }
        };
        Ok(Files::with(objects, kind, config, key))
    }

    /// Storage in this process's memory (for tools and tests that never keep files).
    pub fn in_memory(config: &Config, key: Arc<Vec<u8>>) -> Files {
        Files::with(Arc::new(InMemory::new()), "memory", config, key)
    }

    fn with(
        objects: Arc<dyn ObjectStore>,
        kind: &'static str,
        config: &Config,
        key: Arc<Vec<u8>>,
    ) -> Files {
        Files {
            inner: Arc::new(Inner {
                objects,
                kind,
                max_file_bytes: config.attachments.max_file_bytes(),
                url_ttl_secs: config.attachments.url_ttl_secs,
                public_url: config.public_url(),
                key,
            }),
        }
    }

    /// Which storage this is: `local`, `s3` or `memory`.
    pub fn kind(&self) -> &'static str {
        self.inner.kind
    }

    /// The largest file accepted, in bytes.
    pub fn max_file_bytes(&self) -> u64 {
        self.inner.max_file_bytes
    }

    /// A new key for a file of `account`: unguessable, so that keys reveal nothing and never
    /// collide.
    pub fn new_key(account: AccountId) -> String {
        format!(
            "attachments/{}/{}",
            account.get(),
            uuid::Uuid::new_v4().simple()
        )
    }

    /// Stores `bytes` at `key`.
    pub async fn put(&self, key: &str, bytes: impl Into<PutPayload>) -> Result<(), FilesError> {
        self.inner
            .objects
            .put(&Path::from(key), bytes.into())
            .await?;
        Ok(())
    }

    /// The bytes at `key`.
    pub async fn get(&self, key: &str) -> Result<Download, FilesError> {
        let result = self.inner.objects.get(&Path::from(key)).await?;
        let size = result.meta.size;
        Ok(Download {
            stream: result.into_stream(),
            size,
        })
    }

    /// Deletes what is at `keys`, logging what could not be deleted (a leftover file is
    /// harmless; a failed request because of one is not).
    pub async fn delete_quietly(&self, keys: &[String]) {
        for key in keys {
            if let Err(error) = self.inner.objects.delete(&Path::from(key.as_str())).await {
                tracing::warn!(%error, "could not delete a stored file");
            }
        }
    }

    /// The signed link to `variant` of `attachment`, made at `now`.
    pub fn link_at(&self, attachment: &Attachment, variant: Variant, now: Timestamp) -> String {
        let expires = links::expiry(now, self.inner.url_ttl_secs);
        let signature = links::sign(
            &self.inner.key,
            attachment.account_id,
            attachment.id,
            variant,
            expires,
        );
        let base = format!(
            "{}/attachments/{}/{}/{}/",
            self.inner.public_url,
            attachment.account_id.get(),
            attachment.id.get(),
            variant.as_str()
        );
        let mut url = match url::Url::parse(&base) {
            Ok(url) => url,
            Err(_) => return String::new(),
        };
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.pop_if_empty().push(&attachment.file_name);
        }
        url.query_pairs_mut()
            .append_pair("expires", &expires.to_string())
            .append_pair("signature", &signature);
        url.into()
    }

    /// The signed link to `variant` of `attachment`, made now.
    pub fn link(&self, attachment: &Attachment, variant: Variant) -> String {
        self.link_at(attachment, variant, Timestamp::now())
    }

    /// Whether a link's `expires` and `signature` open `variant` of `attachment` now.
    pub fn verify(
        &self,
        attachment: &Attachment,
        variant: Variant,
        expires: i64,
        signature: &str,
    ) -> bool {
        links::verify(
            &self.inner.key,
            attachment.account_id,
            attachment.id,
            variant,
            expires,
            signature,
            Timestamp::now(),
        )
    }
}
