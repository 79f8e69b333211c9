//! The pre-chat form: its fields, Chatwoot's defaults and their validation.

use serde::{Deserialize, Serialize};

use crate::{ValidationErrors, validate};

/// The input types a pre-chat field may have (Chatwoot's, `phoneInput` for phone numbers).
pub const PRE_CHAT_INPUT_TYPES: [&str; 9] = [
    "text",
    "email",
    "number",
    "phoneInput",
    "link",
    "date",
    "list",
    "checkbox",
    "textarea",
];
/// Where a pre-chat field's answer goes.
pub const PRE_CHAT_FIELD_TYPES: [&str; 3] =
    ["standard", "contact_attribute", "conversation_attribute"];
/// The most fields a pre-chat form has.
pub const MAX_PRE_CHAT_FIELDS: usize = 30;
/// Chatwoot's default pre-chat message.
pub const DEFAULT_PRE_CHAT_MESSAGE: &str = "Share your queries or comments here.";

/// `pre_chat_form_options`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreChatFormOptions {
    /// The text above the form.
    #[serde(default = "default_pre_chat_message")]
    pub pre_chat_message: String,
    /// The form's fields, in order.
    #[serde(default = "default_pre_chat_fields")]
    pub pre_chat_fields: Vec<PreChatField>,
}

impl Default for PreChatFormOptions {
    fn default() -> Self {
        Self {
            pre_chat_message: default_pre_chat_message(),
            pre_chat_fields: default_pre_chat_fields(),
        }
    }
}

/// One field of the pre-chat form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreChatField {
    /// The key: `emailAddress`, `fullName`, `phoneNumber` or a custom attribute's key.
    pub name: String,
    /// The label the visitor sees.
    #[serde(default)]
    pub label: String,
    /// The input type (`text`, `email`, `number`, `phoneInput`, …).
    #[serde(rename = "type", default = "default_input_type")]
    pub kind: String,
    /// `standard`, `contact_attribute` or `conversation_attribute`.
    #[serde(default = "default_field_type")]
    pub field_type: String,
    /// Whether the visitor must fill it in.
    #[serde(default)]
    pub required: bool,
    /// Whether the form shows it.
    #[serde(default)]
    pub enabled: bool,
    /// The input's placeholder.
    #[serde(default)]
    pub placeholder: String,
    /// A `list` field's choices.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

fn default_pre_chat_message() -> String {
    DEFAULT_PRE_CHAT_MESSAGE.to_owned()
}

fn default_input_type() -> String {
    "text".to_owned()
}

fn default_field_type() -> String {
    "standard".to_owned()
}

/// Chatwoot's default fields, all disabled: email (required), full name, phone number.
pub fn default_pre_chat_fields() -> Vec<PreChatField> {
    let field = |name: &str, label: &str, kind: &str, required: bool| PreChatField {
        name: name.to_owned(),
        label: label.to_owned(),
        kind: kind.to_owned(),
        field_type: "standard".to_owned(),
        required,
        enabled: false,
        placeholder: label.to_owned(),
        values: Vec::new(),
    };
    vec![
        field("emailAddress", "Email Id", "email", true),
        field("fullName", "Full name", "text", false),
        field("phoneNumber", "Phone number", "phoneInput", false),
    ]
}

/// Checks a pre-chat form: known types, unique keys, short texts.
pub fn check_pre_chat_options(options: &PreChatFormOptions, errors: &mut ValidationErrors) {
    let base = "channel.pre_chat_form_options";
    if options.pre_chat_message.chars().count() > validate::MAX_SHORT_TEXT * 4 {
        errors.push(
            format!("{base}.pre_chat_message"),
            "is too long (at most 1020 characters)",
        );
    }
    if options.pre_chat_fields.len() > MAX_PRE_CHAT_FIELDS {
        errors.push(
            format!("{base}.pre_chat_fields"),
            format!("has more than {MAX_PRE_CHAT_FIELDS} fields"),
        );
    }
    let mut names: Vec<&str> = Vec::new();
    for (i, field) in options.pre_chat_fields.iter().enumerate() {
        let at = format!("{base}.pre_chat_fields[{i}]");
        let key_ok = !field.name.is_empty()
            && field.name.len() <= 64
            && field
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !key_ok {
            errors.push(
                format!("{at}.name"),
                "must be 1 to 64 letters, digits, '_' or '-'",
            );
        } else if names.contains(&field.name.as_str()) {
            errors.push(format!("{at}.name"), "is listed twice");
        }
        names.push(&field.name);
        if !PRE_CHAT_INPUT_TYPES.contains(&field.kind.as_str()) {
            errors.push(
                format!("{at}.type"),
                format!("must be one of {}", PRE_CHAT_INPUT_TYPES.join(", ")),
            );
        }
        if !PRE_CHAT_FIELD_TYPES.contains(&field.field_type.as_str()) {
            errors.push(
                format!("{at}.field_type"),
                format!("must be one of {}", PRE_CHAT_FIELD_TYPES.join(", ")),
            );
        }
        for (key, text) in [("label", &field.label), ("placeholder", &field.placeholder)] {
            if text.chars().count() > validate::MAX_SHORT_TEXT {
                errors.push(
                    format!("{at}.{key}"),
                    "is too long (at most 255 characters)",
                );
            }
        }
        if field.values.len() > 100 || field.values.iter().any(|v| v.chars().count() > 255) {
            errors.push(
                format!("{at}.values"),
                "lists at most 100 values of at most 255 characters",
            );
        }
    }
}
