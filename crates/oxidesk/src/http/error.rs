//! Errors as the web answers them: JSON for the API, a page for the browser.
//!
//! | code | status | when |
//! |---|---|---|
//! | `invalid` | 422 | input broke a rule; `errors` lists each field |
//! | `bad_request` | 400 | the body is not the JSON or form expected |
//! | `unauthorized` | 401 | no or wrong credentials |
//! | `forbidden` | 403 | the role does not allow it, or the CSRF check failed |
//! | `not_found` | 404 | no such thing in this account |
//! | `conflict` | 409 | the state does not allow it |
//! | `too_many_requests` | 429 | throttled |
//! | `internal` | 500 | a bug or a database failure; logged once, never detailed |
//! | `overloaded` | 503 | the server is at capacity (see `overload`); `Retry-After` says when to retry |
//! | `unavailable` | 503 | the database cannot answer now (unreachable, restarting, no free connection); `Retry-After` too |
//!
//! Pages answered `503` (either reason) say the server is busy and reload themselves after
//! `Retry-After` seconds.

use askama::Template;
use axum::Json;
use axum::http::{Method, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use oxidesk_domain::ValidationErrors;
use serde_json::json;

use crate::service::ServiceError;

/// An API error, answered as `{"message": ..., "errors": [...]}`.
#[derive(Debug)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The stable code.
    pub code: &'static str,
    /// A message for people.
    pub message: String,
    /// The fields at fault.
    pub errors: ValidationErrors,
    /// Seconds until a throttled request may be tried again (`Retry-After`).
    pub retry_after: Option<i64>,
}

impl ApiError {
    /// An error with a status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            errors: ValidationErrors::new(),
            retry_after: None,
        }
    }
}

impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> Self {
        match error {
            ServiceError::Invalid(errors) => Self {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: "invalid",
                message: errors.to_string(),
                errors,
                retry_after: None,
            },
            ServiceError::NotFound(what) => Self::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("{what} not found"),
            ),
            ServiceError::Forbidden(why) => Self::new(StatusCode::FORBIDDEN, "forbidden", why),
            ServiceError::Unauthorized(why) => {
                Self::new(StatusCode::UNAUTHORIZED, "unauthorized", why)
            }
            ServiceError::TooManyAttempts { retry_after } => Self {
                retry_after: Some(retry_after),
                ..Self::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "too_many_requests",
                    if retry_after < 60 {
                        format!("Too many attempts. Try again in {retry_after} seconds.")
                    } else {
                        format!(
                            "Too many attempts. Try again in {} minutes.",
                            (retry_after + 59) / 60
                        )
                    },
                )
            },
            ServiceError::Conflict(why) => Self::new(StatusCode::CONFLICT, "conflict", why),
            ServiceError::Store(e) if e.is_unavailable() => {
                tracing::warn!(error = %e, "database unavailable");
                Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "The database is unavailable right now. Please try again in a few seconds.",
                )
            }
            ServiceError::Store(e) => internal(&e),
            ServiceError::Internal(e) => internal(&e),
        }
    }
}

fn internal(error: &dyn std::fmt::Display) -> ApiError {
    tracing::error!(%error, "internal error");
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "Something went wrong on our side.",
    )
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({
            "message": self.message,
            "code": self.code,
            "errors": self.errors,
        });
        let mut response = (self.status, Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            if let Ok(value) = axum::http::HeaderValue::from_str(&secs.max(1).to_string()) {
                response
                    .headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, value);
            }
        }
        response
    }
}

/// An error shown as a page.
#[derive(Debug)]
pub struct PageError {
    /// The HTTP status.
    pub status: StatusCode,
    /// What to tell the person.
    pub message: String,
}

#[derive(Template)]
#[template(path = "pages/error.html")]
struct ErrorPage<'a> {
    brand: &'a str,
    css: String,
    title: String,
    message: &'a str,
    /// Seconds after which the page reloads itself (a `503` on a `GET`).
    refresh: Option<u32>,
}

impl From<ServiceError> for PageError {
    fn from(error: ServiceError) -> Self {
        let api = ApiError::from(error);
        Self {
            status: api.status,
            message: api.message,
        }
    }
}

impl PageError {
    /// A page error.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }
}

/// A page error waiting to be rendered with the configured brand (see [`render_page_errors`]).
#[derive(Debug, Clone)]
struct PendingPage(String);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let mut response = (self.status, self.message.clone()).into_response();
        response.extensions_mut().insert(PendingPage(self.message));
        response
    }
}

/// Renders the page of every [`PageError`] with the brand name of the configuration.
pub async fn render_page_errors(
    axum::extract::State(state): axum::extract::State<super::AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let method = request.method().clone();
    let response = next.run(request).await;
    let Some(PendingPage(message)) = response.extensions().get::<PendingPage>().cloned() else {
        return response;
    };
    let status = response.status();
    let retry = state.config.limits.retry_after_secs;
    let refresh = (status == StatusCode::SERVICE_UNAVAILABLE).then_some(retry);
    render_error_page(&state, &method, status, &message, refresh).unwrap_or(response)
}

fn render_error_page(
    state: &super::AppState,
    method: &Method,
    status: StatusCode,
    message: &str,
    refresh: Option<u32>,
) -> Option<Response> {
    let refresh = refresh.filter(|_| super::overload::reloads(method));
    let message = match refresh {
        Some(_) => format!("{message} This page reloads by itself."),
        None => message.to_owned(),
    };
    let page = ErrorPage {
        brand: &state.config.brand.name,
        css: super::assets::asset_url("css/app.css"),
        title: match status {
            StatusCode::SERVICE_UNAVAILABLE => "Busy, retrying".to_owned(),
            _ => format!(
                "{} {}",
                status.as_u16(),
                status.canonical_reason().unwrap_or("Error")
            ),
        },
        message: &message,
        refresh,
    };
    page.render()
        .ok()
        .map(|html| (status, Html(html)).into_response())
}

/// The "busy, retrying" page of a request shed under load (`503`); a `GET` reloads itself
/// after `retry_after` seconds.
pub(super) fn busy_page(
    state: &super::AppState,
    method: &Method,
    retry_after: u32,
    message: &str,
) -> Response {
    let status = StatusCode::SERVICE_UNAVAILABLE;
    render_error_page(state, method, status, message, Some(retry_after))
        .unwrap_or_else(|| (status, message.to_owned()).into_response())
}

/// Unknown paths: JSON under `/api`, `/public/api` and `/platform/api` (with Chatwoot's
/// `error` beside Oxidesk's usual fields), a page elsewhere.
pub async fn not_found(uri: axum::http::Uri) -> Response {
    if super::api::compat::is_api_path(uri.path()) {
        let body = json!({
            "error": "Not found",
            "message": "No such endpoint",
            "code": "not_found",
            "errors": [],
        });
        (StatusCode::NOT_FOUND, Json(body)).into_response()
    } else {
        PageError::new(StatusCode::NOT_FOUND, "This page does not exist.").into_response()
    }
}
