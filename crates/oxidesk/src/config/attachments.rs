//! `[attachments]`: where message files are kept and how large they may be (see `files`).

use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::ConfigError;

/// Files attached to messages.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct AttachmentsConfig {
    /// The largest file accepted, in megabytes (default 40, as Chatwoot); a message's files
    /// together may be twice that. Larger uploads get `413`.
    pub max_file_mb: u64,
    /// How long the signed links in `data_url`/`thumb_url` work, in seconds (default 86,400:
    /// a day). Links are made for whole steps of an hour (or a quarter of this, if shorter),
    /// so a page shows the same link for a while and the browser can cache it.
    pub url_ttl_secs: u64,
    /// `local` (default: files under `local_dir`) or `s3` (an S3-compatible bucket, `[attachments.s3]`).
    pub storage: StorageKind,
    /// The folder for `local` storage (default: `attachments` in `data_dir`).
    pub local_dir: Option<PathBuf>,
    /// The bucket for `s3` storage.
    pub s3: S3Config,
}

/// Where the bytes go.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum StorageKind {
    /// A folder on this machine.
    Local,
    /// An S3-compatible object store.
    S3,
}

/// An S3-compatible bucket. Unset keys fall back to the standard `AWS_*` variables
/// (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, `AWS_ENDPOINT`, …).
#[derive(Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct S3Config {
    /// The bucket's name.
    pub bucket: Option<String>,
    /// The service's URL, for S3-compatible stores (MinIO, Ceph, R2, …); AWS when unset.
    pub endpoint: Option<String>,
    /// The region (default `us-east-1`).
    pub region: Option<String>,
    /// The access key id.
    pub access_key_id: Option<String>,
    /// The secret access key. Never printed.
    pub secret_access_key: Option<String>,
    /// Address buckets as `endpoint/bucket` rather than `bucket.endpoint` (MinIO and most
    /// self-hosted stores want this; default false).
    pub path_style: bool,
    /// Allow a plain `http://` endpoint (default false).
    pub allow_http: bool,
}

impl Default for AttachmentsConfig {
    fn default() -> Self {
        Self {
            max_file_mb: 40,
            url_ttl_secs: 86_400,
            storage: StorageKind::Local,
            local_dir: None,
            s3: S3Config::default(),
        }
    }
}

impl AttachmentsConfig {
    /// The largest file accepted, in bytes.
    pub fn max_file_bytes(&self) -> u64 {
        self.max_file_mb.saturating_mul(1024 * 1024)
    }

    /// Checks values that parse but make no sense.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !(1..=10_240).contains(&self.max_file_mb) {
            return Err(ConfigError(
                "attachments.max_file_mb must be between 1 and 10240".into(),
            ));
        }
        if !(60..=30 * 86_400).contains(&self.url_ttl_secs) {
            return Err(ConfigError(
                "attachments.url_ttl_secs must be between 60 and 2592000 (30 days)".into(),
            ));
        }
        if self.storage == StorageKind::S3
            && self
                .s3
                .bucket
                .as_deref()
                .is_none_or(|b| b.trim().is_empty())
        {
            return Err(ConfigError(
                "attachments.storage = \"s3\" needs attachments.s3.bucket".into(),
            ));
        }
        Ok(())
    }

    /// The settings as TOML lines (the secret access key redacted), for `config print`.
    pub fn to_toml(&self) -> String {
        let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
        let mut out = String::from("\n[attachments]\n");
        out += &format!("max_file_mb = {}\n", self.max_file_mb);
        out += &format!("url_ttl_secs = {}\n", self.url_ttl_secs);
        let storage = match self.storage {
            StorageKind::Local => "local",
            StorageKind::S3 => "s3",
        };
        out += &format!("storage = {}\n", q(storage));
        if let Some(dir) = &self.local_dir {
            out += &format!("local_dir = {}\n", q(&dir.display().to_string()));
        }
        let s3 = &self.s3;
        out += "\n[attachments.s3]\n";
        for (key, value) in [
            ("bucket", &s3.bucket),
            ("endpoint", &s3.endpoint),
            ("region", &s3.region),
            ("access_key_id", &s3.access_key_id),
        ] {
            if let Some(value) = value {
                out += &format!("{key} = {}\n", q(value));
            }
        }
        if s3.secret_access_key.is_some() {
            out += "secret_access_key = \"<redacted>\"\n";
        }
        out += &format!("path_style = {}\n", s3.path_style);
        out += &format!("allow_http = {}\n", s3.allow_http);
        out
    }
}

impl fmt::Debug for S3Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Config")
            .field("bucket", &self.bucket)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field(
                "secret_access_key",
                &self.secret_access_key.as_ref().map(|_| "<redacted>"),
            )
            .field("path_style", &self.path_style)
            .field("allow_http", &self.allow_http)
            .finish()
    }
}
