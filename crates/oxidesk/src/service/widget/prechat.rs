//! The pre-chat form's answers (when the inbox has the form): read against the inbox's enabled
//! fields, a required one left empty refused with 422 naming `pre_chat.<field>`. The standard
//! fields go to the contact (`fullName`, `emailAddress`, `phoneNumber`), the others to the
//! contact's or the conversation's custom attributes, as the field says (Chatwoot's
//! `field_type`).

use oxidesk_domain::{Attributes, ValidationErrors, WebWidget, validate};
use serde_json::Value;

use super::WidgetUser;

/// What the pre-chat form gave.
#[derive(Debug, Clone, Default)]
pub struct PreChat {
    /// Name, email, phone and custom attributes for the visitor's contact.
    pub contact: WidgetUser,
    /// The new conversation's custom attributes.
    pub conversation_attributes: Attributes,
}

/// An answer as text (a checkbox's `true`/`false`, a number's digits); empty when missing.
fn text_of(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// Reads the answers `values` (by field name) to the widget's pre-chat form.
pub fn read_pre_chat(widget: &WebWidget, values: &Attributes) -> Result<PreChat, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let mut pre = PreChat::default();
    let fields = widget.pre_chat_form_options.pre_chat_fields.iter();
    for field in fields.filter(|f| f.enabled) {
        let key = format!("pre_chat.{}", field.name);
        let text = text_of(values.get(&field.name));
        let checkbox = field.kind == "checkbox";
        if text.is_empty() || (checkbox && text == "false") {
            if field.required {
                errors.push(key, "is required");
            }
            continue;
        }
        if text.chars().count() > 1_000 {
            errors.push(key, "is too long (at most 1000 characters)");
            continue;
        }
        let value = if checkbox {
            Value::Bool(true)
        } else if field.kind == "number" {
            text.parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map_or_else(|| Value::String(text.clone()), Value::Number)
        } else {
            Value::String(text.clone())
        };
        match (field.field_type.as_str(), field.name.as_str()) {
            ("standard", "fullName") => pre.contact.name = Some(text),
            ("standard", "emailAddress") => match validate::email(&key, &text) {
                Ok(email) => pre.contact.email = Some(email),
                Err(e) => errors.push(e.field, e.message),
            },
            ("standard", "phoneNumber") => match validate::phone_number(&key, &text) {
                Ok(phone) => pre.contact.phone_number = Some(phone),
                Err(e) => errors.push(e.field, e.message),
            },
            ("conversation_attribute", name) => {
                pre.conversation_attributes.insert(name.to_owned(), value);
            }
            (_, name) => {
                pre.contact.custom_attributes.insert(name.to_owned(), value);
            }
        }
    }
    errors.into_result()?;
    Ok(pre)
}
