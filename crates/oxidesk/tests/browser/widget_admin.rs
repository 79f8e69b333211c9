//! The website widget from the team's side: an administrator edits every kind of widget
//! setting on the settings page, saves, reloads and finds the values (and the API agrees); an
//! agent sends interactive messages from the composer's "Send as" menu and reads the
//! customer's answers in the thread.

use serde_json::{Value, json};

use crate::browser_test;
use crate::chromium::{Tab, js_string};
use crate::conversation::wait_for_conversation;
use crate::server::{ADMIN, AGENT};

const COMPOSER: &str = "form#composer textarea[name=content]";

/// Sets a form control's value (a select, a time or colour input) as the user would.
async fn set(tab: &Tab, selector: &str, value: &str) {
    let _: bool = tab
        .eval(&format!(
            "(() => {{ const e = document.querySelector({}); e.value = {}; \
               e.dispatchEvent(new Event('input', {{bubbles: true}})); \
               e.dispatchEvent(new Event('change', {{bubbles: true}})); return true; }})()",
            js_string(selector),
            js_string(value)
        ))
        .await;
}

async fn value(tab: &Tab, selector: &str) -> Value {
    tab.eval(&format!(
        "(() => {{ const e = document.querySelector({}); return e.type === 'checkbox' ? e.checked : e.value; }})()",
        js_string(selector)
    ))
    .await
}

browser_test!(
    the_widget_settings_page_saves_and_shows_every_setting,
    |desk| async move {
        let api = desk.api().await;
        let inbox = api
            .post(
                "/api/v1/accounts/1/inboxes",
                json!({"name": "Shop website", "channel": {"type": "web_widget",
                       "website_url": "https://shop.example"}}),
            )
            .await;
        let id = inbox["id"].as_i64().unwrap();
        let tab = desk.signed_in(ADMIN).await;
        tab.goto(&format!("/app/accounts/1/settings/inboxes/{id}"))
            .await;
        tab.click("a[href$='/widget']").await;
        tab.wait_for(
            "the widget settings",
            "document.querySelector('#ws-title') !== null",
        )
        .await;

        tab.type_into("#ws-title", "Talk to the shop").await;
        set(&tab, "#ws-color", "#aa3300").await;
        set(&tab, "#ws-reply-time", "in_a_few_hours").await;
        tab.click("#ws-prechat-on").await;
        tab.click("#ws-pf-on-1").await; // emailAddress shown
        tab.click("#ws-hours-on").await;
        set(&tab, "#ws-timezone", "Europe/Berlin").await;
        tab.type_into("#ws-ooo", "We are back at nine.").await;
        set(&tab, "#ws-day-1-open", "08:00").await;
        set(&tab, "#ws-day-6-mode", "all_day").await;
        tab.click("#ws-feature-emoji_picker").await; // off
        tab.click("#ws-csat").await;
        tab.click("#ws-hmac").await;
        set(&tab, "#ws-domains", "shop.example").await;
        tab.click("form.widget-settings button[type=submit]").await;
        tab.wait_for("saved", "location.search.includes('saved=1')")
            .await;

        tab.goto(&format!("/app/accounts/1/settings/inboxes/{id}/widget"))
            .await;
        tab.wait_for("the page", "document.querySelector('#ws-title') !== null")
            .await;
        assert_eq!(value(&tab, "#ws-title").await, "Talk to the shop");
        assert_eq!(value(&tab, "#ws-color").await, "#aa3300");
        assert_eq!(value(&tab, "#ws-reply-time").await, "in_a_few_hours");
        assert_eq!(value(&tab, "#ws-prechat-on").await, true);
        assert_eq!(value(&tab, "#ws-pf-on-1").await, true);
        assert_eq!(value(&tab, "#ws-hours-on").await, true);
        assert_eq!(value(&tab, "#ws-timezone").await, "Europe/Berlin");
        assert_eq!(value(&tab, "#ws-ooo").await, "We are back at nine.");
        assert_eq!(value(&tab, "#ws-day-1-open").await, "08:00");
        assert_eq!(value(&tab, "#ws-day-6-mode").await, "all_day");
        assert_eq!(value(&tab, "#ws-feature-emoji_picker").await, false);
        assert_eq!(value(&tab, "#ws-csat").await, true);
        assert_eq!(value(&tab, "#ws-hmac").await, true);
        assert_eq!(value(&tab, "#ws-domains").await, "shop.example");

        let saved = api.get(&format!("/api/v1/accounts/1/inboxes/{id}")).await;
        assert_eq!(saved["welcome_title"], "Talk to the shop");
        assert_eq!(saved["working_hours"][6]["open_all_day"], true);
        assert_eq!(saved["working_hours"][1]["open_hour"], 8);
        assert_eq!(
            saved["selected_feature_flags"],
            json!(["attachments", "end_conversation"])
        );
        assert_eq!(
            saved["pre_chat_form_options"]["pre_chat_fields"][0]["enabled"],
            true
        );

        // A wrong time zone: the message next to the field, nothing saved.
        set(&tab, "#ws-timezone", "Atlantis/Capital").await;
        tab.click("form.widget-settings button[type=submit]").await;
        tab.wait_for(
            "the error",
            "document.querySelector('#ws-timezone[aria-invalid=true]') !== null",
        )
        .await;
        let message: String = tab
            .eval("document.querySelector('#ws-timezone-error').textContent")
            .await;
        assert!(message.contains("not a known IANA time zone"), "{message}");
        let saved = api.get(&format!("/api/v1/accounts/1/inboxes/{id}")).await;
        assert_eq!(saved["timezone"], "Europe/Berlin");
    }
);

/// Sends the composer's text as `kind` with `items` (one per line).
async fn send_as(tab: &Tab, kind: &str, content: &str, items: &str) {
    // The script is attached and done with the previous message (which puts the menu back to
    // text once its request is answered, possibly after the live event showed the message).
    tab.wait_for(
        "the composer's script, idle",
        "document.getElementById('send-as').onchange !== null \
         && document.getElementById('send-as').value === 'text' \
         && !document.querySelector('form#composer button.send').disabled",
    )
    .await;
    set(tab, "#send-as", kind).await;
    if !items.is_empty() {
        tab.wait_for(
            "the item editor",
            "!document.getElementById('interactive-editor').hidden",
        )
        .await;
        set(tab, "#interactive-items", items).await;
    }
    if !content.is_empty() {
        tab.type_into(COMPOSER, content).await;
    }
    tab.click("form#composer button.send").await;
}

browser_test!(
    an_agent_sends_interactive_messages_and_reads_the_answers,
    |desk| async move {
        let api = desk.api().await;
        let customer = api.customer_writes("Ines Interactive", "I need help").await;
        let tab = desk.signed_in(AGENT).await;
        tab.goto(&format!("/app/accounts/1/conversations/{}", customer.id))
            .await;
        wait_for_conversation(&tab, customer.id).await;

        send_as(
            &tab,
            "input_select",
            "Which team?",
            "Sales | sales\nSupport",
        )
        .await;
        tab.wait_for(
            "the options in the thread",
            "[...document.querySelectorAll('#thread .interactive ul li')].map(l => l.textContent).join() === 'Sales,Support'",
        )
        .await;
        let messages = api.messages(customer.id).await;
        let select = messages.last().unwrap().clone();
        assert_eq!(select["content_type"], "input_select");
        assert_eq!(select["content"], "Which team?");
        assert_eq!(
            select["content_attributes"]["items"],
            json!([{"title": "Sales", "value": "sales"}, {"title": "Support", "value": "Support"}])
        );
        // The menu is back to text, and the next message is plain.
        assert_eq!(value(&tab, "#send-as").await, "text");

        send_as(&tab, "form", "", "Your email | email\nOrder number").await;
        tab.wait_for(
            "the form",
            "document.querySelectorAll('#thread .interactive[data-interactive=Form]').length === 1",
        )
        .await;
        let form = api.messages(customer.id).await.last().unwrap().clone();
        assert_eq!(form["content_type"], "form");
        assert_eq!(form["content"], "Please fill in this form");
        assert_eq!(
            form["content_attributes"]["items"][1]["name"],
            "order_number"
        );
        assert_eq!(form["content_attributes"]["items"][0]["type"], "email");

        send_as(&tab, "input_csat", "", "").await;
        tab.wait_for(
            "the survey",
            "document.querySelectorAll('#thread .interactive[data-interactive=\"Satisfaction survey\"]').length === 1",
        )
        .await;
        // Options without any line are refused in the page.
        send_as(&tab, "cards", "Pick one", "").await;
        tab.wait_for(
            "the error",
            "document.getElementById('composer-error').textContent.includes('at least one line')",
        )
        .await;

        // The customer answers the select (the client API); the agent's thread shows it.
        let path = format!(
            "/public/api/v1/inboxes/{}/contacts/{}/conversations/{}/messages/{}",
            api.inbox_identifier, customer.source_id, customer.id, select["id"]
        );
        let answered = crate::client::request(
            desk.server.port,
            "PATCH",
            &path,
            &[],
            Some(&json!({"submitted_values": [{"title": "Support <b>", "value": "support"}]})),
        )
        .await
        .unwrap();
        assert_eq!(answered.status, 200, "{}", answered.body);
        tab.wait_for(
            "the answer in the thread",
            "[...document.querySelectorAll('#thread .interactive-answers dd')].some(d => d.textContent === 'support')",
        )
        .await;
        let shown: String = tab
            .eval("document.querySelector('#thread .interactive-answers dt').textContent")
            .await;
        assert_eq!(shown, "Support <b>", "escaped, shown as text");
    }
);
