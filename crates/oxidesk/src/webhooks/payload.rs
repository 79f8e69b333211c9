//! Chatwoot's webhook payloads, built from an event of the log and the current records.
//!
//! Every payload carries `event` at the top level (no envelope). The top-level message has
//! `message_type` as a string and `created_at` as an ISO-8601 time, while the conversation's
//! `messages[]` keeps the push format (integers), as Chatwoot sends them. Activity messages are
//! never sent; private notes are, with `private: true`.

use oxidesk_domain::{
    AccountId, Contact, ContactId, DisplayId, InboxId, MessageId, MessageType, Sender, UserId,
};
use serde_json::{Map, Value, json};

use crate::service::{ServiceError, Services};
use crate::views::{ContactView, InboxView, MessageView, SenderView};

/// What an event of the log becomes: Chatwoot's event name, and whether an API inbox's
/// `webhook_url` gets it too (its inbox).
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    /// Chatwoot's event name.
    pub event: &'static str,
    /// The payload.
    pub body: Value,
    /// The conversation's inbox, for conversation, message and typing events.
    pub inbox: Option<i64>,
}

/// Chatwoot's name for an event of the log, if webhooks carry it.
pub fn chatwoot_event(name: &str) -> Option<&'static str> {
    Some(match name {
        "conversation.created" => "conversation_created",
        "conversation.status_changed" => "conversation_status_changed",
        "conversation.updated" | "assignee.changed" | "team.changed" => "conversation_updated",
        "message.created" => "message_created",
        "message.updated" => "message_updated",
        "contact.created" => "contact_created",
        "contact.updated" => "contact_updated",
        "inbox.created" => "inbox_created",
        "inbox.updated" => "inbox_updated",
        "conversation.typing_on" => "conversation_typing_on",
        "conversation.typing_off" => "conversation_typing_off",
        _ => return None,
    })
}

fn int(data: &Value, key: &str) -> Option<i64> {
    data.get(key).and_then(Value::as_i64)
}

fn object(value: impl serde::Serialize) -> Result<Map<String, Value>, ServiceError> {
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Ok(Map::new()),
        Err(e) => Err(ServiceError::Internal(e.to_string())),
    }
}

fn gone<T>(result: Result<T, oxidesk_store::StoreError>) -> Result<Option<T>, ServiceError> {
    match result {
        Ok(v) => Ok(Some(v)),
        Err(oxidesk_store::StoreError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The contact as webhooks show it (`webhook_data`: no `type`, with the account).
fn contact_data(c: &Contact, account: &Value) -> Result<Value, ServiceError> {
    let mut map = object(ContactView::from(c))?;
    map.insert("account".into(), account.clone());
    Ok(Value::Object(map))
}

impl Services {
    /// The payload of event `name` (with `data`) of `account`; `None` when webhooks do not
    /// carry it or what it names no longer exists.
    pub async fn webhook_payload(
        &self,
        account: AccountId,
        name: &str,
        data: &Value,
    ) -> Result<Option<Outgoing>, ServiceError> {
        let Some(event) = chatwoot_event(name) else {
            return Ok(None);
        };
        let Some(acc) = gone(self.store.account(account).await)? else {
            return Ok(None);
        };
        let account_data = json!({"id": acc.id.get(), "name": acc.name});
        let mut inbox = None;
        let mut body = match event {
            "contact_created" | "contact_updated" => {
                let Some(id) = int(data, "id") else {
                    return Ok(None);
                };
                let Some(c) = gone(self.store.contact(account, ContactId(id)).await)? else {
                    return Ok(None);
                };
                contact_data(&c, &account_data)?
            }
            "inbox_created" | "inbox_updated" => {
                let Some(id) = int(data, "id") else {
                    return Ok(None);
                };
                let Some(i) = gone(self.store.inbox(account, InboxId(id)).await)? else {
                    return Ok(None);
                };
                let mut map = object(InboxView::new(&i, false))?;
                map.insert("account".into(), account_data.clone());
                Value::Object(map)
            }
            "message_created" | "message_updated" => {
                let (Some(id), Some(display)) = (int(data, "id"), int(data, "conversation_id"))
                else {
                    return Ok(None);
                };
                let Some(m) = self
                    .message_data(account, DisplayId(display), MessageId(id), &account_data)
                    .await?
                else {
                    return Ok(None);
                };
                inbox = int(&m, "inbox_id");
                m
            }
            _ => {
                let Some(display) = int(data, "id") else {
                    return Ok(None);
                };
                let Some(c) = self
                    .conversation_data(account, DisplayId(display), &account_data)
                    .await?
                else {
                    return Ok(None);
                };
                inbox = int(&c, "inbox_id");
                if event.starts_with("conversation_typing") {
                    let user = self.typing_user(account, data, &account_data).await?;
                    let private = data.get("is_private").cloned().unwrap_or(json!(false));
                    json!({"user": user, "conversation": c, "is_private": private})
                } else {
                    c
                }
            }
        };
        if let Value::Object(map) = &mut body {
            if matches!(
                event,
                "conversation_updated" | "conversation_status_changed" | "contact_updated"
            ) {
                let changed = data.get("changed_attributes").cloned();
                map.insert("changed_attributes".into(), changed.unwrap_or(json!([])));
            }
            if event == "conversation_status_changed" {
                // The status this change made, not the one the conversation has by the time
                // the dispatcher renders it (a later change may have come first).
                if let Some(status) = data.get("status").filter(|s| s.is_string()) {
                    map.insert("status".into(), status.clone());
                }
            }
            map.insert("event".into(), json!(event));
        }
        Ok(Some(Outgoing { event, body, inbox }))
    }

    /// Chatwoot's conversation `webhook_data`: the API's conversation with the account and,
    /// in `messages`, its last non-activity message (push format).
    async fn conversation_data(
        &self,
        account: AccountId,
        display: DisplayId,
        account_data: &Value,
    ) -> Result<Option<Value>, ServiceError> {
        let Some(c) = gone(
            self.store
                .conversation_by_display_id(account, display)
                .await,
        )?
        else {
            return Ok(None);
        };
        let view = self.conversation_view(account, &c).await?;
        let last = view.last_non_activity_message.clone();
        let mut map = object(view)?;
        map.insert(
            "messages".into(),
            json!(last.into_iter().collect::<Vec<_>>()),
        );
        map.insert("account".into(), account_data.clone());
        Ok(Some(Value::Object(map)))
    }

    /// Chatwoot's message `webhook_data`; `None` for activity messages.
    async fn message_data(
        &self,
        account: AccountId,
        display: DisplayId,
        id: MessageId,
        account_data: &Value,
    ) -> Result<Option<Value>, ServiceError> {
        let Some(c) = gone(
            self.store
                .conversation_by_display_id(account, display)
                .await,
        )?
        else {
            return Ok(None);
        };
        let Some(m) = gone(self.store.message(c.id, id).await)? else {
            return Ok(None);
        };
        let message_type = match m.message_type {
            MessageType::Incoming => "incoming",
            MessageType::Outgoing => "outgoing",
            MessageType::Template => "template",
            MessageType::Activity => return Ok(None),
        };
        let sender = match m.sender {
            Some(Sender::Contact(id)) => match gone(self.store.contact(account, id).await)? {
                Some(contact) => contact_data(&contact, account_data)?,
                None => Value::Null,
            },
            Some(Sender::User(id)) => self.user_data(account, id).await?,
            Some(Sender::AgentBot(id)) => match gone(self.store.agent_bot(account, id).await)? {
                Some(b) => json!({"id": b.id.get(), "name": b.name, "type": "agent_bot"}),
                None => Value::Null,
            },
            None => Value::Null,
        };
        let conversation = self
            .conversation_data(account, display, account_data)
            .await?;
        let inbox = gone(self.store.inbox(account, m.inbox_id).await)?
            .map(|i| json!({"id": i.id.get(), "name": i.name}));
        let mut view = MessageView::new(&m, display.get(), None);
        view.attachments = self
            .attachment_views(account, &[m.id])
            .await?
            .remove(&m.id)
            .unwrap_or_default();
        let mut map = object(view)?;
        map.insert("message_type".into(), json!(message_type));
        map.insert("created_at".into(), json!(m.created_at.to_rfc3339()));
        map.insert("additional_attributes".into(), json!({}));
        map.insert("sender".into(), sender);
        map.insert("conversation".into(), json!(conversation));
        map.insert("inbox".into(), json!(inbox));
        map.insert("account".into(), account_data.clone());
        Ok(Some(Value::Object(map)))
    }

    /// An agent as webhooks show one: `{id, name, email, type: "user"}`.
    async fn user_data(&self, account: AccountId, id: UserId) -> Result<Value, ServiceError> {
        let agents = self.store.agents_by_ids(account, &[id]).await?;
        Ok(match agents.get(&id) {
            Some(a) => {
                let s = SenderView::user(a);
                json!({"id": s.id, "name": s.name, "email": s.email, "type": "user"})
            }
            None => Value::Null,
        })
    }

    async fn typing_user(
        &self,
        account: AccountId,
        data: &Value,
        account_data: &Value,
    ) -> Result<Value, ServiceError> {
        let user = data.get("user").cloned().unwrap_or(Value::Null);
        let id = int(&user, "id").unwrap_or(0);
        match user.get("type").and_then(Value::as_str) {
            Some("contact") => Ok(
                match gone(self.store.contact(account, ContactId(id)).await)? {
                    Some(c) => contact_data(&c, account_data)?,
                    None => Value::Null,
                },
            ),
            Some("user") => self.user_data(account, UserId(id)).await,
            _ => Ok(Value::Null),
        }
    }
}
