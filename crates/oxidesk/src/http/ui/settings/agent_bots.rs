//! Settings > Integrations > Agent bots: the account's bots (list, add), each bot's page (its
//! access token and signing secret, the form, the inboxes it serves, its delivery log), and
//! deletion after a confirmation.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use oxidesk_domain::bots::AgentBot;
use oxidesk_domain::{AgentBotId, InboxId, Timestamp, ValidationError};

use super::forms::{Field, FieldErrors, Pairs, When, saved, with_status};
use super::{Admin, ItemId, NavItem, back_to, confirm, nav};
use crate::http::pages::render;
use crate::http::ui::shell::{Member, Shell};
use crate::http::{AppState, PageError};
use crate::service::BotFields;

const SECTION: &str = "integrations/agent_bots";

pub(super) fn router() -> Router<AppState> {
    let base = "/app/accounts/{account_id}/settings/integrations/agent_bots";
    Router::new()
        .route(base, get(list_bots).post(create_bot))
        .route(&format!("{base}/{{id}}"), get(show_bot).post(update_bot))
        .route(&format!("{base}/{{id}}/inboxes"), post(set_inboxes))
        .route(
            &format!("{base}/{{id}}/delete"),
            get(confirm_delete_bot).post(delete_bot),
        )
}

const FIELDS: &[Field] = &[
    ("name", "name", "Name"),
    ("description", "description", "Description"),
    ("outgoing_url", "outgoing_url", "Webhook URL"),
];

/// The bot form as submitted.
#[derive(Debug, Clone, Default)]
struct BotForm {
    name: String,
    description: String,
    outgoing_url: String,
}

impl BotForm {
    fn from_pairs(pairs: &Pairs) -> Self {
        Self {
            name: pairs.first("name").to_owned(),
            description: pairs.first("description").to_owned(),
            outgoing_url: pairs.first("outgoing_url").to_owned(),
        }
    }

    fn of(b: &AgentBot) -> Self {
        Self {
            name: b.name.clone(),
            description: b.description.clone(),
            outgoing_url: b.outgoing_url.clone(),
        }
    }

    fn fields(&self) -> BotFields {
        BotFields {
            name: Some(self.name.clone()),
            description: Some(self.description.clone()),
            outgoing_url: Some(self.outgoing_url.clone()),
        }
    }
}

struct BotRow {
    href: String,
    name: String,
    outgoing_url: String,
    inboxes: usize,
}

struct InboxChoice {
    id: i64,
    name: String,
    checked: bool,
}

struct DeliveryRow {
    event: String,
    status: String,
    attempts: i64,
    response_code: String,
    error: String,
    at: When,
}

#[derive(Template)]
#[template(path = "pages/settings_agent_bots.html")]
struct BotsPage {
    shell: Shell,
    nav: Vec<NavItem>,
    rows: Vec<BotRow>,
    form: BotForm,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "pages/settings_agent_bot.html")]
struct BotPage {
    shell: Shell,
    nav: Vec<NavItem>,
    id: i64,
    title: String,
    access_token: String,
    secret: String,
    form: BotForm,
    errors: FieldErrors,
    saved: bool,
    inboxes: Vec<InboxChoice>,
    deliveries: Vec<DeliveryRow>,
}

async fn bots_page(
    state: &AppState,
    member: &Member,
    form: BotForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let account = member.account_id();
    let bots = state.services.agent_bots(account).await?;
    let mut rows = Vec::with_capacity(bots.len());
    for b in bots {
        rows.push(BotRow {
            href: member.shell.url(&format!("/settings/{SECTION}/{}", b.id)),
            inboxes: state.services.bot_inboxes(account, b.id).await?.len(),
            name: b.name,
            outgoing_url: b.outgoing_url,
        });
    }
    let page = BotsPage {
        shell: member.shell.at("settings"),
        nav: nav(&member.shell, SECTION),
        rows,
        form,
        errors,
    };
    Ok(with_status(status, render(&page)?))
}

/// `GET …/agent_bots`: the list and the form to add a bot.
async fn list_bots(
    State(state): State<AppState>,
    Admin(member): Admin,
) -> Result<Response, PageError> {
    let form = BotForm::default();
    bots_page(&state, &member, form, FieldErrors::none(), StatusCode::OK).await
}

/// `POST …/agent_bots`: adds a bot and shows its page (with its token).
async fn create_bot(
    State(state): State<AppState>,
    Admin(member): Admin,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let pairs = Pairs(pairs);
    member.signed_in.check_csrf(&headers, pairs.first("csrf"))?;
    let form = BotForm::from_pairs(&pairs);
    let result = state
        .services
        .save_agent_bot(member.account_id(), None, &form.fields())
        .await;
    match result {
        Ok(bot) => Ok(back_to(&member, &format!("/settings/{SECTION}/{}", bot.id))),
        Err(e) => {
            let (status, errors) = FieldErrors::from_service(e, FIELDS)?;
            bots_page(&state, &member, form, errors, status).await
        }
    }
}

async fn bot_page(
    state: &AppState,
    member: &Member,
    id: AgentBotId,
    shown: (Option<BotForm>, FieldErrors, bool),
    status: StatusCode,
) -> Result<Response, PageError> {
    let account = member.account_id();
    let bot = state.services.agent_bot(account, id).await?;
    let view = state.services.agent_bot_view(&bot, true);
    let served = state.services.bot_inboxes(account, id).await?;
    let inboxes = state
        .services
        .inboxes(account)
        .await?
        .into_iter()
        .map(|i| InboxChoice {
            id: i.id.get(),
            checked: served.contains(&i.id),
            name: i.name,
        })
        .collect();
    let deliveries = state
        .services
        .agent_bot_deliveries(account, id)
        .await?
        .into_iter()
        .map(|d| DeliveryRow {
            at: When::new(Timestamp::from(d.last_attempt_at.unwrap_or(d.created_at))),
            event: d.event,
            status: d.status,
            attempts: d.attempts,
            response_code: d.response_code.map(|c| c.to_string()).unwrap_or_default(),
            error: d.last_error.unwrap_or_default(),
        })
        .collect();
    let (form, errors, saved) = shown;
    let page = BotPage {
        shell: member.shell.at("settings"),
        nav: nav(&member.shell, SECTION),
        id: bot.id.get(),
        form: form.unwrap_or_else(|| BotForm::of(&bot)),
        title: bot.name,
        access_token: view.access_token.unwrap_or_default(),
        secret: view.secret.unwrap_or_default(),
        errors,
        saved,
        inboxes,
        deliveries,
    };
    Ok(with_status(status, render(&page)?))
}

/// `GET …/agent_bots/{id}`.
async fn show_bot(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let shown = (None, FieldErrors::none(), saved(&query));
    bot_page(&state, &member, AgentBotId(id), shown, StatusCode::OK).await
}

/// `POST …/agent_bots/{id}`: changes the bot.
async fn update_bot(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let pairs = Pairs(pairs);
    member.signed_in.check_csrf(&headers, pairs.first("csrf"))?;
    let form = BotForm::from_pairs(&pairs);
    let result = state
        .services
        .save_agent_bot(member.account_id(), Some(AgentBotId(id)), &form.fields())
        .await;
    match result {
        Ok(_) => Ok(back_to(
            &member,
            &format!("/settings/{SECTION}/{id}?saved=1"),
        )),
        Err(e) => {
            let (status, errors) = FieldErrors::from_service(e, FIELDS)?;
            let shown = (Some(form), errors, false);
            bot_page(&state, &member, AgentBotId(id), shown, status).await
        }
    }
}

/// `POST …/agent_bots/{id}/inboxes`: the inboxes the bot serves (the ticked `inbox_ids`).
async fn set_inboxes(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let pairs = Pairs(pairs);
    member.signed_in.check_csrf(&headers, pairs.first("csrf"))?;
    let inboxes: Result<Vec<InboxId>, _> = pairs
        .all("inbox_ids")
        .into_iter()
        .map(|v| v.parse::<i64>().map(InboxId))
        .collect();
    let result = match inboxes {
        Ok(inboxes) => {
            state
                .services
                .set_bot_inboxes(member.account_id(), AgentBotId(id), &inboxes)
                .await
        }
        Err(_) => Err(ValidationError::new("inbox_ids", "must be inboxes of the account").into()),
    };
    match result {
        Ok(()) => Ok(back_to(
            &member,
            &format!("/settings/{SECTION}/{id}?saved=1"),
        )),
        Err(e) => {
            let (status, errors) = FieldErrors::from_service(e, FIELDS)?;
            bot_page(
                &state,
                &member,
                AgentBotId(id),
                (None, errors, false),
                status,
            )
            .await
        }
    }
}

/// `GET …/agent_bots/{id}/delete`: asks before deleting.
async fn confirm_delete_bot(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
) -> Result<Html<String>, PageError> {
    let bot = state
        .services
        .agent_bot(member.account_id(), AgentBotId(id))
        .await?;
    let path = format!("/settings/{SECTION}/{id}");
    confirm(
        &member,
        SECTION,
        format!("Delete the agent bot “{}”?", bot.name),
        "Its token stops working at once and its inboxes go back to people only.".into(),
        member.shell.url(&format!("{path}/delete")),
        "Delete agent bot",
        member.shell.url(&path),
    )
}

/// `POST …/agent_bots/{id}/delete`.
async fn delete_bot(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    member
        .signed_in
        .check_csrf(&headers, Pairs(pairs).first("csrf"))?;
    state
        .services
        .delete_agent_bot(member.account_id(), AgentBotId(id))
        .await?;
    Ok(back_to(&member, &format!("/settings/{SECTION}")))
}
