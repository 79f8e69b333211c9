//! Settings > Teams: list, create, rename, members, delete after a confirmation.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use oxidesk_domain::{TeamId, UserId};
use serde::Deserialize;

use super::forms::{Field, FieldErrors, Pairs, saved, with_status};
use super::{
    Admin, ItemId, MemberChoice, NavItem, back_to, confirm, member_choices, nav, ticked_users,
};
use crate::http::pages::render;
use crate::http::ui::shell::{Member, Shell};
use crate::http::{AppState, PageError};
use crate::service::TeamFields;

pub(super) fn router() -> Router<AppState> {
    let base = "/app/accounts/{account_id}/settings/teams";
    Router::new()
        .route(base, get(list_teams).post(create_team))
        .route(&format!("{base}/{{id}}"), get(show_team).post(update_team))
        .route(&format!("{base}/{{id}}/members"), post(set_team_members))
        .route(
            &format!("{base}/{{id}}/delete"),
            get(confirm_delete_team).post(delete_team),
        )
}

const FIELDS: &[Field] = &[
    ("name", "name", "Name"),
    ("description", "description", "Description"),
];

/// The team form as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
struct TeamForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
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

async fn teams_page(
    state: &AppState,
    member: &Member,
    form: TeamForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let teams = state.services.teams(member.account_id()).await?;
    let rows = teams
        .into_iter()
        .map(|t| TeamRow {
            href: member.shell.url(&format!("/settings/teams/{}", t.id)),
            name: t.name,
            description: t.description,
        })
        .collect();
    let page = TeamsPage {
        shell: member.shell.at("settings"),
        nav: nav(&member.shell, "teams"),
        rows,
        form,
        errors,
    };
    Ok(with_status(status, render(&page)?))
}

/// `GET /settings/teams`: the list and the form to create a team.
async fn list_teams(
    State(state): State<AppState>,
    Admin(member): Admin,
) -> Result<Response, PageError> {
    let (form, errors) = (TeamForm::default(), FieldErrors::none());
    teams_page(&state, &member, form, errors, StatusCode::OK).await
}

/// `POST /settings/teams`: creates a team, then shows it (to add members).
async fn create_team(
    State(state): State<AppState>,
    Admin(member): Admin,
    headers: HeaderMap,
    Form(form): Form<TeamForm>,
) -> Result<Response, PageError> {
    member.signed_in.check_csrf(&headers, &form.csrf)?;
    let result = state
        .services
        .create_team_with(member.account_id(), &form.fields())
        .await;
    match result {
        Ok(team) => Ok(back_to(&member, &format!("/settings/teams/{}", team.id))),
        Err(e) => {
            let (status, errors) = FieldErrors::from_service(e, FIELDS)?;
            teams_page(&state, &member, form, errors, status).await
        }
    }
}

/// What a team page shows besides the saved team.
#[derive(Default)]
struct Shown {
    form: Option<TeamForm>,
    errors: FieldErrors,
    member_errors: FieldErrors,
    saved: bool,
}

async fn team_page(
    state: &AppState,
    member: &Member,
    id: TeamId,
    shown: Shown,
    status: StatusCode,
) -> Result<Response, PageError> {
    let account = member.account_id();
    let team = state.services.team(account, id).await?;
    let members: Vec<UserId> = state
        .services
        .team_members(account, id)
        .await?
        .into_iter()
        .map(|a| a.user.id)
        .collect();
    let page = TeamPage {
        shell: member.shell.at("settings"),
        nav: nav(&member.shell, "teams"),
        id: team.id.get(),
        form: shown.form.unwrap_or_else(|| TeamForm {
            name: team.name.clone(),
            description: team.description.clone(),
            ..TeamForm::default()
        }),
        title: team.name,
        errors: shown.errors,
        members: member_choices(state, member, &members).await?,
        member_errors: shown.member_errors,
        saved: shown.saved,
    };
    Ok(with_status(status, render(&page)?))
}

/// `GET /settings/teams/{id}`: the team's name, description and members.
async fn show_team(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let shown = Shown {
        saved: saved(&query),
        ..Shown::default()
    };
    team_page(&state, &member, TeamId(id), shown, StatusCode::OK).await
}

/// `POST /settings/teams/{id}`: renames the team or changes its description.
async fn update_team(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    headers: HeaderMap,
    Form(form): Form<TeamForm>,
) -> Result<Response, PageError> {
    member.signed_in.check_csrf(&headers, &form.csrf)?;
    let result = state
        .services
        .update_team(member.account_id(), TeamId(id), &form.fields())
        .await;
    match result {
        Ok(_) => Ok(back_to(&member, &format!("/settings/teams/{id}?saved=1"))),
        Err(e) => {
            let (status, errors) = FieldErrors::from_service(e, FIELDS)?;
            let shown = Shown {
                form: Some(form),
                errors,
                ..Shown::default()
            };
            team_page(&state, &member, TeamId(id), shown, status).await
        }
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
    let form = Pairs(pairs);
    member.signed_in.check_csrf(&headers, form.first("csrf"))?;
    let result = match ticked_users(&form) {
        Ok(users) => state
            .services
            .set_team_members(member.account_id(), TeamId(id), &users)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(back_to(&member, &format!("/settings/teams/{id}?saved=1"))),
        Err(e) => {
            let (status, member_errors) = FieldErrors::from_service(e, &[])?;
            let shown = Shown {
                member_errors,
                ..Shown::default()
            };
            team_page(&state, &member, TeamId(id), shown, status).await
        }
    }
}

/// `GET /settings/teams/{id}/delete`: asks before deleting.
async fn confirm_delete_team(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
) -> Result<Html<String>, PageError> {
    let team = state.services.team(member.account_id(), TeamId(id)).await?;
    let path = format!("/settings/teams/{id}");
    confirm(
        &member,
        "teams",
        format!("Delete the team “{}”?", team.name),
        "Its conversations lose the team and keep their assignee.".into(),
        member.shell.url(&format!("{path}/delete")),
        "Delete team",
        member.shell.url(&path),
    )
}

/// `POST /settings/teams/{id}/delete`: deletes the team.
async fn delete_team(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    headers: HeaderMap,
    Form(form): Form<TeamForm>,
) -> Result<Response, PageError> {
    member.signed_in.check_csrf(&headers, &form.csrf)?;
    state
        .services
        .delete_team(member.account_id(), TeamId(id))
        .await?;
    Ok(back_to(&member, "/settings/teams"))
}
