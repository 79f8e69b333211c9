//! Settings > Labels: list with a colour swatch (an SVG `fill`, since the CSP allows no inline
//! styles), create, edit, delete after a confirmation.

use askama::Template;
use axum::Router;
use axum::response::Html;
use oxidesk_domain::{AccountId, Label, LabelId};

use super::forms::{Field, FieldErrors, Pairs, ticked};
use super::section::{self, Deletion, Section, Shown};
use super::{NavItem, nav};
use crate::http::pages::render;
use crate::http::ui::shell::{Member, Shell};
use crate::http::{AppState, PageError};
use crate::service::{LabelFields, ServiceError};

pub(super) fn router() -> Router<AppState> {
    section::routes::<Labels>()
}

/// The colour a new label starts with.
const DEFAULT_COLOR: &str = "#1f93ff";

/// The label form as submitted.
#[derive(Debug, Clone, Default)]
struct LabelForm {
    title: String,
    description: String,
    color: String,
    show_on_sidebar: Option<String>,
}

impl LabelForm {
    fn of(label: &Label) -> Self {
        Self {
            title: label.title.clone(),
            description: label.description.clone(),
            color: label.color.clone(),
            show_on_sidebar: label.show_on_sidebar.then(|| "1".into()),
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

/// Settings > Labels.
struct Labels;

impl Section for Labels {
    const PATH: &'static str = "labels";
    const FIELDS: &'static [Field] = &[
        ("title", "title", "Title"),
        ("description", "description", "Description"),
        ("color", "color", "Colour"),
    ];
    const SHOW_CREATED: bool = false;
    type Form = LabelForm;

    fn read(pairs: &Pairs) -> LabelForm {
        LabelForm {
            title: pairs.first("title").to_owned(),
            description: pairs.first("description").to_owned(),
            color: pairs.first("color").to_owned(),
            show_on_sidebar: pairs.get("show_on_sidebar").map(str::to_owned),
        }
    }

    fn new_form() -> LabelForm {
        LabelForm {
            color: DEFAULT_COLOR.into(),
            show_on_sidebar: Some("1".into()),
            ..LabelForm::default()
        }
    }

    async fn list_page(
        state: &AppState,
        member: &Member,
        form: LabelForm,
        errors: FieldErrors,
    ) -> Result<Html<String>, PageError> {
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
        render(&LabelsPage {
            shell: member.shell.at("settings"),
            nav: nav(&member.shell, Self::PATH),
            rows,
            form,
            errors,
        })
    }

    async fn item_page(
        state: &AppState,
        member: &Member,
        id: i64,
        shown: Shown<LabelForm>,
    ) -> Result<Html<String>, PageError> {
        let label = state
            .services
            .label(member.account_id(), LabelId(id))
            .await?;
        render(&LabelPage {
            shell: member.shell.at("settings"),
            nav: nav(&member.shell, Self::PATH),
            id: label.id.get(),
            form: shown.form.unwrap_or_else(|| LabelForm::of(&label)),
            title: label.title,
            errors: shown.errors,
            saved: shown.saved,
        })
    }

    async fn create(
        state: &AppState,
        account: AccountId,
        form: &LabelForm,
    ) -> Result<i64, ServiceError> {
        let label = state
            .services
            .create_label_with(account, &form.fields())
            .await?;
        Ok(label.id.get())
    }

    /// A new title carries over to conversations.
    async fn update(
        state: &AppState,
        account: AccountId,
        id: i64,
        form: &LabelForm,
    ) -> Result<(), ServiceError> {
        let fields = form.fields();
        state
            .services
            .update_label(account, LabelId(id), &fields)
            .await?;
        Ok(())
    }

    async fn deletion(
        state: &AppState,
        account: AccountId,
        id: i64,
    ) -> Result<Deletion, ServiceError> {
        let label = state.services.label(account, LabelId(id)).await?;
        Ok(Deletion {
            question: format!("Delete the label “{}”?", label.title),
            message: "Conversations keep the title; it is no longer offered as a label.",
            button: "Delete label",
        })
    }

    async fn delete(state: &AppState, account: AccountId, id: i64) -> Result<(), ServiceError> {
        state.services.delete_label(account, LabelId(id)).await
    }
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
