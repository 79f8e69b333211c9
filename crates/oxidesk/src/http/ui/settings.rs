//! The administrators' settings pages: inboxes, agents, teams, labels, custom attribute
//! definitions, canned responses, Integrations > Dashboard apps, Webhooks and Agent bots, one submodule each, plus the form helpers they
//! share with the contact pages.
//!
//! Every page is a plain HTML form that works without JavaScript: it posts to a route here with
//! the session's CSRF token in a hidden `csrf` field; success redirects (303, post/redirect/get),
//! a validation error renders the form again with the typed values and each field's message.
//! Deleting goes through a confirmation page.
//!
//! Only administrators see these pages: the [`Admin`] extractor answers the 404 page to agents
//! before any form is read, for every route, GET and POST alike.
//!
//! | Path (under `/app/accounts/{account_id}/settings`) | What |
//! |---|---|
//! | `GET /` | redirects to the inboxes |
//! | `GET, POST /inboxes` | list, create |
//! | `GET, POST /inboxes/{id}` | show (identifier, HMAC token), change |
//! | `POST /inboxes/{id}/members` | set the inbox's agents |
//! | `GET, POST /inboxes/{id}/reset_secret` | confirm, reset an API inbox's webhook secret |
//! | `GET, POST /inboxes/{id}/widget` | a website inbox's widget settings |
//! | `GET, POST /inboxes/{id}/delete` | confirm, delete |
//! | `GET, POST /agents` | list, add |
//! | `POST /agents/{id}` | change the role |
//! | `GET, POST /agents/{id}/delete` | confirm, remove |
//! | `GET, POST /teams`, `/teams/{id}`, `/teams/{id}/members`, `/teams/{id}/delete` | as inboxes |
//! | `GET, POST /labels`, `/labels/{id}`, `/labels/{id}/delete` | list, create, edit, delete |
//! | `GET, POST /attributes`, `/attributes/{id}/delete` | list, create, delete |
//! | `GET /integrations` | one card per integration (state, Configure) |
//! | `GET, POST /integrations/dashboard_apps` | list, add |
//! | `GET /integrations/dashboard_apps/new` | the form to add an app |
//! | `GET, POST /integrations/dashboard_apps/{id}`, `…/{id}/delete` | edit; confirm, delete |
//! | `GET /integrations/dashboard_apps/audit` | what apps did (filters: app, action, outcome) |
//! | `GET, POST /integrations/webhooks`, `/integrations/webhooks/{id}`, `…/{id}/delete` | list, add; edit with the secret and the delivery log; confirm, delete |
//! | `POST /integrations/webhooks/{id}/deliveries/{delivery}/redeliver` | send a delivery again |
//! | `GET, POST /canned_responses`, `/canned_responses/{id}`, `…/{id}/delete` | list, add, edit, delete |
//! | `GET, POST /integrations/agent_bots`, `…/{id}`, `…/{id}/delete` | list, add; edit with the token, secret and delivery log; confirm, delete |
//! | `POST /integrations/agent_bots/{id}/inboxes` | the inboxes the bot serves |
//! | `GET, POST /integrations/agent_bots/{id}/reset_token`, `…/reset_secret` | confirm, reset |

mod agent_bots;
mod agents;
mod app_audit;
mod app_preview;
mod app_settings_form;
mod attributes;
mod canned;
mod dashboard_apps;
pub(in crate::http::ui) mod forms;
mod inbox_removal;
mod inbox_widget;
mod inbox_widget_csat;
mod inbox_widget_form;
mod inboxes;
mod integrations;
mod labels;
mod section;
mod teams;
mod webhooks;

use askama::Template;
use axum::Router;
use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use oxidesk_domain::{UserId, ValidationError};

use self::forms::Pairs;

use super::shell::{Member, Shell};
use crate::http::pages::render;
use crate::http::{AppState, PageError};
use crate::service::ServiceError;

/// The settings sections, in the order of the sub-navigation: (path under `/settings`, label,
/// the heading of the group it belongs to).
const SECTIONS: &[(&str, &str, Option<&str>)] = &[
    ("inboxes", "Inboxes", None),
    ("agents", "Agents", None),
    ("teams", "Teams", None),
    ("labels", "Labels", None),
    ("canned_responses", "Canned responses", None),
    ("attributes", "Custom attributes", None),
    ("integrations", "All integrations", Some("Integrations")),
    (
        "integrations/dashboard_apps",
        "Dashboard apps",
        Some("Integrations"),
    ),
    ("integrations/webhooks", "Webhooks", Some("Integrations")),
    (
        "integrations/agent_bots",
        "Agent bots",
        Some("Integrations"),
    ),
];

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/app/accounts/{account_id}/settings", get(get_settings))
        .merge(inboxes::router())
        .merge(inbox_removal::router())
        .merge(inbox_widget::router())
        .merge(agents::router())
        .merge(teams::router())
        .merge(labels::router())
        .merge(attributes::router())
        .merge(app_audit::router())
        .merge(app_preview::router())
        .merge(dashboard_apps::router())
        .merge(integrations::router())
        .merge(webhooks::router())
        .merge(canned::router())
        .merge(agent_bots::router())
}

/// An administrator of the account in the path. Agents get the 404 page (settings do not exist
/// for them); without a session, the login.
#[derive(Debug, Clone)]
pub struct Admin(pub Member);

impl FromRequestParts<AppState> for Admin {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let member = Member::from_request_parts(parts, state).await?;
        member
            .require_admin()
            .map_err(IntoResponse::into_response)?;
        Ok(Admin(member))
    }
}

/// The `{id}` of a settings path, or the 404 page when it is not a number.
#[derive(Debug, Clone, Copy)]
pub struct ItemId(pub i64);

impl FromRequestParts<AppState> for ItemId {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let not_found =
            || PageError::new(StatusCode::NOT_FOUND, "This page does not exist.").into_response();
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| not_found())?;
        params
            .iter()
            .find(|(name, _)| *name == "id")
            .and_then(|(_, v)| v.parse::<i64>().ok())
            .filter(|id| *id > 0)
            .map(ItemId)
            .ok_or_else(not_found)
    }
}

/// One entry of the settings sub-navigation.
#[derive(Debug, Clone)]
pub struct NavItem {
    /// Where it leads.
    pub href: String,
    /// What it says.
    pub label: &'static str,
    /// Whether it is the page shown.
    pub current: bool,
    /// The heading shown before it, when it starts a group (Integrations).
    pub group: Option<&'static str>,
}

/// The settings sub-navigation, with the section shown highlighted.
pub fn nav(shell: &Shell, section: &str) -> Vec<NavItem> {
    let mut previous = None;
    SECTIONS
        .iter()
        .map(|(path, label, group)| {
            let starts_group = *group != previous;
            previous = *group;
            NavItem {
                href: shell.url(&format!("/settings/{path}")),
                label,
                current: *path == section,
                group: group.filter(|_| starts_group),
            }
        })
        .collect()
}

/// An agent of the account, ticked when in the inbox (or team).
struct MemberChoice {
    user_id: i64,
    name: String,
    email: String,
    checked: bool,
}

/// The agents of the account, ticked when among `members`.
async fn member_choices(
    state: &AppState,
    member: &Member,
    members: &[UserId],
) -> Result<Vec<MemberChoice>, PageError> {
    let agents = state.services.agents(member.account_id()).await?;
    Ok(agents
        .into_iter()
        .map(|a| MemberChoice {
            user_id: a.user.id.get(),
            checked: members.contains(&a.user.id),
            name: a.user.name,
            email: a.user.email,
        })
        .collect())
}

/// The user ids ticked in a members form; a value that is no number is a validation error.
fn ticked_users(form: &Pairs) -> Result<Vec<UserId>, ServiceError> {
    form.all("user_ids")
        .into_iter()
        .map(|v| {
            v.parse::<i64>().map(UserId).map_err(|_| {
                ValidationError::new("user_ids", "must all be members of the account").into()
            })
        })
        .collect()
}

/// `GET /settings`: the first section.
async fn get_settings(Admin(member): Admin) -> Redirect {
    Redirect::to(&member.shell.url("/settings/inboxes"))
}

/// The page that asks before deleting something.
#[derive(Template)]
#[template(path = "pages/settings_confirm.html")]
struct ConfirmPage {
    shell: Shell,
    nav: Vec<NavItem>,
    title: String,
    message: String,
    action: String,
    button: String,
    cancel: String,
}

/// Renders a confirmation page in `section`: `question` as its title, `message` below, a
/// button posting to `action`, and a link back to `cancel`.
fn confirm(
    member: &Member,
    section: &str,
    question: String,
    message: String,
    action: String,
    button: &str,
    cancel: String,
) -> Result<Html<String>, PageError> {
    render(&ConfirmPage {
        shell: member.shell.at("settings"),
        nav: nav(&member.shell, section),
        title: question,
        message,
        action,
        button: button.to_owned(),
        cancel,
    })
}

/// A 303 redirect to `path` under the account.
fn back_to(member: &Member, path: &str) -> Response {
    Redirect::to(&member.shell.url(path)).into_response()
}
