//! People: contacts and agents.

use oxidesk_domain::{Agent, Attributes, Contact, Timestamp};
use serde::Serialize;
use utoipa::ToSchema;

/// A contact (Chatwoot's `contact_list_item`; `meta.sender` of a conversation).
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct ContactView {
    /// `description`, `company_name`, `social_profiles`, `city`, `country`, ...
    #[schema(value_type = Object)]
    pub additional_attributes: Attributes,
    /// Presence: `online` or `offline` (Oxidesk has no live presence for contacts yet: `offline`).
    pub availability_status: &'static str,
    /// Email.
    pub email: Option<String>,
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Phone number (E.164).
    pub phone_number: Option<String>,
    /// Blocked contacts cannot start conversations.
    pub blocked: bool,
    /// The integrator's id.
    pub identifier: Option<String>,
    /// Avatar URL (empty when none).
    pub thumbnail: String,
    /// Custom attribute values.
    #[schema(value_type = Object)]
    pub custom_attributes: Attributes,
    /// Last activity (Unix seconds), null when never active.
    pub last_activity_at: Option<i64>,
    /// Creation (Unix seconds).
    pub created_at: i64,
}

impl From<&Contact> for ContactView {
    fn from(c: &Contact) -> Self {
        Self::from(c.clone())
    }
}

impl From<Contact> for ContactView {
    /// The view of a contact no longer needed (its texts and attributes moved, not copied).
    fn from(c: Contact) -> Self {
        Self {
            additional_attributes: c.additional_attributes,
            availability_status: "offline",
            email: c.email,
            id: c.id.get(),
            name: c.name,
            phone_number: c.phone_number,
            blocked: c.blocked,
            identifier: c.identifier,
            thumbnail: c.avatar_url.unwrap_or_default(),
            custom_attributes: c.custom_attributes,
            last_activity_at: c.last_activity_at.map(Timestamp::secs),
            created_at: c.created_at.secs(),
        }
    }
}

/// A member of an account (Chatwoot's `agent`/`user`; `meta.assignee`).
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct AgentView {
    /// User id.
    pub id: i64,
    /// The account.
    pub account_id: i64,
    /// `online`, `busy` or `offline`.
    pub availability_status: String,
    /// Whether availability turns offline by itself.
    pub auto_offline: bool,
    /// Whether the email is confirmed.
    pub confirmed: bool,
    /// Email.
    pub email: String,
    /// Display name, or name.
    pub available_name: String,
    /// Full name.
    pub name: String,
    /// `agent` or `administrator`.
    pub role: String,
    /// Avatar URL (empty when none).
    pub thumbnail: String,
}

impl From<&Agent> for AgentView {
    fn from(a: &Agent) -> Self {
        Self {
            id: a.user.id.get(),
            account_id: a.membership.account_id.get(),
            availability_status: a
                .membership
                .availability_status(oxidesk_domain::Timestamp::now())
                .as_str()
                .to_owned(),
            auto_offline: a.membership.auto_offline,
            confirmed: a.user.confirmed,
            email: a.user.email.clone(),
            available_name: a.user.available_name().to_owned(),
            name: a.user.name.clone(),
            role: a.membership.role.as_str().to_owned(),
            thumbnail: a.user.avatar_url.clone().unwrap_or_default(),
        }
    }
}
