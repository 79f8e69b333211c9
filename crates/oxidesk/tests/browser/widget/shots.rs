//! The widget in `docs/screenshots/` (called by the ignored `screenshots` test): a shop page
//! that embeds it, open on a conversation with the visitor's image, an agent's reply and an
//! interactive message (`widget-desktop.png`, `widget-phone.png`), with the emoji picker open
//! (`widget-emoji-…`), and the survey after the visitor ended the conversation
//! (`widget-csat-…`), each at desktop and phone size.

use std::path::Path;
use std::time::Duration;

use serde_json::json;

use super::{in_widget, wait_in_widget, website};
use crate::chromium::Chromium;
use crate::client::Api;
use crate::origin::{HTML, Origin};

/// Pastes a drawn picture into the composer and sends it with `text` (in the widget's frame).
const SEND_PICTURE: &str = "(async () => { \
    const c = document.createElement('canvas'); c.width = 480; c.height = 300; \
    const g = c.getContext('2d'); g.fillStyle = '#dbeafe'; g.fillRect(0, 0, 480, 300); \
    g.fillStyle = '#1f6feb'; g.fillRect(40, 40, 400, 60); g.fillStyle = '#94a3b8'; \
    for (let i = 0; i < 4; i++) g.fillRect(40, 130 + i * 36, 300 - i * 40, 18); \
    const blob = await new Promise(r => c.toBlob(r, 'image/png')); \
    const dt = new DataTransfer(); dt.items.add(new File([blob], 'checkout-error.png', {type: 'image/png'})); \
    const input = document.querySelector('#widget-input'); \
    input.dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true})); \
    input.value = 'The checkout shows this error'; \
    document.querySelector('#widget-composer').requestSubmit(); return true; })()";

/// Writes the widget's screenshots into `dir`.
pub async fn widget_screenshots(chromium: &Chromium, base: &str, api: &Api, dir: &Path) {
    let inbox = api
        .post(
            "/api/v1/accounts/1/inboxes",
            json!({"name": "Shop website", "csat_survey_enabled": true,
               "csat_config": {"display_type": "emoji", "message": "How did we do today?"},
               "channel": {"type": "web_widget",
               "website_url": "https://shop.example", "welcome_title": "Hi there 👋",
               "welcome_tagline": "We usually answer within minutes."}}),
        )
        .await;
    let token = inbox["website_token"].as_str().unwrap().to_owned();
    let site = Origin::start(&[("/", HTML, website(base, &token))]).await;
    let tab = chromium.tab(&site.url("")).await;
    tab.resize(1280, 800, false).await;
    tab.goto("/").await;
    tab.wait_for(
        "the bubble",
        "document.querySelector('#cw-bubble-holder button') !== null",
    )
    .await;
    tab.click("#cw-bubble-holder button").await;
    wait_in_widget(
        &tab,
        "the widget",
        "document.querySelector('#widget').dataset.ready === '1'",
        Duration::from_secs(10),
    )
    .await;
    in_widget(&tab, SEND_PICTURE).await;
    wait_in_widget(
        &tab,
        "the picture sent",
        "[...document.querySelectorAll('#widget-messages .files img')].some(i => i.complete && i.naturalWidth > 0)",
        Duration::from_secs(10),
    )
    .await;
    let list = api
        .get(&format!(
            "/api/v1/accounts/1/conversations?inbox_id={}&assignee_type=all",
            inbox["id"]
        ))
        .await;
    let id = list["data"]["payload"][0]["id"].as_i64().unwrap();
    let path = format!("/api/v1/accounts/1/conversations/{id}/messages");
    api.post(
        &path,
        json!({"content": "Sorry about that! Which card did you use?"}),
    )
    .await;
    api.post(
        &path,
        json!({"content": "Pick one:", "content_type": "input_select",
           "content_attributes": {"items": [{"title": "Visa", "value": "visa"},
             {"title": "Mastercard", "value": "mc"}, {"title": "PayPal", "value": "paypal"}]}}),
    )
    .await;
    wait_in_widget(
        &tab,
        "the options",
        "document.querySelectorAll('.options button').length === 3",
        Duration::from_secs(10),
    )
    .await;
    shoot(&tab, dir, "widget").await;

    // The emoji picker, open over the composer.
    in_widget(
        &tab,
        "document.querySelector('#widget-emoji').click() || true",
    )
    .await;
    wait_in_widget(
        &tab,
        "the emoji picker",
        "document.querySelector('#widget-emoji-picker') && !document.querySelector('#widget-emoji-picker').hidden",
        Duration::from_secs(10),
    )
    .await;
    shoot(&tab, dir, "widget-emoji").await;
    in_widget(
        &tab,
        "document.querySelector('#widget-emoji').click() || true",
    )
    .await;

    // The visitor ends the conversation; the survey follows.
    in_widget(
        &tab,
        "document.querySelector('#widget-end').click() || true",
    )
    .await;
    in_widget(
        &tab,
        "document.querySelector('#widget-end-yes').click() || true",
    )
    .await;
    wait_in_widget(
        &tab,
        "the survey",
        "document.querySelectorAll('#widget-messages form.csat .face').length === 5",
        Duration::from_secs(10),
    )
    .await;
    in_widget(
        &tab,
        "document.querySelector('.face[data-n=\"4\"]').click() || true",
    )
    .await;
    shoot(&tab, dir, "widget-csat").await;
}

/// Screenshots of `tab` at desktop and phone size, as `<name>-desktop.png` and
/// `<name>-phone.png` (the first pair keeps the widget's original names).
async fn shoot(tab: &crate::chromium::Tab, dir: &Path, name: &str) {
    for (screen, width, height, mobile) in
        [("desktop", 1280, 800, false), ("phone", 375, 812, false)]
    {
        tab.resize(width, height, mobile).await;
        tokio::time::sleep(Duration::from_millis(600)).await;
        let file = dir.join(format!("{name}-{screen}.png"));
        std::fs::write(&file, tab.screenshot().await)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", file.display()));
        eprintln!("wrote {}", file.display());
    }
    tab.resize(1280, 800, false).await;
}
