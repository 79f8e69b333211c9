//! Contacts and their identities in inboxes.

use oxidesk_domain::{Contact, ContactInbox, Timestamp};

use super::{parse_json, ts};
use crate::StoreError;

#[derive(sqlx::FromRow)]
pub(crate) struct ContactRow {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub email: Option<String>,
    pub phone_number: Option<String>,
    pub identifier: Option<String>,
    pub avatar_url: Option<String>,
    pub additional_attributes: String,
    pub custom_attributes: String,
    pub last_activity_at: Option<i64>,
    pub blocked: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

impl TryFrom<ContactRow> for Contact {
    type Error = StoreError;

    fn try_from(r: ContactRow) -> Result<Self, StoreError> {
        Ok(Contact {
            id: r.id.into(),
            account_id: r.account_id.into(),
            name: r.name,
            email: r.email,
            phone_number: r.phone_number,
            identifier: r.identifier,
            avatar_url: r.avatar_url,
            additional_attributes: parse_json(
                "contacts.additional_attributes",
                &r.additional_attributes,
            )?,
            custom_attributes: parse_json("contacts.custom_attributes", &r.custom_attributes)?,
            last_activity_at: ts(r.last_activity_at),
            blocked: r.blocked,
            created_at: Timestamp(r.created_at),
            updated_at: Timestamp(r.updated_at),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ContactInboxRow {
    pub id: i64,
    pub contact_id: i64,
    pub inbox_id: i64,
    pub source_id: String,
    pub hmac_verified: bool,
    pub created_at: i64,
}

impl From<ContactInboxRow> for ContactInbox {
    fn from(r: ContactInboxRow) -> Self {
        ContactInbox {
            id: r.id.into(),
            contact_id: r.contact_id.into(),
            inbox_id: r.inbox_id.into(),
            source_id: r.source_id,
            hmac_verified: r.hmac_verified,
            created_at: Timestamp(r.created_at),
        }
    }
}
