//! The errors of apps' actions (the protocol's error codes) and the reading of their
//! parameters, each mistake naming its parameter.

use oxidesk_domain::{AppAction, AppActionOutcome, AppScope, Attributes, ValidationError};
use serde_json::Value;

use super::MAX_APP_TEXT;
use crate::service::ServiceError;

/// Why an action was not done: the protocol's error codes.
#[derive(Debug, Clone, PartialEq)]
pub enum AppActionError {
    /// No such method.
    UnknownMethod(String),
    /// The administrator did not grant the scope.
    MissingScope(AppScope),
    /// A parameter is missing or wrong.
    InvalidParams {
        /// The parameter (`labels[1]`).
        field: String,
        /// What is wrong.
        message: String,
    },
    /// The agent may not do this.
    Forbidden(String),
    /// The conversation, contact or label is gone.
    NotFound(String),
    /// The server failed.
    Internal(String),
}

impl AppActionError {
    /// The protocol's `error.code`.
    pub fn code(&self) -> &'static str {
        match self {
            AppActionError::UnknownMethod(_) => "unknown_method",
            AppActionError::MissingScope(_) => "missing_scope",
            AppActionError::InvalidParams { .. } => "invalid_params",
            AppActionError::Forbidden(_) => "forbidden",
            AppActionError::NotFound(_) => "not_found",
            AppActionError::Internal(_) => "internal",
        }
    }

    /// The parameter at fault, for `invalid_params`.
    pub fn field(&self) -> Option<&str> {
        match self {
            AppActionError::InvalidParams { field, .. } => Some(field),
            _ => None,
        }
    }

    /// A message that says what to do.
    pub fn message(&self) -> String {
        match self {
            AppActionError::UnknownMethod(method) => format!(
                "There is no method '{}'. Methods: connect, context.get, {}",
                method.chars().take(100).collect::<String>(),
                AppAction::ALL
                    .iter()
                    .map(|a| a.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            AppActionError::MissingScope(scope) => format!(
                "This app was not granted the scope '{scope}'. An administrator can grant it in \
                 Settings > Integrations > Dashboard apps, in the app's settings."
            ),
            AppActionError::InvalidParams { field, message } => format!("{field} {message}"),
            AppActionError::Forbidden(message)
            | AppActionError::NotFound(message)
            | AppActionError::Internal(message) => message.clone(),
        }
    }

    pub(super) fn outcome(&self) -> AppActionOutcome {
        match self {
            AppActionError::MissingScope(_) | AppActionError::Forbidden(_) => {
                AppActionOutcome::Denied
            }
            _ => AppActionOutcome::Invalid,
        }
    }
}

impl From<ServiceError> for AppActionError {
    fn from(error: ServiceError) -> Self {
        match error {
            ServiceError::Invalid(errors) => match errors.0.into_iter().next() {
                Some(first) => AppActionError::InvalidParams {
                    field: first.field,
                    message: first.message,
                },
                None => AppActionError::InvalidParams {
                    field: "params".into(),
                    message: "are not valid".into(),
                },
            },
            ServiceError::NotFound(what) => AppActionError::NotFound(format!("{what} not found")),
            ServiceError::Forbidden(why) | ServiceError::Unauthorized(why) => {
                AppActionError::Forbidden(why.into())
            }
            ServiceError::Conflict(why) => AppActionError::InvalidParams {
                field: "params".into(),
                message: why,
            },
            other => AppActionError::Internal(other.to_string()),
        }
    }
}

pub(super) fn invalid(field: &str, message: impl Into<String>) -> AppActionError {
    AppActionError::InvalidParams {
        field: field.into(),
        message: message.into(),
    }
}

pub(super) trait IntoAppError {
    fn into_app(self) -> AppActionError;
}

impl IntoAppError for ValidationError {
    fn into_app(self) -> AppActionError {
        AppActionError::InvalidParams {
            field: self.field,
            message: self.message,
        }
    }
}

/// A required text parameter of 1 to [`MAX_APP_TEXT`] characters.
pub(super) fn text_param(params: &Value, name: &str) -> Result<String, AppActionError> {
    match params.get(name) {
        Some(Value::String(text)) if !text.trim().is_empty() => {
            if text.chars().count() > MAX_APP_TEXT {
                Err(invalid(
                    name,
                    format!("can be at most {MAX_APP_TEXT} characters"),
                ))
            } else {
                Ok(text.clone())
            }
        }
        Some(Value::String(_)) => Err(invalid(name, "must not be empty")),
        Some(_) => Err(invalid(name, "must be a string")),
        None => Err(invalid(name, "is required")),
    }
}

/// `params.attributes`: an object of at most 50 keys.
pub(super) fn attribute_params(params: &Value) -> Result<Attributes, AppActionError> {
    match params.get("attributes") {
        Some(Value::Object(map)) if map.is_empty() => {
            Err(invalid("attributes", "must set at least one attribute"))
        }
        Some(Value::Object(map)) if map.len() > 50 => Err(invalid(
            "attributes",
            "can set at most 50 attributes at once",
        )),
        Some(Value::Object(map)) => Ok(map.clone()),
        Some(_) => Err(invalid("attributes", "must be an object of key: value")),
        None => Err(invalid("attributes", "is required: {key: value, ...}")),
    }
}

/// `tier, plan` for an activity line.
pub(super) fn keys(values: &Attributes) -> String {
    let keys: Vec<&str> = values.keys().map(String::as_str).collect();
    format!(
        "attribute{} {}",
        if keys.len() == 1 { "" } else { "s" },
        keys.join(", ")
    )
}
