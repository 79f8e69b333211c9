//! Settings > Canned responses: the account's saved replies (list, add, edit, delete after a
//! confirmation). Agents insert them in the composer by typing `/` and the short code
//! (`static/js/canned.js`).

use askama::Template;
use axum::Router;
use axum::response::Html;
use oxidesk_domain::bots::CannedResponse;
use oxidesk_domain::{AccountId, CannedResponseId};

use super::forms::{Field, FieldErrors, Pairs};
use super::section::{self, Deletion, Section, Shown};
use super::{NavItem, nav};
use crate::http::pages::render;
use crate::http::ui::shell::{Member, Shell};
use crate::http::{AppState, PageError};
use crate::service::{CannedFields, ServiceError};

pub(super) fn router() -> Router<AppState> {
    section::routes::<Canned>()
}

/// The form as submitted.
#[derive(Debug, Clone, Default)]
struct CannedForm {
    short_code: String,
    content: String,
}

impl CannedForm {
    fn of(c: &CannedResponse) -> Self {
        Self {
            short_code: c.short_code.clone(),
            content: c.content.clone(),
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

/// Settings > Canned responses.
struct Canned;

impl Section for Canned {
    const PATH: &'static str = "canned_responses";
    const FIELDS: &'static [Field] = &[
        ("short_code", "short_code", "Short code"),
        ("content", "content", "Content"),
    ];
    const SHOW_CREATED: bool = false;
    type Form = CannedForm;

    fn read(pairs: &Pairs) -> CannedForm {
        CannedForm {
            short_code: pairs.first("short_code").to_owned(),
            content: pairs.first("content").to_owned(),
        }
    }

    async fn list_page(
        state: &AppState,
        member: &Member,
        form: CannedForm,
        errors: FieldErrors,
    ) -> Result<Html<String>, PageError> {
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
        render(&CannedListPage {
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
        shown: Shown<CannedForm>,
    ) -> Result<Html<String>, PageError> {
        let c = state
            .services
            .canned_response(member.account_id(), CannedResponseId(id))
            .await?;
        render(&CannedPage {
            shell: member.shell.at("settings"),
            nav: nav(&member.shell, Self::PATH),
            id: c.id.get(),
            form: shown.form.unwrap_or_else(|| CannedForm::of(&c)),
            title: format!("/{}", c.short_code),
            errors: shown.errors,
            saved: shown.saved,
        })
    }

    async fn create(
        state: &AppState,
        account: AccountId,
        form: &CannedForm,
    ) -> Result<i64, ServiceError> {
        let fields = form.fields();
        let c = state
            .services
            .save_canned_response(account, None, &fields)
            .await?;
        Ok(c.id.get())
    }

    async fn update(
        state: &AppState,
        account: AccountId,
        id: i64,
        form: &CannedForm,
    ) -> Result<(), ServiceError> {
        let (id, fields) = (Some(CannedResponseId(id)), form.fields());
        state
            .services
            .save_canned_response(account, id, &fields)
            .await?;
        Ok(())
    }

    async fn deletion(
        state: &AppState,
        account: AccountId,
        id: i64,
    ) -> Result<Deletion, ServiceError> {
        let c = state
            .services
            .canned_response(account, CannedResponseId(id))
            .await?;
        Ok(Deletion {
            question: format!("Delete the canned response “/{}”?", c.short_code),
            message: "Agents can no longer insert it; messages already sent keep their text.",
            button: "Delete canned response",
        })
    }

    async fn delete(state: &AppState, account: AccountId, id: i64) -> Result<(), ServiceError> {
        let id = CannedResponseId(id);
        state.services.delete_canned_response(account, id).await
    }
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
