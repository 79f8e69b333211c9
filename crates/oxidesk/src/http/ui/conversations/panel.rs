//! The contact panel beside the open conversation: details, additional and custom attributes,
//! social profiles, the conversation's own attributes, and the contact's other conversations.
//!
//! Everything here is customer-written text, shown escaped. Social profiles are linked only
//! through URLs built here from a known network and a plain user name: a URL given by the
//! customer is never used as a link.

use oxidesk_domain::{
    AttributeModel, Attributes, Conversation, CustomAttributeDefinition, Timestamp,
};
use oxidesk_store::{ConversationFilter, ConversationQuery};
use serde_json::Value;

use super::{When, avatar_class, contact_name, initials, picture, truncate};
use crate::http::ui::shell::Member;
use crate::http::{AppState, PageError};
use crate::service::ServiceError;
use crate::views::ConversationView;

/// Other conversations of the contact shown.
const PREVIOUS_LIMIT: i64 = 10;

/// A labelled value, linked when `href` is set.
#[derive(Debug, Clone)]
pub(super) struct Detail {
    pub(super) label: String,
    pub(super) value: String,
    pub(super) href: Option<String>,
}

impl Detail {
    fn text(label: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            label: label.into(),
            value: value.into(),
            href: None,
        }
    }
}

/// A social profile: linked when the network is known and the name is a plain user name.
#[derive(Debug, Clone)]
pub(super) struct Social {
    pub(super) network: String,
    pub(super) handle: String,
    pub(super) url: Option<String>,
}

/// Another conversation of the contact.
#[derive(Debug, Clone)]
pub(super) struct Previous {
    pub(super) display_id: i64,
    pub(super) href: String,
    pub(super) status: &'static str,
    pub(super) preview: String,
    pub(super) when: When,
}

/// The contact panel.
#[derive(Debug, Clone)]
pub(super) struct PanelView {
    pub(super) contact_id: i64,
    pub(super) name: String,
    pub(super) initials: String,
    pub(super) avatar_class: String,
    pub(super) avatar_url: Option<String>,
    pub(super) description: Option<String>,
    pub(super) details: Vec<Detail>,
    pub(super) additional: Vec<Detail>,
    pub(super) custom: Vec<Detail>,
    pub(super) socials: Vec<Social>,
    pub(super) conversation: Vec<Detail>,
    /// A website conversation's visit (page, browser, start).
    pub(super) visit: Vec<Detail>,
    pub(super) previous: Vec<Previous>,
}

/// Keys of `additional_attributes` shown elsewhere in the panel.
const SHOWN_KEYS: &[&str] = &[
    "description",
    "company_name",
    "city",
    "country",
    "country_code",
    "social_profiles",
];

/// `order_id` → `Order id`.
fn humanize(key: &str) -> String {
    let spaced = key.replace(['_', '-'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A JSON value as text; `None` for null and empty strings.
fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(true) => Some("Yes".into()),
        Value::Bool(false) => Some("No".into()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(value_text).collect();
            Some(parts.join(", ")).filter(|t| !t.is_empty())
        }
        // `{"timestamp": "..."}` reads as its one value; bigger objects as `Key: value` pairs.
        Value::Object(map) if map.len() == 1 => map.values().next().and_then(value_text),
        Value::Object(map) => {
            let parts: Vec<String> = map
                .iter()
                .filter_map(|(k, v)| value_text(v).map(|t| format!("{}: {t}", humanize(k))))
                .collect();
            Some(parts.join(" · ")).filter(|t| !t.is_empty())
        }
    }
}

fn text_at(attributes: &Attributes, key: &str) -> Option<String> {
    attributes.get(key).and_then(value_text)
}

/// The attributes as details: defined ones first (by their display name, in definition order),
/// then the others by key.
fn attribute_details(
    attributes: &Attributes,
    definitions: &[CustomAttributeDefinition],
    skip: &[&str],
) -> Vec<Detail> {
    let mut out = Vec::new();
    for def in definitions {
        if let Some(value) = text_at(attributes, &def.attribute_key) {
            out.push(Detail::text(def.attribute_display_name.clone(), value));
        }
    }
    for (key, value) in attributes {
        let defined = definitions.iter().any(|d| &d.attribute_key == key);
        if defined || skip.contains(&key.as_str()) {
            continue;
        }
        if let Some(value) = value_text(value) {
            out.push(Detail::text(humanize(key), value));
        }
    }
    out
}

/// A user name safe to put in a URL path: letters, digits, `.`, `_`, `-`.
fn plain_handle(handle: &str) -> bool {
    !handle.is_empty()
        && handle.len() <= 100
        && handle
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        && !handle.starts_with('.')
}

/// The profile URL on a known network, built from a plain user name.
fn profile_url(network: &str, handle: &str) -> Option<String> {
    if !plain_handle(handle) {
        return None;
    }
    let base = match network {
        "github" => "https://github.com/",
        "twitter" | "x" => "https://x.com/",
        "facebook" => "https://www.facebook.com/",
        "linkedin" => "https://www.linkedin.com/in/",
        "instagram" => "https://www.instagram.com/",
        _ => return None,
    };
    Some(format!("{base}{handle}"))
}

fn network_name(network: &str) -> String {
    match network {
        "github" => "GitHub".into(),
        "twitter" | "x" => "X (Twitter)".into(),
        "facebook" => "Facebook".into(),
        "linkedin" => "LinkedIn".into(),
        "instagram" => "Instagram".into(),
        other => humanize(other),
    }
}

fn socials(additional: &Attributes) -> Vec<Social> {
    let Some(Value::Object(profiles)) = additional.get("social_profiles") else {
        return Vec::new();
    };
    profiles
        .iter()
        .filter_map(|(network, value)| {
            let handle = value.as_str()?.trim().trim_start_matches('@');
            if handle.is_empty() {
                return None;
            }
            let network = network.to_ascii_lowercase();
            Some(Social {
                url: profile_url(&network, handle),
                network: network_name(&network),
                handle: handle.to_owned(),
            })
        })
        .collect()
}

/// Builds the contact panel of `conversation`.
pub(super) async fn build(
    state: &AppState,
    member: &Member,
    conversation: &Conversation,
    view: &ConversationView,
) -> Result<PanelView, PageError> {
    let account = member.account_id();
    let services = &state.services;
    let store = &services.store;
    let contact = store
        .contact(account, conversation.contact_id)
        .await
        .map_err(ServiceError::from)?;
    let definitions = services.attribute_definitions(account, None).await?;
    let (contact_defs, conversation_defs): (Vec<_>, Vec<_>) = definitions
        .into_iter()
        .partition(|d| d.attribute_model == AttributeModel::Contact);
    let name = contact_name(&contact.name);
    let extra = &contact.additional_attributes;

    let mut details = Vec::new();
    if let Some(email) = &contact.email {
        details.push(Detail {
            label: "Email".into(),
            value: email.clone(),
            href: Some(format!("mailto:{email}")),
        });
    }
    if let Some(phone) = &contact.phone_number {
        details.push(Detail {
            label: "Phone".into(),
            value: phone.clone(),
            href: Some(format!("tel:{phone}")),
        });
    }
    if let Some(identifier) = &contact.identifier {
        details.push(Detail::text("Identifier", identifier.clone()));
    }
    if let Some(company) = text_at(extra, "company_name") {
        details.push(Detail::text("Company", company));
    }
    let place: Vec<String> = ["city", "country"]
        .iter()
        .filter_map(|k| text_at(extra, k))
        .collect();
    if !place.is_empty() {
        details.push(Detail::text("Location", place.join(", ")));
    }

    let mut conversation_details =
        attribute_details(&conversation.custom_attributes, &conversation_defs, &[]);
    conversation_details.extend(attribute_details(
        &conversation.additional_attributes,
        &[],
        &super::visit::VISIT_KEYS,
    ));

    let others = store
        .list_conversations(
            account,
            &ConversationQuery {
                filter: ConversationFilter {
                    status: None,
                    contact_id: Some(contact.id),
                    ..ConversationFilter::default()
                },
                after: None,
                limit: PREVIOUS_LIMIT + 1,
            },
        )
        .await
        .map_err(ServiceError::from)?
        .items;
    let others: Vec<Conversation> = others
        .into_iter()
        .filter(|c| c.id != conversation.id)
        .take(PREVIOUS_LIMIT as usize)
        .collect();
    let ids: Vec<_> = others.iter().map(|c| c.id).collect();
    let last = store
        .last_messages(&ids)
        .await
        .map_err(ServiceError::from)?;
    let now = Timestamp::now();
    let previous = others
        .iter()
        .map(|c| Previous {
            display_id: c.display_id.get(),
            href: member
                .shell
                .url(&format!("/conversations/{}", c.display_id)),
            status: c.status.as_str(),
            preview: last
                .get(&c.id)
                .and_then(|m| m.content.as_deref())
                .map(|t| truncate(t, 60))
                .unwrap_or_default(),
            when: When::new(c.last_activity_at, now),
        })
        .collect();

    Ok(PanelView {
        contact_id: contact.id.get(),
        initials: initials(&name),
        name,
        avatar_class: avatar_class(contact.id.get()),
        avatar_url: picture(&view.meta.sender.thumbnail),
        description: text_at(extra, "description"),
        details,
        additional: attribute_details(extra, &[], SHOWN_KEYS),
        custom: attribute_details(&contact.custom_attributes, &contact_defs, &[]),
        socials: socials(extra),
        conversation: conversation_details,
        visit: super::visit::visit(&conversation.additional_attributes),
        previous,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn profile_urls_are_built_not_trusted() {
        assert_eq!(
            profile_url("github", "octocat").as_deref(),
            Some("https://github.com/octocat")
        );
        assert_eq!(profile_url("github", "javascript:alert(1)"), None);
        assert_eq!(profile_url("github", "a/../../x"), None);
        assert_eq!(profile_url("myspace", "tom"), None);
        let extra = json!({"social_profiles": {
            "twitter": "@jack", "linkedin": "https://evil.test/x", "github": ""
        }});
        let list = socials(extra.as_object().unwrap_or(&Attributes::new()));
        assert_eq!(list.len(), 2);
        assert!(
            list.iter()
                .all(|s| s.url.as_deref() != Some("https://evil.test/x"))
        );
        assert!(
            list.iter()
                .any(|s| s.url.as_deref() == Some("https://x.com/jack"))
        );
    }

    #[test]
    fn attributes_read_as_text() {
        assert_eq!(humanize("order_id"), "Order id");
        assert_eq!(value_text(&json!(true)).as_deref(), Some("Yes"));
        assert_eq!(value_text(&json!(12.5)).as_deref(), Some("12.5"));
        assert_eq!(value_text(&json!("")), None);
        assert_eq!(value_text(&Value::Null), None);
        assert_eq!(
            value_text(&json!({"browser_name": "Firefox", "platform_name": "Linux"})).as_deref(),
            Some("Browser name: Firefox · Platform name: Linux")
        );
        assert_eq!(
            value_text(&json!({"timestamp": "Tue"})).as_deref(),
            Some("Tue")
        );
        assert_eq!(value_text(&json!(["a", 1])).as_deref(), Some("a, 1"));
    }
}
