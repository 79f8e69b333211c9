//! Webhooks: Chatwoot's event names and the rules for a webhook's URL and subscriptions.

use crate::error::{ValidationError, ValidationErrors};
use crate::validate;

/// The events a webhook may subscribe to: Chatwoot's `ALLOWED_WEBHOOK_EVENTS`, in its order.
/// `webwidget_triggered` is accepted though no widget raises it yet.
pub const WEBHOOK_EVENTS: &[&str] = &[
    "conversation_status_changed",
    "conversation_updated",
    "conversation_created",
    "contact_created",
    "contact_updated",
    "message_created",
    "message_updated",
    "webwidget_triggered",
    "inbox_created",
    "inbox_updated",
    "conversation_typing_on",
    "conversation_typing_off",
];

/// What a webhook gets when created without subscriptions (Chatwoot's database default).
pub const DEFAULT_SUBSCRIPTIONS: &[&str] = &[
    "conversation_status_changed",
    "conversation_updated",
    "conversation_created",
    "contact_created",
    "contact_updated",
    "message_created",
    "message_updated",
    "webwidget_triggered",
];

/// The events an API inbox's `webhook_url` gets (every conversation, message and typing
/// event of its inbox, with no subscription).
pub fn reaches_api_inbox(event: &str) -> bool {
    event.starts_with("conversation_") || event.starts_with("message_")
}

/// Checks a webhook's URL (http or https, at most 2,000 characters).
pub fn webhook_url(value: &str) -> Result<String, ValidationError> {
    let url = validate::http_url("url", value)?;
    if url.len() > 2000 {
        return Err(ValidationError::new(
            "url",
            "must be at most 2000 characters",
        ));
    }
    Ok(url)
}

/// Checks a list of subscriptions: non-empty, every item one of [`WEBHOOK_EVENTS`]. Returns
/// them without duplicates, in the order given.
pub fn subscriptions(items: &[String]) -> Result<Vec<String>, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    if items.is_empty() {
        errors.push("subscriptions", "must name at least one event");
    }
    let mut kept: Vec<String> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if !WEBHOOK_EVENTS.contains(&item.as_str()) {
            errors.push(
                format!("subscriptions[{i}]"),
                format!("is not an event; one of {}", WEBHOOK_EVENTS.join(", ")),
            );
        } else if !kept.contains(item) {
            kept.push(item.clone());
        }
    }
    errors.into_result()?;
    Ok(kept)
}

/// Checks a webhook's name (optional, at most 255 characters).
pub fn webhook_name(value: &str) -> Result<String, ValidationError> {
    let name = value.trim();
    if name.chars().count() > 255 {
        return Err(ValidationError::new(
            "name",
            "must be at most 255 characters",
        ));
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subscriptions_are_chatwoot_events() {
        let ok = subscriptions(&["message_created".into(), "message_created".into()]);
        assert_eq!(ok.ok(), Some(vec!["message_created".to_owned()]));
        assert!(subscriptions(&[]).is_err());
        let bad = subscriptions(&["message_created".into(), "message.created".into()]);
        let errors = bad.err().map(|e| e.0).unwrap_or_default();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "subscriptions[1]");
    }

    #[test]
    fn urls_are_http() {
        assert!(webhook_url("https://example.com/hook").is_ok());
        assert!(webhook_url("ftp://example.com").is_err());
        assert!(webhook_url("javascript:alert(1)").is_err());
        assert!(reaches_api_inbox("conversation_typing_on"));
        assert!(!reaches_api_inbox("contact_created"));
    }
}
