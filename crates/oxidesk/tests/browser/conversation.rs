//! The open conversation: its thread as the API has it, replying, private notes, and the status
//! buttons. Each change is checked on the page (without a reload) and through the API.

use std::collections::BTreeSet;

use chromiumoxide::cdp::browser_protocol::input::{DispatchKeyEventParams, DispatchKeyEventType};
use serde_json::Value;

use crate::browser_test;
use crate::chromium::{Tab, js_string};
use crate::server::{ADMIN, AGENT};

const THREAD: &str = "section#thread article.message";

/// Waits for the conversation page of `id` and its thread.
pub async fn wait_for_conversation(tab: &Tab, id: i64) {
    tab.wait_for(
        &format!("conversation {id} and its thread"),
        &format!(
            "location.pathname === '/app/accounts/1/conversations/{id}' && \
             document.querySelector('section#thread article.message') !== null"
        ),
    )
    .await;
}

/// `(id, type, private, content)` of every message on the page, in page order.
async fn thread(tab: &Tab) -> Vec<(i64, String, String, String)> {
    let rows: Vec<(String, String, String, String)> = tab
        .eval(&format!(
            "[...document.querySelectorAll('{THREAD}')].map(m => [m.dataset.messageId || '', \
               m.dataset.messageType || '', m.dataset.private || '', \
               (m.querySelector('.message-content') || {{}}).textContent || ''])"
        ))
        .await;
    rows.into_iter()
        .map(|(id, kind, private, content)| {
            let id = id
                .parse()
                .unwrap_or_else(|_| panic!("data-message-id {id:?}"));
            (id, kind, private, content.trim().to_owned())
        })
        .collect()
}

/// The JavaScript condition "a message of `kind` and `private` whose content is `text` is on
/// the page".
fn message_shown(kind: &str, private: bool, text: &str) -> String {
    format!(
        "[...document.querySelectorAll('{THREAD}[data-message-type={kind}][data-private={private}]')]\
           .some(m => ((m.querySelector('.message-content') || {{}}).textContent || '').includes({}))",
        js_string(text)
    )
}

fn kind_of(message: &Value) -> &'static str {
    match message["message_type"].as_i64() {
        Some(0) => "incoming",
        Some(1) => "outgoing",
        Some(2) => "activity",
        _ => "template",
    }
}

browser_test!(opening_a_conversation_shows_its_thread, |desk| async move {
    let api = desk.api().await;
    let tab = desk.signed_in(ADMIN).await;
    tab.wait_for(
        "a conversation in the list",
        "document.querySelector('ul#conversation-list > li.conversation-item a[href]') !== null",
    )
    .await;
    let id: i64 = tab
        .eval::<String>(
            "document.querySelector('ul#conversation-list > li.conversation-item').dataset.conversationId",
        )
        .await
        .parse()
        .unwrap();
    tab.click("ul#conversation-list > li.conversation-item a[href]")
        .await;
    wait_for_conversation(&tab, id).await;

    let shown = thread(&tab).await;
    let expected: Vec<(i64, String, String, String)> = api
        .messages(id)
        .await
        .iter()
        .map(|m| {
            (
                m["id"].as_i64().unwrap(),
                kind_of(m).to_owned(),
                m["private"].as_bool().unwrap_or(false).to_string(),
                m["content"].as_str().unwrap_or_default().trim().to_owned(),
            )
        })
        .collect();
    let shown_ids: BTreeSet<i64> = shown.iter().map(|m| m.0).collect();
    let expected_ids: BTreeSet<i64> = expected.iter().map(|m| m.0).collect();
    assert_eq!(
        shown_ids, expected_ids,
        "the thread shows the conversation's messages"
    );
    for message in &expected {
        let on_page = shown.iter().find(|m| m.0 == message.0).unwrap();
        assert_eq!(on_page.1, message.1, "type of message {}", message.0);
        assert_eq!(on_page.2, message.2, "privacy of message {}", message.0);
        // Whitespace may be laid out differently; the words are the same.
        let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(
            words(&on_page.3),
            words(&message.3),
            "content of message {}",
            message.0
        );
    }
    assert!(
        tab.exists("[role=tablist] [role=tab]#tab-messages").await,
        "the Messages tab is an ARIA tab"
    );
    assert!(tab.exists("form#composer textarea[name=content]").await);
});

browser_test!(
    an_agent_replies_and_adds_a_private_note,
    |desk| async move {
        let api = desk.api().await;
        let customer = api
            .customer_writes("Robin Reply", "Hello, my parcel never arrived.")
            .await;
        let tab = desk.signed_in(AGENT).await;
        tab.goto(&format!("/app/accounts/1/conversations/{}", customer.id))
            .await;
        wait_for_conversation(&tab, customer.id).await;
        tab.eval::<bool>("(window.__sameDocument = true)").await;

        // Reply (the default mode): Enter sends.
        let composer = "form#composer textarea[name=content]";
        tab.click("form#composer button[data-mode=reply]").await;
        tab.type_into(
            composer,
            "Sorry to hear that! Checking with the courier now.",
        )
        .await;
        tab.press(composer, "Enter").await;
        tab.wait_for(
            "the reply in the thread",
            &message_shown("outgoing", false, "Checking with the courier now."),
        )
        .await;
        tab.wait_for(
            "an empty composer after sending",
            &format!("document.querySelector('{composer}').value === ''"),
        )
        .await;

        // Shift+Enter is a new line, not a send.
        tab.type_into(composer, "First line").await;
        shift_enter(&tab).await;
        tab.type_into(composer, "second line").await;
        let draft: String = tab
            .eval(&format!("document.querySelector('{composer}').value"))
            .await;
        assert_eq!(draft, "First line\nsecond line", "Shift+Enter added a line");
        tab.press(composer, "Enter").await;
        tab.wait_for(
            "the two-line reply in the thread",
            &message_shown("outgoing", false, "second line"),
        )
        .await;

        // A private note.
        tab.click("form#composer button[data-mode=note]").await;
        tab.type_into(composer, "Courier ticket 4471 opened.").await;
        tab.press(composer, "Enter").await;
        tab.wait_for(
            "the private note in the thread",
            &message_shown("outgoing", true, "Courier ticket 4471 opened."),
        )
        .await;
        assert!(
            tab.eval::<bool>("window.__sameDocument === true").await,
            "no reload"
        );

        let messages = api.messages(customer.id).await;
        let find = |text: &str| {
            messages
                .iter()
                .find(|m| m["content"].as_str().is_some_and(|c| c.contains(text)))
                .unwrap_or_else(|| panic!("{text:?} not stored: {messages:?}"))
                .clone()
        };
        let reply = find("Checking with the courier now.");
        assert_eq!(reply["message_type"], 1);
        assert_eq!(reply["private"], false);
        assert_eq!(reply["sender"]["email"], AGENT.0, "sent as the agent");
        assert_eq!(
            find("second line")["content"],
            "First line\nsecond line",
            "the new line is kept"
        );
        let note = find("Courier ticket 4471 opened.");
        assert_eq!(note["message_type"], 1);
        assert_eq!(note["private"], true);

        // After a reload the messages are still there, the note still private.
        tab.goto(&format!("/app/accounts/1/conversations/{}", customer.id))
            .await;
        wait_for_conversation(&tab, customer.id).await;
        assert!(
            tab.eval::<bool>(&message_shown("outgoing", true, "Courier ticket 4471"))
                .await
        );
        assert!(
            tab.eval::<bool>(&message_shown(
                "outgoing",
                false,
                "Checking with the courier"
            ))
            .await
        );
    }
);

browser_test!(resolving_and_reopening_a_conversation, |desk| async move {
    let api = desk.api().await;
    let customer = api
        .customer_writes("Ruth Resolve", "Can I change my delivery address?")
        .await;
    let tab = desk.signed_in(AGENT).await;
    tab.goto(&format!("/app/accounts/1/conversations/{}", customer.id))
        .await;
    wait_for_conversation(&tab, customer.id).await;
    assert_eq!(api.conversation(customer.id).await["status"], "open");

    tab.click("button[data-action=resolve]").await;
    wait_for_status(&api, customer.id, "resolved").await;
    tab.wait_for(
        "the activity message about resolving, without a reload",
        &format!("document.querySelector('{THREAD}[data-message-type=activity]') !== null"),
    )
    .await;
    tab.wait_for(
        "the header to show the new status and offer to reopen",
        "document.querySelector('button[data-action=reopen]') !== null && \
         /resolved/i.test(document.querySelector('main').innerText)",
    )
    .await;

    tab.click("button[data-action=reopen]").await;
    wait_for_status(&api, customer.id, "open").await;
    tab.wait_for(
        "the resolve button back",
        "document.querySelector('button[data-action=resolve]') !== null",
    )
    .await;

    tab.click("button[data-action=pending]").await;
    wait_for_status(&api, customer.id, "pending").await;
});

/// Waits until the API reports `status` for the conversation.
async fn wait_for_status(api: &crate::client::Api, id: i64, status: &str) {
    let start = std::time::Instant::now();
    loop {
        let now = api.conversation(id).await;
        if now["status"] == status {
            return;
        }
        assert!(
            start.elapsed() < crate::chromium::PATIENCE,
            "conversation {id} is {} instead of {status}",
            now["status"]
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Presses Shift+Enter in the focused element.
async fn shift_enter(tab: &Tab) {
    const SHIFT: i64 = 8;
    for kind in [DispatchKeyEventType::KeyDown, DispatchKeyEventType::KeyUp] {
        let mut event = DispatchKeyEventParams::builder()
            .r#type(kind.clone())
            .key("Enter")
            .code("Enter")
            .windows_virtual_key_code(13)
            .native_virtual_key_code(13)
            .modifiers(SHIFT);
        if kind == DispatchKeyEventType::KeyDown {
            event = event.text("\r");
        }
        tab.page
            .execute(event.build().unwrap())
            .await
            .expect("Shift+Enter");
    }
}
