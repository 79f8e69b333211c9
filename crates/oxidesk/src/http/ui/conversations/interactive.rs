//! Interactive messages: the composer's "Send as" menu posts `POST
//! …/conversations/{display_id}/interactive` (`{content_type, content, items}`, session and
//! CSRF), whose lines are read here into Chatwoot's `content_attributes`; and the agent's thread
//! shows what an `input_select`, `cards`, `form`, `input_email` or `input_csat` message asked
//! and what the customer answered (`submitted_values`, `submitted_email`), as plain text.
//! Everything here was written by a customer, a bot or an agent and is shown escaped; card
//! links are shown as text.
//!
//! Items, one per line: `input_select` "Title | value"; `cards` "Title | description |
//! https://link"; `form` "Label | type" (`text`, `email`, `text_area`, `number`).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use oxidesk_domain::{Attributes, ContentType, MessageType, Sender, ValidationError};
use serde_json::{Value, json};

use super::display_id;
use crate::http::ui::shell::Member;
use crate::http::{ApiError, AppState};
use crate::service::MessageInput;

/// The body the composer posts.
#[derive(Debug, serde::Deserialize)]
pub(super) struct InteractiveRequest {
    content_type: String,
    #[serde(default)]
    content: String,
    #[serde(default)]
    items: String,
}

/// `{account_id}/conversations/{display_id}`.
#[derive(Debug, serde::Deserialize)]
pub(super) struct InteractivePath {
    display_id: String,
}

/// What the agent writes when they leave the message empty.
fn default_content(kind: &str) -> &'static str {
    match kind {
        "input_select" => "Please choose an option",
        "cards" => "Here are some options",
        "form" => "Please fill in this form",
        "input_email" => "Please share your email address so we can reach you",
        _ => "Please rate this conversation",
    }
}

fn slug(text: &str, index: usize) -> String {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        format!("field_{}", index + 1)
    } else {
        words.join("_")
    }
}

/// Chatwoot's `content_attributes` of `kind` from the lines of `items`.
fn attributes_of(kind: &str, items: &str) -> Result<Attributes, ValidationError> {
    let lines: Vec<Vec<&str>> = items
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| l.split('|').map(str::trim).collect())
        .collect();
    let at = |parts: &[&str], i: usize| parts.get(i).copied().unwrap_or("").to_owned();
    let list: Vec<Value> = match kind {
        "input_email" | "input_csat" => return Ok(Attributes::new()),
        "input_select" => lines
            .iter()
            .map(|p| {
                let value = Some(at(p, 1)).filter(|v| !v.is_empty()).unwrap_or(at(p, 0));
                json!({"title": at(p, 0), "value": value})
            })
            .collect(),
        "cards" => lines
            .iter()
            .map(|p| {
                let link = at(p, 2);
                let actions = if link.starts_with("https://") || link.starts_with("http://") {
                    json!([{"type": "link", "text": "Open", "uri": link}])
                } else {
                    json!([])
                };
                json!({"title": at(p, 0), "description": at(p, 1), "actions": actions})
            })
            .collect(),
        "form" => lines
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let label = at(p, 0);
                let kind = at(p, 1);
                let kind = match kind.as_str() {
                    "email" | "text_area" | "number" => kind,
                    _ => "text".to_owned(),
                };
                json!({"name": slug(&label, i), "label": label, "type": kind, "placeholder": label})
            })
            .collect(),
        _ => {
            return Err(ValidationError::new(
                "content_type",
                "must be input_select, cards, form, input_email or input_csat",
            ));
        }
    };
    if list.is_empty() {
        return Err(ValidationError::new(
            "items",
            "needs at least one line (add them below the message)",
        ));
    }
    let mut attributes = Attributes::new();
    attributes.insert("items".into(), Value::Array(list));
    Ok(attributes)
}

/// `POST …/conversations/{display_id}/interactive`: the agent sends an interactive message.
pub(super) async fn post_interactive(
    State(state): State<AppState>,
    member: Member,
    Path(path): Path<InteractivePath>,
    headers: HeaderMap,
    Json(body): Json<InteractiveRequest>,
) -> Response {
    let csrf = headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if let Err(refused) = member.signed_in.check_csrf(&headers, csrf) {
        return refused.into_response();
    }
    let id = match display_id(&path.display_id) {
        Ok(id) => id,
        Err(page) => return page.into_response(),
    };
    let sent = async {
        let content_attributes = attributes_of(&body.content_type, &body.items)
            .map_err(crate::service::ServiceError::from)?;
        let content_type: ContentType = body
            .content_type
            .parse()
            .map_err(|_| ValidationError::new("content_type", "is not known"))
            .map_err(crate::service::ServiceError::from)?;
        let content = Some(body.content.trim())
            .filter(|c| !c.is_empty())
            .unwrap_or(default_content(&body.content_type))
            .to_owned();
        let input = MessageInput {
            content,
            message_type: MessageType::Outgoing,
            private: false,
            sender: Some(Sender::User(member.user().id)),
            source_id: None,
            content_type,
            content_attributes,
        };
        state
            .services
            .post_message(member.account_id(), id, &input)
            .await
            .map_err(ApiError::from)
    };
    match sent.await {
        Ok(message) => Json(json!({"id": message.id})).into_response(),
        Err(error) => error.into_response(),
    }
}

/// An interactive message as the thread shows it.
#[derive(Debug, Clone)]
pub(super) struct InteractiveView {
    /// "Options", "Cards", "Form", "Email request", "Satisfaction survey".
    pub(super) label: &'static str,
    /// What was offered: an option, a card, a form field per entry.
    pub(super) items: Vec<String>,
    /// What the customer answered, as (question, answer).
    pub(super) answers: Vec<(String, String)>,
}

fn text(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => if *b { "Yes" } else { "No" }.to_owned(),
        _ => String::new(),
    }
}

fn first_text(item: &Value, keys: &[&str]) -> String {
    keys.iter()
        .map(|k| text(item.get(*k)))
        .find(|t| !t.is_empty())
        .unwrap_or_default()
}

/// The view of a message of `content_type` with these attributes; `None` for a plain message.
pub(super) fn interactive(content_type: &str, attributes: &Attributes) -> Option<InteractiveView> {
    let label = match content_type {
        "input_select" => "Options",
        "cards" => "Cards",
        "form" => "Form",
        "input_email" => "Email request",
        "input_csat" => "Satisfaction survey",
        _ => return None,
    };
    let items = attributes
        .get("items")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|item| match content_type {
                    "cards" => {
                        let title = first_text(item, &["title"]);
                        let description = first_text(item, &["description"]);
                        let links: Vec<String> = item
                            .get("actions")
                            .and_then(Value::as_array)
                            .into_iter()
                            .flatten()
                            .map(|a| {
                                let uri = first_text(a, &["uri", "payload"]);
                                format!("{} ({uri})", first_text(a, &["text"]))
                            })
                            .collect();
                        [title, description, links.join(", ")]
                            .into_iter()
                            .filter(|t| !t.is_empty())
                            .collect::<Vec<_>>()
                            .join(" — ")
                    }
                    "form" => {
                        let required = if item.get("required") == Some(&Value::Bool(true)) {
                            ", required"
                        } else {
                            ""
                        };
                        format!(
                            "{} ({}{required})",
                            first_text(item, &["label", "name"]),
                            first_text(item, &["type"])
                        )
                    }
                    _ => first_text(item, &["title", "value"]),
                })
                .filter(|t| !t.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let mut answers = Vec::new();
    if let Some(email) = attributes.get("submitted_email").and_then(Value::as_str) {
        answers.push(("Email".to_owned(), email.to_owned()));
    }
    for value in attributes
        .get("submitted_values")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(csat) = value.get("csat_survey_response") {
            let rating = text(csat.get("rating"));
            if !rating.is_empty() {
                answers.push(("Rating".to_owned(), format!("{rating} of 5")));
            }
            let feedback = text(csat.get("feedback_message"));
            if !feedback.is_empty() {
                answers.push(("Feedback".to_owned(), feedback));
            }
            continue;
        }
        let question = first_text(value, &["title", "name"]);
        let answer = text(value.get("value"));
        let answer = if answer.is_empty() {
            first_text(value, &["title"])
        } else {
            answer
        };
        let question = if question.is_empty() || question == answer {
            "Answer".to_owned()
        } else {
            question
        };
        answers.push((question, answer));
    }
    Some(InteractiveView {
        label,
        items,
        answers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_become_chatwoots_items() {
        let select = attributes_of("input_select", "Sales | sales\n\n Support ").expect("select");
        assert_eq!(
            Value::Object(select),
            json!({"items": [{"title": "Sales", "value": "sales"}, {"title": "Support", "value": "Support"}]})
        );
        let form = attributes_of("form", "Your email | email\nOrder no. | colour").expect("form");
        assert_eq!(form["items"][0]["name"], "your_email");
        assert_eq!(form["items"][1]["name"], "order_no");
        assert_eq!(form["items"][1]["type"], "text");
        let cards = attributes_of(
            "cards",
            "Pro | Fast | https://shop.example\nFree | | javascript:x",
        )
        .expect("cards");
        assert_eq!(
            cards["items"][0]["actions"][0]["uri"],
            "https://shop.example"
        );
        assert_eq!(cards["items"][1]["actions"], json!([]));
        assert!(attributes_of("input_csat", "").expect("csat").is_empty());
        assert_eq!(
            attributes_of("cards", " \n").expect_err("empty").field,
            "items"
        );
        assert_eq!(
            attributes_of("text", "x").expect_err("plain").field,
            "content_type"
        );
    }

    fn attrs(value: Value) -> Attributes {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn questions_and_answers_read_as_text() {
        assert!(interactive("text", &Attributes::new()).is_none());
        let select = interactive(
            "input_select",
            &attrs(json!({"items": [{"title": "Sales", "value": "sales"}, {"title": "Support", "value": "support"}],
                          "submitted_values": [{"title": "Support", "value": "support"}]})),
        )
        .expect("select");
        assert_eq!(select.items, ["Sales", "Support"]);
        assert_eq!(
            select.answers,
            [("Support".to_owned(), "support".to_owned())]
        );
        let form = interactive(
            "form",
            &attrs(json!({"items": [{"name": "email", "label": "Your email", "type": "email", "required": true}],
                          "submitted_values": [{"name": "email", "title": "Your email", "value": "a@b.test"}]})),
        )
        .expect("form");
        assert_eq!(form.items, ["Your email (email, required)"]);
        assert_eq!(
            form.answers,
            [("Your email".to_owned(), "a@b.test".to_owned())]
        );
        let csat = interactive(
            "input_csat",
            &attrs(json!({"submitted_values": [{"csat_survey_response": {"rating": 4, "feedback_message": "Quick"}}]})),
        )
        .expect("csat");
        assert_eq!(csat.answers[0], ("Rating".to_owned(), "4 of 5".to_owned()));
        assert_eq!(csat.answers[1].1, "Quick");
        let cards = interactive(
            "cards",
            &attrs(json!({"items": [{"title": "Plan", "description": "Pro", "actions": [{"type": "link", "text": "Buy", "uri": "https://shop.example"}]}]})),
        )
        .expect("cards");
        assert_eq!(cards.items, ["Plan — Pro — Buy (https://shop.example)"]);
        let email = interactive(
            "input_email",
            &attrs(json!({"submitted_email": "x@y.test"})),
        )
        .expect("email");
        assert_eq!(email.answers, [("Email".to_owned(), "x@y.test".to_owned())]);
    }
}
