//! What an agent bot's `api_access_token` reaches: as Chatwoot's bot tokens
//! (`AccessTokenAuthHelper::BOT_ACCESSIBLE_ENDPOINTS`), the few conversation actions a bot
//! needs to converse and hand over (conversation create, message create, `toggle_status`,
//! `toggle_priority`, update, custom attributes, assignments), and only on conversations of its
//! own account in inboxes it serves. Every other endpoint reads
//! the caller with [`super::extract::AccountCaller`], which knows only people's tokens, so a
//! bot's token gets 401 there (agents, settings, contacts, other accounts).

use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::StatusCode;
use axum::http::request::Parts;
use oxidesk_domain::bots::AgentBot;
use oxidesk_domain::{AccountId, DisplayId, InboxId, Sender, UserId};

use super::extract::AccountCaller;
use crate::http::session::token_header;
use crate::http::{ApiError, AppState};

/// Who acts on a conversation: a member of the account, or a bot of one of its inboxes.
#[derive(Debug, Clone)]
pub enum Actor {
    /// A person (token or session), with their role.
    Member(AccountCaller),
    /// An agent bot, by its own token.
    Bot(AgentBot),
}

/// The caller of a conversation action open to bots.
#[derive(Debug, Clone)]
pub struct ConversationCaller {
    /// The account of the path.
    pub account: AccountId,
    /// Who.
    pub actor: Actor,
}

impl ConversationCaller {
    /// The sender of a message the caller writes.
    pub fn sender(&self) -> Sender {
        match &self.actor {
            Actor::Member(m) => Sender::User(m.user.id),
            Actor::Bot(b) => Sender::AgentBot(b.id),
        }
    }

    /// The person acting, if a person acts (activity messages name them).
    pub fn user_id(&self) -> Option<UserId> {
        match &self.actor {
            Actor::Member(m) => Some(m.user.id),
            Actor::Bot(_) => None,
        }
    }
}

fn path_number(params: &RawPathParams, name: &str) -> Option<i64> {
    params
        .iter()
        .find(|(n, _)| *n == name)
        .and_then(|(_, v)| v.parse::<i64>().ok())
}

/// The caller of `POST conversations`: a member, or a bot of the account (whether the bot serves
/// the inbox of the new conversation is checked by the handler with [`AccountActor::serves`],
/// once the inbox is known).
#[derive(Debug, Clone)]
pub struct AccountActor(pub ConversationCaller);

impl AccountActor {
    /// Whether the caller may start a conversation in `inbox`: a member always (the service
    /// checks the rest), a bot only in an inbox it serves now.
    pub async fn serves(&self, state: &AppState, inbox: InboxId) -> Result<bool, ApiError> {
        Ok(match &self.0.actor {
            Actor::Member(_) => true,
            Actor::Bot(bot) => state
                .services
                .inbox_agent_bot(bot.account_id, inbox)
                .await?
                .is_some_and(|b| b.id == bot.id),
        })
    }
}

/// The bot of the token when it is one and the path's account is its own: `Ok(None)` for a
/// person's token (the caller is read as a member), 401 for another account's path.
async fn bot_of_account(
    parts: &mut Parts,
    state: &AppState,
) -> Result<Option<(AgentBot, RawPathParams)>, ApiError> {
    let bot = match token_header(&parts.headers).and_then(|v| v.to_str().ok()) {
        Some(token) => state.services.bot_for_token(token).await?,
        None => None,
    };
    let Some(bot) = bot else {
        return Ok(None);
    };
    let params = RawPathParams::from_request_parts(parts, state)
        .await
        .map_err(|_| ApiError::new(StatusCode::NOT_FOUND, "not_found", "No such endpoint"))?;
    let account = path_number(&params, "account_id").map(AccountId);
    if account != Some(bot.account_id) {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "You are not authorized to access this account",
        ));
    }
    Ok(Some((bot, params)))
}

impl FromRequestParts<AppState> for AccountActor {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let caller = match bot_of_account(parts, state).await? {
            Some((bot, _)) => ConversationCaller {
                account: bot.account_id,
                actor: Actor::Bot(bot),
            },
            None => {
                let member = AccountCaller::from_request_parts(parts, state).await?;
                ConversationCaller {
                    account: member.account,
                    actor: Actor::Member(member),
                }
            }
        };
        Ok(Self(caller))
    }
}

impl FromRequestParts<AppState> for ConversationCaller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some((bot, params)) = bot_of_account(parts, state).await? else {
            let member = AccountCaller::from_request_parts(parts, state).await?;
            return Ok(Self {
                account: member.account,
                actor: Actor::Member(member),
            });
        };
        let not_found =
            || ApiError::new(StatusCode::NOT_FOUND, "not_found", "conversation not found");
        let display = path_number(&params, "conversation_id").ok_or_else(not_found)?;
        let conversation = state
            .services
            .conversation(bot.account_id, DisplayId(display))
            .await?;
        let serves = state
            .services
            .inbox_agent_bot(bot.account_id, conversation.inbox_id)
            .await?
            .is_some_and(|b| b.id == bot.id);
        if !serves {
            return Err(not_found());
        }
        Ok(Self {
            account: bot.account_id,
            actor: Actor::Bot(bot),
        })
    }
}
