//! A contact's identities in inboxes, the inboxes it can be reached in, its conversations, and
//! the views of contacts with their identities.

use oxidesk_domain::{
    AccountId, Channel, Contact, ContactId, Inbox, InboxId, Timestamp, ValidationError, validate,
};
use oxidesk_store::{ConversationFilter, ConversationQuery, StoreError};
use serde_json::json;

use super::contact_conflict;
use crate::service::{ServiceError, Services};
use crate::views::{
    ContactDetailView, ContactInboxView, ContactView, ConversationView, InboxSlimView,
};

/// How many conversations `contact_conversations` gives (Chatwoot's limit).
const CONTACT_CONVERSATIONS: i64 = 20;

/// Whether a contact can be reached in an inbox of this channel without an identity there yet:
/// in an API inbox, the integration delivers to any source id.
fn reachable_without_identity(channel: &Channel) -> bool {
    match channel {
        Channel::Api { .. } => true,
        // A website visitor is reached only through the widget they opened.
        Channel::WebWidget(_) => false,
    }
}

impl Services {
    /// The account's inbox `id`; one of another account (or none) is a validation error on
    /// `inbox_id`, the field that named it.
    pub(super) async fn inbox_of(
        &self,
        account: AccountId,
        id: InboxId,
    ) -> Result<Result<Inbox, ValidationError>, ServiceError> {
        match self.store.inbox(account, id).await {
            Ok(inbox) => Ok(Ok(inbox)),
            Err(StoreError::NotFound) => Ok(Err(ValidationError::new(
                "inbox_id",
                "is not an inbox of this account",
            ))),
            Err(other) => Err(other.into()),
        }
    }

    /// The identity with this source id: in `inbox` when given, else in any inbox of the
    /// account. None is a validation error on `source_id`.
    pub async fn identity_by_source(
        &self,
        account: AccountId,
        inbox: Option<InboxId>,
        source_id: &str,
    ) -> Result<oxidesk_domain::ContactInbox, ServiceError> {
        let source_id = validate::required_text("source_id", source_id)?;
        let found = match inbox {
            Some(inbox) => {
                let inbox = self.inbox_of(account, inbox).await??;
                self.store
                    .contact_inbox_by_source(inbox.id, &source_id)
                    .await?
            }
            None => {
                self.store
                    .contact_inbox_by_source_in_account(account, &source_id)
                    .await?
            }
        };
        found.ok_or_else(|| {
            ValidationError::new("source_id", "is no contact's identity in this account").into()
        })
    }

    /// Gives a contact an identity in an inbox (Chatwoot's `POST /contacts/{id}/contact_inboxes`):
    /// with `source_id`, that one (the contact's existing identity when it already has it);
    /// without, a new UUID. A source id of another contact in the inbox is a validation error.
    pub async fn add_contact_inbox(
        &self,
        account: AccountId,
        id: ContactId,
        inbox: InboxId,
        source_id: Option<&str>,
    ) -> Result<ContactInboxView, ServiceError> {
        let contact = self.contact(account, id).await?;
        let inbox = self.inbox_of(account, inbox).await??;
        let source_id = validate::optional_text("source_id", source_id)?;
        let existing = match &source_id {
            Some(source) => self.store.contact_inbox_by_source(inbox.id, source).await?,
            None => None,
        };
        let identity = match existing {
            Some(identity) if identity.contact_id == contact.id => identity,
            Some(_) => {
                return Err(ValidationError::new(
                    "source_id",
                    "is already used by another contact in this inbox",
                )
                .into());
            }
            None => {
                let source = source_id.unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
                let identity = self
                    .store
                    .create_contact_inbox(contact.id, inbox.id, &source, false, Timestamp::now())
                    .await
                    .map_err(contact_conflict)?;
                self.events.publish(
                    account,
                    "contact.updated",
                    json!({"id": contact.id, "contact_inbox": {"inbox_id": inbox.id, "source_id": identity.source_id}}),
                );
                identity
            }
        };
        Ok(ContactInboxView {
            source_id: identity.source_id,
            inbox: InboxSlimView::from(&inbox),
        })
    }

    /// The account's inboxes the contact can be reached in, with the source id to use there:
    /// its latest identity in the inbox, or a new UUID (not stored) where it has none yet.
    pub async fn contactable_inboxes(
        &self,
        account: AccountId,
        id: ContactId,
    ) -> Result<Vec<ContactInboxView>, ServiceError> {
        const BATCH: i64 = 100;
        let contact = self.contact(account, id).await?;
        let identities = self.store.contact_inboxes_of(contact.id).await?;
        let mut inboxes = Vec::new();
        let mut after = None;
        loop {
            let batch = self.store.list_inboxes(account, after, BATCH).await?;
            let full = i64::try_from(batch.len()).unwrap_or(0) == BATCH;
            after = batch.last().map(|inbox| inbox.id);
            inboxes.extend(batch);
            if !full {
                break;
            }
        }
        Ok(inboxes
            .iter()
            .filter_map(|inbox| {
                let latest = identities.iter().rev().find(|i| i.inbox_id == inbox.id);
                let source_id = match latest {
                    Some(identity) => identity.source_id.clone(),
                    None if reachable_without_identity(&inbox.channel) => {
                        uuid::Uuid::new_v4().to_string()
                    }
                    None => return None,
                };
                Some(ContactInboxView {
                    source_id,
                    inbox: InboxSlimView::from(inbox),
                })
            })
            .collect())
    }

    /// The views of `contacts` (all of `account`), in the same order; with their identities in
    /// inboxes when `with_inboxes`, loaded in two queries for the whole list.
    pub async fn contact_views(
        &self,
        account: AccountId,
        contacts: &[Contact],
        with_inboxes: bool,
    ) -> Result<Vec<ContactDetailView>, ServiceError> {
        if !with_inboxes {
            return Ok(contacts
                .iter()
                .map(|c| ContactDetailView {
                    contact: ContactView::from(c),
                    contact_inboxes: None,
                })
                .collect());
        }
        let ids: Vec<ContactId> = contacts.iter().map(|c| c.id).collect();
        let identities = self
            .store
            .contact_inboxes_of_contacts(account, &ids)
            .await?;
        let mut inbox_ids: Vec<InboxId> = identities.iter().map(|i| i.inbox_id).collect();
        inbox_ids.sort();
        inbox_ids.dedup();
        let inboxes = self.store.inboxes_by_ids(account, &inbox_ids).await?;
        Ok(contacts
            .iter()
            .map(|c| ContactDetailView {
                contact: ContactView::from(c),
                contact_inboxes: Some(
                    identities
                        .iter()
                        .filter(|i| i.contact_id == c.id)
                        .filter_map(|i| {
                            inboxes.get(&i.inbox_id).map(|inbox| ContactInboxView {
                                source_id: i.source_id.clone(),
                                inbox: InboxSlimView::from(inbox),
                            })
                        })
                        .collect(),
                ),
            })
            .collect())
    }

    /// The view of one contact, with its identities in inboxes.
    pub async fn contact_view(
        &self,
        account: AccountId,
        contact: &Contact,
    ) -> Result<ContactDetailView, ServiceError> {
        self.contact_views(account, std::slice::from_ref(contact), true)
            .await?
            .pop()
            .ok_or_else(|| ServiceError::Internal("no view built".into()))
    }

    /// A contact's latest conversations (at most 20, as Chatwoot gives), in any status,
    /// most recent activity first.
    pub async fn contact_conversations(
        &self,
        account: AccountId,
        id: ContactId,
    ) -> Result<Vec<ConversationView>, ServiceError> {
        let contact = self.contact(account, id).await?;
        let page = self
            .store
            .list_conversations(
                account,
                &ConversationQuery {
                    filter: ConversationFilter {
                        status: None,
                        contact_id: Some(contact.id),
                        ..ConversationFilter::default()
                    },
                    after: None,
                    limit: CONTACT_CONVERSATIONS,
                },
            )
            .await?;
        self.conversation_views(account, page.items).await
    }
}
