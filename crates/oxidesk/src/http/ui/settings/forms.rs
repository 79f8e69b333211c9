//! What the settings and contact forms share: the errors shown next to fields, forms with
//! repeated fields (checkbox lists), times as pages show them.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use oxidesk_domain::{Timestamp, ValidationErrors};

use crate::http::PageError;
use crate::service::ServiceError;

/// A form field: the name the service gives it in errors, the form's name, and its label.
pub type Field = (&'static str, &'static str, &'static str);

/// The errors of a submitted form: a message per form field, and messages about the form as a
/// whole (a conflict, or a field the form does not show).
#[derive(Debug, Clone, Default)]
pub struct FieldErrors {
    fields: Vec<(String, String)>,
    general: Vec<String>,
}

/// Words a service message starts with when it is meant to follow the field's name
/// (`is already taken` → "Title is already taken").
const PREDICATES: &[&str] = &[
    "is", "are", "must", "may", "cannot", "can", "has", "was", "needs",
];

/// The message shown for `field`: the label followed by the service's message when that reads
/// as a predicate, the message alone (capitalised) otherwise.
fn full_message(label: &str, message: &str) -> String {
    let first = message.split_whitespace().next().unwrap_or("");
    if PREDICATES.contains(&first) {
        format!("{label} {message}")
    } else {
        let mut chars = message.chars();
        match chars.next() {
            Some(c) => c.to_uppercase().chain(chars).collect(),
            None => label.to_owned(),
        }
    }
}

impl FieldErrors {
    /// No errors.
    pub fn none() -> Self {
        Self::default()
    }

    /// One message about the whole form.
    pub fn general(message: impl Into<String>) -> Self {
        Self {
            fields: Vec::new(),
            general: vec![message.into()],
        }
    }

    /// The service's validation errors placed on the form's `fields`; an error on a field the
    /// form does not have becomes a general message. `values[2]` counts as `values`.
    pub fn from_validation(errors: ValidationErrors, fields: &[Field]) -> Self {
        let mut out = Self::default();
        for error in errors.0 {
            let base = error.field.split('[').next().unwrap_or(&error.field);
            match fields.iter().find(|(service, _, _)| *service == base) {
                Some((_, form, label)) => {
                    if out.get(form).is_none() {
                        out.fields
                            .push(((*form).to_owned(), full_message(label, &error.message)));
                    }
                }
                None => out.general.push(error.to_string()),
            }
        }
        out
    }

    /// The error of a failed use case as the form shows it, with the status to answer: 422 for
    /// invalid input, 409 for a conflict. Other failures are errors of the page.
    pub fn from_service(
        error: ServiceError,
        fields: &[Field],
    ) -> Result<(StatusCode, Self), PageError> {
        match error {
            ServiceError::Invalid(errors) => Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                Self::from_validation(errors, fields),
            )),
            ServiceError::Conflict(message) => Ok((StatusCode::CONFLICT, Self::general(message))),
            other => Err(other.into()),
        }
    }

    /// The message for form field `field`.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    /// True when a field of the form has an error.
    pub fn has_fields(&self) -> bool {
        !self.fields.is_empty()
    }

    /// The messages about the form as a whole.
    pub fn general_messages(&self) -> &[String] {
        &self.general
    }
}

/// A form read as its list of fields, for forms that repeat a name (checkbox lists).
#[derive(Debug, Clone, Default)]
pub struct Pairs(pub Vec<(String, String)>);

impl Pairs {
    /// The first value of `name`, empty when absent.
    pub fn first(&self, name: &str) -> &str {
        self.get(name).unwrap_or("")
    }

    /// The first value of `name`, if it was sent (a ticked checkbox).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// Whether the query string says a form was just saved (`?saved=1`).
pub fn saved(query: &Option<String>) -> bool {
    query
        .as_deref()
        .is_some_and(|q| q.split('&').any(|p| p == "saved=1"))
}

/// A rendered page with a status (a form shown again with its errors).
pub fn with_status(status: StatusCode, html: Html<String>) -> Response {
    (status, html).into_response()
}

/// A point in time as the pages show it.
#[derive(Debug, Clone)]
pub struct When {
    /// RFC 3339, for the `datetime` attribute.
    pub iso: String,
    /// `2024-06-04 10:00 UTC`.
    pub full: String,
}

impl When {
    /// `at` for a page.
    pub fn new(at: Timestamp) -> Self {
        let iso = at.to_rfc3339();
        let full = format!("{} {} UTC", &iso[..10], &iso[11..16]);
        Self { iso, full }
    }
}

/// A checkbox's value as `Some(true)` when ticked (sent) and `Some(false)` when not.
pub fn ticked(value: &Option<String>) -> Option<bool> {
    Some(value.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxidesk_domain::ValidationError;

    #[test]
    fn messages_read_as_sentences() {
        assert_eq!(
            full_message("Title", "is already taken"),
            "Title is already taken"
        );
        assert_eq!(
            full_message("Email", "'x' is not a valid email address"),
            "'x' is not a valid email address"
        );
        assert_eq!(
            full_message("List values", "a list attribute needs at least one value"),
            "A list attribute needs at least one value"
        );
    }

    #[test]
    fn errors_land_on_the_form_fields() {
        let mut errors = ValidationErrors::new();
        errors.push("channel.webhook_url", "must be a full URL");
        errors.push("attribute_values[1]", "is required");
        errors
            .0
            .push(ValidationError::new("user_ids", "must be members"));
        let form = FieldErrors::from_validation(
            errors,
            &[
                ("channel.webhook_url", "webhook_url", "Webhook URL"),
                ("attribute_values", "values", "List values"),
            ],
        );
        assert_eq!(
            form.get("webhook_url"),
            Some("Webhook URL must be a full URL")
        );
        assert_eq!(form.get("values"), Some("List values is required"));
        assert_eq!(form.general_messages(), ["user_ids must be members"]);
    }
}
