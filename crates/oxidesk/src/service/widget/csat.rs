//! The satisfaction survey after a resolution (Chatwoot's CSAT): when a conversation of a
//! website inbox with `csat_survey_enabled` becomes resolved, an `input_csat` template message
//! asks the visitor to rate it, once per resolution. The visitor's answer is the message's
//! `content_attributes.submitted_values.csat_survey_response` (`public_submit_values`).

use oxidesk_domain::{
    Attributes, ContentType, Conversation, ConversationStatus, MessageType, Timestamp,
};

use crate::service::{MessageInput, ServiceError, Services};

/// The survey's text, Chatwoot's.
pub const CSAT_MESSAGE: &str = "Please rate the conversation";

impl Services {
    /// Asks for a rating when `conversation` was just resolved (it was `before`) in a website
    /// inbox with the survey on; answers the conversation after it.
    pub(crate) async fn survey_after_resolve(
        &self,
        conversation: Conversation,
        before: ConversationStatus,
        now: Timestamp,
    ) -> Result<Conversation, ServiceError> {
        if before == ConversationStatus::Resolved
            || conversation.status != ConversationStatus::Resolved
        {
            return Ok(conversation);
        }
        let inbox = self
            .store
            .inbox(conversation.account_id, conversation.inbox_id)
            .await?;
        if !inbox.channel.web_widget().is_some_and(super::csat_enabled) {
            return Ok(conversation);
        }
        let input = MessageInput {
            content: CSAT_MESSAGE.to_owned(),
            message_type: MessageType::Template,
            private: false,
            sender: None,
            source_id: None,
            content_type: ContentType::InputCsat,
            content_attributes: Attributes::new(),
        };
        Ok(self.post_into(conversation, &input, now).await?.1)
    }
}
