//! Oxidesk, the product: configuration, use cases, the web layer and the CLI.
//!
//! [`open`] connects and migrates the database and loads the secret key; [`serve`] runs the
//! web server on a listener until a shutdown signal, so tests can start the real server on
//! `127.0.0.1:0`; [`http::router`] gives the router for in-process tests.

pub mod cli;
pub mod config;
pub mod demo;
pub mod events;
pub mod files;
pub mod generate;
pub mod http;
pub mod secrets;
pub mod service;
pub mod signing;
pub mod views;
pub mod webhooks;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use oxidesk_domain::Timestamp;
use oxidesk_store::{Store, StoreOptions};
use tokio::net::TcpListener;

use crate::config::Config;
use crate::http::AppState;
use crate::service::Services;

/// Why Oxidesk could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The database could not be reached, opened or migrated.
    #[error("{0}")]
    Database(#[from] oxidesk_store::StoreError),
    /// The secret key could not be read or written.
    #[error("cannot read or create the secret key in {dir}: {source}")]
    SecretKey {
        /// The data folder.
        dir: String,
        /// Why.
        source: std::io::Error,
    },
    /// The attachments' storage could not be set up.
    #[error("{0}")]
    Files(#[from] files::FilesError),
}

/// Connects to the configured database, applies pending migrations and loads the secret key.
pub async fn open(config: &Config) -> Result<AppState, StartError> {
    let store = Store::connect(
        &config.database_url(),
        &StoreOptions {
            max_connections: config.database.max_connections,
            acquire_timeout: Duration::from_secs(config.database.acquire_timeout_secs),
            ..StoreOptions::default()
        },
    )
    .await?;
    let applied = store.migrate().await?;
    if applied > 0 {
        tracing::info!(applied, "applied database migrations");
    }
    let key = secrets::load_or_create_secret_key(config.secret_key.as_deref(), &config.data_dir)
        .map_err(|source| StartError::SecretKey {
            dir: config.data_dir.display().to_string(),
            source,
        })?;
    Ok(AppState {
        services: Services::new(store, key.clone())
            .with_message_writers(config.database.message_writers)
            .with_files(files::Files::from_config(config, Arc::new(key))?),
        config: Arc::new(config.clone()),
    })
}

/// Serves Oxidesk on `listener` until `shutdown` completes.
pub async fn serve(
    state: AppState,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let sweeper = tokio::spawn(housekeeping(state.services.clone()));
    let webhooks = webhooks::start(state.services.clone(), state.config.webhooks.clone());
    let app = http::router(state).into_make_service_with_connect_info::<SocketAddr>();
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    sweeper.abort();
    drop(webhooks);
    result
}

/// At start and then every hour: refreshes the query planner's statistics (`Store::optimize`;
/// the lists' plans depend on them), deletes expired sessions, old webhook deliveries and
/// direct uploads never claimed by a message.
async fn housekeeping(services: Services) {
    let store = &services.store;
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        if let Err(error) = services.sweep_uploads(Timestamp::now()).await {
            tracing::warn!(%error, "could not sweep unclaimed direct uploads");
        }
        if let Err(error) = store.optimize().await {
            tracing::warn!(%error, "could not refresh the planner's statistics");
        }
        if let Err(error) = store.delete_expired_sessions(Timestamp::now()).await {
            tracing::warn!(%error, "could not delete expired sessions");
        }
        // The delivery log keeps finished deliveries a week.
        let week_ago = Timestamp::from(Timestamp::now().secs() - 7 * 24 * 3600);
        if let Err(error) = store.delete_deliveries_before(week_ago).await {
            tracing::warn!(%error, "could not delete old webhook deliveries");
        }
    }
}
