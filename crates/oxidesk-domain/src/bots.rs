//! Canned responses and agent bots: their entities and the rules for what administrators type.

use crate::error::ValidationError;
use crate::validate;
use crate::{AccountId, AgentBotId, CannedResponseId, Timestamp};

/// The longest canned response (a message's limit).
pub const MAX_CANNED_CONTENT: usize = validate::MAX_MESSAGE_LENGTH;
/// The longest short code.
pub const MAX_SHORT_CODE: usize = 100;
/// The longest bot description.
pub const MAX_BOT_DESCRIPTION: usize = 1000;

/// A saved reply, inserted in the composer by typing `/` and its short code.
#[derive(Debug, Clone, PartialEq)]
pub struct CannedResponse {
    /// Id.
    pub id: CannedResponseId,
    /// The account.
    pub account_id: AccountId,
    /// What the agent types after `/` (unique in the account).
    pub short_code: String,
    /// The text inserted.
    pub content: String,
    /// When created.
    pub created_at: Timestamp,
    /// When last changed.
    pub updated_at: Timestamp,
}

/// An agent bot: gets its inboxes' events at `outgoing_url` and answers through the API with
/// its own access token. The token and the signing secret are kept sealed by the store.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentBot {
    /// Id.
    pub id: AgentBotId,
    /// The account.
    pub account_id: AccountId,
    /// Name, shown as the sender of its messages.
    pub name: String,
    /// What it does.
    pub description: String,
    /// Where its events are posted (may be empty: then it gets none).
    pub outgoing_url: String,
    /// The access token, sealed.
    pub sealed_token: String,
    /// The webhook signing secret, sealed.
    pub sealed_secret: String,
    /// When created.
    pub created_at: Timestamp,
}

/// A short code: trimmed, 1 to [`MAX_SHORT_CODE`] characters, no spaces (it is typed after `/`
/// in the composer, where a space ends it).
pub fn short_code(value: &str) -> Result<String, ValidationError> {
    let code = value.trim();
    if code.is_empty() {
        return Err(ValidationError::new("short_code", "is required"));
    }
    if code.chars().count() > MAX_SHORT_CODE {
        return Err(ValidationError::new(
            "short_code",
            format!("is too long (at most {MAX_SHORT_CODE} characters)"),
        ));
    }
    if code.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ValidationError::new("short_code", "may not contain spaces"));
    }
    Ok(code.to_owned())
}

/// A canned response's content: required, at most a message's length.
pub fn canned_content(value: &str) -> Result<String, ValidationError> {
    validate::message_content("content", value)
}

/// A bot's name: required, short.
pub fn bot_name(value: &str) -> Result<String, ValidationError> {
    validate::required_text("name", value)
}

/// A bot's description: optional, at most [`MAX_BOT_DESCRIPTION`] characters.
pub fn bot_description(value: &str) -> Result<String, ValidationError> {
    let text = value.trim();
    if text.chars().count() > MAX_BOT_DESCRIPTION {
        return Err(ValidationError::new(
            "description",
            format!("is too long (at most {MAX_BOT_DESCRIPTION} characters)"),
        ));
    }
    Ok(text.to_owned())
}

/// A bot's `outgoing_url`: empty (no events), or an http(s) URL like a webhook's.
pub fn outgoing_url(value: &str) -> Result<String, ValidationError> {
    if value.trim().is_empty() {
        return Ok(String::new());
    }
    crate::webhooks::webhook_url(value).map_err(|e| ValidationError::new("outgoing_url", e.message))
}

/// The events an inbox's bot gets, as Chatwoot's `AgentBotListener` sends them: messages,
/// the conversation's status changes (also as `conversation_opened`/`conversation_resolved`)
/// and updates, and `webwidget_triggered`.
pub fn reaches_bot(event: &str) -> bool {
    matches!(
        event,
        "message_created"
            | "message_updated"
            | "conversation_status_changed"
            | "conversation_updated"
            | "webwidget_triggered"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_codes_are_trimmed_and_refuse_spaces() {
        assert_eq!(short_code("  hi ").ok().as_deref(), Some("hi"));
        assert_eq!(
            short_code("").map_err(|e| e.field),
            Err("short_code".into())
        );
        assert!(short_code("two words").is_err());
        assert!(short_code(&"x".repeat(101)).is_err());
    }

    #[test]
    fn outgoing_urls_may_be_empty_or_http() {
        assert_eq!(outgoing_url(" ").ok().as_deref(), Some(""));
        assert!(outgoing_url("https://bot.example/hook").is_ok());
        let e = outgoing_url("javascript:alert(1)").err();
        assert_eq!(e.map(|e| e.field), Some("outgoing_url".into()));
        assert!(reaches_bot("message_created"));
        assert!(!reaches_bot("contact_created"));
    }
}
