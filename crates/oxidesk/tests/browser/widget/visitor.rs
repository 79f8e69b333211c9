//! What the visitor does besides writing (the page as mobile apps open it,
//! `/widget?website_token=…`): ending the conversation (confirmed in place, by keyboard; the
//! agent sees it resolved and the survey follows with the inbox's look and texts), and the
//! emoji picker (loaded on first use, inserting at the caret, arrow keys and Escape), each
//! hidden when the inbox turns its feature off.

use serde_json::{Value, json};

use super::LIVE_WITHIN;
use super::files::open_widget;
use crate::browser_test;
use crate::chromium::Tab;

/// The id of the conversation the visitor started (the inbox's only one).
async fn only_conversation(api: &crate::client::Api, inbox: &Value) -> i64 {
    let list = api
        .get(&format!(
            "/api/v1/accounts/1/conversations?inbox_id={}&assignee_type=all&status=all",
            inbox["id"]
        ))
        .await;
    list["data"]["payload"][0]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no conversation: {list}"))
}

/// The visitor writes `text` and waits until it is shown.
async fn send(visitor: &Tab, text: &str) {
    visitor.type_into("#widget-input", text).await;
    visitor.press("#widget-input", "Enter").await;
    visitor
        .wait_for(
            "the message sent",
            &format!(
                "[...document.querySelectorAll('#widget-messages li p')].some(p => p.textContent === {})",
                crate::chromium::js_string(text)
            ),
        )
        .await;
}

browser_test!(
    the_visitor_ends_the_conversation_and_rates_it,
    |desk| async move {
        let api = desk.api().await;
        let inbox = api
            .post(
                "/api/v1/accounts/1/inboxes",
                json!({"name": "Ending site", "csat_survey_enabled": true,
                   "csat_config": {"display_type": "emoji", "message": "How was it?",
                     "button_text": "Send my rating"},
                   "channel": {"type": "web_widget", "website_url": "https://end.example"}}),
            )
            .await;
        let website_token = inbox["website_token"].as_str().unwrap().to_owned();
        let visitor = desk.tab().await;
        open_widget(&visitor, &website_token).await;
        assert!(
            visitor
                .eval::<bool>("document.querySelector('#widget-end').hidden")
                .await,
            "nothing to end before the first message"
        );
        send(&visitor, "That answers it, thanks").await;
        let id = only_conversation(&api, &inbox).await;

        // The button asks first; Cancel (and Escape) leave the conversation open.
        visitor
            .wait_for(
                "the end button",
                "!document.querySelector('#widget-end').hidden",
            )
            .await;
        visitor.click("#widget-end").await;
        visitor
            .wait_for(
                "the question, the focus on Cancel",
                "!document.querySelector('#widget-end-confirm').hidden \
                 && document.activeElement.id === 'widget-end-no' \
                 && document.querySelector('#widget-end').getAttribute('aria-expanded') === 'true'",
            )
            .await;
        visitor.key("Escape", 27, false).await;
        visitor
            .wait_for(
                "the question closed, the focus back",
                "document.querySelector('#widget-end-confirm').hidden \
                 && document.activeElement.id === 'widget-end'",
            )
            .await;
        assert_eq!(
            api.get(&format!("/api/v1/accounts/1/conversations/{id}"))
                .await["status"],
            "open"
        );

        // By keyboard: Enter on the button, Tab to "End it", Enter.
        visitor.key("Enter", 13, false).await;
        visitor
            .wait_for(
                "the question again",
                "document.activeElement.id === 'widget-end-no'",
            )
            .await;
        visitor.key("Tab", 9, true).await;
        visitor
            .wait_for(
                "the focus on End it",
                "document.activeElement.id === 'widget-end-yes'",
            )
            .await;
        visitor.key("Enter", 13, false).await;
        visitor
            .wait_for(
                "the resolved bar, the end button gone",
                "!document.querySelector('#widget-resolved').hidden \
                 && document.querySelector('#widget-end').hidden \
                 && document.querySelector('#widget-end-confirm').hidden",
            )
            .await;
        assert_eq!(
            api.get(&format!("/api/v1/accounts/1/conversations/{id}"))
                .await["status"],
            "resolved"
        );

        // The survey, with the inbox's message, faces and button.
        visitor
            .wait_for_within(
                "the survey with faces",
                "document.querySelectorAll('#widget-messages form.csat.csat-emoji .face').length === 5 \
                 && [...document.querySelectorAll('#widget-messages li p')].some(p => p.textContent === 'How was it?')",
                LIVE_WITHIN,
            )
            .await;
        let button: String = visitor
            .eval("document.querySelector('#widget-messages form.csat button[type=submit]').textContent")
            .await;
        assert_eq!(button, "Send my rating");
        visitor
            .click("#widget-messages form.csat .face[data-n='5']")
            .await;
        let chosen: Vec<String> = visitor
            .eval("[...document.querySelectorAll('.face')].filter(f => f.getAttribute('aria-checked') === 'true').map(f => f.dataset.n)")
            .await;
        assert_eq!(chosen, ["5"], "one face is chosen");
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
        let survey = messages
            .iter()
            .find(|m| m["content_type"] == "input_csat")
            .expect("a survey");
        assert_eq!(
            survey["content_attributes"]["submitted_values"]["csat_survey_response"]["rating"],
            5
        );

        // Without the feature there is no button.
        let api_only = api
            .post(
                "/api/v1/accounts/1/inboxes",
                json!({"name": "No ending", "channel": {"type": "web_widget",
                   "website_url": "https://no-end.example", "selected_feature_flags": []}}),
            )
            .await;
        let other = desk.tab().await;
        open_widget(&other, api_only["website_token"].as_str().unwrap()).await;
        send(&other, "Hello").await;
        assert!(
            other
                .eval::<bool>(
                    "document.querySelector('#widget-end').hidden \
                     && document.querySelector('#widget-emoji').hidden \
                     && document.querySelector('#widget-attach').hidden"
                )
                .await
        );
    }
);

browser_test!(the_emoji_picker_inserts_at_the_caret, |desk| async move {
    let api = desk.api().await;
    let inbox = api
        .post(
            "/api/v1/accounts/1/inboxes",
            json!({"name": "Emoji site", "channel": {"type": "web_widget",
                   "website_url": "https://emoji.example"}}),
        )
        .await;
    let visitor = desk.tab().await;
    open_widget(&visitor, inbox["website_token"].as_str().unwrap()).await;
    assert!(
        visitor.responses_to("/widget/emoji.js").is_empty(),
        "the picker is not part of the first open"
    );
    visitor.type_into("#widget-input", "Hello world").await;
    visitor
        .eval::<bool>(
            "(() => { const i = document.querySelector('#widget-input'); i.setSelectionRange(5, 5); return true; })()",
        )
        .await;
    visitor.click("#widget-emoji").await;
    visitor
        .wait_for(
            "the picker, the focus on its first emoji",
            "(() => { const p = document.querySelector('#widget-emoji-picker'); \
               return p && !p.hidden && p.getAttribute('role') === 'dialog' \
                 && document.activeElement === p.querySelector('button') \
                 && document.querySelector('#widget-emoji').getAttribute('aria-expanded') === 'true'; })()",
        )
        .await;
    assert_eq!(visitor.responses_to("/widget/emoji.js").len(), 1);
    let unnamed: usize = visitor
        .eval("[...document.querySelectorAll('#widget-emoji-picker button')].filter(b => !b.getAttribute('aria-label')).length")
        .await;
    assert_eq!(unnamed, 0, "every emoji has a name");
    // Arrow keys move (one row down, one back), Enter inserts at the caret.
    visitor.key("ArrowDown", 40, false).await;
    visitor.key("ArrowLeft", 37, false).await;
    let focused: String = visitor
        .eval("document.activeElement.getAttribute('aria-label')")
        .await;
    let emoji: String = visitor.eval("document.activeElement.textContent").await;
    let index: i64 = visitor
        .eval("[...document.querySelectorAll('#widget-emoji-picker button')].indexOf(document.activeElement)")
        .await;
    assert_eq!(index, 7, "{focused}");
    visitor.key("Enter", 13, false).await;
    visitor
        .wait_for(
            "the emoji inserted, the picker closed, the focus in the composer",
            &format!(
                "document.querySelector('#widget-input').value === {} \
                 && document.querySelector('#widget-emoji-picker').hidden \
                 && document.activeElement.id === 'widget-input'",
                crate::chromium::js_string(&format!("Hello{emoji} world"))
            ),
        )
        .await;
    // Escape closes the picker and gives the focus back to its button.
    visitor.click("#widget-emoji").await;
    visitor
        .wait_for(
            "the picker open again",
            "!document.querySelector('#widget-emoji-picker').hidden",
        )
        .await;
    visitor.key("Escape", 27, false).await;
    visitor
        .wait_for(
            "the picker closed by Escape",
            "document.querySelector('#widget-emoji-picker').hidden \
             && document.activeElement.id === 'widget-emoji'",
        )
        .await;
    // Sent as written.
    visitor.click("#widget-input").await;
    visitor.press("#widget-input", "Enter").await;
    visitor
        .wait_for(
            "the message with its emoji",
            &format!(
                "[...document.querySelectorAll('#widget-messages li p')].some(p => p.textContent === {})",
                crate::chromium::js_string(&format!("Hello{emoji} world"))
            ),
        )
        .await;
});
