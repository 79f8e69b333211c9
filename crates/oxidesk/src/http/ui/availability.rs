//! The agent's own availability, chosen in the top bar of every page: `online`, `busy` or
//! `offline` in this account. It decides what website visitors see in the widget's header
//! (docs/widget.md, "The header: who is there") and is what Chatwoot's profile menu sets.

use axum::Router;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use oxidesk_domain::Availability;
use serde::Deserialize;

use super::shell::Member;
use crate::http::{AppState, PageError};

pub(super) fn router() -> Router<AppState> {
    Router::new().route(
        "/app/accounts/{account_id}/availability",
        post(set_availability),
    )
}

/// The top bar's form.
#[derive(Debug, Deserialize)]
struct AvailabilityForm {
    csrf: String,
    availability: String,
}

async fn set_availability(
    State(state): State<AppState>,
    member: Member,
    headers: HeaderMap,
    Form(form): Form<AvailabilityForm>,
) -> Result<Response, PageError> {
    member.signed_in.check_csrf(&headers, &form.csrf)?;
    let availability: Availability = form.availability.parse().map_err(|e| {
        PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("availability: {e}"),
        )
    })?;
    state
        .services
        .set_own_availability(member.user(), Some(member.account_id()), availability)
        .await?;
    Ok(Redirect::to(&back_to(&member, &headers)).into_response())
}

/// Back to the page the form was on (the `Referer`'s path, when it is a page of this account),
/// else the conversation list. Only a path is ever used: the redirect stays on this origin.
fn back_to(member: &Member, headers: &HeaderMap) -> String {
    let prefix = member.shell.url("/");
    let path = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| url::Url::parse(v).ok())
        .map(|u| match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_owned(),
        });
    match path {
        Some(path) if path.starts_with(&prefix) && !path.contains("//") => path,
        _ => member.shell.url("/conversations"),
    }
}
