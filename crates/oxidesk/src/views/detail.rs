//! A contact in detail, with its identities in inboxes.

use oxidesk_domain::Inbox;
use serde::Serialize;
use utoipa::ToSchema;

use super::ContactView;

/// An inbox as a contact's identity shows it (Chatwoot's `inbox_slim`, swagger `inbox_contact`).
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct InboxSlimView {
    /// Id.
    pub id: i64,
    /// Avatar URL (empty).
    pub avatar_url: String,
    /// The channel's id (the inbox's, as channels have no table of their own).
    pub channel_id: i64,
    /// Name.
    pub name: String,
    /// `Channel::Api`.
    pub channel_type: String,
    /// The channel's provider: empty for the API channel, which has none (Chatwoot serves null
    /// there, but its OpenAPI `inbox_contact` schema wants a string; "" satisfies both readings).
    pub provider: String,
}

impl From<&Inbox> for InboxSlimView {
    fn from(inbox: &Inbox) -> Self {
        Self {
            id: inbox.id.get(),
            avatar_url: String::new(),
            channel_id: inbox.id.get(),
            name: inbox.name.clone(),
            channel_type: inbox.channel.channel_type().chatwoot_name().to_owned(),
            provider: String::new(),
        }
    }
}

/// A contact's identity in an inbox (Chatwoot's `contact_inbox`).
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct ContactInboxView {
    /// The contact's id in the inbox (the client API's `contact_identifier`).
    pub source_id: String,
    /// The inbox.
    pub inbox: InboxSlimView,
}

/// A contact as the `/contacts` endpoints serve it (Chatwoot's `contact_list_item`): the
/// contact with its identities in inboxes, unless asked without (`include_contact_inboxes=false`).
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct ContactDetailView {
    /// The contact.
    #[serde(flatten)]
    pub contact: ContactView,
    /// Its identities, oldest first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_inboxes: Option<Vec<ContactInboxView>>,
}
