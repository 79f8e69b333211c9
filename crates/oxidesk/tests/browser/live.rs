//! Live updates: a customer's message posted through the public client API appears in the open
//! conversation without a reload; with two Oxidesk processes on one PostgreSQL schema, a message
//! posted to one appears in a browser connected to the other.

use std::time::Duration;

use crate::browser_test;
use crate::chromium::{self, Chromium, Tab, js_string};
use crate::client::{Api, CustomerConversation};
use crate::conversation::wait_for_conversation;
use crate::desk::sign_in;
use crate::server::{AGENT, Database};

/// How long a live message may take to appear (the issue asks for "within a second"; the rest
/// is room for a busy two-core test machine).
const LIVE_WITHIN: Duration = Duration::from_secs(3);

/// With the conversation open in `tab`, the customer writes; returns how long the message took
/// to show on the page.
async fn customer_message_arrives(
    tab: &Tab,
    api: &Api,
    customer: &CustomerConversation,
    text: &str,
) -> Duration {
    // Subscribed once the event stream's response arrived.
    let stream = tab.wait_for_response("/live").await;
    assert_eq!(stream.status, 200, "{stream:?}");
    assert!(stream.content_type.contains("event-stream"), "{stream:?}");
    tab.eval::<bool>("(window.__sameDocument = true)").await;
    api.customer_says(customer, text).await;
    let took = tab
        .wait_for_within(
            "the customer's message, live",
            &format!(
                "[...document.querySelectorAll('section#thread article.message[data-message-type=incoming]')]\
                   .some(m => (m.querySelector('.message-content') || {{}}).textContent.includes({}))",
                js_string(text)
            ),
            LIVE_WITHIN,
        )
        .await;
    assert!(
        tab.eval::<bool>("window.__sameDocument === true").await,
        "the page was not reloaded"
    );
    took
}

browser_test!(
    a_customer_message_appears_without_a_reload,
    |desk| async move {
        let api = desk.api().await;
        let customer = api
            .customer_writes("Lee Live", "Hi, is my order shipped?")
            .await;
        let tab = desk.signed_in(AGENT).await;
        tab.goto(&format!("/app/accounts/1/conversations/{}", customer.id))
            .await;
        wait_for_conversation(&tab, customer.id).await;
        let took =
            customer_message_arrives(&tab, &api, &customer, "Order number is 8812, thanks!").await;
        eprintln!("a live message appeared after {took:?}");
    }
);

browser_test!(changes_made_elsewhere_show_up_live, |desk| async move {
    let api = desk.api().await;
    let tab = desk.signed_in(AGENT).await;

    // A new conversation joins the list (all conversations) while it is open.
    tab.goto("/app/accounts/1/conversations?assignee_type=all")
        .await;
    tab.wait_for_response("/live").await;
    tab.eval::<bool>("(window.__sameDocument = true)").await;
    let customer = api
        .customer_writes("Nina Newcomer", "Do you ship to Iceland?")
        .await;
    tab.wait_for_within(
        "the new conversation in the list, live",
        &format!(
            "document.querySelector('ul#conversation-list > li.conversation-item[data-conversation-id=\"{}\"]') !== null",
            customer.id
        ),
        LIVE_WITHIN,
    )
    .await;

    // Another agent resolves the open conversation through the API: the header follows.
    tab.goto(&format!("/app/accounts/1/conversations/{}", customer.id))
        .await;
    wait_for_conversation(&tab, customer.id).await;
    tab.wait_for_response("/live").await;
    tab.eval::<bool>("(window.__sameDocument = true)").await;
    api.post(
        &format!(
            "/api/v1/accounts/1/conversations/{}/toggle_status",
            customer.id
        ),
        serde_json::json!({"status": "resolved"}),
    )
    .await;
    tab.wait_for_within(
        "the resolved status in the open conversation, live",
        "document.querySelector('button[data-action=reopen]') !== null",
        LIVE_WITHIN,
    )
    .await;
    assert!(
        tab.eval::<bool>("window.__sameDocument === true").await,
        "the page was not reloaded"
    );
});

/// Two processes on one PostgreSQL schema: the customer writes to the first, the agent's browser
/// is connected to the second (PostgreSQL `LISTEN/NOTIFY` between them).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_one_postgres_database() {
    let Some(executable) = chromium::executable() else {
        return;
    };
    let Some(db) = Database::postgres().await else {
        return;
    };
    let (first, chromium) = tokio::join!(db.start("demo"), Chromium::launch(&executable));
    let second = db.start("serve").await;
    assert_ne!(first.port, second.port);

    let to_first = Api::new(first.port, db.token(crate::server::ADMIN.0)).await;
    let customer = to_first
        .customer_writes("Pat Twoservers", "Hello from the first server")
        .await;
    let tab = chromium.tab(&second.base()).await;
    sign_in(&tab, AGENT).await;
    tab.goto(&format!("/app/accounts/1/conversations/{}", customer.id))
        .await;
    wait_for_conversation(&tab, customer.id).await;
    let took = customer_message_arrives(
        &tab,
        &to_first,
        &customer,
        "Posted to the first, seen on the second",
    )
    .await;
    eprintln!("a message posted to one process appeared on the other after {took:?}");

    // And the other way: the agent replies on the second; the first has it.
    let reply = "Replied through the second server";
    tab.type_into("form#composer textarea[name=content]", reply)
        .await;
    tab.press("form#composer textarea[name=content]", "Enter")
        .await;
    let start = std::time::Instant::now();
    loop {
        let messages = to_first.messages(customer.id).await;
        if messages.iter().any(|m| m["content"] == reply) {
            break;
        }
        assert!(
            start.elapsed() < chromium::PATIENCE,
            "the reply did not reach the database: {messages:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    chromium.close().await;
    drop((first, second));
}

browser_test!(
    moving_through_many_conversations_keeps_the_page_live,
    |desk| async move {
        // Each conversation is a page of its own with its own event stream. Browsers allow six
        // connections per host: a stream left open by a page the agent left (the back/forward
        // cache keeps pages) would soon starve the next pages.
        let tab = desk.signed_in(AGENT).await;
        for id in 1..=14 {
            tab.goto(&format!("/app/accounts/1/conversations/{id}"))
                .await;
            wait_for_conversation(&tab, id).await;
            tab.wait_for(
                "the live stream to connect",
                "document.documentElement.dataset.live === 'connected'",
            )
            .await;
        }
        let api = desk.api().await;
        let customer = api.customer_writes("Mo Many", "Still there?").await;
        tab.goto(&format!("/app/accounts/1/conversations/{}", customer.id))
            .await;
        wait_for_conversation(&tab, customer.id).await;
        customer_message_arrives(&tab, &api, &customer, "Hello after many pages").await;
    }
);
