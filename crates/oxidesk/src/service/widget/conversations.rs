//! The visitor's conversations: which one a message goes to, several per visitor (a new one
//! once the last is resolved, Chatwoot #8386), files with a message, reading, seen, typing.

use oxidesk_domain::{
    Attributes, ContentType, Conversation, ConversationStatus, DisplayId, Message, MessageType,
    Sender, ValidationError, validate,
};

use super::{MAX_WIDGET_MESSAGE, Visit, WIDGET_MESSAGE_LIMIT, WidgetVisitor, visit_attributes};
use crate::service::public::refuse_blocked;
use crate::service::{IncomingFile, MessageInput, PublicIdentity, ServiceError, Services};

/// What the visitor sends.
#[derive(Debug, Clone, Default)]
pub struct WidgetSend {
    /// The text (may be empty when files come with it).
    pub content: String,
    /// The files (`attachments[]`).
    pub files: Vec<IncomingFile>,
    /// The conversation to write in; the newest when none.
    pub conversation: Option<DisplayId>,
    /// Start a new conversation (only when the newest is resolved, or there is none).
    pub new_conversation: bool,
    /// The pre-chat form's answers, by field name (checked when the inbox has the form and
    /// this message starts a new visitor's first conversation).
    pub pre_chat: Option<Attributes>,
}

impl Services {
    /// The conversation the widget shows: the visitor's newest one.
    pub async fn widget_conversation(
        &self,
        identity: &PublicIdentity,
    ) -> Result<Option<Conversation>, ServiceError> {
        Ok(self.public_conversations(identity).await?.pop())
    }

    /// Conversation `id` when given (404 unless the visitor's), else the newest.
    pub async fn widget_conversation_of(
        &self,
        identity: &PublicIdentity,
        id: Option<DisplayId>,
    ) -> Result<Option<Conversation>, ServiceError> {
        match id {
            Some(id) => Ok(Some(self.public_conversation(identity, id).await?)),
            None => self.widget_conversation(identity).await,
        }
    }

    /// The latest messages the visitor may see of conversation `id` (the newest when none).
    pub async fn widget_messages(
        &self,
        identity: &PublicIdentity,
        id: Option<DisplayId>,
    ) -> Result<Option<(Conversation, Vec<Message>)>, ServiceError> {
        let Some(conversation) = self.widget_conversation_of(identity, id).await? else {
            return Ok(None);
        };
        let messages = self
            .public_messages(&conversation, None, WIDGET_MESSAGE_LIMIT)
            .await?;
        Ok(Some((conversation, messages)))
    }

    /// Posts the visitor's message (and files) into the conversation it names, the newest, or a
    /// new one: the first message creates the identity (when the visitor has none) and the
    /// conversation, with the visit's `additional_attributes`. A message into a resolved
    /// conversation reopens it, as in Chatwoot, unless the inbox does not allow messages after
    /// a resolution: then a named resolved conversation is refused and an unnamed one gets a
    /// new conversation.
    pub async fn widget_send(
        &self,
        visitor: &WidgetVisitor,
        send: WidgetSend,
        visit: &Visit,
    ) -> Result<(PublicIdentity, Message, Conversation), ServiceError> {
        let widget = visitor.widget()?;
        if send.content.chars().count() > MAX_WIDGET_MESSAGE {
            return Err(ValidationError::new(
                "content",
                format!("is too long (at most {MAX_WIDGET_MESSAGE} characters)"),
            )
            .into());
        }
        if !send.files.is_empty() && !super::uploads_allowed(widget) {
            return Err(ValidationError::new(
                "attachments",
                "file uploads are turned off for this website",
            )
            .into());
        }
        let content = if send.files.is_empty() {
            validate::message_content("content", &send.content)?
        } else {
            send.content.trim_end().to_owned()
        };
        if let Some(identity) = &visitor.identity {
            refuse_blocked(&identity.contact)?;
        }
        // A new visitor fills in the pre-chat form first (one that setUser identified does not).
        let pre_chat = match (&visitor.identity, widget.pre_chat_form_enabled) {
            (None, true) => Some(super::prechat::read_pre_chat(
                widget,
                send.pre_chat.as_ref().unwrap_or(&Attributes::new()),
            )?),
            _ => None,
        };
        let mut identity = self.widget_identity(visitor).await?;
        if let Some(pre) = &pre_chat {
            identity = self
                .widget_write_fields(identity, &pre.contact, true)
                .await?;
        }
        let after_resolved = super::messages_after_resolved(widget);
        let current = self
            .widget_conversation_of(&identity, send.conversation)
            .await?;
        let resolved = |c: &Conversation| c.status == ConversationStatus::Resolved;
        let conversation = match current {
            Some(c) if send.new_conversation && !resolved(&c) => {
                return Err(ValidationError::new(
                    "new_conversation",
                    "the current conversation is not resolved yet",
                )
                .into());
            }
            Some(c) if resolved(&c) && !after_resolved && send.conversation.is_some() => {
                return Err(ValidationError::new(
                    "conversation_id",
                    "this conversation is resolved: start a new one",
                )
                .into());
            }
            Some(c) if !send.new_conversation && (!resolved(&c) || after_resolved) => c,
            _ => {
                self.start_conversation(
                    identity.inbox.account_id,
                    &crate::service::StartConversation {
                        inbox_id: identity.inbox.id,
                        contact_id: identity.contact.id,
                        source_id: Some(identity.contact_inbox.source_id.clone()),
                        status: ConversationStatus::Open,
                        assignee_id: None,
                        team_id: None,
                        priority: None,
                        additional_attributes: visit_attributes(visit),
                        custom_attributes: pre_chat
                            .map(|p| p.conversation_attributes)
                            .unwrap_or_default(),
                    },
                )
                .await?
            }
        };
        let input = MessageInput {
            content,
            message_type: MessageType::Incoming,
            private: false,
            sender: Some(Sender::Contact(identity.contact.id)),
            source_id: None,
            content_type: ContentType::Text,
            content_attributes: Attributes::new(),
        };
        let (message, conversation) = self
            .post_with_files(conversation, &input, send.files)
            .await?;
        Ok((identity, message, conversation))
    }

    /// Records that the visitor read conversation `id` (the newest when none) now.
    pub async fn widget_mark_seen(
        &self,
        identity: &PublicIdentity,
        id: Option<DisplayId>,
    ) -> Result<(), ServiceError> {
        if let Some(conversation) = self.widget_conversation_of(identity, id).await? {
            self.mark_seen_by_contact(identity.inbox.account_id, conversation.display_id)
                .await?;
        }
        Ok(())
    }

    /// The visitor ends conversation `id` (the newest when none): it is resolved as an agent's
    /// resolution is (activity line, status events, webhooks, the survey). Only when the inbox
    /// turns the `end_conversation` feature on (403 otherwise); 404 for a conversation that is
    /// not the visitor's, or before their first one.
    pub async fn widget_end_conversation(
        &self,
        visitor: &WidgetVisitor,
        identity: &PublicIdentity,
        id: Option<DisplayId>,
    ) -> Result<Conversation, ServiceError> {
        if !visitor.widget()?.feature("end_conversation") {
            return Err(ServiceError::Forbidden(
                "the end_conversation feature is off for this website",
            ));
        }
        let conversation = self
            .widget_conversation_of(identity, id)
            .await?
            .ok_or(ServiceError::NotFound("conversation"))?;
        self.public_resolve(identity, conversation.display_id).await
    }

    /// Publishes that the visitor started or stopped typing in conversation `id` (the newest
    /// when none; nothing before their first message).
    pub async fn widget_typing(
        &self,
        identity: &PublicIdentity,
        id: Option<DisplayId>,
        on: bool,
    ) -> Result<(), ServiceError> {
        if let Some(conversation) = self.widget_conversation_of(identity, id).await? {
            self.typing(
                identity.inbox.account_id,
                conversation.display_id,
                on,
                Sender::Contact(identity.contact.id),
                false,
            )
            .await?;
        }
        Ok(())
    }
}
