//! The context a Dashboard App receives: `{conversation, contact, currentAgent,
//! customAttributes}` (the dashboard adds `theme` in the browser), with the fields and types the
//! white-label products' documents list (`../shared/seeds/`), as Chatwoot's dashboard builds it.

use oxidesk_domain::Attributes;
use serde::Serialize;
use serde_json::Value;

use super::{ContactView, ConversationView, CustomAttributeView, SenderView};

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

/// A contact as apps read it: `last_activity_at` an integer (a contact never active counts from
/// its creation), and the documented `additional_attributes` keys present (see
/// [`fill_contact_attributes`]).
pub(crate) fn app_contact(mut contact: ContactView) -> ContactView {
    if contact.last_activity_at.is_none() {
        contact.last_activity_at = Some(contact.created_at);
    }
    fill_contact_attributes(&mut contact.additional_attributes);
    contact
}

/// The seeds document `additional_attributes` as `{description, company_name, social_profiles:
/// {github, twitter, facebook, linkedin}}`, and apps written against them read those paths
/// directly (`contact.additional_attributes.social_profiles.github`). Whatever was never
/// recorded is added as an empty string (an empty object for `social_profiles`), so such an app
/// finds a string instead of failing on `undefined`; recorded values are never changed.
pub(crate) fn fill_contact_attributes(attributes: &mut Attributes) {
    for key in ["description", "company_name"] {
        attributes
            .entry(key)
            .or_insert_with(|| Value::String(String::new()));
    }
    let profiles = attributes
        .entry("social_profiles")
        .or_insert_with(|| Value::Object(Attributes::new()));
    if let Value::Object(profiles) = profiles {
        for key in ["github", "twitter", "facebook", "linkedin"] {
            profiles
                .entry(key)
                .or_insert_with(|| Value::String(String::new()));
        }
    }
}

/// The same for a conversation's documented `additional_attributes`: `browser {device_name,
/// browser_name, platform_name, browser_version, platform_version}`, `referer` and
/// `initiated_at {timestamp}` (what a website widget records; empty for other channels).
pub(crate) fn fill_conversation_attributes(attributes: &mut Attributes) {
    let browser = attributes
        .entry("browser")
        .or_insert_with(|| Value::Object(Attributes::new()));
    if let Value::Object(browser) = browser {
        for key in [
            "device_name",
            "browser_name",
            "platform_name",
            "browser_version",
            "platform_version",
        ] {
            browser
                .entry(key)
                .or_insert_with(|| Value::String(String::new()));
        }
    }
    attributes
        .entry("referer")
        .or_insert_with(|| Value::String(String::new()));
    let initiated = attributes
        .entry("initiated_at")
        .or_insert_with(|| Value::Object(Attributes::new()));
    if let Value::Object(initiated) = initiated {
        initiated
            .entry("timestamp")
            .or_insert_with(|| Value::String(String::new()));
    }
}

/// A message's sender as apps read it: the seeds list the contact's keys for every sender, so an
/// agent also carries them (`phone_number` and `identifier` null, empty attributes); a contact
/// gets its documented attribute keys.
pub(crate) fn app_sender(sender: &mut SenderView) {
    let mut attributes = sender.additional_attributes.take().unwrap_or_default();
    fill_contact_attributes(&mut attributes);
    sender.additional_attributes = Some(attributes);
    sender.custom_attributes.get_or_insert_with(Attributes::new);
    sender.phone_number.get_or_insert(None);
    sender.identifier.get_or_insert(None);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(value: Value) -> Attributes {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn documented_contact_keys_are_filled_never_overwritten() {
        let mut attributes = map(json!({
            "company_name": "Analytical Engines",
            "social_profiles": {"github": "ada"},
            "city": "London",
        }));
        fill_contact_attributes(&mut attributes);
        assert_eq!(
            Value::Object(attributes),
            json!({
                "company_name": "Analytical Engines",
                "description": "",
                "city": "London",
                "social_profiles": {"github": "ada", "twitter": "", "facebook": "", "linkedin": ""},
            })
        );
    }

    #[test]
    fn documented_conversation_keys_are_filled() {
        let mut attributes = map(json!({"browser": {"browser_name": "Firefox"}}));
        fill_conversation_attributes(&mut attributes);
        assert_eq!(attributes["browser"]["browser_name"], "Firefox");
        assert_eq!(attributes["browser"]["platform_version"], "");
        assert_eq!(attributes["referer"], "");
        assert_eq!(attributes["initiated_at"], json!({"timestamp": ""}));
    }

    #[test]
    fn an_agent_sender_carries_the_contact_keys() {
        let mut sender = SenderView {
            id: 1,
            name: "Sam".into(),
            kind: "user",
            email: Some("sam@acme.example".into()),
            thumbnail: String::new(),
            phone_number: None,
            identifier: None,
            additional_attributes: None,
            custom_attributes: None,
            available_name: Some("Sam".into()),
            availability_status: Some("online".into()),
        };
        app_sender(&mut sender);
        let value = serde_json::to_value(&sender).unwrap_or_default();
        for key in [
            "additional_attributes",
            "custom_attributes",
            "email",
            "id",
            "identifier",
            "name",
            "phone_number",
            "thumbnail",
            "type",
        ] {
            assert!(value.get(key).is_some(), "{key} missing: {value}");
        }
        assert_eq!(value["type"], "user");
        assert_eq!(value["phone_number"], Value::Null);
    }

    #[test]
    fn a_contact_never_active_counts_from_its_creation() {
        let contact = ContactView {
            additional_attributes: Attributes::new(),
            availability_status: "offline",
            email: None,
            id: 1,
            name: "Ada".into(),
            phone_number: None,
            blocked: false,
            identifier: None,
            thumbnail: String::new(),
            custom_attributes: Attributes::new(),
            last_activity_at: None,
            created_at: 1_700_000_000,
        };
        let contact = app_contact(contact);
        assert_eq!(contact.last_activity_at, Some(1_700_000_000));
        assert_eq!(
            contact.additional_attributes["social_profiles"]["linkedin"],
            ""
        );
    }
}
