//! What a contact's page says about it: the details, social profiles (linked only through URLs
//! built here from a known network and a plain user name) and custom attributes (a `link` value
//! linked only when it is an http(s) URL).

use oxidesk_domain::{
    AttributeDisplayType, Attributes, Contact, CustomAttributeDefinition, validate,
};
use serde_json::Value;

use super::{text_at, value_text};
use crate::http::ui::settings::forms::When;

/// Keys of `additional_attributes` shown in their own places.
pub(super) const SHOWN_KEYS: &[&str] = &[
    "description",
    "company_name",
    "city",
    "country",
    "country_code",
    "social_profiles",
];

/// A labelled value, linked when `href` is set.
pub(super) struct Detail {
    pub(super) label: String,
    pub(super) value: String,
    pub(super) href: Option<String>,
}

impl Detail {
    pub(super) fn text(label: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            label: label.into(),
            value: value.into(),
            href: None,
        }
    }
}

/// A social profile: linked only through a URL built here.
pub(super) struct Social {
    pub(super) network: String,
    pub(super) handle: String,
    pub(super) url: Option<String>,
}

/// `order_id` → `Order id`.
pub(super) fn humanize(key: &str) -> String {
    let spaced = key.replace(['_', '-'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A user name safe in a URL path: letters, digits, `.`, `_`, `-`, not starting with a dot.
pub(super) fn plain_handle(handle: &str) -> bool {
    !handle.is_empty()
        && handle.len() <= 100
        && !handle.starts_with('.')
        && handle
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// The profile URL on a known network, from a plain user name; never the customer's text.
pub(super) fn profile_url(network: &str, handle: &str) -> Option<String> {
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

pub(super) fn network_name(network: &str) -> String {
    match network {
        "github" => "GitHub".into(),
        "twitter" | "x" => "X (Twitter)".into(),
        "facebook" => "Facebook".into(),
        "linkedin" => "LinkedIn".into(),
        "instagram" => "Instagram".into(),
        other => humanize(other),
    }
}

pub(super) fn socials(additional: &Attributes) -> Vec<Social> {
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

/// The contact's custom attributes: defined ones by their display name (a `link` value linked
/// when it is an http(s) URL), then values without a definition by key.
pub(super) fn custom_details(
    values: &Attributes,
    definitions: &[CustomAttributeDefinition],
) -> Vec<Detail> {
    let mut out = Vec::new();
    for def in definitions {
        let Some(value) = values.get(&def.attribute_key).and_then(value_text) else {
            continue;
        };
        let href = (def.attribute_display_type == AttributeDisplayType::Link)
            .then(|| validate::http_url("value", &value).ok())
            .flatten();
        out.push(Detail {
            label: def.attribute_display_name.clone(),
            value,
            href,
        });
    }
    for (key, value) in values {
        if definitions.iter().any(|d| &d.attribute_key == key) {
            continue;
        }
        if let Some(value) = value_text(value) {
            out.push(Detail::text(humanize(key), value));
        }
    }
    out
}

/// The facts of the details list.
pub(super) fn details(contact: &Contact) -> Vec<Detail> {
    let extra = &contact.additional_attributes;
    let mut out = Vec::new();
    if let Some(email) = &contact.email {
        out.push(Detail {
            label: "Email".into(),
            value: email.clone(),
            href: Some(format!("mailto:{email}")),
        });
    }
    if let Some(phone) = &contact.phone_number {
        out.push(Detail {
            label: "Phone".into(),
            value: phone.clone(),
            href: Some(format!("tel:{phone}")),
        });
    }
    if let Some(identifier) = &contact.identifier {
        out.push(Detail::text("Identifier", identifier.clone()));
    }
    for (key, label) in [
        ("company_name", "Company"),
        ("city", "City"),
        ("country", "Country"),
    ] {
        if let Some(value) = text_at(extra, key) {
            out.push(Detail::text(label, value));
        }
    }
    out.push(Detail::text("Created", When::new(contact.created_at).full));
    if let Some(at) = contact.last_activity_at {
        out.push(Detail::text("Last activity", When::new(at).full));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxidesk_domain::AttributeModel;
    use serde_json::json;

    #[test]
    fn profile_links_are_built_not_trusted() {
        assert_eq!(
            profile_url("github", "octocat").as_deref(),
            Some("https://github.com/octocat")
        );
        assert_eq!(profile_url("github", "javascript:alert(1)"), None);
        assert_eq!(profile_url("linkedin", "../../evil"), None);
        assert_eq!(profile_url("myspace", "tom"), None);
        let extra = json!({"social_profiles": {
            "twitter": "@jack", "linkedin": "https://evil.test/x", "github": ""
        }});
        let list = socials(
            extra
                .as_object()
                .cloned()
                .as_ref()
                .unwrap_or(&Attributes::new()),
        );
        assert_eq!(list.len(), 2);
        assert!(
            list.iter()
                .any(|s| s.url.as_deref() == Some("https://x.com/jack"))
        );
        assert!(
            list.iter()
                .all(|s| s.url.as_deref() != Some("https://evil.test/x"))
        );
    }

    #[test]
    fn link_attributes_are_linked_only_over_http() {
        let def = |key: &str, display_type| CustomAttributeDefinition {
            id: 1.into(),
            account_id: 1.into(),
            attribute_key: key.into(),
            attribute_display_name: key.into(),
            attribute_display_type: display_type,
            attribute_description: String::new(),
            attribute_model: AttributeModel::Contact,
            attribute_values: Vec::new(),
            regex_pattern: None,
            regex_cue: None,
            default_value: None,
            created_at: oxidesk_domain::Timestamp(0),
            updated_at: oxidesk_domain::Timestamp(0),
        };
        let defs = [
            def("site", AttributeDisplayType::Link),
            def("bad", AttributeDisplayType::Link),
            def("plan", AttributeDisplayType::Text),
        ];
        let values = json!({"site": "https://acme.test", "bad": "javascript:alert(1)",
            "plan": "https://not-a-link.test", "extra_key": 3});
        let list = custom_details(values.as_object().unwrap_or(&Attributes::new()), &defs);
        let href = |label: &str| {
            list.iter()
                .find(|d| d.label == label)
                .and_then(|d| d.href.clone())
        };
        assert_eq!(href("site").as_deref(), Some("https://acme.test"));
        assert_eq!(href("bad"), None);
        assert_eq!(href("plan"), None);
        assert!(
            list.iter()
                .any(|d| d.label == "Extra key" && d.value == "3")
        );
    }
}
