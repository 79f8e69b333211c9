//! The visitor's conversations over time: several of them (a new one after a resolution, the
//! list, an older one opened again), the pop-out window that shows the same conversation
//! (`showPopoutButton` and `$chatwoot.popoutChatWindow()`), and the unread preview above the
//! bubble while the chat is closed (`showUnreadMessagesDialog`, or only the dot without it).

use std::time::Duration;

use serde_json::{Value, json};

use super::files::open_widget;
use super::{LIVE_WITHIN, WIDGET_TEXTS, click_in_widget, in_widget, wait_in_widget, website_with};
use crate::browser_test;
use crate::chromium::{Tab, js_string};
use crate::client::Api;
use crate::origin::{HTML, Origin};

const BUBBLE: &str = "document.querySelector('#cw-bubble-holder button.woot-widget-bubble')";

async fn website_inbox(api: &Api, name: &str) -> Value {
    api.post(
        "/api/v1/accounts/1/inboxes",
        json!({"name": name, "channel": {"type": "web_widget",
           "website_url": "https://history.example"}}),
    )
    .await
}

/// The inbox's conversations, newest first.
async fn conversations(api: &Api, inbox: &Value) -> Vec<i64> {
    let list = api
        .get(&format!(
            "/api/v1/accounts/1/conversations?inbox_id={}&assignee_type=all&status=all",
            inbox["id"]
        ))
        .await;
    let mut ids: Vec<i64> = list["data"]["payload"]
        .as_array()
        .map(|l| l.iter().filter_map(|c| c["id"].as_i64()).collect())
        .unwrap_or_default();
    ids.sort_unstable_by(|a, b| b.cmp(a));
    ids
}

/// The visitor on the site opens the chat and writes `text` (in the frame).
async fn open_and_write(visitor: &Tab, text: &str) {
    visitor
        .wait_for(
            "chatwoot:ready",
            "window.__events.some(e => e.name === 'chatwoot:ready')",
        )
        .await;
    visitor.click("#cw-bubble-holder button").await;
    wait_in_widget(
        visitor,
        "the widget",
        "document.querySelector('#widget').dataset.ready === '1'",
        Duration::from_secs(10),
    )
    .await;
    in_widget(
        visitor,
        &format!(
            "(() => {{ document.querySelector('#widget-input').value = {}; \
               document.querySelector('#widget-composer').requestSubmit(); return true; }})()",
            js_string(text)
        ),
    )
    .await;
    wait_in_widget(
        visitor,
        "the message sent",
        &format!("{WIDGET_TEXTS}.includes({})", js_string(text)),
        Duration::from_secs(10),
    )
    .await;
}

browser_test!(the_visitor_keeps_several_conversations, |desk| async move {
    let api = desk.api().await;
    let inbox = website_inbox(&api, "Several").await;
    let visitor = desk.tab().await;
    open_widget(&visitor, inbox["website_token"].as_str().unwrap()).await;
    visitor.type_into("#widget-input", "First question").await;
    visitor.press("#widget-input", "Enter").await;
    visitor
        .wait_for(
            "the first message",
            &format!("{WIDGET_TEXTS}.includes('First question')"),
        )
        .await;
    let first = conversations(&api, &inbox).await[0];
    api.post(
        &format!("/api/v1/accounts/1/conversations/{first}/toggle_status"),
        json!({"status": "resolved"}),
    )
    .await;

    // Resolved: the bar offers a new conversation, which starts with the next message.
    visitor
        .wait_for_within(
            "the resolved bar",
            "!document.querySelector('#widget-resolved').hidden",
            LIVE_WITHIN,
        )
        .await;
    visitor.click("#widget-new").await;
    visitor
            .wait_for(
                "an empty new conversation",
                &format!(
                    "document.querySelector('#widget-resolved').hidden && !{WIDGET_TEXTS}.includes('First question')"
                ),
            )
            .await;
    visitor.type_into("#widget-input", "Second question").await;
    visitor.press("#widget-input", "Enter").await;
    let start = std::time::Instant::now();
    let ids = loop {
        let ids = conversations(&api, &inbox).await;
        if ids.len() == 2 {
            break ids;
        }
        assert!(start.elapsed() < LIVE_WITHIN, "no second conversation");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let second = ids[0];
    assert_ne!(second, first);
    api.post(
        &format!("/api/v1/accounts/1/conversations/{second}/messages"),
        json!({"content": "About your second question"}),
    )
    .await;
    visitor
        .wait_for_within(
            "the reply in the new conversation",
            &format!("{WIDGET_TEXTS}.includes('About your second question')"),
            LIVE_WITHIN,
        )
        .await;

    // The list: both, newest first, with their state; the older one opens again.
    visitor.click("#widget-history").await;
    visitor
            .wait_for(
                "the list of two",
                "document.querySelectorAll('#widget-conversations li button').length === 2 \
                 && document.querySelector('#widget-history').getAttribute('aria-expanded') === 'true'",
            )
            .await;
    let items: Vec<String> = visitor
            .eval("[...document.querySelectorAll('#widget-conversations li button')].map(b => b.textContent)")
            .await;
    assert!(
        items[0].contains(&format!("#{second}")) && items[0].contains("open"),
        "{items:?}"
    );
    assert!(
        items[1].contains(&format!("#{first}")) && items[1].contains("resolved"),
        "{items:?}"
    );
    visitor
        .click("#widget-conversations li:nth-child(2) button")
        .await;
    visitor
            .wait_for(
                "the older conversation",
                &format!(
                    "{WIDGET_TEXTS}.includes('First question') && !{WIDGET_TEXTS}.includes('Second question') \
                     && !document.querySelector('#widget-resolved').hidden \
                     && document.querySelector('#widget-conversations').hidden \
                     && document.querySelector('#widget-end').hidden"
                ),
            )
            .await;
    // A reload shows the newest again.
    open_widget(&visitor, inbox["website_token"].as_str().unwrap()).await;
    visitor
            .wait_for(
                "the newest conversation after a reload",
                &format!(
                    "{WIDGET_TEXTS}.includes('Second question') && !{WIDGET_TEXTS}.includes('First question')"
                ),
            )
            .await;
});

browser_test!(
    the_popout_window_shows_the_same_conversation,
    |desk| async move {
        let api = desk.api().await;
        let inbox = website_inbox(&api, "Pop-out").await;
        let token = inbox["website_token"].as_str().unwrap().to_owned();
        let base = desk.server.base();
        let site = Origin::start(&[(
            "/",
            HTML,
            website_with(&base, &token, "{showPopoutButton: true}"),
        )])
        .await;
        let visitor = desk.chromium.tab(&site.url("")).await;
        visitor.goto("/").await;
        open_and_write(&visitor, "Take me to a window").await;

        // The header's button (showPopoutButton): a window of its own, the bubble closed.
        wait_in_widget(
            &visitor,
            "the pop-out button",
            "!document.querySelector('#widget-popout').hidden",
            Duration::from_secs(5),
        )
        .await;
        click_in_widget(&visitor, "#widget-popout").await;
        visitor
            .wait_for(
                "the chat closed",
                "window.__events.some(e => e.name === 'chatwoot:closed') && !window.$chatwoot.isOpen",
            )
            .await;
        let popped = desk
            .chromium
            .opened(&format!("website_token={token}"), &base)
            .await;
        popped
            .wait_for(
                "the same conversation in the window",
                &format!("{WIDGET_TEXTS}.includes('Take me to a window')"),
            )
            .await;
        assert!(
            popped
                .eval::<bool>(
                    "window.location.hash === '' && document.querySelector('#widget-popout').hidden \
                     && document.querySelector('#widget-close').hidden"
                )
                .await,
            "the token left the address; no pop-out or close button in the window"
        );
        // The window writes into the same conversation.
        popped
            .type_into("#widget-input", "Written in the window")
            .await;
        popped.press("#widget-input", "Enter").await;
        popped
            .wait_for(
                "the window's message",
                &format!("{WIDGET_TEXTS}.includes('Written in the window')"),
            )
            .await;
        assert_eq!(conversations(&api, &inbox).await.len(), 1);
        popped.page.clone().close().await.expect("close the window");

        // $chatwoot.popoutChatWindow(), from a button of the site.
        visitor
            .eval::<bool>(
                "(() => { const b = document.createElement('button'); b.id = 'pop'; b.textContent = 'Pop'; \
                   b.onclick = () => window.$chatwoot.popoutChatWindow(); document.body.prepend(b); return true; })()",
            )
            .await;
        visitor.click("#pop").await;
        let again = desk
            .chromium
            .opened(&format!("website_token={token}"), &base)
            .await;
        again
            .wait_for(
                "the conversation in the second window",
                &format!(
                    "{WIDGET_TEXTS}.includes('Take me to a window') && {WIDGET_TEXTS}.includes('Written in the window')"
                ),
            )
            .await;
    }
);

browser_test!(
    an_agents_reply_while_closed_shows_the_unread_preview,
    |desk| async move {
        let api = desk.api().await;
        let base = desk.server.base();
        for (preview, settings) in [(true, "{}"), (false, "{showUnreadMessagesDialog: false}")] {
            let inbox = website_inbox(&api, &format!("Unread {preview}")).await;
            let token = inbox["website_token"].as_str().unwrap().to_owned();
            let site = Origin::start(&[("/", HTML, website_with(&base, &token, settings))]).await;
            let visitor = desk.chromium.tab(&site.url("")).await;
            visitor.goto("/").await;
            open_and_write(&visitor, "Ping").await;
            visitor.click("#cw-bubble-holder button").await;
            visitor
                .wait_for("the chat closed", "!window.$chatwoot.isOpen")
                .await;
            let id = conversations(&api, &inbox).await[0];
            let reply = "We found your order <b>#1234</b>, it ships today";
            api.post(
                &format!("/api/v1/accounts/1/conversations/{id}/messages"),
                json!({"content": reply}),
            )
            .await;
            visitor
                .wait_for_within(
                    "the unread dot",
                    &format!("{BUBBLE}.classList.contains('unread-notification')"),
                    LIVE_WITHIN,
                )
                .await;
            let shown: String = visitor
                .eval(
                    "(() => { const p = document.querySelector('.woot-unread'); \
                       return p && !p.classList.contains('woot-hidden') ? p.textContent : ''; })()",
                )
                .await;
            if preview {
                assert!(shown.ends_with(reply), "the preview, as text: {shown:?}");
                assert!(
                    visitor
                        .eval::<bool>("document.querySelector('.woot-unread b') === null")
                        .await
                );
                // Opening (here from the preview) clears the dot and the preview.
                visitor.click(".woot-unread").await;
            } else {
                assert_eq!(shown, "", "only the dot");
                visitor.click("#cw-bubble-holder button").await;
            }
            visitor
                .wait_for(
                    "the chat open, the dot and the preview gone",
                    &format!(
                        "window.$chatwoot.isOpen && !{BUBBLE}.classList.contains('unread-notification') \
                         && (() => {{ const p = document.querySelector('.woot-unread'); \
                               return !p || p.classList.contains('woot-hidden'); }})()"
                    ),
                )
                .await;
            wait_in_widget(
                &visitor,
                "the reply in the chat",
                &format!("{WIDGET_TEXTS}.includes({})", js_string(reply)),
                Duration::from_secs(5),
            )
            .await;
        }
    }
);
