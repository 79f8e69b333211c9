//! The example dashboard apps. "Customer Orders (classic)" (`/examples/customer-orders-classic/`,
//! the seeds' protocol alone) on its own, opened as a top-level page: there its parent is itself,
//! so the scenario can post `appContext` to it exactly as the dashboard would
//! (`window.postMessage(JSON.stringify(...))`).
//!
//! It waits for the conversation, renders the contact and the made-up orders (the same for the
//! same email, pinned here so that a change of the generator is seen), shows hostile text as
//! text, re-renders on every context, follows the theme, ignores what is not an `appContext`
//! from its parent, and fits a 600 px panel and a 375 px phone.
//!
//! Then "Customer Orders" (`/examples/customer-orders/`, on the SDK) as installed by
//! `oxidesk demo`: its tab beside a demo conversation verifies the signed context against the
//! install's keys (WebCrypto), shows that conversation's contact and orders, a note an agent
//! adds reaches it as a fresh context, and its button writes the order summary as a private
//! note (the scope `note.create`, which the demo grants).

use crate::browser_test;
use crate::chromium::{Tab, js_string};
use crate::conversation::wait_for_conversation;
use crate::server::AGENT;

const APP: &str = "/examples/customer-orders-classic/";
const HOSTILE: &str = "<img src=x onerror=\"window.__xss=1\">Alice";

/// `appContext` as the dashboard posts it (a JSON string), for a contact with `email`.
fn context(name: &str, email: Option<&str>, theme: &str) -> String {
    let data = serde_json::json!({
        "conversation": {
            "id": 7,
            "status": "open",
            "labels": ["billing"],
            "meta": {"sender": {"id": 3, "name": name}, "assignee": null, "channel": "Channel::Api", "hmac_verified": false},
            "messages": [{"id": 1, "content": "<b>where is my order?</b>", "message_type": 0, "private": false,
                          "sender": {"id": 3, "name": name, "type": "contact"}}],
            "allMessagesLoaded": true,
            "dataFetched": true,
        },
        "contact": {
            "id": 3,
            "name": name,
            "email": email,
            "phone_number": "+14155550123",
            "additional_attributes": {"company_name": "Globex <Corp>", "city": "Lisbon", "country": "Portugal"},
        },
        "currentAgent": {"id": 1, "name": "Admin", "email": "admin@acme.example"},
        "customAttributes": [],
        "theme": theme,
    });
    serde_json::json!({"event": "appContext", "data": data}).to_string()
}

/// Posts `message` (a string) to the page as its parent would.
async fn post(tab: &Tab, message: &str) {
    let _: bool = tab
        .eval(&format!(
            "(window.postMessage({}, '*'), true)",
            js_string(message)
        ))
        .await;
}

async fn updates(tab: &Tab) -> i64 {
    tab.eval("Number(document.getElementById('status').dataset.updates || 0)")
        .await
}

async fn text_of(tab: &Tab, id: &str) -> String {
    tab.eval(&format!(
        "document.getElementById({}).textContent",
        js_string(id)
    ))
    .await
}

async fn order_numbers(tab: &Tab) -> Vec<String> {
    tab.eval("[...document.querySelectorAll('#order-list > li.order')].map(li => li.dataset.order)")
        .await
}

browser_test!(
    the_customer_orders_example_renders_its_context,
    |desk| async move {
        let tab = desk.tab().await;
        tab.goto(APP).await;
        tab.wait_for(
            "the waiting state",
            "document.readyState === 'complete' && !document.getElementById('waiting').hidden \
             && document.getElementById('waiting').textContent.includes('Waiting for the conversation…') \
             && !document.getElementById('waiting-hint').hidden",
        )
        .await;
        for (file, kind) in [
            (APP, "text/html"),
            (
                "/examples/customer-orders-classic/app.js",
                "text/javascript",
            ),
            (
                "/examples/customer-orders-classic/orders.js",
                "text/javascript",
            ),
            ("/examples/customer-orders-classic/app.css", "text/css"),
        ] {
            let response = tab.wait_for_response(file).await;
            assert_eq!(response.status, 200, "{file}");
            assert_eq!(response.content_type, kind, "{file}");
        }

        // The generator: keyed on the email (trimmed, any case), the same every time, pinned.
        let orders: serde_json::Value = tab
            .eval_async(
                "import('/examples/customer-orders-classic/orders.js').then(m => ({ \
                   a: m.ordersFor('alice@example.com'), b: m.ordersFor('  Alice@Example.COM '), \
                   other: m.ordersFor('bob@example.com'), none: m.ordersFor(''), \
                   nullish: m.ordersFor(null), \
                   counts: Array.from({length: 200}, (_, i) => m.ordersFor(`c${i}@x.test`).length), \
                   money: [m.formatCents(0), m.formatCents(123456789), m.formatCents(5)] }))",
            )
            .await;
        assert_eq!(orders["a"], orders["b"]);
        assert_ne!(orders["a"], orders["other"]);
        assert_eq!(orders["none"], serde_json::json!([]));
        assert_eq!(orders["nullish"], serde_json::json!([]));
        let counts: Vec<i64> = serde_json::from_value(orders["counts"].clone()).unwrap();
        assert!(counts.iter().all(|c| (2..=6).contains(c)), "{counts:?}");
        assert!(
            (2..=6).all(|n| counts.contains(&n)),
            "every count from 2 to 6 occurs: {counts:?}"
        );
        assert_eq!(
            orders["money"],
            serde_json::json!(["$0.00", "$1,234,567.89", "$0.05"])
        );
        let alice = orders["a"].as_array().unwrap();
        for order in alice {
            let total: i64 = order["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["quantity"].as_i64().unwrap() * i["unitCents"].as_i64().unwrap())
                .sum();
            assert_eq!(order["totalCents"].as_i64(), Some(total), "{order}");
        }
        let pinned: Vec<(&str, &str, &str)> = alice
            .iter()
            .map(|o| {
                (
                    o["number"].as_str().unwrap(),
                    o["date"].as_str().unwrap(),
                    o["status"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(pinned, ALICE_ORDERS, "the orders of alice@example.com");

        // Not from its parent, not JSON, not an appContext: ignored.
        let _: bool = tab
            .eval(&format!(
                "(() => {{ const f = document.createElement('iframe'); document.body.append(f); \
                   window.dispatchEvent(new MessageEvent('message', {{data: {0}, source: f.contentWindow}})); \
                   window.dispatchEvent(new MessageEvent('message', {{data: {0}}})); \
                   f.remove(); return true; }})()",
                js_string(&context("Intruder", Some("eve@example.com"), "dark"))
            ))
            .await;
        post(&tab, "not json").await;
        post(&tab, r#"{"event":"somethingElse","data":{}}"#).await;
        post(&tab, r#"{"event":"appContext","data":null}"#).await;
        post(&tab, "oxidesk-dashboard-app:fetch-info").await;

        // The context: rendered as text, in the dashboard's theme.
        post(
            &tab,
            &context(HOSTILE, Some("  Alice@Example.COM "), "dark"),
        )
        .await;
        tab.wait_for(
            "the first context rendered",
            "document.getElementById('status').dataset.updates === '1'",
        )
        .await;
        assert_eq!(updates(&tab).await, 1, "only the real appContext counted");
        assert_eq!(text_of(&tab, "contact-name").await, HOSTILE);
        assert_eq!(text_of(&tab, "contact-email").await, "Alice@Example.COM");
        assert_eq!(text_of(&tab, "contact-phone").await, "+14155550123");
        assert_eq!(text_of(&tab, "contact-company").await, "Globex <Corp>");
        assert_eq!(text_of(&tab, "contact-location").await, "Lisbon, Portugal");
        assert_eq!(
            text_of(&tab, "contact-conversation").await,
            "Conversation #7 · open"
        );
        assert!(
            text_of(&tab, "status")
                .await
                .starts_with("Context received at ")
        );
        let numbers = order_numbers(&tab).await;
        let expected: Vec<&str> = ALICE_ORDERS.iter().map(|(n, _, _)| *n).collect();
        assert_eq!(numbers, expected);
        let payload = text_of(&tab, "payload-json").await;
        assert!(
            payload.contains("\"theme\": \"dark\"")
                && payload.contains("<b>where is my order?</b>"),
            "{payload}"
        );
        let theme: String = tab.eval("document.documentElement.dataset.theme").await;
        assert_eq!(theme, "dark");
        let inert: i64 = tab
            .eval("document.querySelectorAll('img, b').length + (window.__xss ? 1 : 0)")
            .await;
        assert_eq!(inert, 0, "no element made of the context");
        assert!(tab.exists("details#payload:not([open])").await);

        // The payload panel stays open across updates; a new context re-renders everything.
        tab.click("details#payload > summary").await;
        post(&tab, &context("Bob", Some("bob@example.com"), "light")).await;
        tab.wait_for(
            "the second context rendered",
            "document.getElementById('status').dataset.updates === '2'",
        )
        .await;
        assert_eq!(text_of(&tab, "contact-name").await, "Bob");
        let bob = order_numbers(&tab).await;
        assert_ne!(bob, numbers);
        assert_eq!(bob.len(), orders["other"].as_array().unwrap().len());
        let theme: String = tab.eval("document.documentElement.dataset.theme").await;
        assert_eq!(theme, "light");
        assert!(tab.exists("details#payload[open]").await);

        // No email: no orders, and it says why.
        post(&tab, &context("Carol", None, "light")).await;
        tab.wait_for(
            "the third context rendered",
            "document.getElementById('status').dataset.updates === '3'",
        )
        .await;
        assert!(order_numbers(&tab).await.is_empty());
        assert!(
            text_of(&tab, "orders-empty")
                .await
                .contains("no email address")
        );
        assert_eq!(text_of(&tab, "contact-email").await, "—");

        // Fits a dashboard panel and a phone without sideways scrolling.
        post(&tab, &context(HOSTILE, Some("alice@example.com"), "light")).await;
        for width in [600, 375] {
            tab.resize(width, 800, width < 500).await;
            let overflow: i64 = tab
                .eval("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                .await;
            assert!(overflow <= 0, "{overflow}px too wide at {width}px");
        }
        assert_eq!(tab.dialogs(), 0);
    }
);

browser_test!(
    the_demo_shows_customer_orders_beside_a_conversation,
    |desk| async move {
        let api = desk.api().await;
        let id = 25;
        let conversation = api.conversation(id).await;
        let name = conversation["meta"]["sender"]["name"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(conversation["meta"]["sender"]["email"].is_string());

        let tab = desk.signed_in(AGENT).await;
        tab.goto(&format!("/app/accounts/1/conversations/{id}"))
            .await;
        wait_for_conversation(&tab, id).await;
        let tab_id: String = tab
            .eval(
                "[...document.querySelectorAll('[role=tablist] [role=tab]')] \
                   .find(t => t.textContent.trim() === 'Customer Orders').id",
            )
            .await;
        tab.click(&format!("#{tab_id}")).await;
        // The app is served by the same origin, so the test can look into its frame.
        let app = "[...document.querySelectorAll('[role=tabpanel]:not([hidden]) iframe')] \
                   .map(f => f.contentDocument).find(d => d && d.getElementById('status'))";
        tab.wait_for(
            "the contact in Customer Orders",
            &format!(
                "({app}).getElementById('contact-name').textContent === {}",
                js_string(&name)
            ),
        )
        .await;
        // The context was verified by the SDK against this install's keys before it showed.
        tab.wait_for(
            "the context verified",
            &format!("({app}).getElementById('trust').dataset.state === 'verified'"),
        )
        .await;
        let trust: String = tab
            .eval(&format!("({app}).getElementById('trust').textContent"))
            .await;
        assert!(
            trust.starts_with(&format!(
                "Verified: signed by {} for conversation #{id}",
                desk.server.base()
            )),
            "{trust}"
        );
        let orders: i64 = tab
            .eval(&format!(
                "({app}).querySelectorAll('#order-list > li.order').length"
            ))
            .await;
        assert!((2..=6).contains(&orders), "{orders} orders");
        let before: i64 = tab
            .eval(&format!(
                "Number(({app}).getElementById('status').dataset.updates)"
            ))
            .await;

        let note = "Checked the warehouse: parcel leaves today.";
        api.post(
            &format!("/api/v1/accounts/1/conversations/{id}/messages"),
            serde_json::json!({"content": note, "private": true}),
        )
        .await;
        tab.wait_for(
            "the note in the app's live payload",
            &format!(
                "Number(({app}).getElementById('status').dataset.updates) > {before} && \
                 ({app}).getElementById('payload-json').textContent.includes({})",
                js_string(note)
            ),
        )
        .await;

        // Its one action, granted by the demo: the order summary as a private note.
        tab.wait_for(
            "the note button enabled",
            &format!("!({app}).getElementById('note-orders').disabled"),
        )
        .await;
        let _: bool = tab
            .eval(&format!(
                "(({app}).getElementById('note-orders').click(), true)"
            ))
            .await;
        tab.wait_for(
            "the note added",
            &format!("({app}).getElementById('action-result').dataset.outcome === 'ok'"),
        )
        .await;
        let messages = api.messages(id).await;
        let summary = messages
            .iter()
            .rev()
            .find(|m| m["private"] == true)
            .and_then(|m| m["content"].as_str())
            .unwrap_or_default()
            .to_owned();
        assert!(
            summary.starts_with("Customer Orders for ") && summary.contains(" orders, $"),
            "{summary}"
        );
        assert_eq!(tab.dialogs(), 0);
    }
);

/// `ordersFor("alice@example.com")`: number, date, status of each order, newest first.
const ALICE_ORDERS: &[(&str, &str, &str)] = &[
    ("CO-487928", "2026-10-13", "Processing"),
    ("CO-466008", "2026-08-10", "Refunded"),
    ("CO-431419", "2026-05-27", "Delivered"),
    ("CO-424509", "2026-04-10", "Refunded"),
];
