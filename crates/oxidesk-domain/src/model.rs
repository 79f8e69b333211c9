//! The entities of the helpdesk and the rules that govern their state.

use serde_json::{Map, Value};

pub use crate::widget_settings::{PreChatFormOptions, WorkingHours};
use crate::{
    AccessTokenId, AccountId, Availability, ContactId, ContactInboxId, CustomAttributeDefinitionId,
    InboxId, LabelId, Role, TeamId, Timestamp, UserId,
};

mod channels;
mod conversation;
#[cfg(test)]
mod tests;

pub use channels::*;
pub use conversation::*;

/// A JSON object of free-form attributes (`custom_attributes`, `additional_attributes`).
pub type Attributes = Map<String, Value>;

/// An account: one support team's workspace, and the unit of tenant isolation.
#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    /// Its id.
    pub id: AccountId,
    /// Its name ("Acme Support").
    pub name: String,
    /// Its language (`en`).
    pub locale: String,
    /// When it was created.
    pub created_at: Timestamp,
}

/// A person who signs in. Their role and availability are per account, in [`Membership`].
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    /// Its id.
    pub id: UserId,
    /// Full name.
    pub name: String,
    /// The name shown to customers, when it differs from `name`.
    pub display_name: Option<String>,
    /// Email, lower-cased; unique.
    pub email: String,
    /// Whether the email address was confirmed.
    pub confirmed: bool,
    /// A picture, if any.
    pub avatar_url: Option<String>,
    /// When the user was created.
    pub created_at: Timestamp,
}

impl User {
    /// Chatwoot's `available_name`: the display name, or the name when there is none.
    pub fn available_name(&self) -> &str {
        match self.display_name.as_deref() {
            Some(display) if !display.trim().is_empty() => display,
            _ => &self.name,
        }
    }
}

/// A user's membership of an account (Chatwoot's `account_users`).
#[derive(Debug, Clone, PartialEq)]
pub struct Membership {
    /// The account.
    pub account_id: AccountId,
    /// The member.
    pub user_id: UserId,
    /// What the member may do.
    pub role: Role,
    /// Whether the member takes conversations.
    pub availability: Availability,
    /// Whether availability turns `offline` by itself when the member leaves.
    pub auto_offline: bool,
    /// When the user joined the account.
    pub created_at: Timestamp,
    /// When the member's dashboard was last seen open (their presence).
    pub last_seen_at: Option<Timestamp>,
}

/// How long a member counts as present after their dashboard was last seen (it reports every
/// [`PRESENCE_INTERVAL_SECS`]).
pub const PRESENCE_SECS: i64 = 90;
/// How often an open dashboard reports its presence.
pub const PRESENCE_INTERVAL_SECS: u64 = 30;

impl Membership {
    /// Whether the member's dashboard was open within [`PRESENCE_SECS`] of `now`.
    pub fn present(&self, now: Timestamp) -> bool {
        self.last_seen_at
            .is_some_and(|seen| now.secs() - seen.secs() <= PRESENCE_SECS)
    }

    /// Chatwoot's `availability_status`: the chosen availability, except that a member with
    /// `auto_offline` whose dashboard is not open is `offline`.
    pub fn availability_status(&self, now: Timestamp) -> Availability {
        if self.auto_offline && !self.present(now) {
            Availability::Offline
        } else {
            self.availability
        }
    }
}

/// A member as agents lists show it: the user with their membership of one account.
#[derive(Debug, Clone, PartialEq)]
pub struct Agent {
    /// The person.
    pub user: User,
    /// Their role and availability in the account.
    pub membership: Membership,
}

/// An API access token's metadata. The secret itself is shown once and only its hash is kept.
#[derive(Debug, Clone, PartialEq)]
pub struct AccessToken {
    /// Its id.
    pub id: AccessTokenId,
    /// Whose token it is.
    pub user_id: UserId,
    /// What it is for ("CRM sync").
    pub name: String,
    /// The first characters of the secret, to tell tokens apart.
    pub prefix: String,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last authorized a request.
    pub last_used_at: Option<Timestamp>,
}

/// A team of agents that conversations can be assigned to.
#[derive(Debug, Clone, PartialEq)]
pub struct Team {
    /// Its id.
    pub id: TeamId,
    /// The account.
    pub account_id: AccountId,
    /// Its name, lower-cased as in Chatwoot.
    pub name: String,
    /// What it does.
    pub description: String,
    /// Whether conversations given to the team are assigned to one of its members.
    pub allow_auto_assign: bool,
    /// When it was created.
    pub created_at: Timestamp,
}

/// A customer.
#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    /// Its id.
    pub id: ContactId,
    /// The account.
    pub account_id: AccountId,
    /// Name (may be empty for an anonymous visitor).
    pub name: String,
    /// Email, lower-cased, unique per account.
    pub email: Option<String>,
    /// Phone number in E.164 form.
    pub phone_number: Option<String>,
    /// The customer's id in the integrator's own system, unique per account.
    pub identifier: Option<String>,
    /// A picture, served as `thumbnail`.
    pub avatar_url: Option<String>,
    /// `description`, `company_name`, `social_profiles`, `city`, `country`, ...
    pub additional_attributes: Attributes,
    /// Values of the account's contact attribute definitions.
    pub custom_attributes: Attributes,
    /// When the contact last did something.
    pub last_activity_at: Option<Timestamp>,
    /// Blocked contacts' messages are not turned into conversations.
    pub blocked: bool,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// A contact's identity in one inbox (its `source_id` there).
#[derive(Debug, Clone, PartialEq)]
pub struct ContactInbox {
    /// Its id.
    pub id: ContactInboxId,
    /// The contact.
    pub contact_id: ContactId,
    /// The inbox.
    pub inbox_id: InboxId,
    /// The contact's id in that inbox (the client API's `contact_identifier`).
    pub source_id: String,
    /// Whether the contact proved its identity with a valid `identifier_hash`.
    pub hmac_verified: bool,
    /// When it was created.
    pub created_at: Timestamp,
}

/// A label of the account.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    /// Its id.
    pub id: LabelId,
    /// The account.
    pub account_id: AccountId,
    /// The title, lower-case (`billing`, `vip-customer`).
    pub title: String,
    /// What it means.
    pub description: String,
    /// Colour as `#rrggbb`.
    pub color: String,
    /// Whether the sidebar lists it.
    pub show_on_sidebar: bool,
    /// When it was created.
    pub created_at: Timestamp,
}

/// A custom attribute the account defines for its conversations or contacts.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomAttributeDefinition {
    /// Its id.
    pub id: CustomAttributeDefinitionId,
    /// The account.
    pub account_id: AccountId,
    /// The key in `custom_attributes` (`plan`, `order_total`).
    pub attribute_key: String,
    /// The label shown to agents ("Plan").
    pub attribute_display_name: String,
    /// How it is entered and shown.
    pub attribute_display_type: crate::AttributeDisplayType,
    /// A longer explanation.
    pub attribute_description: String,
    /// Conversations or contacts.
    pub attribute_model: crate::AttributeModel,
    /// The choices of a `list` attribute.
    pub attribute_values: Vec<String>,
    /// An optional pattern that text values must match.
    pub regex_pattern: Option<String>,
    /// What to show when the pattern is not matched.
    pub regex_cue: Option<String>,
    /// The default value.
    pub default_value: Option<String>,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}
