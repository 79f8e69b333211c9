//! Configuration: built-in defaults, then `oxidesk.toml`, then `OXIDESK_*` variables.
//!
//! Variables map onto keys by name: `OXIDESK_BIND` is `bind`, `OXIDESK_DATABASE_URL` is
//! `database.url`, `OXIDESK_BRAND_NAME` is `brand.name`; `__` also nests
//! (`OXIDESK_DATABASE__MAX_CONNECTIONS`). Every value is checked at start-up and a bad one is
//! reported with its key.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

mod attachments;
mod limits;

pub use attachments::{AttachmentsConfig, S3Config, StorageKind};
pub use limits::{Limits, LimitsConfig, cores};

/// The environment variable prefix.
pub const ENV_PREFIX: &str = "OXIDESK_";
/// The config file read when none is named.
pub const DEFAULT_CONFIG_FILE: &str = "oxidesk.toml";
/// Sections whose keys an `OXIDESK_SECTION_KEY` variable may address with a single `_`.
const SECTIONS: &[&str] = &["database", "brand", "limits", "webhooks", "attachments"];
/// `OXIDESK_*` variables that belong to the tooling (the config file's path, the test
/// harness), not to the configuration; loading ignores them instead of calling them unknown.
pub const TOOLING_VARIABLES: &[&str] = &[
    "config",
    "test_database_url",
    "require_browser",
    "chromium",
    "screenshots",
    "chatwoot_swagger",
    "moto_server",
    "schemathesis",
    "python",
    "node",
    "fuzz_examples",
    "fuzz_seed",
];

/// Oxidesk's whole configuration.
#[derive(Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Address and port to listen on.
    pub bind: SocketAddr,
    /// The URL people reach Oxidesk at (links, cookies' `Secure` flag). Defaults to
    /// `http://` + `bind`.
    pub public_url: Option<String>,
    /// Folder for the SQLite file and the generated secret key.
    pub data_dir: PathBuf,
    /// Key for signing; generated into `data_dir/secret_key` when not given. At least 32
    /// characters. Never printed.
    pub secret_key: Option<String>,
    /// Log filter: `error`, `warn`, `info`, `debug`, `trace`, or a `tracing` directive list.
    pub log_level: String,
    /// The database.
    pub database: DatabaseConfig,
    /// The product's name as users see it.
    pub brand: BrandConfig,
    /// How much work is taken on at once before shedding load.
    pub limits: LimitsConfig,
    /// Webhook deliveries.
    pub webhooks: WebhooksConfig,
    /// Files attached to messages.
    #[serde(default)]
    pub attachments: AttachmentsConfig,
}

/// How webhooks are delivered.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct WebhooksConfig {
    /// Deliver to private, loopback, link-local and other non-public addresses (default
    /// false: such URLs are refused, so a webhook cannot probe the internal network).
    pub allow_private_networks: bool,
    /// How long one delivery attempt may take, connecting included, in seconds (default 5).
    pub timeout_secs: u64,
    /// The wait before the first retry, in seconds; it doubles after each failure, up to an
    /// hour, and deliveries are given up a day after their event (default 30).
    pub first_retry_secs: u64,
}

impl Default for WebhooksConfig {
    fn default() -> Self {
        Self {
            allow_private_networks: false,
            timeout_secs: 5,
            first_retry_secs: 30,
        }
    }
}

/// Where the data lives.
#[derive(Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `sqlite://path/file.db` (default: in `data_dir`) or `postgres://user@host/db`.
    pub url: Option<String>,
    /// Most connections held at once (default [`default_max_connections`]: twice the cores,
    /// at least four).
    pub max_connections: u32,
    /// How long a request waits for a free connection (or for an unreachable server) before
    /// it is answered `503`, in seconds.
    pub acquire_timeout_secs: u64,
    /// Message writer tasks on PostgreSQL (batches of distinct conversations committed in
    /// parallel; a conversation always goes to the same one). SQLite has one writer.
    pub message_writers: u32,
}

/// `database.message_writers` unless configured: one. Every batch appends its events under
/// the event log's lock, held to the commit, so several writers wait on each other there and
/// each writes smaller batches (more statements per message); measured on PostgreSQL in
/// `docs/PERFORMANCE.md` ("Ingest, sixth pass").
pub const DEFAULT_MESSAGE_WRITERS: u32 = 1;

/// `database.max_connections` unless configured: twice the cores this process may use, at
/// least four. Every connection busy at once is a database worker (a PostgreSQL backend, a
/// SQLite connection's thread) contending for the same cores as the server: on 2 cores, 16
/// concurrent list requests had a p99 of 26-37 ms with 10 connections against 17-22 ms with
/// 4 (PostgreSQL; SQLite 15-20 against 11-14 ms), at the same or a higher rate; 2 were too few
/// (`docs/PERFORMANCE.md`, "Tenth pass").
pub fn default_max_connections() -> u32 {
    u32::try_from(2 * limits::cores()).map_or(u32::MAX, |n| n.max(4))
}

/// White-label settings.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BrandConfig {
    /// The product name shown in the interface (default `Oxidesk`).
    pub name: String,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 3000)),
            public_url: None,
            data_dir: PathBuf::from("./oxidesk-data"),
            secret_key: None,
            log_level: "info".into(),
            database: DatabaseConfig {
                url: None,
                max_connections: default_max_connections(),
                acquire_timeout_secs: 5,
                message_writers: DEFAULT_MESSAGE_WRITERS,
            },
            brand: BrandConfig {
                name: "Oxidesk".into(),
            },
            limits: LimitsConfig::default(),
            webhooks: WebhooksConfig::default(),
            attachments: AttachmentsConfig::default(),
        }
    }
}

/// A configuration that cannot be used. The message names the key and what to fix.
#[derive(Debug, thiserror::Error)]
#[error("configuration error: {0}")]
pub struct ConfigError(pub String);

impl Config {
    /// Loads defaults, then the config file (the one named, which must exist, or
    /// `oxidesk.toml` if present), then the `OXIDESK_*` environment; then checks every value.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(path) if !path.exists() => {
                return Err(ConfigError(format!(
                    "the config file {} does not exist",
                    path.display()
                )));
            }
            Some(path) => figment = figment.merge(Toml::file_exact(path)),
            None => figment = figment.merge(Toml::file(DEFAULT_CONFIG_FILE)),
        }
        let env = Env::prefixed(ENV_PREFIX)
            .ignore(TOOLING_VARIABLES)
            .map(|key| env_key(key.as_str()).into());
        figment = figment.merge(env);
        let config: Config = figment.extract().map_err(|e| ConfigError(describe(&e)))?;
        config.validate()?;
        Ok(config)
    }

    /// Checks values that parse but make no sense.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if let Some(url) = &self.public_url {
            if oxidesk_domain::validate::http_url("public_url", url).is_err() {
                return Err(ConfigError(format!(
                    "public_url = {url:?}: must be a full URL starting with http:// or https://"
                )));
            }
        }
        if let Some(url) = &self.database.url {
            let ok = ["sqlite:", "postgres://", "postgresql://"]
                .iter()
                .any(|p| url.starts_with(p));
            if !ok {
                return Err(ConfigError(format!(
                    "database.url = {:?}: use sqlite://path/to/file.db or postgres://user@host/db",
                    oxidesk_store::redact_url(url)
                )));
            }
        }
        if self.database.max_connections == 0 {
            return Err(ConfigError(
                "database.max_connections must be at least 1".into(),
            ));
        }
        if !(1..=64).contains(&self.database.message_writers) {
            return Err(ConfigError(
                "database.message_writers must be between 1 and 64".into(),
            ));
        }
        if !(1..=300).contains(&self.database.acquire_timeout_secs) {
            return Err(ConfigError(
                "database.acquire_timeout_secs must be between 1 and 300".into(),
            ));
        }
        self.limits.validate()?;
        self.attachments.validate()?;
        if self.webhooks.timeout_secs == 0 || self.webhooks.first_retry_secs == 0 {
            return Err(ConfigError(
                "webhooks.timeout_secs and webhooks.first_retry_secs must be at least 1".into(),
            ));
        }
        if let Some(key) = &self.secret_key {
            if key.chars().count() < 32 {
                return Err(ConfigError(
                    "secret_key is too short: use at least 32 random characters (e.g. `openssl rand -hex 32`)".into(),
                ));
            }
        }
        if self.brand.name.trim().is_empty() || self.brand.name.chars().count() > 60 {
            return Err(ConfigError("brand.name must be 1 to 60 characters".into()));
        }
        if tracing_subscriber::EnvFilter::try_new(&self.log_level).is_err() {
            return Err(ConfigError(format!(
                "log_level = {:?}: use error, warn, info, debug or trace",
                self.log_level
            )));
        }
        Ok(())
    }

    /// The database URL: the configured one, or a SQLite file in `data_dir`.
    pub fn database_url(&self) -> String {
        match &self.database.url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}", self.data_dir.join("oxidesk.db").display()),
        }
    }

    /// The load-shedding limits in force (see [`LimitsConfig::resolve`]).
    pub fn limits(&self) -> Limits {
        self.limits.resolve(self.database.max_connections, cores())
    }

    /// The public URL without a trailing slash.
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.bind),
        }
    }

    /// Whether people reach Oxidesk over https (cookies are then `Secure`).
    pub fn is_https(&self) -> bool {
        self.public_url().starts_with("https://")
    }

    /// The configuration as TOML, with secrets redacted, for `oxidesk config print`.
    pub fn to_redacted_toml(&self) -> String {
        let mut shown = self.clone();
        shown.secret_key = shown.secret_key.map(|_| "<redacted>".into());
        shown.database.url = Some(oxidesk_store::redact_url(&self.database_url()));
        shown.public_url = Some(self.public_url());
        toml_string(&shown)
    }
}

fn toml_string(config: &Config) -> String {
    // figment re-exports no TOML writer; the value is simple enough to write by hand.
    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let mut out = String::new();
    out += &format!("bind = {}\n", q(&config.bind.to_string()));
    if let Some(url) = &config.public_url {
        out += &format!("public_url = {}\n", q(url));
    }
    out += &format!("data_dir = {}\n", q(&config.data_dir.display().to_string()));
    if let Some(key) = &config.secret_key {
        out += &format!("secret_key = {}\n", q(key));
    }
    out += &format!("log_level = {}\n", q(&config.log_level));
    out += "\n[database]\n";
    if let Some(url) = &config.database.url {
        out += &format!("url = {}\n", q(url));
    }
    out += &format!("max_connections = {}\n", config.database.max_connections);
    out += &format!(
        "acquire_timeout_secs = {}\n",
        config.database.acquire_timeout_secs
    );
    out += &format!("message_writers = {}\n", config.database.message_writers);
    out += "\n[brand]\n";
    out += &format!("name = {}\n", q(&config.brand.name));
    let limits = config.limits();
    out += "\n[limits]\n";
    out += &format!("max_in_flight = {}\n", limits.max_in_flight);
    out += &format!("max_queued = {}\n", limits.max_queued);
    out += &format!("queue_timeout_ms = {}\n", config.limits.queue_timeout_ms);
    out += &format!("retry_after_secs = {}\n", limits.retry_after_secs);
    out += &format!("max_live_streams = {}\n", limits.max_live_streams);
    out += "\n[webhooks]\n";
    let hooks = &config.webhooks;
    out += &format!(
        "allow_private_networks = {}\n",
        hooks.allow_private_networks
    );
    out += &format!("timeout_secs = {}\n", hooks.timeout_secs);
    out += &format!("first_retry_secs = {}\n", hooks.first_retry_secs);
    out += &config.attachments.to_toml();
    out
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("bind", &self.bind)
            .field("public_url", &self.public_url)
            .field("data_dir", &self.data_dir)
            .field(
                "secret_key",
                &self.secret_key.as_ref().map(|_| "<redacted>"),
            )
            .field("log_level", &self.log_level)
            .field("database", &self.database)
            .field("brand", &self.brand)
            .field("limits", &self.limits)
            .field("webhooks", &self.webhooks)
            .field("attachments", &self.attachments)
            .finish()
    }
}

impl fmt::Debug for DatabaseConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DatabaseConfig")
            .field("url", &self.url.as_deref().map(oxidesk_store::redact_url))
            .field("max_connections", &self.max_connections)
            .field("acquire_timeout_secs", &self.acquire_timeout_secs)
            .field("message_writers", &self.message_writers)
            .finish()
    }
}

/// Maps a variable name (without the prefix, lower-cased by figment) to a config key.
fn env_key(key: &str) -> String {
    let key = key.to_ascii_lowercase();
    if key.contains("__") {
        return key.replace("__", ".");
    }
    for section in SECTIONS {
        if let Some(rest) = key.strip_prefix(&format!("{section}_")) {
            return format!("{section}.{rest}");
        }
    }
    key
}

/// Turns figment's error into one line naming the key and where the value came from.
fn describe(error: &figment::Error) -> String {
    error
        .clone()
        .into_iter()
        .map(|e| {
            let key = if e.path.is_empty() {
                "(top level)".to_owned()
            } else {
                e.path.join(".")
            };
            let source = if e.path.len() == 1 || e.path.len() == 2 {
                let var = format!("{ENV_PREFIX}{}", e.path.join("_").to_ascii_uppercase());
                format!(" (file {DEFAULT_CONFIG_FILE} or variable {var})")
            } else {
                String::new()
            };
            format!("{key}{source}: {}", e.kind)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
#[expect(
    clippy::result_large_err,
    reason = "figment's Jail closures return figment's large error type"
)]
mod tests;
