//! Settings > Labels: list with a colour swatch (an SVG `fill`, since the CSP allows no inline
//! styles), create, edit, delete after a confirmation.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, Response};
use axum::routing::get;
use axum::{Form, Router};
use oxidesk_domain::{Label, LabelId};
use serde::Deserialize;

use super::forms::{Field, FieldErrors, saved, ticked, with_status};
use super::{Admin, ItemId, NavItem, back_to, confirm, nav};
use crate::http::pages::render;
use crate::http::ui::shell::{Member, Shell};
use crate::http::{AppState, PageError};
use crate::service::LabelFields;

pub(super) fn router() -> Router<AppState> {
    let base = "/app/accounts/{account_id}/settings/labels";
    Router::new()
        .route(base, get(list_labels).post(create_label))
        .route(
            &format!("{base}/{{id}}"),
            get(show_label).post(update_label),
        )
        .route(
            &format!("{base}/{{id}}/delete"),
            get(confirm_delete_label).post(delete_label),
        )
}

const FIELDS: &[Field] = &[
    ("title", "title", "Title"),
    ("description", "description", "Description"),
    ("color", "color", "Colour"),
];

/// The colour a new label starts with.
const DEFAULT_COLOR: &str = "#1f93ff";

/// The label form as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
struct LabelForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    color: String,
    #[serde(default)]
    show_on_sidebar: Option<String>,
}

impl LabelForm {
    fn new_label() -> Self {
        Self {
            color: DEFAULT_COLOR.into(),
            show_on_sidebar: Some("1".into()),
            ..Self::default()
        }
    }

    fn of(label: &Label) -> Self {
        Self {
            title: label.title.clone(),
            description: label.description.clone(),
            color: label.color.clone(),
            show_on_sidebar: label.show_on_sidebar.then(|| "1".into()),
            ..Self::default()
        }
    }

    fn fields(&self) -> LabelFields {
        LabelFields {
            title: Some(self.title.clone()),
            description: Some(self.description.clone()),
            color: Some(self.color.clone()),
            show_on_sidebar: ticked(&self.show_on_sidebar),
        }
    }

    /// The colour to preview: the typed one when it is a colour, the default otherwise (the
    /// swatch's `fill` never carries anything but `#rrggbb`).
    fn swatch(&self) -> String {
        swatch(&self.color)
    }
}

/// `color` when it is `#rrggbb`, the default colour otherwise.
fn swatch(color: &str) -> String {
    let valid = color.len() == 7
        && color.starts_with('#')
        && color[1..].chars().all(|c| c.is_ascii_hexdigit());
    if valid {
        color.to_ascii_lowercase()
    } else {
        DEFAULT_COLOR.into()
    }
}

/// One row of the label list.
struct LabelRow {
    href: String,
    title: String,
    description: String,
    color: String,
    show_on_sidebar: bool,
}

#[derive(Template)]
#[template(path = "pages/settings_labels.html")]
struct LabelsPage {
    shell: Shell,
    nav: Vec<NavItem>,
    rows: Vec<LabelRow>,
    form: LabelForm,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "pages/settings_label.html")]
struct LabelPage {
    shell: Shell,
    nav: Vec<NavItem>,
    id: i64,
    title: String,
    form: LabelForm,
    errors: FieldErrors,
    saved: bool,
}

async fn labels_page(
    state: &AppState,
    member: &Member,
    form: LabelForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let labels = state.services.labels(member.account_id()).await?;
    let rows = labels
        .into_iter()
        .map(|l| LabelRow {
            href: member.shell.url(&format!("/settings/labels/{}", l.id)),
            color: swatch(&l.color),
            title: l.title,
            description: l.description,
            show_on_sidebar: l.show_on_sidebar,
        })
        .collect();
    let page = LabelsPage {
        shell: member.shell.at("settings"),
        nav: nav(&member.shell, "labels"),
        rows,
        form,
        errors,
    };
    Ok(with_status(status, render(&page)?))
}

/// `GET /settings/labels`: the list and the form to create a label.
async fn list_labels(
    State(state): State<AppState>,
    Admin(member): Admin,
) -> Result<Response, PageError> {
    let (form, errors) = (LabelForm::new_label(), FieldErrors::none());
    labels_page(&state, &member, form, errors, StatusCode::OK).await
}

/// `POST /settings/labels`: creates a label.
async fn create_label(
    State(state): State<AppState>,
    Admin(member): Admin,
    headers: HeaderMap,
    Form(form): Form<LabelForm>,
) -> Result<Response, PageError> {
    member.signed_in.check_csrf(&headers, &form.csrf)?;
    let result = state
        .services
        .create_label_with(member.account_id(), &form.fields())
        .await;
    match result {
        Ok(_) => Ok(back_to(&member, "/settings/labels")),
        Err(e) => {
            let (status, errors) = FieldErrors::from_service(e, FIELDS)?;
            labels_page(&state, &member, form, errors, status).await
        }
    }
}

async fn label_page(
    state: &AppState,
    member: &Member,
    id: LabelId,
    shown: (Option<LabelForm>, FieldErrors, bool),
    status: StatusCode,
) -> Result<Response, PageError> {
    let label = state.services.label(member.account_id(), id).await?;
    let (form, errors, saved) = shown;
    let page = LabelPage {
        shell: member.shell.at("settings"),
        nav: nav(&member.shell, "labels"),
        id: label.id.get(),
        form: form.unwrap_or_else(|| LabelForm::of(&label)),
        title: label.title,
        errors,
        saved,
    };
    Ok(with_status(status, render(&page)?))
}

/// `GET /settings/labels/{id}`: the form to change a label.
async fn show_label(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let shown = (None, FieldErrors::none(), saved(&query));
    label_page(&state, &member, LabelId(id), shown, StatusCode::OK).await
}

/// `POST /settings/labels/{id}`: changes a label (a new title carries over to conversations).
async fn update_label(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    headers: HeaderMap,
    Form(form): Form<LabelForm>,
) -> Result<Response, PageError> {
    member.signed_in.check_csrf(&headers, &form.csrf)?;
    let result = state
        .services
        .update_label(member.account_id(), LabelId(id), &form.fields())
        .await;
    match result {
        Ok(_) => Ok(back_to(&member, &format!("/settings/labels/{id}?saved=1"))),
        Err(e) => {
            let (status, errors) = FieldErrors::from_service(e, FIELDS)?;
            let shown = (Some(form), errors, false);
            label_page(&state, &member, LabelId(id), shown, status).await
        }
    }
}

/// `GET /settings/labels/{id}/delete`: asks before deleting.
async fn confirm_delete_label(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
) -> Result<Html<String>, PageError> {
    let label = state
        .services
        .label(member.account_id(), LabelId(id))
        .await?;
    let path = format!("/settings/labels/{id}");
    confirm(
        &member,
        "labels",
        format!("Delete the label “{}”?", label.title),
        "Conversations keep the title; it is no longer offered as a label.".into(),
        member.shell.url(&format!("{path}/delete")),
        "Delete label",
        member.shell.url(&path),
    )
}

/// `POST /settings/labels/{id}/delete`: deletes the label.
async fn delete_label(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    headers: HeaderMap,
    Form(form): Form<LabelForm>,
) -> Result<Response, PageError> {
    member.signed_in.check_csrf(&headers, &form.csrf)?;
    state
        .services
        .delete_label(member.account_id(), LabelId(id))
        .await?;
    Ok(back_to(&member, "/settings/labels"))
}

#[cfg(test)]
mod tests {
    use super::swatch;

    #[test]
    fn swatches_carry_only_colours() {
        assert_eq!(swatch("#A1B2C3"), "#a1b2c3");
        assert_eq!(swatch("red\" onload=\"x"), "#1f93ff");
        assert_eq!(swatch("#12345g"), "#1f93ff");
        assert_eq!(swatch("#é1234"), "#1f93ff");
    }
}
