//! What a dashboard app asks the dashboard to do through the two-way protocol
//! (`docs/dashboard-apps.md`, "The two-way protocol"): each action needs a scope the
//! administrator granted the app, acts for the agent who has the conversation open (never
//! beyond what that agent may do), leaves an activity line in the conversation when it changes
//! something, and is written to the account's app audit log, refused attempts included.

use oxidesk_domain::apps::AppViewer;
use oxidesk_domain::{
    AccountId, AppAction, Attributes, ContentType, ConversationStatus, DashboardApp, DisplayId,
    MessageType, Role, Sender, Timestamp, User, ValidationError, validate,
};
use serde_json::{Value, json};

mod contact;
mod params;
mod pipeline;

pub use contact::AppContactCall;
pub use params::AppActionError;
use params::{IntoAppError, attribute_params, invalid, keys, text_param};
use pipeline::{Audited, granted, params_object};

use super::{MessageInput, ServiceError, Services};
use crate::views::MessageView;

/// The longest text an app may insert or write as a note.
pub const MAX_APP_TEXT: usize = 10_000;

/// One request of an app: which app, for which agent, about which conversation.
#[derive(Debug, Clone, Copy)]
pub struct AppCall<'a> {
    /// The app (the account's).
    pub app: &'a DashboardApp,
    /// The agent who has the conversation open.
    pub agent: &'a User,
    /// Their role in the account (the app's visibility rules may exclude it).
    pub role: Role,
    /// The conversation's number in the account.
    pub conversation: DisplayId,
    /// The protocol method.
    pub method: &'a str,
    /// Its `params` (an object, or absent).
    pub params: &'a Value,
}

impl Services {
    /// Runs an app's action and records it in the audit log, whatever the outcome.
    pub async fn app_action(
        &self,
        account: AccountId,
        call: &AppCall<'_>,
    ) -> Result<Value, AppActionError> {
        let outcome = self.run_app_action(account, call).await;
        let contact = self
            .conversation(account, call.conversation)
            .await
            .ok()
            .map(|c| c.contact_id.get());
        let about = Audited {
            app: call.app,
            agent: call.agent,
            method: call.method,
            params: call.params,
            conversation: Some(call.conversation.get()),
            contact,
        };
        self.audited(account, about, outcome).await
    }

    /// The action itself: its result and a line saying what it did (for the audit log).
    async fn run_app_action(
        &self,
        account: AccountId,
        call: &AppCall<'_>,
    ) -> Result<(Value, String), AppActionError> {
        let action = granted(call.app, call.method)?;
        let params = params_object(call.params)?;
        let params: &Value = &params;
        let mut conversation = self.conversation(account, call.conversation).await?;
        // An app acts only where it appears: for this agent, on this conversation.
        let viewer = AppViewer {
            user: call.agent.id,
            role: call.role,
            conversation: Some((conversation.inbox_id, conversation.team_id)),
        };
        if !call.app.visible_to(&viewer) {
            return Err(AppActionError::Forbidden(
                "This app is not shown to you on this conversation (its visibility settings)"
                    .into(),
            ));
        }
        let app = &call.app.title;
        let agent = call.agent.available_name();
        match action {
            AppAction::ReplyInsert => {
                let text = text_param(params, "text")?;
                // The text goes into the agent's reply box in the browser; nothing is stored
                // until the agent sends it.
                Ok((
                    json!({"inserted": true}),
                    format!(
                        "inserted {} characters into the reply box",
                        text.chars().count()
                    ),
                ))
            }
            AppAction::NoteCreate => {
                let content = text_param(params, "content")?;
                let mut attributes = Attributes::new();
                attributes.insert(
                    "dashboard_app".into(),
                    json!({"id": call.app.id, "title": app}),
                );
                let input = MessageInput {
                    content,
                    message_type: MessageType::Outgoing,
                    private: true,
                    sender: Some(Sender::User(call.agent.id)),
                    source_id: None,
                    content_type: ContentType::Text,
                    content_attributes: attributes,
                };
                let (message, _) = self
                    .post_into(conversation.clone(), &input, Timestamp::now())
                    .await?;
                let view: MessageView = self
                    .message_views(&conversation, std::slice::from_ref(&message))
                    .await?
                    .pop()
                    .ok_or_else(|| AppActionError::Internal("the note vanished".into()))?;
                Ok((
                    json!({"message": view}),
                    format!("added private note {}", message.id.get()),
                ))
            }
            AppAction::LabelsAdd | AppAction::LabelsRemove => {
                let titles = self.label_params(account, params).await?;
                let mut labels = conversation.labels.clone();
                if action == AppAction::LabelsAdd {
                    labels.extend(titles.iter().cloned());
                } else {
                    labels.retain(|l| !titles.contains(l));
                }
                let labels = self.set_labels(account, call.conversation, &labels).await?;
                let verb = if action == AppAction::LabelsAdd {
                    "added"
                } else {
                    "removed"
                };
                let line = format!(
                    "{app} {verb} the label{} {} for {agent}",
                    if titles.len() == 1 { "" } else { "s" },
                    titles.join(", ")
                );
                self.app_activity(&mut conversation, &line).await?;
                Ok((json!({"labels": labels}), line))
            }
            AppAction::StatusSet => {
                let status: ConversationStatus = match params.get("status") {
                    Some(Value::String(s)) => {
                        s.parse().map_err(|e: oxidesk_domain::UnknownValue| {
                            invalid("status", e.to_string())
                        })?
                    }
                    _ => {
                        return Err(invalid(
                            "status",
                            "is required: open, resolved, pending or snoozed",
                        ));
                    }
                };
                let until = match params.get("snoozed_until") {
                    None | Some(Value::Null) => None,
                    Some(Value::Number(n)) => Some(Timestamp(n.as_i64().ok_or_else(|| {
                        invalid("snoozed_until", "must be a whole number of Unix seconds")
                    })?)),
                    Some(_) => {
                        return Err(invalid("snoozed_until", "must be Unix seconds (a number)"));
                    }
                };
                // One activity line, the status change's own: "… by Sam via CRM".
                let by = format!(" by {agent} via {app}");
                let after = self
                    .set_status_saying(
                        account,
                        call.conversation,
                        status,
                        until,
                        &by,
                        Timestamp::now(),
                    )
                    .await?;
                Ok((
                    json!({"status": after.status}),
                    format!("set the status to {}", after.status),
                ))
            }
            AppAction::ConversationAttributesSet => {
                let values = attribute_params(params)?;
                let after = self
                    .set_conversation_attributes(account, call.conversation, &values)
                    .await?;
                let line = format!("{app} set the conversation's {} for {agent}", keys(&values));
                self.app_activity(&mut conversation, &line).await?;
                Ok((json!({"custom_attributes": after.custom_attributes}), line))
            }
            AppAction::ContactAttributesSet => {
                let contact = conversation.contact_id;
                let (value, line) = self
                    .app_sets_contact_attributes(account, contact, call.app, call.agent, params)
                    .await?;
                self.app_activity(&mut conversation, &line).await?;
                Ok((value, line))
            }
        }
    }

    /// `params.labels`: existing labels of the account, lower-cased.
    async fn label_params(
        &self,
        account: AccountId,
        params: &Value,
    ) -> Result<Vec<String>, AppActionError> {
        let Some(Value::Array(items)) = params.get("labels") else {
            return Err(invalid("labels", "is required: a list of label names"));
        };
        if items.is_empty() {
            return Err(invalid("labels", "must name at least one label"));
        }
        let known = self.labels(account).await?;
        let mut titles = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let field = format!("labels[{i}]");
            let Value::String(text) = item else {
                return Err(invalid(&field, "must be a label name (a string)"));
            };
            let title =
                validate::label_title(&field, text).map_err(|e: ValidationError| e.into_app())?;
            if !known.iter().any(|l| l.title == title) {
                return Err(invalid(
                    &field,
                    format!("'{title}' is not a label of this account"),
                ));
            }
            if !titles.contains(&title) {
                titles.push(title);
            }
        }
        Ok(titles)
    }

    /// An activity line written by an app (no "by" suffix: the line names the agent).
    async fn app_activity(
        &self,
        conversation: &mut oxidesk_domain::Conversation,
        line: &str,
    ) -> Result<(), ServiceError> {
        self.activity_line(conversation, line, Timestamp::now())
            .await
    }
}

impl Services {
    /// The account's app audit log, newest first: up to `limit` lines older than `before`.
    pub async fn app_audit(
        &self,
        account: AccountId,
        filter: &oxidesk_store::AuditFilter,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<oxidesk_domain::AppAuditEntry>, ServiceError> {
        Ok(self
            .store
            .app_audit(account, filter, before, limit.clamp(1, 500))
            .await?)
    }
}
