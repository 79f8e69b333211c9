//! Agent bots: their use cases, the bot's token, and which inbox a bot
//! serves. A bot's events go out through the webhook outbox (`crate::webhooks::dispatch`).

use oxidesk_domain::bots::{self as rules, AgentBot};
use oxidesk_domain::{
    AccountId, AgentBotId, Conversation, ConversationStatus, InboxId, Timestamp, ValidationErrors,
};
use oxidesk_store::BotKeys;
use serde::Serialize;
use utoipa::ToSchema;

use super::{ServiceError, Services, found};
use crate::secrets;
use crate::webhooks::secret;

/// An agent bot as the API shows it (Chatwoot's `agent_bot`). The access token and the
/// signing secret only for administrators, as in Chatwoot.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct AgentBotView {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// What it does.
    pub description: String,
    /// Avatar URL (always empty: no avatars yet).
    pub thumbnail: String,
    /// Where its inboxes' events are posted.
    pub outgoing_url: String,
    /// Always `webhook`.
    pub bot_type: String,
    /// Always `{}`.
    #[schema(value_type = Object)]
    pub bot_config: serde_json::Value,
    /// The account.
    pub account_id: i64,
    /// Never a system bot.
    pub system_bot: bool,
    /// Its `api_access_token` (administrators only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    /// The secret its events are signed with (administrators only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// What bot create and update take; `None` keeps the current value.
#[derive(Debug, Clone, Default)]
pub struct BotFields {
    /// Name.
    pub name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Outgoing URL.
    pub outgoing_url: Option<String>,
}

pub(super) fn pick<T>(
    errors: &mut ValidationErrors,
    given: Option<&String>,
    current: Option<T>,
    rule: fn(&str) -> Result<T, oxidesk_domain::ValidationError>,
    field: &str,
) -> Option<T> {
    match (given, current) {
        (Some(v), _) => errors.check(rule(v)),
        (None, Some(c)) => Some(c),
        (None, None) => {
            errors.push(field, "is required");
            None
        }
    }
}

impl Services {
    /// The API's view of a bot; `admin` adds its token and secret.
    pub fn agent_bot_view(&self, bot: &AgentBot, admin: bool) -> AgentBotView {
        let open = |sealed: &str| secret::open(&self.secret_key, sealed).unwrap_or_default();
        AgentBotView {
            id: bot.id.get(),
            name: bot.name.clone(),
            description: bot.description.clone(),
            thumbnail: String::new(),
            outgoing_url: bot.outgoing_url.clone(),
            bot_type: "webhook".into(),
            bot_config: serde_json::json!({}),
            account_id: bot.account_id.get(),
            system_bot: false,
            access_token: admin.then(|| open(&bot.sealed_token)),
            secret: admin.then(|| open(&bot.sealed_secret)),
        }
    }

    /// The account's bots, oldest first.
    pub async fn agent_bots(&self, account: AccountId) -> Result<Vec<AgentBot>, ServiceError> {
        Ok(self.store.agent_bots(account).await?)
    }

    /// One of the account's bots.
    pub async fn agent_bot(
        &self,
        account: AccountId,
        id: AgentBotId,
    ) -> Result<AgentBot, ServiceError> {
        found(self.store.agent_bot(account, id).await, "agent bot")
    }

    /// Adds a bot (with a new token and secret), or changes one (with `id`).
    pub async fn save_agent_bot(
        &self,
        account: AccountId,
        id: Option<AgentBotId>,
        fields: &BotFields,
    ) -> Result<AgentBot, ServiceError> {
        let current = match id {
            Some(id) => Some(self.agent_bot(account, id).await?),
            None => None,
        };
        let mut errors = ValidationErrors::new();
        let name = pick(
            &mut errors,
            fields.name.as_ref(),
            current.as_ref().map(|b| b.name.clone()),
            rules::bot_name,
            "name",
        );
        let keep = |v: Option<String>| v.or(Some(String::new()));
        let description = pick(
            &mut errors,
            fields.description.as_ref(),
            keep(current.as_ref().map(|b| b.description.clone())),
            rules::bot_description,
            "description",
        );
        let url = pick(
            &mut errors,
            fields.outgoing_url.as_ref(),
            keep(current.as_ref().map(|b| b.outgoing_url.clone())),
            rules::outgoing_url,
            "outgoing_url",
        );
        errors.into_result()?;
        let (Some(name), Some(description), Some(url)) = (name, description, url) else {
            return Err(ServiceError::Internal("unchecked agent bot".into()));
        };
        let now = Timestamp::now();
        let bot = match id {
            Some(id) => {
                self.store
                    .update_agent_bot(account, id, &name, &description, &url, now)
                    .await?
            }
            None => {
                let (token_hash, sealed_token) = self.new_bot_token();
                let keys = BotKeys {
                    token_hash,
                    sealed_token,
                    sealed_secret: self.new_bot_secret(),
                };
                self.store
                    .insert_agent_bot(account, &name, &description, &url, &keys, now)
                    .await?
            }
        };
        Ok(bot)
    }

    /// A new bot access token: its hash (for lookup) and the token sealed.
    fn new_bot_token(&self) -> (String, String) {
        let token = format!("oxb_{}", secrets::random_token(32));
        (
            secrets::sha256_hex(&token),
            secret::seal(&self.secret_key, &token),
        )
    }

    /// A new bot signing secret, sealed.
    fn new_bot_secret(&self) -> String {
        secret::seal(&self.secret_key, &secrets::random_token(24))
    }

    /// Gives a bot a new access token; the old one is refused from this moment (bot tokens
    /// are looked up on every request, not cached).
    pub async fn reset_agent_bot_token(
        &self,
        account: AccountId,
        id: AgentBotId,
    ) -> Result<AgentBot, ServiceError> {
        let (hash, sealed) = self.new_bot_token();
        let at = Timestamp::now();
        found(
            self.store
                .reset_agent_bot_token(account, id, &hash, &sealed, at)
                .await,
            "agent bot",
        )
    }

    /// Gives a bot a new signing secret; deliveries written from now on are signed with it.
    pub async fn reset_agent_bot_secret(
        &self,
        account: AccountId,
        id: AgentBotId,
    ) -> Result<AgentBot, ServiceError> {
        let sealed = self.new_bot_secret();
        found(
            self.store
                .reset_agent_bot_secret(account, id, &sealed, Timestamp::now())
                .await,
            "agent bot",
        )
    }

    /// Deletes a bot; its inboxes are left without one.
    pub async fn delete_agent_bot(
        &self,
        account: AccountId,
        id: AgentBotId,
    ) -> Result<(), ServiceError> {
        found(self.store.delete_agent_bot(account, id).await, "agent bot")
    }

    /// The bot an `api_access_token` belongs to, if it is a bot's.
    pub async fn bot_for_token(&self, token: &str) -> Result<Option<AgentBot>, ServiceError> {
        let token = token.trim();
        if !token.starts_with("oxb_") {
            return Ok(None);
        }
        match self
            .store
            .agent_bot_by_token_hash(&secrets::sha256_hex(token))
            .await
        {
            Ok(bot) => Ok(Some(bot)),
            Err(oxidesk_store::StoreError::NotFound) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// The bot of one of the account's inboxes.
    pub async fn inbox_agent_bot(
        &self,
        account: AccountId,
        inbox: InboxId,
    ) -> Result<Option<AgentBot>, ServiceError> {
        found(self.store.inbox(account, inbox).await, "inbox")?;
        Ok(self.store.inbox_agent_bot(account, inbox).await?)
    }

    /// Gives one of the account's inboxes a bot of the account, or none.
    pub async fn set_inbox_agent_bot(
        &self,
        account: AccountId,
        inbox: InboxId,
        bot: Option<AgentBotId>,
    ) -> Result<(), ServiceError> {
        found(self.store.inbox(account, inbox).await, "inbox")?;
        if let Some(bot) = bot {
            if self.store.agent_bot(account, bot).await.is_err() {
                return Err(oxidesk_domain::ValidationError::new(
                    "agent_bot",
                    "is not an agent bot of this account",
                )
                .into());
            }
        }
        self.store
            .set_inbox_agent_bot(account, inbox, bot, Timestamp::now())
            .await?;
        Ok(())
    }

    /// The inboxes `bot` serves.
    pub async fn bot_inboxes(
        &self,
        account: AccountId,
        bot: AgentBotId,
    ) -> Result<Vec<InboxId>, ServiceError> {
        let pairs = self.store.agent_bot_inboxes(account).await?;
        Ok(pairs
            .into_iter()
            .filter(|(_, b)| *b == bot)
            .map(|(i, _)| i)
            .collect())
    }

    /// Makes `bot` serve exactly `inboxes` (taking them from any other bot); the inboxes it
    /// served and is no longer given are left without a bot.
    pub async fn set_bot_inboxes(
        &self,
        account: AccountId,
        bot: AgentBotId,
        inboxes: &[InboxId],
    ) -> Result<(), ServiceError> {
        self.agent_bot(account, bot).await?;
        for inbox in self.bot_inboxes(account, bot).await? {
            if !inboxes.contains(&inbox) {
                self.set_inbox_agent_bot(account, inbox, None).await?;
            }
        }
        for inbox in inboxes {
            self.set_inbox_agent_bot(account, *inbox, Some(bot)).await?;
        }
        Ok(())
    }

    /// The newest deliveries to a bot (at most 100), newest first.
    pub async fn agent_bot_deliveries(
        &self,
        account: AccountId,
        bot: AgentBotId,
    ) -> Result<Vec<crate::webhooks::DeliveryView>, ServiceError> {
        self.agent_bot(account, bot).await?;
        let rows = self
            .store
            .agent_bot_deliveries(account, bot.get(), 100)
            .await?;
        Ok(rows.iter().map(Into::into).collect())
    }

    /// After an incoming message reopened `after` (it was `before`): in a bot's inbox it is
    /// `pending` again instead of `open`, as Chatwoot reopens it for the bot.
    pub(crate) async fn reopened_for_bot(
        &self,
        before: ConversationStatus,
        mut after: Conversation,
        incoming: bool,
        at: Timestamp,
    ) -> Result<Conversation, ServiceError> {
        let reopened = incoming
            && before != ConversationStatus::Open
            && after.status == ConversationStatus::Open;
        if reopened
            && self
                .store
                .inbox_agent_bot(after.account_id, after.inbox_id)
                .await?
                .is_some()
        {
            after.set_status(ConversationStatus::Pending, None, at)?;
            after.updated_at = at;
            // Only if it is still open: a status someone set since the message is kept.
            let written = self
                .store
                .set_conversation_status(after.id, ConversationStatus::Open, after.status, None, at)
                .await?;
            if !written {
                return Ok(self.store.conversation(after.id).await?);
            }
        }
        Ok(after)
    }

    /// The status a new conversation of `inbox` starts with: `pending` instead of `open` when
    /// the inbox has a bot, as in Chatwoot (the bot has it until it hands it to a person).
    pub(crate) async fn status_for_inbox(
        &self,
        account: AccountId,
        inbox: InboxId,
        asked: ConversationStatus,
    ) -> Result<ConversationStatus, ServiceError> {
        if asked == ConversationStatus::Open
            && self.store.inbox_agent_bot(account, inbox).await?.is_some()
        {
            Ok(ConversationStatus::Pending)
        } else {
            Ok(asked)
        }
    }
}
