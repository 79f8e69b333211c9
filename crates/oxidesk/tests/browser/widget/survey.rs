//! The pre-chat form and the satisfaction survey, as a visitor meets them (the page as mobile
//! apps open it, `/widget?website_token=…`): a required field left empty is named and focused;
//! the filled form starts the conversation with the contact's name and email; the agent
//! resolves it and the survey appears live, as the inbox's `csat_config` draws it (stars, its
//! message and button); the visitor's rating reaches the conversation; the visitor then starts
//! a new conversation.

use serde_json::{Value, json};

use super::LIVE_WITHIN;
use super::files::open_widget;
use crate::browser_test;

browser_test!(
    the_pre_chat_form_and_the_survey_round_trip,
    |desk| async move {
        let api = desk.api().await;
        let inbox = api
            .post(
                "/api/v1/accounts/1/inboxes",
                json!({"name": "Survey site", "csat_survey_enabled": true,
                   "csat_config": {"display_type": "star", "message": "How did we do?",
                     "button_text": "Send my rating"},
                   "channel": {"type": "web_widget", "website_url": "https://survey.example",
                   "pre_chat_form_enabled": true, "pre_chat_form_options": {
                     "pre_chat_message": "Tell us who you are",
                     "pre_chat_fields": [
                       {"name": "emailAddress", "label": "Email", "type": "email", "field_type": "standard", "required": true, "enabled": true},
                       {"name": "fullName", "label": "Name", "type": "text", "field_type": "standard", "required": false, "enabled": true}
                     ]}}}),
            )
            .await;
        let website_token = inbox["website_token"].as_str().unwrap().to_owned();
        assert_eq!(inbox["csat_survey_enabled"], true, "{inbox}");

        let visitor = desk.tab().await;
        open_widget(&visitor, &website_token).await;
        visitor
            .wait_for(
                "the pre-chat form instead of the composer",
                "document.querySelector('#widget-pre-chat') !== null \
                 && document.querySelector('#widget-composer').hidden",
            )
            .await;
        let message: String = visitor
            .eval("document.querySelector('#widget-pre-chat .pre-chat-message').textContent")
            .await;
        assert_eq!(message, "Tell us who you are");

        // The required email left empty: the error names it and the field gets the focus.
        visitor
            .type_into("#pre-chat-content", "Hello from the form")
            .await;
        visitor.click("#widget-pre-chat button[type=submit]").await;
        visitor
            .wait_for(
                "the error for the email",
                "!document.querySelector('.pre-chat-error').hidden \
                 && document.activeElement === document.querySelector('[name=emailAddress]')",
            )
            .await;
        visitor
            .type_into("[name=emailAddress]", "pia.prechat@example.com")
            .await;
        visitor.type_into("[name=fullName]", "Pia Prechat").await;
        visitor.click("#widget-pre-chat button[type=submit]").await;
        visitor
            .wait_for(
                "the conversation started",
                "document.querySelector('#widget-pre-chat') === null \
                 && !document.querySelector('#widget-composer').hidden \
                 && [...document.querySelectorAll('#widget-messages li p')].some(p => p.textContent === 'Hello from the form')",
            )
            .await;

        // The contact has what the form gave.
        let found = api
            .get("/api/v1/accounts/1/contacts/search?q=pia.prechat%40example.com")
            .await;
        let contact = found["payload"][0].clone();
        assert_eq!(contact["name"], "Pia Prechat", "{found}");
        let conversations = api
            .get(&format!(
                "/api/v1/accounts/1/contacts/{}/conversations",
                contact["id"]
            ))
            .await;
        let id = conversations["payload"][0]["id"]
            .as_i64()
            .expect("one conversation");

        // Resolved by the agent: the survey appears live, once.
        api.post(
            &format!("/api/v1/accounts/1/conversations/{id}/toggle_status"),
            json!({"status": "resolved"}),
        )
        .await;
        visitor
            .wait_for_within(
                "the survey",
                "document.querySelectorAll('#widget-messages form.csat').length === 1",
                LIVE_WITHIN,
            )
            .await;
        // The inbox's csat_config: stars, its message and its button.
        let survey: Vec<String> = visitor
            .eval(
                "(() => { const f = document.querySelector('#widget-messages form.csat.csat-star');                    return [f.closest('li').querySelector('p').textContent,                      String(f.querySelectorAll('.star').length),                      f.querySelector('button[type=submit]').textContent]; })()",
            )
            .await;
        assert_eq!(survey, ["How did we do?", "5", "Send my rating"]);
        visitor
            .click("#widget-messages form.csat .star[data-n='4']")
            .await;
        let lit: usize = visitor
            .eval("document.querySelectorAll('#widget-messages form.csat .star.on').length")
            .await;
        assert_eq!(lit, 4, "the stars up to the rating light up");
        visitor
            .type_into("#widget-messages form.csat textarea", "Quick and kind")
            .await;
        visitor
            .click("#widget-messages form.csat button[type=submit]")
            .await;
        visitor
            .wait_for(
                "the thanks",
                "document.querySelector('#widget-messages form.csat .thanks') !== null",
            )
            .await;
        let messages = api.messages(id).await;
        let surveys: Vec<&Value> = messages
            .iter()
            .filter(|m| m["content_type"] == "input_csat")
            .collect();
        assert_eq!(surveys.len(), 1, "one survey per resolve: {messages:?}");
        assert_eq!(
            surveys[0]["content_attributes"]["submitted_values"]["csat_survey_response"],
            json!({"rating": 4, "feedback_message": "Quick and kind"})
        );

        // A new conversation after the resolution.
        visitor
            .wait_for(
                "the new-conversation button",
                "!document.querySelector('#widget-resolved').hidden",
            )
            .await;
        visitor.click("#widget-new").await;
        visitor.type_into("#widget-input", "One more thing").await;
        visitor.press("#widget-input", "Enter").await;
        let start = std::time::Instant::now();
        loop {
            let conversations = api
                .get(&format!(
                    "/api/v1/accounts/1/contacts/{}/conversations",
                    contact["id"]
                ))
                .await;
            if conversations["payload"].as_array().map(Vec::len) == Some(2) {
                break;
            }
            assert!(
                start.elapsed() < LIVE_WITHIN,
                "no second conversation: {conversations}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
);
