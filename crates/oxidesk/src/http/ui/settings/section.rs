//! One settings section of things an administrator lists, adds, edits and deletes (labels,
//! teams, canned responses, webhooks, agent bots): the six routes, the CSRF check, the
//! post/redirect/get and the form shown again with its errors are written once here; a section
//! says what its pages show and which use cases it calls ([`Section`]).
//!
//! | Route (under `/settings/{PATH}`) | What |
//! |---|---|
//! | `GET /` | the list and the form to add one |
//! | `POST /` | adds one, then shows it ([`Section::SHOW_CREATED`]) or the list |
//! | `GET /{id}` | its page (`?saved=1`: "Saved.") |
//! | `POST /{id}` | changes it, then its page with `?saved=1` |
//! | `GET, POST /{id}/delete` | asks; deletes, then the list |

use std::future::Future;

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, Response};
use axum::routing::get;
use axum::{Form, Router};
use oxidesk_domain::AccountId;

use super::forms::{Field, FieldErrors, Pairs, saved, with_status};
use super::{Admin, ItemId, back_to, confirm};
use crate::http::ui::shell::Member;
use crate::http::{AppState, PageError};
use crate::service::ServiceError;

/// What an item's page shows besides the saved item: the form shown again with its errors, the
/// errors of the page's second form (a team's members), or that a form was just saved.
pub(super) struct Shown<F> {
    /// The form as submitted, when shown again.
    pub form: Option<F>,
    /// The form's errors.
    pub errors: FieldErrors,
    /// The errors of the page's second form.
    pub other_errors: FieldErrors,
    /// Whether a form was just saved.
    pub saved: bool,
}

impl<F> Default for Shown<F> {
    fn default() -> Self {
        Self {
            form: None,
            errors: FieldErrors::none(),
            other_errors: FieldErrors::none(),
            saved: false,
        }
    }
}

/// What the confirmation before a deletion says.
pub(super) struct Deletion {
    /// The question, the page's title ("Delete the label “Bug”?").
    pub question: String,
    /// What deleting does.
    pub message: &'static str,
    /// The button's text.
    pub button: &'static str,
}

/// A settings section of items: its pages and its use cases. Ids are the path's `{id}`.
pub(super) trait Section: Send + Sync + 'static {
    /// Its path under `/settings`, which is also its key in the sub-navigation.
    const PATH: &'static str;
    /// The form's fields, for placing the service's errors.
    const FIELDS: &'static [Field];
    /// Whether a new item's page follows its creation (to go on there: members, a secret)
    /// rather than the list.
    const SHOW_CREATED: bool;
    /// The form as typed.
    type Form: Default + Send + Sync + 'static;

    /// The form as submitted.
    fn read(pairs: &Pairs) -> Self::Form;

    /// The empty form of the list page.
    fn new_form() -> Self::Form {
        Self::Form::default()
    }

    /// The list page, with the form to add one.
    fn list_page(
        state: &AppState,
        member: &Member,
        form: Self::Form,
        errors: FieldErrors,
    ) -> impl Future<Output = Result<Html<String>, PageError>> + Send;

    /// An item's page (404 when it is not the account's).
    fn item_page(
        state: &AppState,
        member: &Member,
        id: i64,
        shown: Shown<Self::Form>,
    ) -> impl Future<Output = Result<Html<String>, PageError>> + Send;

    /// Adds an item; its id.
    fn create(
        state: &AppState,
        account: AccountId,
        form: &Self::Form,
    ) -> impl Future<Output = Result<i64, ServiceError>> + Send;

    /// Changes an item.
    fn update(
        state: &AppState,
        account: AccountId,
        id: i64,
        form: &Self::Form,
    ) -> impl Future<Output = Result<(), ServiceError>> + Send;

    /// What the confirmation asks (404 when it is not the account's).
    fn deletion(
        state: &AppState,
        account: AccountId,
        id: i64,
    ) -> impl Future<Output = Result<Deletion, ServiceError>> + Send;

    /// Deletes an item.
    fn delete(
        state: &AppState,
        account: AccountId,
        id: i64,
    ) -> impl Future<Output = Result<(), ServiceError>> + Send;
}

/// The section's six routes; the section merges its other routes into this.
pub(super) fn routes<S: Section>() -> Router<AppState> {
    let base = format!("/app/accounts/{{account_id}}/settings/{}", S::PATH);
    Router::new()
        .route(&base, get(list::<S>).post(create::<S>))
        .route(&format!("{base}/{{id}}"), get(show::<S>).post(update::<S>))
        .route(
            &format!("{base}/{{id}}/delete"),
            get(confirm_delete::<S>).post(delete::<S>),
        )
}

/// The path of item `id` under the account (`/settings/labels/3`).
pub(super) fn item_path<S: Section>(id: i64) -> String {
    format!("/settings/{}/{id}", S::PATH)
}

/// Back to item `id`'s page saying "Saved.".
pub(super) fn back_saved<S: Section>(member: &Member, id: i64) -> Response {
    back_to(member, &format!("{}?saved=1", item_path::<S>(id)))
}

/// Item `id`'s page with `shown`, answered with `status`.
pub(super) async fn item_response<S: Section>(
    state: &AppState,
    member: &Member,
    id: i64,
    shown: Shown<S::Form>,
    status: StatusCode,
) -> Result<Response, PageError> {
    Ok(with_status(
        status,
        S::item_page(state, member, id, shown).await?,
    ))
}

/// The submitted form, once its CSRF token is checked.
pub(super) fn checked(
    member: &Member,
    headers: &HeaderMap,
    pairs: Vec<(String, String)>,
) -> Result<Pairs, PageError> {
    let pairs = Pairs(pairs);
    member.signed_in.check_csrf(headers, pairs.first("csrf"))?;
    Ok(pairs)
}

/// `GET /settings/{PATH}`.
async fn list<S: Section>(
    State(state): State<AppState>,
    Admin(member): Admin,
) -> Result<Html<String>, PageError> {
    S::list_page(&state, &member, S::new_form(), FieldErrors::none()).await
}

/// `POST /settings/{PATH}`.
async fn create<S: Section>(
    State(state): State<AppState>,
    Admin(member): Admin,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = S::read(&checked(&member, &headers, pairs)?);
    match S::create(&state, member.account_id(), &form).await {
        Ok(id) if S::SHOW_CREATED => Ok(back_to(&member, &item_path::<S>(id))),
        Ok(_) => Ok(back_to(&member, &format!("/settings/{}", S::PATH))),
        Err(e) => {
            let (status, errors) = FieldErrors::from_service(e, S::FIELDS)?;
            let html = S::list_page(&state, &member, form, errors).await?;
            Ok(with_status(status, html))
        }
    }
}

/// `GET /settings/{PATH}/{id}`.
async fn show<S: Section>(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    RawQuery(query): RawQuery,
) -> Result<Html<String>, PageError> {
    let shown = Shown {
        saved: saved(&query),
        ..Shown::default()
    };
    S::item_page(&state, &member, id, shown).await
}

/// `POST /settings/{PATH}/{id}`.
async fn update<S: Section>(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = S::read(&checked(&member, &headers, pairs)?);
    match S::update(&state, member.account_id(), id, &form).await {
        Ok(()) => Ok(back_saved::<S>(&member, id)),
        Err(e) => {
            let (status, errors) = FieldErrors::from_service(e, S::FIELDS)?;
            let shown = Shown {
                form: Some(form),
                errors,
                ..Shown::default()
            };
            item_response::<S>(&state, &member, id, shown, status).await
        }
    }
}

/// `GET /settings/{PATH}/{id}/delete`: asks before deleting.
async fn confirm_delete<S: Section>(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
) -> Result<Html<String>, PageError> {
    let asked = S::deletion(&state, member.account_id(), id).await?;
    let path = item_path::<S>(id);
    confirm(
        &member,
        S::PATH,
        asked.question,
        asked.message.into(),
        member.shell.url(&format!("{path}/delete")),
        asked.button,
        member.shell.url(&path),
    )
}

/// `POST /settings/{PATH}/{id}/delete`.
async fn delete<S: Section>(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    checked(&member, &headers, pairs)?;
    S::delete(&state, member.account_id(), id).await?;
    Ok(back_to(&member, &format!("/settings/{}", S::PATH)))
}
