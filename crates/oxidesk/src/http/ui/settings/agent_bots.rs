//! Settings > Integrations > Agent bots: the account's bots (list, add), each bot's page (its
//! access token and signing secret with their resets, the form, the inboxes it serves, its
//! delivery log), and deletion after a confirmation.

use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{Html, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use oxidesk_domain::bots::AgentBot;
use oxidesk_domain::{AccountId, AgentBotId, InboxId, Timestamp, ValidationError};

use super::forms::{Field, FieldErrors, Pairs, When};
use super::section::{self, Deletion, Section, Shown, back_saved, checked, item_response};
use super::{Admin, ItemId, NavItem, confirm, nav};
use crate::http::pages::render;
use crate::http::ui::shell::{Member, Shell};
use crate::http::{AppState, PageError};
use crate::service::{BotFields, ServiceError};

const SECTION: &str = "integrations/agent_bots";

pub(super) fn router() -> Router<AppState> {
    let base = "/app/accounts/{account_id}/settings/integrations/agent_bots";
    section::routes::<Bots>()
        .route(&format!("{base}/{{id}}/inboxes"), post(set_inboxes))
        .route(
            &format!("{base}/{{id}}/reset_token"),
            get(confirm_reset_token).post(reset_token),
        )
        .route(
            &format!("{base}/{{id}}/reset_secret"),
            get(confirm_reset_secret).post(reset_secret),
        )
}

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

/// Settings > Integrations > Agent bots: a new bot's page follows (with its token).
struct Bots;

impl Section for Bots {
    const PATH: &'static str = SECTION;
    const FIELDS: &'static [Field] = &[
        ("name", "name", "Name"),
        ("description", "description", "Description"),
        ("outgoing_url", "outgoing_url", "Webhook URL"),
    ];
    const SHOW_CREATED: bool = true;
    type Form = BotForm;

    fn read(pairs: &Pairs) -> BotForm {
        BotForm::from_pairs(pairs)
    }

    async fn list_page(
        state: &AppState,
        member: &Member,
        form: BotForm,
        errors: FieldErrors,
    ) -> Result<Html<String>, PageError> {
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
        render(&BotsPage {
            shell: member.shell.at("settings"),
            nav: nav(&member.shell, SECTION),
            rows,
            form,
            errors,
        })
    }

    async fn item_page(
        state: &AppState,
        member: &Member,
        id: i64,
        shown: Shown<BotForm>,
    ) -> Result<Html<String>, PageError> {
        let (account, id) = (member.account_id(), AgentBotId(id));
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
        render(&BotPage {
            shell: member.shell.at("settings"),
            nav: nav(&member.shell, SECTION),
            id: bot.id.get(),
            form: shown.form.unwrap_or_else(|| BotForm::of(&bot)),
            title: bot.name,
            access_token: view.access_token.unwrap_or_default(),
            secret: view.secret.unwrap_or_default(),
            errors: shown.errors,
            saved: shown.saved,
            inboxes,
            deliveries,
        })
    }

    async fn create(
        state: &AppState,
        account: AccountId,
        form: &BotForm,
    ) -> Result<i64, ServiceError> {
        let bot = state
            .services
            .save_agent_bot(account, None, &form.fields())
            .await?;
        Ok(bot.id.get())
    }

    async fn update(
        state: &AppState,
        account: AccountId,
        id: i64,
        form: &BotForm,
    ) -> Result<(), ServiceError> {
        let (id, fields) = (Some(AgentBotId(id)), form.fields());
        state.services.save_agent_bot(account, id, &fields).await?;
        Ok(())
    }

    async fn deletion(
        state: &AppState,
        account: AccountId,
        id: i64,
    ) -> Result<Deletion, ServiceError> {
        let bot = state.services.agent_bot(account, AgentBotId(id)).await?;
        Ok(Deletion {
            question: format!("Delete the agent bot “{}”?", bot.name),
            message: "Its token stops working at once and its inboxes go back to people only.",
            button: "Delete agent bot",
        })
    }

    async fn delete(state: &AppState, account: AccountId, id: i64) -> Result<(), ServiceError> {
        state
            .services
            .delete_agent_bot(account, AgentBotId(id))
            .await
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
    let pairs = checked(&member, &headers, pairs)?;
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
        Ok(()) => Ok(back_saved::<Bots>(&member, id)),
        Err(e) => {
            let (status, errors) = FieldErrors::from_service(e, Bots::FIELDS)?;
            let shown = Shown {
                errors,
                ..Shown::default()
            };
            item_response::<Bots>(&state, &member, id, shown, status).await
        }
    }
}

/// What a reset replaces: the access token or the signing secret.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Key {
    Token,
    Secret,
}

impl Key {
    fn path(self) -> &'static str {
        match self {
            Key::Token => "reset_token",
            Key::Secret => "reset_secret",
        }
    }
}

/// Asks before replacing the bot's `key`.
async fn confirm_reset(
    state: &AppState,
    member: &Member,
    id: i64,
    key: Key,
) -> Result<Html<String>, PageError> {
    let bot = state
        .services
        .agent_bot(member.account_id(), AgentBotId(id))
        .await?;
    let path = section::item_path::<Bots>(id);
    let (question, message, button) = match key {
        Key::Token => (
            format!("Reset the access token of “{}”?", bot.name),
            "The bot's current token is refused at once: give the bot the new one.",
            "Reset token",
        ),
        Key::Secret => (
            format!("Reset the secret of “{}”?", bot.name),
            "The bot's events are signed with a new secret from now on: the bot must verify them with the new one.",
            "Reset secret",
        ),
    };
    confirm(
        member,
        SECTION,
        question,
        message.into(),
        member.shell.url(&format!("{path}/{}", key.path())),
        button,
        member.shell.url(&path),
    )
}

/// Replaces the bot's `key` and shows its page with the new one.
async fn reset(
    state: &AppState,
    member: &Member,
    id: i64,
    headers: &HeaderMap,
    pairs: Vec<(String, String)>,
    key: Key,
) -> Result<Response, PageError> {
    checked(member, headers, pairs)?;
    let (account, bot) = (member.account_id(), AgentBotId(id));
    match key {
        Key::Token => state.services.reset_agent_bot_token(account, bot).await?,
        Key::Secret => state.services.reset_agent_bot_secret(account, bot).await?,
    };
    Ok(back_saved::<Bots>(member, id))
}

/// `GET …/agent_bots/{id}/reset_token`: asks before replacing the access token.
async fn confirm_reset_token(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
) -> Result<Html<String>, PageError> {
    confirm_reset(&state, &member, id, Key::Token).await
}

/// `POST …/agent_bots/{id}/reset_token`.
async fn reset_token(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    reset(&state, &member, id, &headers, pairs, Key::Token).await
}

/// `GET …/agent_bots/{id}/reset_secret`: asks before replacing the signing secret.
async fn confirm_reset_secret(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
) -> Result<Html<String>, PageError> {
    confirm_reset(&state, &member, id, Key::Secret).await
}

/// `POST …/agent_bots/{id}/reset_secret`.
async fn reset_secret(
    State(state): State<AppState>,
    Admin(member): Admin,
    ItemId(id): ItemId,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    reset(&state, &member, id, &headers, pairs, Key::Secret).await
}
