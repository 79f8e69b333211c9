//! A contact's answer to a bot's question (`input_select`, `form`, `input_email`, …) or to a
//! satisfaction survey (`input_csat`): the client API's message `PATCH` with
//! `submitted_values`, stored in the message's `content_attributes` as Chatwoot stores it.

use oxidesk_domain::{
    ContentType, DisplayId, Message, MessageId, MessageType, Timestamp, ValidationError,
    ValidationErrors, validate,
};
use serde_json::{Map, Value, json};

use super::{PublicIdentity, refuse_blocked};
use crate::service::{ServiceError, Services, found};

/// How long a survey can still be answered (Chatwoot's 14 days).
const CSAT_WINDOW_SECS: i64 = 14 * 24 * 3600;

/// The keys of an answer Chatwoot keeps (its strong parameters); others are dropped.
const ANSWER_KEYS: [&str; 3] = ["name", "title", "value"];
/// The keys of `csat_survey_response` Chatwoot keeps.
const CSAT_KEYS: [&str; 2] = ["rating", "feedback_message"];

impl Services {
    /// Stores the contact's `submitted_values` (a list of `{name, title, value,
    /// csat_survey_response: {rating, feedback_message}}`) in a message they can see.
    pub async fn public_submit_values(
        &self,
        identity: &PublicIdentity,
        id: DisplayId,
        message: MessageId,
        submitted: &Value,
    ) -> Result<(Message, oxidesk_domain::Conversation), ServiceError> {
        let conversation = self.public_conversation(identity, id).await?;
        refuse_blocked(&identity.contact)?;
        let mut message = found(
            self.store.message(conversation.id, message).await,
            "message",
        )?;
        if message.private || message.message_type == MessageType::Activity {
            return Err(ServiceError::NotFound("message"));
        }
        let now = Timestamp::now();
        if message.content_type == ContentType::InputCsat
            && now.secs() - message.created_at.secs() > CSAT_WINDOW_SECS
        {
            return Err(ValidationError::new(
                "submitted_values",
                "You cannot update the CSAT survey after 14 days",
            )
            .into());
        }
        let values = answers(submitted)?;
        if message.content_type == ContentType::InputEmail {
            answered_email(&values)?;
        }
        message
            .content_attributes
            .insert("submitted_values".into(), values);
        let updated = self
            .store
            .set_message_content_attributes(
                conversation.id,
                message.id,
                &message.content_attributes,
                now,
            )
            .await?;
        self.events.publish(
            identity.inbox.account_id,
            "message.updated",
            json!({"id": updated.id, "conversation_id": conversation.display_id}),
        );
        Ok((updated, conversation))
    }
}

/// The answers as Chatwoot keeps them: a list of objects with only the permitted keys, or, for
/// a survey as Chatwoot's widget sends it, `{csat_survey_response: {rating, feedback_message}}`
/// (a rating from 1 to 5).
fn answers(submitted: &Value) -> Result<Value, ServiceError> {
    if let Some(Value::Object(csat)) = submitted.get("csat_survey_response") {
        let rating = csat.get("rating").and_then(Value::as_i64);
        if !rating.is_some_and(|r| (1..=5).contains(&r)) {
            return Err(ValidationError::new(
                "submitted_values.csat_survey_response.rating",
                "must be a whole number from 1 to 5",
            )
            .into());
        }
        return Ok(json!({"csat_survey_response": pick(csat, &CSAT_KEYS)}));
    }
    let Value::Array(items) = submitted else {
        return Err(ValidationError::new("submitted_values", "must be a list of answers").into());
    };
    let mut errors = ValidationErrors::new();
    let mut kept = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let Value::Object(fields) = item else {
            errors.push(
                format!("submitted_values[{i}]"),
                "must be an object {name, title, value}",
            );
            continue;
        };
        let mut answer = pick(fields, &ANSWER_KEYS);
        if let Some(Value::Object(csat)) = fields.get("csat_survey_response") {
            answer.insert(
                "csat_survey_response".into(),
                Value::Object(pick(csat, &CSAT_KEYS)),
            );
        }
        kept.push(Value::Object(answer));
    }
    errors.into_result()?;
    Ok(Value::Array(kept))
}

/// The email an answer to an `input_email` message gives (the first answer's `value`), checked
/// as a contact's email; `None` when the answer has none.
pub(crate) fn answered_email(values: &Value) -> Result<Option<String>, ValidationError> {
    let value = values
        .get(0)
        .and_then(|answer| answer.get("value"))
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|v| !v.is_empty());
    value
        .map(|v| validate::email("submitted_values[0].value", v))
        .transpose()
}

fn pick(fields: &Map<String, Value>, keys: &[&str]) -> Map<String, Value> {
    keys.iter()
        .filter_map(|k| fields.get(*k).map(|v| ((*k).to_owned(), v.clone())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_keep_chatwoots_keys() {
        let kept = answers(&json!([
            {"name": "plan", "title": "Plan", "value": "pro", "evil": 1},
            {"csat_survey_response": {"rating": 5, "feedback_message": "great", "x": 2}}
        ]))
        .expect("answers");
        assert_eq!(
            kept,
            json!([
                {"name": "plan", "title": "Plan", "value": "pro"},
                {"csat_survey_response": {"rating": 5, "feedback_message": "great"}}
            ])
        );
        assert!(answers(&json!({"value": 1})).is_err());
        let survey =
            json!({"csat_survey_response": {"rating": 4, "feedback_message": "ok", "x": 1}});
        assert_eq!(
            answers(&survey).expect("survey"),
            json!({"csat_survey_response": {"rating": 4, "feedback_message": "ok"}})
        );
        assert!(answers(&json!({"csat_survey_response": {"rating": 9}})).is_err());
        assert!(answers(&json!([1])).is_err());
        assert_eq!(
            answered_email(&json!([{"value": " Ana@Example.com "}])).expect("email"),
            Some("ana@example.com".to_owned())
        );
        assert_eq!(answered_email(&json!([])).expect("none"), None);
        let wrong = answered_email(&json!([{"value": "not an email"}])).expect_err("refused");
        assert_eq!(wrong.field, "submitted_values[0].value");
    }
}
