//! Settings > Integrations: one card per integration (what it does, how many are configured,
//! Configure), as Chatwoot's Integrations page, so the seeds' instructions ("open Settings >
//! Integrations and click Configure next to Dashboard Apps") can be followed word for word.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;

use super::forms::with_status;
use super::{Admin, NavItem, nav};
use crate::http::pages::render;
use crate::http::ui::shell::Shell;
use crate::http::{AppState, PageError};

pub(super) fn router() -> Router<AppState> {
    Router::new().route(
        "/app/accounts/{account_id}/settings/integrations",
        get(integrations_page),
    )
}

/// One integration's card.
struct Card {
    id: &'static str,
    name: &'static str,
    description: &'static str,
    /// "2 configured", "None configured yet".
    state: String,
    href: String,
}

#[derive(Template)]
#[template(path = "pages/settings_integrations.html")]
struct IntegrationsPage {
    shell: Shell,
    nav: Vec<NavItem>,
    cards: Vec<Card>,
}

fn configured(n: usize) -> String {
    match n {
        0 => "None configured yet".to_owned(),
        n => format!("{n} configured"),
    }
}

/// `GET /settings/integrations`.
async fn integrations_page(
    State(state): State<AppState>,
    Admin(member): Admin,
) -> Result<Response, PageError> {
    let account = member.account_id();
    let apps = state.services.dashboard_apps(account).await?.len();
    let webhooks = state.services.webhooks(account).await?.len();
    let bots = state.services.agent_bots(account).await?.len();
    let cards = vec![
        Card {
            id: "dashboard_apps",
            name: "Dashboard apps",
            description: "Show your own tools (orders, payments, CRM records) beside every \
                          conversation; each app receives the conversation, the contact and the \
                          agent.",
            state: configured(apps),
            href: member.shell.url("/settings/integrations/dashboard_apps"),
        },
        Card {
            id: "webhooks",
            name: "Webhooks",
            description: "Send conversation, message and contact events to your systems as \
                          signed HTTP requests, retried until they arrive.",
            state: configured(webhooks),
            href: member.shell.url("/settings/integrations/webhooks"),
        },
        Card {
            id: "agent_bots",
            name: "Agent bots",
            description: "Let a bot of your own answer an inbox first: it receives the inbox's \
                          events, replies with its own token and hands conversations to your \
                          team.",
            state: configured(bots),
            href: member.shell.url("/settings/integrations/agent_bots"),
        },
    ];
    let page = IntegrationsPage {
        shell: member.shell.at("settings"),
        nav: nav(&member.shell, "integrations"),
        cards,
    };
    Ok(with_status(StatusCode::OK, render(&page)?))
}
