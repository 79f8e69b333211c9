//! Turning domain objects into the API's views, loading what they refer to in batches.

use std::collections::HashMap;

use axum::body::Bytes;
use oxidesk_domain::bots::AgentBot;
use oxidesk_domain::{AccountId, AgentBotId, Conversation, Message, Sender, UserId};
use oxidesk_store::ConversationExtras;

use super::{ServiceError, Services};
use crate::views::{
    AgentView, ContactView, ConversationParts, ConversationView, MessageView, SenderView, TeamView,
};

impl Services {
    /// The JSON of a view of `account` named `key`, from the cache while no event of the
    /// account has happened since it was built (and for at most [`super::VIEW_TTL`]),
    /// otherwise from `build`. Only for views that are the same for every member of the
    /// account; `key` must name everything the view depends on besides the account.
    pub async fn cached_json<T: serde::Serialize>(
        &self,
        account: AccountId,
        key: String,
        build: impl Future<Output = Result<T, ServiceError>>,
    ) -> Result<Bytes, ServiceError> {
        // Read before building: an event during the build leaves the entry already stale.
        let generation = self.events.generations().get(account);
        if let Some(json) = self.cache.view(account, &key, generation) {
            return Ok(json);
        }
        let view = build.await?;
        let json = Bytes::from(
            serde_json::to_vec(&view).map_err(|e| ServiceError::Internal(e.to_string()))?,
        );
        self.cache.put_view(account, key, generation, json.clone());
        Ok(json)
    }

    /// The views of `conversations` (all of `account`), in the same order, in a fixed number of
    /// queries: everything but labels (read with the conversations) in one
    /// ([`oxidesk_store::Store::conversation_extras`]); bots, files, and contacts who wrote a
    /// last message in another contact's conversation only when some are needed.
    pub async fn conversation_views(
        &self,
        account: AccountId,
        conversations: Vec<Conversation>,
    ) -> Result<Vec<ConversationView>, ServiceError> {
        let ids: Vec<_> = conversations.iter().map(|c| c.id).collect();
        let extras = self.store.conversation_extras(account, &ids).await?;
        self.conversation_views_with(account, conversations, extras)
            .await
    }

    /// [`Services::conversation_views`] with the extras already read (as
    /// [`oxidesk_store::Store::list_page`] reads them with a list's page), of conversations no
    /// longer needed: their texts and attributes move into the views.
    pub async fn conversation_views_with(
        &self,
        account: AccountId,
        conversations: Vec<Conversation>,
        mut extras: HashMap<oxidesk_domain::ConversationId, ConversationExtras>,
    ) -> Result<Vec<ConversationView>, ServiceError> {
        let store = &self.store;
        let mut other_contacts = Vec::new();
        let mut any_bot = false;
        let mut with_files = Vec::new();
        for c in &conversations {
            let Some(m) = extras.get(&c.id).and_then(|e| e.last_message.as_ref()) else {
                continue;
            };
            match m.sender {
                Some(Sender::Contact(k)) if k != c.contact_id => other_contacts.push(k),
                Some(Sender::AgentBot(_)) => any_bot = true,
                _ => {}
            }
            if extras.get(&c.id).is_some_and(|e| e.last_message_has_files) {
                with_files.push(m.id);
            }
        }
        let bots = self.bots_if(account, any_bot).await?;
        dedup(&mut other_contacts);
        let contacts = store.contacts_by_ids(account, &other_contacts).await?;
        let mut files = if with_files.is_empty() {
            HashMap::new()
        } else {
            self.attachment_views(account, &with_files).await?
        };
        conversations
            .into_iter()
            .map(|c| {
                let extra: ConversationExtras = extras.remove(&c.id).unwrap_or_default();
                let contact = extra.contact.ok_or_else(|| {
                    ServiceError::Internal(format!(
                        "contact {} of conversation {} is missing",
                        c.contact_id, c.display_id
                    ))
                })?;
                // The extras are this view's alone: their parts move into it, not copied.
                let last_message = extra.last_message.map(|m| {
                    let sender = match m.sender {
                        Some(Sender::Contact(k)) if k == contact.id => {
                            Some(SenderView::contact(&contact))
                        }
                        Some(Sender::Contact(k)) => contacts.get(&k).map(SenderView::contact),
                        Some(Sender::User(u)) => extra
                            .last_message_agent
                            .as_ref()
                            .filter(|a| a.user.id == u)
                            .map(SenderView::user),
                        Some(Sender::AgentBot(b)) => bots.get(&b).map(SenderView::agent_bot),
                        None => None,
                    };
                    let attachments = files.remove(&m.id).unwrap_or_default();
                    let mut view = MessageView::of(m, c.display_id.get(), sender);
                    view.attachments = attachments;
                    view
                });
                let assignee = extra
                    .assignee
                    .as_ref()
                    .filter(|a| c.assignee_id == Some(a.user.id))
                    .map(AgentView::from);
                Ok(ConversationView::of(
                    c,
                    ConversationParts {
                        sender: ContactView::from(contact),
                        channel: extra
                            .channel
                            .map(|kind| kind.chatwoot_name().to_owned())
                            .unwrap_or_default(),
                        assignee,
                        team: extra.team.as_ref().map(TeamView::from),
                        hmac_verified: extra.hmac_verified,
                        unread_count: extra.unread,
                        last_message,
                    },
                ))
            })
            .collect()
    }

    /// The view of one conversation.
    pub async fn conversation_view(
        &self,
        account: AccountId,
        conversation: &Conversation,
    ) -> Result<ConversationView, ServiceError> {
        self.conversation_views(account, vec![conversation.clone()])
            .await?
            .pop()
            .ok_or_else(|| ServiceError::Internal("no view built".into()))
    }

    /// The view of a message `contact` has just posted without files: what
    /// [`Services::message_views`] builds for it, without reading back the sender the caller
    /// holds and the attachments it has none of.
    pub fn contact_message_view(
        &self,
        conversation: &Conversation,
        message: &Message,
        contact: &oxidesk_domain::Contact,
    ) -> MessageView {
        MessageView::new(
            message,
            conversation.display_id.get(),
            Some(SenderView::contact(contact)),
        )
    }

    /// The views of `messages` of `conversation`, with their senders.
    pub async fn message_views(
        &self,
        conversation: &Conversation,
        messages: &[Message],
    ) -> Result<Vec<MessageView>, ServiceError> {
        let mut contact_ids = Vec::new();
        let mut user_ids: Vec<UserId> = Vec::new();
        let mut any_bot = false;
        for m in messages {
            match m.sender {
                Some(Sender::User(u)) => user_ids.push(u),
                Some(Sender::Contact(c)) => contact_ids.push(c),
                Some(Sender::AgentBot(_)) => any_bot = true,
                None => {}
            }
        }
        let bots = self.bots_if(conversation.account_id, any_bot).await?;
        dedup(&mut contact_ids);
        dedup(&mut user_ids);
        let contacts = self
            .store
            .contacts_by_ids(conversation.account_id, &contact_ids)
            .await?;
        let agents = self
            .store
            .agents_by_ids(conversation.account_id, &user_ids)
            .await?;
        let senders = Senders {
            contacts: &contacts,
            agents: &agents,
            bots: &bots,
        };
        let ids: Vec<_> = messages.iter().map(|m| m.id).collect();
        let mut files = self.attachment_views(conversation.account_id, &ids).await?;
        Ok(messages
            .iter()
            .map(|m| {
                let mut view = MessageView::new(m, conversation.display_id.get(), senders.of(m));
                view.attachments = files.remove(&m.id).unwrap_or_default();
                view
            })
            .collect())
    }
}

struct Senders<'a> {
    contacts: &'a HashMap<oxidesk_domain::ContactId, oxidesk_domain::Contact>,
    agents: &'a HashMap<UserId, oxidesk_domain::Agent>,
    bots: &'a HashMap<AgentBotId, AgentBot>,
}

impl Senders<'_> {
    fn of(&self, m: &Message) -> Option<SenderView> {
        match m.sender? {
            Sender::Contact(id) => self.contacts.get(&id).map(SenderView::contact),
            Sender::User(id) => self.agents.get(&id).map(SenderView::user),
            Sender::AgentBot(id) => self.bots.get(&id).map(SenderView::agent_bot),
        }
    }
}

impl Services {
    /// The account's bots by id, read only when some message needs one.
    async fn bots_if(
        &self,
        account: AccountId,
        needed: bool,
    ) -> Result<HashMap<AgentBotId, AgentBot>, ServiceError> {
        if !needed {
            return Ok(HashMap::new());
        }
        let bots = self.store.agent_bots(account).await?;
        Ok(bots.into_iter().map(|b| (b.id, b)).collect())
    }
}

fn dedup<T: Ord>(items: &mut Vec<T>) {
    items.sort();
    items.dedup();
}
