//! Inboxes (API channel and website widget) and the agents who work in them.

use oxidesk_domain::widget::{WebWidgetInput, apply_web_widget};
use oxidesk_domain::{
    AccountId, Agent, Channel, ChannelType, Inbox, InboxId, Timestamp, UserId, ValidationErrors,
    validate,
};
use serde_json::json;

use super::{MAX_LIST, distinct, members_only};
use crate::secrets;
use crate::service::{ServiceError, Services, found};

/// An inbox's settings as a request gives them: `None` keeps the current value (or takes the
/// default when creating).
#[derive(Debug, Clone, Default)]
pub struct InboxFields {
    /// The name (required when creating).
    pub name: Option<String>,
    /// Whether new conversations are assigned automatically (default true).
    pub enable_auto_assignment: Option<bool>,
    /// Where outgoing messages are posted; `Some(None)` (or a blank URL) removes it.
    pub webhook_url: Option<Option<String>>,
    /// Whether contacts must prove their identity (default false).
    pub hmac_mandatory: Option<bool>,
    /// The channel of a new inbox (default: the API channel); ignored on update.
    pub channel_type: Option<ChannelType>,
    /// A website widget's settings.
    pub widget: WebWidgetInput,
}

impl Services {
    /// The account's inboxes, oldest first.
    pub async fn inboxes(&self, account: AccountId) -> Result<Vec<Inbox>, ServiceError> {
        Ok(self.store.list_inboxes(account, None, MAX_LIST).await?)
    }

    /// One inbox of the account.
    pub async fn inbox(&self, account: AccountId, id: InboxId) -> Result<Inbox, ServiceError> {
        found(self.store.inbox(account, id).await, "inbox")
    }

    /// Creates an API-channel inbox with a fresh public identifier and HMAC secret.
    pub async fn create_api_inbox(
        &self,
        account: AccountId,
        name: &str,
        webhook_url: Option<&str>,
    ) -> Result<Inbox, ServiceError> {
        let fields = InboxFields {
            name: Some(name.to_owned()),
            webhook_url: Some(webhook_url.map(str::to_owned)),
            ..InboxFields::default()
        };
        self.create_inbox(account, &fields).await
    }

    /// Creates an API-channel inbox from a request's fields.
    pub async fn create_inbox(
        &self,
        account: AccountId,
        fields: &InboxFields,
    ) -> Result<Inbox, ServiceError> {
        let (name, webhook_url) = check(fields, "", None)?;
        let hmac_token = secrets::random_alphanumeric(24);
        let channel = match fields.channel_type.unwrap_or(ChannelType::Api) {
            ChannelType::Api => Channel::Api {
                webhook_url,
                hmac_token,
                hmac_mandatory: fields.hmac_mandatory.unwrap_or(false),
            },
            ChannelType::WebWidget => {
                Channel::WebWidget(apply_web_widget(&widget_input(fields), None, &hmac_token)?)
            }
        };
        let now = Timestamp::now();
        let mut inbox = self
            .store
            .create_inbox(
                account,
                &name,
                &channel,
                &secrets::random_alphanumeric(24),
                now,
            )
            .await?;
        if fields.enable_auto_assignment == Some(false) {
            inbox = self
                .store
                .update_inbox(account, inbox.id, &name, &channel, false, now)
                .await?;
        }
        self.events
            .publish(account, "inbox.created", json!({"id": inbox.id}));
        Ok(inbox)
    }

    /// Changes an inbox's name, auto-assignment or channel settings.
    pub async fn update_inbox(
        &self,
        account: AccountId,
        id: InboxId,
        fields: &InboxFields,
    ) -> Result<Inbox, ServiceError> {
        let inbox = self.inbox(account, id).await?;
        let (name, channel) = match inbox.channel {
            Channel::Api {
                webhook_url,
                hmac_token,
                hmac_mandatory,
            } => {
                let (name, webhook_url) = check(fields, &inbox.name, webhook_url)?;
                let channel = Channel::Api {
                    webhook_url,
                    hmac_token,
                    hmac_mandatory: fields.hmac_mandatory.unwrap_or(hmac_mandatory),
                };
                (name, channel)
            }
            Channel::WebWidget(widget) => {
                let (name, _) = check(fields, &inbox.name, None)?;
                let widget =
                    apply_web_widget(&widget_input(fields), Some(&widget), &widget.hmac_token)?;
                (name, Channel::WebWidget(widget))
            }
        };
        let auto_assignment = fields
            .enable_auto_assignment
            .unwrap_or(inbox.enable_auto_assignment);
        let inbox = found(
            self.store
                .update_inbox(
                    account,
                    id,
                    &name,
                    &channel,
                    auto_assignment,
                    Timestamp::now(),
                )
                .await,
            "inbox",
        )?;
        self.events
            .publish(account, "inbox.updated", json!({"id": inbox.id}));
        Ok(inbox)
    }

    /// Deletes an inbox with its conversations.
    pub async fn delete_inbox(&self, account: AccountId, id: InboxId) -> Result<(), ServiceError> {
        found(self.store.delete_inbox(account, id).await, "inbox")?;
        self.events
            .publish(account, "inbox.deleted", json!({"id": id}));
        Ok(())
    }

    /// The agents of an inbox, by user id.
    pub async fn inbox_members(
        &self,
        account: AccountId,
        inbox: InboxId,
    ) -> Result<Vec<Agent>, ServiceError> {
        self.inbox(account, inbox).await?;
        Ok(self.store.inbox_members(account, inbox).await?)
    }

    /// Makes `users` the agents of an inbox (the others leave it). Every user must be a member
    /// of the account.
    pub async fn set_inbox_members(
        &self,
        account: AccountId,
        inbox: InboxId,
        users: &[UserId],
    ) -> Result<Vec<Agent>, ServiceError> {
        self.inbox(account, inbox).await?;
        self.store
            .set_inbox_members(account, inbox, &distinct(users), Timestamp::now())
            .await
            .map_err(members_only)?;
        self.events
            .publish(account, "inbox.members_updated", json!({"id": inbox}));
        self.inbox_members(account, inbox).await
    }

    /// Takes `users` out of an inbox.
    pub async fn remove_inbox_members(
        &self,
        account: AccountId,
        inbox: InboxId,
        users: &[UserId],
    ) -> Result<(), ServiceError> {
        self.inbox(account, inbox).await?;
        found(
            self.store
                .remove_inbox_members(account, inbox, &distinct(users))
                .await,
            "inbox",
        )?;
        self.events
            .publish(account, "inbox.members_updated", json!({"id": inbox}));
        Ok(())
    }
}

/// The widget settings of `fields`, with the top-level `hmac_mandatory` when the channel's own
/// is absent.
fn widget_input(fields: &InboxFields) -> WebWidgetInput {
    let mut input = fields.widget.clone();
    input.hmac_mandatory = input.hmac_mandatory.or(fields.hmac_mandatory);
    input
}

/// Checks the name and webhook of `fields` over the current values: the name to use and the
/// webhook URL (validated, `None` when removed).
fn check(
    fields: &InboxFields,
    name: &str,
    webhook_url: Option<String>,
) -> Result<(String, Option<String>), ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let name = errors.check(validate::required_text(
        "name",
        fields.name.as_deref().unwrap_or(name),
    ));
    let webhook_url = match &fields.webhook_url {
        None => webhook_url,
        Some(url) => match url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) => errors.check(validate::http_url("channel.webhook_url", url)),
            None => None,
        },
    };
    errors.into_result()?;
    Ok((name.unwrap_or_default(), webhook_url))
}
