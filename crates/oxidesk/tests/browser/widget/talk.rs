//! The visitor opens the bubble and writes; nothing but `sdk.js` is requested before; the agent
//! sees it live in the dashboard and replies; the visitor sees the reply live, reloads the page
//! and still has the conversation; `setUser` with a good and a bad hash.

use std::time::Duration;

use serde_json::json;

use super::{LIVE_WITHIN, WIDGET_TEXTS, in_widget, wait_in_widget, website};
use crate::browser_test;
use crate::chromium::js_string;
use crate::origin::{HTML, Origin};
use crate::server::ADMIN;

browser_test!(
    a_visitor_and_an_agent_talk_through_the_widget,
    |desk| async move {
        let api = desk.api().await;
        let inbox = api
            .post(
                "/api/v1/accounts/1/inboxes",
                json!({"name": "Shop website", "channel": {"type": "web_widget",
                   "website_url": "https://shop.example", "widget_color": "#aa3300",
                   "welcome_title": "Hello from the shop"}}),
            )
            .await;
        let website_token = inbox["website_token"].as_str().unwrap().to_owned();
        let contacts_before = api.get("/api/v1/accounts/1/contacts").await["meta"]["count"].clone();
        let site =
            Origin::start(&[("/", HTML, website(&desk.server.base(), &website_token))]).await;

        // The agent watches the conversation list.
        let agent = desk.signed_in(ADMIN).await;
        agent
            .goto("/app/accounts/1/conversations?assignee_type=all&status=open")
            .await;
        agent.wait_for_response("/live").await;

        // The visitor lands on the shop: the bubble, and nothing requested but sdk.js.
        let visitor = desk.chromium.tab(&site.url("")).await;
        visitor.goto("/").await;
        visitor
            .wait_for(
                "the bubble",
                "document.querySelector('#cw-bubble-holder button') !== null",
            )
            .await;
        visitor
            .wait_for(
                "chatwoot:ready",
                "window.__events.some(e => e.name === 'chatwoot:ready')",
            )
            .await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        // The browser's own log of every resource the page fetched (the site's favicon aside).
        let fetched: Vec<String> = visitor
        .eval("performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.endsWith('/favicon.ico'))")
        .await;
        assert_eq!(
            fetched,
            [format!("{}/packs/js/sdk.js", desk.server.base())],
            "before the visitor acts"
        );
        assert!(visitor.responses_to("/widget").is_empty());
        assert!(
            visitor
                .eval::<bool>("document.querySelector('iframe') === null")
                .await
        );
        assert_eq!(visitor.eval::<String>("document.cookie").await, "");
        assert_eq!(visitor.eval::<i64>("localStorage.length").await, 0);
        assert_eq!(
            api.get("/api/v1/accounts/1/contacts").await["meta"]["count"],
            contacts_before
        );

        // The visitor opens the chat and writes.
        visitor.click("#cw-bubble-holder button").await;
        visitor
            .wait_for(
                "chatwoot:opened",
                "window.__events.some(e => e.name === 'chatwoot:opened')",
            )
            .await;
        wait_in_widget(
            &visitor,
            "the welcome header",
            "document.querySelector('#widget-title').textContent === 'Hello from the shop' \
             && document.querySelector('#widget').dataset.ready === '1'",
            Duration::from_secs(10),
        )
        .await;
        let hostile = "Hi! <img src=x onerror=alert(1)> Is this in stock?";
        in_widget(
            &visitor,
            &format!(
                "(() => {{ const i = document.querySelector('#widget-input'); i.value = {}; \
           document.querySelector('#widget-composer').requestSubmit(); return true; }})()",
                js_string(hostile)
            ),
        )
        .await;
        wait_in_widget(
            &visitor,
            "the visitor's message",
            &format!("{WIDGET_TEXTS}.includes({})", js_string(hostile)),
            Duration::from_secs(10),
        )
        .await;

        // The agent sees it live, opens it and replies.
        agent
        .wait_for_within("the website conversation in the list, live",
            "[...document.querySelectorAll('ul#conversation-list > li.conversation-item')].some(li => li.textContent.includes('Is this in stock?'))",
            LIVE_WITHIN)
        .await;
        let list = api
            .get(&format!(
                "/api/v1/accounts/1/conversations?inbox_id={}&assignee_type=all",
                inbox["id"]
            ))
            .await;
        let conversation = list["data"]["payload"][0].clone();
        let id = conversation["id"].as_i64().unwrap();
        assert_eq!(
            conversation["additional_attributes"]["browser"]["browser_name"], "Chrome",
            "{conversation}"
        );
        assert_eq!(
            conversation["additional_attributes"]["referer"],
            site.url("/")
        );
        agent.page.bring_to_front().await.unwrap();
        agent
            .goto(&format!("/app/accounts/1/conversations/{id}"))
            .await;
        agent
            .wait_for(
                "the thread",
                "document.querySelector('section#thread article.message') !== null",
            )
            .await;
        assert!(
            agent
                .eval::<bool>("document.querySelector('section#thread img[src=x]') === null")
                .await
        );
        agent
            .type_into(
                "form#composer textarea[name=content]",
                "Yes, we have 3 left!",
            )
            .await;
        agent
            .press("form#composer textarea[name=content]", "Enter")
            .await;

        let took = wait_in_widget(
            &visitor,
            "the agent's reply, live",
            &format!("{WIDGET_TEXTS}.includes('Yes, we have 3 left!')"),
            LIVE_WITHIN,
        )
        .await;
        eprintln!("the agent's reply reached the widget after {took:?}");
        visitor.wait_for("chatwoot:on-message",
        "window.__events.some(e => e.name === 'chatwoot:on-message' && e.detail.content === 'Yes, we have 3 left!')").await;
        assert_eq!(visitor.dialogs(), 0, "no script ran from the message");

        visitor.page.bring_to_front().await.unwrap();

        // A private note never reaches the visitor.
        api.post(
            &format!("/api/v1/accounts/1/conversations/{id}/messages"),
            json!({"content": "internal: VIP", "private": true}),
        )
        .await;

        // Closed, a new reply shows the unread dot.
        visitor.click("#cw-bubble-holder button").await;
        visitor
            .wait_for(
                "chatwoot:closed",
                "window.__events.some(e => e.name === 'chatwoot:closed')",
            )
            .await;
        api.post(
            &format!("/api/v1/accounts/1/conversations/{id}/messages"),
            json!({"content": "Anything else?"}),
        )
        .await;
        visitor
            .wait_for_within(
                "the unread dot",
                "document.querySelector('#cw-bubble-holder .unread-notification') !== null",
                LIVE_WITHIN,
            )
            .await;

        // After a reload the visitor still has the conversation.
        visitor.goto("/").await;
        visitor
            .wait_for(
                "the bubble",
                "document.querySelector('#cw-bubble-holder button') !== null",
            )
            .await;
        visitor.click("#cw-bubble-holder button").await;
        wait_in_widget(
            &visitor,
            "the conversation after a reload",
            &format!(
                "{WIDGET_TEXTS}.includes({}) && {WIDGET_TEXTS}.includes('Anything else?')",
                js_string(hostile)
            ),
            Duration::from_secs(10),
        )
        .await;
        let texts = in_widget(&visitor, WIDGET_TEXTS).await.unwrap();
        assert!(!texts.to_string().contains("internal: VIP"), "{texts}");
        assert_eq!(
            api.messages(id)
                .await
                .iter()
                .filter(|m| m["message_type"] == 0)
                .count(),
            1
        );

        // setUser: a wrong hash is refused with chatwoot:error; a good one identifies the
        // visitor, whose conversation is then that contact's.
        let hmac_token = inbox["hmac_token"].as_str().unwrap();
        let good = oxidesk::secrets::hmac_hex(hmac_token.as_bytes(), "shop-user-7");
        visitor
            .eval::<bool>(
                "(window.$chatwoot.setUser('shop-user-7', {name: 'Mallory', identifier_hash: 'bad'}), true)",
            )
            .await;
        visitor
            .wait_for(
                "chatwoot:error for a wrong hash",
                "window.__events.some(e => e.name === 'chatwoot:error' && e.detail.type === 'set-user' && e.detail.code === 'unauthorized')",
            )
            .await;
        visitor
            .eval::<bool>(&format!(
                "(window.$chatwoot.setUser('shop-user-7', {{name: 'Sam Shopper', email: 'sam.shopper@example.com', identifier_hash: {}}}), true)",
                js_string(&good)
            ))
            .await;
        let start = std::time::Instant::now();
        loop {
            let shown = api.conversation(id).await;
            if shown["meta"]["sender"]["identifier"] == "shop-user-7" {
                assert_eq!(shown["meta"]["sender"]["name"], "Sam Shopper");
                assert_eq!(shown["meta"]["hmac_verified"], true);
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "setUser did not arrive: {shown}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(
            visitor
                .eval::<usize>("window.__events.filter(e => e.name === 'chatwoot:error').length")
                .await,
            1
        );
    }
);
