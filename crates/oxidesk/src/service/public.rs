//! The client (public) API of API-channel inboxes: a customer-facing integration, or a test,
//! acting as a contact. No token: the inbox's public identifier and the contact's `source_id` in
//! that inbox (the `contact_identifier`) authorize.
//!
//! Identity validation: `identifier_hash` is the hex HMAC-SHA256 of `identifier` under the inbox's
//! `hmac_token`. A wrong hash is refused; so is a missing one when the inbox makes it mandatory.
//! An identity is marked `hmac_verified` only when the hash is valid *and* the contact's own
//! identifier is the one it proves, so a valid hash for one identifier never unlocks another
//! contact found by email. A verified identity sees every conversation of its contact in the
//! inbox (Chatwoot's behaviour, limited here to the one inbox); any other identity only its own.
//!
//! The `pubsub_token` of an identity is not stored: it is derived as the hex HMAC-SHA256, under
//! the instance's secret key, of `pubsub_token:<contact inbox id>` (first 32 characters).

mod answers;
mod contacts;

pub(crate) use answers::answered_email;
pub(crate) use contacts::check_identifier_hash;

use oxidesk_domain::{
    Attributes, Contact, ContactInbox, Conversation, ConversationStatus, DisplayId, Inbox, Message,
    MessageId, MessageType, Sender,
};

use super::attachments::IncomingFile;
use super::{MessageInput, ServiceError, Services, StartConversation};
use crate::secrets;

pub use contacts::PublicContactInput;

/// Messages in a page of the public message list.
pub const PUBLIC_MESSAGE_LIMIT: i64 = 20;
/// Conversations in a contact's public list.
pub const PUBLIC_CONVERSATION_LIMIT: i64 = 100;

/// A contact acting through the client API: the inbox, its identity there, the contact.
#[derive(Debug, Clone)]
pub struct PublicIdentity {
    /// The inbox of the path.
    pub inbox: Inbox,
    /// The identity of the path (`contact_identifier` = its `source_id`).
    pub contact_inbox: ContactInbox,
    /// The contact.
    pub contact: Contact,
}

impl PublicIdentity {
    /// Whether this identity may see `conversation`.
    pub fn may_see(&self, conversation: &Conversation) -> bool {
        if self.contact_inbox.hmac_verified {
            conversation.contact_id == self.contact.id && conversation.inbox_id == self.inbox.id
        } else {
            conversation.contact_inbox_id == self.contact_inbox.id
        }
    }
}

/// A conversation read with an identity ([`Services::public_identity_with`]): the display id
/// looked up, and the account's conversation with it, if any (not yet checked against the
/// identity).
#[derive(Debug, Clone)]
pub struct LookedUp(pub DisplayId, pub Option<Conversation>);

/// Blocked contacts may not write.
pub(super) fn refuse_blocked(contact: &Contact) -> Result<(), ServiceError> {
    if contact.blocked {
        Err(ServiceError::Forbidden(
            "This contact is blocked and cannot send messages",
        ))
    } else {
        Ok(())
    }
}

impl Services {
    /// The inbox with this public identifier.
    pub async fn public_inbox(&self, identifier: &str) -> Result<Inbox, ServiceError> {
        self.store
            .inbox_by_identifier(identifier)
            .await?
            // The client API is the API channel's; a website inbox has the widget's own.
            .filter(|inbox| inbox.channel.channel_type() == oxidesk_domain::ChannelType::Api)
            .ok_or(ServiceError::NotFound("inbox"))
    }

    /// The identity `contact_identifier` in the inbox `inbox_identifier`; 404 when either is
    /// unknown or the identity belongs to another inbox.
    pub async fn public_identity(
        &self,
        inbox_identifier: &str,
        contact_identifier: &str,
    ) -> Result<PublicIdentity, ServiceError> {
        Ok(self
            .public_identity_with(inbox_identifier, contact_identifier, None)
            .await?
            .0)
    }

    /// As [`Services::public_identity`], with the account's conversation `display_id` (when
    /// given) read in the same statement: one read instead of five (inbox, identity, contact,
    /// conversation, labels). Whether the identity may see the conversation is checked when it
    /// is used ([`Services::public_conversation_in`]).
    pub async fn public_identity_with(
        &self,
        inbox_identifier: &str,
        contact_identifier: &str,
        display_id: Option<DisplayId>,
    ) -> Result<(PublicIdentity, Option<LookedUp>), ServiceError> {
        let target = self
            .store
            .public_target(inbox_identifier, contact_identifier, display_id)
            .await?
            // The client API is the API channel's; a website inbox has the widget's own.
            .filter(|t| t.inbox.channel.channel_type() == oxidesk_domain::ChannelType::Api)
            .ok_or(ServiceError::NotFound("inbox"))?;
        let (Some(contact_inbox), Some(contact)) = (target.contact_inbox, target.contact) else {
            return Err(ServiceError::NotFound("contact"));
        };
        let identity = PublicIdentity {
            inbox: target.inbox,
            contact_inbox,
            contact,
        };
        Ok((
            identity,
            display_id.map(|id| LookedUp(id, target.conversation)),
        ))
    }

    /// The token a contact's live connection will present (see the module documentation).
    pub fn pubsub_token(&self, contact_inbox: &ContactInbox) -> String {
        let mut token = secrets::hmac_hex(
            &self.secret_key,
            &format!("pubsub_token:{}", contact_inbox.id),
        );
        token.truncate(32);
        token
    }

    /// The conversations the identity may see, the newest 100, oldest first.
    pub async fn public_conversations(
        &self,
        identity: &PublicIdentity,
    ) -> Result<Vec<Conversation>, ServiceError> {
        let own = (!identity.contact_inbox.hmac_verified).then_some(identity.contact_inbox.id);
        Ok(self
            .store
            .public_conversations(
                identity.inbox.id,
                identity.contact.id,
                own,
                PUBLIC_CONVERSATION_LIMIT,
            )
            .await?)
    }

    /// One conversation the identity may see; 404 for any other.
    pub async fn public_conversation(
        &self,
        identity: &PublicIdentity,
        id: DisplayId,
    ) -> Result<Conversation, ServiceError> {
        let conversation = self.conversation(identity.inbox.account_id, id).await?;
        if identity.may_see(&conversation) {
            Ok(conversation)
        } else {
            Err(ServiceError::NotFound("conversation"))
        }
    }

    /// As [`Services::public_conversation`], using what was read with the identity when it
    /// is conversation `id` (no second read).
    pub async fn public_conversation_in(
        &self,
        identity: &PublicIdentity,
        id: DisplayId,
        looked_up: Option<LookedUp>,
    ) -> Result<Conversation, ServiceError> {
        match looked_up {
            Some(LookedUp(read, found)) if read == id => found
                .filter(|c| identity.may_see(c))
                .ok_or(ServiceError::NotFound("conversation")),
            _ => self.public_conversation(identity, id).await,
        }
    }

    /// Opens a conversation for the identity.
    pub async fn public_start_conversation(
        &self,
        identity: &PublicIdentity,
        custom_attributes: Attributes,
    ) -> Result<Conversation, ServiceError> {
        refuse_blocked(&identity.contact)?;
        self.start_conversation(
            identity.inbox.account_id,
            &StartConversation {
                inbox_id: identity.inbox.id,
                contact_id: identity.contact.id,
                source_id: Some(identity.contact_inbox.source_id.clone()),
                status: ConversationStatus::Open,
                assignee_id: None,
                team_id: None,
                priority: None,
                additional_attributes: Attributes::new(),
                custom_attributes,
            },
        )
        .await
    }

    /// Resolves a conversation (the only status change the client API offers); a resolved one
    /// is left as it is.
    pub async fn public_resolve(
        &self,
        identity: &PublicIdentity,
        id: DisplayId,
    ) -> Result<Conversation, ServiceError> {
        let conversation = self.public_conversation(identity, id).await?;
        if conversation.status == ConversationStatus::Resolved {
            return Ok(conversation);
        }
        self.resolve_by_contact(identity.inbox.account_id, id, &identity.contact)
            .await
    }

    /// Publishes that the contact started or stopped typing.
    pub async fn public_typing(
        &self,
        identity: &PublicIdentity,
        id: DisplayId,
        on: bool,
    ) -> Result<(), ServiceError> {
        self.public_conversation(identity, id).await?;
        self.typing(
            identity.inbox.account_id,
            id,
            on,
            Sender::Contact(identity.contact.id),
            false,
        )
        .await
    }

    /// Records that the contact read the conversation now.
    pub async fn public_mark_seen(
        &self,
        identity: &PublicIdentity,
        id: DisplayId,
    ) -> Result<Conversation, ServiceError> {
        self.public_conversation(identity, id).await?;
        self.mark_seen_by_contact(identity.inbox.account_id, id)
            .await
    }

    /// The messages the contact may see (no private notes, no activity messages): the latest
    /// `limit`, or the `limit` before message `before`, oldest first.
    pub async fn public_messages(
        &self,
        conversation: &Conversation,
        before: Option<MessageId>,
        limit: i64,
    ) -> Result<Vec<Message>, ServiceError> {
        Ok(self
            .store
            .public_messages(conversation.id, before, limit)
            .await?)
    }

    /// Posts an incoming message from the contact (this reopens a resolved or snoozed
    /// conversation, published as `conversation.status_changed`); returns it and the
    /// conversation after it.
    pub async fn public_post_message(
        &self,
        identity: &PublicIdentity,
        id: DisplayId,
        content: &str,
        files: Vec<IncomingFile>,
        looked_up: Option<LookedUp>,
    ) -> Result<(Message, Conversation), ServiceError> {
        // Only the contact's own conversations.
        let conversation = self.public_conversation_in(identity, id, looked_up).await?;
        refuse_blocked(&identity.contact)?;
        self.post_with_files(
            conversation,
            &MessageInput {
                content: content.to_owned(),
                message_type: MessageType::Incoming,
                private: false,
                sender: Some(Sender::Contact(identity.contact.id)),
                source_id: None,
                content_type: oxidesk_domain::ContentType::Text,
                content_attributes: Default::default(),
            },
            files,
        )
        .await
    }
}
