//! Settings > Agents: the account's members with their role and availability; adding one with
//! a password, changing a role, removing one after a confirmation.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use oxidesk_domain::{Role, UserId, ValidationError};
use serde::Deserialize;

use super::forms::{Field, FieldErrors, with_status};
use super::{Admin, ItemId, NavItem, back_to, confirm, nav};
use crate::http::pages::render;
use crate::http::ui::shell::{Member, Shell};
use crate::http::{AppState, PageError};
use crate::service::{AgentFields, ServiceError};

pub(super) fn router() -> Router<AppState> {
    let base = "/app/accounts/{account_id}/settings/agents";
    Router::new()
        .route(base, get(list_agents).post(create_agent))
        .route(&format!("{base}/{{id}}"), post(update_agent))
        .route(
            &format!("{base}/{{id}}/delete"),
            get(confirm_remove_agent).post(remove_agent),
        )
}

/// The fields of the form that adds an agent.
const FIELDS: &[Field] = &[
    ("name", "name", "Name"),
    ("email", "email", "Email"),
    ("role", "role", "Role"),
    ("password", "password", "Password"),
];

/// The form that adds an agent, or changes one's role (`role` alone).
#[derive(Debug, Clone, Default, Deserialize)]
struct AgentForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
}

/// One row of the agent list.
struct AgentRow {
    user_id: i64,
    name: String,
    email: String,
    role: &'static str,
    availability: &'static str,
    can_sign_in: bool,
    is_me: bool,
    /// The error of this row's role form.
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "pages/settings_agents.html")]
struct AgentsPage {
    shell: Shell,
    nav: Vec<NavItem>,
    rows: Vec<AgentRow>,
    roles: &'static [Role],
    form: AgentForm,
    errors: FieldErrors,
}

/// The list page; `row_error` is an error of one row's role form.
async fn agents_page(
    state: &AppState,
    member: &Member,
    form: AgentForm,
    errors: FieldErrors,
    row_error: Option<(UserId, String)>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let agents = state.services.agents(member.account_id()).await?;
    let rows = agents
        .into_iter()
        .map(|a| AgentRow {
            user_id: a.user.id.get(),
            error: row_error
                .as_ref()
                .filter(|(id, _)| *id == a.user.id)
                .map(|(_, m)| m.clone()),
            is_me: a.user.id == member.user().id,
            can_sign_in: a.user.confirmed,
            name: a.user.name,
            email: a.user.email,
            role: a.membership.role.as_str(),
            availability: a
                .membership
                .availability_status(oxidesk_domain::Timestamp::now())
                .as_str(),
        })
        .collect();
    let page = AgentsPage {
        shell: member.shell.at("settings"),
        nav: nav(&member.shell, "agents"),
        rows,
        roles: Role::ALL,
        form: AgentForm {
            password: String::new(),
            ..form
        },
        errors,
    };
    Ok(with_status(status, render(&page)?))
}

/// `GET /settings/agents`: the list and the form to add an agent.
async fn list_agents(
    State(state): State<AppState>,
    Admin(member): Admin,
) -> Result<Response, PageError> {
    let form = AgentForm {
        role: Role::Agent.as_str().into(),
        ..AgentForm::default()
    };
    agents_page(
        &state,
        &member,
        form,
        FieldErrors::none(),
        None,
        StatusCode::OK,
    )
    .await
}

/// `POST /settings/agents`: adds a person with a role (and a password for a new user).
async fn create_agent(
    State(state): State<AppState>,
    Admin(member): Admin,
    headers: HeaderMap,
    Form(form): Form<AgentForm>,
) -> Result<Response, PageError> {
    member.signed_in.check_csrf(&headers, &form.csrf)?;
    let fields = AgentFields {
        name: Some(form.name.clone()),
        email: Some(form.email.clone()),
        role: form.role.parse().ok(),
        password: Some(form.password.clone()).filter(|p| !p.is_empty()),
        ..AgentFields::default()
    };
    match state
        .services
        .create_agent(member.account_id(), &fields)
        .await
    {
        Ok(_) => Ok(back_to(&member, "/settings/agents")),
        Err(e) => {
            let (status, errors) = FieldErrors::from_service(e, FIELDS)?;
            agents_page(&state, &member, form, errors, None, status).await
        }
    }
}

/// `POST /settings/agents/{id}`: changes the agent's role.
async fn update_agent(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    headers: HeaderMap,
    Form(form): Form<AgentForm>,
) -> Result<Response, PageError> {
    member.signed_in.check_csrf(&headers, &form.csrf)?;
    let user = UserId(id);
    let fields = AgentFields {
        role: form.role.parse().ok(),
        ..AgentFields::default()
    };
    if fields.role.is_none() {
        let error = ValidationError::new("role", "must be agent or administrator");
        return row_failed(&state, &member, user, error.into()).await;
    }
    match state
        .services
        .update_agent(member.account_id(), user, &fields)
        .await
    {
        Ok(_) => Ok(back_to(&member, "/settings/agents")),
        Err(e) => row_failed(&state, &member, user, e).await,
    }
}

/// `GET /settings/agents/{id}/delete`: asks before removing.
async fn confirm_remove_agent(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
) -> Result<Html<String>, PageError> {
    let agent = state
        .services
        .agent(member.account_id(), UserId(id))
        .await?;
    confirm(
        &member,
        "agents",
        format!("Remove {} from {}?", agent.user.name, member.account.name),
        "Their conversations in this account become unassigned. Their user stays, with any other accounts they belong to.".into(),
        member.shell.url(&format!("/settings/agents/{id}/delete")),
        "Remove agent",
        member.shell.url("/settings/agents"),
    )
}

/// `POST /settings/agents/{id}/delete`: removes the agent from the account.
async fn remove_agent(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    headers: HeaderMap,
    Form(form): Form<AgentForm>,
) -> Result<Response, PageError> {
    member.signed_in.check_csrf(&headers, &form.csrf)?;
    let result = state
        .services
        .remove_agent(member.account_id(), member.user().id, UserId(id))
        .await;
    match result {
        Ok(()) => Ok(back_to(&member, "/settings/agents")),
        Err(e) => row_failed(&state, &member, UserId(id), e).await,
    }
}

/// The list again, with the error of one row's role change or removal shown on that row.
async fn row_failed(
    state: &AppState,
    member: &Member,
    user: UserId,
    error: ServiceError,
) -> Result<Response, PageError> {
    let (status, errors) = FieldErrors::from_service(error, &[])?;
    let message = errors.general_messages().join(" ");
    let fresh = AgentForm {
        role: Role::Agent.as_str().into(),
        ..AgentForm::default()
    };
    let none = FieldErrors::none();
    agents_page(state, member, fresh, none, Some((user, message)), status).await
}
