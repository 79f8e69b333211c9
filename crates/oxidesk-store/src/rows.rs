//! Row structs as the database returns them, and their conversion into domain types: people
//! (`people`), inboxes and teams (`inboxes`), contacts (`contacts`), conversations, messages and
//! labels (`conversations`); pages of a list and their cursors in `page`.

mod contacts;
mod conversations;
mod inboxes;
mod page;
mod people;

use std::str::FromStr;

use oxidesk_domain::{Attributes, Timestamp};

use crate::StoreError;

pub(crate) use contacts::{ContactInboxRow, ContactRow};
pub(crate) use conversations::{ConversationRow, LabelRow, MessageRow};
pub(crate) use inboxes::{InboxRow, TeamRow};
pub(crate) use page::paginate;
pub use page::{Cursor, Page};
pub(crate) use people::{
    AGENT_COLUMNS, AccessTokenRow, AccountRow, AgentRow, MembershipRow, UserRow,
};

pub(crate) fn parse_enum<T: FromStr>(column: &str, value: &str) -> Result<T, StoreError> {
    value
        .parse()
        .map_err(|_| StoreError::Corrupt(format!("{column} = {value:?}")))
}

pub(crate) fn parse_json(column: &str, value: &str) -> Result<Attributes, StoreError> {
    serde_json::from_str(value)
        .map_err(|_| StoreError::Corrupt(format!("{column} is not a JSON object")))
}

pub(crate) fn json_text(value: &Attributes) -> String {
    serde_json::Value::Object(value.clone()).to_string()
}

fn ts(value: Option<i64>) -> Option<Timestamp> {
    value.map(Timestamp)
}
