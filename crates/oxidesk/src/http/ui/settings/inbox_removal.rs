//! Settings > Inboxes > an inbox: replacing its webhook secret and deleting it (with its
//! conversations), each after a confirmation.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use oxidesk_domain::InboxId;

use super::inboxes::InboxForm;
use super::{Admin, ItemId, back_to, confirm};
use crate::http::{AppState, PageError};

pub(super) fn router() -> Router<AppState> {
    let base = "/app/accounts/{account_id}/settings/inboxes";
    Router::new()
        .route(
            &format!("{base}/{{id}}/reset_secret"),
            get(confirm_reset_secret).post(reset_secret),
        )
        .route(
            &format!("{base}/{{id}}/delete"),
            get(confirm_delete_inbox).post(delete_inbox),
        )
}

/// `GET /settings/inboxes/{id}/reset_secret`: asks before replacing the webhook secret.
async fn confirm_reset_secret(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
) -> Result<axum::response::Html<String>, PageError> {
    let inbox = state
        .services
        .inbox(member.account_id(), InboxId(id))
        .await?;
    let path = format!("/settings/inboxes/{id}");
    confirm(
        &member,
        "inboxes",
        format!("Reset the webhook secret of “{}”?", inbox.name),
        "Deliveries to the webhook URL are signed with a new secret from now on: the receiver must verify them with the new one.".into(),
        member.shell.url(&format!("{path}/reset_secret")),
        "Reset secret",
        member.shell.url(&path),
    )
}

/// `POST /settings/inboxes/{id}/reset_secret`: gives the API inbox a new webhook secret.
async fn reset_secret(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    headers: HeaderMap,
    Form(form): Form<InboxForm>,
) -> Result<Response, PageError> {
    member.signed_in.check_csrf(&headers, &form.csrf)?;
    state
        .services
        .reset_inbox_secret(member.account_id(), InboxId(id))
        .await?;
    Ok(back_to(&member, &format!("/settings/inboxes/{id}?saved=1")))
}

/// `GET /settings/inboxes/{id}/delete`: asks before deleting.
async fn confirm_delete_inbox(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
) -> Result<axum::response::Html<String>, PageError> {
    let inbox = state
        .services
        .inbox(member.account_id(), InboxId(id))
        .await?;
    let path = format!("/settings/inboxes/{id}");
    confirm(
        &member,
        "inboxes",
        format!("Delete the inbox “{}”?", inbox.name),
        "Its conversations and their messages are deleted with it. This cannot be undone.".into(),
        member.shell.url(&format!("{path}/delete")),
        "Delete inbox",
        member.shell.url(&path),
    )
}

/// `POST /settings/inboxes/{id}/delete`: deletes the inbox.
async fn delete_inbox(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    headers: HeaderMap,
    Form(form): Form<InboxForm>,
) -> Result<Response, PageError> {
    member.signed_in.check_csrf(&headers, &form.csrf)?;
    state
        .services
        .delete_inbox(member.account_id(), InboxId(id))
        .await?;
    Ok(back_to(&member, "/settings/inboxes"))
}
