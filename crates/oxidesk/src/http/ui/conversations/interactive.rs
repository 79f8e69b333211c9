//! Interactive messages in the agent's thread: what an `input_select`, `cards`, `form`,
//! `input_email` or `input_csat` message asked (its `content_attributes.items`) and what the
//! customer answered (`submitted_values`, `submitted_email`), as plain text. Everything here was
//! written by a customer, a bot or an agent and is shown escaped; card links are shown as text.

use oxidesk_domain::Attributes;
use serde_json::Value;

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
    use serde_json::json;

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
