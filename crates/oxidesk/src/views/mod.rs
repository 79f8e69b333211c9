//! The JSON shapes Oxidesk serves, field for field as Chatwoot's API serves them (see
//! `chatwoot-swagger.json`): times in Unix seconds, a conversation's `id` its display id,
//! `message_type` an integer. The OpenAPI document is generated from these types.

mod app_context;
mod conversation;
mod detail;
mod people;
mod setup;

pub use app_context::*;
pub use conversation::*;
pub use detail::*;
pub use people::*;
pub use setup::*;

use oxidesk_domain::Timestamp;

pub(crate) fn secs(t: Option<Timestamp>) -> i64 {
    t.map_or(0, Timestamp::secs)
}
