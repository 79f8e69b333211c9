//! `POST …/conversations/{display_id}/apps/{app_id}/actions`: the dashboard forwards an app's
//! protocol request (`{method, params}`, `static/js/app-host.js`) to the server, which checks
//! the app's scopes, acts for the signed-in agent and writes the audit log
//! (`service::app_actions`).
//!
//! Only the dashboard calls this, with the session and its CSRF token: an API token cannot act
//! as an app. The answer is `{ok: true, result}`, or `{ok: false, error: {code, message,
//! field?}}` with a 4xx status (403 for a missing scope or a right the agent lacks, 422 for
//! bad parameters, 404 for what is gone, 400 for an unknown method).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use oxidesk_domain::{DashboardApp, DashboardAppId};
use serde::Deserialize;
use serde_json::{Value, json};

use super::display_id;
use crate::http::ui::shell::Member;
use crate::http::{AppState, PageError};
use crate::service::{AppActionError, AppCall};

/// `{account_id}/conversations/{display_id}/apps/{app_id}/actions`.
#[derive(Debug, Deserialize)]
pub(super) struct ActionPath {
    display_id: String,
    app_id: String,
}

/// The most a request body may weigh (a note of 10,000 characters fits many times).
const MAX_BODY: usize = 256 * 1024;

fn failure(status: StatusCode, code: &str, message: &str, field: Option<&str>) -> Response {
    let mut error = json!({"code": code, "message": message});
    if let Some(field) = field {
        error["field"] = Value::String(field.to_owned());
    }
    (status, Json(json!({"ok": false, "error": error}))).into_response()
}

/// An app's request as the dashboard forwarded it: the app (of the member's account), the
/// method and its parameters.
pub(crate) struct AppRequest {
    pub app: DashboardApp,
    pub method: String,
    pub params: Value,
}

/// Checks the CSRF token and reads the request of the app `app_id` (a path segment); an answer
/// to send at once when it is not one.
pub(crate) async fn read_request(
    state: &AppState,
    member: &Member,
    headers: &HeaderMap,
    app_id: &str,
    body: &Bytes,
) -> Result<Result<AppRequest, Response>, PageError> {
    let csrf = headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    member.signed_in.check_csrf(headers, csrf)?;
    let Some(app_id) = app_id.parse::<i64>().ok().filter(|n| *n > 0) else {
        return Ok(Err(failure(
            StatusCode::NOT_FOUND,
            "not_found",
            "No such app",
            None,
        )));
    };
    if body.len() > MAX_BODY {
        return Ok(Err(failure(
            StatusCode::PAYLOAD_TOO_LARGE,
            "invalid_params",
            "The request is larger than 256 KB",
            Some("params"),
        )));
    }
    let request: Value = match serde_json::from_slice(body) {
        Ok(value @ Value::Object(_)) => value,
        _ => {
            return Ok(Err(failure(
                StatusCode::BAD_REQUEST,
                "invalid_params",
                "The body must be a JSON object {\"method\": ..., \"params\": {...}}",
                Some("body"),
            )));
        }
    };
    let Some(method) = request.get("method").and_then(Value::as_str) else {
        return Ok(Err(failure(
            StatusCode::BAD_REQUEST,
            "invalid_params",
            "method is required (a string such as \"labels.add\")",
            Some("method"),
        )));
    };
    let Ok(app) = state
        .services
        .dashboard_app(member.account_id(), DashboardAppId(app_id))
        .await
    else {
        return Ok(Err(failure(
            StatusCode::NOT_FOUND,
            "not_found",
            "No such app",
            None,
        )));
    };
    Ok(Ok(AppRequest {
        app,
        method: method.to_owned(),
        params: request.get("params").cloned().unwrap_or(Value::Null),
    }))
}

/// The answer to an action: `{ok: true, result}`, or the error with its status.
pub(crate) fn answer(outcome: Result<Value, AppActionError>) -> Response {
    match outcome {
        Ok(result) => Json(json!({"ok": true, "result": result})).into_response(),
        Err(error) => {
            let status = match &error {
                AppActionError::UnknownMethod(_) => StatusCode::BAD_REQUEST,
                AppActionError::MissingScope(_) | AppActionError::Forbidden(_) => {
                    StatusCode::FORBIDDEN
                }
                AppActionError::InvalidParams { .. } => StatusCode::UNPROCESSABLE_ENTITY,
                AppActionError::NotFound(_) => StatusCode::NOT_FOUND,
                AppActionError::Internal(message) => {
                    tracing::error!(%message, "dashboard app action failed");
                    StatusCode::INTERNAL_SERVER_ERROR
                }
            };
            failure(status, error.code(), &error.message(), error.field())
        }
    }
}

/// Runs an app's action for the signed-in agent.
pub(super) async fn post_action(
    State(state): State<AppState>,
    member: Member,
    Path(path): Path<ActionPath>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PageError> {
    let id = display_id(&path.display_id)?;
    let request = match read_request(&state, &member, &headers, &path.app_id, &body).await? {
        Ok(request) => request,
        Err(response) => return Ok(response),
    };
    let call = AppCall {
        app: &request.app,
        agent: member.user(),
        role: member.membership.role,
        conversation: id,
        method: &request.method,
        params: &request.params,
    };
    Ok(answer(
        state.services.app_action(member.account_id(), &call).await,
    ))
}
