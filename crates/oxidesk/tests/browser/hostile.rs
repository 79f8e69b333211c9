//! Hostile content from customers (a name, messages) shows as text: in the list, in the thread
//! as first rendered, and in a message that arrives live. No element is made of it and no
//! script of it runs.
//!
//! The page's Content-Security-Policy would stop an inline `onerror` handler anyway, so "no
//! dialog" alone proves little; the tests also check that no `<img src=x>` element exists.

use crate::browser_test;
use crate::chromium::{Tab, js_string};
use crate::conversation::wait_for_conversation;
use crate::server::AGENT;

const NAME: &str = "<img src=x onerror=\"window.__xss='name'\">Mallory";
const MESSAGE: &str = "<img src=x onerror=alert(1)>";
const LIVE: &str =
    "<script>window.__xss='script'</script><img src=x onerror=\"window.__xss='live'\">";

/// Fails when the page holds an element made of the hostile text or ran any of it.
async fn assert_inert(tab: &Tab, context: &str) {
    let images: i64 = tab
        .eval(
            "document.querySelectorAll('img[src=\"x\"]').length + \
             [...document.scripts].filter(s => s.textContent.includes('__xss')).length",
        )
        .await;
    assert_eq!(
        images,
        0,
        "{context}: an element was made of customer text\n{}",
        tab.describe().await
    );
    let xss: String = tab
        .eval("typeof window.__xss === 'undefined' ? '' : String(window.__xss)")
        .await;
    assert_eq!(xss, "", "{context}: customer text ran as script");
    assert_eq!(tab.dialogs(), 0, "{context}: a dialog opened");
}

/// The condition "a message whose text is `text` is in the thread".
fn shown_as_text(text: &str) -> String {
    format!(
        "[...document.querySelectorAll('section#thread article.message .message-content')]\
           .some(c => c.textContent.includes({}))",
        js_string(text)
    )
}

browser_test!(
    hostile_names_and_messages_render_as_text,
    |desk| async move {
        let api = desk.api().await;
        let customer = api.customer_writes(NAME, MESSAGE).await;
        let tab = desk.signed_in(AGENT).await;

        // The list (all conversations, this unassigned one among them): the name as text.
        tab.goto("/app/accounts/1/conversations?assignee_type=all")
            .await;
        tab.wait_for(
        "the hostile contact's row",
        &format!(
            "document.querySelector('li.conversation-item[data-conversation-id=\"{}\"]') !== null",
            customer.id
        ),
    )
    .await;
        let row: String = tab
        .eval(&format!(
            "document.querySelector('li.conversation-item[data-conversation-id=\"{}\"]').textContent",
            customer.id
        ))
        .await;
        assert!(
            row.contains("<img src=x"),
            "the name shows as written: {row:?}"
        );
        assert_inert(&tab, "the list").await;

        // The thread as rendered by the server.
        tab.goto(&format!("/app/accounts/1/conversations/{}", customer.id))
            .await;
        wait_for_conversation(&tab, customer.id).await;
        tab.wait_for("the message shown as text", &shown_as_text(MESSAGE))
            .await;
        assert_inert(&tab, "the conversation page").await;

        // A message that arrives over the live stream.
        tab.wait_for_response("/live").await;
        api.customer_says(&customer, LIVE).await;
        tab.wait_for("the live message shown as text", &shown_as_text(LIVE))
            .await;
        // Give a late handler a moment to fire, then look again.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert_inert(&tab, "after a live message").await;

        // The demo's own hostile message (a customer pasting markup) too.
        let demo = find_demo_hostile(&api).await;
        tab.goto(&format!("/app/accounts/1/conversations/{demo}"))
            .await;
        wait_for_conversation(&tab, demo).await;
        tab.wait_for(
            "the demo's hostile message shown as text",
            &shown_as_text("<script>alert('pinecrest')</script><img src=x onerror=alert(1)>"),
        )
        .await;
        assert_inert(&tab, "the demo's hostile conversation").await;
    }
);

/// The demo conversation whose message carries markup.
async fn find_demo_hostile(api: &crate::client::Api) -> i64 {
    for id in 1..=25 {
        let messages = api.messages(id).await;
        if messages.iter().any(|m| {
            m["content"]
                .as_str()
                .is_some_and(|c| c.contains("onerror=alert(1)"))
        }) {
            return id;
        }
    }
    panic!("the demo has no hostile message");
}
