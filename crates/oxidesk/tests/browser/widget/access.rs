//! The widget by keyboard alone, for screen readers, and on a phone: Tab reaches the launcher,
//! Enter opens the chat with the focus in the composer, typing and Enter send, Escape closes
//! and gives the focus back to the launcher; new messages reach a live region; every button
//! has a name; at 375 px nothing overflows and the composer stays visible, also when the
//! on-screen keyboard takes half the screen.

use std::time::Duration;

use serde_json::json;

use super::{LIVE_WITHIN, WIDGET_TEXTS, in_widget, wait_in_widget, website};
use crate::browser_test;
use crate::origin::{HTML, Origin};

const LAUNCHER: &str = "document.querySelector('#cw-bubble-holder button')";

/// In the widget: the page is no wider than the screen and the composer is on it.
const FITS: &str = "document.documentElement.scrollWidth <= window.innerWidth \
    && (() => { const r = document.querySelector('#widget-composer').getBoundingClientRect(); \
        return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight + 1 && r.right <= window.innerWidth + 1; })()";

browser_test!(the_widget_by_keyboard_and_on_a_phone, |desk| async move {
    let api = desk.api().await;
    let inbox = api
        .post(
            "/api/v1/accounts/1/inboxes",
            json!({"name": "Phone site", "channel": {"type": "web_widget",
                   "website_url": "https://phone.example", "welcome_title": "Hi"}}),
        )
        .await;
    let website_token = inbox["website_token"].as_str().unwrap().to_owned();
    let site = Origin::start(&[("/", HTML, website(&desk.server.base(), &website_token))]).await;
    let visitor = desk.chromium.tab(&site.url("")).await;
    visitor.resize(375, 667, false).await;
    visitor.goto("/").await;
    visitor
        .wait_for(
            "chatwoot:ready",
            "window.__events.some(e => e.name === 'chatwoot:ready')",
        )
        .await;

    // Tab reaches the launcher, which has a name; Enter opens the chat.
    for _ in 0..6 {
        if visitor
            .eval::<bool>(&format!("document.activeElement === {LAUNCHER}"))
            .await
        {
            break;
        }
        visitor.key("Tab", 9, false).await;
    }
    assert!(
        visitor
            .eval::<bool>(&format!("document.activeElement === {LAUNCHER}"))
            .await,
        "Tab reaches the launcher"
    );
    assert_eq!(
        visitor
            .eval::<String>(&format!("{LAUNCHER}.getAttribute('aria-label')"))
            .await,
        "Open the chat"
    );
    visitor.key("Enter", 13, false).await;
    visitor
        .wait_for(
            "chatwoot:opened",
            "window.__events.some(e => e.name === 'chatwoot:opened')",
        )
        .await;
    wait_in_widget(
        &visitor,
        "the focus in the composer",
        "document.querySelector('#widget').dataset.ready === '1' && document.hasFocus() \
             && document.activeElement.id === 'widget-input'",
        Duration::from_secs(10),
    )
    .await;

    // Typing and Enter send.
    visitor.insert_text("Written with the keyboard only").await;
    visitor.key("Enter", 13, false).await;
    wait_in_widget(
        &visitor,
        "the message sent",
        &format!("{WIDGET_TEXTS}.includes('Written with the keyboard only')"),
        Duration::from_secs(10),
    )
    .await;

    // Every visible button has a name; the new-message region is a polite live region.
    let unnamed = in_widget(
            &visitor,
            "[...document.querySelectorAll('button, a[href], input:not([type=file]), textarea')]\
             .filter(b => b.offsetParent !== null)\
             .filter(b => !((b.getAttribute('aria-label') || b.textContent || (b.labels && b.labels[0] && b.labels[0].textContent) || '').trim()))\
             .map(b => b.outerHTML)",
        )
        .await
        .unwrap();
    assert_eq!(unnamed, json!([]), "controls without a name");
    let list = api
        .get(&format!(
            "/api/v1/accounts/1/conversations?inbox_id={}&assignee_type=all",
            inbox["id"]
        ))
        .await;
    let id = list["data"]["payload"][0]["id"].as_i64().unwrap();
    api.post(
        &format!("/api/v1/accounts/1/conversations/{id}/messages"),
        json!({"content": "Hello from the desk"}),
    )
    .await;
    wait_in_widget(
            &visitor,
            "the reply in the live region",
            "(() => { const r = document.querySelector('#widget-announce'); \
               return r.getAttribute('aria-live') === 'polite' && r.textContent.includes('Hello from the desk'); })()",
            LIVE_WITHIN,
        )
        .await;

    // A phone: the chat fills the screen, nothing overflows, the composer is visible…
    visitor
        .wait_for(
            "the chat as wide as the phone",
            "window.innerWidth === 375 && document.querySelector('#cw-widget-holder')\
             .getBoundingClientRect().width === 375",
        )
        .await;
    wait_in_widget(
        &visitor,
        "the composer on a 375 px screen",
        FITS,
        Duration::from_secs(5),
    )
    .await;
    // …also with the on-screen keyboard up (the page resized to what is left above it).
    visitor.resize(375, 330, false).await;
    wait_in_widget(
        &visitor,
        "the composer above the keyboard",
        FITS,
        Duration::from_secs(5),
    )
    .await;
    visitor.resize(375, 667, false).await;

    // Escape closes the chat and gives the focus back to the launcher.
    visitor.key("Escape", 27, false).await;
    visitor
        .wait_for(
            "chatwoot:closed",
            "window.__events.some(e => e.name === 'chatwoot:closed')",
        )
        .await;
    visitor
        .wait_for(
            "the focus back on the launcher",
            &format!("document.activeElement === {LAUNCHER}"),
        )
        .await;
});
