//! Settings > Teams: list, create, rename, members, delete after a confirmation.

use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{Html, Response};
use axum::routing::post;
use axum::{Form, Router};
use oxidesk_domain::{AccountId, TeamId, UserId};

use super::forms::{Field, FieldErrors, Pairs};
use super::section::{self, Deletion, Section, Shown, back_saved, checked, item_response};
use super::{Admin, ItemId, MemberChoice, NavItem, member_choices, nav, ticked_users};
use crate::http::pages::render;
use crate::http::ui::shell::{Member, Shell};
use crate::http::{AppState, PageError};
use crate::service::{ServiceError, TeamFields};

pub(super) fn router() -> Router<AppState> {
    let base = "/app/accounts/{account_id}/settings/teams";
    section::routes::<Teams>().route(&format!("{base}/{{id}}/members"), post(set_team_members))
}

/// The team form as submitted.
#[derive(Debug, Clone, Default)]
struct TeamForm {
    name: String,
    description: String,
}

impl TeamForm {
    fn fields(&self) -> TeamFields {
        TeamFields {
            name: Some(self.name.clone()),
            description: Some(self.description.clone()),
            allow_auto_assign: None,
        }
    }
}

/// One row of the team list.
struct TeamRow {
    href: String,
    name: String,
    description: String,
}

#[derive(Template)]
#[template(path = "pages/settings_teams.html")]
struct TeamsPage {
    shell: Shell,
    nav: Vec<NavItem>,
    rows: Vec<TeamRow>,
    form: TeamForm,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "pages/settings_team.html")]
struct TeamPage {
    shell: Shell,
    nav: Vec<NavItem>,
    id: i64,
    title: String,
    form: TeamForm,
    errors: FieldErrors,
    members: Vec<MemberChoice>,
    member_errors: FieldErrors,
    saved: bool,
}

/// Settings > Teams: a new team's page follows (to add members).
struct Teams;

impl Section for Teams {
    const PATH: &'static str = "teams";
    const FIELDS: &'static [Field] = &[
        ("name", "name", "Name"),
        ("description", "description", "Description"),
    ];
    const SHOW_CREATED: bool = true;
    type Form = TeamForm;

    fn read(pairs: &Pairs) -> TeamForm {
        TeamForm {
            name: pairs.first("name").to_owned(),
            description: pairs.first("description").to_owned(),
        }
    }

    async fn list_page(
        state: &AppState,
        member: &Member,
        form: TeamForm,
        errors: FieldErrors,
    ) -> Result<Html<String>, PageError> {
        let teams = state.services.teams(member.account_id()).await?;
        let rows = teams
            .into_iter()
            .map(|t| TeamRow {
                href: member.shell.url(&format!("/settings/teams/{}", t.id)),
                name: t.name,
                description: t.description,
            })
            .collect();
        render(&TeamsPage {
            shell: member.shell.at("settings"),
            nav: nav(&member.shell, Self::PATH),
            rows,
            form,
            errors,
        })
    }

    /// The team's name, description and members.
    async fn item_page(
        state: &AppState,
        member: &Member,
        id: i64,
        shown: Shown<TeamForm>,
    ) -> Result<Html<String>, PageError> {
        let (account, id) = (member.account_id(), TeamId(id));
        let team = state.services.team(account, id).await?;
        let members: Vec<UserId> = state
            .services
            .team_members(account, id)
            .await?
            .into_iter()
            .map(|a| a.user.id)
            .collect();
        render(&TeamPage {
            shell: member.shell.at("settings"),
            nav: nav(&member.shell, Self::PATH),
            id: team.id.get(),
            form: shown.form.unwrap_or_else(|| TeamForm {
                name: team.name.clone(),
                description: team.description.clone(),
            }),
            title: team.name,
            errors: shown.errors,
            members: member_choices(state, member, &members).await?,
            member_errors: shown.other_errors,
            saved: shown.saved,
        })
    }

    async fn create(
        state: &AppState,
        account: AccountId,
        form: &TeamForm,
    ) -> Result<i64, ServiceError> {
        let team = state
            .services
            .create_team_with(account, &form.fields())
            .await?;
        Ok(team.id.get())
    }

    /// Renames the team or changes its description.
    async fn update(
        state: &AppState,
        account: AccountId,
        id: i64,
        form: &TeamForm,
    ) -> Result<(), ServiceError> {
        let fields = form.fields();
        state
            .services
            .update_team(account, TeamId(id), &fields)
            .await?;
        Ok(())
    }

    async fn deletion(
        state: &AppState,
        account: AccountId,
        id: i64,
    ) -> Result<Deletion, ServiceError> {
        let team = state.services.team(account, TeamId(id)).await?;
        Ok(Deletion {
            question: format!("Delete the team “{}”?", team.name),
            message: "Its conversations lose the team and keep their assignee.",
            button: "Delete team",
        })
    }

    async fn delete(state: &AppState, account: AccountId, id: i64) -> Result<(), ServiceError> {
        state.services.delete_team(account, TeamId(id)).await
    }
}

/// `POST /settings/teams/{id}/members`: makes the ticked agents the team's members.
async fn set_team_members(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked(&member, &headers, pairs)?;
    let result = match ticked_users(&form) {
        Ok(users) => state
            .services
            .set_team_members(member.account_id(), TeamId(id), &users)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(back_saved::<Teams>(&member, id)),
        Err(e) => {
            let (status, other_errors) = FieldErrors::from_service(e, &[])?;
            let shown = Shown {
                other_errors,
                ..Shown::default()
            };
            item_response::<Teams>(&state, &member, id, shown, status).await
        }
    }
}
