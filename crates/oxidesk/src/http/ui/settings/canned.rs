//! Settings > Canned responses: the account's saved replies (list, add, edit, delete after a
//! confirmation). Agents insert them in the composer by typing `/` and the short code
//! (`static/js/canned.js`).

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, Response};
use axum::routing::get;
use axum::{Form, Router};
use oxidesk_domain::CannedResponseId;
use oxidesk_domain::bots::CannedResponse;
use serde::Deserialize;

use super::forms::{Field, FieldErrors, saved, with_status};
use super::{Admin, ItemId, NavItem, back_to, confirm, nav};
use crate::http::pages::render;
use crate::http::ui::shell::{Member, Shell};
use crate::http::{AppState, PageError};
use crate::service::CannedFields;

pub(super) fn router() -> Router<AppState> {
    let base = "/app/accounts/{account_id}/settings/canned_responses";
    Router::new()
        .route(base, get(list_canned).post(create_canned))
        .route(
            &format!("{base}/{{id}}"),
            get(show_canned).post(update_canned),
        )
        .route(
            &format!("{base}/{{id}}/delete"),
            get(confirm_delete_canned).post(delete_canned),
        )
}

const FIELDS: &[Field] = &[
    ("short_code", "short_code", "Short code"),
    ("content", "content", "Content"),
];

/// The form as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
struct CannedForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    short_code: String,
    #[serde(default)]
    content: String,
}

impl CannedForm {
    fn of(c: &CannedResponse) -> Self {
        Self {
            short_code: c.short_code.clone(),
            content: c.content.clone(),
            ..Self::default()
        }
    }

    fn fields(&self) -> CannedFields {
        CannedFields {
            short_code: Some(self.short_code.clone()),
            content: Some(self.content.clone()),
        }
    }
}

/// One row of the list.
struct CannedRow {
    href: String,
    short_code: String,
    content: String,
}

#[derive(Template)]
#[template(path = "pages/settings_canned.html")]
struct CannedListPage {
    shell: Shell,
    nav: Vec<NavItem>,
    rows: Vec<CannedRow>,
    form: CannedForm,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "pages/settings_canned_one.html")]
struct CannedPage {
    shell: Shell,
    nav: Vec<NavItem>,
    id: i64,
    title: String,
    form: CannedForm,
    errors: FieldErrors,
    saved: bool,
}

/// The first line of `text`, cut to about 120 characters.
fn excerpt(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    let mut out: String = line.chars().take(120).collect();
    if out.len() < line.len() || text.lines().nth(1).is_some() {
        out.push('…');
    }
    out
}

async fn list_page(
    state: &AppState,
    member: &Member,
    form: CannedForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let list = state
        .services
        .canned_responses(member.account_id(), None)
        .await?;
    let rows = list
        .into_iter()
        .map(|c| CannedRow {
            href: member
                .shell
                .url(&format!("/settings/canned_responses/{}", c.id)),
            content: excerpt(&c.content),
            short_code: c.short_code,
        })
        .collect();
    let page = CannedListPage {
        shell: member.shell.at("settings"),
        nav: nav(&member.shell, "canned_responses"),
        rows,
        form,
        errors,
    };
    Ok(with_status(status, render(&page)?))
}

/// `GET /settings/canned_responses`: the list and the form to add one.
async fn list_canned(
    State(state): State<AppState>,
    Admin(member): Admin,
) -> Result<Response, PageError> {
    let form = CannedForm::default();
    list_page(&state, &member, form, FieldErrors::none(), StatusCode::OK).await
}

/// `POST /settings/canned_responses`: adds one.
async fn create_canned(
    State(state): State<AppState>,
    Admin(member): Admin,
    headers: HeaderMap,
    Form(form): Form<CannedForm>,
) -> Result<Response, PageError> {
    member.signed_in.check_csrf(&headers, &form.csrf)?;
    let result = state
        .services
        .save_canned_response(member.account_id(), None, &form.fields())
        .await;
    match result {
        Ok(_) => Ok(back_to(&member, "/settings/canned_responses")),
        Err(e) => {
            let (status, errors) = FieldErrors::from_service(e, FIELDS)?;
            list_page(&state, &member, form, errors, status).await
        }
    }
}

async fn one_page(
    state: &AppState,
    member: &Member,
    id: CannedResponseId,
    shown: (Option<CannedForm>, FieldErrors, bool),
    status: StatusCode,
) -> Result<Response, PageError> {
    let c = state
        .services
        .canned_response(member.account_id(), id)
        .await?;
    let (form, errors, saved) = shown;
    let page = CannedPage {
        shell: member.shell.at("settings"),
        nav: nav(&member.shell, "canned_responses"),
        id: c.id.get(),
        form: form.unwrap_or_else(|| CannedForm::of(&c)),
        title: format!("/{}", c.short_code),
        errors,
        saved,
    };
    Ok(with_status(status, render(&page)?))
}

/// `GET /settings/canned_responses/{id}`: the form to change one.
async fn show_canned(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let shown = (None, FieldErrors::none(), saved(&query));
    one_page(&state, &member, CannedResponseId(id), shown, StatusCode::OK).await
}

/// `POST /settings/canned_responses/{id}`: changes one.
async fn update_canned(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    headers: HeaderMap,
    Form(form): Form<CannedForm>,
) -> Result<Response, PageError> {
    member.signed_in.check_csrf(&headers, &form.csrf)?;
    let result = state
        .services
        .save_canned_response(
            member.account_id(),
            Some(CannedResponseId(id)),
            &form.fields(),
        )
        .await;
    match result {
        Ok(_) => Ok(back_to(
            &member,
            &format!("/settings/canned_responses/{id}?saved=1"),
        )),
        Err(e) => {
            let (status, errors) = FieldErrors::from_service(e, FIELDS)?;
            let shown = (Some(form), errors, false);
            one_page(&state, &member, CannedResponseId(id), shown, status).await
        }
    }
}

/// `GET /settings/canned_responses/{id}/delete`: asks before deleting.
async fn confirm_delete_canned(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
) -> Result<Html<String>, PageError> {
    let c = state
        .services
        .canned_response(member.account_id(), CannedResponseId(id))
        .await?;
    let path = format!("/settings/canned_responses/{id}");
    confirm(
        &member,
        "canned_responses",
        format!("Delete the canned response “/{}”?", c.short_code),
        "Agents can no longer insert it; messages already sent keep their text.".into(),
        member.shell.url(&format!("{path}/delete")),
        "Delete canned response",
        member.shell.url(&path),
    )
}

/// `POST /settings/canned_responses/{id}/delete`: deletes it.
async fn delete_canned(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    headers: HeaderMap,
    Form(form): Form<CannedForm>,
) -> Result<Response, PageError> {
    member.signed_in.check_csrf(&headers, &form.csrf)?;
    state
        .services
        .delete_canned_response(member.account_id(), CannedResponseId(id))
        .await?;
    Ok(back_to(&member, "/settings/canned_responses"))
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn excerpts_keep_the_first_line() {
        assert_eq!(excerpt("Hello"), "Hello");
        assert_eq!(excerpt("Hello\nthere"), "Hello…");
        assert_eq!(excerpt(&"é".repeat(130)).chars().count(), 121);
    }
}
