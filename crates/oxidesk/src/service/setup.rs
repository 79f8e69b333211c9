//! Setting an account up: inboxes and their members, teams and their members, labels, and
//! custom attribute definitions. One submodule each; every change publishes an event.

mod attributes;
mod inbox_secret;
mod inboxes;
mod labels;
mod teams;

pub use attributes::{AttributeFields, AttributeInput};
pub use inboxes::InboxFields;
pub use labels::LabelFields;
pub use teams::TeamFields;

use oxidesk_domain::{UserId, ValidationError};
use oxidesk_store::StoreError;

use super::ServiceError;

/// The most items a setup list (inboxes, teams, labels, attributes, agents) returns. Chatwoot
/// answers these lists whole; an account has tens of each, so one bounded read is enough.
pub const MAX_LIST: i64 = 10_000;

/// The user ids of a members request, without repeats, in the order given.
fn distinct(users: &[UserId]) -> Vec<UserId> {
    let mut seen = Vec::with_capacity(users.len());
    for user in users {
        if !seen.contains(user) {
            seen.push(*user);
        }
    }
    seen
}

/// A store "not found" from a member write means a user who is not a member of the account.
fn members_only(error: StoreError) -> ServiceError {
    match error {
        StoreError::NotFound => {
            ValidationError::new("user_ids", "must all be members of the account").into()
        }
        other => other.into(),
    }
}
