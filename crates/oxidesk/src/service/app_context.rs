//! The context handed to Dashboard Apps beside an open conversation.

use oxidesk_domain::{AccountId, Conversation, User};

use super::{ServiceError, Services};
use crate::views::{
    APP_CONTEXT_MESSAGES, AppContextView, AppConversationView, ConversationView, CurrentAgentView,
    CustomAttributeView, app_contact, app_sender, fill_conversation_attributes,
};

impl Services {
    /// The `appContext` data of `conversation` (of `account`) for `agent`: the conversation
    /// with its latest messages (oldest first), its contact, the agent and the account's
    /// custom attribute definitions.
    pub async fn app_context(
        &self,
        account: AccountId,
        conversation: &Conversation,
        agent: &User,
    ) -> Result<AppContextView, ServiceError> {
        let view = self.conversation_view(account, conversation).await?;
        self.app_context_of(account, conversation, view, agent)
            .await
    }

    /// [`Services::app_context`] from the conversation's view, when the caller has built it
    /// already (the conversation page has).
    pub async fn app_context_of(
        &self,
        account: AccountId,
        conversation: &Conversation,
        mut view: ConversationView,
        agent: &User,
    ) -> Result<AppContextView, ServiceError> {
        // One more than shown tells whether older ones exist.
        let mut messages = self
            .store
            .messages_before(conversation.id, None, APP_CONTEXT_MESSAGES as i64 + 1)
            .await?;
        let all_messages_loaded = messages.len() <= APP_CONTEXT_MESSAGES;
        if !all_messages_loaded {
            messages.remove(0);
        }
        view.messages = self.message_views(conversation, &messages).await?;
        for sender in view.messages.iter_mut().filter_map(|m| m.sender.as_mut()) {
            app_sender(sender);
        }
        if let Some(sender) = view
            .last_non_activity_message
            .as_mut()
            .and_then(|m| m.sender.as_mut())
        {
            app_sender(sender);
        }
        // `meta.sender` is the whole contact already: the same view serves as `contact`.
        view.meta.sender = app_contact(view.meta.sender);
        fill_conversation_attributes(&mut view.additional_attributes);
        let contact = view.meta.sender.clone();
        let definitions = self.attribute_definitions(account, None).await?;
        Ok(AppContextView {
            conversation: AppConversationView {
                conversation: view,
                all_messages_loaded,
                data_fetched: true,
            },
            contact,
            current_agent: CurrentAgentView {
                id: agent.id.get(),
                name: agent.name.clone(),
                email: agent.email.clone(),
            },
            custom_attributes: definitions.iter().map(CustomAttributeView::from).collect(),
        })
    }
}
