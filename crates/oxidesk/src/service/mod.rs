//! The use cases: what the web layer and the CLI ask Oxidesk to do. Each validates its input,
//! talks to the store, and publishes the resulting events.

mod accounts;
mod agents;
mod app_actions;
mod app_contact;
mod app_context;
mod app_tokens;
mod attachments;
mod auth;
mod bots;
mod cache;
mod canned;
mod contacts;
mod conversations;
mod dashboard_apps;
pub mod direct_uploads;
mod filters;
mod group_commit;
pub mod limits;
mod presence;
mod present;
mod public;
mod setup;
pub mod widget;

use std::sync::Arc;

use oxidesk_domain::{ValidationError, ValidationErrors};
use oxidesk_store::{Store, StoreError};

use crate::events::EventBus;
use crate::files::Files;
use crate::signing::KeyRing;

pub use accounts::{NewAccount, NewMember, ProfileChanges};
pub use agents::AgentFields;
pub use app_actions::{AppActionError, AppCall, AppContactCall, MAX_APP_TEXT};
pub use app_contact::AppContactContextView;
pub use app_tokens::{
    APP_TOKEN_SECS, AppContextClaims, AppTokens, ThemeTokens, context_value, data_hash, value_hash,
    withhold,
};
pub use attachments::{IncomingFile, MAX_FILES_PER_MESSAGE};
pub use auth::{LoginOutcome, SESSION_DAYS};
pub use bots::{AgentBotView, BotFields};
pub use cache::{AUTH_TTL, ReadCache, VIEW_TTL};
pub use canned::{CannedFields, CannedResponseView};
pub use contacts::ContactInput;
pub use conversations::{MessageInput, StartConversation};
pub use dashboard_apps::AppInput;
pub use direct_uploads::{BlobRequest, BlobView, DirectUploadTarget};
pub use filters::FilterItem;
pub(crate) use filters::parse_time;
pub use group_commit::MessageWriter;
pub use presence::{HEADER_AGENTS, InboxPresence};
pub use public::{LookedUp, PUBLIC_MESSAGE_LIMIT, PublicContactInput, PublicIdentity};
pub use setup::{AttributeFields, AttributeInput, InboxFields, LabelFields, TeamFields};

/// Everything a use case needs. Cheap to clone: one reference count. axum clones the state
/// (and so this) several times a request, once per layer and extractor; when each part was
/// cloned on its own, the 16 reference counts bouncing between cores were ~10 % of a cached
/// `GET …/conversations/{id}` (see "One conversation, sixth pass" in `docs/PERFORMANCE.md`).
#[derive(Debug, Clone)]
pub struct Services {
    parts: Arc<ServiceParts>,
}

/// What [`Services`] holds; its fields are reached through `Services` (`services.store`).
#[derive(Debug, Clone)]
pub struct ServiceParts {
    /// The database.
    pub store: Store,
    /// Where changes are published.
    pub events: EventBus,
    /// Where messages are posted: several requests' messages share a transaction.
    pub messages: MessageWriter,
    /// The instance's secret key.
    pub secret_key: Arc<Vec<u8>>,
    /// Caches of the hot read paths, kept current by the events.
    pub cache: ReadCache,
    /// The keys that sign app-context tokens.
    pub keys: KeyRing,
    /// Rate limits (the website widget's).
    pub limits: limits::RateLimits,
    /// Where attachments' bytes are kept, and the links to them.
    pub files: Files,
}

impl std::ops::Deref for Services {
    type Target = ServiceParts;

    fn deref(&self) -> &ServiceParts {
        &self.parts
    }
}

/// Why a use case did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The input broke rules; each error names its field.
    #[error("{0}")]
    Invalid(ValidationErrors),
    /// The thing does not exist, or is not the caller's to see.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The caller may not do this.
    #[error("{0}")]
    Forbidden(&'static str),
    /// Missing or wrong credentials.
    #[error("{0}")]
    Unauthorized(&'static str),
    /// Too many attempts; try again after this many seconds.
    #[error("too many attempts, try again in {retry_after} seconds")]
    TooManyAttempts {
        /// Seconds to wait.
        retry_after: i64,
    },
    /// The request makes no sense in the current state (e.g. onboarding twice).
    #[error("{0}")]
    Conflict(String),
    /// The database failed.
    #[error(transparent)]
    Store(StoreError),
    /// Something else failed inside (hashing, ...).
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for ServiceError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => ServiceError::NotFound("record"),
            other => ServiceError::Store(other),
        }
    }
}

impl From<ValidationErrors> for ServiceError {
    fn from(errors: ValidationErrors) -> Self {
        ServiceError::Invalid(errors)
    }
}

impl From<ValidationError> for ServiceError {
    fn from(error: ValidationError) -> Self {
        ServiceError::Invalid(error.into())
    }
}

/// Turns a store "not found" into a "`what` not found".
pub(crate) fn found<T>(
    result: Result<T, StoreError>,
    what: &'static str,
) -> Result<T, ServiceError> {
    result.map_err(|e| match e {
        StoreError::NotFound => ServiceError::NotFound(what),
        other => ServiceError::Store(other),
    })
}

/// Turns a uniqueness conflict mentioning `constraint` into a validation error on `field`.
pub(crate) fn unique<T>(
    result: Result<T, StoreError>,
    constraint: &str,
    field: &str,
    message: &str,
) -> Result<T, ServiceError> {
    result.map_err(|e| {
        if e.is_conflict_on(constraint) {
            ServiceError::Invalid(ValidationError::new(field, message).into())
        } else {
            ServiceError::from(e)
        }
    })
}

impl Services {
    /// Services over `store`, with a new event bus.
    pub fn new(store: Store, secret_key: Vec<u8>) -> Self {
        let secret_key = Arc::new(secret_key);
        let events = EventBus::start(store.clone());
        let parts = ServiceParts {
            messages: MessageWriter::start(
                store.clone(),
                events.clone(),
                crate::config::DEFAULT_MESSAGE_WRITERS,
            ),
            events,
            store,
            keys: KeyRing::new(secret_key.clone()),
            files: Files::in_memory(&crate::config::Config::default(), secret_key.clone()),
            secret_key,
            cache: ReadCache::default(),
            limits: limits::RateLimits::default(),
        };
        Self {
            parts: Arc::new(parts),
        }
    }

    /// These services with `writers` message writer tasks (PostgreSQL; SQLite has one).
    pub fn with_message_writers(mut self, writers: u32) -> Self {
        let messages = MessageWriter::start(self.store.clone(), self.events.clone(), writers);
        Arc::make_mut(&mut self.parts).messages = messages;
        self
    }

    /// These services with attachments kept in `files` (the services of `Services::new` keep
    /// them in memory, for tools and tests that never serve files).
    pub fn with_files(mut self, files: Files) -> Self {
        Arc::make_mut(&mut self.parts).files = files;
        self
    }
}
