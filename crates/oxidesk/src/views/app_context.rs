//! The context a Dashboard App receives: `{conversation, contact, currentAgent,
//! customAttributes}` (the dashboard adds `theme` in the browser), with the fields and types the
//! white-label products' documents list (`../shared/seeds/`), as Chatwoot's dashboard builds it.

use serde::Serialize;

use super::{ContactView, ConversationView, CustomAttributeView};

/// How many of the conversation's latest messages the context carries (Chatwoot's first page).
pub const APP_CONTEXT_MESSAGES: usize = 20;

/// The `data` of an `appContext` event, less `theme`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AppContextView {
    /// The open conversation.
    pub conversation: AppConversationView,
    /// Its contact, in full.
    pub contact: ContactView,
    /// The signed-in agent.
    #[serde(rename = "currentAgent")]
    pub current_agent: CurrentAgentView,
    /// The account's custom attribute definitions (Chatwoot's newest extra).
    #[serde(rename = "customAttributes")]
    pub custom_attributes: Vec<CustomAttributeView>,
}

/// The conversation as the dashboard holds it: the API's conversation object with its latest
/// messages (oldest first) and the two flags Chatwoot's dashboard adds.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AppConversationView {
    /// The API's conversation object; its `messages` are the latest ones, oldest first.
    #[serde(flatten)]
    pub conversation: ConversationView,
    /// Whether `messages` holds every message of the conversation.
    #[serde(rename = "allMessagesLoaded")]
    pub all_messages_loaded: bool,
    /// The messages were loaded (always true here: the server builds the whole object).
    #[serde(rename = "dataFetched")]
    pub data_fetched: bool,
}

/// `currentAgent`: exactly `{id, name, email}`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CurrentAgentView {
    /// User id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Email.
    pub email: String,
}

/// Apps read `last_activity_at` as an integer: a contact never active counts from its creation.
pub(crate) fn with_activity(mut contact: ContactView) -> ContactView {
    if contact.last_activity_at.is_none() {
        contact.last_activity_at = Some(contact.created_at);
    }
    contact
}
