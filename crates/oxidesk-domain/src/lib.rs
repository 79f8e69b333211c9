//! Oxidesk's domain: pure types and rules, with no web framework and no database.
//!
//! Everything here is shared by the store (`oxidesk-store`) and the product crate (`oxidesk`):
//! newtype ids, the enums with Chatwoot's values, the entities of a helpdesk, and the validation
//! rules for what people type in. Nothing in this crate does I/O.

pub mod app_settings;
pub mod app_url;
pub mod apps;
pub mod attachments;
pub mod bots;
pub mod csat_config;
pub mod enums;
pub mod error;
pub mod ids;
pub mod model;
pub mod time;
pub mod validate;
pub mod webhooks;
pub mod widget;
pub mod widget_settings;

pub use app_settings::{
    AppAction, AppActionOutcome, AppAuditEntry, AppLifecycle, AppPlacement, AppScope, AppSettings,
    AppVisibility, Withheld,
};
pub use apps::{AppFrame, DashboardApp, DashboardAppId};
pub use attachments::{Attachment, AttachmentId, FileType};
pub use enums::*;
pub use error::{ValidationError, ValidationErrors};
pub use ids::*;
pub use model::*;
pub use time::Timestamp;
