//! The satisfaction survey after a resolution (Chatwoot's CSAT): when a conversation of a
//! website inbox with `csat_survey_enabled` becomes resolved, an `input_csat` template message
//! asks the visitor to rate it, once per resolution. The visitor's answer is the message's
//! `content_attributes.submitted_values.csat_survey_response` (`public_submit_values`). The
//! inbox's `csat_config` gives the survey's text (`message`) and, by `survey_rules`, which
//! conversations are asked (by their labels).

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
        let Some(widget) = inbox
            .channel
            .web_widget()
            .filter(|w| super::csat_enabled(w))
        else {
            return Ok(conversation);
        };
        // `csat_config.survey_rules`: only conversations with (or without) these labels.
        if !widget.csat_config.asks(&conversation.labels) {
            return Ok(conversation);
        }
        let content = match widget.csat_config.message.as_str() {
            "" => CSAT_MESSAGE.to_owned(),
            own => own.to_owned(),
        };
        let input = MessageInput {
            content,
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
